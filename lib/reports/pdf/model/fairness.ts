// The fairness section's extras beyond the dashboard's view-model (lib/views/fairness.ts): the
// impact-ratio summary in the layout of a NYC Local Law 144 bias audit (per attribute and per
// intersection: category, number of individuals, selection or scoring rate, impact ratio, and
// the number of individuals in the unknown category), and the introduction of the section.

import type { Report } from "../../../report/types";
import { positiveDecisionOf } from "../../../report/disadvantage";
import { FOUR_FIFTHS } from "../../../views/fairness";
import { fmtCount, fmtPlain, fmtValue } from "../../../views/format";

export interface Ll144Row {
  category: string;
  n: string;
  rate: string;
  impactRatio: string;
  /** Below 0.8 (four-fifths rule of thumb); null when the ratio is undefined or the group is excluded. */
  below: boolean | null;
  notes: string;
}

export interface Ll144Table {
  attribute: string;
  intersection: boolean;
  rows: Ll144Row[];
  /** Individuals in the unknown category (missing value in any of the attribute's columns). */
  unknown: number;
  unknownText: string;
}

export interface Ll144Model {
  /** "Selection rate", or "Scoring rate" when the decision is "score above the median" (LL144 for scores without a threshold). */
  rateLabel: string;
  intro: string;
  tables: Ll144Table[];
}

export function isScoringRate(report: Report): boolean {
  return /median/i.test(report.decision.rule);
}

export function ll144Model(report: Report): Ll144Model | null {
  const fair = report.sections.fairness;
  if (!fair) return null;
  const scoring = isScoringRate(report);
  const harm = positiveDecisionOf(report) === "harm";
  // the impact ratio is taken on the favourable rate: under harm, the share not flagged
  const rateLabel = harm ? (scoring ? "Favourable rate (not scored high)" : "Favourable rate (not flagged)") : scoring ? "Scoring rate" : "Selection rate";
  const rateId = harm ? "favorable_rate" : "selection_rate";
  const tables = fair.attributes.map((a) => {
    const unknown = a.groups.filter((g) => g.unknown).reduce((s, g) => s + g.n, 0);
    return {
      attribute: a.attribute,
      intersection: a.intersection,
      rows: a.groups.map((g) => {
        const v = g.impactRatio.value;
        const notes: string[] = [];
        if (g.unknown) notes.push("unknown category");
        if (g.excluded) notes.push("excluded (under the minimum size or share)");
        else if (g.small) notes.push("small group");
        if (v !== null && !g.excluded && v >= 1 - 1e-12) notes.push("highest rate");
        return {
          category: g.group,
          n: fmtCount(g.n),
          rate: fmtValue(g.rates[rateId]?.value ?? (harm && g.rates.selection_rate?.value != null ? 1 - g.rates.selection_rate.value : null)),
          impactRatio: g.excluded && v !== null ? `(${fmtValue(v)})` : fmtValue(v),
          below: v === null || g.excluded ? null : v < FOUR_FIFTHS,
          notes: notes.join(", "),
        };
      }),
      unknown,
      unknownText: `Number of individuals in the unknown category: ${fmtCount(unknown)}`,
    };
  });
  return {
    rateLabel,
    intro: `${rateLabel} = share of individuals ${harm ? (scoring ? "not scored above the median of all scores" : `not flagged (a positive decision, ${report.decision.rule}, is adverse for the person)`) : scoring ? "scored above the median of all scores" : `selected (${report.decision.rule})`}; impact ratio = the category's ${rateLabel.toLowerCase()} divided by the highest ${rateLabel.toLowerCase()} among the categories compared. Ratios below ${fmtPlain(FOUR_FIFTHS)} fall short of the four-fifths rule of thumb. A ratio in brackets belongs to a category excluded from the comparisons (under the audit's minimum size or share of the rows, as LL144 allows under 2%): shown for information, never flagged or checked. A missing value counts as its own category, "(missing)", and is counted as unknown.`,
    tables,
  };
}
