import { jsExecutor, type JsModel } from "../../../tests/helpers/js-executor";
import { createRng } from "../random";
import { applyLink, kernelShap, type KernelShapInput, type ShapLink, type ShapPlayer } from "./kernel-shap";
import { allCoalitions, binomial, extendCoalitions, sampleCoalitions } from "./coalitions";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Players with one input each, except player 1 which owns a one-hot block of width 3. */
function playersWithBlock(M: number): { players: ShapPlayer[]; width: number } {
  const players: ShapPlayer[] = [];
  let off = 0;
  for (let j = 0; j < M; j++) {
    const w = j === 1 ? 3 : 1;
    players.push({ name: `f${j}`, blocks: [[off, w]] });
    off += w;
  }
  return { players, width: off };
}

/** A random non-linear model with pairwise interactions, returning a probability. */
function randomModel(width: number, seed: number): JsModel {
  const r = createRng(seed);
  const w = Array.from({ length: width }, () => r.normal());
  const pairs = Array.from({ length: width }, () => [r.int(width), r.int(width), r.normal()] as const);
  return (x, o) => {
    let z = 0.2;
    for (let t = 0; t < width; t++) z += w[t]! * x[o + t]!;
    for (const [a, b, c] of pairs) z += 0.5 * c * x[o + a]! * x[o + b]!;
    return sigmoid(z);
  };
}

function randomRows(n: number, width: number, seed: number): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n * width }, () => Math.fround(r.normal()));
}

/** Independent brute-force Shapley values: the permutation-free subset formula over all S ⊆ N∖{i}. */
function bruteShapley(f: JsModel, players: ShapPlayer[], width: number, x: Float32Array, bg: Float32Array, bgw: number[], link: ShapLink): number[] {
  const M = players.length;
  const value = (mask: number) => {
    let v = 0;
    const buf = new Float64Array(width);
    for (let b = 0; b < bgw.length; b++) {
      for (let t = 0; t < width; t++) buf[t] = bg[b * width + t]!;
      players.forEach((p, j) => {
        if (!((mask >> j) & 1)) return;
        for (const [off, w] of p.blocks) for (let t = off; t < off + w; t++) buf[t] = x[t]!;
      });
      v += bgw[b]! * f(buf, 0);
    }
    return applyLink(link, v);
  };
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const cache = new Map<number, number>();
  const v = (m: number) => cache.get(m) ?? (cache.set(m, value(m)), cache.get(m)!);
  return players.map((_, i) => {
    let phi = 0;
    for (let S = 0; S < 1 << M; S++) {
      if ((S >> i) & 1) continue;
      let s = 0;
      for (let j = 0; j < M; j++) s += (S >> j) & 1;
      phi += ((fact(s) * fact(M - s - 1)) / fact(M)) * (v(S | (1 << i)) - v(S));
    }
    return phi;
  });
}

async function run(f: JsModel, players: ShapPlayer[], width: number, x: Float32Array, rows: number, bg: Float32Array, bgw: number[], extra: Partial<KernelShapInput> = {}) {
  return kernelShap({
    executor: jsExecutor(f, width),
    players,
    width,
    x,
    rows,
    background: bg,
    backgroundWeights: bgw,
    link: "identity",
    samples: "auto",
    sampling: "kernel",
    seed: 1,
    ...extra,
  });
}

describe("exact KernelSHAP", () => {
  it.each([3, 4, 6, 8, 10])("equals brute-force Shapley values for %d players, identity and logit links (1e-6)", async (M) => {
    const { players, width } = playersWithBlock(M);
    const f = randomModel(width, M);
    const x = randomRows(2, width, 100 + M);
    const bg = randomRows(4, width, 200 + M);
    const bgw = [0.1, 0.2, 0.3, 0.4];
    for (const link of ["identity", "logit"] as const) {
      const res = await run(f, players, width, x, 2, bg, bgw, { link });
      expect(res.mode).toBe("exact");
      expect(res.coalitions).toBe(2 ** M - 2);
      for (let e = 0; e < 2; e++) {
        const brute = bruteShapley(f, players, width, x.subarray(e * width, (e + 1) * width), bg, bgw, link);
        const phi = Array.from(res.rows[e]!.phi);
        expect(phi).toHaveLength(M); // the one-hot block is one player
        phi.forEach((p, j) => expect(Math.abs(p - brute[j]!)).toBeLessThan(1e-6));
        expect(res.rows[e]!.additivityError).toBeLessThan(1e-6);
        expect(Array.from(res.rows[e]!.se)).toEqual(new Array(M).fill(0));
      }
    }
  });

  it("satisfies symmetry and the dummy axiom", async () => {
    const players: ShapPlayer[] = [0, 1, 2, 3].map((j) => ({ name: `f${j}`, blocks: [[j, 1]] }));
    const f: JsModel = (x, o) => sigmoid(x[o]! * x[o + 1]! + x[o]! + x[o + 1]! - 0.5 * x[o + 3]!); // ignores input 2
    const x = Float32Array.from([1, 1, 5, -2]);
    const bg = Float32Array.from([0, 0, -3, 1, 0.5, 0.5, 2, 0]);
    const res = await run(f, players, 4, x, 1, bg, [0.5, 0.5]);
    const phi = res.rows[0]!.phi;
    expect(Math.abs(phi[0]! - phi[1]!)).toBeLessThan(1e-12);
    expect(Math.abs(phi[2]!)).toBeLessThan(1e-12);
  });
});

