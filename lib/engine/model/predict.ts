// Batched scoring: encoded rows in, probabilities of the positive class out (float64 copies).
// The TensorFlow.js path disposes every tensor; other formats score through AuditModel.predict.

import * as tf from "@tensorflow/tfjs";
import { readFloats, rowsPerModelCall } from "../backend";
import { createRng } from "../random";
import type { AuditModel, TfGraph } from "./model";

/** Rows per model call: ~8M input floats (32 MB), between 4,096 and 262,144 rows. */
export function batchRows(width: number, widest = width): number {
  return rowsPerModelCall(width, widest, 1 << 23, 4096);
}

/** P(positive) of `rows` encoded inputs (row-major, width = graph input) through a TF.js graph. */
export async function predictProbabilities(g: TfGraph, encoded: Float32Array, rows: number): Promise<Float64Array> {
  return new Float64Array(await predictProbabilities32(g, encoded, rows));
}

/** predictProbabilities' values as the float32s the backend computed. */
export async function predictProbabilities32(g: TfGraph, encoded: Float32Array, rows: number): Promise<Float32Array> {
  const width = g.inputWidth;
  const batch = batchRows(width, g.widest);
  let out: Float32Array | null = null;
  for (let start = 0; start < rows; start += batch) {
    const end = Math.min(rows, start + batch);
    const values = tf.tidy(() => g.probability(tf.tensor2d(encoded.subarray(start * width, end * width), [end - start, width])));
    const data = await readFloats(values);
    values.dispose();
    if (end - start === rows) return data; // one call: the backend's own copy
    out ??= new Float32Array(rows);
    out.set(data, start);
  }
  return out ?? new Float32Array(0);
}

/** Scores every row of a table, batch by batch, reporting the fraction done. */
export async function scoreAllRows(
  m: AuditModel,
  encodeRange: (start: number, end: number) => Float32Array,
  rows: number,
  onProgress?: (fraction: number) => void,
): Promise<Float64Array> {
  const out = new Float64Array(rows);
  const step = batchRows(m.inputWidth);
  for (let start = 0; start < rows; start += step) {
    const end = Math.min(rows, start + step);
    out.set(await m.predict(encodeRange(start, end), end - start), start);
    onProgress?.(end / rows);
  }
  return out;
}

/** Seeded standard-normal rows for diagnostics and graph checks (rows × width, row-major). */
export function randomRows(rows: number, width: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * width }, () => rng.normal());
}

/**
 * Diagnostics: raw batched prediction throughput (rows/s) on random rows. "predict": rows handed
 * over as a Float32Array (upload, forward, readback); "resident": for TF.js graphs, the input
 * tensor already on the backend (forward and readback only).
 */
export async function rawThroughput(m: AuditModel, rows: number, iterations: number, mode: "predict" | "resident" = "predict"): Promise<number> {
  const data = randomRows(rows, m.inputWidth, 1);
  const g = m.graph;
  const x = mode === "resident" && g ? tf.tensor2d(data, [rows, m.inputWidth]) : null;
  const once = async () => {
    if (x && g) {
      const y = tf.tidy(() => g.probability(x));
      await readFloats(y);
      y.dispose();
    } else await m.predict(data, rows);
  };
  try {
    await once();
    const t0 = performance.now();
    for (let k = 0; k < iterations; k++) await once();
    return (rows * iterations) / ((performance.now() - t0) / 1000);
  } finally {
    x?.dispose();
  }
}
