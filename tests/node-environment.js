// Jest's node environment with the host's typed-array constructors. Jest runs each test file in a
// fresh realm; native add-ons (onnxruntime-node) create their output arrays in the host realm, and
// onnxruntime's JavaScript side then checks them with `instanceof Float32Array` from the test's
// realm, which fails. Sharing the constructors makes both realms agree, as they do in production.
const { TestEnvironment } = require("jest-environment-node");

const SHARED = [
  "ArrayBuffer",
  "SharedArrayBuffer",
  "DataView",
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArraysEnvironment;