describe("closed forms", () => {
  const M = 12;
  const players: ShapPlayer[] = Array.from({ length: M }, (_, j) => ({ name: `f${j}`, blocks: [[j, 1]] }));
  const r = createRng(5);
  const w = Array.from({ length: M }, () => r.normal());
  const linear: JsModel = (x, o) => 0.3 + w.reduce((s, wi, j) => s + wi * x[o + j]!, 0);
  const x = randomRows(3, M, 6);
  const bg = randomRows(20, M, 7);
  const bgw = new Array(20).fill(1 / 20);

  it.each([["exact", "auto"], ["sampled (kernel)", 300], ["sampled (leverage)", 300]] as const)(
    "linear model, identity link: φ_i = w_i (x_i − E_bg[x_i]) in %s mode",
    async (label, samples) => {
      const res = await run(linear, players, M, x, 3, bg, bgw, { samples, sampling: label.includes("leverage") ? "leverage" : "kernel" });
      expect(res.mode).toBe(label === "exact" ? "exact" : "sampled");
      for (let e = 0; e < 3; e++) {
        for (let j = 0; j < M; j++) {
          let mean = 0;
          for (let b = 0; b < 20; b++) mean += bg[b * M + j]! / 20;
          expect(res.rows[e]!.phi[j]).toBeCloseTo(w[j]! * (x[e * M + j]! - mean), 9);
        }
        expect(res.rows[e]!.additivityError).toBeLessThan(1e-9);
      }
    },
  );

  it("logistic model, logit link, one background row: φ_i = w_i (x_i − bg_i) on the logit scale", async () => {
    const logistic: JsModel = (xx, o) => sigmoid(linear(xx, o));
    for (const samples of ["auto", 400] as const) {
      const res = await run(logistic, players, M, x, 3, bg.subarray(0, M), [1], { link: "logit", samples });
      for (let e = 0; e < 3; e++) {
        for (let j = 0; j < M; j++) expect(res.rows[e]!.phi[j]).toBeCloseTo(w[j]! * (x[e * M + j]! - bg[j]!), 6);
      }
    }
  });
});

describe("sampled KernelSHAP", () => {
  const M = 14;
  const players: ShapPlayer[] = Array.from({ length: M }, (_, j) => ({ name: `f${j}`, blocks: [[j, 1]] }));
  const f = randomModel(M, 77);
  const x = randomRows(8, M, 8);
  const bg = randomRows(3, M, 9);
  const bgw = [0.5, 0.25, 0.25];
  let exact: Float64Array[];

  beforeAll(async () => {
    const res = await run(f, players, M, x, 8, bg, bgw, { samples: "exact" });
    exact = res.rows.map((r) => r.phi);
  });

  function relErr(rows: Array<{ phi: Float64Array }>): number {
    let s = 0;
    rows.forEach((r, e) => {
      let num = 0;
      let den = 0;
      for (let j = 0; j < M; j++) {
        num += (r.phi[j]! - exact[e]![j]!) ** 2;
        den += exact[e]![j]! ** 2;
      }
      s += num / den;
    });
    return s / rows.length;
  }

  it.each(["kernel", "leverage"] as const)("%s sampling: error against exact falls as the budget grows; efficiency holds to 1e-6", async (sampling) => {
    const errs: number[] = [];
    for (const budget of [200, 800, 3200]) {
      let e = 0;
      for (const seed of [1, 2, 3]) {
        const res = await run(f, players, M, x, 8, bg, bgw, { samples: budget, sampling, seed });
        expect(res.mode).toBe("sampled");
        expect(res.coalitions).toBeLessThanOrEqual(budget);
        res.rows.forEach((r) => expect(r.additivityError).toBeLessThan(1e-6));
        e += relErr(res.rows) / 3;
      }
      errs.push(e);
    }
    expect(errs[1]!).toBeLessThan(errs[0]!);
    expect(errs[2]!).toBeLessThan(errs[1]!);
  });

  it("reports standard errors that cover the true error at roughly the stated rate (95%: 85–99%)", async () => {
    let covered = 0;
    let total = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const res = await run(f, players, M, x, 8, bg, bgw, { samples: 600, seed });
      res.rows.forEach((r, e) => {
        for (let j = 0; j < M; j++) {
          total++;
          if (Math.abs(r.phi[j]! - exact[e]![j]!) <= 1.96 * r.se[j]!) covered++;
        }
      });
    }
    const rate = covered / total;
    expect(rate).toBeGreaterThan(0.85);
    expect(rate).toBeLessThan(0.99);
  });
});

