// The CLI on UCI Adult with a TF.js logistic regression trained here, checked against an
// independent computation: a naive CSV split, hand-written encoding, float64 scoring with the
// trained weights, and per-group counting by filtering.

import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/engine/backend";
import type { TModelManifest } from "../lib/engine/model/manifest";
import type { Report } from "../lib/report/types";
import { runCli, tempDir, writeSpec } from "./helpers/cli";
import { sharedDataset } from "./helpers/shared";
import { serialize, writeModelDir } from "./helpers/tfjs-models";

const ADULT = sharedDataset("adult.csv");
const NUMERIC = ["age", "education_num", "hours_per_week", "capital_gain"] as const;
const SEX = ["Female", "Male"];
const MARITAL = ["Divorced", "Married-AF-spouse", "Married-civ-spouse", "Married-spouse-absent", "Never-married", "Separated", "Widowed"];

interface Row {
  [k: string]: string;
}

function naiveRows(): Row[] {
  const lines = fs.readFileSync(ADULT, "utf8").split("\r\n").filter((l) => l.length > 0);
  const header = lines[0]!.split(",");
  return lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i]!, v])));
}

describe("assay audit on Adult with a model trained in the test", () => {
  const rows = naiveRows();
  const dir = tempDir();
  let manifest: TModelManifest;
  let weights: Float32Array;
  let bias: number;
  let report: Report;
  let weighted: Report;
  let code: number;

  const encodeRow = (r: Row): number[] => [
    ...NUMERIC.map((c) => {
      const f = manifest.features.find((x) => x.name === c) as { mean: number; std: number };
      return (Number(r[c]) - f.mean) / f.std;
    }),
    ...SEX.map((s) => (r.sex === s ? 1 : 0)),
    ...MARITAL.map((s) => (r.marital_status === s ? 1 : 0)),
  ];

  beforeAll(async () => {
    expect(rows).toHaveLength(32561);
    await initBackend("wasm");
    const stats = NUMERIC.map((c) => {
      const xs = rows.map((r) => Number(r[c]));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { name: c, column: c, type: "numeric" as const, mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
    });
    manifest = {
      format: "tfjs-layers",
      task: "binary_classification",
      output: { type: "probability" },
      features: [...stats, { name: "sex", column: "sex", type: "categorical", categories: SEX }, { name: "marital_status", column: "marital_status", type: "categorical", categories: MARITAL }],
    };
    const x = tf.tensor2d(rows.map(encodeRow));
    const y = tf.tensor2d(rows.map((r) => [r.income === ">50K" ? 1 : 0]));
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [13], units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.zeros() })] });
    model.compile({ optimizer: tf.train.adam(0.05), loss: "binaryCrossentropy" });
    await model.fit(x, y, { epochs: 8, batchSize: 1024, shuffle: false, verbose: 0 });
    weights = model.layers[0]!.getWeights()[0]!.dataSync() as Float32Array;
    bias = model.layers[0]!.getWeights()[1]!.dataSync()[0]!;
    writeModelDir(path.join(dir, "model"), await serialize(model), manifest);
    tf.dispose([x, y]);
    model.dispose();

    const spec = (w: string) => `name: Adult logistic regression
dataset: { path: ${JSON.stringify(ADULT)}, label: income, positive: ">50K"${w} }
model: { path: model }
sensitive: [sex, race]
analyses:
  performance: { bootstrap: 200 }
  fairness: { bootstrap: 200, seed: 1 }
policy:
  - { metric: impact_ratio, attribute: sex, min: 0.8 }
`;
    const r1 = runCli(["audit", writeSpec(dir, spec("")), "--out", path.join(dir, "out"), "--quiet"]);
    code = r1.code;
    if (r1.code > 1) throw new Error(r1.stderr);
    report = JSON.parse(fs.readFileSync(path.join(dir, "out", "report.json"), "utf8"));
    const r2 = runCli(["audit", writeSpec(dir, spec(", weight: fnlwgt"), "w.audit.yaml"), "--out", path.join(dir, "outw"), "--quiet"]);
    if (r2.code > 1) throw new Error(r2.stderr);
    weighted = JSON.parse(fs.readFileSync(path.join(dir, "outw", "report.json"), "utf8"));
  });

  /** Independent scores and decisions in float64 from the trained weights. */
  function independent() {
    const p = rows.map((r) => {
      const x = encodeRow(r);
      const z = x.reduce((s, v, i) => s + v * weights[i]!, bias);
      return 1 / (1 + Math.exp(-z));
    });
    return { p, d: p.map((v) => (v >= 0.5 ? 1 : 0)), y: rows.map((r) => (r.income === ">50K" ? 1 : 0)) };
  }

  function counts(attr: (r: Row) => string, w: (r: Row) => number) {
    const { d, y } = independent();
    const out = new Map<string, { tp: number; fp: number; tn: number; fn: number }>();
    rows.forEach((r, i) => {
      const g = attr(r);
      const c = out.get(g) ?? { tp: 0, fp: 0, tn: 0, fn: 0 };
      const k = y[i] ? (d[i] ? "tp" : "fn") : d[i] ? "fp" : "tn";
      c[k] += w(r);
      out.set(g, c);
    });
    return out;
  }

  it("records the wasm backend and the model's file hashes", () => {
    expect(report.engine.backend).toBe("wasm");
    expect(report.model.files!.map((f) => f.name)).toEqual(["assay.model.json", "model.json", "weights.bin"]);
    expect(report.model.files!.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(code === 0 || code === 1).toBe(true);
    expect(code).toBe(report.passed ? 0 : 1);
  });

  it("has no row within 1e-5 of the threshold, so decisions are comparable exactly", () => {
    const { p } = independent();
    expect(p.filter((v) => Math.abs(v - 0.5) < 1e-5)).toHaveLength(0);
  });

  it("matches independently counted confusion cells per sex, race and intersection", () => {
    const check = (attribute: string, attr: (r: Row) => string) => {
      const a = report.sections.fairness!.attributes.find((x) => x.attribute === attribute)!;
      const expected = counts(attr, () => 1);
      expect(a.groups.map((g) => g.group).sort()).toEqual([...expected.keys()].sort());
      for (const g of a.groups) expect(g.confusion).toEqual(expected.get(g.group));
    };
    check("sex", (r) => r.sex!);
    check("race", (r) => r.race!);
    check("sex & race", (r) => `sex=${r.sex} & race=${r.race}`);
  });

  it("matches independent rates and Fairlearn-style aggregates (1e-12)", () => {
    const sex = report.sections.fairness!.attributes.find((x) => x.attribute === "sex")!;
    const c = counts((r) => r.sex!, () => 1);
    const sel = (k: string) => (c.get(k)!.tp + c.get(k)!.fp) / Object.values(c.get(k)!).reduce((a, b) => a + b, 0);
    const tpr = (k: string) => c.get(k)!.tp / (c.get(k)!.tp + c.get(k)!.fn);
    const fpr = (k: string) => c.get(k)!.fp / (c.get(k)!.fp + c.get(k)!.tn);
    expect(sex.aggregates.demographic_parity_difference!.value).toBeCloseTo(Math.abs(sel("Male") - sel("Female")), 12);
    expect(sex.aggregates.demographic_parity_ratio!.value).toBeCloseTo(Math.min(sel("Male"), sel("Female")) / Math.max(sel("Male"), sel("Female")), 12);
    expect(sex.aggregates.equalized_odds_difference!.value).toBeCloseTo(Math.max(Math.abs(tpr("Male") - tpr("Female")), Math.abs(fpr("Male") - fpr("Female"))), 12);
    const female = sex.groups.find((g) => g.group === "Female")!;
    expect(female.impactRatio.value).toBeCloseTo(sel("Female") / sel("Male"), 12);
    expect(report.policy[0]).toMatchObject({ metric: "impact_ratio", value: female.impactRatio.value, pass: female.impactRatio.value! >= 0.8 });
  });

  it("matches an independent rank-based ROC AUC (float32 vs float64 scores: 1e-4)", () => {
    const { p, y } = independent();
    const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const ranks = new Float64Array(p.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    const P = y.filter(Boolean).length;
    const N = y.length - P;
    const rankSum = y.reduce((s: number, v, i) => s + (v ? ranks[i]! : 0), 0);
    const auc = (rankSum - (P * (P + 1)) / 2) / (P * N);
    expect(report.sections.performance!.metrics.roc_auc!.value).toBeCloseTo(auc, 4);
    expect(report.sections.performance!.metrics.log_loss!.value).toBeGreaterThan(0);
  });

  it("weights rows by fnlwgt exactly as a weighted count", () => {
    const sex = weighted.sections.fairness!.attributes.find((x) => x.attribute === "sex")!;
    const c = counts((r) => r.sex!, (r) => Number(r.fnlwgt));
    for (const g of sex.groups) {
      const e = c.get(g.group)!;
      for (const k of ["tp", "fp", "tn", "fn"] as const) expect(g.confusion[k] / e[k]).toBeCloseTo(1, 12);
      expect(g.rates.selection_rate!.value).toBeCloseTo((e.tp + e.fp) / (e.tp + e.fp + e.tn + e.fn), 12);
    }
    expect(weighted.dataset.weight!.column).toBe("fnlwgt");
    expect(weighted.sections.fairness!.bootstrap.method).toMatch(/weight/);
  });
});
