// Permutation importance's model work for whole repeats on one thread. For a call with features
// js, copy g is all n encoded rows with feature js[g]'s blocks taken from rows perms[g]; the
// copies' probabilities come back one after the other.
//
// Models that start with a dense layer (TF.js layers models: TfGraph.firstLayer): a permuted copy
// differs from the rows only in its feature's inputs B, so its first-layer pre-activation is the
// rows' own, computed once, plus ΔX_B·W_B (ΔX_B = the permuted minus the original values of B:
// an n × |B| product instead of the n × d one), and only the rest of the model runs per copy.
// Measured on a 12-32-1 MLP (wasm, 10,000 rows, 3 copies, warm): 1.54 ms against 2.83 ms for
// the whole forward pass of the copies. Equal to the whole pass within float32 rounding of the
// pre-activation (its terms are summed in another order: ~1e-7 in probabilities; tested). When
// the rest is one output unit after a relu or linear first layer (TfGraph.firstLayer.shallow),
// the WebAssembly kernel of dense-kernel.ts computes it for every row of a copy in one pass: no
// TensorFlow.js call per copy (the 12-32-1 CLI case: 0.168 → 0.103 s, same-run medians).
//
// Other models: G copies of the encoded rows side by side, made once; copy g gets feature js[g]'s
// blocks from rows perms[g], all G copies are scored in one model call, and the blocks are put
// back (the rest of the copies never changes).

import * as tf from "@tensorflow/tfjs";
import { readFloats } from "../backend";
import type { AuditModel, ShallowRest, TfGraph } from "../model/model";
import { createShallowKernel, kernelModule, shallowWeights } from "./dense-kernel";
import { factoredFirstLayer } from "../robustness/gradient";
import type { ImportanceFeature } from "./permutation";

export interface PermutedScorer {
  /** P(positive) of copy g (all n rows with feature js[g]'s blocks taken from rows perms[g][i]),
   *  copies one after the other; float32 where the model computes in float32. */
  score(js: number[], perms: Int32Array[]): Promise<Float64Array | Float32Array>;
  /** Which way the copies are scored. */
  readonly kind: "shallow" | "factored" | "copies";
  /** Frees what the scorer keeps on the backend. */
  dispose(): void;
}

/** Largest first-layer pre-activation (rows × units, floats) kept for the factored path: 32 MB. */
export const FACTORED_MAX_FLOATS = 8 * 1024 * 1024;

export function createPermutedScorer(model: AuditModel, x: Float32Array, n: number, features: ImportanceFeature[], maxFactoredFloats = FACTORED_MAX_FLOATS): PermutedScorer {
  const fl = model.graph?.firstLayer;
  if (fl && n * fl.kernel.shape[1] <= maxFactoredFloats) return factoredScorer(fl, x, n, model.inputWidth, features);
  const d = model.inputWidth;
  let all = new Float32Array(0);
  return {
    kind: "copies",
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
    dispose() {},
  };
}

/** The encoded inputs of a feature's blocks, in order. */
function blockColumns(f: ImportanceFeature): Int32Array {
  const cols: number[] = [];
  for (const [off, width] of f.blocks) for (let t = 0; t < width; t++) cols.push(off + t);
  return Int32Array.from(cols);
}

