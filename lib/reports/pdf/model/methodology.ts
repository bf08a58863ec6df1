// Section 8: how every number in the report is defined (METRICS.md, definitions version 2, in
// plain words), a glossary of the metrics this report contains (lib/report/glossary.ts), the
// limitations a reader must keep in mind, and every warning of the report, grouped by kind.

import { glossaryEntry } from "../../../report/glossary";
import type { Report } from "../../../report/types";
import { positiveDecisionOf } from "../../../report/disadvantage";
import { impactRatioText, SMALL_GROUP_SIZE } from "../../../views/fairness";
import { fmtCount, fmtPlain } from "../../../views/format";
import { groupWarnings, type WarningGroup } from "../../../views/summary";

export interface Definition {
  title: string;
  text: string;
}

export interface GlossaryRow {
  id: string;
  label: string;
  explanation: string;
}

export interface MethodologyModel {
  definitionsVersion: string;
  definitions: Definition[];
  glossary: GlossaryRow[];
  limitations: string[];
  warnings: WarningGroup[];
  warningsText: string;
}

const ATTACK_NAMES: Record<string, string> = { pgd: "PGD", fgsm: "FGSM", random: "a random-direction search", boundary: "a decision-based boundary attack" };

export function definitions(report: Report): Definition[] {
  const s = report.sections;
  const out: Definition[] = [
    {
      title: "Decision",
      text: `The model gives every row a score (a probability of the positive outcome, or a vendor score). A row counts as selected (a positive decision) when ${report.decision.rule.replace(/^positive when /, "")}. The positive outcome is ${report.dataset.label.column} = "${report.dataset.label.positive}". ${
        positiveDecisionOf(report) === "harm"
          ? "The audit declares a positive decision harmful to the person (positive_decision: harm, e.g. flagged or high risk): the favourable decision is a negative one, a lower selection rate is better, and the false positive rate (wrongly given the adverse decision) is the error rate read first."
          : "The audit declares a positive decision beneficial to the person (positive_decision: benefit, e.g. hired or approved): the favourable decision is the positive one, and the false negative rate (wrongly denied) is the error rate read first."
      }`,
    },
    {
      title: "Groups",
      text: `Each sensitive attribute splits the rows into groups by its value, compared as text. A missing value is its own group, "(missing)", counted as unknown. Intersections combine attributes ("A=a & B=b") for every combination present in the data. Every group is reported; groups with fewer than ${SMALL_GROUP_SIZE} rows are flagged small, and a spec may set a minimum size below which a group is left out of the comparisons.`,
    },
  ];
  if (s.performance) {
    out.push({
      title: "Performance",
      text: `Accuracy, balanced accuracy, precision, recall, F1, ROC AUC (ties count half; equal to scikit-learn), average precision, and, for probability scores only, log loss, Brier score and a calibration curve of 10 equal-width score bins. Intervals are percentile bootstrap intervals${s.performance.aucInterval ? `; the ROC AUC interval uses ${s.performance.aucInterval.method}` : ""}.`,
    });
  }
  if (s.fairness) {
    out.push(
      {
        title: "Group rates",
        text: "For each group: base rate (share with a positive outcome), selection rate (share selected), favourable rate (share given the favourable decision), true and false positive rates, false and true negative rates, precision (PPV), negative predictive value and accuracy, each with its denominator. A rate whose denominator is zero is undefined (shown as —), left out of every aggregate and named in a warning. Fairlearn would count it as 0, which can make a model look more or less fair than it is.",
      },
      {
        title: "Differences and ratios between groups",
        text: "Over the groups of one attribute: demographic parity difference (highest minus lowest selection rate) and ratio (lowest divided by highest), equalized odds difference (the larger of the gaps in true and false positive rates) and ratio, equal opportunity (true positive rates), predictive parity (precision), false negative rate and accuracy differences. With fewer than two groups to compare the value is undefined, never 0 or 1.",
      },
      {
        title: "Disparities against a reference group",
        text: `Each group's rate divided by the reference group's (the spec's choice, else the largest group), as in Aequitas. A group passes when the ratio lies between τ and 1/τ, both included (τ = ${fmtPlain(s.fairness.tau)}: ${fmtPlain(s.fairness.tau)} to ${fmtPlain(1 / s.fairness.tau, 3)}). A reference rate of zero makes the disparity undefined.`,
      },
      {
        title: "Impact ratio",
        text: `${impactRatioText(positiveDecisionOf(report))} This is not what Aequitas calls statistical parity.`,
      },
      {
        title: "Confidence intervals",
        text: `${fmtPlain(s.fairness.bootstrap.confidence * 100)}% percentile bootstrap intervals, ${fmtCount(s.fairness.bootstrap.resamples)} resamples, seed ${s.fairness.bootstrap.seed}. Each group's rows are resampled on their own (group sizes fixed), so small groups are present in every resample; Fairlearn resamples the whole dataset instead.`,
      },
    );
  }
  if (s.permutationImportance) {
    out.push({
      title: "Permutation importance",
      text: "Each input column (all model inputs derived from it move together) is shuffled across rows, and the drop in the model's score (or rise in its loss) is its importance. Each shuffle is repeated with an independent seeded permutation; mean and standard deviation over the repeats are reported. It measures how much the model relies on a column, not whether the column causes the outcome.",
    });
  }
  if (s.shap) {
    out.push({
      title: "SHAP values",
      text:
        s.shap.method === "tree"
          ? "TreeSHAP splits each explained prediction of the tree ensemble, relative to its average over a background sample (the base value), into one contribution per input column, so that the contributions add up to the model's margin. For trees these Shapley values are computed exactly, tree by tree; nothing is sampled. The margin is in log-odds (the predicted probability is σ(margin)), so these values are not on the same scale as KernelSHAP's probability contributions. Global importance is the mean absolute contribution over the explained rows."
          : "KernelSHAP splits each explained prediction, relative to the average prediction over a background sample (the base value), into one contribution per input column, so that the contributions add up to the prediction. Exact mode evaluates every coalition of columns; sampled mode draws coalitions and reports a standard error per contribution. Global importance is the mean absolute contribution over the explained rows.",
    });
  }
  if (s.robustness) {
    out.push({
      title: "Robustness",
      text: `An attack (${ATTACK_NAMES[s.robustness.attack] ?? s.robustness.attack}) nudges the changeable inputs of each attacked row within a budget ε, measured in standard deviations of each input, to change the model's decision. Sensitive attributes and the spec's immutable inputs never move. The flip rate is the share of attacked rows whose decision changes; robust accuracy is the accuracy after the attack; the minimal ε of a row is the smallest budget that flips it${s.robustness.upperBound ? " (an upper bound for this gradient-free search, which only queries the model's decisions)" : ""}. Robustness disparity is the highest minus the lowest flip rate across groups.`,
    });
  }
  out.push({
    title: "Reproducibility",
    text: "The report records the engine version, the computing backend, every seed and analysis parameter, the SHA-256 of the dataset and of the model files, and the time each analysis took (appendix). The same inputs and seeds give the same numbers on the same backend.",
  });
  return out;
}

