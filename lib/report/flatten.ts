// The report's flat metric list: every number addressed by METRICS.md id, attribute, group and
// feature. Version comparison, policies and the PDF read numbers from here.

import type { FlatMetric, Report } from "./types";

export function flattenMetrics(sections: Report["sections"]): FlatMetric[] {
  const out: FlatMetric[] = [];
  const perf = sections.performance;
  if (perf) {
    for (const [id, m] of Object.entries(perf.metrics)) out.push({ id, value: m.value, ...(m.ci !== undefined ? { ci: m.ci } : {}) });
  }
  const fair = sections.fairness;
  if (fair) {
    for (const a of fair.attributes) {
      for (const [id, m] of Object.entries(a.aggregates)) out.push({ id, attribute: a.attribute, value: m.value, ...(m.ci !== undefined ? { ci: m.ci } : {}) });
      for (const g of a.groups) {
        out.push({ id: "group_size", attribute: a.attribute, group: g.group, value: g.n });
        for (const [id, r] of Object.entries(g.rates)) out.push({ id, attribute: a.attribute, group: g.group, value: r.value, ...(r.ci !== undefined ? { ci: r.ci } : {}) });
        for (const [id, d] of Object.entries(g.disparities)) {
          out.push({ id: `${id}_disparity`, attribute: a.attribute, group: g.group, value: d.value, ...(d.ci !== undefined ? { ci: d.ci } : {}) });
        }
        out.push({ id: "impact_ratio", attribute: a.attribute, group: g.group, value: g.impactRatio.value, ...(g.impactRatio.ci !== undefined ? { ci: g.impactRatio.ci } : {}) });
      }
    }
  }
  for (const f of sections.permutationImportance?.features ?? []) out.push({ id: "permutation_importance", feature: f.feature, value: f.mean });
  for (const g of sections.shap?.global ?? []) out.push({ id: "mean_abs_shap", feature: g.feature, value: g.meanAbs });
  const rob = sections.robustness;
  if (rob) {
    for (const o of rob.overall) {
      out.push({ id: "flip_rate", epsilon: o.epsilon, value: o.flipRate });
      out.push({ id: "robust_accuracy", epsilon: o.epsilon, value: o.robustAccuracy });
      out.push({ id: "adversarial_accuracy", epsilon: o.epsilon, value: o.adversarialAccuracy });
    }
    out.push({ id: "median_min_epsilon", value: rob.minEpsilon.median });
    out.push({ id: "mean_min_epsilon", value: rob.minEpsilon.mean });
    for (const a of rob.attributes) {
      rob.epsilons.forEach((epsilon, e) => out.push({ id: "robustness_disparity", attribute: a.attribute, epsilon, value: a.disparity[e] ?? null }));
      for (const g of a.groups) {
        rob.epsilons.forEach((epsilon, e) => out.push({ id: "flip_rate", attribute: a.attribute, group: g.group, epsilon, value: g.flipRates[e]! }));
        out.push({ id: "median_min_epsilon", attribute: a.attribute, group: g.group, value: g.minEpsilon.median });
        out.push({ id: "mean_min_epsilon", attribute: a.attribute, group: g.group, value: g.minEpsilon.mean });
      }
    }
  }
  return out;
}

/** Finds one metric; undefined when the report has no such entry. */
export function findMetric(metrics: readonly FlatMetric[], q: { id: string; attribute?: string; group?: string; feature?: string; epsilon?: number }): FlatMetric | undefined {
  return metrics.find((m) => m.id === q.id && m.attribute === q.attribute && m.group === q.group && m.feature === q.feature && m.epsilon === q.epsilon);
}
