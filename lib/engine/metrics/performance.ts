// Performance metrics (METRICS.md §1), weighted when weights are given, matching scikit-learn:
// accuracy, balanced accuracy, precision, recall, F1, ROC AUC (Mann–Whitney, ties ½), average
// precision (step-wise), log loss (clipped at 1e-15), Brier score, 10-bin calibration.

import { cellIndex, rateOf, type Confusion } from "./rates";

export interface ScoreLevels {
  /** Distinct scores, ascending. */
  values: Float64Array;
  /** Weight of positive rows at each distinct score. */
  pos: Float64Array;
  /** Weight of negative rows at each distinct score. */
  neg: Float64Array;
  totalPos: number;
  totalNeg: number;
}

/**
 * Aggregates rows by distinct score: O(n log d) with native sorts and binary search, so a
 * million rows need no comparator callbacks. Rows with NaN scores must not be passed.
 */
export function scoreLevels(scores: Float64Array, y: Uint8Array, w: Float64Array | null): ScoreLevels {
  const sorted = Float64Array.from(scores).sort();
  let d = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[d - 1]) sorted[d++] = sorted[i]!;
  const values = sorted.slice(0, d);
  const pos = new Float64Array(d);
  const neg = new Float64Array(d);
  let totalPos = 0;
  let totalNeg = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    const wi = w ? w[i]! : 1;
    if (y[i]) {
      pos[lo]! += wi;
      totalPos += wi;
    } else {
      neg[lo]! += wi;
      totalNeg += wi;
    }
  }
  return { values, pos, neg, totalPos, totalNeg };
}

/** ROC AUC as the Mann–Whitney statistic with ties counted ½; null when a class is absent. */
export function rocAuc(l: ScoreLevels): number | null {
  if (l.totalPos <= 0 || l.totalNeg <= 0) return null;
  let negBelow = 0;
  let acc = 0;
  for (let k = 0; k < l.values.length; k++) {
    acc += l.pos[k]! * (negBelow + 0.5 * l.neg[k]!);
    negBelow += l.neg[k]!;
  }
  return acc / (l.totalPos * l.totalNeg);
}

/**
 * DeLong's variance of the unweighted AUC, computed from the score levels (structural
 * components per distinct score). Returns a normal-approximation interval clipped to [0,1]; z is
 * the normal quantile of the confidence level (1.96 for 95%).
 */
export function rocAucDeLongInterval(l: ScoreLevels, z = 1.959963984540054): [number, number] | null {
  const m = l.totalPos;
  const n = l.totalNeg;
  if (m < 2 || n < 2) return null;
  const auc = rocAuc(l)!;
  // V10 for a positive at level k: P(neg < s) + ½ P(neg = s); V01 for a negative: P(pos > s) + ½ P(pos = s)
  let negBelow = 0;
  let s10 = 0;
  for (let k = 0; k < l.values.length; k++) {
    const v = (negBelow + 0.5 * l.neg[k]!) / n;
    s10 += l.pos[k]! * (v - auc) * (v - auc);
    negBelow += l.neg[k]!;
  }
  let posAbove = 0;
  let s01 = 0;
  for (let k = l.values.length - 1; k >= 0; k--) {
    const v = (posAbove + 0.5 * l.pos[k]!) / m;
    s01 += l.neg[k]! * (v - auc) * (v - auc);
    posAbove += l.pos[k]!;
  }
  const variance = s10 / (m - 1) / m + s01 / (n - 1) / n;
  const half = z * Math.sqrt(variance);
  return [Math.max(0, auc - half), Math.min(1, auc + half)];
}

