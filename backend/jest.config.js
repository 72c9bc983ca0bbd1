/** Two tiers: `unit` beside the code (no I/O beyond the process), `medium` against real servers on loopback. */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest'] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.ts'],
    },
    {
      displayName: 'medium',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/test/medium'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/require-services.ts'],
      testTimeout: 60_000,
    },
  ],
};
