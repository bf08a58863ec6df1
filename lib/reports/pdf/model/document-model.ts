// Everything the PDF prints, as strings and chart series, built from a stored report (and the
// previous version's, for the changes): the layout in ../document only places it. Reuses the
// dashboards' view-models (lib/views) so the PDF and the app say the same thing the same way.

import type { Report } from "../../../report/types";
import { confidenceLabel, DEFAULTS } from "../../../vocabulary";
import { fairnessView, type FairnessView } from "../../../views/fairness";
import { fmtCount, fmtValue } from "../../../views/format";
import { permutationView, shapGlobalView, shapUnits, type ImportanceView } from "../../../views/explanations";
import { calibrationView, confusionView, performanceNote, performanceRows, rocView, type CalibrationPoint, type ConfusionView, type MetricRow, type RocView } from "../../../views/performance";
import { fragileRows, groupFlipViews, minEpsilonView, overallView, threatRows, type FragileRow, type GroupFlipView, type MinEpsilonView, type OverallView, type ThreatRow } from "../../../views/robustness";
import { notRunMessage } from "../../../views/sections";
import { headlineMetrics, type HeadlineMetric } from "../../../views/summary";
import { appendixModel, type AppendixModel } from "./appendix";
import { changesModel, type ChangesModel } from "./changes";
import { coverModel, modelVersionName, type CoverModel, type CoverOptions } from "./cover";
import { dataModel, type DataModel } from "./data";
import { permutationMethod, shapMethod, type MethodRow } from "./explain";
import { ll144Model, type Ll144Model } from "./fairness";
import { methodologyModel, type MethodologyModel } from "./methodology";
import { policyRows, type PolicyRow } from "./policy";
import { topRisks, type Risk } from "./risks";
import { fitLabel } from "./text";
import { groupFlipTables, threatSummary, type GroupFlipTable, type ThreatSummary } from "./robustness";
import { signoffModel, type PdfReviewInput, type SignoffModel } from "./signoff";

export interface DocumentOptions extends CoverOptions {
  previous?: { version: string; report: Report } | null;
  /** The review recorded in the app (none: "not reviewed"). */
  review?: PdfReviewInput | null;
  /** @react-pdf/renderer's version, for the appendix. */
  rendererVersion?: string | null;
}

/** A section that was not run: one paragraph saying so and why. */
export interface NotRun {
  notRun: string;
}

export interface ScopeModel {
  items: Array<{ label: string; value: string; stated: boolean }>;
  context: Array<{ label: string; value: string }>;
}

export interface PerformanceModel {
  note: string;
  /** The intervals' confidence level as a label ("95%"). */
  level: string;
  rows: MetricRow[];
  roc: RocView;
  calibration: CalibrationPoint[] | null;
  calibrationNote: string;
  calibrationRows: Array<{ bin: string; count: string; meanScore: string; observedRate: string }>;
  confusion: ConfusionView;
}

export interface ExplainModel {
  permutation: ({ view: ImportanceView; method: MethodRow[] } & { notRun?: undefined }) | NotRun;
  shap: ({ view: ImportanceView; method: MethodRow[]; features: number; title: string; chartTitle: string } & { notRun?: undefined }) | NotRun;
  /** The SHAP subsection's title (names the algorithm). */
  shapTitle: string;
}

export interface RobustnessModel {
  overall: OverallView;
  threat: ThreatSummary;
  threatRows: ThreatRow[];
  groups: GroupFlipView[];
  groupTables: GroupFlipTable[];
  minEpsilon: MinEpsilonView;
  fragile: FragileRow[];
  rowsText: string;
}

export interface TocEntry {
  id: string;
  number: string;
  title: string;
  level: 1 | 2;
}

export interface PdfModel {
  cover: CoverModel;
  /** Running header: "Report <id> · <audit name>". */
  header: { left: string; right: string };
  summary: {
    verdict: CoverModel["verdict"];
    checksText: string;
    policy: PolicyRow[];
    risks: Risk[];
    headline: HeadlineMetric[];
    changes: ChangesModel | null;
    changesNote: string;
  };
  scope: ScopeModel;
  data: DataModel;
  performance: PerformanceModel | NotRun;
  fairness: { view: FairnessView; ll144: Ll144Model } | NotRun;
  explain: ExplainModel;
  robustness: RobustnessModel | NotRun;
  methodology: MethodologyModel;
  signoff: SignoffModel;
  appendix: AppendixModel;
  toc: TocEntry[];
}

