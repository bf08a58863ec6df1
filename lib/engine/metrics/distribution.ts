// Score histograms per group and label (weighted), stored in the report so that a threshold
// slider can recompute selection rates and error rates for any threshold at a bin edge without
// the rows: selected(t = edges[k]) = Σ_{b ≥ k} (pos_b + neg_b).

import type { ScoreDistribution } from "../../report/types";
import type { Grouping } from "./groups";

const MAX_EXACT = 200;
const BINS = 100;

/** Bin edges: every distinct score when there are few, else 100 equal-width bins; the threshold is always an edge. */
export function scoreEdges(scores: Float64Array, threshold: number): { edges: number[]; exact: boolean } {
  const distinct = [...new Set(Float64Array.from(scores).sort())];
  let edges: number[];
  let exact = false;
  if (distinct.length <= MAX_EXACT) {
    edges = distinct;
    exact = true;
  } else {
    const lo = distinct[0]!;
    const hi = distinct[distinct.length - 1]!;
    const [a, b] = lo >= 0 && hi <= 1 ? [0, 1] : [lo, hi];
    edges = Array.from({ length: BINS }, (_, k) => a + ((b - a) * k) / BINS);
  }
  if (!edges.includes(threshold)) edges = [...edges, threshold].sort((x, y) => x - y);
  return { edges, exact };
}

export function scoreDistribution(scores: Float64Array, y: Uint8Array, w: Float64Array | null, threshold: number, groupings: readonly Grouping[]): ScoreDistribution {
  const { edges, exact } = scoreEdges(scores, threshold);
  const K = edges.length;
  // bin index per row: the last edge ≤ score (scores below the first edge go to bin 0)
  const bin = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    let lo = 0;
    let hi = K - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (edges[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    bin[i] = lo;
  }
  return {
    edges,
    exact,
    attributes: groupings.map((g) => {
      const pos = g.names.map(() => new Float64Array(K));
      const neg = g.names.map(() => new Float64Array(K));
      for (let i = 0; i < scores.length; i++) {
        const wi = w ? w[i]! : 1;
        const target = y[i] ? pos : neg;
        target[g.groupOf[i]!]![bin[i]!]! += wi;
      }
      return { attribute: g.attribute, groups: g.names.map((group, gi) => ({ group, pos: Array.from(pos[gi]!), neg: Array.from(neg[gi]!) })) };
    }),
  };
}
