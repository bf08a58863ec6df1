import { createRng, logFactorial, multinomial } from "./random";

/** Exact Binomial(n, p) pmf in log space, independent of the sampler. */
const LOG_FACT = [0];
for (let i = 1; i <= 10_000; i++) LOG_FACT.push(LOG_FACT[i - 1]! + Math.log(i));
function binomialPmf(n: number, p: number, k: number): number {
  return Math.exp(LOG_FACT[n]! - LOG_FACT[k]! - LOG_FACT[n - k]! + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

/** Pearson chi-square statistic of draws against the exact pmf, pooling tails with expected < 5. */
function chiSquare(draws: number[], n: number, p: number): { stat: number; df: number } {
  const counts = new Map<number, number>();
  for (const d of draws) counts.set(d, (counts.get(d) ?? 0) + 1);
  let stat = 0;
  let df = -1;
  let poolObs = 0;
  let poolExp = 0;
  for (let k = 0; k <= n; k++) {
    const exp = binomialPmf(n, p, k) * draws.length;
    const obs = counts.get(k) ?? 0;
    if (exp < 5) {
      poolObs += obs;
      poolExp += exp;
      continue;
    }
    stat += (obs - exp) ** 2 / exp;
    df++;
  }
  if (poolExp > 0) {
    stat += (poolObs - poolExp) ** 2 / poolExp;
    df++;
  }
  return { stat, df };
}

describe("createRng", () => {
  it("is reproducible for a seed and differs across seeds", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
    expect(xa.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("permutation() is shuffle() of the identity, draw for draw, and leaves the stream where shuffle() does", () => {
    for (const [seed, size] of [[1, 10_000], [42, 1], [7, 2], [123456789, 997]] as const) {
      const a = createRng(seed);
      const b = createRng(seed);
      const viaShuffle = a.shuffle(Int32Array.from({ length: size }, (_, i) => i));
      const viaPermutation = b.permutation(new Int32Array(size).fill(-1));
      expect(Array.from(viaPermutation)).toEqual(Array.from(viaShuffle));
      expect([b.next(), b.int(1000), b.next()]).toEqual([a.next(), a.int(1000), a.next()]);
    }
    const p = createRng(3).permutation(new Int32Array(1000));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("draws uniform numbers with mean 1/2 and variance 1/12 (tolerance 5 standard errors)", () => {
    const r = createRng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  // Chi-square goodness of fit against the exact pmf, for both samplers (inversion: n·p < 14,
  // BTRS otherwise). The 99.9% critical value of chi-square is below df + 3.1·sqrt(2·df) + 10.
  it.each([
    [20, 0.3],
    [200, 0.02],
    [100, 0.5],
    [1000, 0.37],
    [5000, 0.9],
  ])("Binomial(%d, %d) matches its exact distribution", (n, p) => {
    const r = createRng(n * 31 + Math.round(p * 100));
    const draws = Array.from({ length: 40_000 }, () => r.binomial(n, p));
    const { stat, df } = chiSquare(draws, n, p);
    expect(stat).toBeLessThan(df + 3.1 * Math.sqrt(2 * df) + 10);
    expect(draws.every((d) => Number.isInteger(d) && d >= 0 && d <= n)).toBe(true);
  });

  it("handles the degenerate binomials", () => {
    const r = createRng(3);
    expect(r.binomial(10, 0)).toBe(0);
    expect(r.binomial(10, 1)).toBe(10);
    expect(r.binomial(0, 0.5)).toBe(0);
  });

  it("multinomial draws sum to n and follow the cell masses", () => {
    const r = createRng(5);
    const out = new Float64Array(4);
    const sums = [0, 0, 0, 0];
    const masses = [10, 0, 30, 60];
    for (let i = 0; i < 5000; i++) {
      multinomial(r, 100, masses, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(100);
      expect(out[1]).toBe(0);
      out.forEach((v, k) => (sums[k] = sums[k]! + v));
    }
    expect(sums.map((s) => s / 5000 / 100)).toEqual([expect.closeTo(0.1, 2), 0, expect.closeTo(0.3, 2), expect.closeTo(0.6, 2)]);
  });

  it("logFactorial agrees with the direct sum beyond its table", () => {
    let direct = 0;
    for (let i = 2; i <= 5000; i++) direct += Math.log(i);
    expect(logFactorial(5000)).toBeCloseTo(direct, 6);
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
  });
});
