// Plain-language names and one-line explanations for every metric id a report can contain
// (METRICS.md ids), written for a reviewer who is not a data scientist. The app shows them next
// to numbers (captions, tooltips); the PDF reuses them. Faithful to METRICS.md: when a sentence
// here and METRICS.md disagree, METRICS.md wins and this file is wrong.

import { AGGREGATE_IDS } from "../engine/metrics/fairness";
import { DISPARITY_RATE_IDS, RATE_IDS, type RateId } from "../engine/metrics/rates";

export interface GlossaryEntry {
  /** Short name for tables and axis labels. */
  label: string;
  /** One sentence: what the number means and how to read it. */
  explanation: string;
}

/** Per-group rates (METRICS.md §2): name and meaning. Also used to build the disparity entries. */
const RATES: Record<RateId, GlossaryEntry & { noun: string }> = {
  base_rate: {
    label: "Base rate",
    noun: "base rate",
    explanation: "Share of people in the group whose actual outcome is positive; it describes the data, not the model.",
  },
  selection_rate: {
    label: "Selection rate",
    noun: "selection rate",
    explanation: "Share of people the model selects (predicts positive, i.e. score at or above the threshold).",
  },
  favorable_rate: {
    label: "Favourable rate",
    noun: "favourable rate",
    explanation:
      "Share of people in the group who get the favourable decision: the selection rate when a positive prediction is good for the person (hired, approved), one minus it when it is bad (flagged, high risk).",
  },
  tpr: {
    label: "True positive rate",
    noun: "true positive rate",
    explanation: "Of the people whose actual outcome is positive, the share the model correctly selects (also called recall or sensitivity).",
  },
  fpr: {
    label: "False positive rate",
    noun: "false positive rate",
    explanation: "Of the people whose actual outcome is negative, the share the model wrongly selects.",
  },
  fnr: {
    label: "False negative rate",
    noun: "false negative rate",
    explanation: "Of the people whose actual outcome is positive, the share the model wrongly passes over.",
  },
  tnr: {
    label: "True negative rate",
    noun: "true negative rate",
    explanation: "Of the people whose actual outcome is negative, the share the model correctly does not select (specificity).",
  },
  ppv: {
    label: "Precision (PPV)",
    noun: "precision",
    explanation: "Of the people the model selects, the share whose actual outcome is positive (positive predictive value).",
  },
  npv: {
    label: "Negative predictive value",
    noun: "negative predictive value",
    explanation: "Of the people the model does not select, the share whose actual outcome is negative.",
  },
  accuracy: {
    label: "Accuracy",
    noun: "accuracy",
    explanation: "Share of people for whom the model's decision matches the actual outcome.",
  },
};

const PERFORMANCE: Record<string, GlossaryEntry> = {
  accuracy: RATES.accuracy,
  balanced_accuracy: {
    label: "Balanced accuracy",
    explanation: "Average of the true positive rate and the true negative rate, so that the larger outcome class does not dominate.",
  },
  precision: {
    label: "Precision",
    explanation: "Of the people the model selects, the share whose actual outcome is positive.",
  },
  recall: {
    label: "Recall",
    explanation: "Of the people whose actual outcome is positive, the share the model selects (the true positive rate).",
  },
  f1: {
    label: "F1 score",
    explanation: "A single 0–1 score that balances precision and recall (their harmonic mean); higher is better.",
  },
  roc_auc: {
    label: "ROC AUC",
    explanation: "Chance that a randomly chosen positive case gets a higher score than a randomly chosen negative one (0.5 = guessing, 1 = perfect ranking).",
  },
  average_precision: {
    label: "Average precision",
    explanation: "Precision averaged over every threshold at which the model catches more positive cases; higher means positives are ranked first.",
  },
  log_loss: {
    label: "Log loss",
    explanation: "Penalty for confident wrong probabilities (average negative log-likelihood); lower is better, 0 is perfect.",
  },
  brier_score: {
    label: "Brier score",
    explanation: "Average squared gap between the predicted probability and the actual outcome (0 or 1); lower is better.",
  },
};

