// ONNX and XGBoost JSON models against the Python libraries that trained them: the fixtures in
// tests/fixtures/models were written by scripts/models/make_fixtures.py with XGBoost's
// predict_proba, scikit-learn's predict_proba and PyTorch's forward pass as expected values.
// Tolerances: 1e-6 on probabilities (float32 inputs and thresholds; sums in float64 here, float32
// in the libraries); TreeSHAP against brute force on the real models: 1e-9.

import fs from "node:fs";
import path from "node:path";
import { initBackend } from "../lib/engine/backend";
import { loadTable } from "../lib/engine/data/table";
import { createEncoder } from "../lib/engine/model/encode";
import type { AuditModel } from "../lib/engine/model/model";
import { ensembleMargins } from "../lib/engine/trees/ensemble";
import { createTreeShapExplainer } from "../lib/engine/trees/tree-shap";
import { loadModelDir } from "../lib/io/model-dir";
import { runAttack, type AttackConfig } from "../lib/engine/robustness/attack";
import { buildAttackSpace } from "../lib/engine/robustness/space";
import { bruteForceShapley, interventionalValue } from "./helpers/shapley";

const FIXTURES = path.join(__dirname, "fixtures/models");

interface Fixture {
  model: AuditModel;
  x: Float32Array;
  rows: number;
  expected: number[];
}

async function fixture(name: string): Promise<Fixture> {
  const dir = path.join(FIXTURES, name);
  const { loaded } = await loadModelDir(dir, name);
  const table = await loadTable([fs.readFileSync(path.join(dir, "data.csv"))], { fileName: "data.csv" });
  const enc = createEncoder(table, loaded.manifest);
  const expected = (JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as { probability: number[] }).probability;
  expect(expected).toHaveLength(table.rows);
  return { model: loaded, x: enc.encodeRange(0, table.rows), rows: table.rows, expected };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe.each([
  ["xgb-small", "xgboost-json", "XGBoost predict_proba, NaN inputs and values on thresholds"],
  ["xgb-dart", "xgboost-json", "XGBoost DART predict_proba (weight_drop)"],
  ["xgb-small-onnx", "onnx", "the same XGBoost model in onnxmltools' layout"],
  ["sklearn-gbc-zipmap", "onnx", "scikit-learn GradientBoostingClassifier, skl2onnx layout with a ZipMap output"],
  ["sklearn-rf", "onnx", "scikit-learn RandomForestClassifier, skl2onnx layout"],
  ["sklearn-columns", "onnx", "a scikit-learn pipeline with its own encoders, one graph input per column (text categories)"],
  ["torch-mlp", "onnx", "a PyTorch MLP from torch.onnx.export"],
])("%s (%s): %s", (name, format) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(name);
  });
  afterAll(() => f.model.dispose());

  it("scores like the library that trained it (1e-6)", async () => {
    expect(f.model.format).toBe(format);
    const p = await f.model.predict(f.x, f.rows);
    expect(maxDiff(p, f.expected)).toBeLessThan(1e-6);
    expect(f.rows).toBeGreaterThan(40);
  });

  if (name.startsWith("xgb") || name.startsWith("sklearn-gbc") || name === "sklearn-rf") {
    it("reads its trees, which score like the library too, and has no gradients", () => {
      const t = f.model.trees!;
      expect(t).not.toBeNull();
      const m = ensembleMargins(t, f.x, f.rows, f.model.inputWidth);
      const p = Array.from(m, (v) => (t.transform === "logistic" ? 1 / (1 + Math.exp(-v)) : v));
      expect(maxDiff(p, f.expected)).toBeLessThan(1e-6);
      expect(t.units).toBe(name === "sklearn-rf" ? "probability" : "log-odds");
      expect(f.model.graph).toBeNull();
      expect(f.model.gradients.kind).toBe("none");
    });
  }
  if (name === "torch-mlp") {
    it("is rebuilt as TensorFlow.js for gradients, within 1e-5 of onnxruntime", () => {
      expect(f.model.trees).toBeNull();
      expect(f.model.graph).not.toBeNull();
      expect(f.model.gradients).toMatchObject({ kind: "onnx-graph" });
      expect((f.model.gradients as { maxDifference: number }).maxDifference).toBeLessThan(1e-5);
    });
  }
  if (name === "sklearn-columns") {
    it("has neither trees nor gradients (its encoders are not differentiable)", () => {
      expect(f.model.trees).toBeNull();
      expect(f.model.graph).toBeNull();
      expect(f.model.gradients).toMatchObject({ kind: "none", reason: expect.stringMatching(/columns-mode/) });
    });
  }
});

