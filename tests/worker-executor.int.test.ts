// The worker-thread executor gives the same numbers as the same backend on this thread.

import { initBackend } from "../lib/engine/backend";
import { createLocalExecutor } from "../lib/engine/executor";
import { createWorkerExecutor } from "../lib/compute/worker-executor";
import { loadModelDir } from "../lib/io/model-dir";
import { allCoalitions, coalitionMasks } from "../lib/engine/shap/coalitions";
import { createRng } from "../lib/engine/random";
import path from "node:path";
import { ROOT, sharedDataset } from "./helpers/shared";
import { loadDatasetFile } from "../lib/io/dataset-file";
import { createEncoder } from "../lib/engine/model/encode";
import { buildAttackSpace } from "../lib/engine/robustness/space";
import { permutationRepeats, SideScorerUnavailable, type SideScorer } from "../lib/engine/importance/permutation";
import { startImportanceHelper } from "../lib/compute/importance-helper";
import { createPermutedScorer } from "../lib/engine/importance/permuted";
import * as tf from "@tensorflow/tfjs";
import { loadModel } from "../lib/engine/model/load";
import { artefacts, serialize } from "./helpers/tfjs-models";

/** A model, the first `rows` rows of a dataset encoded for it (all when null), a 0/1 label and a roc_auc importance job over the model's raw columns. */
async function importanceCase(modelDir: string, dataset: string, label: string, positive: (v: string | number) => boolean, rows: number | null, run: { repeats: number; seed: number }) {
  await initBackend("wasm");
  const { loaded, modelFiles } = await loadModelDir(path.join(ROOT, modelDir));
  const { table } = await loadDatasetFile(dataset);
  const encoder = createEncoder(table, loaded.manifest);
  const n = rows ?? table.rows;
  const x = encoder.encodeRange(0, n);
  const col = table.columns.find((c) => c.name === label)!;
  const y = Uint8Array.from({ length: n }, (_, i) => (positive(col.numbers ? col.numbers[i]! : col.categories[col.codes[i]!]!) ? 1 : 0));
  const features = [...new Set(loaded.manifest.features.map((f) => f.column))].map((c) => ({ name: c, blocks: encoder.columnBlocks.get(c)! }));
  const job = { n, width: encoder.width, features, y, w: null, threshold: 0.5, scoring: "roc_auc" as const, ...run };
  return { loaded, modelFiles, x, job, features };
}

const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((v, j) => v.map((e, k) => Math.abs(e - b[j]![k]!))));

const cps = () => importanceCase("audits/examples/cps-wages/models/v1", path.join(ROOT, "audits/examples/cps-wages/cps-wages-1985.csv"), "wage_above_median", (v) => v === "1" || v === 1, null, { repeats: 4, seed: 11 });