const AGGREGATES: Record<(typeof AGGREGATE_IDS)[number], GlossaryEntry> = {
  demographic_parity_difference: {
    label: "Demographic parity difference",
    explanation: "Highest minus lowest selection rate across the groups; 0 means every group is selected equally often.",
  },
  demographic_parity_ratio: {
    label: "Demographic parity ratio",
    explanation: "Lowest selection rate divided by the highest across the groups; 1 means equal selection, and values below 0.8 fail the four-fifths rule of thumb.",
  },
  equalized_odds_difference: {
    label: "Equalized odds difference",
    explanation: "The larger of the gaps (highest minus lowest group) in true positive rate and in false positive rate; 0 means errors fall equally on every group.",
  },
  equalized_odds_ratio: {
    label: "Equalized odds ratio",
    explanation: "The smaller of the lowest-to-highest ratios of true positive rate and of false positive rate across groups; 1 means equal error rates.",
  },
  equal_opportunity_difference: {
    label: "Equal opportunity difference",
    explanation: "Highest minus lowest true positive rate across groups: how unequally qualified people in different groups are selected.",
  },
  equal_opportunity_ratio: {
    label: "Equal opportunity ratio",
    explanation: "Lowest true positive rate divided by the highest across groups; 1 means qualified people are selected equally often in every group.",
  },
  predictive_parity_difference: {
    label: "Predictive parity difference",
    explanation: "Highest minus lowest precision across groups: how unequally reliable a selection is from one group to another.",
  },
  predictive_parity_ratio: {
    label: "Predictive parity ratio",
    explanation: "Lowest precision divided by the highest across groups; 1 means a selection is equally reliable in every group.",
  },
  false_positive_rate_difference: {
    label: "False positive rate difference",
    explanation: "Highest minus lowest false positive rate across groups: how unequally people with a negative outcome are wrongly selected.",
  },
  false_negative_rate_difference: {
    label: "False negative rate difference",
    explanation: "Highest minus lowest false negative rate across groups: how unequally people with a positive outcome are wrongly passed over.",
  },
  accuracy_difference: {
    label: "Accuracy difference",
    explanation: "Highest minus lowest accuracy across groups; 0 means the model is equally often right for every group.",
  },
};

const GROUP: Record<string, GlossaryEntry> = {
  group_size: { label: "Group size", explanation: "Number of rows (people) in the group." },
  impact_ratio: {
    label: "Impact ratio",
    explanation:
      "The group's favourable rate divided by the highest group's (the favourable rate is the selection rate when a positive prediction is good for the person, one minus it when it is bad); under the four-fifths rule of thumb a value below 0.8 is flagged.",
  },
};

const FEATURE: Record<string, GlossaryEntry> = {
  permutation_importance: {
    label: "Permutation importance",
    explanation: "How much the model's score drops (or its loss rises) when this input column is shuffled across rows; larger means the model relies on it more.",
  },
  mean_abs_shap: {
    label: "Mean |SHAP|",
    explanation: "Average size of this input's contribution to individual predictions (SHAP values), in the model's output units; larger means more influence.",
  },
};

const ROBUSTNESS: Record<string, GlossaryEntry> = {
  flip_rate: {
    label: "Flip rate",
    explanation: "Share of attacked rows whose decision changes when the changeable inputs are nudged within the allowed budget ε; lower is more robust.",
  },
  robust_accuracy: {
    label: "Robust accuracy",
    explanation: "Accuracy of the model after the inputs have been nudged within the budget ε; compare it with the accuracy without any change.",
  },
  adversarial_accuracy: {
    label: "Adversarial accuracy",
    explanation: "Of the rows the model got right, the share it still gets right after the nudge within the budget ε.",
  },
  robustness_disparity: {
    label: "Robustness disparity",
    explanation: "Highest minus lowest flip rate across the groups at budget ε; 0 means every group is equally easy to flip.",
  },
  median_min_epsilon: {
    label: "Median minimal ε",
    explanation: "Typical smallest nudge (in standard deviations of the inputs) that changes a decision, over the rows that flipped; higher is more robust.",
  },
  mean_min_epsilon: {
    label: "Mean minimal ε",
    explanation: "Average smallest nudge (in standard deviations of the inputs) that changes a decision, over the rows that flipped; higher is more robust.",
  },
};

function disparityEntries(): Record<string, GlossaryEntry> {
  const out: Record<string, GlossaryEntry> = {};
  for (const r of DISPARITY_RATE_IDS) {
    const rate = RATES[r];
    out[`${r}_disparity`] = {
      label: `${rate.label} disparity`,
      explanation: `The group's ${rate.noun} divided by the reference group's; 1 means equal, and the group passes when the ratio lies between τ and 1/τ (0.8 and 1.25 by default).`,
    };
  }
  return out;
}

function rateEntries(): Record<string, GlossaryEntry> {
  const out: Record<string, GlossaryEntry> = {};
  for (const r of RATE_IDS) out[r] = { label: RATES[r].label, explanation: RATES[r].explanation };
  return out;
}

/**
 * Every metric id a report can contain. A rate id that is also a performance id (accuracy,
 * selection_rate) means the same thing at both levels: for the whole data set or for one group.
 */
export const GLOSSARY: Readonly<Record<string, GlossaryEntry>> = {
  ...rateEntries(),
  ...PERFORMANCE,
  ...AGGREGATES,
  ...GROUP,
  ...disparityEntries(),
  ...FEATURE,
  ...ROBUSTNESS,
};

/** The entry for a metric id; an id this version does not know gets its id as label and no explanation. */
export function glossaryEntry(id: string): GlossaryEntry {
  return GLOSSARY[id] ?? { label: id.replace(/_/g, " "), explanation: "" };
}

export function metricLabel(id: string): string {
  return glossaryEntry(id).label;
}

export function metricExplanation(id: string): string {
  return glossaryEntry(id).explanation;
}
