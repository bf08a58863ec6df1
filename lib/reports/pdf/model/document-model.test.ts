import { loadFixture } from "../../../views/testing/fixtures";
import { buildPdfModel, isNotRun } from "./document-model";

const v1 = loadFixture("cps-v1");
const v2 = loadFixture("cps-v2");
const compas = loadFixture("compas");
const SHA = "0".repeat(64);

describe("buildPdfModel", () => {
  test("a full report: every section present, contents with every attribute", () => {
    const m = buildPdfModel(v1, { reportSha256: SHA, previous: { version: "v2", report: v2 } });
    expect(isNotRun(m.performance) || isNotRun(m.fairness) || isNotRun(m.robustness)).toBe(false);
    expect(m.summary.changes?.previousLabel).toBe("v2");
    expect(m.summary.changes?.currentLabel).toBe("v1");
    const ids = m.toc.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(["summary", "summary-changes", "scope", "data", "performance", "fairness", "fairness-ll144", "explainability", "robustness", "methodology", "signoff", "appendix"]));
    expect(m.toc.filter((e) => e.id.startsWith("fairness-attr-")).map((e) => e.title)).toEqual(["Attribute: gender", "Attribute: race", "Intersection: gender & race"]);
    expect(m.header.right).toBe(`Report ${v1.id}`);
    expect(m.summary.headline.every((h) => h.change !== null)).toBe(true);
  });

  test("a score-column audit: the analyses that need a model say why they were not run", () => {
    const m = buildPdfModel(compas, { reportSha256: SHA });
    expect(isNotRun(m.robustness) && m.robustness.notRun).toMatch(/needs a model/);
    expect(isNotRun(m.explain.shap) && m.explain.shap.notRun).toMatch(/decile_score/);
    expect(isNotRun(m.explain.permutation)).toBe(true);
    expect(m.summary.changes).toBeNull();
    expect(m.summary.changesNote).toMatch(/No previous audited version/);
    expect(m.toc.some((e) => e.id === "robustness-threat")).toBe(false);
    expect(!isNotRun(m.performance) && m.performance.calibration).toBeNull();
  });

  test("scope: stated fields verbatim, missing ones said plainly", () => {
    expect(buildPdfModel(v1, { reportSha256: SHA }).scope.items).toEqual([
      { label: "Purpose", value: v1.spec.purpose, stated: true },
      { label: "Intended use", value: v1.spec.intended_use, stated: true },
      { label: "Out of scope", value: v1.spec.out_of_scope, stated: true },
    ]);
    const items = buildPdfModel(compas, { reportSha256: SHA }).scope.items;
    expect(items.every((i) => !i.stated && i.value.startsWith("Not stated"))).toBe(true);
  });
});
