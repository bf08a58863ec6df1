// Permutation importance (METRICS.md §3). Features are raw columns: a column's whole block of
// encoded inputs moves together. For repeat r and feature j the column is permuted across the
// evaluation rows with its own seeded permutation; importance_jr = S − S_jr for scores (higher
// is better) and S_jr − S for losses. With max_samples, each repeat draws one subsample and its
// baseline is computed on that subsample. Each repeat has its own random stream (seed, repeat). All permuted copies of a repeat go to the model in
// large batches (features × rows per call), not one call per permutation.

import type { ModelExecutor } from "../executor";
import { createRng, mixSeed, type Rng } from "../random";
import { sampleRows } from "../shap/background";
import { brierScore, logLoss, rocAuc, scoreLevels, thresholdMetrics, confusionOf } from "../metrics/performance";

export const IMPORTANCE_SCORINGS = ["roc_auc", "accuracy", "balanced_accuracy", "f1", "log_loss", "brier"] as const;
export type ImportanceScoring = (typeof IMPORTANCE_SCORINGS)[number];

export function isLoss(s: ImportanceScoring): boolean {
  return s === "log_loss" || s === "brier";
}

export interface ImportanceFeature {
  name: string;
  /** [offset, width] blocks of encoded inputs that belong to this raw column. */
  blocks: ReadonlyArray<readonly [number, number]>;
}

export interface PermutationImportanceInput {
  executor: ModelExecutor;
  /** Encodes the given data rows (n × width), or all n rows for null. */
  encode: (rows: Int32Array | null) => Float32Array;
  n: number;
  width: number;
  features: ImportanceFeature[];
  y: Uint8Array;
  w: Float64Array | null;
  threshold: number;
  scoring: ImportanceScoring;
  repeats: number;
  seed: number;
  /** Rows per repeat (a subsample); undefined = all rows. */
  maxSamples?: number;
  /** Testing hook: the permutation for (repeat, feature) over `size` rows instead of a seeded one. */
  permutation?: (repeat: number, feature: number, size: number) => Int32Array;
  /** Without subsampling: P(positive) of all rows with feature js[g] permuted by perms[g], one
   *  copy after the other (importance/permuted.ts), instead of permuted copies through
   *  executor.predict. permutedGroup(rows, features) copies per call. */
  permuted?: (js: number[], perms: Int32Array[]) => Promise<Float64Array | Float32Array>;
  /** With `permuted`: draws the permutations and scores the results on another thread. */
  side?: SideScorer;
  onProgress?: (done: number, total: number) => void;
}

export interface PermutationImportanceResult {
  /** Baseline score per repeat (equal when there is no subsampling). */
  baselines: number[];
  /** features × repeats importances. */
  values: number[][];
  mean: number[];
  /** Standard deviation over repeats, ddof = 0 (as scikit-learn). */
  std: number[];
  rows: number;
}

/** Score of probabilities p for labels y (weights w), as scikit-learn computes it. Float32
 *  probabilities (a TensorFlow.js model's own values) give the same score as their float64 copies;
 *  the unweighted AUC sorts their bits without a copy. */
export function scoreProbabilities(scoring: ImportanceScoring, p: Float64Array | Float32Array, y: Uint8Array, w: Float64Array | null, threshold: number): number {
  if (scoring === "roc_auc" && !w) return (p instanceof Float32Array ? rocAucFloat32(p, y) : rocAucUnweighted(p, y)) ?? NaN;
  const q = p instanceof Float32Array ? Float64Array.from(p) : p;
  switch (scoring) {
    case "roc_auc":
      return rocAuc(scoreLevels(q, y, w!)) ?? NaN;
    case "log_loss":
      return logLoss(q, y, w);
    case "brier":
      return brierScore(q, y, w);
    default: {
      const d = new Uint8Array(q.length);
      for (let i = 0; i < q.length; i++) d[i] = q[i]! >= threshold ? 1 : 0;
      return thresholdMetrics(confusionOf(y, d, w))[scoring] ?? NaN;
    }
  }
}

/** Mann–Whitney AUC with ties ½: by a radix sort when every score is a non-negative float32
 *  (model probabilities are), else from two natively sorted arrays; no comparator callbacks. */
