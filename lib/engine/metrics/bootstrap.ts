// Stratified percentile bootstrap (METRICS.md §2). Each group's rows are resampled with
// replacement, group sizes fixed. Unweighted, a resample of a group is a multinomial draw over
// its four confusion cells, so no pass over the rows is needed per resample; weighted, the
// group's (cell, weight) pairs are resampled.

import { multinomial, type Rng } from "../random";
import type { Interval } from "../../report/types";
import type { Grouping } from "./groups";
import type { GroupCells } from "./fairness";
import { cellIndex } from "./rates";

/** B resamples of every group's cells: a Float64Array of B × G × 4 (tp fp tn fn per group). */
export function bootstrapGroupCells(
  g: Grouping,
  gc: GroupCells,
  rows: { y: Uint8Array; decision: Uint8Array; w: Float64Array | null },
  B: number,
  rng: Rng,
): Float64Array {
  const G = gc.groups;
  const out = new Float64Array(B * G * 4);
  if (!rows.w) {
    const draw = new Float64Array(4);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < G; i++) {
        multinomial(rng, gc.n[i]!, gc.counts.subarray(i * 4, i * 4 + 4), draw);
        out.set(draw, (b * G + i) * 4);
      }
    }
    return out;
  }
  // Weighted. Resampling n_g rows = (1) how many draws land in each cell: a multinomial over
  // the cells' row counts, exactly as unweighted; (2) the weight total of each cell: the sum of
  // that many draws with replacement from the cell's weights. (2) is drawn row by row for up to
  // EXACT_DRAWS draws and, beyond, from its normal (CLT) approximation with the exact mean
  // m·μ and variance m·σ² of the sum: at m > 1000 its error is far below the Monte Carlo error
  // of the percentiles, and it keeps 1M rows × 1000 resamples at seconds instead of minutes.
  const w = rows.w;
  const cellWeights: Float64Array[] = []; // per group × cell
  const fill = new Int32Array(G * 4);
  for (let k = 0; k < G * 4; k++) cellWeights.push(new Float64Array(gc.counts[k]!));
  for (let r = 0; r < g.groupOf.length; r++) {
    const k = g.groupOf[r]! * 4 + cellIndex(rows.y[r]!, rows.decision[r]!);
    cellWeights[k]![fill[k]!++] = w[r]!;
  }
  const mean = new Float64Array(G * 4);
  const sd = new Float64Array(G * 4);
  for (let k = 0; k < G * 4; k++) {
    const ws = cellWeights[k]!;
    let s = 0;
    for (let i = 0; i < ws.length; i++) s += ws[i]!;
    const mu = ws.length ? s / ws.length : 0;
    let v = 0;
    for (let i = 0; i < ws.length; i++) v += (ws[i]! - mu) ** 2;
    mean[k] = mu;
    sd[k] = ws.length ? Math.sqrt(v / ws.length) : 0;
  }
  const draw = new Float64Array(4);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < G; i++) {
      multinomial(rng, gc.n[i]!, gc.counts.subarray(i * 4, i * 4 + 4), draw);
      for (let c = 0; c < 4; c++) {
        const k = i * 4 + c;
        const m = draw[c]!;
        let total = 0;
        if (m <= EXACT_DRAWS) {
          const ws = cellWeights[k]!;
          for (let t = 0; t < m; t++) total += ws[rng.int(ws.length)]!;
        } else {
          total = Math.max(0, m * mean[k]! + Math.sqrt(m) * sd[k]! * rng.normal());
        }
        out[(b * G + i) * 4 + c] = total;
      }
    }
  }
  return out;
}

/** Up to this many draws per cell, weighted resampling sums real rows' weights. */
export const EXACT_DRAWS = 1000;

/** B resamples of the overall cells (one stratum): B × 4. */
export function bootstrapCells(counts: Float64Array, y: Uint8Array, decision: Uint8Array, w: Float64Array | null, B: number, rng: Rng): Float64Array {
  const one: Grouping = { attribute: "", columns: [], names: ["all"], unknown: [false], groupOf: new Int32Array(y.length) };
  const n = counts[0]! + counts[1]! + counts[2]! + counts[3]!;
  return bootstrapGroupCells(one, { groups: 1, cells: counts, counts, n: Float64Array.of(n), weight: Float64Array.of(n) }, { y, decision, w }, B, rng);
}

/**
 * Percentile interval at the given confidence, with numpy's default (linear) interpolation,
 * over the defined (non-NaN) values. Null when fewer than half of the resamples are defined:
 * an interval from a minority of resamples would overstate what is known.
 */
export function percentileInterval(values: Float64Array, confidence: number): Interval | null {
  const defined = values.filter((v) => v === v).sort();
  if (defined.length < 2 || defined.length * 2 < values.length) return null;
  const alpha = (1 - confidence) / 2;
  return [quantileSorted(defined, alpha), quantileSorted(defined, 1 - alpha)];
}

/** numpy.quantile(method="linear") on sorted data. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const frac = pos - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return frac === 0 ? a : a + (b - a) * frac;
}
