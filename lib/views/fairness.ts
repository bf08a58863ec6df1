// The Fairness tab, per attribute and intersection: group facts and flags (reference, small,
// excluded, missing values), bars per rate with interval whiskers and the Aequitas band around the
// reference, the disparity table with pass/fail per cell, impact ratios against 0.8, the
// attribute's aggregates, the intersection heat map, and the threshold slider's inputs and rows.
// Every number is read from the report; the slider's come from lib/views/threshold.ts.

import { AGGREGATE_IDS, confidenceLabel, DEFAULTS, DISPARITY_RATE_IDS, RATE_IDS, type PositiveDecision, type RateId } from "../vocabulary";
import { attributeDisadvantage, positiveDecisionOf } from "../report/disadvantage";
import { disadvantageLines } from "./disadvantage";
import { glossaryEntry } from "../report/glossary";
import type { AttributeReport, FairnessSection, GroupReport, Interval, Report, ScoreDistribution } from "../report/types";
import { fmtCount, fmtInterval, fmtPlain, fmtValue } from "./format";
import { parseIntersection, shortGroupName } from "./labels";
import { groupColor } from "./palette";
import { edgeIndexOf, thresholdAttribute, type ThresholdAttribute, type ThresholdResult } from "./threshold";

/** Groups with fewer rows are flagged "small" (METRICS.md §2). */
export const SMALL_GROUP_SIZE = DEFAULTS.smallGroupSize;
/** The four-fifths rule of thumb for impact ratios. */
export const FOUR_FIFTHS = DEFAULTS.fourFifths;
/** Rates drawn as bar charts; the table shows every rate. */

/** The rates charted per group: under harm the false positive rate (wrongly flagged) comes
 *  right after the selection rate, under benefit the false negative rate (wrongly denied). */
export function chartRates(pd: PositiveDecision): readonly RateId[] {
  return pd === "harm" ? ["selection_rate", "fpr", "tpr", "ppv"] : ["selection_rate", "fnr", "tpr", "fpr", "ppv"];
}

/** Which groups are left out of the comparisons, in a sentence. */
export function exclusionRule(f: Pick<FairnessSection, "minGroupSize" | "minGroupShare">): string {
  const rules = [f.minGroupSize > 0 ? `fewer than ${fmtCount(f.minGroupSize)} rows` : null, f.minGroupShare ? `less than ${fmtPlain(f.minGroupShare * 100)}% of the rows` : null].filter(Boolean);
  return rules.length ? `Groups with ${rules.join(" or ")} are reported but left out of the comparisons and impact ratios.` : "Every group enters the comparisons (no minimum group size or share).";
}

export interface GroupMeta {
  group: string;
  /** For chart axes: intersection values joined by " & ". */
  short: string;
  n: number;
  nText: string;
  color: string;
  small: boolean;
  excluded: boolean;
  unknown: boolean;
  reference: boolean;
  /** Plain flags: "reference", "small (n < 30)", "excluded", "missing values". */
  flags: string[];
}

export interface ValueView {
  value: number | null;
  text: string;
  ci: string;
  /** Whisker lengths below and above the value, for error bars. */
  error: [number, number] | null;
  /** Why the value is "—". */
  reason: string | null;
}

const RATE_NULL_REASON: Record<RateId, string> = {
  base_rate: "no rows in this group",
  selection_rate: "no rows in this group",
  favorable_rate: "no rows in this group",
  accuracy: "no rows in this group",
  tpr: "no actual positives in this group",
  fnr: "no actual positives in this group",
  fpr: "no actual negatives in this group",
  tnr: "no actual negatives in this group",
  ppv: "nobody in this group was selected",
  npv: "everybody in this group was selected",
};

export function rateNullReason(rate: RateId): string {
  return RATE_NULL_REASON[rate];
}

function valueView(value: number | null, ci: Interval | null | undefined, reason: string | null): ValueView {
  return {
    value,
    text: fmtValue(value),
    ci: fmtInterval(ci),
    error: value !== null && ci ? [Math.max(0, value - ci[0]), Math.max(0, ci[1] - value)] : null,
    reason: value === null ? reason : null,
  };
}

export function groupMeta(a: AttributeReport, g: GroupReport, index: number): GroupMeta {
  const flags: string[] = [];
  if (g.reference) flags.push("reference");
  if (g.small) flags.push(`small (n < ${SMALL_GROUP_SIZE})`);
  if (g.excluded) flags.push("excluded from comparisons");
  if (g.unknown) flags.push("missing values");
  return {
    group: g.group,
    short: shortGroupName(g.group, a.columns),
    n: g.n,
    nText: fmtCount(g.n),
    color: groupColor(index),
    small: g.small,
    excluded: g.excluded,
    unknown: g.unknown,
    reference: g.reference,
    flags,
  };
}

