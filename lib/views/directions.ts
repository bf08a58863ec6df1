// Which way is "better" for each metric id, for version comparisons: higher (accuracy, ratios,
// robust accuracy), lower (differences, losses, error rates, flip rates), closer to 1 (Aequitas
// disparities, symmetric on a log scale: 0.8 and 1.25 are equally far) or none (descriptive
// numbers such as group size, base rate, selection rate and feature importances).

import { AGGREGATE_IDS } from "../engine/metrics/fairness";
import { DISPARITY_RATE_IDS } from "../engine/metrics/rates";

export type Direction = "higher" | "lower" | "closer-to-1" | "none";
export type Change = "better" | "worse" | "same" | "n/a";

const HIGHER = new Set<string>([
  "accuracy",
  "balanced_accuracy",
  "precision",
  "recall",
  "f1",
  "roc_auc",
  "average_precision",
  "tpr",
  "tnr",
  "ppv",
  "npv",
  "impact_ratio",
  "robust_accuracy",
  "adversarial_accuracy",
  "median_min_epsilon",
  "mean_min_epsilon",
  ...AGGREGATE_IDS.filter((id) => id.endsWith("_ratio")),
]);

const LOWER = new Set<string>(["log_loss", "brier_score", "fpr", "fnr", "flip_rate", "robustness_disparity", ...AGGREGATE_IDS.filter((id) => id.endsWith("_difference"))]);

const CLOSER_TO_1 = new Set<string>(DISPARITY_RATE_IDS.map((r) => `${r}_disparity`));

/** Descriptive: a change is neither better nor worse. */
const NONE = new Set<string>(["group_size", "base_rate", "selection_rate", "permutation_importance", "mean_abs_shap"]);

/** The direction table, for documentation and tests. */
export const DIRECTIONS: Readonly<Record<Direction, ReadonlySet<string>>> = { higher: HIGHER, lower: LOWER, "closer-to-1": CLOSER_TO_1, none: NONE };

export function metricDirection(id: string): Direction {
  if (HIGHER.has(id)) return "higher";
  if (LOWER.has(id)) return "lower";
  if (CLOSER_TO_1.has(id)) return "closer-to-1";
  return "none";
}

/** Distance from 1 on a log scale; a non-positive value is infinitely far. */
function distanceFromOne(v: number): number {
  return v > 0 ? Math.abs(Math.log(v)) : Infinity;
}

/**
 * Whether `after` is better than `before` for metric `id`. "n/a" when either value is missing
 * or the metric has no direction; "same" when the change is within `tolerance`.
 */
export function compareValues(id: string, before: number | null | undefined, after: number | null | undefined, tolerance = 1e-12): Change {
  if (before === null || before === undefined || after === null || after === undefined || Number.isNaN(before) || Number.isNaN(after)) return "n/a";
  const dir = metricDirection(id);
  if (dir === "none") return "n/a";
  if (dir === "closer-to-1") {
    const a = distanceFromOne(before);
    const b = distanceFromOne(after);
    if (a === b || Math.abs(a - b) <= tolerance || Math.abs(after - before) <= tolerance) return "same";
    return b < a ? "better" : "worse";
  }
  const d = after - before;
  if (Math.abs(d) <= tolerance) return "same";
  return (dir === "higher") === d > 0 ? "better" : "worse";
}