export function isNotRun<T extends object>(x: T | NotRun): x is NotRun {
  return typeof (x as NotRun).notRun === "string";
}

function scopeModel(report: Report): ScopeModel {
  const s = report.spec;
  const field = (label: string, v: string | undefined, missing: string) => ({ label, value: v && v.trim() ? v.trim() : missing, stated: !!(v && v.trim()) });
  return {
    items: [
      field("Purpose", s.purpose, "Not stated: the audit spec gives no purpose."),
      field("Intended use", s.intended_use, "Not stated: the audit spec does not say what the model is meant to be used for."),
      field("Out of scope", s.out_of_scope, "Not stated: the audit spec names no uses the model must not be put to."),
    ],
    context: [
      ...(s.description ? [{ label: "Description", value: s.description }] : []),
      { label: "Decision audited", value: `${report.decision.rule}; positive outcome ${report.dataset.label.column} = "${report.dataset.label.positive}"` },
      { label: "Sensitive attributes", value: `${s.sensitive.join(", ")}${(report.sections.fairness?.attributes ?? []).some((a) => a.intersection) ? `; intersections ${report.sections.fairness!.attributes.filter((a) => a.intersection).map((a) => a.attribute).join(", ")}` : ""}` },
      {
        label: "Analyses run",
        value: (["performance", "fairness", "permutationImportance", "shap", "robustness"] as const)
          .map((k) => `${{ performance: "performance", fairness: "fairness", permutationImportance: "permutation importance", shap: "SHAP", robustness: "robustness" }[k]} ${report.sections[k] ? "yes" : "no"}`)
          .join(" · "),
      },
    ],
  };
}

function performanceModel(report: Report): PerformanceModel | NotRun {
  const perf = report.sections.performance;
  if (!perf) return { notRun: notRunMessage(report, "performance")! };
  const cal = calibrationView(perf);
  return {
    note: performanceNote(report, perf),
    level: confidenceLabel(perf.bootstrap?.confidence ?? report.spec.analyses.performance?.confidence ?? DEFAULTS.confidence),
    rows: performanceRows(perf),
    roc: rocView(report, perf),
    calibration: cal,
    calibrationNote: cal
      ? "Each dot is one of 10 equal-width score bins: the mean score of its rows against the share of them with a positive outcome; dots on the diagonal mean the scores can be read as probabilities."
      : `No calibration curve: the score ${report.model.scoreColumn ? `"${report.model.scoreColumn}" ` : ""}is not a probability, so comparing it with observed rates would be meaningless (log loss and Brier score are left out for the same reason).`,
    calibrationRows: (cal ?? []).map((c) => ({ bin: c.bin, count: fmtCount(c.count), meanScore: fmtValue(c.meanScore), observedRate: fmtValue(c.observedRate) })),
    confusion: confusionView(report, perf),
  };
}

function shapTitle(shap: Report["sections"]["shap"]): string {
  return shap?.method === "tree" ? "SHAP explanations (exact TreeSHAP)" : "SHAP explanations (KernelSHAP)";
}

function explainModel(report: Report): ExplainModel {
  const { permutationImportance: pi, shap } = report.sections;
  return {
    permutation: pi ? { view: permutationView(pi), method: permutationMethod(pi) } : { notRun: notRunMessage(report, "permutationImportance")! },
    shap: shap
      ? { view: shapGlobalView(shap), method: shapMethod(shap), features: shap.features.length, title: shapTitle(shap), chartTitle: `Mean |SHAP value| per column (${shapUnits(shap)})` }
      : { notRun: notRunMessage(report, "shap")! },
    shapTitle: shapTitle(shap),
  };
}

