import { jsExecutor, type JsModel } from "../../../tests/helpers/js-executor";
import { createRng } from "../random";
import type { AuditModel } from "../model/model";
import { createPermutedScorer } from "./permuted";
import { importanceRows, permutationImportance, permutationRepeats, permutedGroup, rocAucFloat32, rocAucRadix, rocAucSorted, rocAucUnweighted, scoreProbabilities, summarizeImportance, type ImportanceScoring } from "./permutation";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

// 3 raw features: a (1 input), b (one-hot block of 3), c (1 input) → width 5
const features = [
  { name: "a", blocks: [[0, 1]] as const },
  { name: "b", blocks: [[1, 3]] as const },
  { name: "c", blocks: [[4, 1]] as const },
];
const W = [1.5, 0.8, -0.4, 0.1, -0.02];
const model: JsModel = (x, o) => sigmoid(0.1 + W.reduce((s, w, t) => s + w * x[o + t]!, 0));

function data(n: number, seed: number) {
  const r = createRng(seed);
  const x = new Float32Array(n * 5);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i * 5] = Math.fround(r.normal());
    x[i * 5 + 1 + r.int(3)] = 1;
    x[i * 5 + 4] = Math.fround(r.normal());
    y[i] = r.next() < model(x, i * 5) ? 1 : 0;
  }
  return { x, y };
}

/** Naive AUC over all pairs. */
function pairAuc(p: number[], y: number[]): number {
  let num = 0;
  let P = 0;
  let N = 0;
  for (let i = 0; i < p.length; i++) {
    if (!y[i]) continue;
    P++;
    for (let j = 0; j < p.length; j++) if (!y[j]) num += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
  }
  N = p.length - P;
  return num / (P * N);
}

/** The straightforward algorithm: one permuted copy and one model call per (repeat, feature). */
function naiveImportance(x: Float32Array, y: Uint8Array, perms: Int32Array[][], scoring: "roc_auc" | "brier") {
  const n = y.length;
  const score = (p: number[]) => (scoring === "roc_auc" ? pairAuc(p, Array.from(y)) : p.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / n);
  const base = score(Array.from({ length: n }, (_, i) => model(x, i * 5)));
  return features.map((f, j) =>
    perms.map((byFeature) => {
      const perm = byFeature[j]!;
      const row = new Float64Array(5);
      const p: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let t = 0; t < 5; t++) row[t] = x[i * 5 + t]!;
        for (const [off, w] of f.blocks) for (let t = off; t < off + w; t++) row[t] = x[perm[i]! * 5 + t]!;
        p.push(model(row, 0));
      }
      const s = score(p);
      return scoring === "roc_auc" ? base - s : s - base;
    }),
  );
}

