// The Summary tab: the overall verdict, one card per policy check, headline metrics (with the
// change from the previous version when there is one), warnings grouped by kind, and where the
// numbers come from (engine, backend, dataset hash, row counts).

import { findMetric } from "../report/flatten";
import { glossaryEntry } from "../report/glossary";
import type { PolicyResult, Report, ReportWarning } from "../report/types";
import { compareValues, type Change } from "./directions";
import { positiveDecisionOf } from "../report/disadvantage";
import { reportDisadvantageLines, type DisadvantageLine } from "./disadvantage";
import { fmtBytes, fmtCount, fmtDelta, fmtDuration, fmtInterval, fmtPlain, fmtRequirement, fmtValue } from "./format";
import { metricQualifier, type MetricAddress } from "./labels";
import { confidenceLabel, DEFAULTS, ROBUSTNESS_METRIC_IDS } from "../vocabulary";

export interface Verdict {
  status: "pass" | "fail" | "none";
  title: string;
  detail: string;
}

export function verdictOf(report: Report): Verdict {
  const n = report.policy.length;
  if (n === 0) return { status: "none", title: "No policy checks", detail: "The audit spec defines no policy checks, so there is nothing to pass or fail; read the numbers below." };
  const failed = report.policy.filter((p) => !p.pass);
  if (failed.length === 0) return { status: "pass", title: "Passed", detail: `All ${n} policy check${n === 1 ? "" : "s"} pass.` };
  const names = failed.map((p) => policyName(p)).join("; ");
  return { status: "fail", title: "Failed", detail: `${failed.length} of ${n} policy check${n === 1 ? "" : "s"} fail: ${names}.` };
}

function policyAddress(p: PolicyResult): MetricAddress {
  return {
    id: p.metric,
    ...(p.attribute !== undefined ? { attribute: p.attribute } : {}),
    ...(p.group !== undefined ? { group: p.group } : {}),
    ...(p.feature !== undefined ? { feature: p.feature } : {}),
    ...(p.epsilon !== undefined ? { epsilon: p.epsilon } : {}),
  };
}

function policyName(p: PolicyResult): string {
  const q = metricQualifier(policyAddress(p));
  return q ? `${glossaryEntry(p.metric).label} (${q})` : glossaryEntry(p.metric).label;
}

function samePolicy(a: PolicyResult, b: PolicyResult): boolean {
  return a.metric === b.metric && a.attribute === b.attribute && a.group === b.group && a.feature === b.feature && a.epsilon === b.epsilon;
}

export interface PolicyCard {
  key: string;
  label: string;
  qualifier: string;
  /** "must be at least 0.8" */
  requirement: string;
  value: string;
  pass: boolean;
  meaning: string;
  note: string | null;
  /** The same check in the previous version, when there is one. */
  previous: { status: "pass" | "fail" | "absent"; value: string } | null;
}

export function policyCards(report: Report, previous?: Report | null): PolicyCard[] {
  return report.policy.map((p, i) => {
    const before = previous ? previous.policy.find((q) => samePolicy(p, q)) : undefined;
    return {
      key: `${i}:${p.metric}`,
      label: glossaryEntry(p.metric).label,
      qualifier: metricQualifier(policyAddress(p)),
      requirement: `must be ${fmtRequirement(p.min, p.max)}`,
      value: fmtValue(p.value),
      pass: p.pass,
      meaning: glossaryEntry(p.metric).explanation,
      note: p.note ?? null,
      previous: previous ? (before ? { status: before.pass ? "pass" : "fail", value: fmtValue(before.value) } : { status: "absent", value: "—" }) : null,
    };
  });
}

export interface HeadlineMetric {
  key: string;
  label: string;
  qualifier: string;
  explanation: string;
  value: string;
  ci: string;
  /** The interval's confidence level as a label ("95%"); null when the metric has no interval. */
  level: string | null;
  /** Against the previous version: null without one. */
  change: { previous: string; delta: string; change: Change } | null;
}

/** The addresses shown as headline metrics for a report. */
export function headlineAddresses(report: Report): MetricAddress[] {
  const out: MetricAddress[] = [];
  const perf = report.sections.performance;
  if (perf) for (const id of ["accuracy", "balanced_accuracy", "roc_auc"]) if (perf.metrics[id]) out.push({ id });
  for (const a of report.sections.fairness?.attributes ?? []) {
    if (a.intersection) continue;
    out.push({ id: "demographic_parity_ratio", attribute: a.attribute }, { id: "equalized_odds_difference", attribute: a.attribute });
  }
  const rob = report.sections.robustness;
  if (rob && rob.epsilons.length) {
    out.push({ id: "flip_rate", epsilon: rob.epsilons[rob.epsilons.length - 1]! });
    out.push({ id: "median_min_epsilon" });
  }
  return out;
}