describe("createWorkerExecutor", () => {
  it("matches the local executor exactly for predictions and coalition values, on 2 threads", async () => {
    await initBackend("wasm");
    const { loaded, modelFiles } = await loadModelDir(path.join(ROOT, "audits/examples/cps-wages/models/v2"));
    const d = loaded.inputWidth;
    const r = createRng(1);
    const x = Float32Array.from({ length: 5000 * d }, () => r.normal());
    const local = createLocalExecutor(loaded, "wasm");
    const pool = await createWorkerExecutor({ files: modelFiles, backend: "wasm", threads: 2 });
    try {
      expect(pool.threads).toBe(2);
      expect(pool.backend).toBe("wasm");
      expect(Array.from(await pool.predict(x, 5000))).toEqual(Array.from(await local.predict(x, 5000)));
      const set = allCoalitions(8);
      // 8 players over the 15 inputs: the first 7 single inputs, the rest one block
      const blocks = Array.from({ length: 8 }, (_, j) => (j < 7 ? [[j, 1] as const] : [[7, d - 7] as const]));
      const job = {
        width: d,
        x: x.slice(0, 9 * d),
        rows: 9,
        background: x.slice(100 * d, 120 * d),
        backgroundRows: 20,
        backgroundWeights: Float64Array.from({ length: 20 }, () => 0.05),
        masks: coalitionMasks(set, blocks, d),
        coalitions: set.count,
      };
      const seen: number[] = [];
      const a = await pool.coalitionValues(job, (done) => seen.push(done));
      const b = await local.coalitionValues(job);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(seen[seen.length - 1]).toBe(9);
    } finally {
      await pool.dispose();
      loaded.dispose();
    }
  });

  it("permutation importance: whole repeats per thread give the numbers of the batched-copies path on this thread, in repeat order", async () => {
    const { loaded, modelFiles, x, job, features } = await importanceCase("audits/examples/cps-wages/models/v1", path.join(ROOT, "audits/examples/cps-wages/cps-wages-1985.csv"), "wage_above_median", (v) => v === "1" || v === 1, null, { repeats: 5, seed: 3 });
    const local = createLocalExecutor(loaded, "wasm");
    const pool = await createWorkerExecutor({ files: modelFiles, backend: "wasm", threads: 2 });
    try {
      // the reference: permuted copies in batches through predict, on this thread (no importanceRepeats)
      const reference = await permutationRepeats({ ...job, executor: { ...local, importanceRepeats: undefined }, encode: () => x }, 0, 5);
      expect(new Set(reference.values[0]).size).toBeGreaterThan(1); // the repeats differ
      // this thread's permuted path (the first layer factored: its probabilities differ from the
      // reference's in float32 rounding, ~1e-7, which can swap the order of two near-equal scores:
      // an AUC moves by 1/(positives × negatives) per swapped pair; allowed: two such pairs)
      const here = await local.importanceRepeats!(job, x, 0, 5);
      expect(here.baselines).toEqual(reference.baselines);
      const pos = job.y.reduce((a, v) => a + v, 0);
      expect(maxDifference(here.values, reference.values)).toBeLessThanOrEqual(2 / (pos * (job.n - pos)) + 1e-12);
      const progress: number[] = [];
      const pooled = await pool.importanceRepeats!(job, x, 0, 5, (done) => progress.push(done));
      expect(pooled).toEqual(here);
      expect(progress[progress.length - 1]).toBe(5 * features.length);
      expect(await local.importanceRepeats!(job, x, 1, 4)).toEqual({ baselines: here.baselines.slice(1, 4), values: here.values.map((v) => v.slice(1, 4)) });
    } finally {
      await pool.dispose();
      loaded.dispose();
    }
  });

  it("permutation importance on an ONNX model in the pool (rows in shared memory, which onnxruntime refuses as tensor data) equals this thread", async () => {
    const { loaded, modelFiles, x, job } = await importanceCase("audits/examples/adult-gbm/models/v1-onnx", sharedDataset("adult-test.csv"), "income", (v) => String(v).startsWith(">50K"), 3000, { repeats: 2, seed: 5 });
    const pool = await createWorkerExecutor({ files: modelFiles, backend: "wasm", threads: 2 });
    try {
      const reference = await permutationRepeats({ ...job, executor: { ...createLocalExecutor(loaded, "wasm"), importanceRepeats: undefined }, encode: () => x }, 0, 2);
      expect(reference.values.some((v) => v[0]! > 0.001)).toBe(true);
      expect(await pool.importanceRepeats!(job, x, 0, 2)).toEqual(reference);
    } finally {
      await pool.dispose();
      loaded.dispose();
    }
  });

  it("runs attacks with the same results as this thread, whatever the chunking", async () => {
    await initBackend("wasm");
    const { loaded, modelFiles } = await loadModelDir(path.join(ROOT, "audits/examples/cps-wages/models/v1"));
    const { table } = await loadDatasetFile(path.join(ROOT, "audits/examples/cps-wages/cps-wages-1985.csv"));
    const encoder = createEncoder(table, loaded.manifest);
    const { space } = buildAttackSpace(table, loaded.manifest, encoder, { sensitive: ["gender", "race"], immutable: [], categorical: "free" });
    const n = table.rows;
    const x = encoder.encodeRange(0, n);
    const decision = Uint8Array.from(await createLocalExecutor(loaded, "wasm").predict(x, n), (v) => (v >= 0.5 ? 1 : 0));
    const job = {
      space,
      config: { attack: "pgd" as const, norm: "linf" as const, epsilons: [0.1, 0.5], steps: 10, restarts: 2, seed: 3, threshold: 0.5, tolerance: 1e-3, queries: 200 },
      x,
      rows: n,
      rowIds: Int32Array.from({ length: n }, (_, i) => i),
      decision,
    };
    const pool = await createWorkerExecutor({ files: modelFiles, backend: "wasm", threads: 2 });
    try {
      const seen: number[] = [];
      const a = await pool.attack(job, (done) => seen.push(done));
      const b = await createLocalExecutor(loaded, "wasm").attack(job);
      expect(Array.from(a.minEpsilon)).toEqual(Array.from(b.minEpsilon));
      expect(Array.from(a.flipped)).toEqual(Array.from(b.flipped));
      expect(Array.from(a.points)).toEqual(Array.from(b.points));
      expect(a.flipped.some((f) => f === 1)).toBe(true);
      expect(seen[seen.length - 1]).toBe(n);
    } finally {
      await pool.dispose();
      loaded.dispose();
    }
  });
});

