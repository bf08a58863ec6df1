// Adversarial attacks on a model under tabular constraints (METRICS.md §5), on a chunk of
// rows at a time (this thread or a worker's). Untargeted: the loss is the binary cross-entropy
// of the model's output against its own original decision. After every step, in this order:
// clip to the observed range → project to the ε-ball (standard units) → round integers →
// choose valid categories → re-score. A row flips when the decision of its final, projected
// point differs from the original. Random starts come from per-row seeded streams, so results do
// not depend on how rows are split across threads.
//
//   fgsm    one step of size ε along sign(∇) (L∞) or ∇/‖∇‖ (L2)
//   pgd     random start in the ball, `steps` steps of α = 2.5ε/steps, `restarts` restarts
//   random    gradient-free: random directions with bisection along each, within a query budget;
//             its minimal ε is an upper bound
//   boundary  decision-based (HopSkipJump-style, boundary.ts): from a flipped start, binary
//             search to the decision boundary and steps along gradient directions estimated from
//             model queries, within a query budget; its minimal ε is an upper bound
//
// PGD and FGSM need the model as TensorFlow.js operations (AuditModel.graph: TF.js models, and
// ONNX graphs of differentiable operators rebuilt as TF.js); decisions always come from the model
// itself (AuditModel.predict). Tree ensembles and other graphs get the query-based attacks only.
//
// Categorical blocks that may move ("free") take, at each step, the category whose loss
// gradient is highest when that beats the current one (a first-order best switch), so blocks
// stay one-hot; binary inputs flip when the gradient says so.
//
// TensorFlow.js computes the gradients and the scores; the steps and projections are plain loops
// over typed arrays (element-wise TF.js ops cost ~0.5 ms per op on a 1024 × 88 batch on wasm, and
// a projection needs ~30 of them: 3× the gradient itself).

import * as tf from "@tensorflow/tfjs";
import type { AuditModel, TfGraph } from "../model/model";
import { activeBackend, batchScale, maxRowsPerCall, readFloats } from "../backend";
import { randomRows } from "../model/predict";
import { createRng, mixSeed } from "../random";
import { boundaryAttack } from "./boundary";
import { pgdStepsOnDevice } from "./device-pgd";
import { crossEntropy, factoredFirstLayer, linfStep } from "./gradient";
import type { AttackSpace } from "./space";

export interface AttackConfig {
  attack: "fgsm" | "pgd" | "random" | "boundary";
  norm: "linf" | "l2";
  /** Ascending ε grid, in standard units. */
  epsilons: number[];
  steps: number;
  restarts: number;
  seed: number;
  /** Decision: positive when P(positive) ≥ threshold. */
  threshold: number;
  /** Bisection tolerance on the minimal ε. */
  tolerance: number;
  /** Random and boundary attacks: model queries per row. */
  queries: number;
}

export interface AttackJob {
  space: AttackSpace;
  config: AttackConfig;
  /** Encoded rows (rows × width), their global ids (for seeding) and original decisions. */
  x: Float32Array;
  rows: number;
  rowIds: Int32Array;
  decision: Uint8Array;
}

export interface AttackResult {
  /** rows × epsilons: 1 when the attack at that ε flipped the row. */
  flipped: Uint8Array;
  /** Minimal ε (grid, then bisection); Infinity when the largest ε does not flip the row. */
  minEpsilon: Float64Array;
  /** rows × width: the adversarial point at the minimal ε (the original row when none). */
  points: Float32Array;
  /** P(positive) at that point. */
  scores: Float64Array;
  gradients: number;
  predictions: number;
}


/** Rows per gradient call when the grid's budgets are batched together (× batchScale()). */
const GRID_BATCH_ROWS = 8192;

