import type { FairnessSection, FlatMetric } from "./types";
import { evaluatePolicy } from "./policy";

const metrics: FlatMetric[] = [
  { id: "roc_auc", value: 0.71 },
  { id: "demographic_parity_ratio", attribute: "race", value: 0.5 },
  { id: "impact_ratio", attribute: "race", group: "a", value: 1 },
  { id: "impact_ratio", attribute: "race", group: "b", value: 0.75 },
  { id: "impact_ratio", attribute: "race", group: "c", value: 0.3 }, // excluded below
  { id: "tpr", attribute: "race", group: "a", value: null },
  { id: "tpr", attribute: "race", group: "b", value: 0.6 },
  { id: "equalized_odds_difference", attribute: "sex", value: null },
];
const fairness = {
  attributes: [{ attribute: "race", groups: [{ group: "a", excluded: false }, { group: "b", excluded: false }, { group: "c", excluded: true }] }],
} as unknown as FairnessSection;

describe("evaluatePolicy", () => {
  it("checks overall and attribute-level metrics against bounds (inclusive)", () => {
    const [auc, dp] = evaluatePolicy(
      [
        { metric: "roc_auc", min: 0.71 },
        { metric: "demographic_parity_ratio", attribute: "race", min: 0.8 },
      ],
      metrics,
      fairness,
    );
    expect(auc).toMatchObject({ value: 0.71, pass: true });
    expect(dp).toMatchObject({ value: 0.5, pass: false });
  });

  it("takes the worst included group when no group is named", () => {
    const [ir] = evaluatePolicy([{ metric: "impact_ratio", attribute: "race", min: 0.8 }], metrics, fairness);
    expect(ir).toMatchObject({ value: 0.75, pass: false, note: "worst group: b" }); // c is excluded
    const [ok] = evaluatePolicy([{ metric: "impact_ratio", attribute: "race", min: 0.7 }], metrics, fairness);
    expect(ok).toMatchObject({ value: 0.75, pass: true });
  });

  it("checks a named group", () => {
    const [r] = evaluatePolicy([{ metric: "impact_ratio", attribute: "race", group: "a", min: 0.8 }], metrics, fairness);
    expect(r).toMatchObject({ value: 1, pass: true });
  });

  it("fails undefined values instead of reading them as fair", () => {
    const [eo, tpr] = evaluatePolicy(
      [
        { metric: "equalized_odds_difference", attribute: "sex", max: 0.1 },
        { metric: "tpr", attribute: "race", group: "a", min: 0.5 },
      ],
      metrics,
      fairness,
    );
    expect(eo).toMatchObject({ value: null, pass: false });
    expect(tpr).toMatchObject({ value: null, pass: false });
  });
});
