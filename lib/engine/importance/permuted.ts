// Permutation importance's model work for whole repeats on one thread: G copies of the encoded
// rows side by side, made once; for a call with features js, copy g gets feature js[g]'s blocks
// from rows perms[g], all G copies are scored in one model call, and the blocks are put back (the
// rest of the copies never changes). (A first-dense-layer rank-|B_j| update, as KernelSHAP uses,
// was measured slower here: on wasm a 10,000-row forward pass of a 12-32-1 MLP takes 0.6 ms, the
// gather and slices of the update 12.)

import type { AuditModel } from "../model/model";
import type { ImportanceFeature } from "./permutation";

export interface PermutedScorer {
  /** P(positive) of copy g (all n rows with feature js[g]'s blocks taken from rows perms[g][i]),
   *  copies one after the other; float32 where the model computes in float32. */
  score(js: number[], perms: Int32Array[]): Promise<Float64Array | Float32Array>;
}

export function createPermutedScorer(model: AuditModel, x: Float32Array, n: number, features: ImportanceFeature[]): PermutedScorer {
  const d = model.inputWidth;
  let all = new Float32Array(0);
  return {
    async score(js, perms) {
      const G = js.length;
      if (all.length < G * n * d) {
        all = new Float32Array(G * n * d);
        for (let g = 0; g < G; g++) all.set(x.subarray(0, n * d), g * n * d);
      }
      for (let g = 0; g < G; g++) {
        const copy = all.subarray(g * n * d, (g + 1) * n * d);
        for (const [off, width] of features[js[g]!]!.blocks) gatherBlock(copy, x, perms[g]!, n, d, off, width);
      }
      try {
        const v = all.subarray(0, G * n * d);
        return await (model.predictFloat32 ? model.predictFloat32(v, G * n) : model.predict(v, G * n));
      } finally {
        for (let g = 0; g < G; g++) {
          const copy = all.subarray(g * n * d, (g + 1) * n * d);
          for (const [off, width] of features[js[g]!]!.blocks) restoreBlock(copy, x, n, d, off, width);
        }
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