/** Runs the configured attack on a chunk of rows: the ε grid, then bisection of the minimal ε. */
export async function runAttack(m: AuditModel, job: AttackJob, onProgress?: (fraction: number) => void): Promise<AttackResult> {
  const { config, rows } = job;
  const d = job.space.width;
  const E = config.epsilons.length;
  const ctx = makeContext(job);
  let gradients = 0;
  let predictions = 0;
  const flipped = new Uint8Array(rows * E);
  const minEpsilon = new Float64Array(rows).fill(Infinity);
  const points = Float32Array.from(job.x);
  const scores = new Float64Array(rows);
  if (config.attack === "random" || config.attack === "boundary") {
    const res = config.attack === "random" ? await randomDirections(m, job, ctx) : await boundaryAttack(m, job, ctx, onProgress);
    predictions += res.predictions;
    for (let i = 0; i < rows; i++) {
      minEpsilon[i] = res.tStar[i]!;
      scores[i] = res.scores[i]!;
      if (Number.isFinite(res.tStar[i]!)) points.set(res.points.subarray(i * d, (i + 1) * d), i * d);
      // within float32 rounding of the budget (points are float32; distances are measured on them)
      for (let e = 0; e < E; e++) flipped[i * E + e] = res.tStar[i]! <= config.epsilons[e]! * (1 + 1e-6) ? 1 : 0;
    }
    onProgress?.(1);
    return { flipped, minEpsilon, points, scores, gradients, predictions };
  }

  const all = Int32Array.from({ length: rows }, (_, i) => i);
  const firstFlip = new Int32Array(rows).fill(-1);
  const gaps = config.epsilons.map((e, i) => e - (config.epsilons[i - 1] ?? 0));
  const bisectIters = Math.max(0, Math.ceil(Math.log2(Math.max(...gaps) / config.tolerance)));
  const totalWork = E + bisectIters;
  // the grid's budgets in batches of whole budgets (every row once per budget, each with the
  // random start of its own (row, budget) stream): larger model calls, the same points as one
  // call per budget; at most GRID_BATCH_ROWS rows per call
  const perCall = Math.max(1, Math.min(E, Math.floor((GRID_BATCH_ROWS * batchScale()) / Math.max(1, rows))));
  for (let e0 = 0; e0 < E; e0 += perCall) {
    const e1 = Math.min(E, e0 + perCall);
    const span = e1 - e0;
    const idx = new Int32Array(span * rows);
    const eps = new Float64Array(span * rows);
    const tags = new Int32Array(span * rows);
    for (let e = e0; e < e1; e++) {
      idx.set(all, (e - e0) * rows);
      eps.fill(config.epsilons[e]!, (e - e0) * rows, (e - e0 + 1) * rows);
      tags.fill(e, (e - e0) * rows, (e - e0 + 1) * rows);
    }
    const r = await attackRows(m, job, ctx, idx, eps, tags);
    gradients += r.gradients;
    predictions += r.predictions;
    for (let e = e0; e < e1; e++) {
      const at = (e - e0) * rows;
      for (let i = 0; i < rows; i++) {
        if (!r.flipped[at + i]) continue;
        flipped[i * E + e] = 1;
        if (firstFlip[i] === -1) {
          firstFlip[i] = e;
          minEpsilon[i] = config.epsilons[e]!;
          points.set(r.points.subarray((at + i) * d, (at + i + 1) * d), i * d);
          scores[i] = r.scores[at + i]!;
        }
      }
    }
    onProgress?.(e1 / totalWork);
  }
  // a point that flips the row within ε_e lies within every larger budget too: a row flipped at
  // some ε counts as flipped at every larger ε of the grid (PGD's random start and fixed step
  // count can miss at a larger budget what it found at a smaller one). The flip rate at the
  // largest ε then equals the share of rows with a finite minimal ε, as the report states both.
  for (let i = 0; i < rows; i++) {
    if (firstFlip[i]! < 0) continue;
    for (let e = firstFlip[i]!; e < E; e++) flipped[i * E + e] = 1;
  }
  const orig = await m.predict(job.x, rows);
  predictions += rows;
  for (let i = 0; i < rows; i++) if (firstFlip[i] === -1) scores[i] = orig[i]!;

  // bisection between the last grid ε that did not flip (or 0) and the first that did
  const lo = new Float64Array(rows);
  const hi = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    if (firstFlip[i]! < 0) continue;
    lo[i] = firstFlip[i]! > 0 ? config.epsilons[firstFlip[i]! - 1]! : 0;
    hi[i] = config.epsilons[firstFlip[i]!]!;
  }
  for (let it = 0; it < bisectIters; it++) {
    const active: number[] = [];
    for (let i = 0; i < rows; i++) if (firstFlip[i]! >= 0 && hi[i]! - lo[i]! > config.tolerance) active.push(i);
    if (active.length === 0) break;
    const mid = Float64Array.from(active, (i) => (lo[i]! + hi[i]!) / 2);
    const r = await attackRows(m, job, ctx, Int32Array.from(active), mid, E + it);
    gradients += r.gradients;
    predictions += r.predictions;
    active.forEach((i, k) => {
      if (r.flipped[k]) {
        hi[i] = mid[k]!;
        points.set(r.points.subarray(k * d, (k + 1) * d), i * d);
        scores[i] = r.scores[k]!;
      } else lo[i] = mid[k]!;
    });
    onProgress?.((E + it + 1) / totalWork);
  }
  for (let i = 0; i < rows; i++) if (firstFlip[i]! >= 0) minEpsilon[i] = hi[i]!;
  onProgress?.(1);
  return { flipped, minEpsilon, points, scores, gradients, predictions };
}

