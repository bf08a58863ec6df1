// Coalitions for KernelSHAP (METRICS.md §4). Exact mode: all 2^M − 2 coalitions with their
// Shapley kernel weights. Sampled mode (shap's scheme): coalition sizes whose share of the budget
// covers all their subsets (and complements) are enumerated completely; the rest of the budget
// is drawn as complementary pairs, without repeats, with sizes ∝ kernel weight ("kernel") or
// uniformly over sizes ("leverage", Musco & Witter 2025), each drawn pair weighted by its
// stratum's kernel mass over the pairs drawn from it.

import type { Rng } from "../random";

export interface CoalitionSet {
  players: number;
  /** Coalitions × players, 0/1. */
  z: Uint8Array;
  count: number;
  /** Regression weight of each coalition (total kernel mass it stands for). */
  weights: Float64Array;
  /** Stratum of each sampled coalition (−1 = enumerated, not random). */
  stratum: Int32Array;
  /** For sampled coalitions: index of its complement in the set (−1 if none). */
  partner: Int32Array;
  /** Per stratum: population of pairs (or singles) and how many were drawn. */
  strata: Array<{ size: number; population: number; drawn: number }>;
  mode: "exact" | "sampled";
  /** Sizes enumerated completely in sampled mode. */
  completeSizes: number[];
}

/** Shapley kernel weight of one coalition of size s among M players: (M−1) / (C(M,s)·s·(M−s)). */
export function kernelWeight(M: number, s: number): number {
  return (M - 1) / (binomial(M, s) * s * (M - s));
}

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  k = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** shap's default budget ("auto"): 2M + 2048 coalitions. */
export function defaultBudget(M: number): number {
  return 2 * M + 2048;
}

/** Exact mode applies when all coalitions fit in twice the budget. */
export function exactFits(M: number, budget: number): boolean {
  return M <= 30 && Math.pow(2, M) - 2 <= 2 * budget;
}

/** All 2^M − 2 proper, non-empty coalitions with kernel weights. */
export function allCoalitions(M: number): CoalitionSet {
  if (M < 2) throw new Error("KernelSHAP needs at least two players");
  const count = Math.pow(2, M) - 2;
  const z = new Uint8Array(count * M);
  const weights = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const bits = c + 1;
    let s = 0;
    for (let j = 0; j < M; j++) {
      const on = (bits >> j) & 1;
      z[c * M + j] = on;
      s += on;
    }
    weights[c] = kernelWeight(M, s);
  }
  return {
    players: M,
    z,
    count,
    weights,
    stratum: new Int32Array(count).fill(-1),
    partner: new Int32Array(count).fill(-1),
    strata: [],
    mode: "exact",
    completeSizes: [],
  };
}

/** Per coalition size s of M players: whether it pairs with a different size M − s, its total kernel
 *  mass (with its complement's when paired), and its share of the sampled budget. */
function sizeWeights(M: number, sampling: "kernel" | "leverage") {
  const paired = (s: number) => s !== M - s;
  const mass = (s: number) => kernelWeight(M, s) * binomial(M, s) * (paired(s) ? 2 : 1);
  const share = (s: number) => (sampling === "kernel" ? mass(s) : paired(s) ? 2 : 1);
  return { paired, mass, share };
}

/**
 * Draws up to `units` complementary pairs: a size ∝ its share, then a random subset of it,
 * skipping sizes whose pairs are all drawn and coalitions already in `seen` (which grows).
 * `drawn[k]` counts stratum k's pairs so far and is updated. Returns the new rows per stratum.
 */
function drawPairs(M: number, sizes: number[], shares: number[], populations: number[], drawn: number[], seen: Set<string>, units: number, rng: Rng): number[][][] {
  const added: number[][][] = sizes.map(() => []);
  const totalShare = shares.reduce((a, b) => a + b, 0);
  let attempts = 0;
  const maxAttempts = units * 50 + 1000;
  while (units > 0 && attempts++ < maxAttempts) {
    if (sizes.every((_, k) => drawn[k]! >= populations[k]!)) break;
    let u = rng.next() * totalShare;
    let k = 0;
    while (k < sizes.length - 1 && u >= shares[k]!) u -= shares[k++]!;
    if (drawn[k]! >= populations[k]!) continue;
    const row = randomSubset(M, sizes[k]!, rng);
    const key = row.join("");
    const compKey = row.map((v) => 1 - v).join("");
    if (seen.has(key) || seen.has(compKey)) continue;
    seen.add(key);
    seen.add(compKey);
    added[k]!.push(row);
    drawn[k]!++;
    units--;
  }
  return added;
}

/**
 * A sampled coalition set of at most `budget` coalitions. Complete sizes first (as shap does),
 * then complementary pairs drawn without repeats.
 */
