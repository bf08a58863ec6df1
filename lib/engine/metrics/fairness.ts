// Group fairness (METRICS.md §2, §2.1): per-group rates, Fairlearn-style between-group differences
// and ratios, Aequitas disparities against a reference group, LL144 impact ratios on the
// favourable rate (which follows positive_decision), small-group flags, min_group_size and
// min_group_share exclusions and stratified bootstrap intervals from group confusion cells.

import type { Rng } from "../random";
import type { AggregateValue, AttributeReport, DisparityValue, GroupReport, Interval, RateValue, ReportWarning } from "../../report/types";
import type { Grouping } from "./groups";
import { bootstrapGroupCells, percentileInterval } from "./bootstrap";
import { cellIndex, DISPARITY_RATE_IDS, RATE_IDS, rateParts } from "./rates";
import { AGGREGATE_IDS, AGGREGATES, DEFAULTS, type PositiveDecision } from "../../vocabulary";

export { AGGREGATE_IDS, AGGREGATES, type AggregateId } from "../../vocabulary";

export const SMALL_GROUP = DEFAULTS.smallGroupSize;

/** Weighted (cells) and counted (counts) confusion cells per group, 4 per group: tp fp tn fn. */
export interface GroupCells {
  groups: number;
  cells: Float64Array;
  counts: Float64Array;
  n: Float64Array;
  weight: Float64Array;
}

export function groupCells(g: Grouping, y: Uint8Array, decision: Uint8Array, w: Float64Array | null): GroupCells {
  const G = g.names.length;
  const cells = new Float64Array(G * 4);
  const counts = new Float64Array(G * 4);
  const n = new Float64Array(G);
  const weight = new Float64Array(G);
  const groupOf = g.groupOf;
  for (let r = 0; r < groupOf.length; r++) {
    const k = groupOf[r]! * 4 + cellIndex(y[r]!, decision[r]!);
    const wi = w ? w[r]! : 1;
    cells[k]! += wi;
    counts[k]!++;
  }
  for (let i = 0; i < G; i++) {
    n[i] = counts[i * 4]! + counts[i * 4 + 1]! + counts[i * 4 + 2]! + counts[i * 4 + 3]!;
    weight[i] = cells[i * 4]! + cells[i * 4 + 1]! + cells[i * 4 + 2]! + cells[i * 4 + 3]!;
  }
  return { groups: G, cells, counts, n, weight };
}

const R = RATE_IDS.length;
const D = DISPARITY_RATE_IDS.length;
const A = AGGREGATE_IDS.length;

/** All statistics of one attribute as flat arrays, NaN for undefined: the bootstrap's unit. */
export interface Evaluation {
  rates: Float64Array; // G × R
  disparities: Float64Array; // G × D
  impact: Float64Array; // G
  aggregates: Float64Array; // A
  aggregateGroups: Float64Array; // A: groups that entered
}

/**
 * Evaluates every statistic from group cells. `included[g]` = the group enters aggregates and
 * impact ratios. Aggregates over fewer than two defined groups are NaN; a ratio with max 0 is 1
 * (all equal). The impact ratio is the favourable rate over the highest included one.
 */
export function evaluate(cells: Float64Array, G: number, included: readonly boolean[], reference: number | null, pd: PositiveDecision = "benefit"): Evaluation {
  const rates = new Float64Array(G * R);
  for (let g = 0; g < G; g++) {
    const c = { tp: cells[g * 4]!, fp: cells[g * 4 + 1]!, tn: cells[g * 4 + 2]!, fn: cells[g * 4 + 3]! };
    for (let k = 0; k < R; k++) {
      const [num, den] = rateParts(RATE_IDS[k]!, c, pd);
      rates[g * R + k] = den > 0 ? num / den : NaN;
    }
  }
  const disparities = new Float64Array(G * D).fill(NaN);
  if (reference !== null) {
    for (let k = 0; k < D; k++) {
      const rk = RATE_IDS.indexOf(DISPARITY_RATE_IDS[k]!);
      const ref = rates[reference * R + rk]!;
      if (!(ref > 0)) continue;
      for (let g = 0; g < G; g++) disparities[g * D + k] = rates[g * R + rk]! / ref;
    }
  }
  const fav = RATE_IDS.indexOf("favorable_rate");
  let maxFav = -Infinity;
  for (let g = 0; g < G; g++) {
    const s = rates[g * R + fav]!;
    if (included[g] && s === s && s > maxFav) maxFav = s;
  }
  const impact = new Float64Array(G);
  for (let g = 0; g < G; g++) impact[g] = maxFav > 0 ? rates[g * R + fav]! / maxFav : NaN;

  const aggregates = new Float64Array(A);
  const aggregateGroups = new Float64Array(A);
  for (let a = 0; a < A; a++) {
    const def = AGGREGATES[AGGREGATE_IDS[a]!];
    let value = def.kind === "difference" ? -Infinity : Infinity;
    let groups = Infinity;
    for (const rate of def.rates) {
      const [v, used] = betweenGroups(rates, G, RATE_IDS.indexOf(rate), included, def.kind);
      groups = Math.min(groups, used);
      if (v !== v) {
        value = NaN;
        break;
      }
      value = def.kind === "difference" ? Math.max(value, v) : Math.min(value, v);
    }
    aggregates[a] = value;
    aggregateGroups[a] = groups;
  }
  return { rates, disparities, impact, aggregates, aggregateGroups };
}

