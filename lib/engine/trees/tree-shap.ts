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
  // four words at least: backgrounds of up to 128 rows take the walker whose row sets are four
  // 32-bit integers passed as arguments (no memory traffic for the partitions)
  const words = Math.max(4, Math.ceil(nb / 32));
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
  const uniformWeight = uniform ? (w[0] ?? 0) : -1;
  /** Total weight of the rows in word q of a row set. */
  const wordWeight = (v: number, q: number): number => {
    if (uniformWeight >= 0) return popcount(v) * uniformWeight;
    let W = 0;
    while (v !== 0) {
      const low = v & -v;
      W += w[(q << 5) + (31 - Math.clz32(low))]!;
      v ^= low;
    }
    return W;
  };
  const weightOf = (set: Int32Array, at: number): number => {
    let W = 0;
    for (let q = 0; q < words; q++) W += wordWeight(set[at + q]!, q);
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
  // per explained row: where it goes at each node of the current tree (1 = yes)
  let maxNodes = 1;
  for (const pt of prepared) maxNodes = Math.max(maxNodes, pt.tree.feature.length);
  const xYes = new Uint8Array(maxNodes);
  // the walk's counters and output, as closure variables (faster than object properties here)
  let nA = 0;
  let nB = 0;
  let po = 0;
  let phiOut = new Float64Array(0);

  /** A leaf reached by rows of total weight W: value·W shared out to the players in A and B. */
  const leaf = (value: number, W: number): void => {
    if (nA + nB === 0 || value === 0) return;
    const v = value * W;
    const phi = phiOut;
    const ca = v * coefA[nA * L + nB]!;
    const cb = v * coefB[nA * L + nB]!;
    for (let q = 0; q < nA; q++) phi[po + inA[q]!] = phi[po + inA[q]!]! + ca;
    for (let q = 0; q < nB; q++) phi[po + inB[q]!] = phi[po + inB[q]!]! - cb;
  };

  /** One walker per tree, its arrays held as constants of the closure (the hot loop). Leaves are
   *  handled without a call, and a player already in A is followed in a loop. */
  const walkers = prepared.map(({ tree, bgYes }) => {
    const { feature, yes, no, value } = tree;
    const walk = (start: number, set: Int32Array, at: number, depth: number): void => {
      let node = start;
      let f = feature[node]!;
      let p = playerOf[f]!;
      // players already in A: every row follows x
      while (status[p] === 1) {
        node = xYes[node] ? yes[node]! : no[node]!;
        f = feature[node]!;
        if (f < 0) {
          leaf(value[node]!, weightOf(set, at));
          return;
        }
        p = playerOf[f]!;
      }
      const goesX = xYes[node]!;
      const nodeAt = node * words;
      const out = depth * words;
      let anyA = 0;
      let anyB = 0;
      if (status[p] === 2) {
        // every row its own way: A = rows going yes, B = rows going no
        for (let q = 0; q < words; q++) {
          const s = set[at + q]!;
          const y = bgYes[nodeAt + q]!;
          anyA |= stackA[out + q] = s & y;
          anyB |= stackB[out + q] = s & ~y;
        }
        const y = yes[node]!;
        const n = no[node]!;
        if (anyA) {
          if (feature[y]! < 0) leaf(value[y]!, weightOf(stackA, out));
          else walk(y, stackA, out, depth + 1);
        }
        if (anyB) {
          if (feature[n]! < 0) leaf(value[n]!, weightOf(stackB, out));
          else walk(n, stackB, out, depth + 1);
        }
        return;
      }
      // free player: A = rows agreeing with x, B = rows disagreeing
      for (let q = 0; q < words; q++) {
        const s = set[at + q]!;
        const y = goesX ? bgYes[nodeAt + q]! : ~bgYes[nodeAt + q]!;
        anyA |= stackA[out + q] = s & y;
        anyB |= stackB[out + q] = s & ~y;
      }
      const xChild = goesX ? yes[node]! : no[node]!;
      const zChild = goesX ? no[node]! : yes[node]!;
      const xLeaf = feature[xChild]! < 0;
      if (anyA) {
        if (xLeaf) leaf(value[xChild]!, weightOf(stackA, out));
        else walk(xChild, stackA, out, depth + 1);
      }
      if (anyB) {
        status[p] = 1;
        inA[nA++] = p;
        if (xLeaf) leaf(value[xChild]!, weightOf(stackB, out));
        else walk(xChild, stackB, out, depth + 1);
        nA--;
        status[p] = 2;
        inB[nB++] = p;
        if (feature[zChild]! < 0) leaf(value[zChild]!, weightOf(stackB, out));
        else walk(zChild, stackB, out, depth + 1);
        nB--;
        status[p] = 0;
      }
    };
    return walk;
  });

  /** The weight of a row set given as four words (backgrounds of at most 128 rows). */
  const weight4 =
    uniformWeight >= 0
      ? (a: number, b: number, c: number, d: number): number => (popcount(a) + popcount(b) + popcount(c) + popcount(d)) * uniformWeight
      : (a: number, b: number, c: number, d: number): number => wordWeight(a, 0) + wordWeight(b, 1) + wordWeight(c, 2) + wordWeight(d, 3);
  const walkers4 = prepared.map(({ tree, bgYes }) => {
    const { feature, yes, no, value } = tree;
    const walk = (start: number, s0: number, s1: number, s2: number, s3: number): void => {
      let node = start;
      let f = feature[node]!;
      let p = playerOf[f]!;
      while (status[p] === 1) {
        node = xYes[node] ? yes[node]! : no[node]!;
        f = feature[node]!;
        if (f < 0) {
          leaf(value[node]!, weight4(s0, s1, s2, s3));
          return;
        }
        p = playerOf[f]!;
      }
      const k = node * 4;
      const y0 = bgYes[k]!;
      const y1 = bgYes[k + 1]!;
      const y2 = bgYes[k + 2]!;
      const y3 = bgYes[k + 3]!;
      if (status[p] === 2) {
        const a0 = s0 & y0, a1 = s1 & y1, a2 = s2 & y2, a3 = s3 & y3;
        const b0 = s0 & ~y0, b1 = s1 & ~y1, b2 = s2 & ~y2, b3 = s3 & ~y3;
        const yc = yes[node]!;
        const nc = no[node]!;
        if (a0 | a1 | a2 | a3) {
          if (feature[yc]! < 0) leaf(value[yc]!, weight4(a0, a1, a2, a3));
          else walk(yc, a0, a1, a2, a3);
        }
        if (b0 | b1 | b2 | b3) {
          if (feature[nc]! < 0) leaf(value[nc]!, weight4(b0, b1, b2, b3));
          else walk(nc, b0, b1, b2, b3);
        }
        return;
      }
      const goesX = xYes[node]!;
      const g0 = goesX ? y0 : ~y0, g1 = goesX ? y1 : ~y1, g2 = goesX ? y2 : ~y2, g3 = goesX ? y3 : ~y3;
      const a0 = s0 & g0, a1 = s1 & g1, a2 = s2 & g2, a3 = s3 & g3;
      const b0 = s0 & ~g0, b1 = s1 & ~g1, b2 = s2 & ~g2, b3 = s3 & ~g3;
      const xChild = goesX ? yes[node]! : no[node]!;
      const zChild = goesX ? no[node]! : yes[node]!;
      const xLeaf = feature[xChild]! < 0;
      if (a0 | a1 | a2 | a3) {
        if (xLeaf) leaf(value[xChild]!, weight4(a0, a1, a2, a3));
        else walk(xChild, a0, a1, a2, a3);
      }
      if (b0 | b1 | b2 | b3) {
        status[p] = 1;
        inA[nA++] = p;
        if (xLeaf) leaf(value[xChild]!, weight4(b0, b1, b2, b3));
        else walk(xChild, b0, b1, b2, b3);
        nA--;
        status[p] = 2;
        inB[nB++] = p;
        if (feature[zChild]! < 0) leaf(value[zChild]!, weight4(b0, b1, b2, b3));
        else walk(zChild, b0, b1, b2, b3);
        nB--;
        status[p] = 0;
      }
    };
    return walk;
  });

  return {
    players,
    baseValue,
    explain(xs, rows, onRows) {
      const out = new Float64Array(rows * players);
      const margins = new Float64Array(rows).fill(e.base);
      phiOut = out;
      for (let r = 0; r < rows; r++) {
        const xo = r * width;
        po = r * players;
        for (let q = 0; q < prepared.length; q++) {
          const tree = prepared[q]!.tree;
          const { feature } = tree;
          const { threshold, mode, missingYes } = tree;
          for (let k = 0; k < feature.length; k++) {
            const f = feature[k]!;
            if (f < 0) continue;
            const v = xs[xo + f]!;
            const thr = threshold[k]!;
            const m = mode[k]!;
            xYes[k] = (v !== v ? missingYes[k] === 1 : m === 0 ? v < thr : m === 1 ? v <= thr : m === 2 ? v > thr : m === 3 ? v >= thr : m === 4 ? v === thr : v !== thr) ? 1 : 0;
          }
          let k = 0;
          while (feature[k]! >= 0) k = xYes[k] ? tree.yes[k]! : tree.no[k]!;
          margins[r] = margins[r]! + tree.value[k]!;
          if (feature[0]! < 0) continue;
          if (words <= 4) walkers4[q]!(0, all[0]!, all[1] ?? 0, all[2] ?? 0, all[3] ?? 0);
          else walkers[q]!(0, all, 0, 0);
        }
        onRows?.(r + 1);
      }
      return { phi: out, margins };
    },
  };
}
