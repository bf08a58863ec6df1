import fc from "fast-check";
import type { Column } from "../data/table";
import type { AttributeReport, ReportWarning } from "../../report/types";
import { createRng } from "../random";
import { attributeFairness, type FairnessOptions } from "./fairness";
import { groupByColumn, intersect, MISSING_GROUP } from "./groups";

/** A categorical column from raw strings ("" = missing). */
function column(name: string, values: string[]): Column {
  const categories: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === "") return -1;
    let c = index.get(v);
    if (c === undefined) {
      c = categories.length;
      index.set(v, c);
      categories.push(v);
    }
    return c;
  });
  return {
    name,
    index: 0,
    type: "categorical",
    missing: values.filter((v) => v === "").length,
    codes,
    categories,
    categoryFirstRow: new Int32Array(categories.length),
    categoryNumbers: new Float64Array(categories.length).fill(NaN),
    numbers: null,
  };
}

interface Rows {
  group: string[];
  y: number[];
  d: number[];
  w?: number[];
}

function run(rows: Rows, opts: Partial<FairnessOptions> = {}, warnings: ReportWarning[] = []): AttributeReport {
  return attributeFairness(
    groupByColumn(column("g", rows.group)),
    {
      minGroupSize: 0,
      minGroupShare: 0,
      positiveDecision: "benefit",
      tau: 0.8,
      bootstrap: 0,
      confidence: 0.95,
      rng: createRng(1),
      rows: { y: Uint8Array.from(rows.y), decision: Uint8Array.from(rows.d), w: rows.w ? Float64Array.from(rows.w) : null },
      intersection: false,
      ...opts,
    },
    warnings,
  );
}

// ---- an independent, deliberately naive implementation --------------------------------------

type NaiveRate = "selection_rate" | "tpr" | "fpr" | "ppv" | "fnr" | "accuracy";

function naiveRate(rows: Rows, group: string, rate: NaiveRate): number | null {
  let num = 0;
  let den = 0;
  rows.group.forEach((g, i) => {
    if (g !== group) return;
    const w = rows.w ? rows.w[i]! : 1;
    const y = rows.y[i]!;
    const d = rows.d[i]!;
    const inDen = rate === "selection_rate" || rate === "accuracy" ? true : rate === "tpr" || rate === "fnr" ? y === 1 : rate === "fpr" ? y === 0 : d === 1;
    if (!inDen) return;
    den += w;
    const hit = rate === "selection_rate" ? d === 1 : rate === "tpr" ? d === 1 : rate === "fnr" ? d === 0 : rate === "fpr" ? d === 1 : rate === "ppv" ? y === 1 : d === y;
    if (hit) num += w;
  });
  return den > 0 ? num / den : null;
}

/** Largest pairwise gap / smallest pairwise ratio over groups with defined values. */
function naivePairs(values: Array<number | null>, kind: "difference" | "ratio"): number | null {
  const v = values.filter((x): x is number => x !== null);
  if (v.length < 2) return null;
  let out = kind === "difference" ? 0 : 1;
  for (const a of v) {
    for (const b of v) {
      if (kind === "difference") out = Math.max(out, Math.abs(a - b));
      else if (Math.max(a, b) > 0) out = Math.min(out, Math.min(a, b) / Math.max(a, b));
    }
  }
  return out;
}

function naiveAggregates(rows: Rows): Record<string, number | null> {
  const groups = [...new Set(rows.group)].map((g) => (g === "" ? "" : g));
  const r = (rate: NaiveRate) => groups.map((g) => naiveRate(rows, g, rate));
  const both = (a: number | null, b: number | null, f: (x: number, y: number) => number) => (a === null || b === null ? null : f(a, b));
  return {
    demographic_parity_difference: naivePairs(r("selection_rate"), "difference"),
    demographic_parity_ratio: naivePairs(r("selection_rate"), "ratio"),
    equalized_odds_difference: both(naivePairs(r("tpr"), "difference"), naivePairs(r("fpr"), "difference"), Math.max),
    equalized_odds_ratio: both(naivePairs(r("tpr"), "ratio"), naivePairs(r("fpr"), "ratio"), Math.min),
    equal_opportunity_difference: naivePairs(r("tpr"), "difference"),
    predictive_parity_ratio: naivePairs(r("ppv"), "ratio"),
    false_negative_rate_difference: naivePairs(r("fnr"), "difference"),
    accuracy_difference: naivePairs(r("accuracy"), "difference"),
  };
}

