// Batched scoring: encoded rows in, probabilities of the positive class out (float64 copies),
// every tensor disposed.

import * as tf from "@tensorflow/tfjs";
import type { LoadedModel } from "./load";

/** Rows per model call: ~8M input floats (32 MB), between 4,096 and 262,144 rows. */
export function batchRows(width: number): number {
  return Math.max(4096, Math.min(1 << 18, Math.floor((1 << 23) / Math.max(1, width))));
}

/**
 * Probabilities of the positive class for `rows` encoded inputs (row-major, width = model input).
 * probability → as is; logit → sigmoid; softmax → column positiveIndex.
 */
export function predictProbabilities(m: LoadedModel, encoded: Float32Array, rows: number): Float64Array {
  const out = new Float64Array(rows);
  const width = m.inputWidth;
  const batch = batchRows(width);
  for (let start = 0; start < rows; start += batch) {
    const end = Math.min(rows, start + batch);
    const values = tf.tidy(() => {
      const x = tf.tensor2d(encoded.subarray(start * width, end * width), [end - start, width]);
      return toProbability(m, forward(m, x));
    });
    const data = values.dataSync();
    values.dispose();
    for (let i = 0; i < data.length; i++) out[start + i] = data[i]!;
  }
  return out;
}

/**
 * The model's raw output for a batch. `apply` runs the layers on the whole tensor at once;
 * `predict` would split it into batches of 32 (its default) and be ~20× slower.
 */
export function forward(m: LoadedModel, x: tf.Tensor2D): tf.Tensor2D {
  return m.model.apply(x, { training: false }) as tf.Tensor2D;
}

/** Maps raw model output [n, k] to P(positive) [n] (inside tidy). */
export function toProbability(m: LoadedModel, y: tf.Tensor2D): tf.Tensor1D {
  const o = m.manifest.output;
  if (o.type === "probability") return y.reshape([-1]) as tf.Tensor1D;
  if (o.type === "logit") return tf.sigmoid(y).reshape([-1]) as tf.Tensor1D;
  return y.slice([0, o.positiveIndex], [-1, 1]).reshape([-1]) as tf.Tensor1D;
}

/** Scores every row of a table, batch by batch, reporting the fraction done. */
export function scoreAllRows(
  m: LoadedModel,
  encodeRange: (start: number, end: number) => Float32Array,
  rows: number,
  onProgress?: (fraction: number) => void,
): Float64Array {
  const out = new Float64Array(rows);
  const step = batchRows(m.inputWidth);
  for (let start = 0; start < rows; start += step) {
    const end = Math.min(rows, start + step);
    out.set(predictProbabilities(m, encodeRange(start, end), end - start), start);
    onProgress?.(end / rows);
  }
  return out;
}

/**
 * Diagnostics: the backend's raw batched prediction throughput (rows/s) on random rows.
 * "predict": rows handed over as a Float32Array, as predictProbabilities does (upload, forward,
 * readback); "resident": the input tensor already on the backend (forward and readback only).
 */
export function rawThroughput(m: LoadedModel, rows: number, iterations: number, mode: "predict" | "resident" = "predict"): number {
  const x = tf.randomNormal([rows, m.inputWidth], 0, 1, "float32", 1) as tf.Tensor2D;
  const data = x.dataSync() as Float32Array;
  const once = () => {
    if (mode === "predict") predictProbabilities(m, data, rows);
    else {
      const y = tf.tidy(() => forward(m, x));
      y.dataSync();
      y.dispose();
    }
  };
  try {
    once();
    const t0 = performance.now();
    for (let k = 0; k < iterations; k++) once();
    return (rows * iterations) / ((performance.now() - t0) / 1000);
  } finally {
    x.dispose();
  }
}
