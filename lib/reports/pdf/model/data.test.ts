import type { Report } from "../../../report/types";
import { loadFixture } from "../../../views/testing/fixtures";
import { dataModel } from "./data";

const v1 = loadFixture("cps-v1");
const compas = loadFixture("compas");

describe("dataModel", () => {
  test("rows and label balance from the dataset record", () => {
    const d = dataModel(v1);
    const fact = (label: string) => d.facts.find((f) => f.label === label)!.value;
    expect(fact("Rows")).toBe("534");
    const { positives, negatives } = v1.dataset.label;
    expect(fact("Label balance")).toBe(`${positives} positive (${((positives / 534) * 100).toFixed(1)}%), ${negatives} negative (${((negatives / 534) * 100).toFixed(1)}%)`);
    expect(dataModel(compas).facts.find((f) => f.label === "Rows")!.value).toBe("7,214");
  });

  test("a group size row per group of every attribute and intersection, with n and share", () => {
    const d = dataModel(compas);
    const attrs = compas.sections.fairness!.attributes;
    expect(d.attributes.map((a) => a.attribute)).toEqual(attrs.map((a) => a.attribute));
    d.attributes.forEach((a, i) => {
      expect(a.rows.map((r) => r.group)).toEqual(attrs[i]!.groups.map((g) => g.group));
      expect(a.rows.map((r) => r.n)).toEqual(attrs[i]!.groups.map((g) => g.n.toLocaleString("en-US")));
    });
    const aa = d.attributes[0]!.rows.find((r) => r.group === "African-American")!;
    expect(aa).toMatchObject({ n: "3,696", share: `${((3696 / 7214) * 100).toFixed(1)}%` });
    expect(d.attributes[0]!.rows.find((r) => r.group === "Native American")!.flags).toBe("small (n < 30), excluded");
    expect(d.attributes[0]!.unknownText).toBe("No rows with an unknown race.");
  });

  test("unknown groups, empty values and exclusions", () => {
    const race = v1.sections.fairness!.attributes[1]!;
    const messy: Report = {
      ...v1,
      dataset: { ...v1.dataset, columns: v1.dataset.columns.map((c) => (c.name === "race" ? { ...c, missing: 20 } : c)) },
      sections: {
        ...v1.sections,
        fairness: {
          ...v1.sections.fairness!,
          minGroupSize: 25,
          attributes: [{ ...race, groups: [...race.groups, { ...race.groups[0]!, group: "(missing)", n: 20, small: true, unknown: true, excluded: true }], excluded: [{ group: "(missing)", n: 20, reason: "n = 20 < min_group_size 25" }] }],
        },
      },
    };
    const d = dataModel(messy);
    expect(d.attributes[0]!.unknown).toBe(20);
    expect(d.attributes[0]!.unknownText).toBe("20 rows (3.7%) with an unknown (missing) value.");
    expect(d.attributes[0]!.rows.at(-1)!.flags).toBe("unknown (missing value), small (n < 30), excluded");
    expect(d.missingText).toMatch(/^1 of 12 columns have empty values: race \(20\)/);
    expect(d.columns.find((c) => c.name === "race")).toMatchObject({ missing: "20 (3.7%)", role: "sensitive, model input" });
    expect(d.excluded).toEqual([{ attribute: "race", group: "(missing)", n: "20", reason: "n = 20 < min_group_size 25" }]);
    expect(d.excludedText).toMatch(/minimum group size of 25/);
  });

  test("the data warnings of the report, in its order", () => {
    const w = [
      { code: "missing_values", column: "experience", message: "14 empty values in \"experience\" replaced by the mean (17.82)" },
      { code: "small_group", attribute: "race", group: "hispanic", message: "race: small" },
      { code: "group_excluded", attribute: "race", group: "(missing)", message: "race: excluded" },
    ];
    expect(dataModel({ ...v1, warnings: w }).warnings).toEqual([w[0]!.message, w[2]!.message]);
    expect(dataModel(v1).warnings).toEqual([]);
  });

  test("without a fairness section, says where group sizes would come from", () => {
    const d = dataModel({ ...v1, sections: { performance: v1.sections.performance! } });
    expect(d.attributes).toEqual([]);
    expect(d.noGroups).toMatch(/not run/);
  });
});