describe("the boundary attack on a real tree model with missing values", () => {
  it("flips rows through their other inputs, leaves missing inputs missing, and every reported point flips", async () => {
    const dir = path.join(FIXTURES, "xgb-small");
    const { loaded } = await loadModelDir(dir, "xgb-small");
    const table = await loadTable([fs.readFileSync(path.join(dir, "data.csv"))], { fileName: "data.csv" });
    const enc = createEncoder(table, loaded.manifest);
    const { space } = buildAttackSpace(table, loaded.manifest, enc, { sensitive: [], immutable: [], categorical: "frozen" });
    const n = table.rows;
    const d = enc.width;
    const x = enc.encodeRange(0, n);
    const p = await loaded.predict(x, n);
    const decision = Uint8Array.from(p, (v) => (v >= 0.5 ? 1 : 0));
    const config: AttackConfig = { attack: "boundary", norm: "linf", epsilons: [0.1, 0.5, 1], steps: 1, restarts: 1, seed: 3, threshold: 0.5, tolerance: 1e-3, queries: 300 };
    const res = await runAttack(loaded, { space, config, x, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision });
    const rescored = await loaded.predict(res.points, n);
    let flippedWithNaN = 0;
    let flipped = 0;
    for (let i = 0; i < n; i++) {
      const hasNaN = Array.from(x.subarray(i * d, (i + 1) * d)).some((v) => v !== v);
      for (let j = 0; j < d; j++) if (x[i * d + j] !== x[i * d + j]) expect(res.points[i * d + j]).toBeNaN();
      if (!Number.isFinite(res.minEpsilon[i]!)) continue;
      flipped++;
      if (hasNaN) flippedWithNaN++;
      expect(rescored[i]! >= 0.5 ? 1 : 0).not.toBe(decision[i]);
      // within its reported ε (L∞ in standard units, over the inputs that moved)
      for (let j = 0; j < d; j++) {
        const moved = Math.abs(res.points[i * d + j]! - x[i * d + j]!);
        if (moved === moved) expect(moved / space.scale[j]!).toBeLessThanOrEqual(res.minEpsilon[i]! + 1e-6);
      }
    }
    expect(flipped).toBeGreaterThan(10);
    expect(flippedWithNaN).toBeGreaterThan(0);
    loaded.dispose();
  });
});

describe("TreeSHAP on real tree models", () => {
  it.each(["xgb-small", "sklearn-gbc-zipmap", "sklearn-rf"])("%s: equals brute-force Shapley values of the interventional game (1e-9)", async (name) => {
    const f = await fixture(name);
    const t = f.model.trees!;
    const d = f.model.inputWidth;
    const M = d; // numeric features: one player per input
    const nb = 12;
    const bg = f.x.slice(0, nb * d);
    const w = new Float64Array(nb).fill(1 / nb);
    const ex = createTreeShapExplainer(t, { x: bg, rows: nb, weights: w }, Int32Array.from({ length: d }, (_, j) => j), M, d);
    let checked = 0;
    for (let r = nb; r < nb + 6; r++) {
      const x = f.x.slice(r * d, (r + 1) * d);
      const { phi, margins } = ex.explain(x, 1);
      // v(S) for every coalition by evaluating hybrid rows with the model's own trees
      const value = interventionalValue(x, bg, nb, d, Int32Array.from({ length: d }, (_, j) => j), (h) => ensembleMargins(t, h, nb, d));
      const brute = bruteForceShapley(M, value);
      for (let i = 0; i < M; i++) {
        expect(Math.abs(phi[i]! - brute[i]!)).toBeLessThan(1e-9);
        checked++;
      }
      expect(Math.abs(phi.reduce((a, b) => a + b, 0) - (margins[0]! - value(0)))).toBeLessThan(1e-9);
    }
    expect(checked).toBe(6 * M);
    f.model.dispose();
  });

  it("the XGBoost JSON and its ONNX export give the same TreeSHAP values (two independent readers; 1e-6)", async () => {
    const a = await fixture("xgb-small");
    const b = await fixture("xgb-small-onnx");
    const d = a.model.inputWidth;
    const players = Int32Array.from({ length: d }, (_, j) => j);
    const bg = { x: a.x.slice(0, 20 * d), rows: 20, weights: new Float64Array(20).fill(1 / 20) };
    const pa = createTreeShapExplainer(a.model.trees!, bg, players, d, d).explain(a.x, a.rows);
    const pb = createTreeShapExplainer(b.model.trees!, bg, players, d, d).explain(b.x, b.rows);
    expect(maxDiff(pa.phi, pb.phi)).toBeLessThan(1e-6);
    expect(maxDiff(pa.margins, pb.margins)).toBeLessThan(1e-6);
    // a feature no tree splits on gets exactly 0 (x4 is split on: sanity that this is not vacuous)
    const used = new Set(a.model.trees!.trees.flatMap((t) => Array.from(t.feature).filter((k) => k >= 0)));
    for (let j = 0; j < d; j++) if (!used.has(j)) for (let r = 0; r < a.rows; r++) expect(pa.phi[r * d + j]).toBe(0);
    a.model.dispose();
    b.model.dispose();
  });
});
