// What the engine does differently once webgpu is the backend, checked in this process on the
// software adapter (lavapipe; see backend.webgpu.test.ts for the numbers end to end): larger
// model-call batches, PGD's steps kept on the device, ONNX sessions on onnxruntime's WebGPU
// execution provider, one thread; and a computation the GPU rejects fails its own read, not every
// later one. Each choice is checked against wasm in the same process, so a test fails if the
// choice is removed (the numbers alone would not show it).

import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { batchScale, initBackend, setBufferLimitForTests } from "../lib/engine/backend";
import { createRng } from "../lib/engine/random";
import { createLocalExecutor } from "../lib/engine/executor";
import { createEncoder } from "../lib/engine/model/encode";
import { executionProviders } from "../lib/engine/model/onnx/runtime";
import { batchRows, predictProbabilities } from "../lib/engine/model/predict";
import * as devicePgd from "../lib/engine/robustness/device-pgd";
import { buildAttackSpace } from "../lib/engine/robustness/space";
import { loadDatasetFile } from "../lib/io/dataset-file";
import { loadModelDir } from "../lib/io/model-dir";
import { defaultThreads } from "../lib/jobs/model-cache";
import { ROOT } from "./helpers/shared";

const CPS = path.join(ROOT, "audits/examples/cps-wages");

// the real device steps, counted
jest.mock("../lib/engine/robustness/device-pgd", () => {
  const real = jest.requireActual("../lib/engine/robustness/device-pgd");
  return { ...real, pgdStepsOnDevice: jest.fn(real.pgdStepsOnDevice) };
});
const deviceSteps = devicePgd.pgdStepsOnDevice as jest.Mock;

async function attackJob() {
  const { loaded } = await loadModelDir(path.join(CPS, "models/v1"));
  const { table } = await loadDatasetFile(path.join(CPS, "cps-wages-1985.csv"));
  const encoder = createEncoder(table, loaded.manifest);
  // categories frozen: the attack PGD keeps on a GPU (free categories are chosen on this thread)
  const { space } = buildAttackSpace(table, loaded.manifest, encoder, { sensitive: ["gender", "race"], immutable: [], categorical: "frozen" });
  const n = 40;
  const x = encoder.encodeRange(0, n);
  const decision = Uint8Array.from(await loaded.predict(x, n), (v) => (v >= 0.5 ? 1 : 0));
  const job = {
    space,
    config: { attack: "pgd" as const, norm: "linf" as const, epsilons: [0.5], steps: 5, restarts: 1, seed: 3, threshold: 0.5, tolerance: 1e-2, queries: 50 },
    x,
    rows: n,
    rowIds: Int32Array.from({ length: n }, (_, i) => i),
    decision,
  };
  return { loaded, job };
}

describe("choices made for the webgpu backend (software adapter)", () => {
  afterAll(async () => {
    await initBackend("wasm");
  });

  it("batches 4× wasm's rows per model call, runs ONNX on the WebGPU execution provider and keeps PGD's steps on the device; wasm does none of these", async () => {
    deviceSteps.mockClear();
    {
      await initBackend("wasm");
      expect(batchScale()).toBe(1);
      const wasmRows = batchRows(12);
      expect(executionProviders()).toEqual(["cpu"]);
      const onWasm = await attackJob();
      await createLocalExecutor(onWasm.loaded, "wasm").attack(onWasm.job);
      onWasm.loaded.dispose();
      expect(deviceSteps).not.toHaveBeenCalled();

      const gpu = await initBackend("webgpu", { allowSoftwareGpu: true });
      expect(gpu.name).toBe("webgpu");
      expect(tf.getBackend()).toBe("webgpu");
      expect(batchScale()).toBe(4);
      expect(batchRows(12)).toBe(4 * wasmRows);
      expect(executionProviders()).toEqual(["webgpu", "cpu"]);
      const onGpu = await attackJob();
      const result = await createLocalExecutor(onGpu.loaded, "webgpu").attack(onGpu.job);
      onGpu.loaded.dispose();
      expect(deviceSteps).toHaveBeenCalled();
      expect(result.gradients).toBeGreaterThan(0);
    }
  });

  it("fails a model call the GPU rejects (a tensor over its binding limit, the split turned off) with the device's message, and the next call on the device works", async () => {
    await initBackend("webgpu", { allowSoftwareGpu: true });
    // 17,000 rows × 2,048 floats × 4 bytes = 139 MB: over lavapipe's 128 MiB binding limit
    const rows = 17_000;
    const net = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [2], units: 2048, activation: "tanh", kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
        tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }) }),
      ],
    });
    const graph = { inputWidth: 2, widest: 2048, probability: (x: tf.Tensor2D) => (net.apply(x) as tf.Tensor2D).reshape([-1]) as tf.Tensor1D, dispose: () => net.dispose() };
    const r = createRng(1);
    const x = Float32Array.from({ length: rows * 2 }, () => r.normal());
    try {
      setBufferLimitForTests(1e15); // no split: the whole call goes to the device
      await expect(predictProbabilities(graph, x, rows)).rejects.toThrow(/the GPU rejected a computation \(.+\); its results are not used/);
      setBufferLimitForTests(null); // the device's limit again: the same rows in pieces
      const p = await predictProbabilities(graph, x, rows);
      // the first rows against the same model on this thread's CPU arithmetic (float32 kernels: 1e-5)
      const [k1, b1, k2, b2] = await Promise.all(net.getWeights().map((t) => t.data()));
      for (let i = 0; i < 50; i++) {
        let z = b2![0]!;
        for (let h = 0; h < 2048; h++) z += Math.tanh(x[2 * i]! * k1![h]! + x[2 * i + 1]! * k1![2048 + h]! + b1![h]!) * k2![h]!;
        expect(p[i]).toBeCloseTo(1 / (1 + Math.exp(-z)), 5);
      }
    } finally {
      setBufferLimitForTests(null);
      net.dispose();
    }
  });

  it("runs every analysis from one thread on webgpu (one GPU context per process), and on every core otherwise", () => {
    expect(defaultThreads("webgpu")).toBe(1);
    const saved = process.env.ASSAY_THREADS;
    delete process.env.ASSAY_THREADS;
    try {
      expect(defaultThreads("wasm")).toBe(os.availableParallelism());
    } finally {
      if (saved !== undefined) process.env.ASSAY_THREADS = saved;
    }
  });
});