export function headlineMetrics(report: Report, previous?: Report | null): HeadlineMetric[] {
  return headlineAddresses(report).flatMap((a) => {
    const m = findMetric(report.metrics, a);
    if (!m) return [];
    const before = previous ? findMetric(previous.metrics, a) : undefined;
    const e = glossaryEntry(a.id);
    return [
      {
        key: JSON.stringify(a),
        label: e.label,
        qualifier: metricQualifier(a),
        explanation: e.explanation,
        value: fmtValue(m.value),
        ci: fmtInterval(m.ci),
        level: m.ci ? confidenceLabel(intervalConfidence(report, a.id)) : null,
        change: previous
          ? { previous: fmtValue(before?.value), delta: fmtDelta(before && before.value !== null && m.value !== null ? m.value - before.value : null), change: compareValues(a.id, before?.value, m.value, positiveDecisionOf(report)) }
          : null,
      },
    ];
  });
}

/** The confidence level of a metric's interval: the performance options for performance metrics
 *  (bootstrap and DeLong alike), the fairness options for group metrics. */
function intervalConfidence(report: Report, id: string): number {
  if (report.sections.performance?.metrics[id]) return report.sections.performance.bootstrap?.confidence ?? report.spec.analyses.performance?.confidence ?? DEFAULTS.confidence;
  if (!ROBUSTNESS_METRIC_IDS.includes(id) && report.sections.fairness) return report.sections.fairness.bootstrap.confidence;
  return DEFAULTS.confidence;
}

/** The headline table's interval column: "95% interval" when every interval shares a level,
 *  "Interval" otherwise (each cell then names its level, see headlineIntervalText). */
export function headlineIntervalTitle(rows: HeadlineMetric[]): string {
  const levels = new Set(rows.map((r) => r.level).filter((l): l is string => l !== null));
  return levels.size === 1 ? `${[...levels][0]} interval` : "Interval";
}

export function headlineIntervalText(row: HeadlineMetric, rows: HeadlineMetric[]): string {
  return headlineIntervalTitle(rows) === "Interval" && row.level ? `${row.ci} (${row.level})` : row.ci;
}

export interface WarningGroup {
  id: "small" | "excluded" | "missing" | "unknown_categories" | "undefined" | "other";
  title: string;
  /** What this kind of warning means for the reader. */
  meaning: string;
  items: Array<{ message: string; code: string }>;
}

const WARNING_GROUPS: Array<{ id: WarningGroup["id"]; codes: string[]; title: string; meaning: string }> = [
  { id: "small", codes: ["small_group"], title: "Small groups", meaning: `Groups with fewer than ${DEFAULTS.smallGroupSize} rows: their rates can change a lot by chance, so read them with their intervals.` },
  { id: "excluded", codes: ["group_excluded"], title: "Excluded groups", meaning: "Groups below the spec's minimum group size or share of the rows: reported, but left out of the differences, ratios and impact ratios." },
  { id: "missing", codes: ["missing_values", "unknown_group"], title: "Missing values", meaning: "Empty cells: in a sensitive attribute they form their own group; in a model input they were filled in." },
  { id: "unknown_categories", codes: ["unknown_categories", "unexpected_binary_values"], title: "Unknown categories", meaning: "Values the model was not trained on; they were encoded as 'none of the known categories'." },
  { id: "undefined", codes: ["undefined_rate", "zero_reference_rate", "single_group"], title: "Undefined rates", meaning: "Numbers that cannot be computed (division by zero, or fewer than two groups to compare); they show as — and are left out, never counted as 0." },
];

export function groupWarnings(warnings: readonly ReportWarning[]): WarningGroup[] {
  const groups: WarningGroup[] = WARNING_GROUPS.map((g) => ({ id: g.id, title: g.title, meaning: g.meaning, items: [] }));
  const other: WarningGroup = { id: "other", title: "Other warnings", meaning: "Further notes from the engine.", items: [] };
  for (const w of warnings) {
    const i = WARNING_GROUPS.findIndex((g) => g.codes.includes(w.code));
    (i >= 0 ? groups[i]! : other).items.push({ message: w.message, code: w.code });
  }
  return [...groups, other].filter((g) => g.items.length > 0);
}

