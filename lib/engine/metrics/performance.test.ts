import fc from "fast-check";
import {
  averagePrecision,
  brierScore,
  calibrationBins,
  confusionOf,
  logLoss,
  rocAuc,
  rocAucDeLongInterval,
  rocCurve,
  scoreLevels,
  thresholdMetrics,
} from "./performance";

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

/** Brute force over all (positive, negative) pairs. */
function bruteAuc(s: number[], y: number[], w: number[]): number {
  let num = 0;
  let P = 0;
  let N = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i]) P += w[i]!;
    else N += w[i]!;
  }
  for (let i = 0; i < s.length; i++) {
    if (!y[i]) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j]) continue;
      num += w[i]! * w[j]! * (s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0);
    }
  }
  return num / (P * N);
}

/** AP as the weighted mean, over positive rows, of the precision at that row's score. */
function bruteAp(s: number[], y: number[], w: number[]): number {
  let P = 0;
  for (let i = 0; i < s.length; i++) if (y[i]) P += w[i]!;
  let ap = 0;
  for (let i = 0; i < s.length; i++) {
    if (!y[i]) continue;
    let tp = 0;
    let all = 0;
    for (let j = 0; j < s.length; j++) {
      if (s[j]! >= s[i]!) {
        all += w[j]!;
        if (y[j]) tp += w[j]!;
      }
    }
    ap += (w[i]! / P) * (tp / all);
  }
  return ap;
}

const dataArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 4 })), { minLength: 2, maxLength: 60 })
  .filter((rows) => rows.some((r) => r[1] === 1) && rows.some((r) => r[1] === 0));