export function rocAucUnweighted(p: Float64Array, y: Uint8Array): number | null {
  return rocAucRadix(p, y) ?? rocAucSorted(p, y);
}

/** rocAucUnweighted of float32 scores: their bit patterns sorted as they are (no float64 copy,
 *  no check that they are float32s). */
export function rocAucFloat32(p: Float32Array, y: Uint8Array): number | null {
  const n = p.length;
  scratch(n);
  return radixAuc(new Uint32Array(p.buffer, p.byteOffset, n), y, bits, keys, keys2) ?? rocAucSorted(Float64Array.from(p), y);
}

// scratch of the largest n so far (passed to radixAuc as arguments: V8 keeps its loops faster
// than with the arrays read from an object or module bindings)
let f32 = new Float32Array(0);
let bits = new Uint32Array(0);
let keys = new Uint32Array(0);
let keys2 = new Uint32Array(0);
const c0 = new Int32Array(2048);
const c1 = new Int32Array(2048);
const c2 = new Int32Array(2048);

function scratch(n: number): void {
  if (keys.length >= n) return;
  f32 = new Float32Array(n);
  bits = new Uint32Array(f32.buffer);
  keys = new Uint32Array(n);
  keys2 = new Uint32Array(n);
}

/** The scores as float32s in the scratch (their bit patterns in `bits`); false when one is not
 *  exactly a float32 (NaN included). Negative scores are left to radixAuc, which refuses them. */
function toFloat32(p: Float64Array, f32: Float32Array): boolean {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const v = p[i]!;
    f32[i] = v;
    if (f32[i] !== v) return false;
  }
  return true;
}

/**
 * The AUC from one LSD radix sort of 32-bit keys — the score's float32 bit pattern (which orders
 * like the values for non-negative floats) shifted left once, with the label in the lowest bit —
 * in 3 digits of 11 bits counted in one pass; then one sweep over groups of equal scores (the
 * negatives of a group come first): each positive counts the negatives below it and half of
 * those tied with it. O(n). null when a score is negative, NaN or not exactly a float32 (the
 * sorted path handles those).
 */
export function rocAucRadix(p: Float64Array, y: Uint8Array): number | null {
  const n = p.length;
  scratch(n);
  const view = f32.subarray(0, n);
  if (!toFloat32(p, view)) return null;
  return radixAuc(bits.subarray(0, n), y, bits, keys, keys2);
}

/** The radix AUC of float32 bit patterns `src` (n of them; k0 may be src itself): null when one
 *  is negative (−0 is not) or NaN, or when one class is empty. */
function radixAuc(src: Uint32Array, y: Uint8Array, k0: Uint32Array, keys: Uint32Array, keys2: Uint32Array): number | null {
  // one small function per pass: each is compiled on its own as soon as it is hot (one function
  // with every pass was compiled loop by loop and deoptimised at the next loop, ~2× slower over
  // the first calls of a run, which are most of a CLI run's calls)
  const n = src.length;
  c0.fill(0);
  c1.fill(0);
  c2.fill(0);
  const np = countKeys(src, y, k0, c0, c1, c2);
  const nn = n - np;
  if (np < 0 || np === 0 || nn === 0) return null;
  prefixSums(c0);
  prefixSums(c1);
  prefixSums(c2);
  scatter(k0, keys, c0, 0, n);
  scatter(keys, keys2, c1, 11, n);
  scatter(keys2, keys, c2, 22, n);
  return sweep(keys, n) / (np * nn);
}

/** Keys (bits << 1 | label) into k0 and the three digits' counts; the positives, or −1 when a
 *  score is negative (−0 is not) or NaN. */
function countKeys(src: Uint32Array, y: Uint8Array, k0: Uint32Array, c0: Int32Array, c1: Int32Array, c2: Int32Array): number {
  const n = src.length;
  let np = 0;
  for (let i = 0; i < n; i++) {
    const b = src[i]!;
    const m = b & 0x7fffffff; // drops −0's sign bit
    if ((b !== m && m !== 0) || m > 0x7f800000) return -1; // negative, NaN
    const label = y[i]!;
    const k = ((m << 1) | label) >>> 0;
    k0[i] = k;
    c0[k & 2047]!++;
    c1[(k >>> 11) & 2047]!++;
    c2[k >>> 22]!++;
    np += label;
  }
  return np;
}

