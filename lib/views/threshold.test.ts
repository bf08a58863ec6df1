import type { AttributeReport, ScoreDistribution } from "../report/types";
import { loadFixture, type FixtureName } from "./testing/fixtures";
import { confusionAtEdge, edgeIndexOf, ratesAtThresholdOrThrow, thresholdAttribute, type ThresholdAttribute } from "./threshold";

const close = (a: number | null, b: number | null) => {
  if (a === null || b === null) expect(a).toBe(b);
  else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12);
};

describe("ratesAtThreshold at the audit's own threshold equals the stored report", () => {
  for (const name of ["cps-v1", "cps-v2", "compas"] as FixtureName[]) {
    test(name, () => {
      const report = loadFixture(name);
      const fairness = report.sections.fairness!;
      const dist = fairness.distribution!;
      const k = edgeIndexOf(dist.edges, report.decision.threshold);
      expect(dist.edges[k]).toBe(report.decision.threshold);
      let checked = 0;
      for (const a of fairness.attributes) {
        const res = ratesAtThresholdOrThrow(dist, thresholdAttribute(a, report.decision.positiveDecision ?? "benefit"), k);
        expect(res.threshold).toBe(report.decision.threshold);
        for (const g of a.groups) {
          const got = res.groups.find((x) => x.group === g.group)!;
          expect(got).toBeDefined();
          expect(got.confusion).toEqual(g.confusion);
          for (const [id, r] of Object.entries(g.rates)) close(got.rates[id as keyof typeof got.rates], r.value);
          for (const [id, d] of Object.entries(g.disparities)) close(got.disparities[id]!, d.value);
          close(got.impactRatio, g.impactRatio.value);
          expect(got.reference).toBe(g.reference);
          checked++;
        }
        for (const [id, agg] of Object.entries(a.aggregates)) {
          const got = res.aggregates[id as keyof typeof res.aggregates];
          close(got.value, agg.value);
          expect(got.groups).toBe(agg.groups);
        }
      }
      expect(checked).toBeGreaterThan(5);
    });
  }
});

