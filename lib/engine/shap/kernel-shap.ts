// KernelSHAP over raw-column players (METRICS.md §4): v(S) = link(Σ_b w_b f(x_S ∪ bg_b,¬S)),
// φ₀ = v(∅). Exact mode when 2^M − 2 ≤ 2 × budget, sampled otherwise; φ from the constrained
// weighted least squares (solve.ts). The model work for all explained rows goes through the
// executor (this thread or a pool of worker threads) as one coalition job.

import type { ModelExecutor } from "../executor";
import type { ShapSection } from "../../report/types";
import { createRng } from "../random";
import { allCoalitions, coalitionMasks, defaultBudget, exactFits, extendCoalitions, sampleCoalitions, type CoalitionSet } from "./coalitions";
import { createSolver, type ShapSolver } from "./solve";

export type ShapLink = "identity" | "logit";

export interface ShapPlayer {
  name: string;
  blocks: ReadonlyArray<readonly [number, number]>;
}

export interface KernelShapInput {
  executor: ModelExecutor;
  players: ShapPlayer[];
  width: number;
  /** Explained rows, encoded (rows × width). */
  x: Float32Array;
  rows: number;
  background: Float32Array;
  backgroundWeights: number[];
  link: ShapLink;
  /** "auto": exact when it fits in twice the default budget; a number: that budget; a target:
   *  sampled in rounds until each row's estimated error meets it (targetRounds). */
  samples: "auto" | "exact" | number | ShapTarget;
  sampling: "kernel" | "leverage";
  seed: number;
  onRows?: (done: number) => void;
  /** Benchmarks only: sample even where exact mode would fit (to compare with shap's sampling). */
  forceSampled?: boolean;
}

/** Sample until each row's estimated relative squared error Σse²/Σφ² is at most `target_error`, within `max` coalitions. */
export interface ShapTarget {
  target_error: number;
  max?: number;
}

/** What a target run spent and reached: the report's shap.target. */
export type ShapTargetResult = NonNullable<ShapSection["target"]>;

export interface KernelShapRow {
  phi: Float64Array;
  se: Float64Array;
  /** f(x): the model's probability for the row. */
  prediction: number;
  /** link(f(x)). */
  output: number;
  /** |Σφ + φ₀ − link(f(x))| */
  additivityError: number;
}

export interface KernelShapResult {
  mode: "exact" | "sampled";
  coalitions: number;
  budget: number;
  completeSizes: number[];
  /** φ₀ = v(∅), in link space. */
  baseValue: number;
  rows: KernelShapRow[];
  /** Set when samples was a target. */
  target?: ShapTargetResult;
  /** Model rows evaluated (coalitions × background × explained rows). */
  evaluations: number;
  evaluationMs: number;
}

const EPS = 1e-15;