/** Counts → exclusive prefix sums (each digit's first slot). */
function prefixSums(c: Int32Array): void {
  let s = 0;
  for (let b = 0; b < 2048; b++) {
    const a = c[b]!;
    c[b] = s;
    s += a;
  }
}

/** One stable counting-sort pass on the 11-bit digit at `shift`. */
function scatter(from: Uint32Array, to: Uint32Array, c: Int32Array, shift: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const k = from[i]!;
    to[c[(k >>> shift) & 2047]!++] = k;
  }
}

/** Σ over positives of (negatives below + ½ negatives tied), from the sorted keys (within a
 *  score, its negatives come first). */
function sweep(keys: Uint32Array, n: number): number {
  let acc = 0;
  let below = 0;
  for (let i = 0; i < n; ) {
    const score = keys[i]! >>> 1;
    let neg = 0;
    const first = (score << 1) >>> 0; // a negative with this score
    while (i < n && keys[i] === first) {
      neg++;
      i++;
    }
    let pos = 0;
    while (i < n && keys[i]! >>> 1 === score) {
      pos++;
      i++;
    }
    acc += pos * (below + 0.5 * neg);
    below += neg;
  }
  return acc;
}

/** Mann–Whitney AUC with ties ½ from two natively sorted arrays; null when a class is empty or a
 *  score is NaN (an AUC of NaN scores is undefined). */
export function rocAucSorted(p: Float64Array, y: Uint8Array): number | null {
  let np = 0;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(p[i]!)) return null;
    np += y[i]!;
  }
  const nn = y.length - np;
  if (np === 0 || nn === 0) return null;
  const pos = new Float64Array(np);
  const neg = new Float64Array(nn);
  let a = 0;
  let b = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]) pos[a++] = p[i]!;
    else neg[b++] = p[i]!;
  }
  pos.sort();
  neg.sort();
  let acc = 0;
  let below = 0; // negatives strictly below the current positive score
  let j = 0;
  for (let i = 0; i < np; ) {
    const s = pos[i]!;
    let k = i;
    while (k < np && pos[k] === s) k++;
    while (j < nn && neg[j]! < s) j++;
    below = j;
    let eq = 0;
    while (j + eq < nn && neg[j + eq] === s) eq++;
    acc += (k - i) * (below + 0.5 * eq);
    i = k;
  }
  return acc / (np * nn);
}

function shuffledIndex(size: number, rng: Rng, into?: Int32Array): Int32Array {
  return rng.permutation(into && into.length === size ? into : new Int32Array(size));
}

/** One repeat's model calls on the permuted path, in order: features js (G at a time) and their
 *  permutations over `size` rows, drawn from the repeat's stream `rng` (into `buffers`, reused:
 *  each group's arrays are only valid until the next is drawn; none given, new arrays), or from
 *  the testing hook `fixed`. */
export function* permutedGroups(size: number, F: number, G: number, rng: Rng, buffers: Int32Array[] | null, fixed?: (j: number) => Int32Array): Generator<{ js: number[]; perms: Int32Array[] }> {
  for (let j0 = 0; j0 < F; j0 += G) {
    const js: number[] = [];
    const perms: Int32Array[] = [];
    for (let j = j0; j < Math.min(F, j0 + G); j++) {
      js.push(j);
      perms.push(fixed ? fixed(j) : shuffledIndex(size, rng, buffers?.[j - j0]));
    }
    yield { js, perms };
  }
}

/** The permuted path's work from repeat r0 to r1 (no subsampling: a repeat's stream only draws
 *  its permutations), as a helper thread is told it. */
export interface PermutedPlan {
  seed: number;
  r0: number;
  r1: number;
  size: number;
  features: number;
  /** Features per model call (permutedGroup). */
  group: number;
  scoring: ImportanceScoring;
  threshold: number;
}

/** Repeat r's permutations of a plan, as permutationRepeats draws them (its stream mixSeed(seed, r)). */
export function planGroups(plan: PermutedPlan, r: number, buffers: Int32Array[] | null): Generator<{ js: number[]; perms: Int32Array[] }> {
  return permutedGroups(plan.size, plan.features, plan.group, createRng(mixSeed(plan.seed, r)), buffers);
}

