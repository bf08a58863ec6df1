// Shapley values by brute force, independent of every algorithm under test: the subset formula
// φ_i = Σ_{S ⊆ N∖{i}} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)) over all 2^M coalitions, with v(S)
// given by the caller for coalitions as bit masks (bit j = player j in S), each evaluated once.

export function bruteForceShapley(M: number, value: (S: number) => number): Float64Array {
  const v = new Float64Array(1 << M);
  for (let S = 0; S < 1 << M; S++) v[S] = value(S);
  const fact = [1];
  for (let k = 1; k <= M; k++) fact.push(fact[k - 1]! * k);
  const phi = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    for (let S = 0; S < 1 << M; S++) {
      if ((S >> i) & 1) continue;
      let k = 0;
      for (let j = 0; j < M; j++) k += (S >> j) & 1;
      phi[i] = phi[i]! + ((fact[k]! * fact[M - k - 1]!) / fact[M]!) * (v[S | (1 << i)]! - v[S]!);
    }
  }
  return phi;
}

/** v(S) = Σ_b w_b f(hybrid_b(S)) in margin space for a tree-like scorer: `score` takes nb hybrid rows. */
export function interventionalValue(x: Float32Array, bg: Float32Array, nb: number, d: number, playerOf: Int32Array, score: (rows: Float32Array) => ArrayLike<number>, weights?: ArrayLike<number>): (S: number) => number {
  const h = new Float32Array(nb * d);
  return (S) => {
    for (let b = 0; b < nb; b++) for (let t = 0; t < d; t++) h[b * d + t] = (S >> playerOf[t]!) & 1 ? x[t]! : bg[b * d + t]!;
    const m = score(h);
    let s = 0;
    for (let b = 0; b < nb; b++) s += (weights ? weights[b]! : 1 / nb) * m[b]!;
    return s;
  };
}
