// The threshold slider (the one documented recomputation downstream of the engine): rates and
// disparities of one attribute at any bin edge of the stored score distribution, without the
// rows. Bin k holds scores in [edges[k], edges[k+1]); the decision is score ≥ threshold, so at
// threshold edges[k] a group's TP = Σ_{b≥k} pos_b, FP = Σ_{b≥k} neg_b, FN = Σ_{b<k} pos_b and
// TN = Σ_{b<k} neg_b. The formulas are the engine's (METRICS.md §2): a rate with a zero
// denominator is null; an aggregate over fewer than two defined groups is null; a ratio whose
// max is 0 is 1; an impact ratio whose max is 0 is null; a disparity against a reference rate
// that is 0 or undefined is null. Excluded groups (min_group_size) are left out of aggregates
// and of the impact-ratio maximum, as in the report.

import { AGGREGATE_IDS, AGGREGATES, type AggregateId } from "../engine/metrics/fairness";
import { DISPARITY_RATE_IDS, RATE_IDS, rateParts, type Confusion, type RateId } from "../engine/metrics/rates";
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

/** The groups of one attribute that the slider needs: which enter the aggregates, which is the reference. */
export interface ThresholdAttribute {
  attribute: string;
  reference: string | null;
  groups: Array<{ group: string; excluded: boolean }>;
}

export function thresholdAttribute(a: AttributeReport): ThresholdAttribute {
  return { attribute: a.attribute, reference: a.reference.group, groups: a.groups.map((g) => ({ group: g.group, excluded: g.excluded })) };
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

function rateOrNull(id: RateId, c: Confusion): number | null {
  const [num, den] = rateParts(id, c);
  return den > 0 ? num / den : null;
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
  const groups: ThresholdGroup[] = hist.groups.map((h) => {
    const confusion = confusionAtEdge(h.pos, h.neg, edgeIndex);
    const rates = {} as Record<RateId, number | null>;
    for (const id of RATE_IDS) rates[id] = rateOrNull(id, confusion);
    return { group: h.group, included: !(excluded.get(h.group) ?? false), reference: h.group === attr.reference, confusion, rates, disparities: {}, impactRatio: null };
  });

  const ref = groups.find((g) => g.reference);
  for (const g of groups) {
    for (const id of DISPARITY_RATE_IDS) {
      const r = ref?.rates[id] ?? null;
      const v = g.rates[id];
      g.disparities[id] = r !== null && r > 0 && v !== null ? v / r : null;
    }
  }

  let maxSel = -Infinity;
  for (const g of groups) {
    const s = g.rates.selection_rate;
    if (g.included && s !== null && s > maxSel) maxSel = s;
  }
  for (const g of groups) {
    const s = g.rates.selection_rate;
    g.impactRatio = maxSel > 0 && s !== null ? s / maxSel : null;
  }

  const aggregates = {} as ThresholdResult["aggregates"];
  for (const id of AGGREGATE_IDS) {
    const def = AGGREGATES[id];
    let value: number | null = def.kind === "difference" ? -Infinity : Infinity;
    let used = Infinity;
    for (const rate of def.rates) {
      const defined = groups.filter((g) => g.included && g.rates[rate] !== null).map((g) => g.rates[rate]!);
      used = Math.min(used, defined.length);
      if (defined.length < 2) {
        value = null;
        break;
      }
      const max = Math.max(...defined);
      const min = Math.min(...defined);
      const v = def.kind === "difference" ? max - min : max === 0 ? 1 : min / max;
      value = def.kind === "difference" ? Math.max(value!, v) : Math.min(value!, v);
    }
    aggregates[id] = { value, groups: used };
  }

  return { attribute: attr.attribute, edgeIndex, threshold: distribution.edges[edgeIndex]!, groups, aggregates };
}