/**
 * Draws a plan's permutations and scores its permuted probabilities on another thread (the CLI's
 * second core, idle while a small job's model runs here): for each model call in order it hands
 * (js, perms) to `permuted` on this thread and scores the probabilities it returns there.
 * Resolves to the score of the `baseline` probabilities (all rows as they are) and the scores
 * S_jr, features × (r1 − r0); rejects with SideScorerUnavailable when the
 * thread could not do its part (the caller then does it all itself).
 */
export interface SideScorer {
  run(
    plan: PermutedPlan,
    y: Uint8Array,
    w: Float64Array | null,
    baseline: Float64Array | Float32Array,
    permuted: (js: number[], perms: Int32Array[]) => Promise<Float64Array | Float32Array>,
    onScored: () => void,
  ): Promise<{ baseline: number; scores: number[][] }>;
}

export class SideScorerUnavailable extends Error {}

/** Rows per model call on the permuted path: whole permuted copies (features) per call up to
 *  about this many rows. Measured on a 12-32-1 MLP over 10,000 rows (wasm, CLI runs, median of 8
 *  interleaved): 1 copy per call 245 ms, 2: 247, 3: 212, 4: 208; 6 and 12 copies were slower
 *  (300, 350 ms: intermediate tensors of 7–15 MB). */
export const PERMUTED_CALL_ROWS = 32_768;

/** Permuted copies per model call for `size` rows and F features (at least 1). */
export function permutedGroup(size: number, features: number): number {
  return Math.max(1, Math.min(features, Math.floor(PERMUTED_CALL_ROWS / Math.max(1, size))));
}

/** Encoded floats per model call when batching permuted copies. */
const BATCH_FLOATS = 1 << 24;

/** What a run of permutation importance needs besides the model and the data's encoding (what a worker process is sent). */
export type ImportanceJob = Omit<PermutationImportanceInput, "executor" | "encode" | "permutation" | "onProgress" | "permuted" | "side">;

/** Repeats [r0, r1) of a run: baselines and features × (r1 − r0) importances. */
export interface ImportanceRepeats {
  baselines: number[];
  values: number[][];
}

/** Rows each repeat evaluates. */
export function importanceRows(n: number, maxSamples: number | undefined): number {
  return maxSamples !== undefined ? Math.min(n, maxSamples) : n;
}

/** Mean and standard deviation (ddof = 0) over repeats, from all repeats' values in order. */
export function summarizeImportance(rep: ImportanceRepeats, rows: number): PermutationImportanceResult {
  const { baselines, values } = rep;
  const mean = values.map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const std = values.map((v, j) => Math.sqrt(v.reduce((a, b) => a + (b - mean[j]!) ** 2, 0) / v.length));
  return { baselines, values, mean, std, rows };
}

export async function permutationImportance(input: PermutationImportanceInput): Promise<PermutationImportanceResult> {
  return summarizeImportance(await permutationRepeats(input, 0, input.repeats), importanceRows(input.n, input.maxSamples));
}

/** Repeats [r0, r1). Repeat r draws its subsample and its permutations from its own stream,
 *  mixSeed(seed, r), so the repeats can be computed in any pieces (team mode splits them across
 *  worker processes) and give the numbers of one whole run. */
