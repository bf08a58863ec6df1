// Which analyses a report holds, and the plain message shown in place of one that was not run.
// Never fake data: an absent section is said to be absent, with the reason when it is known.

import type { Report } from "../report/types";

export type AnalysisId = keyof Report["sections"];

const NAMES: Record<AnalysisId, string> = {
  performance: "Performance",
  fairness: "Fairness",
  permutationImportance: "Permutation importance",
  shap: "SHAP explanations",
  robustness: "Robustness testing",
};

/** Analyses that re-score rows through a model, so they cannot run on a score column. */
const NEEDS_MODEL: ReadonlySet<AnalysisId> = new Set(["permutationImportance", "shap", "robustness"]);

/** Null when the section is present; otherwise one sentence saying it was not run and why. */
export function notRunMessage(report: Report, analysis: AnalysisId): string | null {
  if (report.sections[analysis]) return null;
  const name = NAMES[analysis];
  if (NEEDS_MODEL.has(analysis) && report.model.kind === "score") {
    const col = report.model.scoreColumn ? ` "${report.model.scoreColumn}"` : "";
    return `${name} was not run: it needs a model that Assay can re-score, and this audit checks the score column${col} without one.`;
  }
  return `${name} was not run for this audit: the audit spec did not ask for it.`;
}
