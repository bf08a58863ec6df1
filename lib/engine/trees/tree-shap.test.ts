import { createRng, type Rng } from "../random";
import { ensembleMargins, SPLIT_MODE, type Tree, type TreeEnsemble } from "./ensemble";
import { createTreeShapExplainer } from "./tree-shap";
import { bruteForceShapley, interventionalValue } from "../../../tests/helpers/shapley";

/** A random tree of the given depth over `width` inputs (leaves may come early). */
function randomTree(rng: Rng, width: number, depth: number, opts: { modes?: number[]; nanRate?: number; thresholds?: number[] } = {}): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const mode: number[] = [];
  const yes: number[] = [];
  const no: number[] = [];
  const missingYes: number[] = [];
  const value: number[] = [];
  const add = (d: number): number => {
    const k = feature.length;
    feature.push(-1);
    threshold.push(0);
    mode.push(0);
    yes.push(-1);
    no.push(-1);
    missingYes.push(0);
    value.push(0);
    if (d === depth || (d > 1 && rng.next() < 0.15)) {
      value[k] = rng.normal();
      return k;
    }
    feature[k] = Math.floor(rng.next() * width);
    threshold[k] = Math.fround(opts.thresholds ? opts.thresholds[Math.floor(rng.next() * opts.thresholds.length)]! : rng.normal() * 0.8);
    mode[k] = opts.modes ? opts.modes[Math.floor(rng.next() * opts.modes.length)]! : SPLIT_MODE.LT;
    missingYes[k] = rng.next() < 0.5 ? 1 : 0;
    yes[k] = add(d + 1);
    no[k] = add(d + 1);
    return k;
  };
  add(0);
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    mode: Uint8Array.from(mode),
    yes: Int32Array.from(yes),
    no: Int32Array.from(no),
    missingYes: Uint8Array.from(missingYes),
    value: Float64Array.from(value),
  };
}

/** Brute force: v(S) for every coalition by evaluating hybrid points, then the Shapley formula. */
function bruteForceTreeShapley(e: TreeEnsemble, x: Float32Array, bg: Float32Array, nb: number, w: Float64Array, playerOf: Int32Array, M: number, d: number): Float64Array {
  return bruteForceShapley(M, interventionalValue(x, bg, nb, d, playerOf, (h) => ensembleMargins(e, h, nb, d), w));
}