export async function permutationRepeats(input: PermutationImportanceInput, r0: number, r1: number): Promise<ImportanceRepeats> {
  const { executor, n, width: d, features, y, w, threshold, scoring } = input;
  const F = features.length;
  const size = importanceRows(n, input.maxSamples);
  const values = features.map(() => new Array<number>(r1 - r0).fill(NaN));
  const baselines: number[] = [];
  const sign = isLoss(scoring) ? -1 : 1;
  const total = (r1 - r0) * F;
  let done = 0;
  let fullBaseline: number | null = null;
  const all = size < n ? null : input.encode(null);

  // Pipelined: while the executor's threads score repeat r's permuted copies, this thread scores
  // the previous batch (score computations are as costly as the model calls on small models).
  let scorePending: (() => void) | null = null;
  let permBuffers: Int32Array[] | null = null; // permuted path: buffers reused by every (repeat, feature)
  const side = input.permutation ? undefined : input.side;
  if (side && input.permuted && all) {
    // permutations drawn and scores computed on another thread while this one runs the model
    // (the same draws, the same numbers); the baseline's probabilities are scored there too
    const plan: PermutedPlan = { seed: input.seed, r0, r1, size, features: F, group: permutedGroup(size, F), scoring, threshold };
    const got = await side
      .run(plan, y, w, await executor.predict(all, size), input.permuted, () => input.onProgress?.(++done, total))
      .catch((e: unknown) => (e instanceof SideScorerUnavailable ? null : Promise.reject(e)));
    if (got) {
      for (let j = 0; j < F; j++) for (let k = 0; k < r1 - r0; k++) values[j]![k] = sign * (got.baseline - got.scores[j]![k]!);
      return { baselines: new Array<number>(r1 - r0).fill(got.baseline), values };
    }
    done = 0; // the helper thread failed to start or died: the same work here
  }
  for (let r = r0; r < r1; r++) {
    const rng = createRng(mixSeed(input.seed, r));
    const rows = size < n ? Int32Array.from(sampleRows(n, size, rng)) : null;
    const xs = rows ? input.encode(rows) : all!;
    const ys = rows ? Uint8Array.from(rows, (i) => y[i]!) : y;
    const ws = rows && w ? Float64Array.from(rows, (i) => w[i]!) : w;
    let baseline: number;
    if (rows || fullBaseline === null) {
      baseline = scoreProbabilities(scoring, await executor.predict(xs, size), ys, ws, threshold);
      if (!rows) fullBaseline = baseline;
    } else baseline = fullBaseline;
    baselines.push(baseline);

    if (input.permuted && !rows) {
      const G = permutedGroup(size, F);
      permBuffers ??= Array.from({ length: G }, () => new Int32Array(size));
      for (const { js, perms } of permutedGroups(size, F, G, rng, permBuffers, input.permutation && ((j) => input.permutation!(r, j, size)))) {
        const p = await input.permuted(js, perms);
        for (let g = 0; g < js.length; g++) {
          const s = scoreProbabilities(scoring, p.subarray(g * size, (g + 1) * size), ys, ws, threshold);
          values[js[g]!]![r - r0] = sign * (baseline - s);
          input.onProgress?.(++done, total);
        }
      }
      continue;
    }
    // all features' permuted copies of this repeat, in batches of whole copies
    const perBatch = Math.max(1, Math.floor(BATCH_FLOATS / (size * d)));
    for (let j0 = 0; j0 < F; j0 += perBatch) {
      const jn = Math.min(F, j0 + perBatch);
      const batch = new Float32Array((jn - j0) * size * d);
      for (let j = j0; j < jn; j++) {
        const perm = input.permutation ? input.permutation(r, j, size) : shuffledIndex(size, rng);
        const out = batch.subarray((j - j0) * size * d, (j - j0 + 1) * size * d);
        out.set(xs);
        for (const [off, width] of features[j]!.blocks) {
          for (let i = 0; i < size; i++) {
            const src = perm[i]! * d + off;
            const dst = i * d + off;
            for (let t = 0; t < width; t++) out[dst + t] = xs[src + t]!;
          }
        }
      }
      const predicted = executor.predict(batch, (jn - j0) * size);
      scorePending?.();
      const p = await predicted;
      const rr = r;
      scorePending = () => {
        for (let j = j0; j < jn; j++) {
          const s = scoreProbabilities(scoring, p.subarray((j - j0) * size, (j - j0 + 1) * size), ys, ws, threshold);
          values[j]![rr - r0] = sign * (baseline - s);
          done++;
        }
        input.onProgress?.(done, total);
      };
    }
  }
  scorePending?.();
  return { baselines, values };
}

/**
 * Repeats [r0, r1) on the executor: without subsampling, where the executor scores permuted
 * columns itself (importanceRepeats: each thread takes whole repeats), there; otherwise through
 * batches of permuted copies and executor.predict. Every path draws the same permutations.
 */
export async function runImportanceRepeats(
  executor: ModelExecutor,
  job: ImportanceJob,
  encode: PermutationImportanceInput["encode"],
  r0: number,
  r1: number,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportanceRepeats> {
  if (executor.importanceRepeats && importanceRows(job.n, job.maxSamples) === job.n) return executor.importanceRepeats(job, encode(null), r0, r1, onProgress);
  return permutationRepeats({ ...job, executor, encode, onProgress }, r0, r1);
}