describe("KernelSHAP to a target error", () => {
  const M = 14;
  const players: ShapPlayer[] = Array.from({ length: M }, (_, j) => ({ name: `f${j}`, blocks: [[j, 1]] }));
  const f = randomModel(M, 77);
  const rows = 12;
  const x = randomRows(rows, M, 18);
  const bg = randomRows(3, M, 9);
  const bgw = [0.5, 0.25, 0.25];
  let exact: Float64Array[];
  beforeAll(async () => {
    exact = (await run(f, players, M, x, rows, bg, bgw, { samples: "exact" })).rows.map((r) => r.phi);
  });
  const trueErr = (phi: Float64Array, e: number) => {
    let num = 0;
    let den = 0;
    phi.forEach((p, j) => {
      num += (p - exact[e]![j]!) ** 2;
      den += exact[e]![j]! ** 2;
    });
    return num / den;
  };

  it("samples in rounds until every row's estimated Σse²/Σφ² meets the target, and the true error (against exact φ) agrees", async () => {
    const target = 2e-4;
    const res = await run(f, players, M, x, rows, bg, bgw, { samples: { target_error: target }, seed: 3 });
    const t = res.target!;
    expect(res.mode).toBe("sampled");
    expect(t.rounds).toBeGreaterThanOrEqual(2);
    expect(t.rowsMet).toBe(rows);
    expect(t.estimatedError.max).toBeLessThanOrEqual(target);
    // each row's reported estimate is Σse²/Σφ² of its own φ and se
    for (const r of res.rows) {
      const est = r.se.reduce((a, v) => a + v * v, 0) / r.phi.reduce((a, v) => a + v * v, 0);
      expect(est).toBeLessThanOrEqual(target);
    }
    // honest standard errors: the mean true error is of the target's order (a tenth of it to twice it)
    const mean = res.rows.reduce((a, r, e) => a + trueErr(r.phi, e), 0) / rows;
    expect(mean).toBeLessThan(2 * target);
    expect(mean).toBeGreaterThan(target / 10);
    // the set grew to the coalitions of the last round and no further; evaluations count each row's coalitions once
    expect(res.coalitions).toBe(t.coalitionsPerRow.max);
    expect(t.coalitionsPerRow.max).toBeLessThan(2 ** M - 2);
    expect(res.evaluations).toBeLessThanOrEqual(3 + rows + 3 * rows * t.coalitionsPerRow.max);
    expect(res.evaluations).toBeGreaterThanOrEqual(3 + rows + 3 * rows * t.coalitionsPerRow.min);
  });

  it("a tighter target costs more coalitions and gives a smaller true error; the same seed gives the same φ", async () => {
    const loose = await run(f, players, M, x, rows, bg, bgw, { samples: { target_error: 1e-3 }, seed: 5 });
    const tight = await run(f, players, M, x, rows, bg, bgw, { samples: { target_error: 5e-5 }, seed: 5 });
    const again = await run(f, players, M, x, rows, bg, bgw, { samples: { target_error: 5e-5 }, seed: 5 });
    expect(tight.target!.coalitionsPerRow.median).toBeGreaterThan(loose.target!.coalitionsPerRow.median);
    const mean = (res: typeof loose) => res.rows.reduce((a, r, e) => a + trueErr(r.phi, e), 0) / rows;
    expect(mean(tight)).toBeLessThan(mean(loose));
    expect(again.rows.map((r) => Array.from(r.phi))).toEqual(tight.rows.map((r) => Array.from(r.phi)));
  });

  it("stops at max coalitions and says how many rows met the target", async () => {
    const res = await run(f, players, M, x, rows, bg, bgw, { samples: { target_error: 1e-9, max: 900 }, seed: 2 });
    expect(res.target!.rowsMet).toBe(0);
    expect(res.coalitions).toBeLessThanOrEqual(900);
    expect(res.budget).toBe(900);
  });
});

