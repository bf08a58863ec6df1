// Permutation importance's model work for whole repeats on one thread: one copy of the encoded
// rows; feature j's blocks are overwritten from rows perm[i], the copy is scored in one model
// call, and the blocks are put back (the rest of the copy never changes). (A first-dense-layer
// rank-|B_j| update, as KernelSHAP uses, was measured slower here: on wasm a 10,000-row forward
// pass of a 12-32-1 MLP takes 0.6 ms, the gather and slices of the update 12.)

import type { AuditModel } from "../model/model";
import type { ImportanceFeature } from "./permutation";

export interface PermutedScorer {
  /** P(positive) of all n rows with feature j's blocks taken from rows perm[i] (float32 where the
   *  model computes in float32). */
  score(j: number, perm: Int32Array): Promise<Float64Array | Float32Array>;
}

export function createPermutedScorer(model: AuditModel, x: Float32Array, n: number, features: ImportanceFeature[]): PermutedScorer {
  const d = model.inputWidth;
  const copy = x.slice(0, n * d);
  return {
    async score(j, perm) {
      const blocks = features[j]!.blocks;
      for (const [off, width] of blocks) gatherBlock(copy, x, perm, n, d, off, width);
      try {
        return await (model.predictFloat32 ? model.predictFloat32(copy, n) : model.predict(copy, n));
      } finally {
        for (const [off, width] of blocks) restoreBlock(copy, x, n, d, off, width);
      }
    },
  };
}

function gatherBlock(copy: Float32Array, x: Float32Array, perm: Int32Array, n: number, d: number, off: number, width: number): void {
  for (let i = 0; i < n; i++) {
    const src = perm[i]! * d + off;
    const dst = i * d + off;
    for (let t = 0; t < width; t++) copy[dst + t] = x[src + t]!;
  }
}

function restoreBlock(copy: Float32Array, x: Float32Array, n: number, d: number, off: number, width: number): void {
  for (let i = 0; i < n; i++) {
    const at = i * d + off;
    for (let t = 0; t < width; t++) copy[at + t] = x[at + t]!;
  }
}
