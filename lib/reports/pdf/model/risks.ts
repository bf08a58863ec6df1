// "Top risks" of the executive summary, in plain words and derived only from report fields:
// failing policy checks, the groups the numbers put at a disadvantage (in the audit's direction:
// most often flagged or not selected, most often wrongly so), groups given the favourable decision
// at less than four-fifths of the top group's rate,
// sensitive attributes used as model inputs, small, excluded and unknown groups, rates that
// could not be computed, and decisions that flip easily or unequally under small input changes.
// High risks first; within a level, in the order of the rules below.

import { glossaryEntry } from "../../../report/glossary";
import { attributeDisadvantage, positiveDecisionOf } from "../../../report/disadvantage";
import { disadvantageLines } from "../../../views/disadvantage";
import type { Report } from "../../../report/types";
import { FOUR_FIFTHS, SMALL_GROUP_SIZE } from "../../../views/fairness";
import { fmtCount, fmtPercent, fmtPlain, fmtValue } from "../../../views/format";
import { appliesTo, boundText, listText, plural } from "./text";
import { policyAddress } from "./policy";

export type RiskLevel = "high" | "medium" | "low";

export interface Risk {
  level: RiskLevel;
  /** Which rule raised it (stable, for tests and icons). */
  kind: "policy" | "disadvantage" | "impact_ratio" | "sensitive_input" | "no_policy" | "small_groups" | "excluded_groups" | "unknown_groups" | "undefined_rates" | "robustness_disparity" | "flip_rate" | "missing_inputs";
  title: string;
  detail: string;
}

/** Flip-rate gaps between groups (max − min) at or above this are flagged. */
export const ROBUSTNESS_DISPARITY_FLAG = 0.1;
/** Overall flip rates at or above this (at the largest budget) are flagged. */
export const FLIP_RATE_FLAG = 0.1;
/** Groups named in one sentence before "and k more". */
const MAX_NAMED = 6;

function named(items: string[]): string {
  return items.length <= MAX_NAMED ? listText(items) : `${items.slice(0, MAX_NAMED).join(", ")} and ${items.length - MAX_NAMED} more`;
}

const ORDER: Record<RiskLevel, number> = { high: 0, medium: 1, low: 2 };

