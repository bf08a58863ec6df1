import { loadFixture } from "./testing/fixtures";
import { notRunMessage } from "./sections";

test("present sections have no message", () => {
  const r = loadFixture("cps-v1");
  for (const s of ["performance", "fairness", "permutationImportance", "shap", "robustness"] as const) expect(notRunMessage(r, s)).toBeNull();
});

test("a score-column audit says the model-based analyses need a model", () => {
  const r = loadFixture("compas");
  expect(notRunMessage(r, "shap")).toBe('SHAP explanations was not run: it needs a model that Assay can re-score, and this audit checks the score column "decile_score" without one.');
  expect(notRunMessage(r, "robustness")).toMatch(/needs a model/);
  expect(notRunMessage(r, "permutationImportance")).toMatch(/needs a model/);
});

test("a model audit that skipped an analysis says the spec did not ask for it", () => {
  const r = loadFixture("cps-v1");
  const { robustness: _drop, ...rest } = r.sections;
  expect(notRunMessage({ ...r, sections: rest }, "robustness")).toBe("Robustness testing was not run for this audit: the audit spec did not ask for it.");
});