describe("ROC AUC and average precision", () => {
  it("match scikit-learn's documented examples", () => {
    const l = scoreLevels(f64([0.1, 0.4, 0.35, 0.8]), u8([0, 0, 1, 1]), null);
    expect(rocAuc(l)).toBeCloseTo(0.75, 15); // sklearn roc_auc_score docs
    expect(averagePrecision(l)).toBeCloseTo(0.8333333333333333, 15); // sklearn average_precision_score docs
  });

  it("equal brute-force pair counting and per-positive precision, with ties and weights (1e-12)", () => {
    fc.assert(
      fc.property(dataArb, fc.boolean(), (rows, weighted) => {
        const s = rows.map((r) => r[0] / 4); // many ties
        const y = rows.map((r) => r[1]);
        const w = rows.map((r) => (weighted ? r[2] : 1));
        const l = scoreLevels(f64(s), u8(y), weighted ? f64(w) : null);
        expect(rocAuc(l)).toBeCloseTo(bruteAuc(s, y, w), 12);
        expect(averagePrecision(l)).toBeCloseTo(bruteAp(s, y, w), 12);
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it("is null when a class is absent", () => {
    expect(rocAuc(scoreLevels(f64([0.2, 0.3]), u8([1, 1]), null))).toBeNull();
    expect(averagePrecision(scoreLevels(f64([0.2, 0.3]), u8([0, 0]), null))).toBeNull();
  });

  it("DeLong interval matches the variance from per-row structural components", () => {
    const r = [0.1, 0.4, 0.35, 0.8, 0.5, 0.5, 0.2, 0.9, 0.65, 0.3];
    const y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0];
    const l = scoreLevels(f64(r), u8(y), null);
    const pos = r.filter((_, i) => y[i]);
    const neg = r.filter((_, i) => !y[i]);
    const psi = (a: number, b: number) => (a > b ? 1 : a === b ? 0.5 : 0);
    const auc = bruteAuc(r, y, r.map(() => 1));
    const v10 = pos.map((p) => neg.reduce((s, n) => s + psi(p, n), 0) / neg.length);
    const v01 = neg.map((n) => pos.reduce((s, p) => s + psi(p, n), 0) / pos.length);
    const s10 = v10.reduce((s, v) => s + (v - auc) ** 2, 0) / (pos.length - 1);
    const s01 = v01.reduce((s, v) => s + (v - auc) ** 2, 0) / (neg.length - 1);
    const half = 1.959963984540054 * Math.sqrt(s10 / pos.length + s01 / neg.length);
    const ci = rocAucDeLongInterval(l)!;
    expect(ci[0]).toBeCloseTo(Math.max(0, auc - half), 12);
    expect(ci[1]).toBeCloseTo(Math.min(1, auc + half), 12);
  });

  it("ROC curve runs from (0,0) to (1,1) and is monotone", () => {
    const l = scoreLevels(f64([0.1, 0.4, 0.35, 0.8]), u8([0, 0, 1, 1]), null);
    const roc = rocCurve(l);
    expect(roc[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(roc[roc.length - 1]).toMatchObject({ fpr: 1, tpr: 1 });
    expect(roc.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
  });
});

describe("threshold metrics", () => {
  it("match a hand-worked confusion matrix", () => {
    // y:  1 1 1 0 0 0 0 1 ; ŷ: 1 0 1 1 0 0 1 1 → tp 3, fn 1, fp 2, tn 2
    const c = confusionOf(u8([1, 1, 1, 0, 0, 0, 0, 1]), u8([1, 0, 1, 1, 0, 0, 1, 1]), null);
    expect(c).toEqual({ tp: 3, fp: 2, tn: 2, fn: 1 });
    const m = thresholdMetrics(c);
    expect(m.accuracy).toBeCloseTo(5 / 8, 15);
    expect(m.precision).toBeCloseTo(3 / 5, 15);
    expect(m.recall).toBeCloseTo(3 / 4, 15);
    expect(m.balanced_accuracy).toBeCloseTo((3 / 4 + 2 / 4) / 2, 15);
    expect(m.f1).toBeCloseTo((2 * 0.6 * 0.75) / (0.6 + 0.75), 15);
    expect(m.selection_rate).toBeCloseTo(5 / 8, 15);
  });

  it("weights count rows", () => {
    const c = confusionOf(u8([1, 0]), u8([1, 1]), f64([3, 0.5]));
    expect(c).toEqual({ tp: 3, fp: 0.5, tn: 0, fn: 0 });
  });

  it("returns null instead of 0 for a zero denominator", () => {
    const m = thresholdMetrics({ tp: 0, fp: 0, tn: 5, fn: 0 });
    expect(m.precision).toBeNull();
    expect(m.recall).toBeNull();
    expect(m.f1).toBeNull();
    expect(m.accuracy).toBe(1);
  });
});

describe("probability metrics", () => {
  it("log loss matches scikit-learn's documented example (0.21616…)", () => {
    // sklearn docs: log_loss(["spam","ham","ham","spam"], [[.1,.9],[.9,.1],[.8,.2],[.35,.65]])
    expect(logLoss(f64([0.9, 0.1, 0.2, 0.65]), u8([1, 0, 0, 1]), null)).toBeCloseTo(0.21616187468057912, 12);
  });

  it("log loss clips probabilities at 1e-15", () => {
    expect(logLoss(f64([0]), u8([1]), null)).toBeCloseTo(-Math.log(1e-15), 9);
  });

  it("Brier score matches scikit-learn's documented example (0.0375)", () => {
    expect(brierScore(f64([0.1, 0.9, 0.8, 0.3]), u8([0, 1, 1, 0]), null)).toBeCloseTo(0.0375, 15);
  });

  it("calibration bins use linspace edges with a score on an edge in the lower bin", () => {
    const bins = calibrationBins(f64([0, 0.1, 0.15, 0.3, 0.95, 1]), u8([0, 0, 1, 1, 1, 1]), null);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ count: 2, observedRate: 0 }); // 0 and 0.1
    expect(bins[1]).toMatchObject({ count: 1, observedRate: 1, meanScore: 0.15 });
    expect(bins[2]!.count).toBe(1); // 0.3 < 3 × 0.1 = 0.30000000000000004, as numpy's searchsorted sees it
    expect(bins[9]).toMatchObject({ count: 2, observedRate: 1 });
    expect(bins[5]).toMatchObject({ count: 0, meanScore: null, observedRate: null });
  });
});
