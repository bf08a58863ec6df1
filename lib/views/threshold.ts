// The threshold slider (the one documented recomputation downstream of the engine): rates and
// disparities of one attribute at any bin edge of the stored score distribution, without the
// rows. Bin k holds scores in [edges[k], edges[k+1]); the decision is score ≥ threshold, so at
// threshold edges[k] a group's TP = Σ_{b≥k} pos_b, FP = Σ_{b≥k} neg_b, FN = Σ_{b<k} pos_b and
// TN = Σ_{b<k} neg_b. From those cells everything is computed by the engine's own fairness
// function (lib/engine/metrics/fairness.ts `evaluate`), with the report's excluded groups,
// reference group and positive_decision: no formula is written twice.

import { evaluate } from "../engine/metrics/fairness";
import type { Confusion } from "../engine/metrics/rates";
import { AGGREGATE_IDS, DISPARITY_RATE_IDS, RATE_IDS, type AggregateId, type PositiveDecision, type RateId } from "../vocabulary";
import type { AttributeReport, ScoreDistribution } from "../report/types";

export interface ThresholdGroup {
  group: string;
  included: boolean;
  reference: boolean;
  confusion: Confusion;
  rates: Record<RateId, number | null>;
  /** Against the attribute's reference group, for DISPARITY_RATE_IDS. */
  disparities: Record<string, number | null>;
  impactRatio: number | null;
}

export interface ThresholdResult {
  attribute: string;
  edgeIndex: number;
  threshold: number;
  groups: ThresholdGroup[];
  aggregates: Record<AggregateId, { value: number | null; groups: number }>;
}

/** The groups of one attribute that the slider needs: which enter the aggregates, which is the
 *  reference, and what a positive decision means (for favourable rates and impact ratios). */
export interface ThresholdAttribute {
  attribute: string;
  reference: string | null;
  groups: Array<{ group: string; excluded: boolean }>;
  positiveDecision: PositiveDecision;
}

export function thresholdAttribute(a: AttributeReport, positiveDecision: PositiveDecision): ThresholdAttribute {
  return { attribute: a.attribute, reference: a.reference.group, groups: a.groups.map((g) => ({ group: g.group, excluded: g.excluded })), positiveDecision };
}

/** Index of the edge equal to `threshold`, else of the nearest edge (the audit threshold is always an edge). */
export function edgeIndexOf(edges: readonly number[], threshold: number): number {
  let best = 0;
  for (let k = 1; k < edges.length; k++) if (Math.abs(edges[k]! - threshold) < Math.abs(edges[best]! - threshold)) best = k;
  return best;
}

/** Confusion cells of one group's histograms at threshold edges[k]. */
export function confusionAtEdge(pos: readonly number[], neg: readonly number[], k: number): Confusion {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let b = 0; b < pos.length; b++) {
    if (b >= k) {
      tp += pos[b]!;
      fp += neg[b]!;
    } else {
      fn += pos[b]!;
      tn += neg[b]!;
    }
  }
  return { tp, fp, tn, fn };
}

function nullable(v: number): number | null {
  return v === v && Number.isFinite(v) ? v : null;
}

/**
 * Per-group rates, disparities, impact ratios and the attribute's aggregates at threshold
 * edges[edgeIndex]. Throws when the distribution has no histograms for the attribute, or the
 * edge index is out of range.
 */
export function ratesAtThresholdOrThrow(distribution: ScoreDistribution, attr: ThresholdAttribute, edgeIndex: number): ThresholdResult {
  const hist = distribution.attributes.find((a) => a.attribute === attr.attribute);
  if (!hist) throw new Error(`ratesAtThreshold: no score distribution for attribute "${attr.attribute}"`);
  if (!Number.isInteger(edgeIndex) || edgeIndex < 0 || edgeIndex >= distribution.edges.length) {
    throw new Error(`ratesAtThreshold: edge index ${edgeIndex} out of range [0, ${distribution.edges.length - 1}]`);
  }
  const excluded = new Map(attr.groups.map((g) => [g.group, g.excluded]));
  const G = hist.groups.length;
  const cells = new Float64Array(G * 4);
  const confusions = hist.groups.map((h, i) => {
    const c = confusionAtEdge(h.pos, h.neg, edgeIndex);
    cells.set([c.tp, c.fp, c.tn, c.fn], i * 4);
    return c;
  });
  const included = hist.groups.map((h) => !(excluded.get(h.group) ?? false));
  const refIndex = hist.groups.findIndex((h) => h.group === attr.reference);
  const e = evaluate(cells, G, included, refIndex >= 0 ? refIndex : null, attr.positiveDecision);
  const R = RATE_IDS.length;
  const D = DISPARITY_RATE_IDS.length;
  const groups: ThresholdGroup[] = hist.groups.map((h, i) => ({
    group: h.group,
    included: included[i]!,
    reference: i === refIndex,
    confusion: confusions[i]!,
    rates: Object.fromEntries(RATE_IDS.map((id, k) => [id, nullable(e.rates[i * R + k]!)])) as Record<RateId, number | null>,
    disparities: Object.fromEntries(DISPARITY_RATE_IDS.map((id, k) => [id, nullable(e.disparities[i * D + k]!)])),
    impactRatio: nullable(e.impact[i]!),
  }));
  const aggregates = Object.fromEntries(AGGREGATE_IDS.map((id, a) => [id, { value: nullable(e.aggregates[a]!), groups: e.aggregateGroups[a]! }])) as ThresholdResult["aggregates"];
  return { attribute: attr.attribute, edgeIndex, threshold: distribution.edges[edgeIndex]!, groups, aggregates };
}
