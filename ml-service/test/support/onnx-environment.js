// jest's node environment gives each test file its own realm, with its own typed-array constructors.
// onnxruntime-node builds output tensors from the host realm's arrays and onnxruntime-common checks
// them with `instanceof` against the test realm's, so every run fails (microsoft/onnxruntime#16622).
// Sharing the host's constructors, as jest already does for Uint8Array and ArrayBuffer, fixes that.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];

module.exports = class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const constructor of TYPED_ARRAYS) this.global[constructor.name] = constructor;
  }
};