/** Index lists of the space, precomputed once per job. */
export interface Context {
  space: AttackSpace;
  /** Mutable numeric inputs. */
  numeric: Int32Array;
  /** Free categorical blocks. */
  blocks: Array<[number, number]>;
  /** Every input a step can change (movableColumns). */
  movable: Int32Array;
}

export function makeContext(job: AttackJob): Context {
  const numeric: number[] = [];
  for (let j = 0; j < job.space.width; j++) if (job.space.numeric[j]) numeric.push(j);
  const ctx: Context = { space: job.space, numeric: Int32Array.from(numeric), blocks: job.space.blocks, movable: new Int32Array(0) };
  ctx.movable = movableColumns(ctx);
  return ctx;
}

/**
 * Clip to the observed range, project to the ε-ball, round integers, in that order, in place;
 * inputs that are neither mutable numeric nor in a free block stay at their original values.
 */
export function project(ctx: Context, V: Float32Array, V0: Float32Array, eps: Float64Array, norm: "linf" | "l2"): void {
  const { space, numeric } = ctx;
  const d = space.width;
  const n = eps.length;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const e = eps[i]!;
    if (norm === "linf") {
      for (let t = 0; t < numeric.length; t++) {
        const j = numeric[t]!;
        const x0 = V0[base + j]!;
        let v = V[base + j]!;
        if (v < space.lo[j]!) v = space.lo[j]!;
        if (v > space.hi[j]!) v = space.hi[j]!;
        const b = e * space.scale[j]!;
        let delta = v - x0;
        if (delta > b) delta = b;
        if (delta < -b) delta = -b;
        if (space.integer[j]) delta = roundedWithin(delta, space.s[j]!, e * space.scale[j]! * space.s[j]!);
        V[base + j] = delta === 0 ? x0 : x0 + delta;
      }
    } else {
      let sq = 0;
      for (let t = 0; t < numeric.length; t++) {
        const j = numeric[t]!;
        let v = V[base + j]!;
        if (v < space.lo[j]!) v = space.lo[j]!;
        if (v > space.hi[j]!) v = space.hi[j]!;
        V[base + j] = v;
        const u = (v - V0[base + j]!) / space.scale[j]!;
        sq += u * u;
      }
      const len = Math.sqrt(sq);
      const f = len > e ? e / len : 1;
      for (let t = 0; t < numeric.length; t++) {
        const j = numeric[t]!;
        const x0 = V0[base + j]!;
        let delta = (V[base + j]! - x0) * f;
        if (space.integer[j]) {
          const raw = delta * space.s[j]!;
          delta = (raw < 0 ? Math.ceil(raw) : Math.floor(raw)) / space.s[j]!; // toward the original: never leaves the ball
        }
        V[base + j] = delta === 0 ? x0 : x0 + delta;
      }
    }
  }
}

/**
 * step() then project() for L∞ without categorical blocks, fused into one pass: every numeric
 * input's step and projection depend on that input alone, and the other inputs never move.
 */
function stepProjectLinf(ctx: Context, V: Float32Array, V0: Float32Array, g: Float32Array, alpha: Float64Array, eps: Float64Array): void {
  const { space, numeric } = ctx;
  const d = space.width;
  const { lo, hi, scale, integer, s } = space;
  const n = eps.length;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const a = alpha[i]!;
    const e = eps[i]!;
    for (let t = 0; t < numeric.length; t++) {
      const j = numeric[t]!;
      const k = scale[j]!;
      const gj = g[base + j]!;
      let v = V[base + j]!;
      const stepJ = linfStep(a, k, integer[j]!, s[j]!);
      if (gj > 0) v += stepJ;
      else if (gj < 0) v -= stepJ;
      if (v < lo[j]!) v = lo[j]!;
      if (v > hi[j]!) v = hi[j]!;
      const x0 = V0[base + j]!;
      const b = e * k;
      let delta = v - x0;
      if (delta > b) delta = b;
      if (delta < -b) delta = -b;
      if (integer[j]) delta = roundedWithin(delta, s[j]!, b * s[j]!);
      V[base + j] = delta === 0 ? x0 : x0 + delta;
    }
  }
}