const rowsArb = fc
  .array(fc.tuple(fc.constantFrom("a", "b", "c", "d"), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 5 })), {
    minLength: 1,
    maxLength: 80,
  })
  .map((t) => ({ group: t.map((x) => x[0]), y: t.map((x) => x[1]), d: t.map((x) => x[2]), w: t.map((x) => x[3]) }));

// ---------------------------------------------------------------------------------------------

describe("attributeFairness on a hand-worked example", () => {
  // A: (y, ŷ) = (1,1) (1,0) (0,1) (0,0) (1,1) → tp 2, fn 1, fp 1, tn 1
  // B: (1,0) (0,0) (0,0) (1,1)                → tp 1, fn 1, fp 0, tn 2
  const rows: Rows = {
    group: ["A", "A", "A", "A", "A", "B", "B", "B", "B"],
    y: [1, 1, 0, 0, 1, 1, 0, 0, 1],
    d: [1, 0, 1, 0, 1, 0, 0, 0, 1],
  };
  const r = run(rows);
  const A = r.groups.find((g) => g.group === "A")!;
  const B = r.groups.find((g) => g.group === "B")!;

  it("computes every group rate with its denominator", () => {
    expect(A.confusion).toEqual({ tp: 2, fp: 1, tn: 1, fn: 1 });
    expect(A.rates.selection_rate).toEqual({ value: 0.6, denominator: 5 });
    expect(A.rates.tpr!.value).toBeCloseTo(2 / 3, 15);
    expect(A.rates.fpr).toEqual({ value: 0.5, denominator: 2 });
    expect(A.rates.base_rate!.value).toBeCloseTo(0.6, 15);
    expect(B.rates.selection_rate).toEqual({ value: 0.25, denominator: 4 });
    expect(B.rates.fpr).toEqual({ value: 0, denominator: 2 });
    expect(B.rates.ppv).toEqual({ value: 1, denominator: 1 });
    expect(B.rates.npv!.value).toBeCloseTo(2 / 3, 15);
  });

  it("computes Fairlearn-style differences and ratios", () => {
    expect(r.aggregates.demographic_parity_difference!.value).toBeCloseTo(0.35, 15);
    expect(r.aggregates.demographic_parity_ratio!.value).toBeCloseTo(0.25 / 0.6, 15);
    expect(r.aggregates.equalized_odds_difference!.value).toBeCloseTo(0.5, 15); // max(1/6, 1/2)
    expect(r.aggregates.equalized_odds_ratio!.value).toBe(0); // min(0.75, 0/0.5)
    expect(r.aggregates.equal_opportunity_ratio!.value).toBeCloseTo(0.75, 15);
  });

  it("uses the largest group as reference, with Aequitas disparities and the 0.8 rule", () => {
    expect(r.reference).toEqual({ group: "A", source: "largest" });
    expect(B.disparities.selection_rate!.value).toBeCloseTo(0.25 / 0.6, 15);
    expect(B.disparities.selection_rate!.pass).toBe(false);
    expect(B.disparities.ppv!.value).toBeCloseTo(1.5, 15);
    expect(B.disparities.ppv!.pass).toBe(false);
    expect(B.disparities.tpr!.value).toBeCloseTo(0.75, 15);
    expect(A.disparities.fpr).toEqual({ value: 1, pass: true });
  });

  it("computes LL144 impact ratios against the highest selection rate", () => {
    expect(A.impactRatio.value).toBe(1);
    expect(B.impactRatio.value).toBeCloseTo(0.25 / 0.6, 15);
  });

  it("under positive_decision harm, the favourable rate is 1 − selection and the most-flagged group has the lowest impact ratio", () => {
    const h = run(rows, { positiveDecision: "harm" });
    const hA = h.groups.find((g) => g.group === "A")!;
    const hB = h.groups.find((g) => g.group === "B")!;
    // A is flagged 3 of 5 (favourable 0.4), B 1 of 4 (favourable 0.75): A is disadvantaged
    expect(hA.rates.favorable_rate).toEqual({ value: 0.4, denominator: 5 });
    expect(hB.rates.favorable_rate).toEqual({ value: 0.75, denominator: 4 });
    expect(hA.impactRatio.value).toBeCloseTo(0.4 / 0.75, 15);
    expect(hB.impactRatio.value).toBe(1);
    // symmetric Fairlearn metrics and the selection rate itself do not change
    expect(h.aggregates.demographic_parity_ratio!.value).toBe(r.aggregates.demographic_parity_ratio!.value);
    expect(hA.rates.selection_rate).toEqual(A.rates.selection_rate);
    // under benefit the favourable rate is the selection rate
    expect(A.rates.favorable_rate).toEqual(A.rates.selection_rate);
  });

  it("honours a reference group from the spec", () => {
    const rb = run(rows, { reference: "B" });
    expect(rb.reference).toEqual({ group: "B", source: "spec" });
    expect(rb.groups.find((g) => g.group === "A")!.disparities.selection_rate!.value).toBeCloseTo(0.6 / 0.25, 15);
    // B's FPR is 0: every FPR disparity against it is undefined, with a warning
    const w: ReportWarning[] = [];
    const rz = run(rows, { reference: "B" }, w);
    expect(rz.groups.find((g) => g.group === "A")!.disparities.fpr).toEqual({ value: null, pass: null });
    expect(w.some((x) => x.code === "zero_reference_rate" && x.message.includes("fpr"))).toBe(true);
  });
});

