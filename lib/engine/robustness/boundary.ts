// The decision-based boundary attack (METRICS.md §5, HopSkipJump-style after Chen, Jordan &
// Wainwright 2020), under the same tabular constraints as the other attacks. It only needs the
// model's decisions, so it works on tree ensembles and any ONNX graph.
//
// Per row, within a budget of `queries` model calls:
//   1. start: random corners of the box at the largest ε (in standard units; from the second try
//      on with random categories in free blocks), projected onto the constraints, until one flips
//      the decision;
//   2. binary search between the row and that point for the boundary: in L∞ along the shrinking
//      ball (clip the adversarial offset to ±t), in L2 along the segment; the adversarial side
//      is kept, so the point always flips;
//   3. repeat: estimate the boundary's normal at the current point from random probes
//      (Monte-Carlo sign average with a baseline, accumulated over iterations), then binary
//      search along the ray from the row in that direction (its sign in L∞, where the closest
//      point of a linear boundary is a corner of the box); keep the closer point.
// The distance reported is the final point's own, in standard units (L∞ or L2 over the mutable
// numeric inputs); categorical switches in free blocks cost nothing, as in PGD. A row that no
// start flips is reported as not flipped; the minimal ε is an upper bound.
//
// All rows of a chunk move in lock-step so that every stage is one batched model call.

import type { AuditModel } from "../model/model";
import { createRng, mixSeed } from "../random";
import { project, type AttackJob, type Context } from "./attack";

const PROBES = 16;

export interface BoundaryResult {
  /** Distance of the best adversarial point found (Infinity when none). */
  tStar: Float64Array;
  points: Float32Array;
  scores: Float64Array;
  predictions: number;
}

