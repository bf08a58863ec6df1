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
  const A = new Float64Array(M * M);
  for (let c = 0; c < count; c++) {
    const w = weights[c]!;
    for (let i = 0; i < M; i++) {
      if (!z[c * M + i]) continue;
      for (let j = 0; j < M; j++) if (z[c * M + j]) A[i * M + j]! += w;
    }
  }
  const Ainv = invertSpd(A, M);
  const u = new Float64Array(M);
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) u[i]! += Ainv[i * M + j]!;
  let q = 0;
  for (let i = 0; i < M; i++) q += u[i]!;
  const C = new Float64Array(M * M);
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) C[i * M + j] = Ainv[i * M + j]! - (u[i]! * u[j]!) / q;

  // sampled units (pairs) per stratum, for the standard errors
  const units: Array<{ stratum: number; members: number[] }> = [];
  for (let c = 0; c < count; c++) {
    const s = set.stratum[c]!;
    if (s < 0) continue;
    const p = set.partner[c]!;
    if (p !== -1 && p < c) continue;
    units.push({ stratum: s, members: p === -1 ? [c] : [c, p] });
  }

  return {
    solve(y, delta) {
      const r = new Float64Array(M);
      for (let c = 0; c < count; c++) {
        const wy = weights[c]! * y[c]!;
        for (let i = 0; i < M; i++) if (z[c * M + i]) r[i]! += wy;
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
      if (units.length > 0) {
        const V = stratifiedCovariance(set, units, phi, y);
        // diag(C V C)
        const CV = new Float64Array(M * M);
        for (let i = 0; i < M; i++) for (let k = 0; k < M; k++) {
          let s = 0;
          for (let j = 0; j < M; j++) s += C[i * M + j]! * V[j * M + k]!;
          CV[i * M + k] = s;
        }
        for (let i = 0; i < M; i++) {
          let s = 0;
          for (let k = 0; k < M; k++) s += CV[i * M + k]! * C[k * M + i]!;
          se[i] = Math.sqrt(Math.max(0, s));
        }
      }
      return { phi, se };
    },
  };
}

function stratifiedCovariance(set: CoalitionSet, units: Array<{ stratum: number; members: number[] }>, phi: Float64Array, y: Float64Array): Float64Array {
  const M = set.players;
  const { z, weights } = set;
  const V = new Float64Array(M * M);
  const byStratum = new Map<number, Float64Array[]>();
  for (const unit of units) {
    const h = new Float64Array(M);
    for (const c of unit.members) {
      let pred = 0;
      for (let i = 0; i < M; i++) if (z[c * M + i]) pred += phi[i]!;
      const wres = weights[c]! * (y[c]! - pred);
      for (let i = 0; i < M; i++) if (z[c * M + i]) h[i]! += wres;
    }
    const list = byStratum.get(unit.stratum) ?? [];
    list.push(h);
    byStratum.set(unit.stratum, list);
  }
  for (const [s, hs] of byStratum) {
    const n = hs.length;
    if (n < 2) continue;
    const { population } = set.strata[s]!;
    const fpc = population > 1 ? Math.max(0, (population - n) / (population - 1)) : 0;
    const mean = new Float64Array(M);
    for (const h of hs) for (let i = 0; i < M; i++) mean[i]! += h[i]! / n;
    const factor = (n * fpc) / (n - 1);
    for (const h of hs) {
      for (let i = 0; i < M; i++) {
        const di = h[i]! - mean[i]!;
        if (di === 0) continue;
        for (let j = 0; j < M; j++) V[i * M + j]! += factor * di * (h[j]! - mean[j]!);
      }
    }
  }
  return V;
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
