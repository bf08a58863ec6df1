// Background data for KernelSHAP (METRICS.md §4): a seeded random sample of rows with equal
// weights, or weighted k-means whose centres are snapped to real rows, so that one-hot blocks
// and integer values stay valid, with weights = cluster shares.

import type { Rng } from "../random";

export interface Background {
  /** Row indices into the data the encoded matrix came from. */
  rows: number[];
  weights: number[];
  method: "sample" | "kmeans" | "file";
}

/** `size` distinct rows chosen uniformly (all rows when there are fewer). */
export function sampleRows(n: number, size: number, rng: Rng): number[] {
  if (size >= n) return Array.from({ length: n }, (_, i) => i);
  // partial Fisher–Yates over a sparse map: O(size) memory
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(n - i);
    const vi = swapped.get(i) ?? i;
    const vj = swapped.get(j) ?? j;
    swapped.set(j, vi);
    out.push(vj);
  }
  return out;
}

export function randomBackground(n: number, size: number, rng: Rng): Background {
  const rows = sampleRows(n, size, rng);
  return { rows, weights: rows.map(() => 1 / rows.length), method: "sample" };
}

/**
 * Weighted k-means (k-means++ start, Lloyd iterations) on encoded rows; each centre is then
 * replaced by the row nearest to it. Rows that two centres snap to are merged (weights added).
 * `x` is row-major (n × d); `candidates` limits the rows clustered (a seeded sample).
 */
export function kmeansBackground(x: Float32Array, n: number, d: number, k: number, rng: Rng, maxRows = 20_000, iterations = 30): Background {
  const cand = sampleRows(n, maxRows, rng);
  const m = cand.length;
  if (k >= m) return { rows: cand, weights: cand.map(() => 1 / m), method: "kmeans" };
  const point = (i: number) => cand[i]! * d;
  const dist2 = (pi: number, c: Float64Array, ci: number) => {
    let s = 0;
    const p = point(pi);
    for (let t = 0; t < d; t++) {
      const diff = x[p + t]! - c[ci * d + t]!;
      s += diff * diff;
    }
    return s;
  };
  // k-means++
  const centres = new Float64Array(k * d);
  const first = rng.int(m);
  for (let t = 0; t < d; t++) centres[t] = x[point(first) + t]!;
  const best = new Float64Array(m).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < m; i++) {
      best[i] = Math.min(best[i]!, dist2(i, centres, c - 1));
      total += best[i]!;
    }
    let u = rng.next() * total;
    let pick = m - 1;
    for (let i = 0; i < m; i++) {
      u -= best[i]!;
      if (u <= 0) {
        pick = i;
        break;
      }
    }
    for (let t = 0; t < d; t++) centres[c * d + t] = x[point(pick) + t]!;
  }
  const assign = new Int32Array(m);
  for (let it = 0; it < iterations; it++) {
    let moved = 0;
    for (let i = 0; i < m; i++) {
      let bi = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = dist2(i, centres, c);
        if (dd < bd) {
          bd = dd;
          bi = c;
        }
      }
      if (assign[i] !== bi) moved++;
      assign[i] = bi;
    }
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      const c = assign[i]!;
      counts[c]!++;
      const p = point(i);
      for (let t = 0; t < d; t++) sums[c * d + t]! += x[p + t]!;
    }
    for (let c = 0; c < k; c++) if (counts[c]! > 0) for (let t = 0; t < d; t++) centres[c * d + t] = sums[c * d + t]! / counts[c]!;
    if (moved === 0 && it > 0) break;
  }
  const counts = new Float64Array(k);
  for (let i = 0; i < m; i++) counts[assign[i]!]!++;
  const snapped = new Map<number, number>();
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    let bi = 0;
    let bd = Infinity;
    for (let i = 0; i < m; i++) {
      if (assign[i] !== c) continue;
      const dd = dist2(i, centres, c);
      if (dd < bd) {
        bd = dd;
        bi = i;
      }
    }
    const row = cand[bi]!;
    snapped.set(row, (snapped.get(row) ?? 0) + counts[c]! / m);
  }
  const rows = [...snapped.keys()];
  return { rows, weights: rows.map((r) => snapped.get(r)!), method: "kmeans" };
}