/** The integer step nearest to delta·s (raw units) within ±floor(limit), back in encoded units. */
function roundedWithin(delta: number, s: number, limit: number): number {
  const lim = Math.floor(limit + 1e-6);
  let r = Math.round(delta * s);
  if (r > lim) r = lim;
  if (r < -lim) r = -lim;
  return r / s;
}

/** One ascent step in place: numeric inputs along sign(∇) (L∞) or ∇/‖∇‖ (L2) in standard units,
 *  free categorical blocks to their best first-order category. */
function step(ctx: Context, V: Float32Array, g: Float32Array, alpha: Float64Array, norm: "linf" | "l2"): void {
  const { space, numeric, blocks } = ctx;
  const d = space.width;
  const n = alpha.length;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const a = alpha[i]!;
    if (norm === "linf") {
      for (let t = 0; t < numeric.length; t++) {
        const j = numeric[t]!;
        const gj = g[base + j]!;
        if (gj !== 0) V[base + j] = V[base + j]! + (gj > 0 ? 1 : -1) * linfStep(a, space.scale[j]!, space.integer[j]!, space.s[j]!);
      }
    } else {
      let sq = 0;
      for (let t = 0; t < numeric.length; t++) {
        const j = numeric[t]!;
        const gu = g[base + j]! * space.scale[j]!;
        sq += gu * gu;
      }
      const len = Math.sqrt(sq);
      if (len > 0) {
        for (let t = 0; t < numeric.length; t++) {
          const j = numeric[t]!;
          V[base + j] = V[base + j]! + ((a * g[base + j]! * space.scale[j]!) / len) * space.scale[j]!;
        }
      }
    }
    for (const [off, w] of blocks) {
      if (w === 1) {
        const v = V[base + off]!;
        if (g[base + off]! * (1 - 2 * v) > 0) V[base + off] = 1 - v;
        continue;
      }
      let cur = -1;
      let best = 0;
      for (let k = 0; k < w; k++) {
        if (V[base + off + k]! > 0.5) cur = k;
        if (g[base + off + k]! > g[base + off + best]!) best = k;
      }
      const gCur = cur >= 0 ? g[base + off + cur]! : 0;
      if (g[base + off + best]! - gCur > 1e-12 && best !== cur) {
        for (let k = 0; k < w; k++) V[base + off + k] = k === best ? 1 : 0;
      }
    }
  }
}

/** A random start inside the ε-ball for the mutable numeric inputs, from per-row streams. */
function randomStart(ctx: Context, job: AttackJob, idx: Int32Array, V: Float32Array, eps: Float64Array, tag: number | Int32Array, restart: number): void {
  const { space, numeric } = ctx;
  const d = space.width;
  idx.forEach((i, k) => {
    const rng = createRng(mixSeed(job.config.seed, job.rowIds[i]!, typeof tag === "number" ? tag : tag[k]!, restart));
    if (job.config.norm === "linf") {
      for (const j of numeric) V[k * d + j] = V[k * d + j]! + (rng.next() * 2 - 1) * eps[k]! * space.scale[j]!;
    } else {
      const g = Array.from(numeric, () => rng.normal());
      const len = Math.sqrt(g.reduce((s, v) => s + v * v, 0)) || 1;
      const r = eps[k]! * Math.pow(rng.next(), 1 / Math.max(1, numeric.length));
      numeric.forEach((j, t) => (V[k * d + j] = V[k * d + j]! + (g[t]! / len) * r * space.scale[j]!));
    }
  });
}

/** Inputs an attack can move: mutable numeric inputs and the columns of free categorical blocks (ascending). */
export function movableColumns(ctx: Context): Int32Array {
  const cols = new Set<number>(ctx.numeric);
  for (const [off, w] of ctx.blocks) for (let k = 0; k < w; k++) cols.add(off + k);
  return Int32Array.from([...cols].sort((a, b) => a - b));
}