describe("null handling, small groups and exclusions", () => {
  it("leaves a group without positives out of TPR aggregates instead of counting 0", () => {
    const rows: Rows = {
      group: ["A", "A", "A", "A", "B", "B", "C", "C", "C"],
      y: [1, 1, 0, 0, 1, 0, 0, 0, 0],
      d: [1, 0, 0, 1, 1, 0, 1, 0, 0],
    };
    const warnings: ReportWarning[] = [];
    const r = run(rows, {}, warnings);
    const C = r.groups.find((g) => g.group === "C")!;
    expect(C.rates.tpr).toEqual({ value: null, denominator: 0 });
    // TPR: A 0.5, B 1 (C undefined) → 0.5; Fairlearn would use C = 0 and report 1
    expect(r.aggregates.equal_opportunity_difference).toMatchObject({ value: 0.5, groups: 2 });
    expect(warnings.find((w) => w.code === "undefined_rate" && w.group === "C")!.message).toMatch(/no positive labels.*Fairlearn/);
  });

  it("makes an aggregate over fewer than two defined groups null, never 0 or 1", () => {
    const r = run({ group: ["A", "A", "B"], y: [1, 0, 0], d: [1, 0, 1] });
    expect(r.aggregates.equal_opportunity_difference).toMatchObject({ value: null, groups: 1 });
    expect(r.aggregates.equalized_odds_ratio!.value).toBeNull();
    expect(r.aggregates.demographic_parity_difference!.value).toBe(0.5);
  });

  it("gives a demographic parity ratio of 1 when no group is selected", () => {
    const r = run({ group: ["A", "B"], y: [1, 0], d: [0, 0] });
    expect(r.aggregates.demographic_parity_ratio!.value).toBe(1);
    expect(r.aggregates.demographic_parity_difference!.value).toBe(0);
  });

  it("flags groups under 30 rows and excludes groups under min_group_size from aggregates", () => {
    const group = [...Array(40).fill("big"), ...Array(35).fill("mid"), ...Array(5).fill("tiny")];
    const y = group.map((_, i) => i % 2);
    const d = group.map((g, i) => (g === "tiny" ? 1 : i % 3 === 0 ? 1 : 0));
    const warnings: ReportWarning[] = [];
    const r = run({ group, y, d }, { minGroupSize: 10 }, warnings);
    const tiny = r.groups.find((g) => g.group === "tiny")!;
    expect(tiny).toMatchObject({ small: true, excluded: true, n: 5 });
    expect(r.groups.find((g) => g.group === "mid")).toMatchObject({ small: false, excluded: false });
    expect(r.excluded).toEqual([{ group: "tiny", n: 5, reason: "n = 5 < min_group_size 10" }]);
    const naive = naiveAggregates({ group: group.filter((g) => g !== "tiny"), y: y.filter((_, i) => group[i] !== "tiny"), d: d.filter((_, i) => group[i] !== "tiny") });
    expect(r.aggregates.demographic_parity_difference!.value).toBeCloseTo(naive.demographic_parity_difference!, 15);
    expect(warnings.some((w) => w.code === "group_excluded" && w.group === "tiny")).toBe(true);
  });

  it("leaves groups below min_group_share of the rows (or of the weight) out of aggregates and impact ratios, naming them", () => {
    // 97 rows of "big", 2 of "x" (2.0%), 1 of "y" (1.0%): a share of 0.02 keeps x, drops y
    const group = [...Array(97).fill("big"), "x", "x", "y"];
    const y = group.map((_, i) => i % 2);
    const d = group.map((g, i) => (g === "y" ? 1 : g === "x" ? 0 : i % 4 === 0 ? 1 : 0));
    const warnings: ReportWarning[] = [];
    const r = run({ group, y, d }, { minGroupShare: 0.02 }, warnings);
    expect(r.groups.find((g) => g.group === "y")).toMatchObject({ excluded: true, n: 1 });
    expect(r.groups.find((g) => g.group === "x")).toMatchObject({ excluded: false });
    expect(r.excluded).toEqual([{ group: "y", n: 1, reason: "1% of the rows < min_group_share 2%" }]);
    // y was selected (rate 1): excluded, it no longer sets the impact ratios' maximum
    const big = r.groups.find((g) => g.group === "big")!;
    expect(big.impactRatio.value).toBe(1);
    expect(r.groups.find((g) => g.group === "y")!.impactRatio.value).toBeCloseTo(1 / big.rates.selection_rate!.value!, 12);
    expect(warnings.find((w) => w.code === "group_excluded")!.message).toMatch(/group "y" \(n = 1; 1% of the rows < min_group_share 2%\) is reported but left out of the aggregates and impact ratios/);
    // weighted: the share is of the total weight (y carries half of it)
    const w = group.map((g) => (g === "y" ? 99 : 1));
    const rw = run({ group, y, d, w }, { minGroupShare: 0.02 });
    expect(rw.excluded.map((x) => x.group)).toEqual(["x"]);
  });

  it("makes missing values their own unknown group", () => {
    const r = run({ group: ["A", "", "A", ""], y: [1, 0, 1, 1], d: [1, 0, 0, 1] });
    const missing = r.groups.find((g) => g.group === MISSING_GROUP)!;
    expect(missing).toMatchObject({ n: 2, unknown: true });
    expect(r.groups.map((g) => g.group)).toEqual(["A", MISSING_GROUP]);
  });
});

