import { AGGREGATE_IDS } from "../engine/metrics/fairness";
import { ATTRIBUTE_METRIC_IDS, FEATURE_METRIC_IDS, GROUP_METRIC_IDS, PERFORMANCE_METRIC_IDS, ROBUSTNESS_METRIC_IDS } from "../vocabulary";
import { compareValues, DIRECTIONS, metricDirection } from "./directions";

test("the direction table", () => {
  for (const id of ["accuracy", "roc_auc", "f1", "impact_ratio", "robust_accuracy", "demographic_parity_ratio", "equalized_odds_ratio", "median_min_epsilon"]) expect(metricDirection(id)).toBe("higher");
  for (const id of ["log_loss", "brier_score", "fpr", "fnr", "flip_rate", "robustness_disparity", "demographic_parity_difference", "equalized_odds_difference"]) expect(metricDirection(id)).toBe("lower");
  for (const id of ["selection_rate_disparity", "fpr_disparity", "ppv_disparity"]) expect(metricDirection(id)).toBe("closer-to-1");
  for (const id of ["base_rate", "group_size", "mean_abs_shap", "permutation_importance"]) expect(metricDirection(id)).toBe("none");
  // the selection rate follows what a positive decision means; the favourable rate never changes sides
  expect(metricDirection("selection_rate")).toBe("higher");
  expect(metricDirection("selection_rate", "benefit")).toBe("higher");
  expect(metricDirection("selection_rate", "harm")).toBe("lower");
  expect(metricDirection("favorable_rate", "harm")).toBe("higher");
  for (const id of AGGREGATE_IDS) expect(metricDirection(id)).toBe(id.endsWith("_ratio") ? "higher" : "lower");
});

test("every metric id is in exactly one class", () => {
  for (const id of [...PERFORMANCE_METRIC_IDS, ...ATTRIBUTE_METRIC_IDS, ...GROUP_METRIC_IDS, ...FEATURE_METRIC_IDS, ...ROBUSTNESS_METRIC_IDS]) {
    const classes = Object.entries(DIRECTIONS).filter(([, ids]) => ids.has(id));
    expect([id, classes.length]).toEqual([id, 1]);
  }
});

test("compareValues", () => {
  expect(compareValues("accuracy", 0.8, 0.9)).toBe("better");
  expect(compareValues("accuracy", 0.9, 0.8)).toBe("worse");
  expect(compareValues("log_loss", 0.5, 0.4)).toBe("better");
  expect(compareValues("accuracy", 0.8, 0.8)).toBe("same");
  expect(compareValues("accuracy", null, 0.8)).toBe("n/a");
  expect(compareValues("accuracy", 0.8, undefined)).toBe("n/a");
  expect(compareValues("selection_rate", 0.3, 0.5)).toBe("better");
  expect(compareValues("selection_rate", 0.3, 0.5, "harm")).toBe("worse");
  expect(compareValues("base_rate", 0.3, 0.5)).toBe("n/a");
  // log-symmetric: 0.8 and 1.25 are equally far from 1
  expect(compareValues("tpr_disparity", 0.8, 1.25)).toBe("same");
  expect(compareValues("tpr_disparity", 0.7, 1.3)).toBe("better");
  expect(compareValues("tpr_disparity", 1.1, 0.5)).toBe("worse");
  expect(compareValues("tpr_disparity", 0, 0.1)).toBe("better");
});
