// Every metric id a policy check may name (METRICS.md ids), by level.

import { AGGREGATE_IDS } from "../engine/metrics/fairness";
import { DISPARITY_RATE_IDS, RATE_IDS } from "../engine/metrics/rates";

/** Overall model performance: no attribute. */
export const PERFORMANCE_METRIC_IDS = [
  "accuracy",
  "balanced_accuracy",
  "precision",
  "recall",
  "f1",
  "selection_rate",
  "roc_auc",
  "average_precision",
  "log_loss",
  "brier_score",
] as const;

/** One value per attribute (or intersection). */
export const ATTRIBUTE_METRIC_IDS: readonly string[] = AGGREGATE_IDS;

/** One value per group: needs an attribute; without `group` a policy takes the worst group. */
export const GROUP_METRIC_IDS: readonly string[] = [...RATE_IDS, "impact_ratio", ...DISPARITY_RATE_IDS.map((r) => `${r}_disparity`)];

/** One value per raw feature column: needs `feature`. */
export const FEATURE_METRIC_IDS: readonly string[] = ["permutation_importance", "mean_abs_shap"];

/** Robustness (METRICS.md §5): per ε (flip_rate, robust_accuracy, adversarial_accuracy,
 *  robustness_disparity) or over the minimal-ε distribution; flip_rate and the minimal-ε
 *  statistics also per group. */
export const ROBUSTNESS_METRIC_IDS: readonly string[] = ["flip_rate", "robust_accuracy", "adversarial_accuracy", "robustness_disparity", "median_min_epsilon", "mean_min_epsilon"];

export function metricLevel(id: string, hasAttribute: boolean): "performance" | "attribute" | "group" | null {
  if (hasAttribute) {
    if (ATTRIBUTE_METRIC_IDS.includes(id)) return "attribute";
    if (GROUP_METRIC_IDS.includes(id)) return "group";
    return null;
  }
  return (PERFORMANCE_METRIC_IDS as readonly string[]).includes(id) ? "performance" : null;
}
