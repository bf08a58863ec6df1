// The KernelSHAP hot path: for an explained row x, coalitions S (0/1 masks m_S over the encoded
// inputs) and background rows bg_b, every model input is
//     bg_b + m_S ⊙ (x − bg_b)  =  (1 − m_S) ⊙ bg_b  +  m_S ⊙ x.
// The first term does not depend on x: it is built once per job, background-major, as a
// [background, coalitions × d] matrix. Per explained row only m ⊙ x ([coalitions × d], small) is
// computed and added as a row vector: one pass over the big tensor per model call (measured on
// wasm: ~4× less masking time than bg + m ⊙ diff, and it scales across threads). No JavaScript
// loop touches rows or coalitions; the background average is one matMul with the weights.
// When the per-job matrix would exceed CACHE_BYTES, coalitions are processed in chunks whose
// matrices are rebuilt per call.
//
// Models that are not TF.js layers (ONNX graphs run by onnxruntime, XGBoost trees) get the same
// inputs by selection, m_S ? x : bg_b (which also keeps NaN "missing" inputs of tree models
// intact), written into per-chunk buffers that hold the background once: per explained row only
// the masked positions are overwritten, then the model scores the buffer in one call.

import { readFloats, rowsPerModelCall } from "../backend";
import * as tf from "@tensorflow/tfjs";
import type { CoalitionJob } from "../executor";
import type { AuditModel, TfGraph } from "../model/model";
import { createPairsKernel, kernelModule, shallowWeights } from "../importance/dense-kernel";

/** Model rows per call: large enough to keep the backend busy, small enough for memory. */
export function rowsPerCall(width: number, widest = width): number {
  return rowsPerModelCall(width, widest, 1 << 24, 1 << 16);
}

const CACHE_BYTES = 256 * 1024 * 1024;

export interface CoalitionEvaluator {
  /** E_b w_b f(bg_b + m_S ⊙ (x_e − bg_b)) for each of `rows` rows of x and each coalition: rows × coalitions. */
  evaluate(x: Float32Array, rows: number, onRows?: (done: number) => void): Promise<Float64Array>;
  dispose(): void;
}

/** The evaluator for a model: tensor-side masking for TF.js layers, selection buffers otherwise. */
export function createCoalitionEvaluator(m: AuditModel, job: Omit<CoalitionJob, "x" | "rows">): CoalitionEvaluator {
  return m.format === "tfjs-layers" && m.graph ? createTensorEvaluator(m.graph, job) : createSelectionEvaluator(m, job);
}

/** Holds a job's background terms and masks on the backend for repeated evaluations. */
function createTensorEvaluator(g: TfGraph, job: Omit<CoalitionJob, "x" | "rows">): CoalitionEvaluator {
  const { width: d, coalitions: nz, backgroundRows: nb } = job;
  // A model that starts with a dense layer (kernel W [d, h], bias c) gets the layer's
  // pre-activation of every masked input as the sum of two products that are each far smaller
  // than the masked batch times W:
  //     (bg_b + m ⊙ (x − bg_b)) W + c  =  [((1 − m) ⊙ bg_b) W + c]  +  (m ⊙ x) W
  // the first per job ([nb, coalitions · h], kept), the second per explained row ([coalitions, h]);
  // per model row only h additions remain of the first layer's d·h multiply-adds. Exact algebra;
  // float32 sums in another order (differences of a few ulp).
  const fl = g.firstLayer ?? null;
  const h = fl ? fl.kernel.shape[1] : d;
  const zChunk = Math.max(1, Math.min(nz, Math.floor(rowsPerCall(Math.max(d, h), g.widest) / nb)));
  const bg = tf.tensor3d(job.background, [nb, 1, d]);
  const bgwT = tf.tensor2d(Float32Array.from(job.backgroundWeights), [1, nb]);
  const masks = tf.tensor2d(job.masks, [nz, d]);
  const chunks: Array<{ z0: number; zc: number; masks: tf.Tensor2D; background: tf.Tensor2D | null }> = [];
  const cache = nz * nb * h * 4 <= CACHE_BYTES;
  /** (1 − m) ⊙ bg for a chunk of coalitions, background-major: [nb, zc·d]; through the first layer: [nb, zc·h]. */
  const backgroundTerm = (mk: tf.Tensor2D, zc: number) =>
    tf.tidy(() => {
      const t = tf.mul(tf.sub(1, mk).reshape([1, zc, d]), bg);
      if (!fl) return t.reshape([nb, zc * d]) as tf.Tensor2D;
      const pre = tf.matMul(t.reshape([nb * zc, d]) as tf.Tensor2D, fl.kernel);
      return (fl.bias ? tf.add(pre, fl.bias) : pre).reshape([nb, zc * h]) as tf.Tensor2D;
    });
  for (let z0 = 0; z0 < nz; z0 += zChunk) {
    const zc = Math.min(zChunk, nz - z0);
    const mk = zc === nz ? masks : (masks.slice([z0, 0], [zc, d]) as tf.Tensor2D);
    chunks.push({ z0, zc, masks: mk, background: cache ? backgroundTerm(mk, zc) : null });
  }

  // a one-hidden-layer model (relu or linear, one sigmoid/logit unit): the background terms read
  // back once, and per explained row the rest of the model for every (background row, coalition)
  // pair in the WebAssembly kernel (importance/dense-kernel.ts) instead of TensorFlow.js
  const shallow = fl?.shallow && cache && kernelModule() ? fl.shallow : null;
  let pairKernels: Array<(own: Float32Array) => Float64Array> | null = null;
  const setUpPairs = async () => {
    const weights = await shallowWeights(shallow!);
    const kernels: Array<(own: Float32Array) => Float64Array> = [];
    for (const c of chunks) kernels.push(createPairsKernel(weights, await readFloats(c.background!), nb, c.zc, h, job.backgroundWeights)!);
    return kernels;
  };

  return {
    async evaluate(x, rows, onRows) {
      const out = new Float64Array(rows * nz);
      if (shallow) {
        pairKernels ??= await setUpPairs();
        for (let e = 0; e < rows; e++) {
          const xe = tf.tensor2d(x.subarray(e * d, (e + 1) * d), [1, d]);
          for (let k = 0; k < chunks.length; k++) {
            const c = chunks[k]!;
            const own = tf.tidy(() => tf.matMul(tf.mul(c.masks, xe) as tf.Tensor2D, fl!.kernel));
            const values = pairKernels[k]!(await readFloats(own));
            own.dispose();
            out.set(values, e * nz + c.z0);
          }
          xe.dispose();
          onRows?.(e + 1);
        }
        return out;
      }
      for (let e = 0; e < rows; e++) {
        const xe = tf.tensor2d(x.subarray(e * d, (e + 1) * d), [1, d]);
        for (const c of chunks) {
          const v = tf.tidy(() => {
            const term = c.background ?? backgroundTerm(c.masks, c.zc);
            const masked = tf.mul(c.masks, xe) as tf.Tensor2D;
            let p: tf.Tensor;
            if (fl) {
              const own = tf.matMul(masked, fl.kernel).reshape([1, c.zc * h]);
              p = fl.probabilityFrom(tf.add(term, own).reshape([nb * c.zc, h]) as tf.Tensor2D);
            } else {
              p = g.probability(tf.add(term, masked.reshape([1, c.zc * d])).reshape([nb * c.zc, d]) as tf.Tensor2D);
            }
            return tf.matMul(bgwT, p.reshape([nb, c.zc]) as tf.Tensor2D);
          });
          const data = await readFloats(v);
          v.dispose();
          const base = e * nz + c.z0;
          for (let i = 0; i < c.zc; i++) out[base + i] = data[i]!;
        }
        xe.dispose();
        onRows?.(e + 1);
      }
      return out;
    },
    dispose() {
      tf.dispose([bg, bgwT, masks, ...chunks.flatMap((c) => [c.background, c.masks === masks ? null : c.masks].filter((t): t is tf.Tensor2D => t !== null))]);
    },
  };
}