describe("hand-made distribution", () => {
  // edges 0, 0.5, 0.8; group a: pos [1, 2, 3], neg [4, 1, 0]; group b: pos [0, 0, 0], neg [2, 2, 1];
  // group c (excluded): pos [0, 0, 5], neg [0, 0, 0]
  const dist: ScoreDistribution = {
    edges: [0, 0.5, 0.8],
    exact: true,
    attributes: [
      {
        attribute: "A",
        groups: [
          { group: "a", pos: [1, 2, 3], neg: [4, 1, 0] },
          { group: "b", pos: [0, 0, 0], neg: [2, 2, 1] },
          { group: "c", pos: [0, 0, 5], neg: [0, 0, 0] },
        ],
      },
    ],
  };
  const attr: ThresholdAttribute = {
    attribute: "A",
    positiveDecision: "benefit",
    reference: "a",
    groups: [
      { group: "a", excluded: false },
      { group: "b", excluded: false },
      { group: "c", excluded: true },
    ],
  };

  test("confusion cells are the sums above and below the edge", () => {
    expect(confusionAtEdge([1, 2, 3], [4, 1, 0], 1)).toEqual({ tp: 5, fp: 1, fn: 1, tn: 4 });
    expect(confusionAtEdge([1, 2, 3], [4, 1, 0], 0)).toEqual({ tp: 6, fp: 5, fn: 0, tn: 0 });
  });

  test("rates, null rules, impact ratios and aggregates at threshold 0.5", () => {
    const r = ratesAtThresholdOrThrow(dist, attr, 1);
    expect(r.threshold).toBe(0.5);
    const [a, b, c] = r.groups;
    // a: tp 5 fp 1 fn 1 tn 4 → sel 6/11, tpr 5/6, fpr 1/5, ppv 5/6
    expect(a!.rates.selection_rate).toBeCloseTo(6 / 11, 15);
    expect(a!.rates.tpr).toBeCloseTo(5 / 6, 15);
    expect(a!.rates.fpr).toBeCloseTo(1 / 5, 15);
    expect(a!.rates.ppv).toBeCloseTo(5 / 6, 15);
    // b: tp 0 fp 3 fn 0 tn 2 → sel 3/5, tpr null (no positives), fpr 3/5, ppv 0
    expect(b!.rates.selection_rate).toBeCloseTo(3 / 5, 15);
    expect(b!.rates.tpr).toBeNull();
    expect(b!.rates.fnr).toBeNull();
    expect(b!.rates.fpr).toBeCloseTo(3 / 5, 15);
    expect(b!.rates.ppv).toBe(0);
    // c is excluded: its selection rate 1 does not set the impact-ratio maximum
    expect(c!.included).toBe(false);
    expect(c!.rates.selection_rate).toBe(1);
    expect(a!.impactRatio).toBeCloseTo(6 / 11 / (3 / 5), 15);
    expect(b!.impactRatio).toBe(1);
    expect(c!.impactRatio).toBeCloseTo(1 / (3 / 5), 15);
    // disparities against a
    expect(b!.disparities.fpr).toBeCloseTo(3 / 5 / (1 / 5), 15);
    expect(b!.disparities.tpr).toBeNull();
    expect(a!.disparities.selection_rate).toBe(1);
    // aggregates over a and b only
    expect(r.aggregates.demographic_parity_difference.value).toBeCloseTo(3 / 5 - 6 / 11, 15);
    expect(r.aggregates.demographic_parity_ratio.value).toBeCloseTo(6 / 11 / (3 / 5), 15);
    expect(r.aggregates.demographic_parity_ratio.groups).toBe(2);
    // TPR is defined for a only → fewer than two groups → null, and so is equalized odds
    expect(r.aggregates.equal_opportunity_difference).toEqual({ value: null, groups: 1 });
    expect(r.aggregates.equalized_odds_difference).toEqual({ value: null, groups: 1 });
    expect(r.aggregates.false_positive_rate_difference.value).toBeCloseTo(3 / 5 - 1 / 5, 15);
  });

  test("a threshold above every selected score: ratio with max 0 is 1, impact ratio null, PPV null", () => {
    const d: ScoreDistribution = { ...dist, attributes: [{ attribute: "A", groups: [{ group: "a", pos: [1, 0, 0], neg: [1, 0, 0] }, { group: "b", pos: [2, 0, 0], neg: [3, 0, 0] }] }] };
    const at: ThresholdAttribute = { attribute: "A", positiveDecision: "benefit", reference: "a", groups: [{ group: "a", excluded: false }, { group: "b", excluded: false }] };
    const r = ratesAtThresholdOrThrow(d, at, 2);
    expect(r.groups.map((g) => g.rates.selection_rate)).toEqual([0, 0]);
    expect(r.aggregates.demographic_parity_ratio.value).toBe(1);
    expect(r.aggregates.demographic_parity_difference.value).toBe(0);
    expect(r.groups.map((g) => g.impactRatio)).toEqual([null, null]);
    expect(r.groups.map((g) => g.rates.ppv)).toEqual([null, null]);
    // reference selection rate 0 → selection-rate disparity null
    expect(r.groups[1]!.disparities.selection_rate).toBeNull();
  });

  test("errors name the attribute and the range", () => {
    expect(() => ratesAtThresholdOrThrow(dist, { ...attr, attribute: "Z" }, 0)).toThrow(/attribute "Z"/);
    expect(() => ratesAtThresholdOrThrow(dist, attr, 3)).toThrow(/out of range \[0, 2\]/);
  });

  test("edgeIndexOf finds the exact edge, else the nearest", () => {
    expect(edgeIndexOf([0, 0.5, 0.8], 0.5)).toBe(1);
    expect(edgeIndexOf([0, 0.5, 0.8], 0.7)).toBe(2);
    expect(edgeIndexOf([1, 2, 3], -4)).toBe(0);
  });

  test("thresholdAttribute keeps the reference and exclusions", () => {
    const a = { attribute: "A", reference: { group: "x", source: "spec" }, groups: [{ group: "x", excluded: false }, { group: "y", excluded: true }] } as unknown as AttributeReport;
    expect(thresholdAttribute(a, "harm")).toEqual({ attribute: "A", reference: "x", groups: [{ group: "x", excluded: false }, { group: "y", excluded: true }], positiveDecision: "harm" });
  });
});