describe("the permutation-importance helper thread (a small job on the calling thread)", () => {
  it("draws the permutations and scores there: the numbers of this thread's own path (weighted roc_auc, accuracy, log_loss)", async () => {
    const { loaded, x, job, features } = await cps();
    const helper = startImportanceHelper()!;
    expect(helper).not.toBeNull();
    let runs = 0;
    const counted: SideScorer = { run: (...a) => (runs++, helper.run(...a)) };
    try {
      const r = createRng(4);
      const w = Float64Array.from({ length: job.n }, () => 0.5 + r.next());
      for (const variant of [{ ...job, w }, { ...job, scoring: "accuracy" as const }, { ...job, scoring: "log_loss" as const, threshold: 0.3 }]) {
        // the reference: the same path all on this thread
        const reference = await createLocalExecutor(loaded, "wasm").importanceRepeats!(variant, x, 0, 4);
        expect(reference.values.some((v) => v.some((e) => Math.abs(e) > 1e-3))).toBe(true);
        const progress: number[] = [];
        const before = runs;
        const got = await createLocalExecutor(loaded, "wasm", counted).importanceRepeats!(variant, x, 0, 4, (done) => progress.push(done));
        expect(runs).toBe(before + 1);
        expect(got).toEqual(reference);
        expect(progress).toEqual(Array.from({ length: 4 * features.length }, (_, k) => k + 1));
      }
      // repeats from the middle of a run: the streams of those repeats
      const reference = await createLocalExecutor(loaded, "wasm").importanceRepeats!(job, x, 0, 4);
      expect(await createLocalExecutor(loaded, "wasm", counted).importanceRepeats!(job, x, 2, 4)).toEqual({ baselines: reference.baselines.slice(2), values: reference.values.map((v) => v.slice(2)) });
    } finally {
      await helper.dispose();
      loaded.dispose();
    }
  });

  it("a helper that cannot start or dies during a run: the run finishes on this thread with the same numbers", async () => {
    const { loaded, x, job } = await cps();
    const reference = await createLocalExecutor(loaded, "wasm").importanceRepeats!(job, x, 0, 4);
    const missing = startImportanceHelper(path.join(ROOT, "lib/compute/no-such-worker.js"));
    const dying = startImportanceHelper()!;
    let calls = 0;
    // the second model call ends the helper thread (its permutations were already handed out)
    const killing: SideScorer = {
      run: (plan, y, w, baseline, permuted, onScored) =>
        dying.run(plan, y, w, baseline, async (js, perms) => {
          if (++calls === 2) await dying.dispose();
          return permuted(js, perms);
        }, onScored),
    };
    try {
      expect(missing).not.toBeNull(); // the thread starts; its file fails to load there
      expect(await createLocalExecutor(loaded, "wasm", missing!).importanceRepeats!(job, x, 0, 4)).toEqual(reference);
      expect(await createLocalExecutor(loaded, "wasm", killing).importanceRepeats!(job, x, 0, 4)).toEqual(reference);
      expect(calls).toBeGreaterThanOrEqual(2);
      await expect(dying.run({ seed: 1, r0: 0, r1: 1, size: 4, features: 1, group: 1, scoring: "roc_auc", threshold: 0.5 }, new Uint8Array(4), null, new Float64Array(4), async () => new Float64Array(4), () => {})).rejects.toBeInstanceOf(SideScorerUnavailable);
    } finally {
      await missing?.dispose();
      loaded.dispose();
    }
  });

  it("the model's own error fails the run (not retried), and the helper serves the next run", async () => {
    const { loaded, x, job } = await cps();
    const helper = startImportanceHelper()!;
    let calls = 0;
    const failing: SideScorer = {
      run: (plan, y, w, baseline, permuted, onScored) =>
        helper.run(plan, y, w, baseline, async (js, perms) => {
          if (++calls === 3) throw new Error("the model failed");
          return permuted(js, perms);
        }, onScored),
    };
    try {
      await expect(createLocalExecutor(loaded, "wasm", failing).importanceRepeats!(job, x, 0, 4)).rejects.toThrow("the model failed");
      expect(calls).toBe(3);
      const reference = await createLocalExecutor(loaded, "wasm").importanceRepeats!(job, x, 0, 4);
      expect(await createLocalExecutor(loaded, "wasm", helper).importanceRepeats!(job, x, 0, 4)).toEqual(reference);
    } finally {
      await helper.dispose();
      loaded.dispose();
    }
  });
});