/** Selection buffers per chunk of coalitions: [background b][coalition z][input t] = bg_b,t, with
 *  the masked positions overwritten by the explained row before each model call. */
function createSelectionEvaluator(m: AuditModel, job: Omit<CoalitionJob, "x" | "rows">): CoalitionEvaluator {
  const { width: d, coalitions: nz, backgroundRows: nb } = job;
  const zChunk = Math.max(1, Math.min(nz, Math.floor(rowsPerCall(d) / nb)));
  const w = job.backgroundWeights;
  const chunks: Array<{ z0: number; zc: number; buffer: Float32Array; masked: Int32Array[] }> = [];
  for (let z0 = 0; z0 < nz; z0 += zChunk) {
    const zc = Math.min(zChunk, nz - z0);
    const buffer = new Float32Array(nb * zc * d);
    for (let b = 0; b < nb; b++) {
      const row = job.background.subarray(b * d, (b + 1) * d);
      for (let z = 0; z < zc; z++) buffer.set(row, (b * zc + z) * d);
    }
    const masked = Array.from({ length: zc }, (_, z) => {
      const idx: number[] = [];
      for (let t = 0; t < d; t++) if (job.masks[(z0 + z) * d + t]! > 0.5) idx.push(t);
      return Int32Array.from(idx);
    });
    chunks.push({ z0, zc, buffer, masked });
  }
  return {
    async evaluate(x, rows, onRows) {
      const out = new Float64Array(rows * nz);
      for (let e = 0; e < rows; e++) {
        const xo = e * d;
        for (const c of chunks) {
          const { buffer, zc, masked } = c;
          for (let b = 0; b < nb; b++) {
            for (let z = 0; z < zc; z++) {
              const at = (b * zc + z) * d;
              const idx = masked[z]!;
              for (let k = 0; k < idx.length; k++) buffer[at + idx[k]!] = x[xo + idx[k]!]!;
            }
          }
          const p = await m.predict(buffer, nb * zc);
          const base = e * nz + c.z0;
          for (let z = 0; z < zc; z++) {
            let v = 0;
            for (let b = 0; b < nb; b++) v += w[b]! * p[b * zc + z]!;
            out[base + z] = v;
          }
        }
        onRows?.(e + 1);
      }
      return out;
    },
    dispose() {},
  };
}

/** One-off evaluation of a whole coalition job on this thread. */
export async function coalitionValues(m: AuditModel, job: CoalitionJob, onRows?: (done: number) => void): Promise<Float64Array> {
  const ev = createCoalitionEvaluator(m, job);
  try {
    return await ev.evaluate(job.x, job.rows, onRows);
  } finally {
    ev.dispose();
  }
}
