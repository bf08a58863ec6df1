import type { Report } from "../../../report/types";
import { loadFixture } from "../../../views/testing/fixtures";
import { FLIP_RATE_FLAG, ROBUSTNESS_DISPARITY_FLAG, topRisks } from "./risks";

const v1 = loadFixture("cps-v1");
const compas = loadFixture("compas");

describe("topRisks", () => {
  test("every failing check is a high risk, with its value and bound", () => {
    const risks = topRisks(v1);
    const failing = v1.policy.filter((p) => !p.pass);
    const policy = risks.filter((r) => r.kind === "policy");
    expect(policy).toHaveLength(failing.length);
    expect(policy.every((r) => r.level === "high")).toBe(true);
    expect(policy[0]!.title).toBe("Policy check fails: Impact ratio (gender)");
    expect(policy[0]!.detail).toBe("The value is 0.636; the audit requires ≥ 0.8. Worst group: female.");
  });

  test("groups below the four-fifths rule, per attribute, counted from the report's impact ratios", () => {
    const risks = topRisks(compas).filter((r) => r.kind === "impact_ratio");
    const expected = compas.sections.fairness!.attributes.filter((a) => a.groups.some((g) => !g.excluded && g.impactRatio.value !== null && g.impactRatio.value < 0.8));
    expect(risks.map((r) => r.title.split(":")[0])).toEqual(expected.map((a) => a.attribute));
    const race = compas.sections.fairness!.attributes.find((a) => a.attribute === "race")!;
    const compared = race.groups.filter((g) => !g.excluded);
    const low = compared.filter((g) => g.impactRatio.value !== null && g.impactRatio.value < 0.8);
    expect(compared.map((g) => g.group).sort()).toEqual(["African-American", "Caucasian", "Hispanic", "Other"]); // 2% share
    expect(risks[0]!.title).toBe(`race: ${low.length} of ${compared.length} groups gets the favourable decision (not flagged) at less than four-fifths of the top group's rate`);
    // favourable (not flagged) = (TN + FN) / n: African-American 1,522 / 3,696 against Other's 298 / 377
    expect(risks[0]!.detail).toBe(`Impact ratio below 0.8: African-American ${((1522 / 3696) / (298 / 377)).toFixed(3)} (n = 3,696).`);
  });

  test("COMPAS under harm: African-American defendants are named as most often flagged and most often wrongly flagged", () => {
    const d = topRisks(compas).find((r) => r.kind === "disadvantage" && r.title.startsWith("race:"))!;
    expect(d.level).toBe("high");
    expect(d.title).toBe("race: African-American is most often flagged and most often wrongly flagged");
    // FPR = FP / (FP + TN): African-American 805 / 1,795 = 0.448, Caucasian 349 / 1,488 = 0.235 (Aequitas' COMPAS figures)
    expect(d.detail).toContain(`false positive rate ${(805 / 1795).toFixed(3)} against ${(349 / 1488).toFixed(3)} for Caucasian (the reference)`);
    // sex: no material gap, so no finding
    expect(topRisks(compas).some((r) => r.kind === "disadvantage" && r.title.startsWith("sex:"))).toBe(false);
  });

  test("sensitive attributes used as model inputs, small groups and undefined rates", () => {
    const v1Risks = topRisks(v1);
    expect(v1Risks.find((r) => r.kind === "sensitive_input")?.title).toBe("The model uses gender and race as inputs");
    const small = topRisks(compas).filter((r) => r.kind === "small_groups");
    // the groups under 30 rows are all below the 2% share: excluded, they are listed as such instead
    expect(small).toEqual([]);
    const excluded = topRisks(compas).find((r) => r.kind === "excluded_groups" && r.title.startsWith("race:"))!;
    expect(excluded.title).toBe("race: 2 groups left out of the comparisons");
    expect(excluded.detail).toContain("Native American (0.25% of the rows < min_group_share 2%)");
    // excluded groups raise no undefined-rate warnings; one added by hand is reported
    expect(topRisks(compas).some((r) => r.kind === "undefined_rates")).toBe(false);
    const withUndefined: Report = { ...compas, warnings: [...compas.warnings, { code: "undefined_rate", attribute: "race & sex", group: "race=Asian & sex=Female", message: "no positive labels" }] };
    const undef = topRisks(withUndefined).find((r) => r.kind === "undefined_rates")!;
    expect(undef.title).toBe("1 number could not be computed");
    expect(undef.detail).toContain("race=Asian & sex=Female");
    // a score column has no model inputs to speak of
    expect(topRisks(compas).some((r) => r.kind === "sensitive_input")).toBe(false);
  });

  test("robustness: disparity and flip rate flags use the stored numbers", () => {
    const rob = v1.sections.robustness!;
    const risks = topRisks(v1);
    for (const a of rob.attributes) {
      const worst = Math.max(...a.disparity.map((d) => d ?? -Infinity));
      const flagged = risks.some((r) => r.kind === "robustness_disparity" && r.title.startsWith(`${a.attribute}:`));
      expect(flagged).toBe(worst >= ROBUSTNESS_DISPARITY_FLAG);
    }
    const last = rob.overall[rob.overall.length - 1]!;
    expect(risks.some((r) => r.kind === "flip_rate")).toBe(last.flipRate >= FLIP_RATE_FLAG);
  });

  test("unknown and excluded groups", () => {
    const race = v1.sections.fairness!.attributes.find((a) => a.attribute === "race")!;
    const withUnknown: Report = {
      ...v1,
      sections: {
        ...v1.sections,
        fairness: {
          ...v1.sections.fairness!,
          attributes: [
            {
              ...race,
              groups: [...race.groups, { ...race.groups[0]!, group: "(missing)", n: 12, unknown: true, excluded: true, small: true }],
              excluded: [{ group: "(missing)", n: 12, reason: "n = 12 < min_group_size 20" }],
            },
          ],
        },
      },
    };
    const risks = topRisks(withUnknown);
    expect(risks.find((r) => r.kind === "unknown_groups")?.title).toBe(`race: 12 rows (${((12 / v1.dataset.rows) * 100).toFixed(1)}%) have no value`);
    expect(risks.find((r) => r.kind === "excluded_groups")?.detail).toContain("(missing) (n = 12 < min_group_size 20)");
    // excluded groups are not counted as small or as below four-fifths
    expect(risks.find((r) => r.kind === "small_groups")?.detail).not.toContain("(missing)");
  });

  test("high before medium before low; nothing to report for a clean audit", () => {
    const order = { high: 0, medium: 1, low: 2 };
    const levels = topRisks(compas).map((r) => order[r.level]);
    expect([...levels].sort((a, b) => a - b)).toEqual(levels);
    const clean: Report = {
      ...v1,
      policy: v1.policy.map((p) => ({ ...p, pass: true })),
      model: { ...v1.model, features: ["education"] },
      warnings: [],
      sections: { performance: v1.sections.performance! },
    };
    expect(topRisks(clean)).toEqual([]);
  });
});
