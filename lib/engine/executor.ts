// Where model evaluations run. The engine describes the work (batches of encoded rows, or
// coalition jobs for KernelSHAP); an executor runs it, on this thread (createLocalExecutor) or
// on a pool of worker threads with one TensorFlow.js backend each (lib/compute). Executors
// return plain typed arrays; tensors never leave them.

import type { LoadedModel } from "./model/load";
import { predictProbabilities, rawThroughput } from "./model/predict";
import { coalitionValues } from "./shap/evaluate";
import { rawGradientThroughput, runAttack, type AttackJob, type AttackResult } from "./robustness/attack";

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

export interface ModelExecutor {
  readonly backend: string;
  readonly threads: number;
  /** P(positive) for encoded rows (rows × d). */
  predict(x: Float32Array, rows: number): Promise<Float64Array>;
  /** rows × coalitions values E_b f(…), row-major; calls onRows with explained rows done. */
  coalitionValues(job: CoalitionJob, onRows?: (done: number) => void): Promise<Float64Array>;
  /** Runs an adversarial attack job (METRICS.md §5) on its rows; onRows gets rows done. */
  attack(job: AttackJob, onRows?: (done: number) => void): Promise<AttackResult>;
  /** Diagnostics: the backend's raw batched gradient throughput (rows/s, all threads at once). */
  rawGradientThroughput(rows: number, iterations: number): Promise<number>;
  /** Diagnostics: the backend's raw forward throughput (rows/s, all threads at once). */
  rawThroughput(rows: number, iterations: number, mode?: "predict" | "resident"): Promise<number>;
  dispose(): Promise<void>;
}

/** Runs everything on the calling thread with an already loaded model. */
export function createLocalExecutor(model: LoadedModel, backend: string): ModelExecutor {
  return {
    backend,
    threads: 1,
    async predict(x, rows) {
      return predictProbabilities(model, x, rows);
    },
    async coalitionValues(job, onRows) {
      return coalitionValues(model, job, onRows);
    },
    async attack(job, onRows) {
      return runAttack(model, job, (f) => onRows?.(Math.round(f * job.rows)));
    },
    async rawGradientThroughput(rows, iterations) {
      return rawGradientThroughput(model, rows, iterations);
    },
    async rawThroughput(rows, iterations, mode) {
      return rawThroughput(model, rows, iterations, mode);
    },
    async dispose() {},
  };
}
