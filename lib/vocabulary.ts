// The metric vocabulary (METRICS.md), in one place: metric ids by level, the rates and the
// between-group aggregates they define, the address of a number in a report, which way is
// better (depending on what a positive decision means for the person), display names and the
// defaults every part of Assay shares. A leaf module: it imports nothing of the project, and the
// engine, spec, report, views, CLI, PDF and forms import it instead of declaring their own copies.

// ---- what a decision means --------------------------------------------------------------------

/** What ŷ = 1 means for the person (METRICS.md §2.1): a benefit (hired, approved) or harm
 *  (flagged, high risk, denied). The favourable outcome is ŷ = 1 under benefit, ŷ = 0 under harm. */
export const POSITIVE_DECISIONS = ["benefit", "harm"] as const;
export type PositiveDecision = (typeof POSITIVE_DECISIONS)[number];

/** Words for the decisions, so that sentences say what happened to people. */
export function decisionWords(pd: PositiveDecision): { favorable: string; adverse: string; positive: string } {
  return pd === "harm"
    ? { favorable: "the favourable decision (not flagged)", adverse: "the adverse decision (flagged)", positive: "flagged" }
    : { favorable: "the favourable decision (selected)", adverse: "the adverse decision (not selected)", positive: "selected" };
}

/** The error rate called out first (Aequitas): being wrongly given the adverse decision. Under
 *  harm that is the false positive rate (wrongly flagged), under benefit the false negative rate
 *  (wrongly denied). */
export function primaryErrorRate(pd: PositiveDecision): "fpr" | "fnr" {
  return pd === "harm" ? "fpr" : "fnr";
}

// ---- defaults ---------------------------------------------------------------------------------

export const DEFAULTS = {
  positiveDecision: "benefit" as PositiveDecision,
  /** Groups with fewer rows are flagged "small" (always reported). */
  smallGroupSize: 30,
  /** Aequitas: a disparity passes when τ ≤ d ≤ 1/τ. */
  tau: 0.8,
  /** The four-fifths rule of thumb for impact ratios (NYC LL144, EEOC). */
  fourFifths: 0.8,
  /** Bootstrap interval level. */
  confidence: 0.95,
  bootstrap: 1000,
  /** NYC LL144 allows leaving out categories under 2% of the data. */
  ll144MinGroupShare: 0.02,
} as const;

// ---- rates and aggregates (METRICS.md §2) ------------------------------------------------------

/** Per-group rates. favorable_rate = selection_rate under benefit, 1 − selection_rate under harm. */
export const RATE_IDS = ["base_rate", "selection_rate", "favorable_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "accuracy"] as const;
export type RateId = (typeof RATE_IDS)[number];

/** Rates compared against a reference group (Aequitas disparities). */
export const DISPARITY_RATE_IDS = ["selection_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "accuracy"] as const satisfies readonly RateId[];

/** Between-group aggregates (Fairlearn's between_groups): a difference (max − min) or a ratio
 *  (min / max) of one or two rates; with two, the worse of the two. */
export const AGGREGATES = {
  demographic_parity_difference: { kind: "difference", rates: ["selection_rate"] },
  demographic_parity_ratio: { kind: "ratio", rates: ["selection_rate"] },
  equalized_odds_difference: { kind: "difference", rates: ["tpr", "fpr"] },
  equalized_odds_ratio: { kind: "ratio", rates: ["tpr", "fpr"] },
  equal_opportunity_difference: { kind: "difference", rates: ["tpr"] },
  equal_opportunity_ratio: { kind: "ratio", rates: ["tpr"] },
  predictive_parity_difference: { kind: "difference", rates: ["ppv"] },
  predictive_parity_ratio: { kind: "ratio", rates: ["ppv"] },
  false_positive_rate_difference: { kind: "difference", rates: ["fpr"] },
  false_negative_rate_difference: { kind: "difference", rates: ["fnr"] },
  accuracy_difference: { kind: "difference", rates: ["accuracy"] },
} as const satisfies Record<string, { kind: "difference" | "ratio"; rates: readonly RateId[] }>;
export type AggregateId = keyof typeof AGGREGATES;
export const AGGREGATE_IDS = Object.keys(AGGREGATES) as AggregateId[];

// ---- metric ids by level ------------------------------------------------------------------------

/** Overall model performance: no attribute. */
export const PERFORMANCE_METRIC_IDS = ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "selection_rate", "roc_auc", "average_precision", "log_loss", "brier_score"] as const;

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

/** Where a number sits in a report: METRICS.md id plus attribute, group, feature, ε. */
export interface MetricAddress {
  id: string;
  attribute?: string;
  group?: string;
  feature?: string;
  epsilon?: number;
}

// ---- directions ---------------------------------------------------------------------------------

export type Direction = "higher" | "lower" | "closer-to-1" | "none";

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
  "favorable_rate",
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
const NONE = new Set<string>(["group_size", "base_rate", "permutation_importance", "mean_abs_shap"]);

/**
 * Which way is better for the people a metric describes: higher (accuracy, favourable rates,
 * ratios), lower (errors, differences, flip rates), closer to 1 (Aequitas disparities, symmetric on
 * a log scale), none (descriptive). The selection rate follows the decision: higher is better
 * when selection is a benefit, lower when it is harm.
 */
export function metricDirection(id: string, pd: PositiveDecision = DEFAULTS.positiveDecision): Direction {
  if (id === "selection_rate") return pd === "harm" ? "lower" : "higher";
  if (HIGHER.has(id)) return "higher";
  if (LOWER.has(id)) return "lower";
  if (CLOSER_TO_1.has(id)) return "closer-to-1";
  return "none";
}

/** The direction table (under benefit), for documentation and tests. */
export const DIRECTIONS: Readonly<Record<Direction, ReadonlySet<string>>> = { higher: new Set([...HIGHER, "selection_rate"]), lower: LOWER, "closer-to-1": CLOSER_TO_1, none: NONE };

// ---- display names ------------------------------------------------------------------------------

/** Short names of the rates (tables, axes); the glossary explains them. */
export const RATE_LABELS: Record<RateId, string> = {
  base_rate: "Base rate",
  selection_rate: "Selection rate",
  favorable_rate: "Favourable rate",
  tpr: "True positive rate",
  fpr: "False positive rate",
  fnr: "False negative rate",
  tnr: "True negative rate",
  ppv: "Precision (PPV)",
  npv: "Negative predictive value",
  accuracy: "Accuracy",
};

/** "95%" for a confidence level of 0.95: interval labels follow the audit's level. */
export function confidenceLabel(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))}%`;
}