function betweenGroups(rates: Float64Array, G: number, k: number, included: readonly boolean[], kind: "difference" | "ratio"): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  let used = 0;
  for (let g = 0; g < G; g++) {
    if (!included[g]) continue;
    const v = rates[g * R + k]!;
    if (v !== v) continue;
    used++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (used < 2) return [NaN, used];
  if (kind === "difference") return [max - min, used];
  return [max === 0 ? 1 : min / max, used];
}

export interface FairnessOptions {
  minGroupSize: number;
  /** Groups below this share of the rows (of the total weight, when weighted) are left out. */
  minGroupShare: number;
  positiveDecision: PositiveDecision;
  tau: number;
  /** Reference group name for this attribute, from the spec. */
  reference?: string;
  bootstrap: number;
  confidence: number;
  rng: Rng;
  /** The bootstrap needs rows only when weighted: group index and weight per row. */
  rows: { y: Uint8Array; decision: Uint8Array; w: Float64Array | null };
  intersection: boolean;
}

/**
 * The fairness report of one attribute (or intersection). Pushes warnings for undefined rates,
 * small groups, a zero reference rate and groups left out by min_group_size.
 */
export function attributeFairness(g: Grouping, opts: FairnessOptions, warnings: ReportWarning[]): AttributeReport {
  const gc = groupCells(g, opts.rows.y, opts.rows.decision, opts.rows.w);
  const G = gc.groups;
  const totalWeight = gc.weight.reduce((a, b) => a + b, 0);
  const tooFew = (i: number) => gc.n[i]! < opts.minGroupSize;
  const tooSmallShare = (i: number) => opts.minGroupShare > 0 && gc.weight[i]! < opts.minGroupShare * totalWeight;
  const included = Array.from({ length: G }, (_, i) => !tooFew(i) && !tooSmallShare(i));

  let reference: number | null = null;
  let source: "spec" | "largest" = "largest";
  if (opts.reference !== undefined) {
    reference = g.names.indexOf(opts.reference);
    source = "spec";
    // a missing reference was rejected earlier, with the list of groups, by the audit runner
  } else {
    let best = -1;
    for (let i = 0; i < G; i++) {
      if (!included[i]) continue;
      if (best === -1 || (g.unknown[best] && !g.unknown[i]) || (g.unknown[best] === g.unknown[i] && gc.weight[i]! > gc.weight[best]!)) best = i;
    }
    reference = best === -1 ? null : best;
  }

  const point = evaluate(gc.cells, G, included, reference, opts.positiveDecision);

  let ci: ((stat: "rates" | "disparities" | "impact" | "aggregates", index: number) => Interval | null) | null = null;
  if (opts.bootstrap > 0) {
    const B = opts.bootstrap;
    const resampled = bootstrapGroupCells(g, gc, opts.rows, B, opts.rng);
    const evals: Evaluation[] = new Array(B);
    for (let b = 0; b < B; b++) evals[b] = evaluate(resampled.subarray(b * G * 4, (b + 1) * G * 4), G, included, reference, opts.positiveDecision);
    const buf = new Float64Array(B);
    ci = (stat, index) => {
      for (let b = 0; b < B; b++) buf[b] = evals[b]![stat][index]!;
      return percentileInterval(buf, opts.confidence);
    };
  }

  const groups: GroupReport[] = [];
  for (let i = 0; i < G; i++) {
    const name = g.names[i]!;
    const rates: Record<string, RateValue> = {};
    RATE_IDS.forEach((id, k) => {
      const v = point.rates[i * R + k]!;
      const [, den] = rateParts(id, { tp: gc.cells[i * 4]!, fp: gc.cells[i * 4 + 1]!, tn: gc.cells[i * 4 + 2]!, fn: gc.cells[i * 4 + 3]! }, opts.positiveDecision);
      rates[id] = { value: nullable(v), denominator: den, ...(ci ? { ci: v === v ? ci("rates", i * R + k) : null } : {}) };
    });
    const disparities: Record<string, DisparityValue> = {};
    DISPARITY_RATE_IDS.forEach((id, k) => {
      const v = point.disparities[i * D + k]!;
      disparities[id] = {
        value: nullable(v),
        pass: v === v ? v >= opts.tau - 1e-12 && v <= 1 / opts.tau + 1e-12 : null,
        ...(ci ? { ci: v === v && i !== reference ? ci("disparities", i * D + k) : null } : {}),
      };
    });
    const ir = point.impact[i]!;
    groups.push({
      group: name,
      n: gc.n[i]!,
      weight: gc.weight[i]!,
      small: gc.n[i]! < SMALL_GROUP,
      excluded: !included[i],
      unknown: g.unknown[i]!,
      reference: i === reference,
      confusion: { tp: gc.cells[i * 4]!, fp: gc.cells[i * 4 + 1]!, tn: gc.cells[i * 4 + 2]!, fn: gc.cells[i * 4 + 3]! },
      rates,
      disparities,
      impactRatio: { value: nullable(ir), ...(ci ? { ci: ir === ir ? ci("impact", i) : null } : {}) },
    });
  }

  const aggregates: Record<string, AggregateValue> = {};
  AGGREGATE_IDS.forEach((id, a) => {
    const v = point.aggregates[a]!;
    aggregates[id] = { value: nullable(v), groups: point.aggregateGroups[a]!, ...(ci ? { ci: v === v ? ci("aggregates", a) : null } : {}) };
  });

  /** Why group i is left out: below min_group_size, or below min_group_share of the rows. */
  const exclusionReason = (i: number) =>
    tooFew(i)
      ? `n = ${gc.n[i]} < min_group_size ${opts.minGroupSize}`
      : `${fmtShare(gc.weight[i]! / totalWeight)} of the ${opts.rows.w ? "total weight" : "rows"} < min_group_share ${fmtShare(opts.minGroupShare)}`;
  collectWarnings(g, gc, included, reference, point, opts, warnings, exclusionReason);

  return {
    attribute: g.attribute,
    columns: g.columns,
    intersection: opts.intersection,
    reference: { group: reference === null ? null : g.names[reference]!, source },
    groups,
    aggregates,
    excluded: groups
      .map((x, i) => ({ x, i }))
      .filter(({ x }) => x.excluded)
      .map(({ x, i }) => ({ group: x.group, n: x.n, reason: exclusionReason(i) })),
  };
}

