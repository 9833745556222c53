/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: { '^kiln$': '<rootDir>/src/index.ts', '^kiln/(.*)$': '<rootDir>/src/public/$1' },
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
};
