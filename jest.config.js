// Three projects. `unit` runs in-process with no child processes and no
// non-loopback network. `component` calls src in-process against what unit
// tests may not use: the real helm, kustomize and openssl binaries and loopback
// test servers. `integration` drives only the built CLI (dist/cli.cjs), as Argo
// CD does, against loopback test servers and the real helm/kustomize binaries;
// it never imports src.
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
      displayName: 'component',
      setupFilesAfterEnv: ['<rootDir>/test/support/process-test-timeout.ts'],
      testMatch: ['<rootDir>/test/component/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
      clearMocks: true,
    },
    {
      displayName: 'integration',
      setupFilesAfterEnv: ['<rootDir>/test/support/process-test-timeout.ts'],
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
      clearMocks: true,
    },
  ],
}
