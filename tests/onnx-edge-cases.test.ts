// ONNX models built in the test (tests/helpers/onnx-builder.ts): what Assay says when a graph does
// not fit its manifest, ZipMap outputs, graphs it cannot differentiate, and PGD through a graph
// rebuilt as TensorFlow.js against the closed form of a logistic regression.

import { initBackend } from "../lib/engine/backend";
import { loadTable } from "../lib/engine/data/table";
import { createEncoder } from "../lib/engine/model/encode";
import { assertAnalysesFit } from "../lib/engine/model/capabilities";
import { loadModel } from "../lib/engine/model/load";
import type { TModelManifestInput } from "../lib/engine/model/manifest";
import { runAttack, type AttackConfig } from "../lib/engine/robustness/attack";
import { buildAttackSpace } from "../lib/engine/robustness/space";
import { createRng } from "../lib/engine/random";
import { createLocalExecutor } from "../lib/engine/executor";
import { kernelShap } from "../lib/engine/shap/kernel-shap";
import { validateSpec } from "../lib/spec/parse";
import { ONNX_DTYPE } from "../lib/engine/model/onnx/proto";
import { logisticOnnx } from "./helpers/onnx-builder";
import { bruteForceShapley, interventionalValue } from "./helpers/shapley";

const W = [0.8, -1.2, 0.5, 2.0];
const B = 0.1;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function manifest(extra: Partial<Record<string, unknown>> = {}): TModelManifestInput {
  return {
    format: "onnx",
    file: "model.onnx",
    task: "binary_classification",
    input: { mode: "tensor" },
    output: { type: "probability" },
    features: W.map((_, j) => ({ name: `x${j}`, column: `x${j}`, type: "numeric" as const })),
    ...extra,
  } as TModelManifestInput;
}