export async function boundaryAttack(m: AuditModel, job: AttackJob, ctx: Context, onProgress?: (fraction: number) => void): Promise<BoundaryResult> {
  const { config, rows } = job;
  const { space, numeric, blocks } = ctx;
  const d = space.width;
  const x0 = job.x;
  const maxEps = config.epsilons[config.epsilons.length - 1]!;
  const norm = config.norm;
  const searchSteps = Math.max(1, Math.ceil(Math.log2(maxEps / config.tolerance)));
  const budget = config.queries;
  const startTries = Math.max(1, Math.min(20, Math.floor(budget / 5)));
  const perIteration = PROBES + 1 + searchSteps;
  const iterations = numeric.length === 0 ? 0 : Math.max(0, Math.floor((budget - startTries - searchSteps) / perIteration));
  let predictions = 0;
  const totalStages = startTries + 1 + iterations;
  let stage = 0;
  const tick = () => onProgress?.(Math.min(1, ++stage / totalStages));

  const decisionOf = (p: number) => (p >= config.threshold ? 1 : 0);
  /** Scores `count` points (row-major), one per listed row. */
  const score = async (V: Float32Array, count: number) => {
    predictions += count;
    return m.predict(V, count);
  };
  const distance = (V: Float32Array, at: number, i: number) => {
    let acc = 0;
    for (let t = 0; t < numeric.length; t++) {
      const j = numeric[t]!;
      const u = Math.abs(V[at + j]! - x0[i * d + j]!) / space.scale[j]!;
      if (u !== u) continue; // a missing (NaN) input stays missing: it does not move
      if (norm === "linf") acc = Math.max(acc, u);
      else acc += u * u;
    }
    return norm === "linf" ? acc : Math.sqrt(acc);
  };

  // 1. starting points
  const adv = new Float32Array(rows * d);
  const found = new Uint8Array(rows);
  const advScore = new Float64Array(rows);
  for (let k = 0; k < startTries; k++) {
    const idx: number[] = [];
    for (let i = 0; i < rows; i++) if (!found[i]) idx.push(i);
    if (idx.length === 0) break;
    const V = new Float32Array(idx.length * d);
    const V0 = new Float32Array(idx.length * d);
    idx.forEach((i, r) => {
      const rng = createRng(mixSeed(config.seed, job.rowIds[i]!, 2_000_003, k));
      V0.set(x0.subarray(i * d, (i + 1) * d), r * d);
      V.set(x0.subarray(i * d, (i + 1) * d), r * d);
      // random corners of the box: the farthest points, where a flip is likeliest
      for (const j of numeric) V[r * d + j] = V[r * d + j]! + (rng.next() < 0.5 ? -1 : 1) * maxEps * space.scale[j]!;
      for (const [off, w] of blocks) {
        if (k === 0 && numeric.length > 0) continue; // the first try moves numbers only
        if (w === 1) V[r * d + off] = rng.next() < 0.5 ? 0 : 1;
        else {
          const c = Math.floor(rng.next() * w);
          for (let q = 0; q < w; q++) V[r * d + off + q] = q === c ? 1 : 0;
        }
      }
    });
    project(ctx, V, V0, new Float64Array(idx.length).fill(maxEps), norm);
    const s = await score(V, idx.length);
    idx.forEach((i, r) => {
      if (decisionOf(s[r]!) !== job.decision[i]) {
        found[i] = 1;
        adv.set(V.subarray(r * d, (r + 1) * d), i * d);
        advScore[i] = s[r]!;
      }
    });
    tick();
  }

  const best = new Float64Array(rows).fill(Infinity);
  const bestPoint = new Float32Array(rows * d);
  const bestScore = new Float64Array(rows);

  /**
   * Binary search between each listed row and its adversarial point `target` for the closest
   * point that still flips: L∞ shrinks the ball radius t (clip the offset), L2 the segment.
   * Updates best/bestPoint/bestScore.
   */
  const searchBoundary = async (idx: number[], target: Float32Array) => {
    const n = idx.length;
    const hi = new Float64Array(n);
    const lo = new Float64Array(n);
    idx.forEach((i, r) => (hi[r] = norm === "linf" ? distance(target, r * d, i) : 1));
    const hiPoint = Float32Array.from(target);
    const hiScore = new Float64Array(n);
    idx.forEach((i, r) => (hiScore[r] = advScore[i]!));
    const V0 = new Float32Array(n * d);
    idx.forEach((i, r) => V0.set(x0.subarray(i * d, (i + 1) * d), r * d));
    for (let it = 0; it < searchSteps; it++) {
      const mid = Float64Array.from(lo, (l, r) => (l + hi[r]!) / 2);
      const V = pointsAt(target, V0, mid, n);
      const s = await score(V, n);
      idx.forEach((i, r) => {
        if (decisionOf(s[r]!) !== job.decision[i]) {
          hi[r] = mid[r]!;
          hiPoint.set(V.subarray(r * d, (r + 1) * d), r * d);
          hiScore[r] = s[r]!;
        } else lo[r] = mid[r]!;
      });
    }
    idx.forEach((i, r) => {
      const dist = distance(hiPoint, r * d, i);
      if (dist < best[i]!) {
        best[i] = dist;
        bestPoint.set(hiPoint.subarray(r * d, (r + 1) * d), i * d);
        bestScore[i] = hiScore[r]!;
      }
    });
  };

  /** Points between the rows V0 and targets at parameter t (L∞: radius; L2: fraction), projected. */
  const pointsAt = (target: Float32Array, V0: Float32Array, t: Float64Array, n: number) => {
    const V = Float32Array.from(target);
    if (norm === "linf") {
      project(ctx, V, V0, t, "linf");
    } else {
      for (let r = 0; r < n; r++) {
        for (const j of numeric) V[r * d + j] = V0[r * d + j]! + t[r]! * (target[r * d + j]! - V0[r * d + j]!);
      }
      project(ctx, V, V0, new Float64Array(n).fill(maxEps), "l2");
    }
    return V;
  };

  /**
   * Along the ray x0 + t·D (t in standard units; categories as in the current best point): if the
   * point at t = best flips, bisect t down to the boundary and keep the closer point.
   */
  const searchRay = async (idx: number[], D: Float32Array) => {
    const n = idx.length;
    const V0 = new Float32Array(n * d);
    idx.forEach((i, r) => V0.set(x0.subarray(i * d, (i + 1) * d), r * d));
    const at = (t: Float64Array) => {
      const V = new Float32Array(n * d);
      idx.forEach((i, r) => {
        V.set(bestPoint.subarray(i * d, (i + 1) * d), r * d);
        for (const j of numeric) V[r * d + j] = V0[r * d + j]! + t[r]! * D[r * d + j]!;
      });
      project(ctx, V, V0, t, norm);
      return V;
    };
    const hi = Float64Array.from(idx, (i) => best[i]!);
    const lo = new Float64Array(n);
    const V = at(hi);
    const s0 = await score(V, n);
    const ok = idx.map((i, r) => decisionOf(s0[r]!) !== job.decision[i]);
    const hiPoint = Float32Array.from(V);
    const hiScore = Float64Array.from(s0);
    for (let it = 0; it < searchSteps; it++) {
      const mid = Float64Array.from(lo, (l, r) => (l + hi[r]!) / 2);
      const M = at(mid);
      const sm = await score(M, n);
      idx.forEach((i, r) => {
        if (!ok[r]) return;
        if (decisionOf(sm[r]!) !== job.decision[i]) {
          hi[r] = mid[r]!;
          hiPoint.set(M.subarray(r * d, (r + 1) * d), r * d);
          hiScore[r] = sm[r]!;
        } else lo[r] = mid[r]!;
      });
    }
    idx.forEach((i, r) => {
      if (!ok[r]) return;
      const dist = distance(hiPoint, r * d, i);
      if (dist < best[i]!) {
        best[i] = dist;
        bestPoint.set(hiPoint.subarray(r * d, (r + 1) * d), i * d);
        bestScore[i] = hiScore[r]!;
      }
    });
  };

  // 2. first boundary point
  const active: number[] = [];
  for (let i = 0; i < rows; i++) if (found[i]) active.push(i);
  if (active.length) {
    const T = new Float32Array(active.length * d);
    active.forEach((i, r) => T.set(adv.subarray(i * d, (i + 1) * d), r * d));
    await searchBoundary(active, T);
  }
  tick();

  // 3. normal estimates: probe around the current boundary point, then search along the ray from
  //    the row in the estimated direction (its sign in L∞: the closest point of a locally linear
  //    boundary); estimates accumulate over iterations, which averages out probe noise
  const G = new Float64Array(rows * numeric.length);
  const live = active.filter((i) => best[i]! > 0);
  for (let it = 0; it < iterations && live.length; it++) {
    const n = live.length;
    const delta = Float64Array.from(live, (i) => Math.max(config.tolerance, 0.1 * best[i]!));
    const probes = new Float32Array(n * PROBES * d);
    const dirs = new Float64Array(n * PROBES * numeric.length);
    const base = new Float32Array(n * PROBES * d);
    live.forEach((i, r) => {
      const rng = createRng(mixSeed(config.seed, job.rowIds[i]!, 3_000_017, it));
      for (let k = 0; k < PROBES; k++) {
        const at = (r * PROBES + k) * d;
        probes.set(bestPoint.subarray(i * d, (i + 1) * d), at);
        base.set(x0.subarray(i * d, (i + 1) * d), at);
        let len = 0;
        const u = numeric.map(() => {
          const g = rng.normal();
          len += g * g;
          return g;
        });
        len = Math.sqrt(len) || 1;
        numeric.forEach((j, q) => {
          const v = u[q]! / len;
          dirs[(r * PROBES + k) * numeric.length + q] = v;
          probes[at + j] = probes[at + j]! + delta[r]! * v * space.scale[j]!;
        });
      }
    });
    project(ctx, probes, base, new Float64Array(n * PROBES).fill(maxEps), norm);
    const s = await score(probes, n * PROBES);
    // the ray's direction per row, in encoded units per standard unit of distance
    const D = new Float32Array(n * d);
    const usable: number[] = [];
    live.forEach((i, r) => {
      const phi = Array.from({ length: PROBES }, (_, k) => (decisionOf(s[r * PROBES + k]!) !== job.decision[i] ? 1 : -1));
      const mean = phi.reduce((a, b) => a + b, 0) / PROBES;
      const centred = Math.abs(mean) === 1 ? phi : phi.map((p) => p - mean);
      const g = numeric.map((_, q) => centred.reduce((acc, p, k) => acc + p * dirs[(r * PROBES + k) * numeric.length + q]!, 0));
      const glen = Math.sqrt(g.reduce((a, b) => a + b * b, 0));
      if (glen > 0) numeric.forEach((_, q) => (G[i * numeric.length + q] = G[i * numeric.length + q]! + g[q]! / glen));
      const acc = numeric.map((_, q) => G[i * numeric.length + q]!);
      const alen = Math.sqrt(acc.reduce((a, b) => a + b * b, 0));
      if (alen === 0) return;
      numeric.forEach((j, q) => (D[r * d + j] = (norm === "linf" ? Math.sign(acc[q]!) : acc[q]! / alen) * space.scale[j]!));
      usable.push(r);
    });
    if (usable.length) {
      const idx = usable.map((r) => live[r]!);
      const Dr = new Float32Array(idx.length * d);
      usable.forEach((r, q) => Dr.set(D.subarray(r * d, (r + 1) * d), q * d));
      await searchRay(idx, Dr);
    }
    tick();
  }

  const orig = await score(x0, rows);
  const scores = new Float64Array(rows);
  const points = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++) {
    if (Number.isFinite(best[i]!)) {
      scores[i] = bestScore[i]!;
      points.set(bestPoint.subarray(i * d, (i + 1) * d), i * d);
    } else scores[i] = orig[i]!;
  }
  onProgress?.(1);
  return { tStar: best, points, scores, predictions };
}
