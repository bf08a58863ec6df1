// PGD's steps on the backend (used on a GPU backend, where each copy to and from the device costs
// more than the step): the offsets of the movable inputs stay on the device across all steps, and
// only the random start goes up and the final point comes back. The same algebra as the steps on
// this thread (attack.ts stepProjectLinf): along sign(∇) by α_i·k_j (at least one raw unit for an
// integer feature: gradient.ts linfStep), clip to the observed range,
// to the ε-ball, round integer features to whole raw units within the ball; in float32 throughout
// (this thread computes a step in float64 before storing float32), and tf.round rounds halves to
// even where Math.round rounds them up — a point can differ in the last digit, a flip only where
// a row sits within that of the threshold. L∞ with frozen categories only (the first-order
// category switch of free blocks stays on this thread).

import * as tf from "@tensorflow/tfjs";
import type { TfGraph } from "../model/model";
import { crossEntropy, factoredFirstLayer, linfStep } from "./gradient";
import type { AttackSpace } from "./space";

export interface DeviceSteps {
  graph: TfGraph;
  space: AttackSpace;
  /** The original rows (n × width) and, in place, the start (projected) → the final point. */
  V0: Float32Array;
  V: Float32Array;
  /** The model's original decisions (the loss is the cross-entropy against them). */
  y: Float32Array;
  rows: number;
  /** The movable inputs (mutable numeric; no free categorical blocks). */
  movable: Int32Array;
  alpha: Float64Array;
  eps: Float64Array;
  steps: number;
}

interface Consts {
  y: tf.Tensor2D;
  x0: tf.Tensor2D;
  alphaK: tf.Tensor2D;
  bound: tf.Tensor2D;
  limit: tf.Tensor2D;
  lo: tf.Tensor2D;
  hi: tf.Tensor2D;
  s: tf.Tensor2D;
  integer: tf.Tensor2D;
  base?: tf.Tensor2D;
  wm?: tf.Tensor2D;
  v0?: tf.Tensor2D;
  select?: tf.Tensor2D;
}

export async function pgdStepsOnDevice(o: DeviceSteps): Promise<void> {
  const { graph, space, V0, V, rows: n, movable, steps } = o;
  const d = space.width;
  const m = movable.length;
  const col = (f: (j: number) => number) => tf.tensor2d(Float32Array.from(movable, f), [1, m]);
  const host = {
    x0: new Float32Array(n * m),
    delta: new Float32Array(n * m),
    alphaK: new Float32Array(n * m),
    bound: new Float32Array(n * m),
    limit: new Float32Array(n * m),
  };
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < m; t++) {
      const j = movable[t]!;
      const at = i * m + t;
      host.x0[at] = V0[i * d + j]!;
      host.delta[at] = V[i * d + j]! - V0[i * d + j]!;
      host.alphaK[at] = linfStep(o.alpha[i]!, space.scale[j]!, space.integer[j]!, space.s[j]!);
      const b = o.eps[i]! * space.scale[j]!;
      host.bound[at] = b;
      host.limit[at] = Math.floor(b * space.s[j]! + 1e-6);
    }
  }
  const c = tf.tidy((): tf.TensorContainerObject => {
    const y = tf.tensor2d(o.y, [n, 1]);
    const x0 = tf.tensor2d(host.x0, [n, m]);
    const fl = graph.firstLayer;
    return {
      y,
      x0,
      alphaK: tf.tensor2d(host.alphaK, [n, m]),
      bound: tf.tensor2d(host.bound, [n, m]),
      limit: tf.tensor2d(host.limit, [n, m]),
      lo: col((j) => space.lo[j]!),
      hi: col((j) => space.hi[j]!),
      s: col((j) => space.s[j]!),
      integer: tf.tensor2d(Uint8Array.from(movable, (j) => space.integer[j]!), [1, m], "bool"),
      ...(fl
        ? factoredFirstLayer(fl, V0, n, movable) // the first layer's pre-activation of the unchanged inputs, once
        : // without a first dense layer: the full input V0 + Δ·E, E the one-hot rows of the movable columns
          { v0: tf.tensor2d(V0, [n, d]), select: tf.oneHot(tf.tensor1d(movable, "int32"), d).toFloat() }),
    };
  }) as unknown as Consts;
  const probability = (delta: tf.Tensor2D): tf.Tensor1D => {
    const fl = graph.firstLayer;
    if (fl && c.base && c.wm) return fl.probabilityFrom(tf.add(c.base, tf.matMul(delta, c.wm)) as tf.Tensor2D);
    return graph.probability(tf.add(c.v0!, tf.matMul(delta, c.select!)) as tf.Tensor2D);
  };
  const grad = tf.grad((delta: tf.Tensor) => crossEntropy(c.y, probability(delta as tf.Tensor2D)));
  let delta: tf.Tensor2D = tf.tensor2d(host.delta, [n, m]);
  try {
    for (let step = 0; step < steps; step++) {
      const next = tf.tidy(() => {
        const g = grad(delta);
        // along sign(∇), then clip the point to the observed range
        const v = tf.minimum(tf.maximum(tf.add(tf.add(c.x0, delta), tf.mul(c.alphaK, tf.sign(g))), c.lo), c.hi);
        // to the ε-ball around the original row
        const within = tf.minimum(tf.maximum(tf.sub(v, c.x0), tf.neg(c.bound)), c.bound);
        // integer features: whole raw units within the ball
        const units = tf.minimum(tf.maximum(tf.round(tf.mul(within, c.s)), tf.neg(c.limit)), c.limit);
        return tf.where(tf.broadcastTo(c.integer, [n, m]), tf.div(units, c.s), within) as tf.Tensor2D;
      });
      delta.dispose();
      delta = next;
    }
    const out = (await delta.data()) as Float32Array;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < m; t++) {
        const j = movable[t]!;
        const x0 = V0[i * d + j]!;
        const dv = out[i * m + t]!;
        V[i * d + j] = dv === 0 ? x0 : x0 + dv;
      }
    }
  } finally {
    delta.dispose();
    tf.dispose(Object.values(c) as tf.Tensor[]);
  }
}
