import { loadFixture } from "../views/testing/fixtures";
import { diffMetrics, diffPolicies, diffRanks, diffReportsOrThrow, metricKey, rankFeatures } from "./diff";
import type { FlatMetric, PolicyResult } from "./types";

describe("diffMetrics", () => {
  const a: FlatMetric[] = [
    { id: "accuracy", value: 0.8 },
    { id: "log_loss", value: 0.4 },
    { id: "impact_ratio", attribute: "sex", group: "F", value: 0.7 },
    { id: "selection_rate", attribute: "sex", group: "F", value: 0.3 },
    { id: "fpr_disparity", attribute: "sex", group: "F", value: 0.5 },
    { id: "flip_rate", epsilon: 0.1, value: 0.02 },
    { id: "flip_rate", epsilon: 0.5, value: 0.2 },
    { id: "tpr", attribute: "sex", group: "F", value: null },
    { id: "mean_abs_shap", feature: "sex", value: 0.1 },
  ];
  const b: FlatMetric[] = [
    { id: "accuracy", value: 0.75 },
    { id: "log_loss", value: 0.3 },
    { id: "impact_ratio", attribute: "sex", group: "F", value: 0.9 },
    { id: "selection_rate", attribute: "sex", group: "F", value: 0.35 },
    { id: "fpr_disparity", attribute: "sex", group: "F", value: 1.5 },
    { id: "flip_rate", epsilon: 0.1, value: 0.02 },
    { id: "flip_rate", epsilon: 0.5, value: 0.1 },
    { id: "tpr", attribute: "sex", group: "F", value: 0.6 },
  ];
  const rows = diffMetrics([a, b]);
  const row = (m: FlatMetric) => rows.find((r) => r.key === metricKey(m))!;

  test("matches on id, attribute, group, feature and ε", () => {
    expect(rows).toHaveLength(9);
    expect(row({ id: "flip_rate", epsilon: 0.1, value: 0 }).values).toEqual([0.02, 0.02]);
    expect(row({ id: "flip_rate", epsilon: 0.5, value: 0 }).values).toEqual([0.2, 0.1]);
  });

  test("deltas and directions", () => {
    const acc = row({ id: "accuracy", value: 0 });
    expect(acc.deltas[0]).toBeNull();
    expect(acc.deltas[1]).toBeCloseTo(-0.05, 15);
    expect(acc.changes).toEqual(["n/a", "worse"]);
    expect(row({ id: "log_loss", value: 0 }).changes[1]).toBe("better");
    expect(row({ id: "impact_ratio", attribute: "sex", group: "F", value: 0 }).overall.change).toBe("better");
    // selection: better when selection is a benefit (the default), worse when it is harm
    expect(row({ id: "selection_rate", attribute: "sex", group: "F", value: 0 }).overall.change).toBe("better");
    const harmRows = diffMetrics([a, b], "harm");
    expect(harmRows.find((r) => r.key === metricKey({ id: "selection_rate", attribute: "sex", group: "F" }))!.overall.change).toBe("worse");
    expect(harmRows.find((r) => r.key === metricKey({ id: "impact_ratio", attribute: "sex", group: "F" }))!.overall.change).toBe("better");
    expect(row({ id: "mean_abs_shap", feature: "sex", value: 0 }).overall.change).toBe("n/a");
    // 0.5 is |ln 0.5| = 0.69 from 1; 1.5 is |ln 1.5| = 0.41 from 1: closer
    expect(row({ id: "fpr_disparity", attribute: "sex", group: "F", value: 0 }).overall.change).toBe("better");
    expect(row({ id: "flip_rate", epsilon: 0.1, value: 0 }).overall).toEqual({ delta: 0, change: "same" });
    expect(row({ id: "flip_rate", epsilon: 0.5, value: 0 }).overall.change).toBe("better");
  });

  test("null and missing values give n/a", () => {
    const tpr = row({ id: "tpr", attribute: "sex", group: "F", value: 0 });
    expect(tpr.present).toEqual([true, true]);
    expect(tpr.overall).toEqual({ delta: null, change: "n/a" });
    const shap = row({ id: "mean_abs_shap", feature: "sex", value: 0 });
    expect(shap.present).toEqual([true, false]);
    expect(shap.values).toEqual([0.1, null]);
  });

  test("three versions: changes against the previous one, overall against the first", () => {
    const r = diffMetrics([[{ id: "roc_auc", value: 0.8 }], [{ id: "roc_auc", value: 0.9 }], [{ id: "roc_auc", value: 0.85 }]])[0]!;
    expect(r.changes).toEqual(["n/a", "better", "worse"]);
    expect(r.deltas[2]).toBeCloseTo(-0.05, 15);
    expect(r.overall.delta).toBeCloseTo(0.05, 15);
    expect(r.overall.change).toBe("better");
  });
});