/**
 * ∂/∂v of the summed cross-entropy against the original decisions, for a batch of rows
 * (rows × width; the returned array is reused by the next call).
 *
 * When the model starts with a dense layer and some inputs cannot move (immutable, sensitive,
 * frozen categories), only the movable columns M are sent to and read back from the backend:
 * the first layer's pre-activation is [V0·W + b] (once per batch) + (V − V0)[:, M]·W[M, :], and
 * the gradient is taken with respect to (V − V0)[:, M], which equals ∂/∂v on M (the same
 * algebra; float32 rounding differs in the last digits). Entries outside M are left at 0 — the
 * steps never read them.
 */
function makeGradient(g0: TfGraph, decisions: Float32Array, rows: number, V0: Float32Array, movable: Int32Array): ((V: Float32Array) => Promise<Float32Array>) & { dispose(): void } {
  const d = g0.inputWidth;
  const y = tf.tensor2d(decisions, [rows, 1]);
  const loss = (p: tf.Tensor1D) => crossEntropy(y, p);
  const fl = g0.firstLayer;
  const m = movable.length;
  if (!fl || m === 0 || m >= d) {
    const grad = tf.grad((v: tf.Tensor) => loss(g0.probability(v as tf.Tensor2D)));
    const fn = async (V: Float32Array) => {
      const g = tf.tidy(() => grad(tf.tensor2d(V, [rows, d])));
      const out = await readFloats(g);
      g.dispose();
      return out;
    };
    return Object.assign(fn, { dispose: () => y.dispose() });
  }
  const kept = factoredFirstLayer(fl, V0, rows, movable);
  const grad = tf.grad((delta: tf.Tensor) => loss(fl.probabilityFrom(tf.add(kept.base, tf.matMul(delta as tf.Tensor2D, kept.wm)) as tf.Tensor2D)));
  const delta = new Float32Array(rows * m);
  const full = new Float32Array(rows * d);
  const fn = async (V: Float32Array) => {
    for (let i = 0; i < rows; i++) {
      const b = i * d;
      for (let t = 0; t < m; t++) delta[i * m + t] = V[b + movable[t]!]! - V0[b + movable[t]!]!;
    }
    const g = tf.tidy(() => grad(tf.tensor2d(delta, [rows, m])));
    const gm = await readFloats(g);
    g.dispose();
    for (let i = 0; i < rows; i++) {
      const b = i * d;
      for (let t = 0; t < m; t++) full[b + movable[t]!] = gm[i * m + t]!;
    }
    return full;
  };
  return Object.assign(fn, { dispose: () => tf.dispose([y, kept.base, kept.wm]) });
}

type RowsResult = { points: Float32Array; scores: Float64Array; flipped: Uint8Array; gradients: number; predictions: number };

/** FGSM or PGD on the rows `idx` of the job with per-row ε; returns final points, scores, flips.
 *  In pieces that fit the backend's buffers (a GPU's binding size: maxRowsPerCall); every row's
 *  randomness is its own, so the pieces give the numbers of one call. */
async function attackRows(m: AuditModel, job: AttackJob, ctx: Context, idx: Int32Array, eps: Float64Array, tag: number | Int32Array): Promise<RowsResult> {
  const n = idx.length;
  const limit = m.graph ? maxRowsPerCall(m.graph.widest) : n;
  if (n <= limit) return attackRowsOnce(m, job, ctx, idx, eps, tag);
  const d = job.space.width;
  const out: RowsResult = { points: new Float32Array(n * d), scores: new Float64Array(n), flipped: new Uint8Array(n), gradients: 0, predictions: 0 };
  for (let a = 0; a < n; a += limit) {
    const b = Math.min(n, a + limit);
    const r = await attackRowsOnce(m, job, ctx, idx.subarray(a, b), eps.subarray(a, b), typeof tag === "number" ? tag : tag.subarray(a, b));
    out.points.set(r.points, a * d);
    out.scores.set(r.scores, a);
    out.flipped.set(r.flipped, a);
    out.gradients += r.gradients;
    out.predictions += r.predictions;
  }
  return out;
}

