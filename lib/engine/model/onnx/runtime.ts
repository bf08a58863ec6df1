// onnxruntime-node behind a small interface: a session per loaded model (worker pools load one
// per thread, each with one intra-op thread), fed plain typed arrays. The package is loaded on
// first use (pages that never run a model do not load the native add-on) and stays out of the
// Next.js bundle (serverExternalPackages); a missing install is a clear error, not a crash.

import type * as Ort from "onnxruntime-node";
import { activeBackend } from "../../backend";
import type { FeedKind } from "./graph";

let ort: typeof Ort | null = null;

/** The onnxruntime-node module (CPU execution provider), loaded once. */
export function onnxRuntime(): typeof Ort {
  if (!ort) {
    try {
      // a plain require (not createRequire): it loads in the caller's realm, so typed arrays pass
      // onnxruntime's instanceof checks under test runners that sandbox modules
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ort = require("onnxruntime-node") as typeof Ort;
    } catch (e) {
      throw new Error(`onnxruntime-node is not installed or cannot load (${(e as Error).message.split("\n")[0]}); run npm install`);
    }
  }
  return ort;
}

export function onnxRuntimeVersion(): string {
  return onnxRuntime().env.versions?.node ?? "unknown";
}

export interface FeedValue {
  type: FeedKind;
  data: Float32Array | Float64Array | BigInt64Array | string[];
  dims: number[];
}

export interface OnnxSession {
  run(feeds: Record<string, FeedValue>, output: string): Promise<{ data: Float32Array | Float64Array; dims: readonly number[] }>;
  release(): Promise<void>;
}

/** Execution providers for the active TensorFlow.js backend: onnxruntime's bundled WebGPU provider (operators it lacks fall back to the CPU) on webgpu, else the CPU. */
export function executionProviders(): string[] {
  return activeBackend()?.name === "webgpu" ? ["webgpu", "cpu"] : ["cpu"];
}

export async function createOnnxSession(bytes: Uint8Array, threads: number): Promise<OnnxSession> {
  const rt = onnxRuntime();
  const session = await rt.InferenceSession.create(bytes, {
    executionProviders: executionProviders(),
    logSeverityLevel: 3, // errors only: onnxruntime otherwise logs its graph optimisations
    intraOpNumThreads: Math.max(1, threads),
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  return {
    async run(feeds, output) {
      const tensors: Record<string, Ort.Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) tensors[name] = new rt.Tensor(f.type, f.data, f.dims);
      const res = await session.run(tensors, [output]);
      const t = res[output];
      if (!t) throw new Error(`onnxruntime returned no output "${output}"`);
      if (t.type !== "float32" && t.type !== "float64") throw new Error(`output "${output}" is ${t.type}, not a float tensor`);
      const out = { data: t.data as Float32Array | Float64Array, dims: t.dims };
      for (const v of Object.values(tensors)) v.dispose?.();
      return out;
    },
    async release() {
      await session.release();
    },
  };
}