/**
 * Every metric id the report holds or checks, once, in the glossary's words. The per-rate
 * disparities ("…_disparity") share one explanation, so they get one row listing their ids.
 */
export function glossaryRows(report: Report): GlossaryRow[] {
  const ids: string[] = [];
  const add = (id: string) => {
    if (!ids.includes(id)) ids.push(id);
  };
  for (const p of report.policy) add(p.metric);
  for (const m of report.metrics) add(m.id);
  const disparities = ids.filter((id) => id.endsWith("_disparity") && id !== "robustness_disparity");
  const rows: GlossaryRow[] = [];
  for (const id of ids) {
    if (disparities.includes(id)) {
      if (id !== disparities[0]) continue;
      rows.push({
        id: disparities.join(", "),
        label: "Disparity of a rate",
        explanation: `The group's rate divided by the reference group's (for each rate above: ${disparities.map((d) => glossaryEntry(d).label.replace(/ disparity$/, "").toLowerCase()).join(", ")}); 1 means equal, and the group passes when the ratio lies between τ and 1/τ (0.8 and 1.25 by default).`,
      });
      continue;
    }
    const e = glossaryEntry(id);
    if (e.explanation !== "") rows.push({ id, ...e });
  }
  return rows;
}

export function limitations(report: Report): string[] {
  const s = report.sections;
  const out = [
    "The audit describes how the model behaved on this dataset. It does not show that the data represent the people the model will be used on, and it cannot tell whether the model was trained on the same rows (which would flatter performance).",
    "Fairness metrics measure differences in outcomes and errors between groups; they do not establish their cause, and different fairness criteria can conflict. Which criterion matters is a policy decision outside this report.",
    `Rates of small groups (fewer than ${SMALL_GROUP_SIZE} rows) are uncertain; read them with their confidence intervals.`,
  ];
  if (report.model.kind === "score") out.push("The audit read a score column, not a model: permutation importance, SHAP explanations and robustness testing need a model that can be re-scored and were not run.");
  if (s.shap || s.permutationImportance) out.push("Explanations describe the model's reliance on inputs, not the real-world effect of changing them; correlated inputs can share or swap importance.");
  if (s.robustness) out.push(`Robustness results hold for the stated threat model only (${ATTACK_NAMES[s.robustness.attack] ?? s.robustness.attack}, budgets up to ε = ${fmtPlain(s.robustness.epsilons[s.robustness.epsilons.length - 1] ?? 0)}); a stronger or different attack may flip more decisions.`);
  return out;
}

export function methodologyModel(report: Report): MethodologyModel {
  const warnings = groupWarnings(report.warnings);
  return {
    definitionsVersion: `These definitions follow METRICS.md, definitions version ${report.definitions} (report schema ${report.schemaVersion}).`,
    definitions: definitions(report),
    glossary: glossaryRows(report),
    limitations: limitations(report),
    warnings,
    warningsText: report.warnings.length === 0 ? "The engine raised no warnings for this audit." : `The engine raised ${fmtCount(report.warnings.length)} warning${report.warnings.length === 1 ? "" : "s"}, listed here in full and grouped by kind.`,
  };
}
