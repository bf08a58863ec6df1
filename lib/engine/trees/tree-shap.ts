// Interventional TreeSHAP (METRICS.md §4.1; Lundberg et al. 2020, "From local explanations to
// global understanding with explainable AI for trees", the interventional algorithm): the exact
// Shapley values of v(S) = Σ_b w_b · margin(x_S ∪ bg_b,¬S), with raw columns as players (every
// encoded input of a column comes from x or from bg_b together).
//
// The game is linear in the trees, and for one tree and one pair (x, z = bg_b) the hybrid point of
// coalition S reaches a leaf L iff, at every split on the path to L, the input comes from x when
// its player is in S and from z otherwise. So the leaf's indicator is a product over the path's
// players: players where x and z agree impose nothing, a player the path follows x on must be in
// S (set A), one it follows z on must be out of S (set B). The Shapley values of the game
// "value · [A ⊆ S, B ∩ S = ∅]" are, for i ∈ A, value·(|A|−1)!|B|!/(|A|+|B|)! and, for i ∈ B,
// −value·|A|!(|B|−1)!/(|A|+|B|)!.
//
// We walk each tree once per explained row with the whole background at once: at a split on a
// free player, the background rows that go x's way follow it unconstrained, the others branch
// twice (x's way with the player in A, their own way with it in B); a player already in A sends
// every row x's way, one in B sends each row its own way. Leaves add their value times the
// weight of the rows that reach them. Cost per row and tree: the sum over visited states of
// their row counts, the same work as pairwise traversal without its per-pair overhead.

import { goesYes, type Tree, type TreeEnsemble } from "./ensemble";

export interface TreeShapBackground {
  /** Encoded background rows (rows × width) and their weights (sum 1). */
  x: Float32Array;
  rows: number;
  weights: Float64Array;
}

export interface TreeShapExplainer {
  /** Players (raw columns). */
  readonly players: number;
  /** v(∅) = Σ_b w_b margin(bg_b). */
  readonly baseValue: number;
  /** φ for `rows` encoded rows: rows × players, and each row's margin. */
  explain(x: Float32Array, rows: number, onRows?: (done: number) => void): { phi: Float64Array; margins: Float64Array };
}

