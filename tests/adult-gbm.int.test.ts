// The Adult GBM demo (audits/examples/adult-gbm): XGBoost models trained in Python, audited from
// their XGBoost JSON and from their ONNX export. Our tree evaluator and onnxruntime must equal
// XGBoost's own predict_proba (expected.json, written by scripts/models/train_adult_gbm.py) to
// 1e-6; TreeSHAP on the real model (one-hot blocks as one player each) must equal brute force to
// 1e-9; the two formats must give the same audit; gradient attacks are refused with exit code 2.

import fs from "node:fs";
import path from "node:path";
import { initBackend } from "../lib/engine/backend";
import { loadTable } from "../lib/engine/data/table";
import { createEncoder } from "../lib/engine/model/encode";
import { ensembleMargins } from "../lib/engine/trees/ensemble";
import { createTreeShapExplainer } from "../lib/engine/trees/tree-shap";
import { loadModelDir } from "../lib/io/model-dir";
import { readSpecFile } from "../lib/io/spec-file";
import { runAuditSpec } from "../lib/services/run-audit";
import type { Report } from "../lib/report/types";
import { ROOT, sharedDataset } from "./helpers/shared";
import { runCli, tempDir, writeSpec } from "./helpers/cli";
import { bruteForceShapley, interventionalValue } from "./helpers/shapley";

const DEMO = path.join(ROOT, "audits/examples/adult-gbm");
const expected = JSON.parse(fs.readFileSync(path.join(DEMO, "expected.json"), "utf8")) as Record<"v1" | "v2", { probability: number[] }> & { firstRows: number };

beforeAll(async () => {
  await initBackend("wasm");
});

describe("Adult GBM demo models", () => {
  it.each([
    ["v1", "v1"],
    ["v2", "v2"],
    ["v1-onnx", "v1"],
    ["v2-onnx", "v2"],
  ] as const)("models/%s scores the first 200 test rows like XGBoost's predict_proba (1e-6)", async (dir, version) => {
    const { loaded } = await loadModelDir(path.join(DEMO, "models", dir), dir);
    const table = await loadTable(fs.createReadStream(sharedDataset("adult-test.csv")), { fileName: "adult-test.csv", takeRows: expected.firstRows });
    const x = createEncoder(table, loaded.manifest).encodeRange(0, table.rows);
    const p = await loaded.predict(x, table.rows);
    const want = expected[version].probability;
    expect(want).toHaveLength(200);
    for (let i = 0; i < 200; i++) expect(Math.abs(p[i]! - want[i]!)).toBeLessThan(1e-6);
    expect(loaded.trees).not.toBeNull();
    loaded.dispose();
  });

  it("TreeSHAP with one-hot blocks as players equals brute force over the 11 columns (1e-9)", async () => {
    const { loaded } = await loadModelDir(path.join(DEMO, "models", "v1"), "v1");
    const table = await loadTable(fs.createReadStream(sharedDataset("adult-test.csv")), { fileName: "adult-test.csv", takeRows: 60 });
    const enc = createEncoder(table, loaded.manifest);
    const d = enc.width;
    const columns = [...enc.columnBlocks.keys()];
    const M = columns.length;
    const playerOf = new Int32Array(d);
    columns.forEach((c, j) => enc.columnBlocks.get(c)!.forEach(([off, w]) => playerOf.fill(j, off, off + w)));
    const nb = 40;
    const bg = enc.encodeRange(0, nb);
    const w = new Float64Array(nb).fill(1 / nb);
    const ex = createTreeShapExplainer(loaded.trees!, { x: bg, rows: nb, weights: w }, playerOf, M, d);
    const x = enc.encodeRange(50, 51);
    const { phi } = ex.explain(x, 1);
    const brute = bruteForceShapley(M, interventionalValue(x, bg, nb, d, playerOf, (h) => ensembleMargins(loaded.trees!, h, nb, d)));
    let nonzero = 0;
    for (let i = 0; i < M; i++) {
      expect(Math.abs(phi[i]! - brute[i]!)).toBeLessThan(1e-9);
      if (Math.abs(brute[i]!) > 1e-3) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(4);
    loaded.dispose();
  });
});

describe("Adult GBM demo audits", () => {
  let json: Report;
  let onnx: Report;
  beforeAll(async () => {
    for (const [name, set] of [
      ["v1.audit.yaml", (r: Report) => (json = r)],
      ["v1-onnx.audit.yaml", (r: Report) => (onnx = r)],
    ] as const) {
      const { spec, baseDir } = readSpecFile(path.join(DEMO, name));
      // the shared datasets may not sit beside this checkout: use wherever they are
      set(await runAuditSpec({ spec: { ...spec, dataset: { ...spec.dataset, path: sharedDataset("adult-test.csv") } }, baseDir }));
    }
  });

  it("runs exact TreeSHAP and the boundary attack, and says so", () => {
    for (const r of [json, onnx]) {
      const shap = r.sections.shap!;
      expect(shap.method).toBe("tree");
      expect(shap.units).toBe("log-odds");
      expect(shap.trees).toMatchObject({ count: 100, maxDepth: 5 });
      expect(shap.rows).toHaveLength(500);
      expect(shap.maxAdditivityError).toBeLessThan(1e-9);
      const rob = r.sections.robustness!;
      expect(rob.attack).toBe("boundary");
      expect(rob.upperBound).toBe(true);
      expect(rob.queries).toBe(300);
      expect(rob.predictions).toBeLessThanOrEqual(rob.rows * 301);
      expect(rob.fragile.length).toBeGreaterThan(0);
      for (const f of rob.fragile) expect(f.adversarialScore >= 0.5).not.toBe(f.score >= 0.5);
      expect(r.definitions).toBe(2);
    }
    expect(json.model).toMatchObject({ kind: "xgboost-json", trees: { count: 100, units: "log-odds" }, gradients: expect.stringMatching(/^none/) });
    expect(onnx.model).toMatchObject({ kind: "onnx", runtime: expect.stringMatching(/^onnxruntime-node /), output: 'softmax "probabilities"[:, 1]' });
  });

  it("gives the same numbers from the XGBoost JSON and from its ONNX export", () => {
    const a = json.sections;
    const b = onnx.sections;
    expect(Math.abs(a.performance!.metrics.roc_auc!.value! - b.performance!.metrics.roc_auc!.value!)).toBeLessThan(1e-6);
    let maxPhi = 0;
    a.shap!.rows.forEach((r, i) => r.phi.forEach((p, j) => (maxPhi = Math.max(maxPhi, Math.abs(p - b.shap!.rows[i]!.phi[j]!)))));
    expect(maxPhi).toBeLessThan(1e-6);
    expect(b.robustness!.overall.map((o) => o.flipRate)).toEqual(a.robustness!.overall.map((o) => o.flipRate));
    expect(json.passed).toBe(onnx.passed);
  });

  it("refuses PGD on a tree ensemble with exit code 2, naming the attacks that work", () => {
    const dir = tempDir();
    const spec = fs
      .readFileSync(path.join(DEMO, "v1.audit.yaml"), "utf8")
      .replace("path: ../../../../shared/datasets/adult-test.csv", `path: ${sharedDataset("adult-test.csv")}`)
      .replace("path: models/v1,", `path: ${path.join(DEMO, "models/v1")},`)
      .replace("attack: boundary", "attack: pgd");
    const r = runCli(["audit", writeSpec(dir, spec), "--quiet", "--out", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/attack "pgd" needs the model's gradients, and this XGBoost JSON model has none .*attacks that work on it: random, boundary/);
  });
});