describe("extending a sampled coalition set", () => {
  it("adds pairs without repeats in the sampled sizes, keeps the old coalitions in place, and reweights each size to its kernel mass", () => {
    const M = 12;
    const s0 = sampleCoalitions(M, 500, createRng(3));
    const s1 = extendCoalitions(s0, 800, createRng(4));
    expect(s1.count).toBeGreaterThan(s0.count + 700);
    expect(Array.from(s1.z.subarray(0, s0.count * M))).toEqual(Array.from(s0.z));
    const keys = new Set<string>();
    for (let c = 0; c < s1.count; c++) keys.add(Array.from(s1.z.subarray(c * M, c * M + M)).join(""));
    expect(keys.size).toBe(s1.count);
    // Σ weights of every size = its total kernel mass (M−1)/(s(M−s)) (closed form), sampled or enumerated
    const bySize = new Float64Array(M);
    for (let c = 0; c < s1.count; c++) {
      let size = 0;
      for (let j = 0; j < M; j++) size += s1.z[c * M + j]!;
      bySize[size]! += s1.weights[c]!;
    }
    for (let size = 1; size < M; size++) expect(bySize[size]).toBeCloseTo((M - 1) / (size * (M - size)), 10);
    for (let c = s0.count; c < s1.count; c++) {
      const p = s1.partner[c]!;
      for (let j = 0; j < M; j++) expect(s1.z[c * M + j]! + s1.z[p * M + j]!).toBe(1);
    }
  });

  it("returns the set itself once the sampled sizes are exhausted", () => {
    const M = 6; // sizes 1, 2 enumerated from 40 coalitions; size 3 has 10 pairs
    const s0 = sampleCoalitions(M, 40, createRng(1));
    const s1 = extendCoalitions(s0, 1000, createRng(2));
    expect(s1.count).toBe(2 ** M - 2);
    expect(extendCoalitions(s1, 10, createRng(3))).toBe(s1);
  });
});

describe("coalition sets", () => {
  it("exact mode enumerates every proper non-empty coalition once", () => {
    const s = allCoalitions(5);
    const keys = new Set<string>();
    for (let c = 0; c < s.count; c++) keys.add(Array.from(s.z.subarray(c * 5, c * 5 + 5)).join(""));
    expect(keys.size).toBe(30);
    expect(keys.has("00000") || keys.has("11111")).toBe(false);
  });

  it("sampled mode completes small sizes, pairs the rest with complements, never repeats", () => {
    const M = 12;
    const s = sampleCoalitions(M, 500, createRng(3));
    expect(s.count).toBeLessThanOrEqual(500);
    expect(s.completeSizes).toEqual([1, 2, 10, 11]); // 24 + 132 coalitions fit; size 3 (440) does not
    const keys = new Set<string>();
    for (let c = 0; c < s.count; c++) keys.add(Array.from(s.z.subarray(c * M, c * M + M)).join(""));
    expect(keys.size).toBe(s.count);
    for (let c = 0; c < s.count; c++) {
      if (s.partner[c]! < 0) continue;
      const a = s.z.subarray(c * M, c * M + M);
      const b = s.z.subarray(s.partner[c]! * M, s.partner[c]! * M + M);
      for (let j = 0; j < M; j++) expect(a[j]! + b[j]!).toBe(1);
    }
    // the weights of the enumerated sizes are their exact kernel mass
    let mass1 = 0;
    for (let c = 0; c < s.count; c++) {
      let size = 0;
      for (let j = 0; j < M; j++) size += s.z[c * M + j]!;
      if (size === 1) mass1 += s.weights[c]!;
    }
    expect(mass1).toBeCloseTo(((M - 1) / (1 * (M - 1))) * (binomial(M, 1) / binomial(M, 1)), 12);
  });
});
