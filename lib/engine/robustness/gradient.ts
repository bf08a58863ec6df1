// What every gradient attack path shares (attack.ts on this thread, device-pgd.ts on the backend,
// the raw-throughput diagnostic): the loss, the first dense layer factored over the movable
// inputs, and the size of an L∞ step.

import * as tf from "@tensorflow/tfjs";
import type { TfGraph } from "../model/model";

/** Clip for the log of probabilities. */
export const P_EPS = 1e-7;

/** Summed binary cross-entropy of probabilities p against decisions y ([n, 1]); call inside tf.tidy or a gradient. */
export function crossEntropy(y: tf.Tensor, p0: tf.Tensor1D): tf.Scalar {
  const p = tf.clipByValue(p0.reshape([-1, 1]), P_EPS, 1 - P_EPS);
  return tf.neg(tf.sum(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar;
}

/** The first layer's pre-activation of rows V0 ([V0·W + b], kept) and W's rows of the movable inputs:
 *  pre(V) = base + (V − V0)[:, M]·wm. The caller disposes both. */
export function factoredFirstLayer(fl: NonNullable<TfGraph["firstLayer"]>, V0: Float32Array, rows: number, movable: Int32Array): { base: tf.Tensor2D; wm: tf.Tensor2D } {
  return tf.tidy(() => {
    const base = tf.matMul(tf.tensor2d(V0, [rows, fl.kernel.shape[0]]), fl.kernel);
    return { base: (fl.bias ? tf.add(base, fl.bias) : base) as tf.Tensor2D, wm: tf.gather(fl.kernel, tf.tensor1d(movable, "int32")) as tf.Tensor2D };
  });
}

/**
 * An L∞ step of α standard units for input j, in encoded units (α·k_j); for an integer feature at
 * least one whole raw unit (1/s_j): a smaller step is undone by the rounding that follows it, and
 * PGD (α = 2.5ε/steps) could then never move an integer feature past its random start. A deviation
 * from METRICS.md §5 that the report's step size states (analysis.ts); FGSM (α = ε) is unchanged
 * by it (a step under one unit means a ball under one unit, where rounding leaves 0 either way).
 */
export function linfStep(alpha: number, k: number, integer: number, s: number): number {
  const step = alpha * k;
  return integer && step * s < 1 ? 1 / s : step;
}
