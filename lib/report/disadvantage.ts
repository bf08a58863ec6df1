// Which group a report's numbers put at a disadvantage, per attribute, in the direction the audit
// declares (METRICS.md §2.1): the group most often given the adverse decision (lowest favourable
// rate, so lowest impact ratio) and the group most often wrongly given it (highest false positive
// rate under harm: wrongly flagged; highest false negative rate under benefit: wrongly denied).
// Read from the report's own numbers (nothing is recomputed) over the groups that enter the
// comparisons; the summary, the fairness tab, the CLI and the PDF all name groups from here.

import { DEFAULTS, primaryErrorRate, type PositiveDecision } from "../vocabulary";
import type { AttributeReport, GroupReport, Report } from "./types";

export interface NamedRate {
  group: string;
  value: number;
  n: number;
  small: boolean;
}

export interface AttributeDisadvantage {
  attribute: string;
  intersection: boolean;
  /** Lowest favourable rate (and impact ratio), against the highest. */
  adverse: (NamedRate & { impactRatio: number | null; best: NamedRate }) | null;
  /** Highest rate of wrongly given adverse decisions, against the lowest and the reference. */
  wronglyAdverse: (NamedRate & { rate: "fpr" | "fnr"; lowest: NamedRate; reference: NamedRate | null }) | null;
}

/** What ŷ = 1 meant in this report (older reports: benefit). */
export function positiveDecisionOf(report: Pick<Report, "decision" | "spec">): PositiveDecision {
  return report.decision.positiveDecision ?? report.spec.positive_decision ?? DEFAULTS.positiveDecision;
}

function named(g: GroupReport, value: number): NamedRate {
  return { group: g.group, value, n: g.n, small: g.small };
}

function extremes(groups: GroupReport[], value: (g: GroupReport) => number | null): { low: NamedRate; high: NamedRate } | null {
  let low: NamedRate | null = null;
  let high: NamedRate | null = null;
  for (const g of groups) {
    const v = value(g);
    if (v === null) continue;
    if (!low || v < low.value) low = named(g, v);
    if (!high || v > high.value) high = named(g, v);
  }
  return low && high && low.group !== high.group ? { low, high } : null;
}

export function attributeDisadvantage(a: AttributeReport, pd: PositiveDecision): AttributeDisadvantage {
  const compared = a.groups.filter((g) => !g.excluded);
  // the favourable rate in the given direction, from the stored selection rate (reports before
  // definitions 2 have no favorable_rate)
  const fav = extremes(compared, (g) => (pd === "harm" ? oneMinus(g.rates.selection_rate?.value) : (g.rates.selection_rate?.value ?? null)));
  const rate = primaryErrorRate(pd);
  const err = extremes(compared, (g) => g.rates[rate]?.value ?? null);
  const ref = a.groups.find((g) => g.reference);
  const refValue = ref?.rates[rate]?.value ?? null;
  return {
    attribute: a.attribute,
    intersection: a.intersection,
    adverse: fav ? { ...fav.low, impactRatio: a.groups.find((g) => g.group === fav.low.group)?.impactRatio.value ?? null, best: fav.high } : null,
    wronglyAdverse: err ? { ...err.high, rate, lowest: err.low, reference: ref && refValue !== null && ref.group !== err.high.group ? named(ref, refValue) : null } : null,
  };
}

function oneMinus(v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : 1 - v;
}

/** Per attribute and intersection of the report's fairness section. */
export function disadvantagedGroups(report: Report): AttributeDisadvantage[] {
  const pd = positiveDecisionOf(report);
  return (report.sections.fairness?.attributes ?? []).map((a) => attributeDisadvantage(a, pd));
}