/** The CPS rows and features with another network on the same inputs (seeded weights ~ N(0, 0.5²)). */
async function cpsWith(layers: Array<{ units: number; activation: "relu" | "linear" | "tanh" | "sigmoid" }>, output: "probability" | "logit") {
  const c = await cps();
  const d = c.loaded.inputWidth;
  const r = createRng(layers.length * 7 + layers[0]!.units);
  const net = tf.sequential({ layers: layers.map((l, k) => tf.layers.dense({ ...(k === 0 ? { inputShape: [d] } : {}), units: l.units, activation: l.activation })) });
  net.setWeights(net.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => 0.5 * r.normal()), w.shape)));
  const manifest = { ...c.loaded.manifest, output: { type: output } };
  const loaded = await loadModel(artefacts(await serialize(net), manifest));
  net.dispose();
  c.loaded.dispose();
  return { ...c, loaded };
}

describe("permuted copies of a model that starts with a dense layer", () => {
  it.each([
    ["the CPS demo model (16 relu → sigmoid)", "shallow", null],
    ["24 linear → linear unit read as a logit", "shallow", [{ units: 24, activation: "linear" }, { units: 1, activation: "linear" }]],
    ["16 tanh → sigmoid", "factored", [{ units: 16, activation: "tanh" }, { units: 1, activation: "sigmoid" }]],
    ["two hidden layers (12 relu, 8 relu) → sigmoid", "factored", [{ units: 12, activation: "relu" }, { units: 8, activation: "relu" }, { units: 1, activation: "sigmoid" }]],
  ] as const)("%s, the %s path: the rows' first-layer pre-activation plus ΔX_B·W_B gives the whole forward pass's probabilities within float32 rounding, one-hot blocks included; nothing left on the backend", async (_, kind, layers) => {
    const { loaded, x, job, features } = layers ? await cpsWith([...layers], layers[layers.length - 1]!.activation === "linear" ? "logit" : "probability") : await cps();
    const n = job.n;
    const d = loaded.inputWidth;
    expect(features.some((f) => f.blocks.reduce((a, [, w]) => a + w, 0) > 1)).toBe(true); // a categorical block
    const r = createRng(21);
    const js = features.map((_, j) => j);
    const perms = js.map(() => r.shuffle(Int32Array.from({ length: n }, (_, i) => i)));
    // the reference: each permuted copy built in full and run through the whole model
    const whole = new Float32Array(js.length * n);
    for (const j of js) {
      const copy = x.slice();
      for (const [off, width] of features[j]!.blocks) for (let i = 0; i < n; i++) for (let t = 0; t < width; t++) copy[i * d + off + t] = x[perms[j]![i]! * d + off + t]!;
      whole.set(await loaded.predictFloat32!(copy, n), j * n);
    }
    const before = tf.memory().numTensors;
    const factored = createPermutedScorer(loaded, x, n, features);
    const copies = createPermutedScorer(loaded, x, n, features, 0); // over the size limit: copies
    try {
      expect(factored.kind).toBe(kind);
      expect(copies.kind).toBe("copies");
      const got = [...(await factored.score(js.slice(0, 3), perms.slice(0, 3))), ...(await factored.score(js.slice(3), perms.slice(3)))];
      let worst = 0;
      let moved = 0;
      for (let k = 0; k < whole.length; k++) {
        worst = Math.max(worst, Math.abs(got[k]! - whole[k]!));
        if (Math.abs(whole[k]! - whole[k % n]!) > 1e-3) moved++;
      }
      expect(worst).toBeLessThan(1e-6);
      expect(moved).toBeGreaterThan(n); // the permutations change the probabilities
      expect(Array.from(await copies.score(js, perms))).toEqual(Array.from(whole)); // the copies are the whole pass
    } finally {
      factored.dispose();
      copies.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    loaded.dispose();
  });
});