export function sampleCoalitions(M: number, budget: number, rng: Rng, sampling: "kernel" | "leverage" = "kernel"): CoalitionSet {
  if (M < 2) throw new Error("KernelSHAP needs at least two players");
  const half = Math.ceil((M - 1) / 2);
  const { paired, mass, share } = sizeWeights(M, sampling);
  const rows: number[][] = [];
  const weights: number[] = [];
  const stratum: number[] = [];
  const partner: number[] = [];
  const completeSizes: number[] = [];
  let left = budget;
  let s = 1;
  for (; s <= half; s++) {
    const n = binomial(M, s) * (paired(s) ? 2 : 1);
    let remainingShare = 0;
    for (let t = s; t <= half; t++) remainingShare += share(t);
    if ((left * share(s)) / remainingShare < n - 1e-9) break;
    // enumerate every subset of size s and its complement
    const w = kernelWeight(M, s);
    forEachSubset(M, s, (idx) => {
      const row = new Array<number>(M).fill(0);
      for (const i of idx) row[i] = 1;
      rows.push(row);
      weights.push(w);
      stratum.push(-1);
      partner.push(-1);
      if (paired(s)) {
        rows.push(row.map((v) => 1 - v));
        weights.push(w);
        stratum.push(-1);
        partner.push(-1);
      }
    });
    completeSizes.push(s, ...(paired(s) ? [M - s] : []));
    left -= n;
  }
  const strata: CoalitionSet["strata"] = [];
  if (s <= half && left >= 2) {
    const sizes: number[] = [];
    for (let t = s; t <= half; t++) sizes.push(t);
    const populations = sizes.map((t) => (paired(t) ? binomial(M, t) : binomial(M, t) / 2));
    const drawnRows = drawPairs(M, sizes, sizes.map(share), populations, sizes.map(() => 0), new Set<string>(), Math.floor(left / 2), rng);
    sizes.forEach((t, k) => {
      const drawn = drawnRows[k]!;
      strata.push({ size: t, population: populations[k]!, drawn: drawn.length });
      if (drawn.length === 0) return;
      const w = mass(t) / (drawn.length * 2); // each of the 2·drawn coalitions carries an equal part
      for (const row of drawn) {
        const i = rows.length;
        rows.push(row, row.map((v) => 1 - v));
        weights.push(w, w);
        stratum.push(strata.length - 1, strata.length - 1);
        partner.push(i + 1, i);
      }
    });
  }
  const count = rows.length;
  const z = new Uint8Array(count * M);
  rows.forEach((r, i) => z.set(r, i * M));
  return {
    players: M,
    z,
    count,
    weights: Float64Array.from(weights),
    stratum: Int32Array.from(stratum),
    partner: Int32Array.from(partner),
    strata,
    mode: "sampled",
    completeSizes: completeSizes.sort((a, b) => a - b),
  };
}

function randomSubset(M: number, s: number, rng: Rng): number[] {
  const idx = Array.from({ length: M }, (_, i) => i);
  for (let i = 0; i < s; i++) {
    const j = i + rng.int(M - i);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  const row = new Array<number>(M).fill(0);
  for (let i = 0; i < s; i++) row[idx[i]!] = 1;
  return row;
}

function forEachSubset(M: number, s: number, fn: (idx: number[]) => void): void {
  const idx = Array.from({ length: s }, (_, i) => i);
  for (;;) {
    fn(idx);
    let i = s - 1;
    while (i >= 0 && idx[i] === M - s + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < s; j++) idx[j] = idx[j - 1]! + 1;
  }
}

/** Expands player coalitions into 0/1 masks over encoded inputs, given each player's input blocks. */
export function coalitionMasks(set: CoalitionSet, blocks: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, width: number): Float32Array {
  const M = set.players;
  const masks = new Float32Array(set.count * width);
  for (let c = 0; c < set.count; c++) {
    for (let j = 0; j < M; j++) {
      if (!set.z[c * M + j]) continue;
      for (const [off, w] of blocks[j]!) masks.fill(1, c * width + off, c * width + off + w);
    }
  }
  return masks;
}

/**
 * The set with `extra` more coalitions (complementary pairs, or singles in the middle stratum)
 * drawn in its sampled strata, without repeating any coalition already in it; every sampled
 * coalition's weight is recomputed from its stratum's new count (kernel mass / coalitions drawn),
 * so the result is the set sampleCoalitions would give for these draws. The old coalitions keep
 * their positions (0 … set.count − 1); the new ones follow. Enumerated sizes stay as they were.
 * Returns the set itself when its strata are exhausted.
 */
export function extendCoalitions(set: CoalitionSet, extra: number, rng: Rng, sampling: "kernel" | "leverage" = "kernel"): CoalitionSet {
  const M = set.players;
  if (set.mode !== "sampled" || set.strata.length === 0 || extra < 2) return set;
  const { mass, share } = sizeWeights(M, sampling);
  const seen = new Set<string>();
  for (let c = 0; c < set.count; c++) seen.add(set.z.subarray(c * M, (c + 1) * M).join(""));
  const drawn = set.strata.map((st) => st.drawn);
  const sizes = set.strata.map((st) => st.size);
  const added = drawPairs(M, sizes, sizes.map(share), set.strata.map((st) => st.population), drawn, seen, Math.floor(extra / 2), rng);
  const newRows = added.reduce((s, a) => s + a.length * 2, 0);
  if (newRows === 0) return set;
  const count = set.count + newRows;
  const z = new Uint8Array(count * M);
  z.set(set.z);
  const weights = new Float64Array(count);
  weights.set(set.weights);
  const stratum = new Int32Array(count);
  stratum.set(set.stratum);
  const partner = new Int32Array(count);
  partner.set(set.partner);
  let at = set.count;
  added.forEach((rows, k) => {
    for (const row of rows) {
      z.set(row, at * M);
      z.set(row.map((v) => 1 - v), (at + 1) * M);
      stratum[at] = stratum[at + 1] = k;
      partner[at] = at + 1;
      partner[at + 1] = at;
      at += 2;
    }
  });
  const strata = set.strata.map((st, k) => ({ ...st, drawn: drawn[k]! }));
  for (let c = 0; c < count; c++) {
    const k = stratum[c]!;
    if (k >= 0) weights[c] = mass(strata[k]!.size) / (strata[k]!.drawn * 2);
  }
  return { players: M, z, count, weights, stratum, partner, strata, mode: "sampled", completeSizes: set.completeSizes };
}