describe("permutationImportance", () => {
  const n = 300;
  const { x, y } = data(n, 1);
  const r = createRng(99);
  const perms = Array.from({ length: 4 }, () =>
    features.map(() => {
      const p = Int32Array.from({ length: n }, (_, i) => i);
      return r.shuffle(p);
    }),
  );

  it.each(["roc_auc", "brier"] as const)("with the permutations fixed, equals the straightforward implementation (%s, 1e-12)", async (scoring) => {
    const ex = jsExecutor(model, 5);
    const res = await permutationImportance({
      executor: ex,
      encode: () => x,
      n,
      width: 5,
      features,
      y,
      w: null,
      threshold: 0.5,
      scoring,
      repeats: 4,
      seed: 0,
      permutation: (rep, j) => perms[rep]![j]!,
    });
    const naive = naiveImportance(x, y, perms, scoring);
    for (let j = 0; j < 3; j++) for (let rep = 0; rep < 4; rep++) expect(res.values[j]![rep]).toBeCloseTo(naive[j]![rep]!, 12);
    for (let j = 0; j < 3; j++) {
      const m = naive[j]!.reduce((a, b) => a + b, 0) / 4;
      expect(res.mean[j]).toBeCloseTo(m, 12);
      expect(res.std[j]).toBeCloseTo(Math.sqrt(naive[j]!.reduce((a, b) => a + (b - m) ** 2, 0) / 4), 12); // ddof 0
    }
    // all features of a repeat go to the model together: 1 baseline call + 1 call per repeat
    expect(ex.calls).toBe(1 + 4);
  });

  it.each([
    [300, "roc_auc"],
    [40_000, "brier"],
  ] as const)("the permuted path (copies made once, blocks put back) equals the straightforward implementation: %i rows, %s", async (rows, scoring) => {
    const big = rows === n ? { x, y } : data(rows, 4);
    const rr = createRng(7);
    const fixed = Array.from({ length: 2 }, () => features.map(() => rr.shuffle(Int32Array.from({ length: rows }, (_, i) => i))));
    const ex = jsExecutor(model, 5);
    const audit = { inputWidth: 5, predict: (xs: Float32Array, k: number) => ex.predict(xs, k) } as unknown as AuditModel;
    const scorer = createPermutedScorer(audit, big.x, rows, features);
    const group = permutedGroup(rows, features.length);
    expect(group).toBe(rows === n ? 3 : 1); // every copy in one call, and one copy per call
    const res = await permutationRepeats(
      { executor: ex, encode: () => big.x, n: rows, width: 5, features, y: big.y, w: null, threshold: 0.5, scoring, repeats: 2, seed: 0, permutation: (rep, j) => fixed[rep]![j]!, permuted: (js, perms) => scorer.score(js, perms) },
      0,
      2,
    );
    const naive = naiveImportance(big.x, big.y, fixed, scoring);
    for (let j = 0; j < 3; j++) for (let rep = 0; rep < 2; rep++) expect(res.values[j]![rep]).toBeCloseTo(naive[j]![rep]!, 12);
    expect(ex.calls).toBe(1 + 2 * Math.ceil(3 / group)); // the baseline, then the grouped copies
  });

  it("ranks the features the model uses most and gives a feature it barely uses ~0", async () => {
    const big = data(4000, 2);
    const res = await permutationImportance({ executor: jsExecutor(model, 5), encode: () => big.x, n: 4000, width: 5, features, y: big.y, w: null, threshold: 0.5, scoring: "roc_auc", repeats: 5, seed: 3 });
    expect(res.mean[0]!).toBeGreaterThan(res.mean[1]!);
    expect(Math.abs(res.mean[2]!)).toBeLessThan(0.005);
  });

  it("is reproducible with a seed, and subsamples per repeat with max_samples", async () => {
    const run = (seed: number) =>
      permutationImportance({
        executor: jsExecutor(model, 5),
        encode: (rows) => (rows ? Float32Array.from(Array.from(rows).flatMap((i) => Array.from(x.subarray(i * 5, i * 5 + 5)))) : x),
        n,
        width: 5,
        features,
        y,
        w: null,
        threshold: 0.5,
        scoring: "accuracy",
        repeats: 3,
        seed,
        maxSamples: 100,
      });
    const a = await run(5);
    const b = await run(5);
    expect(a).toEqual(b);
    expect(a.rows).toBe(100);
    expect(new Set(a.baselines).size).toBeGreaterThan(1); // a baseline per subsample
  });
});

describe("permutationRepeats", () => {
  it("any split of the repeats into pieces gives exactly the whole run's values (team mode computes pieces on different workers)", async () => {
    const n = 400;
    const { x, y } = data(n, 7);
    const input = {
      executor: jsExecutor(model, 5),
      encode: (rows: Int32Array | null) => (rows ? Float32Array.from(Array.from(rows).flatMap((i) => Array.from(x.subarray(i * 5, i * 5 + 5)))) : x),
      n,
      width: 5,
      features,
      y,
      w: null,
      threshold: 0.5,
      scoring: "roc_auc" as const,
      repeats: 6,
      seed: 11,
      maxSamples: 150,
    };
    const whole = await permutationImportance(input);
    const pieces = [await permutationRepeats(input, 0, 1), await permutationRepeats(input, 1, 4), await permutationRepeats(input, 4, 6)];
    const joined = summarizeImportance({ baselines: pieces.flatMap((p) => p.baselines), values: features.map((_, j) => pieces.flatMap((p) => p.values[j]!)) }, importanceRows(n, 150));
    expect(joined).toEqual(whole);
    // and each repeat really has its own draw: the subsample baselines differ
    expect(new Set(whole.baselines).size).toBe(6);
    // the mean and std are those of the values (independent arithmetic)
    for (let j = 0; j < features.length; j++) {
      const v = whole.values[j]!;
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      expect(whole.mean[j]).toBeCloseTo(m, 12);
      expect(whole.std[j]).toBeCloseTo(Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length), 12);
    }
  });
});

