// The unit tests that guard masking and the stderr path, for Stryker
// (`npm run mutation`, stryker.config.json): every mutant of those files must
// make one of them fail.
// Instrumented code runs many times slower: tests that time masking shrink.
process.env.MASKING_UNDER_MUTATION = '1'

/** @type {import('jest').Config} */
module.exports = {
  testMatch: [
    '<rootDir>/test/unit/secrets/**/*.test.ts',
    '<rootDir>/test/unit/cli/report.test.ts',
    '<rootDir>/test/unit/log.test.ts',
  ],
  setupFiles: ['<rootDir>/test/support/no-network.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  clearMocks: true,
}
