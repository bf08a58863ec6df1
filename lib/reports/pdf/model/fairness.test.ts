import type { Report } from "../../../report/types";
import { loadFixture } from "../../../views/testing/fixtures";
import { isScoringRate, ll144Model } from "./fairness";

const compas = loadFixture("compas");

describe("ll144Model", () => {
  test("one table per attribute and intersection, one row per category with n, rate and impact ratio", () => {
    const m = ll144Model(compas)!;
    const attrs = compas.sections.fairness!.attributes;
    // the COMPAS example declares positive_decision: harm: the table shows the favourable rate
    expect(compas.decision.positiveDecision).toBe("harm");
    expect(m.rateLabel).toBe("Favourable rate (not flagged)");
    expect(m.tables.map((t) => t.attribute)).toEqual(["race", "sex", "race & sex"]);
    m.tables.forEach((t, i) => {
      const groups = attrs[i]!.groups;
      expect(t.rows.map((r) => r.category)).toEqual(groups.map((g) => g.group));
      expect(t.rows.map((r) => r.n)).toEqual(groups.map((g) => g.n.toLocaleString("en-US")));
      // favourable = not flagged = (TN + FN) / n, from the confusion counts
      expect(t.rows.map((r) => r.rate)).toEqual(groups.map((g) => ((g.confusion.tn + g.confusion.fn) / g.n).toFixed(3)));
      // excluded groups (Asian, Native American: under 2% of the rows): bracketed, never flagged
      expect(t.rows.map((r) => r.impactRatio)).toEqual(groups.map((g) => (g.excluded ? `(${g.impactRatio.value!.toFixed(3)})` : g.impactRatio.value!.toFixed(3))));
      expect(t.rows.map((r) => r.below)).toEqual(groups.map((g) => (g.excluded ? null : g.impactRatio.value! < 0.8)));
      expect(t.unknownText).toBe("Number of individuals in the unknown category: 0");
    });
    // African-American men are flagged most: favourable 1,208 / 3,044 against Other men's 242 / 310
    const aa = m.tables[2]!.rows.find((r) => r.category === "race=African-American & sex=Male")!;
    expect(aa).toMatchObject({ n: "3,044", impactRatio: ((1208 / 3044) / (242 / 310)).toFixed(3), below: true });
    expect(m.tables[2]!.rows.find((r) => r.category === "race=Other & sex=Male")!.notes).toBe("highest rate");
    expect(m.tables[0]!.rows.find((r) => r.category === "Native American")!.notes).toBe("excluded (under the minimum size or share)");
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
    const rule = "positive when score > 4 (the median of all scores: LL144 scoring rate, no threshold given)";
    const median: Report = { ...compas, spec: { ...compas.spec, positive_decision: "benefit" }, decision: { threshold: 4, rule, positiveDecision: "benefit" } };
    expect(isScoringRate(median)).toBe(true);
    expect(ll144Model(median)!.rateLabel).toBe("Scoring rate");
    expect(ll144Model({ ...median, decision: { threshold: 4, rule, positiveDecision: "harm" } })!.rateLabel).toBe("Favourable rate (not scored high)");
    expect(isScoringRate(compas)).toBe(false);
    expect(ll144Model({ ...compas, sections: {} })).toBeNull();
  });
});
