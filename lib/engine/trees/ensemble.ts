// One internal representation of a tree ensemble over the encoded inputs, whatever it came from
// (XGBoost JSON, ONNX TreeEnsembleClassifier/Regressor): margin(x) = base + Σ_t tree_t(x), and
// P(positive) = σ(margin) (logistic) or the margin itself (identity, e.g. random forests that
// average class probabilities). Evaluation follows the source's comparisons exactly: thresholds
// and inputs are float32 values, compared as the source's mode says; NaN takes the node's
// missing-value branch.

/** Node comparison modes: the condition true sends x to `yes`. */
export const SPLIT_MODE = { LT: 0, LEQ: 1, GT: 2, GTE: 3, EQ: 4, NEQ: 5 } as const;
export const SPLIT_MODE_NAME = ["x < t", "x ≤ t", "x > t", "x ≥ t", "x = t", "x ≠ t"] as const;

export interface Tree {
  /** Per node: encoded input index, or −1 for a leaf. Node 0 is the root. */
  feature: Int32Array;
  /** Per node: the split threshold (a float32 value). */
  threshold: Float64Array;
  /** Per node: a SPLIT_MODE. */
  mode: Uint8Array;
  yes: Int32Array;
  no: Int32Array;
  /** Per node: 1 when a missing (NaN) input goes to `yes`. */
  missingYes: Uint8Array;
  /** Per node: the leaf value (0 at internal nodes). */
  value: Float64Array;
}

export interface TreeEnsemble {
  trees: Tree[];
  /** Added to the sum of the trees' leaf values. */
  base: number;
  /** How the margin becomes P(positive). */
  transform: "logistic" | "identity";
  /** Units of the margin, for reports. */
  units: "log-odds" | "probability";
  /** Where the trees came from, for reports. */
  source: string;
}

/** Whether input value v goes to the `yes` child of node k. */
export function goesYes(t: Tree, k: number, v: number): boolean {
  if (v !== v) return t.missingYes[k] === 1;
  const thr = t.threshold[k]!;
  switch (t.mode[k]) {
    case SPLIT_MODE.LT:
      return v < thr;
    case SPLIT_MODE.LEQ:
      return v <= thr;
    case SPLIT_MODE.GT:
      return v > thr;
    case SPLIT_MODE.GTE:
      return v >= thr;
    case SPLIT_MODE.EQ:
      return v === thr;
    default:
      return v !== thr;
  }
}

/** The leaf a row reaches in one tree (x: encoded row at offset `at`). */
export function leafOf(t: Tree, x: ArrayLike<number>, at: number): number {
  let k = 0;
  while (t.feature[k]! >= 0) k = goesYes(t, k, x[at + t.feature[k]!]!) ? t.yes[k]! : t.no[k]!;
  return k;
}

/** All trees in one set of arrays (node indices global), for the scoring loop. */
interface FlatEnsemble {
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  mode: Uint8Array;
  yes: Int32Array;
  no: Int32Array;
  missingYes: Uint8Array;
  value: Float64Array;
}

const flatCache = new WeakMap<TreeEnsemble, FlatEnsemble>();

function flatten(e: TreeEnsemble): FlatEnsemble {
  const cached = flatCache.get(e);
  if (cached) return cached;
  const total = e.trees.reduce((s, t) => s + t.feature.length, 0);
  const f: FlatEnsemble = {
    roots: new Int32Array(e.trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    mode: new Uint8Array(total),
    yes: new Int32Array(total),
    no: new Int32Array(total),
    missingYes: new Uint8Array(total),
    value: new Float64Array(total),
  };
  let off = 0;
  e.trees.forEach((t, q) => {
    f.roots[q] = off;
    f.feature.set(t.feature, off);
    f.threshold.set(t.threshold, off);
    f.mode.set(t.mode, off);
    f.missingYes.set(t.missingYes, off);
    f.value.set(t.value, off);
    for (let k = 0; k < t.feature.length; k++) {
      f.yes[off + k] = t.yes[k]! + off;
      f.no[off + k] = t.no[k]! + off;
    }
    off += t.feature.length;
  });
  flatCache.set(e, f);
  return f;
}

/**
 * margin(x) = base + Σ_t leaf value, for `rows` encoded rows of width d. The hot loop of tree
 * models (scoring, permutation importance, attacks): row by row (the row stays in cache while
 * every tree reads it; 2.5× faster than tree by tree here), all trees in flat arrays, the
 * comparison inlined per node.
 */
export function ensembleMargins(e: TreeEnsemble, x: Float32Array | Float64Array, rows: number, d: number): Float64Array {
  const out = new Float64Array(rows);
  const { roots, feature, threshold, mode, yes, no, missingYes, value } = flatten(e);
  const nt = roots.length;
  for (let i = 0; i < rows; i++) {
    const at = i * d;
    let sum = e.base;
    for (let q = 0; q < nt; q++) {
      let k = roots[q]!;
      let f = feature[k]!;
      while (f >= 0) {
        const v = x[at + f]!;
        let go: boolean;
        if (v !== v) go = missingYes[k] === 1;
        else {
          const m = mode[k]!;
          const thr = threshold[k]!;
          go = m === 0 ? v < thr : m === 1 ? v <= thr : m === 2 ? v > thr : m === 3 ? v >= thr : m === 4 ? v === thr : v !== thr;
        }
        k = go ? yes[k]! : no[k]!;
        f = feature[k]!;
      }
      sum += value[k]!;
    }
    out[i] = sum;
  }
  return out;
}

/** P(positive) from margins, in place. */
export function marginsToProbabilities(e: TreeEnsemble, margins: Float64Array): Float64Array {
  if (e.transform === "logistic") for (let i = 0; i < margins.length; i++) margins[i] = 1 / (1 + Math.exp(-margins[i]!));
  return margins;
}

/** Highest encoded input index any tree reads, plus one (0 for constant ensembles). */
export function inputsRead(e: TreeEnsemble): number {
  let max = -1;
  for (const t of e.trees) for (let k = 0; k < t.feature.length; k++) max = Math.max(max, t.feature[k]!);
  return max + 1;
}

/** Checks node references: children in range, no cycles (each node reached once from the root). */
export function validateTree(t: Tree, where: string): void {
  const n = t.feature.length;
  const seen = new Uint8Array(n);
  const stack = [0];
  while (stack.length) {
    const k = stack.pop()!;
    if (k < 0 || k >= n) throw new Error(`${where}: a node points to node ${k}, which does not exist`);
    if (seen[k]) throw new Error(`${where}: node ${k} is reached twice (not a tree)`);
    seen[k] = 1;
    if (t.feature[k]! >= 0) stack.push(t.yes[k]!, t.no[k]!);
  }
}

/** Depth of the deepest leaf (root = 0). */
export function treeDepth(t: Tree): number {
  const walk = (k: number): number => (t.feature[k]! < 0 ? 0 : 1 + Math.max(walk(t.yes[k]!), walk(t.no[k]!)));
  return walk(0);
}

/** A short description for reports: "100 trees, depth ≤ 6, 2,904 leaves". */
export function describeEnsemble(e: TreeEnsemble): { count: number; maxDepth: number; leaves: number } {
  let leaves = 0;
  let maxDepth = 0;
  for (const t of e.trees) {
    for (let k = 0; k < t.feature.length; k++) if (t.feature[k]! < 0) leaves++;
    maxDepth = Math.max(maxDepth, treeDepth(t));
  }
  return { count: e.trees.length, maxDepth, leaves };
}