async function attackRowsOnce(
  m: AuditModel,
  job: AttackJob,
  ctx: Context,
  idx: Int32Array,
  eps: Float64Array,
  /** The random start's stream tag: one for all rows, or one per row. */
  tag: number | Int32Array,
): Promise<RowsResult> {
  const { config } = job;
  const d = job.space.width;
  const n = idx.length;
  const V0 = new Float32Array(n * d);
  const y = new Float32Array(n);
  idx.forEach((i, k) => {
    V0.set(job.x.subarray(i * d, (i + 1) * d), k * d);
    y[k] = job.decision[i]!;
  });
  const graph = m.graph;
  if (!graph) throw new Error(`${config.attack} needs gradients, and this model has none (${m.gradients.kind === "none" ? m.gradients.reason : ""})`);
  const gradient: { fn: ReturnType<typeof makeGradient> | null } = { fn: null };
  const grad = (V: Float32Array) => (gradient.fn ??= makeGradient(graph, y, n, V0, ctx.movable))(V);
  const onDevice = config.norm === "linf" && ctx.blocks.length === 0 && ctx.movable.length > 0 && stepsOnDevice(activeBackend()?.name);
  const best = { points: new Float32Array(n * d), scores: new Float64Array(n), flipped: new Uint8Array(n), gradients: 0, predictions: 0 };
  try {
    const restarts = config.attack === "pgd" ? config.restarts : 1;
    for (let r = 0; r < restarts; r++) {
      const V = Float32Array.from(V0);
      if (config.attack === "fgsm") {
        step(ctx, V, await grad(V0), eps, config.norm);
        best.gradients += n;
      } else {
        randomStart(ctx, job, idx, V, eps, tag, r);
        project(ctx, V, V0, eps, config.norm);
        const alpha = Float64Array.from(eps, (e) => (2.5 * e) / config.steps);
        if (onDevice) await pgdStepsOnDevice({ graph, space: job.space, V0, V, y, rows: n, movable: ctx.movable, alpha, eps, steps: config.steps });
        else for (let s = 0; s < config.steps; s++) {
          const g = await grad(V);
          if (config.norm === "linf" && ctx.blocks.length === 0) stepProjectLinf(ctx, V, V0, g, alpha, eps);
          else {
            step(ctx, V, g, alpha, config.norm);
            project(ctx, V, V0, eps, config.norm);
          }
        }
        best.gradients += n * config.steps;
      }
      project(ctx, V, V0, eps, config.norm);
      const scores = await m.predict(V, n);
      best.predictions += n;
      for (let k = 0; k < n; k++) {
        if (best.flipped[k]) continue;
        const flip = (scores[k]! >= config.threshold ? 1 : 0) !== y[k] ? 1 : 0;
        if (flip || r === restarts - 1) {
          best.flipped[k] = flip;
          best.scores[k] = scores[k]!;
          best.points.set(V.subarray(k * d, (k + 1) * d), k * d);
        }
      }
      if (best.flipped.every((f) => f === 1)) break;
    }
    return best;
  } finally {
    gradient.fn?.dispose();
  }
}

let deviceSteps: "auto" | "always" | "never" = "auto";

/** Where PGD's L∞ steps run: on the backend for a GPU backend (webgpu), else on this thread. */
function stepsOnDevice(backend: string | undefined): boolean {
  return deviceSteps === "always" || (deviceSteps === "auto" && backend === "webgpu");
}

/** Testing hook: run PGD's steps on the backend whatever it is ("always"), never, or by backend ("auto"). */
export function setDeviceSteps(mode: "auto" | "always" | "never"): void {
  deviceSteps = mode;
}