describe("properties (fast-check)", () => {
  it("aggregates equal a naive pairwise implementation, weighted and unweighted", () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), (rows, weighted) => {
        const input = weighted ? rows : { ...rows, w: undefined };
        const r = run(input);
        const naive = naiveAggregates(input);
        for (const [id, v] of Object.entries(naive)) {
          const got = r.aggregates[id]!.value;
          if (v === null) expect(got).toBeNull();
          else expect(got).toBeCloseTo(v, 12);
        }
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it("differences are ≥ 0, ratios in [0, 1], impact ratios in [0, 1]", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const r = run(rows);
        for (const [id, a] of Object.entries(r.aggregates)) {
          if (a.value === null) continue;
          if (id.endsWith("_difference")) expect(a.value).toBeGreaterThanOrEqual(0);
          else {
            expect(a.value).toBeGreaterThanOrEqual(0);
            expect(a.value).toBeLessThanOrEqual(1);
          }
        }
        for (const g of r.groups) if (g.impactRatio.value !== null) expect(g.impactRatio.value).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("are invariant to relabeling groups", () => {
    fc.assert(
      fc.property(rowsArb, fc.shuffledSubarray(["q", "r", "s", "t"], { minLength: 4, maxLength: 4 }), (rows, names) => {
        const rename = Object.fromEntries(["a", "b", "c", "d"].map((g, i) => [g, names[i]!]));
        const r1 = run(rows);
        const r2 = run({ ...rows, group: rows.group.map((g) => rename[g]!) });
        for (const id of Object.keys(r1.aggregates)) expect(r2.aggregates[id]!.value).toEqual(r1.aggregates[id]!.value);
        for (const g of r1.groups) {
          const h = r2.groups.find((x) => x.group === rename[g.group])!;
          expect(h.rates).toEqual(g.rates);
          expect(h.impactRatio).toEqual(g.impactRatio);
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it("bootstrap intervals contain the point estimate on non-degenerate data", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 60, max: 300 }), fc.double({ min: 0.2, max: 0.8, noNaN: true }), fc.double({ min: 0.2, max: 0.8, noNaN: true })), {
          minLength: 2,
          maxLength: 3,
        }),
        fc.integer(),
        (spec, seed) => {
          const rng = createRng(seed);
          const rows: Rows = { group: [], y: [], d: [] };
          spec.forEach(([n, py, pd], k) => {
            for (let i = 0; i < n; i++) {
              rows.group.push(`g${k}`);
              rows.y.push(rng.next() < py ? 1 : 0);
              rows.d.push(rng.next() < pd ? 1 : 0);
            }
          });
          const r = run(rows, { bootstrap: 200, rng: createRng(seed + 1) });
          for (const g of r.groups) {
            for (const id of ["selection_rate", "base_rate", "accuracy"]) {
              const rate = g.rates[id]!;
              expect(rate.ci).toBeTruthy();
              expect(rate.ci![0]).toBeLessThanOrEqual(rate.value!);
              expect(rate.ci![1]).toBeGreaterThanOrEqual(rate.value!);
            }
          }
        },
      ),
      { numRuns: 40, seed: 6 },
    );
  });
});

describe("stratified bootstrap", () => {
  const n = 400;
  const rows: Rows = { group: [], y: [], d: [] };
  const rng = createRng(9);
  for (let i = 0; i < n; i++) {
    rows.group.push(i < 300 ? "A" : "B");
    rows.y.push(rng.next() < 0.4 ? 1 : 0);
    rows.d.push(rng.next() < 0.3 ? 1 : 0);
  }

  it("is reproducible with a seed", () => {
    const a = run(rows, { bootstrap: 300, rng: createRng(11) });
    const b = run(rows, { bootstrap: 300, rng: createRng(11) });
    expect(a).toEqual(b);
  });

  it("gives the binomial standard error for a selection rate (multinomial over cells; 10% tolerance)", () => {
    const r = run(rows, { bootstrap: 4000, rng: createRng(12) });
    const A = r.groups.find((g) => g.group === "A")!.rates.selection_rate!;
    const p = A.value!;
    const se = Math.sqrt((p * (1 - p)) / 300);
    const width = A.ci![1] - A.ci![0];
    expect(width / (2 * 1.96 * se)).toBeGreaterThan(0.9);
    expect(width / (2 * 1.96 * se)).toBeLessThan(1.1);
  });

  it("weighted resampling with equal weights agrees with the unweighted intervals (±0.02)", () => {
    const u = run(rows, { bootstrap: 2000, rng: createRng(13) });
    const w = run({ ...rows, w: rows.group.map(() => 2) }, { bootstrap: 2000, rng: createRng(14) });
    for (const g of ["A", "B"]) {
      const cu = u.groups.find((x) => x.group === g)!.rates.tpr!.ci!;
      const cw = w.groups.find((x) => x.group === g)!.rates.tpr!.ci!;
      expect(Math.abs(cu[0] - cw[0])).toBeLessThan(0.02);
      expect(Math.abs(cu[1] - cw[1])).toBeLessThan(0.02);
    }
  });

  it("weighted intervals with large cells (normal approximation) agree with naive row resampling (±0.006)", () => {
    const r0 = createRng(21);
    const big: Rows & { w: number[] } = { group: [], y: [], d: [], w: [] };
    for (let i = 0; i < 8000; i++) {
      big.group.push(i < 5000 ? "A" : "B");
      big.y.push(r0.next() < 0.45 ? 1 : 0);
      big.d.push(r0.next() < (big.y[i] ? 0.7 : 0.3) ? 1 : 0);
      big.w.push(Math.exp(r0.normal())); // skewed, like census weights
    }
    const r = run(big, { bootstrap: 2000, rng: createRng(22) });
    // naive: resample each group's rows with replacement, recompute the weighted rate
    const naive = (g: string, rate: (y: number[], d: number[], w: number[]) => number) => {
      const idx = big.group.map((x, i) => (x === g ? i : -1)).filter((i) => i >= 0);
      const rr = createRng(23);
      const values: number[] = [];
      for (let b = 0; b < 2000; b++) {
        const pick = idx.map(() => idx[rr.int(idx.length)]!);
        values.push(rate(pick.map((i) => big.y[i]!), pick.map((i) => big.d[i]!), pick.map((i) => big.w[i]!)));
      }
      values.sort((a, b) => a - b);
      return [values[Math.round(0.025 * 1999)]!, values[Math.round(0.975 * 1999)]!];
    };
    const sel = (y: number[], d: number[], w: number[]) => d.reduce((s, v, i) => s + v * w[i]!, 0) / w.reduce((a, b) => a + b, 0);
    const tpr = (y: number[], d: number[], w: number[]) => {
      let num = 0;
      let den = 0;
      y.forEach((v, i) => {
        if (v) {
          den += w[i]!;
          num += d[i]! * w[i]!;
        }
      });
      return num / den;
    };
    for (const g of ["A", "B"]) {
      const grp = r.groups.find((x) => x.group === g)!;
      for (const [id, f] of [["selection_rate", sel], ["tpr", tpr]] as const) {
        const ci = grp.rates[id]!.ci!;
        const ref = naive(g, f);
        expect(Math.abs(ci[0] - ref[0]!)).toBeLessThan(0.006);
        expect(Math.abs(ci[1] - ref[1]!)).toBeLessThan(0.006);
      }
    }
  });

  it("gives intervals for disparities and aggregates", () => {
    const r = run(rows, { bootstrap: 500, rng: createRng(15) });
    const dp = r.aggregates.demographic_parity_difference!;
    expect(dp.ci![0]).toBeLessThanOrEqual(dp.ci![1]);
    expect(r.groups.find((g) => g.group === "B")!.disparities.selection_rate!.ci).toBeTruthy();
    expect(r.groups.find((g) => g.group === "A")!.disparities.selection_rate!.ci).toBeNull(); // the reference itself
  });
});

describe("intersections", () => {
  it("names every combination present and counts its rows", () => {
    const race = column("race", ["x", "x", "y", "y", "x", ""]);
    const sex = column("sex", ["F", "M", "F", "F", "F", "M"]);
    const g = intersect([groupByColumn(race), groupByColumn(sex)]);
    expect(g.attribute).toBe("race & sex");
    expect(g.names).toEqual(["race=x & sex=F", "race=x & sex=M", "race=y & sex=F", "race=(missing) & sex=M"]);
    expect(g.unknown).toEqual([false, false, false, true]);
    expect(Array.from(g.groupOf)).toEqual([0, 1, 2, 2, 0, 3]);
  });
});
