import { metricKey } from "../../../report/diff";
import { loadFixture } from "../../../views/testing/fixtures";
import { changesModel } from "./changes";

const v1 = loadFixture("cps-v1");
const v2 = loadFixture("cps-v2");

describe("changesModel", () => {
  const ch = changesModel(v2, { version: "v1", report: v1 }, "v2");

  test("policy status per check, previous and current, with the transition", () => {
    expect(ch.policy).toHaveLength(v2.policy.length);
    ch.policy.forEach((row, i) => {
      const before = v1.policy[i]!;
      const after = v2.policy[i]!;
      expect(row.before).toBe(`${before.value!.toFixed(3)} ${before.pass ? "PASS" : "FAIL"}`);
      expect(row.after).toBe(`${after.value!.toFixed(3)} ${after.pass ? "PASS" : "FAIL"}`);
      const expected = before.pass === after.pass ? "no change" : after.pass ? "now passes" : "now fails";
      expect(row.change).toBe(expected);
    });
    // cps: v1 fails the gender impact ratio, v2 passes it
    expect(ch.policy[1]).toMatchObject({ label: "Impact ratio", appliesTo: "gender", bound: "≥ 0.8", change: "now passes", status: "pass" });
  });

  test("same dataset is stated; the tally counts every number measured in both versions", () => {
    expect(ch.datasetNote).toContain("same dataset");
    const before = new Set(v1.metrics.map(metricKey));
    const shared = new Set(v2.metrics.map(metricKey).filter((k) => before.has(k)));
    expect(ch.tally.startsWith(`Of ${shared.size.toLocaleString("en-US")} numbers measured in both versions`)).toBe(true);
  });

  test("feature ranks: only features that moved, both rankings side by side", () => {
    expect(ch.ranks.length).toBeGreaterThan(0);
    for (const r of ch.ranks) expect([r.shap.move, r.importance.move].some((m) => m !== "same rank" && m !== "—")).toBe(true);
    // ranks are read from the reports: #1 by mean |SHAP| in v2 is its largest meanAbs
    const top = [...v2.sections.shap!.global].sort((a, b) => b.meanAbs - a.meanAbs)[0]!.feature;
    const row = ch.ranks.find((r) => r.feature === top);
    if (row) expect(row.shap.after).toBe("#1");
  });

  test("different datasets are called out", () => {
    const other = changesModel(v2, { version: "v1", report: { ...v1, dataset: { ...v1.dataset, sha256: "f".repeat(64) } } }, "v2");
    expect(other.datasetNote).toContain("different datasets");
  });
});