export function applyLink(link: ShapLink, p: number): number {
  if (link === "identity") return p;
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

/** Coalitions for M players under the spec's `samples` setting. */
export function chooseCoalitions(
  M: number,
  samples: "auto" | "exact" | number,
  sampling: KernelShapInput["sampling"],
  seed: number,
  forceSampled = false,
): { set: CoalitionSet; budget: number } {
  const budget = typeof samples === "number" ? samples : defaultBudget(M);
  if (samples === "exact" || (!forceSampled && exactFits(M, budget))) {
    if (M > 24) throw new Error(`exact KernelSHAP over ${M} features needs 2^${M} coalitions; use samples: auto or a number`);
    return { set: allCoalitions(M), budget };
  }
  return { set: sampleCoalitions(M, budget, createRng(seed), sampling), budget };
}

/** A row's φ, SE and additivity error from y = v(S) − v(∅) per coalition (link space) and f(x). */
function solvedRow(solver: ShapSolver, y: Float64Array, prediction: number, link: ShapLink, v0: number): KernelShapRow {
  const output = applyLink(link, prediction);
  const { phi, se } = solver.solve(y, output - v0);
  let sum = v0;
  for (let j = 0; j < phi.length; j++) sum += phi[j]!;
  return { phi, se, prediction, output, additivityError: Math.abs(sum - output) };
}

/** φ₀ = v(∅) = link(the background's weighted mean prediction), and f(x) of the explained rows. */
async function baseAndOutputs(input: KernelShapInput): Promise<{ nb: number; bgw: Float64Array; fx: Float64Array; v0: number }> {
  const nb = input.backgroundWeights.length;
  const bgPred = await input.executor.predict(input.background, nb);
  let base = 0;
  for (let b = 0; b < nb; b++) base += input.backgroundWeights[b]! * bgPred[b]!;
  const fx = await input.executor.predict(input.x, input.rows);
  return { nb, bgw: Float64Array.from(input.backgroundWeights), fx, v0: applyLink(input.link, base) };
}

export async function kernelShap(input: KernelShapInput): Promise<KernelShapResult> {
  if (typeof input.samples === "object") return targetRounds(input, input.samples);
  const { executor, players, width: d, rows, link } = input;
  const M = players.length;
  const { set, budget } = chooseCoalitions(M, input.samples, input.sampling, input.seed, input.forceSampled);
  const masks = coalitionMasks(
    set,
    players.map((p) => p.blocks),
    d,
  );
  const t0 = performance.now();
  const { nb, bgw, fx, v0 } = await baseAndOutputs(input);
  const solver = createSolver(set);
  const out: KernelShapRow[] = new Array(rows);
  const y = new Float64Array(set.count);
  const solveRow = (e: number, values: Float64Array, at: number) => {
    for (let c = 0; c < set.count; c++) y[c] = applyLink(link, values[at + c]!) - v0;
    out[e] = solvedRow(solver, y, fx[e]!, link, v0);
  };
  // rows whose values arrive early (a worker pool hands them over per task) are solved on this
  // thread while the pool evaluates the rest
  const values = await executor.coalitionValues(
    { width: d, x: input.x, rows, background: input.background, backgroundRows: nb, backgroundWeights: bgw, masks, coalitions: set.count },
    input.onRows,
    (start, end, part) => {
      for (let e = start; e < end; e++) solveRow(e, part, (e - start) * set.count);
    },
  );
  const evaluationMs = performance.now() - t0;
  for (let e = 0; e < rows; e++) if (!out[e]) solveRow(e, values, e * set.count);
  return {
    mode: set.mode,
    coalitions: set.count,
    budget,
    completeSizes: set.completeSizes,
    baseValue: v0,
    rows: out,
    evaluations: set.count * nb * rows + nb + rows,
    evaluationMs,
  };
}

/** Estimated relative squared error of a row's φ: Σ se² / Σ φ² (0 when φ is all zero and se too). */
export function estimatedRelativeError(phi: Float64Array, se: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let j = 0; j < phi.length; j++) {
    num += se[j]! * se[j]!;
    den += phi[j]! * phi[j]!;
  }
  return num === 0 ? 0 : den === 0 ? Infinity : num / den;
}

/** Coalitions of the first round: enough for every sampled size to get a few pairs. */
export function firstRoundBudget(M: number, max: number): number {
  return Math.min(max, Math.max(64, 32 * M));
}

/**
 * KernelSHAP to a target: round 1 samples firstRoundBudget coalitions (as a budget would); each
 * later round draws more pairs in the same strata (extendCoalitions) and evaluates only the new
 * coalitions, only for the rows whose estimate Σse²/Σφ² is still above the target. A row keeps
 * the φ of the round that met the target (or of its last round). The next round's size comes
 * from the error's 1/n decay: the coalitions that would bring the 75th percentile of the
 * remaining rows to the target (+15%), at least 1.25× and at most 4× the current set.
 */