function robustnessModel(report: Report): RobustnessModel | NotRun {
  const rob = report.sections.robustness;
  if (!rob) return { notRun: notRunMessage(report, "robustness")! };
  return {
    overall: overallView(rob),
    threat: threatSummary(rob),
    threatRows: threatRows(rob),
    groups: groupFlipViews(rob, report.sections.fairness),
    groupTables: groupFlipTables(rob),
    minEpsilon: minEpsilonView(rob),
    fragile: fragileRows(rob),
    rowsText: `${fmtCount(rob.rows)} rows attacked; accuracy on them without an attack ${fmtValue(rob.cleanAccuracy)}.`,
  };
}

export function tocEntries(m: Omit<PdfModel, "toc">): TocEntry[] {
  const out: TocEntry[] = [
    { id: "summary", number: "1", title: "Executive summary", level: 1 },
    { id: "summary-headline", number: "1.1", title: "Headline numbers", level: 2 },
    { id: "summary-changes", number: "1.2", title: "Changes against the previous audited version", level: 2 },
    { id: "scope", number: "2", title: "Scope and intended use", level: 1 },
    { id: "data", number: "3", title: "Data", level: 1 },
    { id: "performance", number: "4", title: "Performance", level: 1 },
    { id: "fairness", number: "5", title: "Fairness", level: 1 },
  ];
  if (!isNotRun(m.fairness)) {
    out.push({ id: "fairness-ll144", number: "5.1", title: "Impact ratio summary (NYC Local Law 144 layout)", level: 2 });
    m.fairness.view.attributes.forEach((a, i) => out.push({ id: `fairness-attr-${i}`, number: `5.${i + 2}`, title: `${a.intersection ? "Intersection" : "Attribute"}: ${a.attribute}`, level: 2 }));
  }
  out.push(
    { id: "explainability", number: "6", title: "Explainability", level: 1 },
    { id: "explainability-permutation", number: "6.1", title: "Permutation importance", level: 2 },
    { id: "explainability-shap", number: "6.2", title: m.explain.shapTitle, level: 2 },
    { id: "robustness", number: "7", title: "Robustness", level: 1 },
  );
  if (!isNotRun(m.robustness)) {
    out.push(
      { id: "robustness-threat", number: "7.1", title: "Threat model", level: 2 },
      { id: "robustness-overall", number: "7.2", title: "Flip rate against the attack budget", level: 2 },
      { id: "robustness-groups", number: "7.3", title: "Flip rates per group", level: 2 },
    );
  }
  out.push(
    { id: "methodology", number: "8", title: "Methodology, definitions and limitations", level: 1 },
    { id: "methodology-definitions", number: "8.1", title: "How the numbers are defined", level: 2 },
    { id: "methodology-glossary", number: "8.2", title: "Glossary of the metrics in this report", level: 2 },
    { id: "methodology-limitations", number: "8.3", title: "Limitations and warnings", level: 2 },
    { id: "signoff", number: "9", title: "Sign-off", level: 1 },
    { id: "appendix", number: "A", title: "Appendix: audit spec, parameters and software", level: 1 },
  );
  return out;
}

export function buildPdfModel(report: Report, options: DocumentOptions): PdfModel {
  const cover = coverModel(report, options);
  const currentLabel = modelVersionName(report, options);
  const fair = report.sections.fairness;
  const ll144 = ll144Model(report);
  const base: Omit<PdfModel, "toc"> = {
    cover,
    header: { left: fitLabel(`Assay audit report · ${report.spec.name}`, 270, 6.3), right: `Report ${report.id}` },
    summary: {
      verdict: cover.verdict,
      checksText: cover.checksText,
      policy: policyRows(report),
      risks: topRisks(report),
      headline: headlineMetrics(report, options.previous?.report ?? null),
      changes: options.previous ? changesModel(report, options.previous, currentLabel) : null,
      changesNote: options.previous ? "" : "No previous audited version was given, so there are no changes to report.",
    },
    scope: scopeModel(report),
    data: dataModel(report),
    performance: performanceModel(report),
    fairness: fair && ll144 ? { view: fairnessView(report, fair), ll144 } : { notRun: notRunMessage(report, "fairness")! },
    explain: explainModel(report),
    robustness: robustnessModel(report),
    methodology: methodologyModel(report),
    signoff: signoffModel(report.id, options.reportSha256, cover.preparedBy, options.review),
    appendix: appendixModel(report, options.rendererVersion ?? null),
  };
  return { ...base, toc: tocEntries(base) };
}