/** sklearn's average_precision_score: Σ_k (R_k − R_{k−1}) P_k over descending thresholds. */
export function averagePrecision(l: ScoreLevels): number | null {
  if (l.totalPos <= 0) return null;
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let k = l.values.length - 1; k >= 0; k--) {
    tp += l.pos[k]!;
    fp += l.neg[k]!;
    if (tp + fp <= 0) continue;
    const recall = tp / l.totalPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

/** ROC curve (decision s ≥ threshold), thinned to at most `maxPoints` points, with (0,0) and (1,1). */
export function rocCurve(l: ScoreLevels, maxPoints = 201): RocPoint[] {
  if (l.totalPos <= 0 || l.totalNeg <= 0) return [];
  const all: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let k = l.values.length - 1; k >= 0; k--) {
    tp += l.pos[k]!;
    fp += l.neg[k]!;
    all.push({ threshold: l.values[k]!, fpr: fp / l.totalNeg, tpr: tp / l.totalPos });
  }
  if (all.length <= maxPoints) return all;
  const out: RocPoint[] = [];
  const step = (all.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(all[Math.round(i * step)]!);
  return out;
}

/** Weighted confusion cells of decisions against labels. */
export function confusionOf(y: Uint8Array, decision: Uint8Array, w: Float64Array | null): Confusion {
  const cells = [0, 0, 0, 0];
  for (let i = 0; i < y.length; i++) cells[cellIndex(y[i]!, decision[i]!)]! += w ? w[i]! : 1;
  return { tp: cells[0]!, fp: cells[1]!, tn: cells[2]!, fn: cells[3]! };
}

export const THRESHOLD_METRIC_IDS = ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "selection_rate"] as const;
export type ThresholdMetricId = (typeof THRESHOLD_METRIC_IDS)[number];

/** Metrics of the thresholded decision; null where a denominator is 0 (sklearn warns and returns 0). */
export function thresholdMetrics(c: Confusion): Record<ThresholdMetricId, number | null> {
  const tpr = rateOf("tpr", c);
  const tnr = rateOf("tnr", c);
  const f1den = 2 * c.tp + c.fp + c.fn;
  return {
    accuracy: rateOf("accuracy", c),
    balanced_accuracy: tpr === null || tnr === null ? null : (tpr + tnr) / 2,
    precision: rateOf("ppv", c),
    recall: tpr,
    f1: f1den > 0 ? (2 * c.tp) / f1den : null,
    selection_rate: rateOf("selection_rate", c),
  };
}

const EPS = 1e-15;

/** Mean binary cross-entropy, probabilities clipped to [1e-15, 1 − 1e-15], natural log. */
export function logLoss(p: Float64Array, y: Uint8Array, w: Float64Array | null): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]!));
    const wi = w ? w[i]! : 1;
    s -= wi * (y[i] ? Math.log(q) : Math.log(1 - q));
    sw += wi;
  }
  return s / sw;
}

/** Mean squared difference between probability and label. */
export function brierScore(p: Float64Array, y: Uint8Array, w: Float64Array | null): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < p.length; i++) {
    const d = p[i]! - y[i]!;
    const wi = w ? w[i]! : 1;
    s += wi * d * d;
    sw += wi;
  }
  return s / sw;
}

export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  weight: number;
  meanScore: number | null;
  observedRate: number | null;
}

/**
 * 10 equal-width bins on [0, 1] with sklearn's calibration_curve edges (linspace) and
 * assignment (searchsorted on the inner edges: a score equal to an edge goes to the lower bin).
 */
export function calibrationBins(p: Float64Array, y: Uint8Array, w: Float64Array | null, bins = 10): CalibrationBin[] {
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? 1 : k * (1 / bins)));
  const count = new Float64Array(bins);
  const weight = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const s = p[i]!;
    let b = 0;
    while (b < bins - 1 && edges[b + 1]! < s) b++;
    const wi = w ? w[i]! : 1;
    count[b]!++;
    weight[b]! += wi;
    sumP[b]! += wi * s;
    sumY[b]! += wi * y[i]!;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lo: edges[b]!,
    hi: edges[b + 1]!,
    count: count[b]!,
    weight: weight[b]!,
    meanScore: weight[b]! > 0 ? sumP[b]! / weight[b]! : null,
    observedRate: weight[b]! > 0 ? sumY[b]! / weight[b]! : null,
  }));
}
