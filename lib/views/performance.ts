// The Performance tab: the metrics table (with intervals), the ROC curve and the operating point
// of the audit's threshold, the calibration plot (probability scores only) and the confusion
// matrix with plain-language cell names.

import { PERFORMANCE_METRIC_IDS } from "../vocabulary";
import { glossaryEntry } from "../report/glossary";
import type { PerformanceSection, Report } from "../report/types";
import { fmtCount, fmtInterval, fmtPercent, fmtPlain, fmtValue } from "./format";

export interface MetricRow {
  id: string;
  label: string;
  explanation: string;
  value: string;
  ci: string;
  /** Why there is no value. */
  reason: string | null;
}

export function performanceRows(perf: PerformanceSection): MetricRow[] {
  const ids = [...PERFORMANCE_METRIC_IDS.filter((id) => id in perf.metrics), ...Object.keys(perf.metrics).filter((id) => !(PERFORMANCE_METRIC_IDS as readonly string[]).includes(id))];
  return ids.map((id) => {
    const m = perf.metrics[id]!;
    const e = glossaryEntry(id);
    return {
      id,
      label: e.label,
      explanation: e.explanation,
      value: fmtValue(m.value),
      ci: fmtInterval(m.ci),
      reason: m.value === null ? "undefined: one of the outcome classes is missing" : null,
    };
  });
}

export interface RocView {
  points: Array<{ fpr: number; tpr: number }>;
  auc: string;
  /** FPR and TPR of the audit's decision rule, from the stored confusion counts. */
  operating: { fpr: number; tpr: number; label: string } | null;
}

export function rocView(report: Report, perf: PerformanceSection): RocView {
  const points = [...perf.roc].sort((a, b) => a.fpr - b.fpr || a.tpr - b.tpr).map((p) => ({ fpr: p.fpr, tpr: p.tpr }));
  const c = perf.confusion;
  let operating: RocView["operating"] = null;
  if (c.tp + c.fn > 0 && c.fp + c.tn > 0) {
    const fpr = c.fp / (c.fp + c.tn);
    const tpr = c.tp / (c.tp + c.fn);
    operating = { fpr, tpr, label: `Orange dot: this audit's threshold ${fmtPlain(report.decision.threshold)} (false positive rate ${fmtValue(fpr)}, true positive rate ${fmtValue(tpr)}).` };
  }
  return { points, auc: fmtValue(perf.metrics.roc_auc?.value ?? null), operating };
}

export interface CalibrationPoint {
  bin: string;
  meanScore: number;
  observedRate: number;
  count: number;
}

/** Bins with rows, for the calibration plot; null when the report has no calibration (score columns). */
export function calibrationView(perf: PerformanceSection): CalibrationPoint[] | null {
  if (!perf.calibration) return null;
  return perf.calibration
    .filter((b) => b.count > 0 && b.meanScore !== null && b.observedRate !== null)
    .map((b) => ({ bin: `${fmtPlain(b.lo, 2)}–${fmtPlain(b.hi, 2)}`, meanScore: b.meanScore!, observedRate: b.observedRate!, count: b.count }));
}

export interface ConfusionCell {
  key: "tp" | "fp" | "tn" | "fn";
  name: string;
  meaning: string;
  count: string;
  share: string;
  correct: boolean;
}

export interface ConfusionView {
  positive: string;
  /** rows: actual positive, actual negative; columns: selected, not selected */
  rows: Array<{ actual: string; cells: [ConfusionCell, ConfusionCell] }>;
  total: string;
}

export function confusionView(report: Report, perf: PerformanceSection): ConfusionView {
  const c = perf.confusion;
  const total = c.tp + c.fp + c.tn + c.fn;
  const label = `${report.dataset.label.column} = "${report.dataset.label.positive}"`;
  const cell = (key: ConfusionCell["key"], name: string, meaning: string, correct: boolean): ConfusionCell => ({
    key,
    name,
    meaning,
    count: fmtCount(c[key]),
    share: total > 0 ? fmtPercent(c[key] / total) : "—",
    correct,
  });
  return {
    positive: label,
    rows: [
      {
        actual: `Actually positive (${label})`,
        cells: [cell("tp", "True positives", "selected, and the outcome was positive", true), cell("fn", "False negatives", "not selected, but the outcome was positive", false)],
      },
      {
        actual: "Actually negative",
        cells: [cell("fp", "False positives", "selected, but the outcome was negative", false), cell("tn", "True negatives", "not selected, and the outcome was negative", true)],
      },
    ],
    total: fmtCount(total),
  };
}

/** The sentence above the metrics table: rows, decision rule and how the intervals were made. */
export function performanceNote(report: Report, perf: PerformanceSection): string {
  const b = perf.bootstrap;
  const intervals = b ? ` Brackets: ${fmtPlain(b.confidence * 100)}% bootstrap intervals (${fmtCount(b.resamples)} resamples, seed ${b.seed})${perf.aucInterval ? `; ROC AUC interval by ${perf.aucInterval.method}` : ""}.` : "";
  return `Computed on ${fmtCount(perf.rows)} rows with the decision rule "${report.decision.rule}".${intervals}`;
}