export interface RateChart {
  rate: RateId;
  label: string;
  explanation: string;
  bars: Array<GroupMeta & ValueView>;
  reference: { group: string; value: number } | null;
  /** Rates whose disparity passes the Aequitas rule: [τ·reference, reference/τ], clipped to [0, 1]. */
  band: [number, number] | null;
  bandText: string | null;
}

export interface RateTable {
  rates: Array<{ id: RateId; label: string; explanation: string }>;
  rows: Array<{ meta: GroupMeta; cells: ValueView[] }>;
}

export interface DisparityCell {
  text: string;
  ci: string;
  status: "pass" | "fail" | "none";
  reason: string | null;
}

export interface DisparityView {
  tau: number;
  bandText: string;
  rates: Array<{ id: RateId; label: string }>;
  rows: Array<{ meta: GroupMeta; cells: DisparityCell[] }>;
}

export interface ImpactView {
  threshold: number;
  /** Upper end of the value axis: 1, or more when an excluded group's ratio or a whisker exceeds it. */
  domainMax: number;
  /** Groups below 0.8. */
  failing: number;
  /** What the ratio divides, in the audit's terms (follows positive_decision). */
  lead: string;
  bars: Array<GroupMeta & ValueView & { status: "pass" | "fail" | "none" }>;
}

/** One sentence saying what an impact ratio is for this audit's positive decision. */
export function impactRatioText(pd: PositiveDecision): string {
  const what =
    pd === "harm"
      ? "Each group's favourable rate (the share not given the adverse decision: one minus its selection rate) divided by the highest group's"
      : "Each group's favourable rate (its selection rate: a positive prediction benefits the person) divided by the highest group's";
  return `${what}, as in NYC Local Law 144; a group left out of the comparisons (under the minimum size or share) does not set the highest rate and is not checked. The four-fifths rule of thumb flags values below ${fmtPlain(FOUR_FIFTHS)}.`;
}

export interface AggregateRow {
  id: string;
  label: string;
  explanation: string;
  value: string;
  ci: string;
  groups: string;
  reason: string | null;
}

export interface HeatmapCell {
  row: string;
  col: string;
  group: string;
  n: number;
  small: boolean;
  excluded: boolean;
  values: Record<string, number | null>;
}

export interface HeatmapView {
  attribute: string;
  rowColumn: string;
  colColumn: string;
  rows: string[];
  cols: string[];
  cells: HeatmapCell[];
  rates: Array<{ id: RateId; label: string; explanation: string }>;
}

export interface SliderInput {
  attribute: ThresholdAttribute;
  /** The stored distribution cut down to this attribute. */
  distribution: ScoreDistribution;
  auditThreshold: number;
  auditIndex: number;
  groups: GroupMeta[];
}

export interface AttributeView {
  /** Who this attribute's numbers put at a disadvantage, in the audit's direction. */
  disadvantage: string[];
  attribute: string;
  intersection: boolean;
  columns: string[];
  referenceText: string;
  groups: GroupMeta[];
  excluded: Array<{ group: string; n: string; reason: string }>;
  charts: RateChart[];
  table: RateTable;
  disparity: DisparityView;
  impact: ImpactView;
  aggregates: AggregateRow[];
  heatmap: HeatmapView | null;
  slider: SliderInput | null;
  smallGroups: string[];
}

export interface FairnessView {
  tau: number;
  intervals: string;
  /** The intervals' confidence level as a label ("95%"). */
  level: string;
  minGroupSize: string;
  attributes: AttributeView[];
}

export function rateChart(a: AttributeReport, metas: readonly GroupMeta[], rate: RateId, tau: number): RateChart {
  const e = glossaryEntry(rate);
  const ref = a.groups.find((g) => g.reference);
  const refValue = ref?.rates[rate]?.value ?? null;
  const band: [number, number] | null = refValue !== null && refValue > 0 ? [Math.min(1, tau * refValue), Math.min(1, refValue / tau)] : null;
  return {
    rate,
    label: e.label,
    explanation: e.explanation,
    bars: a.groups.map((g, i) => {
      const r = g.rates[rate];
      return { ...metas[i]!, ...valueView(r?.value ?? null, r?.ci, RATE_NULL_REASON[rate]) };
    }),
    reference: ref && refValue !== null ? { group: ref.group, value: refValue } : null,
    band,
    bandText: band ? `Shaded: ${fmtValue(band[0])} to ${fmtValue(band[1])}, where the disparity against ${ref!.group} passes (τ = ${fmtPlain(tau)})` : null,
  };
}

