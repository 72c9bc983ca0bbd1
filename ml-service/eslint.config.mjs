import { typescriptWorkspace } from '../eslint.shared.mjs';

// A CommonJS jest environment, outside the TypeScript project.
export default typescriptWorkspace(import.meta.dirname, ['test/support/onnx-environment.js']);
