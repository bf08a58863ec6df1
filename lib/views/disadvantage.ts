// The disadvantaged groups of a report in plain sentences (lib/report/disadvantage.ts picks them),
// worded for what a positive decision means: "most often flagged" / "most often wrongly flagged"
// under harm, "most often not selected" / "most often wrongly denied" under benefit. The summary,
// the fairness tab, the CLI and the PDF use these sentences.

import { disadvantagedGroups, positiveDecisionOf, type AttributeDisadvantage, type NamedRate } from "../report/disadvantage";
import type { Report } from "../report/types";
import { DEFAULTS, RATE_LABELS, type PositiveDecision } from "../vocabulary";
import { fmtCount, fmtValue } from "./format";

export interface DisadvantageLine {
  attribute: string;
  /** The group named, and the sentence. */
  group: string;
  kind: "adverse" | "wrongly_adverse";
  /** The gap is material (impact ratio below four-fifths, error rates beyond τ): a finding. */
  material: boolean;
  text: string;
}

function who(r: NamedRate): string {
  return `${r.group} (n = ${fmtCount(r.n)}${r.small ? ", small" : ""})`;
}

/**
 * Sentences for one attribute. A group is named as disadvantaged only when the gap is material:
 * an impact ratio below four-fifths, an error rate more than 1/τ times the lowest; otherwise the
 * sentence says the groups are close.
 */
export function disadvantageLines(d: AttributeDisadvantage, pd: PositiveDecision, tau: number = DEFAULTS.tau): DisadvantageLine[] {
  const out: DisadvantageLine[] = [];
  const adverseWord = pd === "harm" ? "flagged" : "not selected";
  if (d.adverse && d.adverse.impactRatio !== null && d.adverse.impactRatio >= DEFAULTS.fourFifths) {
    out.push({
      attribute: d.attribute,
      group: d.adverse.group,
      kind: "adverse",
      material: false,
      text: `${d.attribute}: no group is ${adverseWord} disproportionately often: the lowest impact ratio, ${fmtValue(d.adverse.impactRatio)} (${d.adverse.group}), is above four-fifths.`,
    });
  } else if (d.adverse) {
    const a = d.adverse;
    const what = pd === "harm" ? "most often given the adverse decision (flagged)" : "most often given the adverse decision (not selected)";
    const rate = pd === "harm" ? `favourable rate (not flagged) ${fmtValue(a.value)}` : `selection rate ${fmtValue(a.value)}`;
    out.push({
      attribute: d.attribute,
      group: a.group,
      kind: "adverse",
      material: true,
      text: `${d.attribute}: ${who(a)} is ${what}: ${rate} against ${fmtValue(a.best.value)} for ${a.best.group}${a.impactRatio !== null ? `, impact ratio ${fmtValue(a.impactRatio)}` : ""}.`,
    });
  }
  const w0 = d.wronglyAdverse;
  if (w0 && w0.value > 0 && w0.lowest.value / w0.value >= tau) {
    out.push({
      attribute: d.attribute,
      group: w0.group,
      kind: "wrongly_adverse",
      material: false,
      text: `${d.attribute}: the groups are wrongly ${pd === "harm" ? "flagged" : "denied"} at similar rates (${RATE_LABELS[w0.rate].toLowerCase()} ${fmtValue(w0.lowest.value)} to ${fmtValue(w0.value)}).`,
    });
  } else if (w0) {
    const w = w0;
    const what = pd === "harm" ? "most often wrongly flagged" : "most often wrongly denied";
    const against = w.reference ? `${fmtValue(w.reference.value)} for ${w.reference.group} (the reference)` : `${fmtValue(w.lowest.value)} for ${w.lowest.group}`;
    out.push({
      attribute: d.attribute,
      group: w.group,
      kind: "wrongly_adverse",
      material: true,
      text: `${d.attribute}: ${who(w)} is ${what}: ${RATE_LABELS[w.rate].toLowerCase()} ${fmtValue(w.value)} against ${against}.`,
    });
  }
  return out;
}

/** Every attribute's lines, single attributes first. */
export function reportDisadvantageLines(report: Report): DisadvantageLine[] {
  const pd = positiveDecisionOf(report);
  const tau = report.sections.fairness?.tau ?? DEFAULTS.tau;
  const all = disadvantagedGroups(report);
  return [...all.filter((d) => !d.intersection), ...all.filter((d) => d.intersection)].flatMap((d) => disadvantageLines(d, pd, tau));
}