interface PreparedTree {
  tree: Tree;
  /** Per internal node: a bitset over the background rows (words per node), 1 = goes to `yes`. */
  bgYes: Int32Array;
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Prepares the background for an ensemble. playerOf maps each encoded input to its player
 * (0 … players − 1); inputs no tree reads may map anywhere. Row sets are bitsets over the
 * background rows, so splitting a set at a node is a few word operations.
 */
export function createTreeShapExplainer(e: TreeEnsemble, bg: TreeShapBackground, playerOf: Int32Array, players: number, width: number): TreeShapExplainer {
  const nb = bg.rows;
  const words = Math.max(1, Math.ceil(nb / 32));
  let maxDepth = 0;
  const prepared: PreparedTree[] = e.trees.map((tree) => {
    const n = tree.feature.length;
    const bgYes = new Int32Array(n * words);
    for (let k = 0; k < n; k++) {
      const f = tree.feature[k]!;
      if (f < 0) continue;
      for (let b = 0; b < nb; b++) if (goesYes(tree, k, bg.x[b * width + f]!)) bgYes[k * words + (b >>> 5)]! |= 1 << (b & 31);
    }
    const depthOf = (k: number): number => (tree.feature[k]! < 0 ? 0 : 1 + Math.max(depthOf(tree.yes[k]!), depthOf(tree.no[k]!)));
    maxDepth = Math.max(maxDepth, depthOf(0));
    return { tree, bgYes };
  });

  // v(∅): every background row's own margin, weighted
  let baseValue = e.base;
  for (const { tree } of prepared) {
    for (let b = 0; b < nb; b++) {
      let k = 0;
      while (tree.feature[k]! >= 0) k = goesYes(tree, k, bg.x[b * width + tree.feature[k]!]!) ? tree.yes[k]! : tree.no[k]!;
      baseValue += bg.weights[b]! * tree.value[k]!;
    }
  }

  // coefficients: coefA[a][b] = (a−1)! b! / (a+b)!, coefB[a][b] = a! (b−1)! / (a+b)!
  const L = maxDepth + 1;
  const fact = [1];
  for (let i = 1; i <= 2 * L; i++) fact.push(fact[i - 1]! * i);
  const coefA = new Float64Array(L * L);
  const coefB = new Float64Array(L * L);
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < L; b++) {
      if (a > 0) coefA[a * L + b] = (fact[a - 1]! * fact[b]!) / fact[a + b]!;
      if (b > 0) coefB[a * L + b] = (fact[a]! * fact[b - 1]!) / fact[a + b]!;
    }
  }

  const w = bg.weights;
  let uniform = true;
  for (let b = 1; b < nb; b++) if (w[b] !== w[0]) uniform = false;
  const w0 = w[0] ?? 0;
  /** Total weight of a row set. */
  const weightOf = (set: Int32Array, at: number): number => {
    let W = 0;
    if (uniform) {
      for (let q = 0; q < words; q++) W += popcount(set[at + q]!);
      return W * w0;
    }
    for (let q = 0; q < words; q++) {
      let v = set[at + q]!;
      while (v !== 0) {
        const low = v & -v;
        W += w[(q << 5) + (31 - Math.clz32(low))]!;
        v ^= low;
      }
    }
    return W;
  };

  // per-depth bitsets: two partitions per level live while the children are walked
  const stackA = new Int32Array((L + 1) * words);
  const stackB = new Int32Array((L + 1) * words);
  const all = new Int32Array(words);
  for (let b = 0; b < nb; b++) all[b >>> 5]! |= 1 << (b & 31);
  const status = new Int8Array(players); // 0 free, 1 in A (from x), 2 in B (from z)
  const inA = new Int32Array(L);
  const inB = new Int32Array(L);
  let nA = 0;
  let nB = 0;
  // the walk's context (one tree, one explained row), kept in closure variables to avoid allocation
  let tree: Tree = prepared[0]?.tree ?? { feature: new Int32Array(1).fill(-1), threshold: new Float64Array(1), mode: new Uint8Array(1), yes: new Int32Array(1), no: new Int32Array(1), missingYes: new Uint8Array(1), value: new Float64Array(1) };
  let bgYes: Int32Array = new Int32Array(0);
  let x: Float32Array = new Float32Array(0);
  let xo = 0;
  let phi = new Float64Array(0);
  let po = 0;

  const walk = (node: number, set: Int32Array, at: number, depth: number): void => {
    const f = tree.feature[node]!;
    if (f < 0) {
      if (nA + nB === 0) return;
      const v = tree.value[node]! * weightOf(set, at);
      if (v === 0) return;
      const ca = v * coefA[nA * L + nB]!;
      const cb = v * coefB[nA * L + nB]!;
      for (let q = 0; q < nA; q++) phi[po + inA[q]!] = phi[po + inA[q]!]! + ca;
      for (let q = 0; q < nB; q++) phi[po + inB[q]!] = phi[po + inB[q]!]! - cb;
      return;
    }
    const p = playerOf[f]!;
    const st = status[p]!;
    const xYes = goesYes(tree, node, x[xo + f]!);
    const xChild = xYes ? tree.yes[node]! : tree.no[node]!;
    if (st === 1) {
      walk(xChild, set, at, depth + 1);
      return;
    }
    const nodeAt = node * words;
    const out = depth * words;
    let anyA = 0;
    let anyB = 0;
    if (st === 2) {
      // every row its own way: A = rows going yes, B = rows going no
      for (let q = 0; q < words; q++) {
        const s = set[at + q]!;
        const y = bgYes[nodeAt + q]!;
        anyA |= stackA[out + q] = s & y;
        anyB |= stackB[out + q] = s & ~y;
      }
      if (anyA) walk(tree.yes[node]!, stackA, out, depth + 1);
      if (anyB) walk(tree.no[node]!, stackB, out, depth + 1);
      return;
    }
    // free player: A = rows agreeing with x, B = rows disagreeing
    for (let q = 0; q < words; q++) {
      const s = set[at + q]!;
      const y = xYes ? bgYes[nodeAt + q]! : ~bgYes[nodeAt + q]!;
      anyA |= stackA[out + q] = s & y;
      anyB |= stackB[out + q] = s & ~y;
    }
    if (anyA) walk(xChild, stackA, out, depth + 1);
    if (anyB) {
      status[p] = 1;
      inA[nA++] = p;
      walk(xChild, stackB, out, depth + 1);
      nA--;
      status[p] = 2;
      inB[nB++] = p;
      walk(xYes ? tree.no[node]! : tree.yes[node]!, stackB, out, depth + 1);
      nB--;
      status[p] = 0;
    }
  };

  return {
    players,
    baseValue,
    explain(xs, rows, onRows) {
      const out = new Float64Array(rows * players);
      const margins = new Float64Array(rows).fill(e.base);
      x = xs;
      phi = out;
      for (let r = 0; r < rows; r++) {
        xo = r * width;
        po = r * players;
        for (const pt of prepared) {
          tree = pt.tree;
          bgYes = pt.bgYes;
          let k = 0;
          while (tree.feature[k]! >= 0) k = goesYes(tree, k, x[xo + tree.feature[k]!]!) ? tree.yes[k]! : tree.no[k]!;
          margins[r] = margins[r]! + tree.value[k]!;
          walk(0, all, 0, 0);
        }
        onRows?.(r + 1);
      }
      return { phi: out, margins };
    },
  };
}