export function topRisks(report: Report): Risk[] {
  const out: Risk[] = [];

  for (const p of report.policy) {
    if (p.pass) continue;
    const label = glossaryEntry(p.metric).label;
    const where = appliesTo(policyAddress(p));
    const value = p.value === null ? "could not be computed" : `is ${fmtValue(p.value)}`;
    out.push({
      level: "high",
      kind: "policy",
      title: `Policy check fails: ${label} (${where})`,
      detail: `The value ${value}; the audit requires ${boundText(p.min, p.max)}.${p.note ? ` ${p.note[0]!.toUpperCase()}${p.note.slice(1)}.` : ""}`,
    });
  }

  // who is disadvantaged, in the audit's direction (harm: flagged; benefit: not selected)
  const pd = positiveDecisionOf(report);
  const fair = report.sections.fairness;
  for (const a of fair?.attributes ?? []) {
    if (a.intersection) continue;
    const lines = disadvantageLines(attributeDisadvantage(a, pd), pd, fair!.tau).filter((l) => l.material);
    if (lines.length === 0) continue;
    const groups = [...new Set(lines.map((l) => l.group))];
    const what = lines.map((l) => (l.kind === "adverse" ? (pd === "harm" ? "most often flagged" : "least often selected") : pd === "harm" ? "most often wrongly flagged" : "most often wrongly denied"));
    out.push({
      level: "high",
      kind: "disadvantage",
      title: `${a.attribute}: ${listText(groups)} ${groups.length === 1 ? "is" : "are"} ${listText(what)}`,
      detail: lines.map((l) => l.text.slice(a.attribute.length + 2)).join(" "),
    });
  }
  for (const a of fair?.attributes ?? []) {
    const low = a.groups.filter((g) => !g.excluded && g.impactRatio.value !== null && g.impactRatio.value < FOUR_FIFTHS).sort((x, y) => x.impactRatio.value! - y.impactRatio.value!);
    if (low.length === 0) continue;
    const compared = a.groups.filter((g) => !g.excluded).length;
    out.push({
      level: "high",
      kind: "impact_ratio",
      title: `${a.attribute}: ${low.length} of ${compared} groups ${low.length === 1 ? "gets" : "get"} the favourable decision${pd === "harm" ? " (not flagged)" : ""} at less than four-fifths of the top group's rate`,
      detail: `Impact ratio below ${fmtPlain(FOUR_FIFTHS)}: ${named(low.map((g) => `${g.group} ${fmtValue(g.impactRatio.value)} (n = ${fmtCount(g.n)})`))}.`,
    });
  }

  const inputs = new Set(report.model.features ?? []);
  const sensitiveInputs = report.spec.sensitive.filter((s) => inputs.has(s));
  if (sensitiveInputs.length > 0) {
    out.push({
      level: "medium",
      kind: "sensitive_input",
      title: `The model uses ${listText(sensitiveInputs)} as ${sensitiveInputs.length === 1 ? "an input" : "inputs"}`,
      detail: `Its decisions can depend directly on ${sensitiveInputs.length === 1 ? "this sensitive attribute" : "these sensitive attributes"}${report.sections.shap || report.sections.permutationImportance ? "; section 6 shows how much the model relies on each input" : "; no explainability analysis was run to show how much"}.`,
    });
  }

  if (report.policy.length === 0) {
    out.push({ level: "medium", kind: "no_policy", title: "No policy checks", detail: "The audit spec sets no thresholds, so this audit cannot pass or fail; the numbers need a reviewer's judgement." });
  }

  for (const a of fair?.attributes ?? []) {
    const small = a.groups.filter((g) => g.small && !g.excluded);
    if (small.length > 0) {
      out.push({
        level: "medium",
        kind: "small_groups",
        title: `${a.attribute}: ${plural(small.length, "group")} with fewer than ${SMALL_GROUP_SIZE} rows`,
        detail: `Rates for ${named(small.map((g) => `${g.group} (n = ${fmtCount(g.n)})`))} can change a lot by chance; read them with their confidence intervals.`,
      });
    }
  }

  for (const a of fair?.attributes ?? []) {
    if (a.excluded.length === 0) continue;
    out.push({
      level: "medium",
      kind: "excluded_groups",
      title: `${a.attribute}: ${plural(a.excluded.length, "group")} left out of the comparisons`,
      detail: `${named(a.excluded.map((x) => `${x.group} (${x.reason})`))}. Their rates are reported but do not enter the differences and ratios.`,
    });
  }

  for (const a of fair?.attributes ?? []) {
    if (a.intersection) continue;
    const unknown = a.groups.filter((g) => g.unknown);
    const n = unknown.reduce((s, g) => s + g.n, 0);
    if (n === 0) continue;
    out.push({
      level: "medium",
      kind: "unknown_groups",
      title: `${a.attribute}: ${fmtCount(n)} rows (${fmtPercent(n / report.dataset.rows)}) have no value`,
      detail: `They are reported as the group ${listText(unknown.map((g) => `"${g.group}"`))}; their real ${a.attribute} is unknown, so the comparisons cannot speak for them.`,
    });
  }

  const undefinedRates = report.warnings.filter((w) => w.code === "undefined_rate" || w.code === "zero_reference_rate" || w.code === "single_group");
  if (undefinedRates.length > 0) {
    const where = [...new Set(undefinedRates.map((w) => (w.group !== undefined ? `${w.group}` : w.attribute ?? "the data")))];
    out.push({
      level: "medium",
      kind: "undefined_rates",
      title: `${plural(undefinedRates.length, "number")} could not be computed`,
      detail: `A denominator was zero or there was nothing to compare for ${named(where)}. These show as "—" and are left out of the aggregates, never counted as 0.`,
    });
  }

  const rob = report.sections.robustness;
  if (rob) {
    for (const a of rob.attributes) {
      let worst: { value: number; epsilon: number } | null = null;
      a.disparity.forEach((d, e) => {
        if (d !== null && (worst === null || d > worst.value)) worst = { value: d, epsilon: rob.epsilons[e]! };
      });
      const w = worst as { value: number; epsilon: number } | null;
      if (w && w.value >= ROBUSTNESS_DISPARITY_FLAG) {
        out.push({
          level: "medium",
          kind: "robustness_disparity",
          title: `${a.attribute}: decisions flip more easily for some groups`,
          detail: `At a budget of ε = ${fmtPlain(w.epsilon)} the flip rates of the ${a.attribute} groups differ by up to ${fmtValue(w.value)} (highest minus lowest).`,
        });
      }
    }
    const last = rob.overall[rob.overall.length - 1];
    if (last && last.flipRate >= FLIP_RATE_FLAG) {
      out.push({
        level: "medium",
        kind: "flip_rate",
        title: `Small input changes flip ${fmtPercent(last.flipRate)} of decisions`,
        detail: `Moving the changeable inputs by at most ${fmtPlain(last.epsilon)} standard deviations flips ${fmtCount(last.flipped)} of ${fmtCount(rob.rows)} attacked rows (flip rate ${fmtValue(last.flipRate)}).`,
      });
    }
  }

  const missing = report.warnings.filter((w) => w.code === "missing_values" || w.code === "unknown_categories" || w.code === "unexpected_binary_values");
  if (missing.length > 0) {
    const cols = [...new Set(missing.map((w) => w.column ?? w.message))];
    out.push({
      level: "low",
      kind: "missing_inputs",
      title: `Model inputs with empty or unexpected values: ${listText(cols)}`,
      detail: "They were filled in or encoded as 'none of the known categories' before scoring; the model's decisions for those rows rest on filled-in values.",
    });
  }

  return out.map((r, i) => ({ r, i })).sort((a, b) => ORDER[a.r.level] - ORDER[b.r.level] || a.i - b.i).map((x) => x.r);
}