describe("diffPolicies", () => {
  const p = (metric: string, pass: boolean, extra: Partial<PolicyResult> = {}): PolicyResult => ({ metric, value: 0.5, pass, ...extra });
  test("transitions", () => {
    const rows = diffPolicies([
      [p("roc_auc", true, { min: 0.7 }), p("impact_ratio", false, { attribute: "sex", min: 0.8 }), p("flip_rate", true, { epsilon: 0.1 }), p("flip_rate", true, { epsilon: 0.5 })],
      [p("roc_auc", false, { min: 0.7 }), p("impact_ratio", true, { attribute: "sex", min: 0.8 }), p("flip_rate", true, { epsilon: 0.1 }), p("f1", false)],
    ]);
    const by = (metric: string, epsilon?: number) => rows.find((r) => r.metric === metric && r.epsilon === epsilon)!;
    expect(by("roc_auc").overall).toBe("regressed");
    expect(by("roc_auc").statuses).toEqual(["pass", "fail"]);
    expect(by("roc_auc").min).toBe(0.7);
    expect(by("impact_ratio").overall).toBe("fixed");
    expect(by("flip_rate", 0.1).overall).toBe("unchanged");
    expect(by("flip_rate", 0.5).overall).toBe("removed");
    expect(by("flip_rate", 0.5).statuses).toEqual(["pass", "absent"]);
    expect(by("f1").overall).toBe("added");
  });
});

describe("ranks", () => {
  test("rank 1 is the largest; ties share the better rank", () => {
    const r = rankFeatures([
      { feature: "a", value: 0.1 },
      { feature: "b", value: 0.3 },
      { feature: "c", value: 0.3 },
      { feature: "d", value: 0.05 },
    ]);
    expect(Object.fromEntries(r)).toEqual({ a: 3, b: 1, c: 1, d: 4 });
  });
  test("moves: positive when a feature moves up", () => {
    const rows = diffRanks([
      [
        { feature: "a", value: 3 },
        { feature: "b", value: 2 },
        { feature: "gone", value: 1 },
      ],
      [
        { feature: "a", value: 1 },
        { feature: "b", value: 2 },
      ],
    ]);
    expect(rows.map((r) => r.feature)).toEqual(["b", "a", "gone"]);
    expect(rows[0]).toMatchObject({ feature: "b", ranks: [2, 1], overallMove: 1 });
    expect(rows[1]).toMatchObject({ feature: "a", ranks: [1, 2], overallMove: -1 });
    expect(rows[2]).toMatchObject({ feature: "gone", ranks: [3, null], overallMove: null });
  });
  test("a report without the section has no ranks", () => {
    const rows = diffRanks([null, [{ feature: "a", value: 1 }]]);
    expect(rows).toEqual([{ feature: "a", ranks: [null, 1], values: [null, 1], moves: [null, null], overallMove: null }]);
  });
});

describe("diffReportsOrThrow on the CPS fixtures (v1 → v2)", () => {
  const v1 = loadFixture("cps-v1");
  const v2 = loadFixture("cps-v2");
  const d = diffReportsOrThrow([v1, v2]);

  test("same dataset", () => {
    expect(d.sameDataset).toBe(true);
    expect(d.datasets).toEqual([v1.dataset.sha256, v2.dataset.sha256]);
  });

  test("every flat metric of both reports is a row, with its stored values", () => {
    const keys = new Set([...v1.metrics, ...v2.metrics].map(metricKey));
    expect(d.metrics).toHaveLength(keys.size);
    const auc = d.metrics.find((r) => r.key === metricKey({ id: "roc_auc" }))!;
    expect(auc.values).toEqual([v1.sections.performance!.metrics.roc_auc!.value, v2.sections.performance!.metrics.roc_auc!.value]);
    expect(auc.overall.delta).toBe(auc.values[1]! - auc.values[0]!);
    expect(auc.overall.change).toBe(auc.values[1]! > auc.values[0]! ? "better" : "worse");
    const ir = d.metrics.find((r) => r.key === metricKey({ id: "impact_ratio", attribute: "gender", group: "female" }))!;
    const stored = (r: typeof v1) => r.sections.fairness!.attributes.find((a) => a.attribute === "gender")!.groups.find((g) => g.group === "female")!.impactRatio.value;
    expect(ir.values).toEqual([stored(v1), stored(v2)]);
    expect(ir.overall.change).toBe("better");
  });

  test("v2 drops gender and race as inputs: their SHAP ranks are absent in v2", () => {
    const gender = d.shapRanks.find((r) => r.feature === "gender")!;
    expect(gender.ranks[0]).not.toBeNull();
    expect(gender.ranks[1]).toBeNull();
    // hand check: v1's rank of education = 1 + features with a larger mean |φ|
    const g1 = v1.sections.shap!.global;
    const edu = g1.find((g) => g.feature === "education")!.meanAbs;
    expect(d.shapRanks.find((r) => r.feature === "education")!.ranks[0]).toBe(1 + g1.filter((g) => g.meanAbs > edu).length);
  });

  test("policy: the gender impact-ratio check goes from fail to pass", () => {
    const row = d.policy.find((p) => p.metric === "impact_ratio" && p.attribute === "gender")!;
    expect(row.statuses).toEqual(["fail", "pass"]);
    expect(row.overall).toBe("fixed");
    expect(d.policy).toHaveLength(v1.policy.length);
  });

  test("needs two reports", () => {
    expect(() => diffReportsOrThrow([v1])).toThrow(/at least 2 reports, got 1/);
  });
});