describe("scores", () => {
  it("fast unweighted AUC equals the pair count with ties", () => {
    const r = createRng(4);
    for (let k = 0; k < 20; k++) {
      const n = 50;
      const p = Float64Array.from({ length: n }, () => Math.round(r.next() * 8) / 8);
      const y = Uint8Array.from({ length: n }, () => (r.next() < 0.4 ? 1 : 0));
      if (y.every((v) => v === y[0])) continue;
      expect(rocAucUnweighted(p, y)).toBeCloseTo(pairAuc(Array.from(p), Array.from(y)), 12);
    }
  });

  it("the radix AUC (float32 probabilities) equals the pair count with ties, and leaves other scores to the sorted path", () => {
    const r = createRng(5);
    for (let k = 0; k < 30; k++) {
      const n = 1 + r.int(400);
      // float32 values spread over many magnitudes (every radix digit matters), with many ties
      // (and, in every other case, scores far above 1, whose bit patterns use the keys' top bits)
      const big = k % 2 === 1 ? 1e30 : 1;
      const p = Float64Array.from({ length: n }, () => Math.fround(big * (r.next() < 0.3 ? Math.fround(Math.round(r.next() * 6) / 6) : Math.fround(r.next() ** 8))));
      const y = Uint8Array.from({ length: n }, () => (r.next() < 0.4 ? 1 : 0));
      const expected = y.every((v) => v === y[0]) ? null : pairAuc(Array.from(p), Array.from(y));
      if (expected === null) expect(rocAucRadix(p, y)).toBeNull();
      else expect(rocAucRadix(p, y)).toBeCloseTo(expected, 12);
    }
    expect(rocAucRadix(Float64Array.of(0.1, 0.2), Uint8Array.of(0, 1))).toBeNull(); // 0.1 is not a float32
    expect(rocAucRadix(Float64Array.of(-0.5, 0.25), Uint8Array.of(0, 1))).toBeNull();
    expect(rocAucUnweighted(Float64Array.of(0.1, 0.2, 0.2), Uint8Array.of(0, 1, 0))).toBeCloseTo(0.75, 12);
  });

  it("the AUC of float32 scores read in place equals the pair count, −0 ties with 0, and negative or NaN scores go to the sorted path", () => {
    const r = createRng(6);
    for (let k = 0; k < 30; k++) {
      const n = 2 + r.int(400);
      const big = k % 3 === 2 ? 1e30 : 1;
      const p = Float32Array.from({ length: n }, () => big * (r.next() < 0.3 ? Math.round(r.next() * 6) / 6 : r.next() ** 8));
      if (k % 5 === 0) p[r.int(n)] = -0;
      const y = Uint8Array.from({ length: n }, (_, i) => (i < 2 ? i : r.next() < 0.4 ? 1 : 0));
      const before = p.slice();
      expect(rocAucFloat32(p, y)).toBeCloseTo(pairAuc(Array.from(p), Array.from(y)), 12);
      expect(p).toEqual(before); // the scores are read, never overwritten
    }
    // a shorter array after a longer one (the scratch is longer than the scores)
    expect(rocAucFloat32(Float32Array.of(0, -0, 0.5), Uint8Array.of(1, 0, 1))).toBeCloseTo(0.75, 12);
    expect(rocAucFloat32(Float32Array.of(-0.5, 0.25, 0.75), Uint8Array.of(1, 0, 1))).toBeCloseTo(0.5, 12);
    expect(rocAucFloat32(Float32Array.of(0.5, 0.25, 0.75), Uint8Array.of(1, 1, 1))).toBeNull();
    // a NaN score (a model that returns NaN) makes the AUC undefined: null, not an endless loop
    expect(rocAucFloat32(Float32Array.of(Number.NaN, 0.25, 0.75), Uint8Array.of(1, 0, 1))).toBeNull();
    expect(rocAucSorted(Float64Array.of(0.1, Number.NaN, 0.75), Uint8Array.of(1, 0, 1))).toBeNull();
    expect(scoreProbabilities("roc_auc", Float64Array.of(0.1, Number.NaN, 0.75), Uint8Array.of(1, 0, 1), null, 0.5)).toBeNaN();
  });

  it.each<ImportanceScoring>(["roc_auc", "accuracy", "balanced_accuracy", "f1", "log_loss", "brier"])("%s of float32 probabilities equals the score of their float64 copies, weighted and not", (scoring) => {
    const r = createRng(7);
    const n = 300;
    const p = Float32Array.from({ length: n }, () => (r.next() < 0.2 ? 0.5 : r.next()));
    const y = Uint8Array.from({ length: n }, () => (r.next() < 0.45 ? 1 : 0));
    const w = Float64Array.from({ length: n }, () => 0.5 + r.next());
    for (const weights of [null, w]) {
      const expected = scoreProbabilities(scoring, Float64Array.from(p), y, weights, 0.5);
      expect(Number.isFinite(expected)).toBe(true);
      expect(scoreProbabilities(scoring, p, y, weights, 0.5)).toBe(expected);
    }
  });

  it.each<[ImportanceScoring, number]>([
    ["accuracy", 3 / 4],
    ["balanced_accuracy", (1 / 2 + 1) / 2],
    ["f1", 2 / 3],
  ])("%s at the threshold", (scoring, expected) => {
    expect(scoreProbabilities(scoring, Float64Array.from([0.9, 0.2, 0.1, 0.3]), Uint8Array.from([1, 1, 0, 0]), null, 0.5)).toBeCloseTo(expected, 12);
  });
});