/** Gradient-free search: random directions (signs for L∞, Gaussian for L2), bisection along each. */
async function randomDirections(m: AuditModel, job: AttackJob, ctx: Context): Promise<{ tStar: Float64Array; points: Float32Array; scores: Float64Array; predictions: number }> {
  const { config, rows } = job;
  const { space, numeric } = ctx;
  const d = space.width;
  const maxEps = config.epsilons[config.epsilons.length - 1]!;
  const iters = Math.max(1, Math.ceil(Math.log2(maxEps / config.tolerance)));
  const directions = Math.max(1, Math.floor(config.queries / (1 + iters)));
  const tStar = new Float64Array(rows).fill(Infinity);
  const points = new Float32Array(rows * d);
  const scores = new Float64Array(rows);
  let predictions = 0;
  const query = async (t: Float64Array, D: Float32Array) => {
    const V = new Float32Array(rows * d);
    for (let i = 0; i < rows * d; i++) V[i] = job.x[i]! + t[Math.floor(i / d)]! * D[i]!;
    project(ctx, V, job.x, t, config.norm);
    predictions += rows;
    return { s: await m.predict(V, rows), pts: V };
  };
  const flips = (s: Float64Array, i: number) => (s[i]! >= config.threshold ? 1 : 0) !== job.decision[i];
  for (let dir = 0; dir < directions; dir++) {
    // a direction per row in standard units, scaled to encoded units
    const D = new Float32Array(rows * d);
    for (let i = 0; i < rows; i++) {
      const rng = createRng(mixSeed(config.seed, job.rowIds[i]!, 1_000_003, dir));
      if (config.norm === "linf") for (const j of numeric) D[i * d + j] = (rng.next() < 0.5 ? -1 : 1) * space.scale[j]!;
      else {
        const g = Array.from(numeric, () => rng.normal());
        const len = Math.sqrt(g.reduce((s, v) => s + v * v, 0)) || 1;
        numeric.forEach((j, t) => (D[i * d + j] = (g[t]! / len) * space.scale[j]!));
      }
    }
    const lo = new Float64Array(rows);
    const hi = new Float64Array(rows).fill(maxEps);
    const at = await query(hi, D);
    const found = new Uint8Array(rows);
    const bestPts = new Float32Array(rows * d);
    const bestS = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      if (flips(at.s, i)) {
        found[i] = 1;
        bestPts.set(at.pts.subarray(i * d, (i + 1) * d), i * d);
        bestS[i] = at.s[i]!;
      }
    }
    for (let it = 0; it < iters; it++) {
      const mid = Float64Array.from(lo, (l, i) => (l + hi[i]!) / 2);
      const q = await query(mid, D);
      for (let i = 0; i < rows; i++) {
        if (!found[i]) continue;
        if (flips(q.s, i)) {
          hi[i] = mid[i]!;
          bestPts.set(q.pts.subarray(i * d, (i + 1) * d), i * d);
          bestS[i] = q.s[i]!;
        } else lo[i] = mid[i]!;
      }
    }
    for (let i = 0; i < rows; i++) {
      if (found[i] && hi[i]! < tStar[i]!) {
        tStar[i] = hi[i]!;
        points.set(bestPts.subarray(i * d, (i + 1) * d), i * d);
        scores[i] = bestS[i]!;
      }
    }
  }
  const orig = await m.predict(job.x, rows);
  for (let i = 0; i < rows; i++) if (!Number.isFinite(tStar[i]!)) scores[i] = orig[i]!;
  return { tStar, points, scores, predictions: predictions + rows };
}

/**
 * Diagnostics: the backend's raw batched gradient throughput (rows/s): the gradient of the same
 * loss with respect to resident random inputs, with no projections and no copies. With
 * `movable`, the gradient the attack takes on such a model (makeGradient): with respect to the
 * movable columns only, through the factored first layer, when the model has one.
 */
export async function rawGradientThroughput(m: AuditModel, rows: number, iterations: number, movable?: Int32Array): Promise<number> {
  const g = m.graph;
  if (!g) return 0;
  const d = m.inputWidth;
  const y = tf.tidy(() => tf.greater(tf.randomUniform([rows, 1], 0, 1, "float32", 3), 0.5).toFloat());
  const loss = (p: tf.Tensor1D) => crossEntropy(y, p);
  const fl = g.firstLayer;
  const factored = fl && movable && movable.length > 0 && movable.length < d ? fl : null;
  const held: tf.Tensor[] = [y];
  let x: tf.Tensor2D;
  let grad: (t: tf.Tensor) => tf.Tensor;
  if (factored) {
    const k = factoredFirstLayer(factored, randomRows(rows, d, 2), rows, movable!);
    held.push(k.base, k.wm);
    x = tf.tensor2d(randomRows(rows, movable!.length, 4), [rows, movable!.length]);
    grad = tf.grad((v: tf.Tensor) => loss(factored.probabilityFrom(tf.add(k.base, tf.matMul(v as tf.Tensor2D, k.wm)) as tf.Tensor2D)));
  } else {
    x = tf.tensor2d(randomRows(rows, d, 2), [rows, d]);
    grad = tf.grad((v: tf.Tensor) => loss(g.probability(v as tf.Tensor2D)));
  }
  held.push(x);
  const once = async () => {
    const out = tf.tidy(() => grad(x));
    await readFloats(out);
    out.dispose();
  };
  try {
    await once();
    const t0 = performance.now();
    for (let k = 0; k < iterations; k++) await once();
    return (rows * iterations) / ((performance.now() - t0) / 1000);
  } finally {
    tf.dispose(held);
  }
}
