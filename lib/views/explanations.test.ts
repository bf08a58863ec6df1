import type { ShapSection } from "../report/types";
import { loadFixture } from "./testing/fixtures";
import { beeswarmView, explainedRows, permutationView, shapGlobalView, shapLead, shapMethodText, shapUnits, swarmOffset, waterfallView } from "./explanations";

const v1 = loadFixture("cps-v1");
const shap = v1.sections.shap!;
const pi = v1.sections.permutationImportance!;

test("permutation importance: sorted by mean, whiskers ± std", () => {
  const v = permutationView(pi);
  expect(v.bars.map((b) => b.feature)).toEqual([...pi.features].sort((a, b) => b.mean - a.mean).map((f) => f.feature));
  const edu = pi.features.find((f) => f.feature === "education")!;
  // the label: mean ± std to 3 decimals (both are between 0.01 and 1 for this feature)
  expect(edu.mean).toBeGreaterThan(0.01);
  expect(edu.std).toBeGreaterThan(0.01);
  expect(v.bars.find((b) => b.feature === "education")).toEqual({ feature: "education", value: edu.mean, error: [edu.std, edu.std], text: `${edu.mean.toFixed(3)} ± ${edu.std.toFixed(3)}` });
  expect(v.caption).toMatch(/10 repeats on 534 rows/);
});

test("SHAP global: mean |φ| with ± 1.96·se", () => {
  const v = shapGlobalView(shap);
  expect(v.bars[0]!.feature).toBe("occupation");
  const occ = shap.global.find((g) => g.feature === "occupation")!;
  expect(v.bars[0]!.error).toEqual([1.96 * occ.se, 1.96 * occ.se]);
  expect(v.axisLabel).toBe("Mean |SHAP value| (probability)");
});

test("swarm slots alternate around the centre", () => {
  expect([0, 1, 2, 3, 4, 5].map(swarmOffset)).toEqual([0, 1, -1, 2, -2, 3]);
});

describe("beeswarm on a hand-made section", () => {
  const s = {
    link: "identity",
    features: ["num", "cat"],
    baseValue: 0.5,
    global: [
      { feature: "num", meanAbs: 0.1, se: 0 },
      { feature: "cat", meanAbs: 0.3, se: 0 },
    ],
    rows: [
      { row: 0, line: 2, prediction: 0.6, output: 0.6, phi: [0.1, 0.0], se: [0, 0], additivityError: 0, values: [10, "b"] },
      { row: 1, line: 3, prediction: 0.1, output: 0.1, phi: [-0.1, -0.3], se: [0, 0], additivityError: 0, values: [0, "a"] },
      { row: 2, line: 4, prediction: 0.9, output: 0.9, phi: [0.1, 0.3], se: [0, 0], additivityError: 0, values: [null, "c"] },
    ],
  } as unknown as ShapSection;
  const v = beeswarmView(s, 4);
  test("features by mean |φ|; numeric values scaled to [0, 1], missing null", () => {
    expect(v.features.map((f) => [f.feature, f.kind])).toEqual([
      ["cat", "categorical"],
      ["num", "numeric"],
    ]);
    const num = v.features[1]!;
    expect(num.dots.map((d) => [d.row, d.t])).toEqual([
      [1, 0],
      [0, 1],
      [2, null],
    ]);
    expect(v.domain).toEqual([-0.3, 0.3]);
  });
  test("categories ranked by their mean φ", () => {
    const cat = v.features[0]!;
    expect(cat.categories).toEqual(["a", "b", "c"]);
    expect(Object.fromEntries(cat.dots.map((d) => [d.valueText, d.t]))).toEqual({ a: 0, b: 0.5, c: 1 });
  });
  test("dots in the same x bin get alternating slots", () => {
    // num: φ = −0.1 (bin 1), 0.1 and 0.1 (bin 2) → slots 0; 0, +1
    expect(v.features[1]!.dots.map((d) => d.offset)).toEqual([0, 0, 1]);
    expect(v.maxOffset).toBe(1);
    expect(v.features.map((f) => f.maxOffset)).toEqual([0, 1]);
  });
  test("waterfall: base → contributions by size → output", () => {
    const w = waterfallView(s, 2)!;
    expect(w.steps.map((x) => [x.feature, x.start, x.end, x.raises])).toEqual([
      ["cat", 0.5, 0.8, true],
      ["num", 0.8, 0.9, true],
    ]);
    expect(w.steps[1]!.end).toBeCloseTo(w.output, 12);
    expect(w.steps[1]!.valueText).toBe("missing");
    expect(waterfallView(s, 9)).toBeNull();
  });
});

test("waterfall on the fixture ends at the model output; more features than maxSteps are summed", () => {
  const w = waterfallView(shap, 0)!;
  expect(w.steps).toHaveLength(shap.features.length);
  expect(Math.abs(w.steps[w.steps.length - 1]!.end - shap.rows[0]!.output)).toBeLessThan(1e-9);
  const abs = w.steps.map((x) => Math.abs(x.phi));
  expect(abs).toEqual([...abs].sort((a, b) => b - a));
  const short = waterfallView(shap, 0, 4)!;
  expect(short.steps).toHaveLength(4);
  expect(short.steps[3]!.feature).toBe("7 other features");
  expect(Math.abs(short.steps[3]!.end - shap.rows[0]!.output)).toBeLessThan(1e-9);
});

test("explained rows list the two largest contributions", () => {
  const rows = explainedRows(shap);
  expect(rows).toHaveLength(200);
  // row 0: φ age −0.182, experience −0.168 are the largest in size
  expect(rows[0]).toEqual({ index: 0, row: 3, line: 5, prediction: "0.039", top: "age \u22120.182, experience \u22120.168" });
});

describe("which SHAP ran, in its units", () => {
  const kernel = loadFixture("cps-v1").sections.shap!;
  const tree: ShapSection = { ...kernel, method: "tree", units: "log-odds", link: "logit", coalitions: 0, budget: 0, trees: { count: 100, maxDepth: 5, leaves: 2463, source: "XGBoost 1.7.4 gbtree" } };
  it("names TreeSHAP, its trees and log-odds; KernelSHAP its coalitions and link", () => {
    expect(shapMethodText(tree)).toBe("exact interventional TreeSHAP on the model's margin (log-odds) · 100 trees, depth ≤ 5");
    expect(shapMethodText(kernel)).toMatch(/^KernelSHAP \(exact, [\d,]+ coalitions; identity link, probability\)$/);
    expect(shapLead(tree)).toMatch(/TreeSHAP .* in log-odds \(P = σ\(margin\)\), not probability points/);
    expect(waterfallView(tree, 0)!.unit).toBe("log-odds");
    expect(beeswarmView(tree).axisLabel).toBe("SHAP value: effect on the model margin (log-odds)");
  });
  it("reads the units of reports written before `units` existed from their link", () => {
    const { units: _u, method: _m, ...old } = kernel;
    expect(shapUnits(old)).toBe("probability");
    expect(shapUnits({ ...old, link: "logit" })).toBe("log-odds");
  });
});
