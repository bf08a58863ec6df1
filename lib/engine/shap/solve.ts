// KernelSHAP's regression: weighted least squares of coalition values on coalition indicators
// under the efficiency constraint Σφ = v(all) − v(∅) (METRICS.md §4), in float64, with a
// standard error per φ from the sampled strata (sandwich / delta method):
//   φ = A⁻¹(r − 1λ),  A = Σ w z zᵀ,  r = Σ w z y,  λ = (1ᵀA⁻¹r − Δ)/(1ᵀA⁻¹1)
//   dφ = C (dr − dA φ),  C = A⁻¹ − u uᵀ/q,  u = A⁻¹1,  q = 1ᵀu
// so each sampled pair contributes h = Σ_pair w z (y − zᵀφ), and Var φ ≈ C [Σ_strata n_s·fpc_s·Cov_s(h)] C.

import type { CoalitionSet } from "./coalitions";

export interface ShapSolver {
  /** φ and its standard errors for one explained row: y = v(S) − v(∅) per coalition, delta = v(all) − v(∅). */
  solve(y: Float64Array, delta: number): { phi: Float64Array; se: Float64Array };
}

export function createSolver(set: CoalitionSet): ShapSolver {
  const M = set.players;
  const { z, weights, count } = set;
  // each coalition's players as a list (the loops below visit members only)
  const memberStart = new Int32Array(count + 1);
  for (let c = 0; c < count; c++) {
    let k = 0;
    for (let i = 0; i < M; i++) k += z[c * M + i]!;
    memberStart[c + 1] = memberStart[c]! + k;
  }
  const members = new Int32Array(memberStart[count]!);
  for (let c = 0, at = 0; c < count; c++) for (let i = 0; i < M; i++) if (z[c * M + i]) members[at++] = i;

  const A = new Float64Array(M * M);
  for (let c = 0; c < count; c++) {
    const w = weights[c]!;
    for (let a = memberStart[c]!; a < memberStart[c + 1]!; a++) {
      const i = members[a]!;
      for (let b = memberStart[c]!; b < memberStart[c + 1]!; b++) A[i * M + members[b]!]! += w;
    }
  }
  const Ainv = invertSpd(A, M);
  const u = new Float64Array(M);
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) u[i]! += Ainv[i * M + j]!;
  let q = 0;
  for (let i = 0; i < M; i++) q += u[i]!;
  const C = new Float64Array(M * M);
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) C[i * M + j] = Ainv[i * M + j]! - (u[i]! * u[j]!) / q;

  // sampled units (a complementary pair, or a single coalition) grouped by stratum, for the standard errors
  const unitFirst: number[] = [];
  const unitSecond: number[] = [];
  const unitStratum: number[] = [];
  for (let c = 0; c < count; c++) {
    const st = set.stratum[c]!;
    if (st < 0) continue;
    const p = set.partner[c]!;
    if (p !== -1 && p < c) continue;
    unitFirst.push(c);
    unitSecond.push(p);
    unitStratum.push(st);
  }
  const order = unitStratum.map((_, k) => k).sort((a, b) => unitStratum[a]! - unitStratum[b]! || a - b);
  const strata: Array<{ from: number; to: number; factor: number }> = [];
  for (let k = 0; k < order.length; ) {
    const st = unitStratum[order[k]!]!;
    let e = k;
    while (e < order.length && unitStratum[order[e]!] === st) e++;
    const n = e - k;
    const { population } = set.strata[st]!;
    const fpc = population > 1 ? Math.max(0, (population - n) / (population - 1)) : 0;
    if (n >= 2) strata.push({ from: k, to: e, factor: (n * fpc) / (n - 1) });
    k = e;
  }
  const first = Int32Array.from(order, (k) => unitFirst[k]!);
  const second = Int32Array.from(order, (k) => unitSecond[k]!);
  const units = order.length;
  const H = new Float64Array(units * M);
  const V = new Float64Array(M * M);
  const CV = new Float64Array(M * M);
  const mean = new Float64Array(M);

  /** Adds w_c (y_c − z_cᵀφ) z_c to h (at offset o of H). */
  const addResidual = (c: number, o: number, y: Float64Array, phi: Float64Array) => {
    let pred = 0;
    for (let a = memberStart[c]!; a < memberStart[c + 1]!; a++) pred += phi[members[a]!]!;
    const wres = weights[c]! * (y[c]! - pred);
    for (let a = memberStart[c]!; a < memberStart[c + 1]!; a++) H[o + members[a]!]! += wres;
  };

  return {
    solve(y, delta) {
      const r = new Float64Array(M);
      for (let c = 0; c < count; c++) {
        const wy = weights[c]! * y[c]!;
        for (let a = memberStart[c]!; a < memberStart[c + 1]!; a++) r[members[a]!]! += wy;
      }
      let uTr = 0;
      for (let i = 0; i < M; i++) uTr += u[i]! * r[i]!;
      const lambda = (uTr - delta) / q;
      const phi = new Float64Array(M);
      for (let i = 0; i < M; i++) {
        let s = 0;
        for (let j = 0; j < M; j++) s += Ainv[i * M + j]! * (r[j]! - lambda);
        phi[i] = s;
      }
      // re-impose the constraint exactly against round-off
      let sum = 0;
      for (let i = 0; i < M; i++) sum += phi[i]!;
      const fix = (delta - sum) / M;
      for (let i = 0; i < M; i++) phi[i]! += fix;

      const se = new Float64Array(M);
      if (strata.length === 0) return { phi, se };
      // V = Σ_strata n·fpc/(n−1) Σ_units (h − h̄)(h − h̄)ᵀ, upper triangle, then diag(C V C)
      H.fill(0);
      V.fill(0);
      for (let k = 0; k < units; k++) {
        addResidual(first[k]!, k * M, y, phi);
        if (second[k]! !== -1) addResidual(second[k]!, k * M, y, phi);
      }
      for (const { from, to, factor } of strata) {
        mean.fill(0);
        const n = to - from;
        for (let k = from; k < to; k++) for (let i = 0; i < M; i++) mean[i]! += H[k * M + i]! / n;
        for (let k = from; k < to; k++) {
          const o = k * M;
          for (let i = 0; i < M; i++) H[o + i]! -= mean[i]!;
          for (let i = 0; i < M; i++) {
            const di = factor * H[o + i]!;
            if (di === 0) continue;
            for (let j = i; j < M; j++) V[i * M + j]! += di * H[o + j]!;
          }
        }
      }
      for (let i = 0; i < M; i++) for (let j = 0; j < i; j++) V[i * M + j] = V[j * M + i]!;
      for (let i = 0; i < M; i++)
        for (let k = 0; k < M; k++) {
          let s = 0;
          for (let j = 0; j < M; j++) s += C[i * M + j]! * V[j * M + k]!;
          CV[i * M + k] = s;
        }
      for (let i = 0; i < M; i++) {
        let s = 0;
        for (let k = 0; k < M; k++) s += CV[i * M + k]! * C[k * M + i]!;
        se[i] = Math.sqrt(Math.max(0, s));
      }
      return { phi, se };
    },
  };
}

/** Inverse of a symmetric positive definite matrix by Gauss–Jordan with partial pivoting. */
export function invertSpd(A: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(A);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = r;
    const pv = a[pivot * n + col]!;
    if (Math.abs(pv) < 1e-300) throw new Error("KernelSHAP: the coalition design is singular (too few coalitions for the number of features)");
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        [a[col * n + k], a[pivot * n + k]] = [a[pivot * n + k]!, a[col * n + k]!];
        [inv[col * n + k], inv[pivot * n + k]] = [inv[pivot * n + k]!, inv[col * n + k]!];
      }
    }
    for (let k = 0; k < n; k++) {
      a[col * n + k]! /= pv;
      inv[col * n + k]! /= pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k]! -= f * a[col * n + k]!;
        inv[r * n + k]! -= f * inv[col * n + k]!;
      }
    }
  }
  return inv;
}
