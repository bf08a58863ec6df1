// KernelSHAP over raw-column players (METRICS.md §4): v(S) = link(Σ_b w_b f(x_S ∪ bg_b,¬S)),
// φ₀ = v(∅). Exact mode when 2^M − 2 ≤ 2 × budget, sampled otherwise; φ from the constrained
// weighted least squares (solve.ts). The model work for all explained rows goes through the
// executor (this thread or a pool of worker threads) as one coalition job.

import type { ModelExecutor } from "../executor";
import { createRng } from "../random";
import { allCoalitions, coalitionMasks, defaultBudget, exactFits, sampleCoalitions, type CoalitionSet } from "./coalitions";
import { createSolver } from "./solve";

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
  /** "auto": exact when it fits in twice the default budget; a number: that budget. */
  samples: "auto" | "exact" | number;
  sampling: "kernel" | "leverage";
  seed: number;
  onRows?: (done: number) => void;
  /** Benchmarks only: sample even where exact mode would fit (to compare with shap's sampling). */
  forceSampled?: boolean;
}

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
  samples: KernelShapInput["samples"],
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

export async function kernelShap(input: KernelShapInput): Promise<KernelShapResult> {
  const { executor, players, width: d, rows, link } = input;
  const M = players.length;
  const { set, budget } = chooseCoalitions(M, input.samples, input.sampling, input.seed, input.forceSampled);
  const masks = coalitionMasks(
    set,
    players.map((p) => p.blocks),
    d,
  );
  const nb = input.backgroundWeights.length;
  const bgw = Float64Array.from(input.backgroundWeights);
  const t0 = performance.now();
  // v(∅): the background's weighted mean prediction; f(x): direct predictions of the rows
  const bgPred = await executor.predict(input.background, nb);
  let base = 0;
  for (let b = 0; b < nb; b++) base += input.backgroundWeights[b]! * bgPred[b]!;
  const fx = await executor.predict(input.x, rows);
  const values = await executor.coalitionValues(
    { width: d, x: input.x, rows, background: input.background, backgroundRows: nb, backgroundWeights: bgw, masks, coalitions: set.count },
    input.onRows,
  );
  const evaluationMs = performance.now() - t0;

  const solver = createSolver(set);
  const v0 = applyLink(link, base);
  const out: KernelShapRow[] = [];
  const y = new Float64Array(set.count);
  for (let e = 0; e < rows; e++) {
    for (let c = 0; c < set.count; c++) y[c] = applyLink(link, values[e * set.count + c]!) - v0;
    const output = applyLink(link, fx[e]!);
    const { phi, se } = solver.solve(y, output - v0);
    let sum = v0;
    for (let j = 0; j < M; j++) sum += phi[j]!;
    out.push({ phi, se, prediction: fx[e]!, output, additivityError: Math.abs(sum - output) });
  }
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
