import * as tf from "@tensorflow/tfjs";
import { artefacts, denseModel, serialize } from "../../../tests/helpers/tfjs-models";
import { jsExecutor } from "../../../tests/helpers/js-executor";
import { initBackend } from "../backend";
import { createLocalExecutor } from "../executor";
import { loadModel } from "../model/load";
import type { TModelManifest } from "../model/manifest";
import { createRng } from "../random";
import { allCoalitions, coalitionMasks } from "./coalitions";
import { kmeansBackground } from "./background";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

beforeAll(async () => {
  await initBackend("wasm");
});

function manifestOf(width: number): TModelManifest {
  return {
    format: "tfjs-layers",
    task: "binary_classification",
    output: { type: "probability" },
    features: Array.from({ length: width }, (_, j) => ({ name: `x${j}`, column: `x${j}`, type: "numeric" as const })),
  };
}

describe("coalitionValues on TensorFlow.js (broadcast masking)", () => {
  it.each([
    [5, 4, 3], // many rows per model call
    [11, 120, 2], // coalitions chunked within a row (2046 × 120 rows > one call)
  ])("equals a plain loop over rows, coalitions and background (%d inputs, %d background rows, %d explained rows; 1e-6)", async (width, nb, rows) => {
    const r = createRng(width);
    const w = Array.from({ length: width }, () => [r.normal() * 0.5]);
    const model = await loadModel(artefacts(await serialize(denseModel(w, [0.1], "sigmoid")), manifestOf(width)));
    const set = allCoalitions(width);
    const masks = coalitionMasks(
      set,
      Array.from({ length: width }, (_, j) => [[j, 1] as const]),
      width,
    );
    const job = {
      width,
      x: Float32Array.from({ length: rows * width }, () => r.normal()),
      rows,
      background: Float32Array.from({ length: nb * width }, () => r.normal()),
      backgroundRows: nb,
      backgroundWeights: Float64Array.from({ length: nb }, () => 1 / nb),
      masks,
      coalitions: set.count,
    };
    const before = tf.memory().numTensors;
    const tfValues = await createLocalExecutor(model, "wasm").coalitionValues(job);
    expect(tf.memory().numTensors).toBe(before);
    const f = (x: Float32Array | Float64Array, o: number) => sigmoid(0.1 + w.reduce((s, wi, j) => s + wi[0]! * x[o + j]!, 0));
    const jsValues = await jsExecutor(f, width).coalitionValues(job);
    let maxDiff = 0;
    for (let i = 0; i < jsValues.length; i++) maxDiff = Math.max(maxDiff, Math.abs(tfValues[i]! - jsValues[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
    model.dispose();
  });
});

describe("kmeansBackground", () => {
  it("snaps centres to real rows and weights them by cluster share", () => {
    const r = createRng(3);
    const n = 600;
    const d = 3;
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const c = i % 3; // three well separated clusters of equal size
      for (let t = 0; t < d; t++) x[i * d + t] = c * 10 + r.normal() * 0.1;
    }
    const bg = kmeansBackground(x, n, d, 3, createRng(1));
    expect(bg.rows).toHaveLength(3);
    expect(bg.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(bg.weights.map((w) => Math.round(w * 3))).toEqual([1, 1, 1]);
    expect(new Set(bg.rows.map((i) => Math.round(x[i * d]! / 10))).size).toBe(3);
  });
});

describe("coalitionValues through the first dense layer's factorisation", () => {
  const relu = (z: number) => Math.max(0, z);
  async function check(model: tf.LayersModel, f: (x: Float32Array | Float64Array, o: number) => number, width: number, factored: boolean, shallow = false) {
    const loaded = await loadModel(artefacts(await serialize(model), manifestOf(width)));
    model.dispose();
    expect(Boolean(loaded.graph?.firstLayer)).toBe(factored);
    // one hidden layer and one sigmoid unit: the rest of the model in the WebAssembly kernel
    expect(Boolean(loaded.graph?.firstLayer?.shallow)).toBe(shallow);
    const r = createRng(40 + width);
    const set = allCoalitions(width);
    const masks = coalitionMasks(set, Array.from({ length: width }, (_, j) => [[j, 1] as const]), width);
    const job = {
      width,
      x: Float32Array.from({ length: 3 * width }, () => r.normal()),
      rows: 3,
      background: Float32Array.from({ length: 7 * width }, () => r.normal()),
      backgroundRows: 7,
      backgroundWeights: Float64Array.from({ length: 7 }, (_, b) => (b + 1) / 28),
      masks,
      coalitions: set.count,
    };
    const before = tf.memory().numTensors;
    const tfValues = await createLocalExecutor(loaded, "wasm").coalitionValues(job);
    expect(tf.memory().numTensors).toBe(before);
    const jsValues = await jsExecutor(f, width).coalitionValues(job);
    let maxDiff = 0;
    for (let i = 0; i < jsValues.length; i++) maxDiff = Math.max(maxDiff, Math.abs(tfValues[i]! - jsValues[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
    loaded.dispose();
  }

  // weights as plain arrays, so the reference below is an independent float64 computation
  const width = 6;
  const hidden = 5;
  const r = createRng(9);
  const W1 = Array.from({ length: width }, () => Array.from({ length: hidden }, () => r.normal() * 0.6));
  const b1 = Array.from({ length: hidden }, () => r.normal() * 0.2);
  const W2 = Array.from({ length: hidden }, () => [r.normal() * 0.8]);
  const hiddenOf = (x: Float32Array | Float64Array, o: number) => b1.map((b, k) => relu(b + W1.reduce((s, row, j) => s + row[k]! * x[o + j]!, 0)));

  it("a two-layer MLP (dense relu → dense sigmoid) is factored, its rest in the kernel, and equals a plain float64 loop (1e-6)", async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [width], units: hidden, activation: "relu", weights: [tf.tensor2d(W1), tf.tensor1d(b1)] }),
        tf.layers.dense({ units: 1, activation: "sigmoid", weights: [tf.tensor2d(W2), tf.tensor1d([0.3])] }),
      ],
    });
    await check(m, (x, o) => sigmoid(0.3 + hiddenOf(x, o).reduce((s, v, k) => s + v * W2[k]![0]!, 0)), width, true, true);
  });

  it("a tanh hidden layer is factored (its rest through TensorFlow.js, not the kernel) and equals the loop (1e-6)", async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [width], units: hidden, activation: "tanh", weights: [tf.tensor2d(W1), tf.tensor1d(b1)] }),
        tf.layers.dense({ units: 1, activation: "sigmoid", weights: [tf.tensor2d(W2), tf.tensor1d([0.3])] }),
      ],
    });
    const tanhHidden = (x: Float32Array | Float64Array, o: number) => b1.map((b, k) => Math.tanh(b + W1.reduce((s, row, j) => s + row[k]! * x[o + j]!, 0)));
    await check(m, (x, o) => sigmoid(0.3 + tanhHidden(x, o).reduce((s, v, k) => s + v * W2[k]![0]!, 0)), width, true, false);
  });

  it("a model whose output also reads the input (a skip connection) is not factored and still equals the loop (1e-6)", async () => {
    const input = tf.input({ shape: [width] });
    const hid = tf.layers.dense({ units: hidden, activation: "relu", weights: [tf.tensor2d(W1), tf.tensor1d(b1)] }).apply(input) as tf.SymbolicTensor;
    const both = tf.layers.concatenate().apply([hid, input]) as tf.SymbolicTensor;
    const Wout = [...W2.map((w) => w[0]!), ...Array.from({ length: width }, (_, j) => 0.1 * (j - 2))];
    const out = tf.layers.dense({ units: 1, activation: "sigmoid", weights: [tf.tensor2d(Wout.map((v) => [v])), tf.tensor1d([-0.2])] }).apply(both) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: out });
    await check(
      m,
      (x, o) => {
        const h = hiddenOf(x, o);
        let z = -0.2;
        for (let k = 0; k < hidden; k++) z += h[k]! * Wout[k]!;
        for (let j = 0; j < width; j++) z += x[o + j]! * Wout[hidden + j]!;
        return sigmoid(z);
      },
      width,
      false,
    );
  });
});
