// Where model evaluations run. The engine describes the work (batches of encoded rows, coalition
// jobs for KernelSHAP, TreeSHAP jobs, attacks); an executor runs it, on this thread
// (createLocalExecutor) or on a pool of worker threads with one model copy each (lib/compute).
// Executors return plain typed arrays; tensors never leave them.

import type { AuditModel } from "./model/model";
import { rawThroughput } from "./model/predict";
import { coalitionValues } from "./shap/evaluate";
import { rawGradientThroughput, runAttack, type AttackJob, type AttackResult } from "./robustness/attack";
import { createTreeShapExplainer } from "./trees/tree-shap";
import { permutationRepeats, type ImportanceJob, type ImportanceRepeats, type PermutationImportanceResult, type SideScorer } from "./importance/permutation";
import { createPermutedScorer } from "./importance/permuted";

/** KernelSHAP's model work for a set of explained rows: E_b f(x_S ∪ bg_b) for every coalition S. */
export interface CoalitionJob {
  /** Encoded input width d. */
  width: number;
  /** Explained rows, encoded, row-major (rows × d). */
  x: Float32Array;
  rows: number;
  /** Background rows, encoded (backgroundRows × d), and their weights (sum 1). */
  background: Float32Array;
  backgroundRows: number;
  backgroundWeights: Float64Array;
  /** Coalitions as 0/1 masks over the encoded inputs (coalitions × d): 1 = taken from x. */
  masks: Float32Array;
  coalitions: number;
}

/** TreeSHAP's work (METRICS.md §4.1) on the model's trees: explained rows against a background. */
export interface TreeShapJob {
  width: number;
  x: Float32Array;
  rows: number;
  background: Float32Array;
  backgroundRows: number;
  backgroundWeights: Float64Array;
  /** Player (raw column) of each encoded input. */
  playerOf: Int32Array;
  players: number;
}

export interface ModelExecutor {
  readonly backend: string;
  readonly threads: number;
  /** Resolves when the executor can take work (a thread pool still starting); absent when it always can. */
  ready?(): Promise<void>;
  /** P(positive) for encoded rows (rows × d). */
  predict(x: Float32Array, rows: number): Promise<Float64Array>;
  /** rows × coalitions values E_b f(…), row-major; calls onRows with explained rows done and,
   *  where it can, onValues with rows [start, end)'s values as soon as they are known. */
  coalitionValues(job: CoalitionJob, onRows?: (done: number) => void, onValues?: (start: number, end: number, values: Float64Array) => void): Promise<Float64Array>;
  /** Interventional TreeSHAP: rows × (players + 1), each row's φ then its margin. */
  treeShap(job: TreeShapJob, onRows?: (done: number) => void): Promise<Float64Array>;
  /** Runs an adversarial attack job (METRICS.md §5) on its rows; onRows gets rows done. */
  attack(job: AttackJob, onRows?: (done: number) => void): Promise<AttackResult>;
  /** Team mode: permutation importance with its repeats split across worker processes (lib/jobs/chunks.ts); absent, the engine runs it on predict. */
  permutationImportance?(job: ImportanceJob, onProgress?: (done: number, total: number) => void): Promise<PermutationImportanceResult>;
  /** Repeats [r0, r1) of a run without subsampling on the encoded rows x (n × d), each thread scoring its repeats' permuted columns (importance/permuted.ts). */
  importanceRepeats?(job: ImportanceJob, x: Float32Array, r0: number, r1: number, onProgress?: (done: number, total: number) => void): Promise<ImportanceRepeats>;
  /** Diagnostics: the backend's raw batched gradient throughput (rows/s, all threads at once); with `movable`, as an attack that moves only those inputs takes it (robustness/attack.ts). */
  rawGradientThroughput(rows: number, iterations: number, movable?: Int32Array): Promise<number>;
  /** Diagnostics: the backend's raw forward throughput (rows/s, all threads at once). */
  rawThroughput(rows: number, iterations: number, mode?: "predict" | "resident"): Promise<number>;
  dispose(): Promise<void>;
}

/** A TreeSHAP job prepared once (background split directions): explains rows on this thread,
 *  returning rows × (players + 1), each row's φ then its margin. */
export function createTreeShapRunner(model: AuditModel, job: Omit<TreeShapJob, "x" | "rows">): (x: Float32Array, rows: number, onRows?: (done: number) => void) => Float64Array {
  if (!model.trees) throw new Error("TreeSHAP needs a tree ensemble");
  const ex = createTreeShapExplainer(model.trees, { x: job.background, rows: job.backgroundRows, weights: job.backgroundWeights }, job.playerOf, job.players, job.width);
  const M = job.players;
  return (x, rows, onRows) => {
    const { phi, margins } = ex.explain(x, rows, onRows);
    const out = new Float64Array(rows * (M + 1));
    for (let r = 0; r < rows; r++) {
      out.set(phi.subarray(r * M, (r + 1) * M), r * (M + 1));
      out[r * (M + 1) + M] = margins[r]!;
    }
    return out;
  };
}

/** Runs everything on the calling thread with an already loaded model; `side`: permutation
 *  importance's permutations and scores on a helper thread (lib/compute/importance-helper.ts). */
export function createLocalExecutor(model: AuditModel, backend: string, side?: SideScorer): ModelExecutor {
  return {
    backend,
    threads: 1,
    predict(x, rows) {
      return model.predict(x, rows);
    },
    coalitionValues(job, onRows) {
      return coalitionValues(model, job, onRows);
    },
    async treeShap(job, onRows) {
      return createTreeShapRunner(model, job)(job.x, job.rows, onRows);
    },
    attack(job, onRows) {
      return runAttack(model, job, (f) => onRows?.(Math.round(f * job.rows)));
    },
    importanceRepeats(job, x, r0, r1, onProgress) {
      return localImportanceRepeats(model, backend, job, x, r0, r1, onProgress, side);
    },
    async rawGradientThroughput(rows, iterations, movable) {
      return rawGradientThroughput(model, rows, iterations, movable);
    },
    rawThroughput(rows, iterations, mode) {
      return rawThroughput(model, rows, iterations, mode);
    },
    async dispose() {},
  };
}

/** Permutation importance repeats [r0, r1) on this thread (a worker thread takes whole repeats), permuted copies scored by importance/permuted.ts. */
export async function localImportanceRepeats(
  model: AuditModel,
  backend: string,
  job: ImportanceJob,
  x: Float32Array,
  r0: number,
  r1: number,
  onProgress?: (done: number, total: number) => void,
  side?: SideScorer,
): Promise<ImportanceRepeats> {
  const scorer = createPermutedScorer(model, x, job.n, job.features);
  const executor = { ...createLocalExecutor(model, backend), importanceRepeats: undefined };
  try {
    return await permutationRepeats({ ...job, executor, encode: () => x, permuted: (js, perms) => scorer.score(js, perms), onProgress, ...(side ? { side } : {}) }, r0, r1);
  } finally {
    scorer.dispose();
  }
}
