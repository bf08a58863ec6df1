import { glossaryEntry } from "../../../report/glossary";
import { loadFixture } from "../../../views/testing/fixtures";
import { definitions, glossaryRows, limitations, methodologyModel } from "./methodology";

const v1 = loadFixture("cps-v1");
const compas = loadFixture("compas");

describe("definitions", () => {
  test("one definition per analysis the report holds", () => {
    const titles = (r: typeof v1) => definitions(r).map((d) => d.title);
    expect(titles(v1)).toEqual(expect.arrayContaining(["Decision", "Groups", "Performance", "Group rates", "Impact ratio", "Confidence intervals", "Permutation importance", "SHAP values", "Robustness", "Reproducibility"]));
    expect(titles(compas)).not.toContain("SHAP values");
    expect(titles(compas)).not.toContain("Robustness");
    expect(definitions(compas)[0]!.text).toContain("when score ≥ 5");
  });
});

describe("glossaryRows", () => {
  test("every metric id of the report once, disparities collapsed into one row", () => {
    const rows = glossaryRows(v1);
    const ids = rows.flatMap((r) => r.id.split(", "));
    const expected = [...new Set([...v1.policy.map((p) => p.metric), ...v1.metrics.map((m) => m.id)])];
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(rows.filter((r) => r.label === "Disparity of a rate")).toHaveLength(1);
    const roc = rows.find((r) => r.id === "roc_auc")!;
    expect(roc).toEqual({ id: "roc_auc", ...glossaryEntry("roc_auc") });
  });
});

describe("limitations and warnings", () => {
  test("a score-column audit says which analyses it could not run", () => {
    expect(limitations(compas).some((l) => l.includes("score column"))).toBe(true);
    expect(limitations(v1).some((l) => l.includes("score column"))).toBe(false);
  });
  test("every warning appears, grouped", () => {
    const m = methodologyModel(compas);
    expect(m.warnings.flatMap((g) => g.items.map((i) => i.message)).sort()).toEqual(compas.warnings.map((w) => w.message).sort());
    expect(m.warningsText).toBe(`The engine raised ${compas.warnings.length} warnings, listed here in full and grouped by kind.`);
  });
});