function fmtShare(s: number): string {
  return `${Number((s * 100).toPrecision(3))}%`;
}

function nullable(v: number): number | null {
  return v === v && Number.isFinite(v) ? v : null;
}

function collectWarnings(
  g: Grouping,
  gc: GroupCells,
  included: boolean[],
  reference: number | null,
  point: Evaluation,
  opts: FairnessOptions,
  warnings: ReportWarning[],
  exclusionReason: (i: number) => string,
): void {
  const attribute = g.attribute;
  for (let i = 0; i < gc.groups; i++) {
    const group = g.names[i]!;
    if (!included[i]) {
      warnings.push({ code: "group_excluded", attribute, group, message: `${attribute}: group "${group}" (n = ${gc.n[i]}; ${exclusionReason(i)}) is reported but left out of the aggregates and impact ratios` });
      continue;
    }
    if (gc.n[i]! < SMALL_GROUP) {
      warnings.push({ code: "small_group", attribute, group, message: `${attribute}: group "${group}" has only ${gc.n[i]} rows (< ${SMALL_GROUP}); its rates are unstable` });
    }
    const undefinedRates = RATE_IDS.filter((_, k) => point.rates[i * R + k]! !== point.rates[i * R + k]!);
    if (undefinedRates.length) {
      const why = undefinedRates.includes("tpr") ? "no positive labels" : undefinedRates.includes("fpr") ? "no negative labels" : "no rows in a denominator";
      warnings.push({
        code: "undefined_rate",
        attribute,
        group,
        message: `${attribute}: group "${group}" has ${why}, so ${undefinedRates.join(", ")} ${undefinedRates.length === 1 ? "is" : "are"} undefined and left out of the aggregates (Fairlearn would count ${undefinedRates.length === 1 ? "it" : "them"} as 0)`,
      });
    }
    if (g.unknown[i]) {
      warnings.push({ code: "unknown_group", attribute, group, message: `${attribute}: ${gc.n[i]} rows have no value and form the group "${group}"` });
    }
  }
  if (reference !== null) {
    const refName = g.names[reference]!;
    for (const id of DISPARITY_RATE_IDS) {
      const v = point.rates[reference * R + RATE_IDS.indexOf(id)]!;
      if (!(v > 0)) {
        warnings.push({
          code: "zero_reference_rate",
          attribute,
          group: refName,
          message: `${attribute}: the reference group "${refName}" has ${v === v ? "a zero" : "an undefined"} ${id}, so ${id} disparities are undefined (Aequitas would cap them at 10)`,
        });
      }
    }
  }
  const nDefined = included.filter(Boolean).length;
  if (nDefined < 2) {
    warnings.push({ code: "single_group", attribute, message: `${attribute}: fewer than two groups enter the aggregates, so every difference and ratio is undefined` });
  }
}
