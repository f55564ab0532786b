// Two projects (style guide B.7): `unit` runs in-process with no child processes or
// non-loopback network; `integration` drives the built CLI (dist/cli.cjs) against
// loopback test servers and the real helm/kustomize binaries.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
}

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/no-network.ts'],
      testEnvironment: 'node',
      transform,
      clearMocks: true,
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
      clearMocks: true,
    },
  ],
}
