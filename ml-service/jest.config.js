/** Two tiers, as in the backend: `unit` beside the code, `medium` against real servers on loopback. */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest'] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, roots: ['<rootDir>/src'], testMatch: ['**/*.test.ts'] },
    {
      displayName: 'medium',
      testEnvironment: '<rootDir>/test/support/onnx-environment.js',
      transform,
      roots: ['<rootDir>/test/medium'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/require-services.ts'],
    },
  ],
};
