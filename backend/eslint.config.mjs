import { typescriptWorkspace } from '../eslint.shared.mjs';

export default typescriptWorkspace(import.meta.dirname);
