import type { Report } from "../../../report/types";
import { loadFixture } from "../../../views/testing/fixtures";
import { policyRows } from "./policy";

const v1 = loadFixture("cps-v1");

describe("policyRows", () => {
  test("one row per check, in spec order, with the value to 3 decimals and PASS/FAIL from the report", () => {
    const rows = policyRows(v1);
    expect(rows).toHaveLength(v1.policy.length);
    rows.forEach((r, i) => {
      const p = v1.policy[i]!;
      expect(r.index).toBe(i + 1);
      expect(r.metric).toBe(p.metric);
      expect(r.value).toBe(p.value === null ? "—" : p.value.toFixed(3));
      expect(r.status).toBe(p.pass ? "PASS" : "FAIL");
    });
  });
  test("bounds, where each check applies and notes (cps v1 spec)", () => {
    const rows = policyRows(v1);
    expect(rows[0]).toMatchObject({ label: "ROC AUC", appliesTo: "whole dataset", bound: "≥ 0.75", status: "PASS" });
    expect(rows[1]).toMatchObject({ label: "Impact ratio", appliesTo: "gender", bound: "≥ 0.8", value: "0.636", status: "FAIL", note: "worst group: female" });
    expect(rows[3]).toMatchObject({ metric: "equalized_odds_difference", bound: "≤ 0.2" });
    expect(rows[4]).toMatchObject({ metric: "flip_rate", appliesTo: "ε = 0.1", bound: "≤ 0.1" });
    expect(rows[5]).toMatchObject({ metric: "robustness_disparity", appliesTo: "gender · ε = 0.1" });
  });
  test("a check without a value says so", () => {
    const report: Report = { ...v1, policy: [{ metric: "impact_ratio", attribute: "race", group: "nobody", min: 0.8, value: null, pass: false }] };
    expect(policyRows(report)[0]).toMatchObject({ value: "—", status: "FAIL", appliesTo: "race: nobody", note: "no value could be computed" });
  });
});