function factoredScorer(fl: NonNullable<TfGraph["firstLayer"]>, x: Float32Array, n: number, d: number, features: ImportanceFeature[]): PermutedScorer {
  const cols = features.map(blockColumns);
  const shallow = fl.shallow && kernelModule() ? fl.shallow : null;
  let kernel: ((js: number[], perms: Int32Array[]) => Float32Array) | null = null;
  let kept: { base: tf.Tensor2D; rows: tf.Tensor2D[] } | null = null;
  let delta = new Float32Array(0);
  return {
    kind: shallow ? "shallow" : "factored",
    async score(js, perms) {
      if (shallow) {
        kernel ??= await shallowKernel(fl, shallow, x, n, d, cols);
        return kernel(js, perms);
      }
      if (!kept) {
        const { base, wm, first } = firstLayerOf(fl, x, n, cols);
        const rows = cols.map((c, j) => tf.keep(tf.slice(wm, [first[j]!, 0], [c.length, wm.shape[1]])));
        wm.dispose();
        kept = { base, rows };
      }
      const { base, rows } = kept;
      const out = new Float32Array(js.length * n);
      for (let g = 0; g < js.length; g++) {
        const c = cols[js[g]!]!;
        const b = c.length;
        const perm = perms[g]!;
        if (delta.length < n * b) delta = new Float32Array(n * b);
        if (b === 1) columnDelta(delta, x, perm, n, d, c[0]!);
        else blockDelta(delta, x, perm, n, d, c);
        const p = tf.tidy(() => fl.probabilityFrom(b === 0 ? base : (tf.add(base, tf.matMul(tf.tensor2d(delta.subarray(0, n * b), [n, b]), rows[js[g]!]!)) as tf.Tensor2D)));
        try {
          out.set(await readFloats(p), g * n);
        } finally {
          p.dispose();
        }
      }
      return out;
    },
    dispose() {
      if (kept) {
        kept.base.dispose();
        for (const r of kept.rows) r.dispose();
        kept = null;
      }
    },
  };
}

/** The rows' first-layer pre-activation x·W + b and W's rows of every feature's inputs (feature j's
 *  from row first[j]), both kept; the caller disposes them. */
function firstLayerOf(fl: NonNullable<TfGraph["firstLayer"]>, x: Float32Array, n: number, cols: Int32Array[]) {
  const first: number[] = [];
  let inputs = 0;
  for (const c of cols) {
    first.push(inputs);
    inputs += c.length;
  }
  const { base, wm } = factoredFirstLayer(fl, x, n, Int32Array.from(cols.flatMap((c) => Array.from(c))));
  return { base, wm, first, inputs };
}

// (small functions of their own: each is compiled as soon as it is hot, not with the async caller)
/** delta[i] = x[perm[i], col] − x[i, col]. */
function columnDelta(delta: Float32Array, x: Float32Array, perm: Int32Array, n: number, d: number, col: number): void {
  for (let i = 0; i < n; i++) delta[i] = x[perm[i]! * d + col]! - x[i * d + col]!;
}

/** delta[i, t] = x[perm[i], cols[t]] − x[i, cols[t]]. */
function blockDelta(delta: Float32Array, x: Float32Array, perm: Int32Array, n: number, d: number, cols: Int32Array): void {
  const b = cols.length;
  for (let i = 0; i < n; i++) {
    const src = perm[i]! * d;
    const dst = i * d;
    for (let t = 0; t < b; t++) delta[i * b + t] = x[src + cols[t]!]! - x[dst + cols[t]!]!;
  }
}

/** The factored copies of a one-hidden-layer model through the WebAssembly kernel
 *  (importance/dense-kernel.ts): the pre-activation and weights read back once, then no
 *  TensorFlow.js per copy. */
async function shallowKernel(fl: NonNullable<TfGraph["firstLayer"]>, rest: ShallowRest, x: Float32Array, n: number, d: number, cols: Int32Array[]): Promise<(js: number[], perms: Int32Array[]) => Float32Array> {
  const { base, wm, first, inputs } = firstLayerOf(fl, x, n, cols);
  const h = base.shape[1];
  let values: Float32Array[];
  try {
    values = [await readFloats(base), await readFloats(wm)];
  } finally {
    base.dispose();
    wm.dispose();
  }
  const [pre, w] = values;
  const kernel = createShallowKernel(await shallowWeights(rest), pre!, n, h, w!, inputs, Math.max(1, ...cols.map((c) => c.length)))!;
  return (js, perms) => {
    const out = new Float32Array(js.length * n);
    for (let g = 0; g < js.length; g++) {
      const j = js[g]!;
      const c = cols[j]!;
      const perm = perms[g]!;
      const logits = kernel(first[j]!, c.length, (delta) => {
        if (c.length === 1) columnDelta(delta, x, perm, n, d, c[0]!);
        else blockDelta(delta, x, perm, n, d, c);
      });
      sigmoidInto(out, g * n, logits);
    }
    return out;
  };
}

function sigmoidInto(out: Float32Array, at: number, logits: Float32Array): void {
  for (let i = 0; i < logits.length; i++) out[at + i] = 1 / (1 + Math.exp(-logits[i]!));
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