function load(bytes: Uint8Array, m: unknown) {
  return loadModel({ manifest: m, label: "m", readFile: async () => bytes });
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("graphs that do not fit the manifest are refused, naming what differs", () => {
  it("an input name the graph does not have", async () => {
    await expect(load(logisticOnnx(W, B), manifest({ input: { mode: "tensor", name: "features" } }))).rejects.toThrow(/no input "features"; its inputs are "x" tensor\(float\)\[N,4\]/);
  });
  it("a width that differs from the encoded features", async () => {
    await expect(load(logisticOnnx(W, B, { declaredWidth: 5 }), manifest())).rejects.toThrow(/input "x" has shape \[N, 5\] but the manifest encodes 4 inputs .*expected \[n, 4\]/);
  });
  it("a text input in tensor mode", async () => {
    await expect(load(logisticOnnx(W, B, { inputType: ONNX_DTYPE.STRING }), manifest())).rejects.toThrow(/input "x" is tensor\(string\)\[N,4\]; tensor mode feeds a float tensor \[n, 4\]/);
  });
  it("two graph inputs in tensor mode without a name", async () => {
    await expect(load(logisticOnnx(W, B, { secondInput: "extra" }), manifest())).rejects.toThrow(/the graph has 2 inputs .*name it .*or use input: \{ mode: "columns" \}/);
  });
  it("columns mode: every feature without an input and every input without a feature, in one message", async () => {
    const err = await load(logisticOnnx(W, B, { secondInput: "extra" }), manifest({ input: { mode: "columns" } })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    for (const j of [0, 1, 2, 3]) expect(msg).toContain(`feature "x${j}" has no graph input of that name`);
    expect(msg).toContain('graph input "x" (tensor(float)[N,4]) is not a feature of the manifest');
    expect(msg).toContain('graph input "extra"');
  });
  it("an output the graph does not have, and a ZipMap class that does not exist", async () => {
    await expect(load(logisticOnnx(W, B), manifest({ output: { type: "probability", name: "prob" } }))).rejects.toThrow(/no output "prob"; its outputs are "p" tensor\(float\)\[N,1\]/);
    await expect(load(logisticOnnx(W, B, { zipmap: { labels: ["no", "yes"] } }), manifest({ output: { type: "zipmap", positiveLabel: "1" } }))).rejects.toThrow(
      /positiveLabel "1" is not a class of the ZipMap; its classes are "no", "yes"/,
    );
  });
  it("bytes that are not an ONNX model", async () => {
    await expect(load(new TextEncoder().encode("definitely not protobuf \u0000\u00ff"), manifest())).rejects.toThrow(/m\/model\.onnx.*not an ONNX model/);
  });
});

describe("scoring", () => {
  const rows = 64;
  const rng = createRng(3);
  const x = Float32Array.from({ length: rows * 4 }, () => rng.normal());
  const closed = Array.from({ length: rows }, (_, i) => sigmoid(W.reduce((s, w, j) => s + w * x[i * 4 + j]!, B)));

  it("a ZipMap output (sequence of maps) is read by its class label, like the closed form (1e-6)", async () => {
    const m = await load(logisticOnnx(W, B, { zipmap: { labels: ["no", "yes"] } }), manifest({ output: { type: "zipmap", positiveLabel: "yes" } }));
    const p = await m.predict(x, rows);
    for (let i = 0; i < rows; i++) expect(Math.abs(p[i]! - closed[i]!)).toBeLessThan(1e-6);
    expect(m.outputDescription).toMatch(/ZipMap "output_probability" class "yes"/);
    m.dispose();
  });

  it("a graph with an operator TensorFlow.js rebuilding lacks still scores, but has no gradients; PGD and TreeSHAP are refused by name", async () => {
    const m = await load(logisticOnnx(W, B, { extraOp: "Erf" }), manifest());
    const p = await m.predict(x, rows);
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(m.graph).toBeNull();
    expect(m.gradients).toMatchObject({ kind: "none", reason: expect.stringMatching(/Erf/) });
    const spec = (analyses: object) =>
      validateSpec({ name: "t", dataset: { path: "d.csv", label: "y", positive: "1" }, model: { path: "m" }, sensitive: ["g"], analyses });
    expect(() => assertAnalysesFit(spec({ robustness: { attack: "pgd" } }), m)).toThrow(/attack "pgd" needs the model's gradients.*Erf.*attacks that work on it: random, boundary/);
    expect(() => assertAnalysesFit(spec({ robustness: { attack: "boundary" } }), m)).not.toThrow();
    expect(() => assertAnalysesFit(spec({ shap: { method: "tree" } }), m)).toThrow(/method: tree needs a tree ensemble/);
    m.dispose();
  });
});

describe("KernelSHAP through onnxruntime (inputs built by selection, not tensor masking)", () => {
  it("exact mode equals brute-force Shapley values of the probability game (1e-6), also on the worker-free executor", async () => {
    const m = await load(logisticOnnx(W, B), manifest());
    const rng = createRng(21);
    const nb = 7;
    const rows = 3;
    const bg = Float32Array.from({ length: nb * 4 }, () => rng.normal());
    const x = Float32Array.from({ length: rows * 4 }, () => rng.normal());
    const players = W.map((_, j) => ({ name: `x${j}`, blocks: [[j, 1] as const] }));
    const res = await kernelShap({ executor: createLocalExecutor(m, "wasm"), players, width: 4, x, rows, background: bg, backgroundWeights: new Array(nb).fill(1 / nb), link: "identity", samples: "exact", sampling: "kernel", seed: 0 });
    const f = (rows: Float32Array) => Array.from({ length: nb }, (_, b) => sigmoid(W.reduce((s, w, j) => s + w * rows[b * 4 + j]!, B)));
    for (let r = 0; r < rows; r++) {
      const brute = bruteForceShapley(4, interventionalValue(x.slice(r * 4, (r + 1) * 4), bg, nb, 4, Int32Array.of(0, 1, 2, 3), f));
      for (let i = 0; i < 4; i++) expect(Math.abs(res.rows[r]!.phi[i]! - brute[i]!)).toBeLessThan(1e-6);
    }
    m.dispose();
  });
});

describe("PGD through an ONNX graph rebuilt as TensorFlow.js", () => {
  it("finds the closed-form minimal ε of a logistic regression (within 1%)", async () => {
    const n = 400;
    const rng = createRng(11);
    const lines = ["x0,x1,x2,x3"];
    for (let i = 0; i < n; i++) lines.push([0, 1, 2, 3].map(() => (rng.normal() * 2).toFixed(4)).join(","));
    const table = await loadTable([new TextEncoder().encode(lines.join("\n"))], { fileName: "t.csv" });
    const m = await load(logisticOnnx(W, B), manifest());
    expect(m.gradients.kind).toBe("onnx-graph");
    const enc = createEncoder(table, m.manifest);
    const { space } = buildAttackSpace(table, m.manifest, enc, { sensitive: [], immutable: [], categorical: "frozen" });
    const x = enc.encodeRange(0, n);
    const p = await m.predict(x, n);
    const decision = Uint8Array.from(p, (v) => (v >= 0.5 ? 1 : 0));
    const config: AttackConfig = { attack: "pgd", norm: "linf", epsilons: [0.05, 0.1, 0.25, 0.5], steps: 20, restarts: 1, seed: 0, threshold: 0.5, tolerance: 1e-3, queries: 200 };
    const res = await runAttack(m, { space, config, x, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision });
    const sumWk = W.reduce((s, w, j) => s + Math.abs(w) * space.scale[j]!, 0);
    let checked = 0;
    for (let i = 0; i < n; i++) {
      const z = W.reduce((s, w, j) => s + w * x[i * 4 + j]!, B);
      const exact = Math.abs(z) / sumWk;
      const inside = [0, 1, 2, 3].every((j) => x[i * 4 + j]! - 0.5 * space.scale[j]! > space.lo[j]! && x[i * 4 + j]! + 0.5 * space.scale[j]! < space.hi[j]!);
      if (!inside || exact > 0.49 || exact < 0.01) continue;
      checked++;
      expect(Math.abs(res.minEpsilon[i]! - exact) / exact).toBeLessThan(0.01 + 1e-3 / exact);
    }
    expect(checked).toBeGreaterThan(50);
    m.dispose();
  });
});