/** Who the numbers put at a disadvantage, in the direction the audit declares (one line per finding). */
export function disadvantageSummary(report: Report): { lead: string; lines: DisadvantageLine[] } | null {
  const lines = reportDisadvantageLines(report);
  if (lines.length === 0) return null;
  const pd = positiveDecisionOf(report);
  return {
    lead:
      pd === "harm"
        ? "In this audit a positive prediction is harm for the person (flagged, high risk): the disadvantaged group is the one most often flagged, and the error that matters first is being wrongly flagged (false positive rate)."
        : "In this audit a positive prediction is a benefit for the person (selected, approved): the disadvantaged group is the one least often selected, and the error that matters first is being wrongly denied (false negative rate).",
    lines,
  };
}

/** What the audit is for, from the spec (only the fields that are filled in). */
export function aboutAudit(report: Report): Array<{ label: string; value: string }> {
  const s = report.spec;
  const fields: Array<[string, string | undefined]> = [
    ["Description", s.description],
    ["Purpose", s.purpose],
    ["Intended use", s.intended_use],
    ["Out of scope", s.out_of_scope],
  ];
  return fields.filter((f): f is [string, string] => typeof f[1] === "string" && f[1].length > 0).map(([label, value]) => ({ label, value }));
}

export interface ProvenanceItem {
  label: string;
  value: string;
  /** Hashes and paths: shown in a monospace font. */
  code?: boolean;
}

/** The backend as reports name it: "webgpu on NVIDIA H200 (nvidia, hopper)", "wasm". */
export function backendLabel(e: Report["engine"]): string {
  const a = e.adapter;
  if (!a) return e.backend;
  const detail = [a.vendor, a.architecture].filter(Boolean).join(", ");
  return `${e.backend} on ${a.description}${detail ? ` (${detail})` : ""}${a.software ? " — a software adapter" : ""}`;
}

/** The engine line of the summary and the cover. */
export function engineLine(e: Report["engine"]): string {
  return `${e.name} ${e.version} · backend ${backendLabel(e)}${e.tfjsVersion ? ` · TensorFlow.js ${e.tfjsVersion}` : ""} · Node ${e.node}`;
}

export function provenance(report: Report): ProvenanceItem[] {
  const d = report.dataset;
  const e = report.engine;
  const items: ProvenanceItem[] = [
    { label: "Engine", value: engineLine(e) },
    { label: "Definitions", value: `METRICS.md version ${report.definitions} · report schema ${report.schemaVersion}` },
    { label: "Dataset", value: d.path, code: true },
    { label: "Dataset SHA-256", value: d.sha256, code: true },
    {
      label: "Rows",
      value: `${fmtCount(d.rows)} rows (${fmtBytes(d.bytes)}) · label ${d.label.column} = "${d.label.positive}": ${fmtCount(d.label.positives)} positive, ${fmtCount(d.label.negatives)} negative${d.weight ? ` · weighted by ${d.weight.column} (total ${fmtPlain(d.weight.total, 2)})` : ""}`,
    },
  ];
  const m = report.model;
  items.push({
    label: "Model",
    value: m.kind === "score" ? `score column ${m.scoreColumn ?? "?"} (${m.probability ? "probability" : "not a probability"})` : `TensorFlow.js model ${m.path ?? ""}${m.inputs !== undefined ? ` · ${m.inputs} inputs` : ""} · ${m.outputType}`,
  });
  for (const f of m.files ?? []) items.push({ label: `Model file ${f.name}`, value: `${f.sha256} (${fmtBytes(f.bytes)})`, code: true });
  items.push({ label: "Decision", value: report.decision.rule });
  const s = report.sections;
  const counts: string[] = [];
  if (s.performance) counts.push(`performance ${fmtCount(s.performance.rows)}`);
  if (s.permutationImportance) counts.push(`permutation importance ${fmtCount(s.permutationImportance.rows)}${s.permutationImportance.subsampled ? " (subsample)" : ""}`);
  if (s.shap) counts.push(`SHAP ${fmtCount(s.shap.explained.rows)} explained, ${fmtCount(s.shap.background.rows)} background`);
  if (s.robustness) counts.push(`robustness ${fmtCount(s.robustness.rows)} attacked`);
  if (counts.length) items.push({ label: "Rows analysed", value: counts.join(" · ") });
  const total = report.timings.find((t) => t.analysis === "total");
  if (total) items.push({ label: "Wall time", value: fmtDuration(total.ms) });
  items.push({ label: "Report", value: report.id, code: true });
  return items;
}
