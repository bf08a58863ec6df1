// The WebAssembly kernel against the same arithmetic in float64, term by term.

import { createPairsKernel, createShallowKernel } from "./dense-kernel";
import { createRng } from "../random";

describe("the one-hidden-layer kernel (WebAssembly SIMD)", () => {
  it.each([
    [6, 1, "relu"], // hidden units not a multiple of 4 (padded lanes)
    [16, 3, "relu"],
    [33, 2, "linear"],
    [8, 0, "relu"], // a feature with no inputs: the rows themselves
  ] as const)("h = %i hidden units, %i moving inputs, %s: logits within float32 rounding of float64", (h, b, hidden) => {
    const r = createRng(h * 10 + b);
    const n = 257;
    const inputs = 5;
    const base = Float32Array.from({ length: n * h }, () => r.normal());
    const w = Float32Array.from({ length: inputs * h }, () => r.normal());
    const w2 = Float32Array.from({ length: h }, () => r.normal());
    const b2 = 0.37;
    const kernel = createShallowKernel({ hidden, w2, b2 }, base, n, h, w, inputs, 3);
    expect(kernel).not.toBeNull();
    const first = 1; // the copy's inputs are rows 1… of w
    const delta = Float32Array.from({ length: n * b }, () => r.normal());
    const got = kernel!(first, b, (a) => a.set(delta));
    expect(got).toHaveLength(n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let logit = b2;
      let scale = Math.abs(b2);
      for (let u = 0; u < h; u++) {
        let z = base[i * h + u]!;
        for (let t = 0; t < b; t++) z += delta[i * b + t]! * w[(first + t) * h + u]!;
        const a = hidden === "relu" ? Math.max(z, 0) : z;
        logit += a * w2[u]!;
        scale += Math.abs(a * w2[u]!);
      }
      worst = Math.max(worst, Math.abs(got[i]! - logit) / scale);
    }
    expect(worst).toBeLessThan(1e-6); // relative to Σ|terms|: float32 sums of ≤ 34 terms
    // a second call with other inputs reuses the memory: its own results
    const again = kernel!(0, 1, (a) => a.fill(0));
    for (let i = 0; i < n; i++) {
      let logit = b2;
      for (let u = 0; u < h; u++) logit += (hidden === "relu" ? Math.max(base[i * h + u]!, 0) : base[i * h + u]!) * w2[u]!;
      expect(again[i]!).toBeCloseTo(logit, 4);
    }
  });
});

describe("the KernelSHAP pairs kernel (WebAssembly SIMD)", () => {
  it.each([
    [7, 11, 6, "relu"],
    [50, 40, 32, "relu"],
    [3, 5, 9, "linear"],
  ] as const)("%i background rows × %i coalitions, h = %i, %s: Σ_b w_b sigmoid(act(term + own)·w2 + b2) within 1e-6 of float64, for two explained rows in turn", (nb, zc, h, hidden) => {
    const r = createRng(nb + zc + h);
    const term = Float32Array.from({ length: nb * zc * h }, () => r.normal());
    const w2 = Float32Array.from({ length: h }, () => 0.5 * r.normal());
    const b2 = -0.2;
    const weights = Float64Array.from({ length: nb }, () => r.next());
    const total = weights.reduce((a, v) => a + v, 0);
    for (let b = 0; b < nb; b++) weights[b] = weights[b]! / total;
    const kernel = createPairsKernel({ hidden, w2, b2 }, term, nb, zc, h, weights);
    expect(kernel).not.toBeNull();
    for (let e = 0; e < 2; e++) {
      const own = Float32Array.from({ length: zc * h }, () => r.normal());
      const got = Float64Array.from(kernel!(own));
      for (let z = 0; z < zc; z++) {
        let v = 0;
        for (let b = 0; b < nb; b++) {
          let logit = b2;
          for (let u = 0; u < h; u++) {
            const pre = term[(b * zc + z) * h + u]! + own[z * h + u]!;
            logit += (hidden === "relu" ? Math.max(pre, 0) : pre) * w2[u]!;
          }
          v += weights[b]! / (1 + Math.exp(-logit));
        }
        expect(Math.abs(got[z]! - v)).toBeLessThan(1e-6);
      }
    }
  });
});
