// Seeded randomness for every random routine in the engine (METRICS.md §6: same inputs and
// seeds give the same numbers). xoshiro128** for the stream, splitmix32 to expand the seed.

export interface Rng {
  /** Uniform in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Binomial(n, p) draw: inversion for small means, BTRS (Hörmann 1993) otherwise. Exact. */
  binomial(n: number, p: number): number;
  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T;
  /** Fills `into` with 0 … length − 1 shuffled: the draws and the result of shuffle() on that
   *  identity, with the generator's steps inlined (~4× faster on long arrays). */
  permutation(into: Int32Array): Int32Array;
  /** A new independent generator derived from this one (for parallel streams). */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Hash an arbitrary (possibly fractional or huge) seed to 32 bits. */
function seedTo32(seed: number): number {
  if (!Number.isFinite(seed)) throw new Error(`Seed must be a finite number, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return (lo ^ Math.imul(hi, 0x27d4eb2d)) >>> 0;
}

/** Creates a seeded generator. The same seed always yields the same stream. */
export function createRng(seed: number): Rng {
  const sm = splitmix32(seedTo32(seed));
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  if ((a | b | c | d) === 0) a = 1;

  function nextU32(): number {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  }

  function next(): number {
    const hi = nextU32() >>> 5; // 27 bits
    const lo = nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  function int(n: number): number {
    return Math.floor(next() * n);
  }

  let spare: number | null = null;
  function normal(): number {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  function binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - binomial(n, 1 - p);
    if (n * p < 14) return binomialInversion(n, p, next);
    return binomialBtrs(n, p, next);
  }

  function shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  function permutation(perm: Int32Array): Int32Array {
    const size = perm.length;
    for (let i = 0; i < size; i++) perm[i] = i;
    let sa = a;
    let sb = b;
    let sc = c;
    let sd = d;
    for (let i = size - 1; i > 0; i--) {
      // next() = two nextU32() steps, as above
      const r1 = Math.imul(rotl(Math.imul(sb, 5) >>> 0, 7), 9) >>> 0;
      let t = (sb << 9) >>> 0;
      sc ^= sa;
      sd ^= sb;
      sb ^= sc;
      sa ^= sd;
      sc ^= t;
      sd = rotl(sd, 11);
      const r2 = Math.imul(rotl(Math.imul(sb, 5) >>> 0, 7), 9) >>> 0;
      t = (sb << 9) >>> 0;
      sc ^= sa;
      sd ^= sb;
      sb ^= sc;
      sa ^= sd;
      sc ^= t;
      sd = rotl(sd, 11);
      const u = ((r1 >>> 5) * 67108864 + (r2 >>> 6)) / 9007199254740992;
      const j = Math.floor(u * (i + 1));
      const tmp = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = tmp;
    }
    a = sa;
    b = sb;
    c = sc;
    d = sd;
    return perm;
  }

  function fork(): Rng {
    return createRng(nextU32() * 4294967296 + nextU32());
  }

  return { next, int, normal, binomial, shuffle, permutation, fork };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Sequential-search inversion; exact, used when n·p is small (p ≤ 0.5). */
function binomialInversion(n: number, p: number, next: () => number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  for (;;) {
    let r = Math.pow(q, n);
    let u = next();
    let x = 0;
    let ok = true;
    while (u > r) {
      u -= r;
      x++;
      if (x > n) {
        ok = false; // float round-off left mass at the end: draw again
        break;
      }
      r *= a / x - s;
    }
    if (ok) return x;
  }
}

const LOG_FACT_TABLE: Float64Array = (() => {
  const t = new Float64Array(1024);
  for (let i = 1; i < t.length; i++) t[i] = t[i - 1]! + Math.log(i);
  return t;
})();

/** log(k!) exactly from a table for small k, Stirling series (error < 1e-15 relative) beyond. */
export function logFactorial(k: number): number {
  if (k < LOG_FACT_TABLE.length) return LOG_FACT_TABLE[k]!;
  const x = k + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    (x - 0.5) * Math.log(x) -
    x +
    0.5 * Math.log(2 * Math.PI) +
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
  );
}

/** BTRS transformed rejection with squeeze (Hörmann 1993), p ≤ 0.5, n·p ≥ 10. */
function binomialBtrs(n: number, p: number, next: () => number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logFactorial(m) + logFactorial(n - m);
  for (;;) {
    const u = next() - 0.5;
    let v = next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
  }
}

/**
 * Multinomial draw of `n` items over cells with the given non-negative masses (need not sum
 * to 1), by sequential conditional binomials. Writes counts into `out`.
 */
export function multinomial(rng: Rng, n: number, masses: ArrayLike<number>, out: Float64Array | number[]): void {
  const k = masses.length;
  let rest = 0; // mass of cells i..k-1, recomputed exactly to avoid drift
  for (let i = 0; i < k; i++) rest += masses[i]!;
  if (n > 0 && !(rest > 0)) throw new Error("multinomial: every cell has zero mass");
  let left = n;
  for (let i = 0; i < k - 1; i++) {
    const m = masses[i]!;
    const draw = left === 0 || m <= 0 ? 0 : rng.binomial(left, Math.min(1, m / rest));
    out[i] = draw;
    left -= draw;
    rest = 0;
    for (let j = i + 1; j < k; j++) rest += masses[j]!;
  }
  out[k - 1] = left;
}

/** A 53-bit seed mixed from several integers (e.g. seed, row id, attempt): independent streams per part. */
export function mixSeed(...parts: number[]): number {
  let h1 = 0x9e3779b9 >>> 0;
  let h2 = 0x85ebca6b >>> 0;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h1 = Math.imul(h1 ^ lo, 0xcc9e2d51) >>> 0;
    h1 = ((h1 << 15) | (h1 >>> 17)) >>> 0;
    h2 = Math.imul(h2 ^ hi ^ h1, 0x1b873593) >>> 0;
    h2 = ((h2 << 13) | (h2 >>> 19)) >>> 0;
    h1 = (h1 + h2) >>> 0;
  }
  return (h2 & 0x1fffff) * 4294967296 + h1;
}
