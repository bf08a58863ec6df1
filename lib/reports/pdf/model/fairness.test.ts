import type { Report } from "../../../report/types";
import { loadFixture } from "../../../views/testing/fixtures";
import { isScoringRate, ll144Model } from "./fairness";

const compas = loadFixture("compas");

describe("ll144Model", () => {
  test("one table per attribute and intersection, one row per category with n, rate and impact ratio", () => {
    const m = ll144Model(compas)!;
    const attrs = compas.sections.fairness!.attributes;
    expect(m.rateLabel).toBe("Selection rate");
    expect(m.tables.map((t) => t.attribute)).toEqual(["race", "sex", "race & sex"]);
    m.tables.forEach((t, i) => {
      const groups = attrs[i]!.groups;
      expect(t.rows.map((r) => r.category)).toEqual(groups.map((g) => g.group));
      expect(t.rows.map((r) => r.n)).toEqual(groups.map((g) => g.n.toLocaleString("en-US")));
      expect(t.rows.map((r) => r.rate)).toEqual(groups.map((g) => g.rates.selection_rate!.value!.toFixed(3)));
      expect(t.rows.map((r) => r.impactRatio)).toEqual(groups.map((g) => g.impactRatio.value!.toFixed(3)));
      expect(t.rows.map((r) => r.below)).toEqual(groups.map((g) => g.impactRatio.value! < 0.8));
      expect(t.unknownText).toBe("Number of individuals in the unknown category: 0");
    });
    const aa = m.tables[2]!.rows.find((r) => r.category === "race=African-American & sex=Male")!;
    expect(aa).toMatchObject({ n: "3,044", impactRatio: "0.805", below: false });
    expect(m.tables[0]!.rows.find((r) => r.category === "Native American")!.notes).toBe("small group, highest rate");
  });

  test("the unknown category is counted from groups with missing values", () => {
    const sex = compas.sections.fairness!.attributes[1]!;
    const withUnknown: Report = {
      ...compas,
      sections: { ...compas.sections, fairness: { ...compas.sections.fairness!, attributes: [{ ...sex, groups: [...sex.groups, { ...sex.groups[0]!, group: "(missing)", n: 41, unknown: true }] }] } },
    };
    const t = ll144Model(withUnknown)!.tables[0]!;
    expect(t.unknown).toBe(41);
    expect(t.unknownText).toBe("Number of individuals in the unknown category: 41");
    expect(t.rows.at(-1)!.notes).toContain("unknown category");
  });

  test("scoring rate when the decision is 'above the median'; null without fairness", () => {
    const median: Report = { ...compas, decision: { threshold: 4, rule: "positive when score > 4 (the median of all scores: LL144 scoring rate, no threshold given)" } };
    expect(isScoringRate(median)).toBe(true);
    expect(ll144Model(median)!.rateLabel).toBe("Scoring rate");
    expect(isScoringRate(compas)).toBe(false);
    expect(ll144Model({ ...compas, sections: {} })).toBeNull();
  });
});
