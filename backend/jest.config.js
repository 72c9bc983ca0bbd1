/** Two tiers: `unit` beside the code (no I/O beyond the process), `medium` against real servers on loopback. */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest'] };
// Jest's module system cannot load ES modules from CommonJS; swc turns these packages into CommonJS.
const transformIgnorePatterns = ['/node_modules/(?!@apidevtools/json-schema-ref-parser/)'];

/** @type {import('jest').Config} */
module.exports = {
  // Global only (projects ignore it): medium tests start servers and hash passwords.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.ts'],
    },
    {
      displayName: 'medium',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      roots: ['<rootDir>/test/medium'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/require-services.ts'],
    },
  ],
};