describe("interventional TreeSHAP", () => {
  it.each([
    { seed: 1, M: 4, trees: 3, depth: 3, nb: 7, blocks: false, nan: false },
    { seed: 2, M: 7, trees: 10, depth: 5, nb: 20, blocks: false, nan: false },
    { seed: 3, M: 10, trees: 8, depth: 6, nb: 15, blocks: false, nan: true },
    { seed: 4, M: 6, trees: 12, depth: 4, nb: 12, blocks: true, nan: true },
    // more than 128 background rows: the walker with row sets in typed arrays
    { seed: 5, M: 6, trees: 6, depth: 5, nb: 150, blocks: true, nan: true },
    { seed: 6, M: 5, trees: 4, depth: 4, nb: 300, blocks: false, nan: false },
  ])("equals brute-force Shapley values of the same game within 1e-9 ($M players, $trees trees of depth $depth, $nb background rows, blocks $blocks, NaN $nan)", ({ seed, M, trees, depth, nb, blocks, nan }) => {
    const rng = createRng(seed);
    // players: with blocks, player j owns inputs 2j and 2j+1 (a two-input block moving together)
    const d = blocks ? 2 * M : M;
    const playerOf = Int32Array.from({ length: d }, (_, t) => (blocks ? t >> 1 : t));
    const modes = [SPLIT_MODE.LT, SPLIT_MODE.LEQ, SPLIT_MODE.GT, SPLIT_MODE.GTE];
    // coarse values so that ties with thresholds (and so ≤ vs <) actually happen
    const grid = [-1, -0.5, 0, 0.5, 1];
    const e: TreeEnsemble = {
      trees: Array.from({ length: trees }, () => randomTree(rng, d, depth, { modes, thresholds: grid })),
      base: 0.3,
      transform: "logistic",
      units: "log-odds",
      source: "test",
    };
    const draw = () => (nan && rng.next() < 0.1 ? NaN : grid[Math.floor(rng.next() * grid.length)]!);
    const bg = Float32Array.from({ length: nb * d }, draw);
    const raw = Array.from({ length: nb }, () => rng.next() + 0.1);
    const w = Float64Array.from(raw, (v) => v / raw.reduce((a, b) => a + b, 0));
    const explainer = createTreeShapExplainer(e, { x: bg, rows: nb, weights: w }, playerOf, M, d);
    let checked = 0;
    for (let r = 0; r < 5; r++) {
      const x = Float32Array.from({ length: d }, draw);
      const { phi, margins } = explainer.explain(x, 1);
      const brute = bruteForceTreeShapley(e, x, bg, nb, w, playerOf, M, d);
      for (let i = 0; i < M; i++) {
        expect(Math.abs(phi[i]! - brute[i]!)).toBeLessThan(1e-9);
        checked++;
      }
      // efficiency: Σφ = margin(x) − v(∅)
      expect(Math.abs(phi.reduce((a, b) => a + b, 0) - (margins[0]! - explainer.baseValue))).toBeLessThan(1e-9);
      expect(margins[0]).toBeCloseTo(ensembleMargins(e, x, 1, d)[0]!, 12);
    }
    expect(checked).toBe(5 * M);
  });

  it("gives exactly 0 to a player no tree splits on, and explains many rows at once like one at a time", () => {
    const rng = createRng(9);
    const d = 6;
    // input 5 is never split on
    const e: TreeEnsemble = { trees: Array.from({ length: 20 }, () => randomTree(rng, 5, 5)), base: -0.2, transform: "logistic", units: "log-odds", source: "test" };
    const nb = 30;
    const bg = Float32Array.from({ length: nb * d }, () => rng.normal());
    const w = new Float64Array(nb).fill(1 / nb);
    const ex = createTreeShapExplainer(e, { x: bg, rows: nb, weights: w }, Int32Array.from({ length: d }, (_, t) => t), d, d);
    const rows = 8;
    const x = Float32Array.from({ length: rows * d }, () => rng.normal());
    const all = ex.explain(x, rows);
    for (let r = 0; r < rows; r++) {
      expect(all.phi[r * d + 5]).toBe(0);
      const one = ex.explain(x.subarray(r * d, (r + 1) * d), 1);
      for (let j = 0; j < d; j++) expect(all.phi[r * d + j]).toBe(one.phi[j]);
    }
    // the base value is the weighted mean margin of the background
    const bm = ensembleMargins(e, bg, nb, d);
    expect(ex.baseValue).toBeCloseTo(bm.reduce((a, b) => a + b, 0) / nb, 12);
  });

  it("a single stump: φ of its feature is the leaf difference times the background share that goes the other way (closed form)", () => {
    // margin = 1 if x0 < 0 else −1; background: 3 rows with x0 < 0, 1 row with x0 ≥ 0 (equal weights)
    const stump: Tree = {
      feature: Int32Array.of(0, -1, -1),
      threshold: Float64Array.of(0, 0, 0),
      mode: Uint8Array.of(SPLIT_MODE.LT, 0, 0),
      yes: Int32Array.of(1, -1, -1),
      no: Int32Array.of(2, -1, -1),
      missingYes: Uint8Array.of(1, 0, 0),
      value: Float64Array.of(0, 1, -1),
    };
    const e: TreeEnsemble = { trees: [stump], base: 0, transform: "logistic", units: "log-odds", source: "test" };
    const bg = Float32Array.of(-1, 5, -2, 5, -3, 5, 4, 5); // 4 rows × 2 inputs
    const ex = createTreeShapExplainer(e, { x: bg, rows: 4, weights: new Float64Array(4).fill(0.25) }, Int32Array.of(0, 1), 2, 2);
    expect(ex.baseValue).toBeCloseTo(0.75 * 1 + 0.25 * -1, 15);
    const { phi } = ex.explain(Float32Array.of(7, 0), 1); // x goes to −1: φ0 = −1 − 0.5
    expect(phi[0]).toBeCloseTo(-1.5, 15);
    expect(phi[1]).toBe(0);
  });
});