function disparityReason(a: AttributeReport, g: GroupReport, rate: RateId): string {
  const ref = a.groups.find((x) => x.reference);
  if (!ref) return "no reference group";
  if ((g.rates[rate]?.value ?? null) === null) return `this group's rate is undefined (${RATE_NULL_REASON[rate]})`;
  return "the reference group's rate is 0 or undefined, so there is nothing to divide by";
}

export function disparityView(a: AttributeReport, metas: readonly GroupMeta[], tau: number): DisparityView {
  return {
    tau,
    bandText: `[${fmtPlain(tau)}, ${fmtPlain(1 / tau, 3)}]`,
    rates: DISPARITY_RATE_IDS.map((id) => ({ id, label: glossaryEntry(id).label })),
    rows: a.groups.map((g, i) => ({
      meta: metas[i]!,
      cells: DISPARITY_RATE_IDS.map((id) => {
        const d = g.disparities[id];
        const value = d?.value ?? null;
        return {
          text: fmtValue(value),
          ci: fmtInterval(d?.ci),
          status: d?.pass === true ? "pass" : d?.pass === false ? "fail" : "none",
          reason: value === null ? disparityReason(a, g, id) : null,
        };
      }),
    })),
  };
}

export function impactView(a: AttributeReport, metas: readonly GroupMeta[], pd: PositiveDecision = DEFAULTS.positiveDecision): ImpactView {
  const bars = a.groups.map((g, i) => {
    const v = g.impactRatio.value;
    const reason = g.rates.selection_rate?.value === null ? "no rows in this group" : `no group in the comparison got the favourable decision (${pd === "harm" ? "every row was flagged" : "no row was selected"}), so there is nothing to divide by`;
    return { ...metas[i]!, ...valueView(v, g.impactRatio.ci, reason), status: v === null ? ("none" as const) : v < FOUR_FIFTHS ? ("fail" as const) : ("pass" as const) };
  });
  return { threshold: FOUR_FIFTHS, domainMax: Math.max(1, ...bars.map((b) => (b.value ?? 0) + (b.error?.[1] ?? 0))), failing: bars.filter((b) => b.status === "fail").length, lead: impactRatioText(pd), bars };
}

export function aggregateRows(a: AttributeReport): AggregateRow[] {
  const ids = [...AGGREGATE_IDS.filter((id) => id in a.aggregates), ...Object.keys(a.aggregates).filter((id) => !(AGGREGATE_IDS as readonly string[]).includes(id))];
  return ids.map((id) => {
    const v = a.aggregates[id]!;
    const e = glossaryEntry(id);
    return {
      id,
      label: e.label,
      explanation: e.explanation,
      value: fmtValue(v.value),
      ci: fmtInterval(v.ci),
      groups: `${v.groups} group${v.groups === 1 ? "" : "s"}`,
      reason: v.value === null ? "fewer than two groups have a defined value, so there is nothing to compare" : null,
    };
  });
}

/** The heat map of an intersection: rows = values of its first column, columns = values of the rest. */
export function heatmapView(a: AttributeReport): HeatmapView | null {
  if (!a.intersection || a.columns.length < 2) return null;
  const rows: string[] = [];
  const cols: string[] = [];
  const cells: HeatmapCell[] = [];
  for (const g of a.groups) {
    const values = parseIntersection(g.group, a.columns);
    if (!values) return null;
    const row = values[0]!;
    const col = values.slice(1).join(" & ");
    if (!rows.includes(row)) rows.push(row);
    if (!cols.includes(col)) cols.push(col);
    const rates: Record<string, number | null> = {};
    for (const id of RATE_IDS) rates[id] = g.rates[id]?.value ?? null;
    cells.push({ row, col, group: g.group, n: g.n, small: g.small, excluded: g.excluded, values: rates });
  }
  return {
    attribute: a.attribute,
    rowColumn: a.columns[0]!,
    colColumn: a.columns.slice(1).join(" & "),
    rows,
    cols,
    cells,
    rates: RATE_IDS.map((id) => ({ id, label: glossaryEntry(id).label, explanation: glossaryEntry(id).explanation })),
  };
}

function sliderInput(report: Report, a: AttributeReport, metas: GroupMeta[]): SliderInput | null {
  const dist = report.sections.fairness?.distribution;
  const hist = dist?.attributes.find((x) => x.attribute === a.attribute);
  if (!dist || !hist || dist.edges.length === 0) return null;
  return {
    attribute: thresholdAttribute(a, positiveDecisionOf(report)),
    distribution: { edges: dist.edges, exact: dist.exact, attributes: [hist] },
    auditThreshold: report.decision.threshold,
    auditIndex: edgeIndexOf(dist.edges, report.decision.threshold),
    groups: metas,
  };
}

