// Policy checks: thresholds on report metrics. A check on a group-level metric without a group
// takes the worst group that enters the aggregates; an undefined value fails (a missing
// comparison must not read as "fair").

import type { TPolicyCheck } from "../spec/schema";
import { metricLevel, ROBUSTNESS_METRIC_IDS } from "../vocabulary";
import type { FairnessSection, FlatMetric, PolicyResult } from "./types";
import { findMetric } from "./flatten";

export function evaluatePolicy(checks: readonly TPolicyCheck[], metrics: readonly FlatMetric[], fairness: FairnessSection | undefined): PolicyResult[] {
  return checks.map((c) => {
    const base: PolicyResult = {
      metric: c.metric,
      ...(c.attribute !== undefined ? { attribute: c.attribute } : {}),
      ...(c.group !== undefined ? { group: c.group } : {}),
      ...(c.feature !== undefined ? { feature: c.feature } : {}),
      ...(c.epsilon !== undefined ? { epsilon: c.epsilon } : {}),
      ...(c.min !== undefined ? { min: c.min } : {}),
      ...(c.max !== undefined ? { max: c.max } : {}),
      value: null,
      pass: false,
    };
    const robustness = ROBUSTNESS_METRIC_IDS.includes(c.metric);
    const level = robustness ? (c.attribute !== undefined && c.metric !== "robustness_disparity" ? "group" : "attribute") : metricLevel(c.metric, c.attribute !== undefined);
    if (level === "group" && c.group === undefined) {
      const attr = fairness?.attributes.find((a) => a.attribute === c.attribute);
      const included = robustness ? null : new Set(attr?.groups.filter((g) => !g.excluded).map((g) => g.group) ?? []);
      const values = metrics.filter(
        (m) => m.id === c.metric && m.attribute === c.attribute && m.epsilon === c.epsilon && m.group !== undefined && (included === null || included.has(m.group)),
      );
      const defined = values.filter((m) => m.value !== null) as Array<FlatMetric & { value: number }>;
      if (defined.length === 0) return { ...base, note: "no group has a defined value" };
      const failing = defined.filter((m) => !within(m.value, c));
      const worst = failing.length
        ? failing.reduce((a, b) => (distanceOut(b.value, c) > distanceOut(a.value, c) ? b : a))
        : defined.reduce((a, b) => (c.min !== undefined ? (b.value < a.value ? b : a) : b.value > a.value ? b : a));
      const undefinedGroups = values.length - defined.length;
      return {
        ...base,
        value: worst.value,
        pass: failing.length === 0,
        note: `worst group: ${worst.group}${undefinedGroups ? `; ${undefinedGroups} group(s) undefined and not checked` : ""}`,
      };
    }
    const m = findMetric(metrics, { id: c.metric, attribute: c.attribute, group: c.group, feature: c.feature, epsilon: c.epsilon });
    if (!m) {
      const note = c.group !== undefined ? `no group "${c.group}" in ${c.attribute}` : c.feature !== undefined ? `no feature "${c.feature}" in the model` : "metric not computed";
      return { ...base, note };
    }
    if (m.value === null) return { ...base, note: "undefined (see warnings)" };
    return { ...base, value: m.value, pass: within(m.value, c) };
  });
}

function within(v: number, c: TPolicyCheck): boolean {
  return (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
}

function distanceOut(v: number, c: TPolicyCheck): number {
  return Math.max(c.min !== undefined ? c.min - v : 0, c.max !== undefined ? v - c.max : 0);
}