async function targetRounds(input: KernelShapInput, target: ShapTarget): Promise<KernelShapResult> {
  const { executor, players, width: d, rows, link } = input;
  const M = players.length;
  const all = M <= 30 ? Math.pow(2, M) - 2 : Infinity;
  const max = Math.min(target.max ?? Math.min(all, 8 * defaultBudget(M)), all);
  const rng = createRng(input.seed);
  let set = sampleCoalitions(M, firstRoundBudget(M, max), rng, input.sampling);
  const blocks = players.map((p) => p.blocks);
  const t0 = performance.now();
  const { nb, bgw, fx, v0 } = await baseAndOutputs(input);
  let evaluations = nb + rows;
  let evaluationMs = performance.now() - t0; // model time: the predictions and each round's coalitions
  // per row: link-space values of the coalitions evaluated so far (grown per round)
  const values: Float64Array[] = Array.from({ length: rows }, () => new Float64Array(0));
  const out: KernelShapRow[] = new Array(rows);
  const errors = new Float64Array(rows).fill(Infinity);
  const used = new Int32Array(rows);
  let active = Array.from({ length: rows }, (_, e) => e);
  let evaluated = 0; // coalitions of `set` already evaluated for the active rows
  let rounds = 0;
  let doneRows = 0;
  for (;;) {
    rounds++;
    const fresh = set.count - evaluated;
    const masks = coalitionMasks(subset(set, evaluated), blocks, d);
    const x = new Float32Array(active.length * d);
    active.forEach((e, k) => x.set(input.x.subarray(e * d, (e + 1) * d), k * d));
    const t1 = performance.now();
    const v = await executor.coalitionValues(
      { width: d, x, rows: active.length, background: input.background, backgroundRows: nb, backgroundWeights: bgw, masks, coalitions: fresh },
      (done) => input.onRows?.(Math.min(rows, doneRows + done)),
    );
    evaluationMs += performance.now() - t1;
    evaluations += fresh * nb * active.length;
    const solver = createSolver(set);
    const y = new Float64Array(set.count);
    const next: number[] = [];
    const needs: number[] = [];
    const units = set.strata.reduce((s, st) => s + st.drawn, 0);
    active.forEach((e, k) => {
      const grown = new Float64Array(set.count);
      grown.set(values[e]!);
      for (let c = 0; c < fresh; c++) grown[evaluated + c] = applyLink(link, v[k * fresh + c]!);
      values[e] = grown;
      for (let c = 0; c < set.count; c++) y[c] = grown[c]! - v0;
      out[e] = solvedRow(solver, y, fx[e]!, link, v0);
      errors[e] = estimatedRelativeError(out[e]!.phi, out[e]!.se);
      used[e] = set.count;
      if (errors[e]! > target.target_error) {
        next.push(e);
        needs.push(units * (errors[e]! / target.target_error));
      }
    });
    evaluated = set.count;
    doneRows = rows - next.length;
    input.onRows?.(doneRows);
    active = next;
    if (active.length === 0 || set.count >= max) break;
    needs.sort((a, b) => a - b);
    const wantUnits = 1.15 * needs[Math.min(needs.length - 1, Math.floor(0.75 * needs.length))]!;
    const growth = Math.min(4, Math.max(1.25, wantUnits / Math.max(1, units)));
    const extra = Math.min(max - set.count, Math.ceil(units * (growth - 1)) * 2);
    const grownSet = extendCoalitions(set, extra, rng, input.sampling);
    if (grownSet === set) break; // the sampled sizes are exhausted
    set = grownSet;
  }
  for (let e = 0; e < rows; e++) values[e] = new Float64Array(0);
  const sortedUsed = Array.from(used).sort((a, b) => a - b);
  let errSum = 0;
  let errMax = 0;
  for (let e = 0; e < rows; e++) {
    errSum += errors[e]!;
    errMax = Math.max(errMax, errors[e]!);
  }
  return {
    mode: "sampled",
    coalitions: sortedUsed[rows - 1] ?? 0,
    budget: max,
    completeSizes: set.completeSizes,
    baseValue: v0,
    rows: out,
    target: {
      error: target.target_error,
      max,
      rounds,
      coalitionsPerRow: { min: sortedUsed[0] ?? 0, median: sortedUsed[Math.floor((rows - 1) / 2)] ?? 0, max: sortedUsed[rows - 1] ?? 0 },
      rowsMet: Array.from(errors).filter((x) => x <= target.target_error).length,
      estimatedError: { mean: rows ? errSum / rows : 0, max: errMax },
    },
    evaluations,
    evaluationMs,
  };
}

/** Coalitions from..count of a set, as a set (for their masks). */
function subset(set: CoalitionSet, from: number): CoalitionSet {
  const M = set.players;
  return { ...set, z: set.z.subarray(from * M), count: set.count - from, weights: set.weights.subarray(from) };
}