export function attributeView(report: Report, f: FairnessSection, a: AttributeReport): AttributeView {
  const metas = a.groups.map((g, i) => groupMeta(a, g, i));
  const pd = positiveDecisionOf(report);
  return {
    disadvantage: disadvantageLines(attributeDisadvantage(a, pd), pd, f.tau).map((l) => l.text),
    attribute: a.attribute,
    intersection: a.intersection,
    columns: a.columns,
    referenceText:
      a.reference.group === null ? "No reference group (no group enters the comparisons)." : `Reference group: ${a.reference.group} (${a.reference.source === "spec" ? "chosen in the audit spec" : "the largest group"}).`,
    groups: metas,
    excluded: a.excluded.map((x) => ({ group: x.group, n: fmtCount(x.n), reason: x.reason })),
    charts: chartRates(pd).map((r) => rateChart(a, metas, r, f.tau)),
    table: {
      rates: RATE_IDS.map((id) => ({ id, label: glossaryEntry(id).label, explanation: glossaryEntry(id).explanation })),
      rows: a.groups.map((g, i) => ({ meta: metas[i]!, cells: RATE_IDS.map((id) => valueView(g.rates[id]?.value ?? null, g.rates[id]?.ci, RATE_NULL_REASON[id])) })),
    },
    disparity: disparityView(a, metas, f.tau),
    impact: impactView(a, metas, pd),
    aggregates: aggregateRows(a),
    heatmap: heatmapView(a),
    slider: sliderInput(report, a, metas),
    smallGroups: metas.filter((m) => m.small).map((m) => m.group),
  };
}

export function fairnessView(report: Report, f: FairnessSection): FairnessView {
  const b = f.bootstrap;
  return {
    tau: f.tau,
    level: confidenceLabel(b.confidence),
    intervals: b.resamples > 0 ? `${confidenceLabel(b.confidence)} intervals: ${b.method}, ${fmtCount(b.resamples)} resamples, seed ${b.seed}.` : "No intervals (bootstrap switched off).",
    minGroupSize: exclusionRule(f),
    attributes: f.attributes.map((a) => attributeView(report, f, a)),
  };
}

export interface SliderRow {
  meta: GroupMeta;
  cells: Array<{ id: string; text: string; status: "pass" | "fail" | "none"; reason: string | null }>;
}

export interface SliderView {
  threshold: string;
  isAudit: boolean;
  columns: Array<{ id: string; label: string }>;
  rows: SliderRow[];
  aggregates: Array<{ id: string; label: string; text: string; auditText: string }>;
  /** Selection rate per group for the mini chart. */
  bars: Array<{ group: string; short: string; color: string; value: number | null; audit: number | null }>;
}

const SLIDER_RATES: readonly RateId[] = ["selection_rate", "tpr", "fpr", "ppv"];
const SLIDER_AGGREGATES = ["demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference"] as const;

/** Rows of the threshold slider at `result`, beside the values at the audit's threshold. */
export function sliderView(input: SliderInput, result: ThresholdResult, audit: ThresholdResult): SliderView {
  const find = (r: ThresholdResult, group: string) => r.groups.find((g) => g.group === group);
  return {
    threshold: fmtPlain(result.threshold),
    isAudit: result.edgeIndex === audit.edgeIndex,
    columns: [...SLIDER_RATES.map((id) => ({ id, label: glossaryEntry(id).label })), { id: "impact_ratio", label: glossaryEntry("impact_ratio").label }],
    rows: input.groups.map((meta) => {
      const g = find(result, meta.group);
      return {
        meta,
        cells: [
          ...SLIDER_RATES.map((id) => {
            const v = g?.rates[id] ?? null;
            return { id, text: fmtValue(v), status: "none" as const, reason: v === null ? RATE_NULL_REASON[id] : null };
          }),
          {
            id: "impact_ratio",
            text: fmtValue(g?.impactRatio ?? null),
            status: g?.impactRatio == null ? ("none" as const) : g.impactRatio < FOUR_FIFTHS ? ("fail" as const) : ("pass" as const),
            reason: g?.impactRatio == null ? "no group in the comparison is selected at this threshold" : null,
          },
        ],
      };
    }),
    aggregates: SLIDER_AGGREGATES.map((id) => ({ id, label: glossaryEntry(id).label, text: fmtValue(result.aggregates[id].value), auditText: fmtValue(audit.aggregates[id].value) })),
    bars: input.groups.map((meta) => ({
      group: meta.group,
      short: meta.short,
      color: meta.color,
      value: find(result, meta.group)?.rates.selection_rate ?? null,
      audit: find(audit, meta.group)?.rates.selection_rate ?? null,
    })),
  };
}
