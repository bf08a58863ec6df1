// Permutation importance's model work for whole repeats on one thread: one reusable copy of the
// encoded rows, feature j's blocks overwritten from rows perm[i], scored in one model call. (A
// first-dense-layer rank-|B_j| update, as KernelSHAP uses, was measured slower here: on wasm a
// 10,000-row forward pass of a 12-32-1 MLP takes 0.6 ms, the gather and slices of the update 12.)

import type { AuditModel } from "../model/model";
import type { ImportanceFeature } from "./permutation";

export interface PermutedScorer {
  /** P(positive) of all n rows with feature j's blocks taken from rows perm[i]. */
  score(j: number, perm: Int32Array): Promise<Float64Array>;
}

export function createPermutedScorer(model: AuditModel, x: Float32Array, n: number, features: ImportanceFeature[]): PermutedScorer {
  const d = model.inputWidth;
  const copy = new Float32Array(n * d);
  return {
    score(j, perm) {
      copy.set(x.subarray(0, n * d));
      for (const [off, width] of features[j]!.blocks) {
        for (let i = 0; i < n; i++) {
          const src = perm[i]! * d + off;
          const dst = i * d + off;
          for (let t = 0; t < width; t++) copy[dst + t] = x[src + t]!;
        }
      }
      return model.predict(copy, n);
    },
  };
}
