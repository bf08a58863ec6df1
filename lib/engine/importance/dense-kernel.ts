// A small WebAssembly SIMD kernel for permutation importance on a one-hidden-layer MLP (a Dense
// layer with relu or no activation, then one output unit through a sigmoid: the common tabular
// network, and the CPS demo's): for each row, z = base + Σ_t ΔX[t]·W_B[t] (the first layer's
// pre-activation of a permuted copy, importance/permuted.ts), a = act(z), logit = a·w2 + b2,
// four hidden units at a time. The whole rest of the model in one pass over the rows, instead of
// six TensorFlow.js operations (with a one-column output layer, which XNNPACK runs at a fraction
// of its speed) per permuted copy. The module is assembled here from its instructions (no build
// step, no binary in the repository).

import { readFloats } from "../backend";
import type { ShallowRest } from "../model/model";

/** What the kernel needs of the model besides the first layer: its activation, the output unit's weights and bias. */
export interface ShallowWeights {
  hidden: "relu" | "linear";
  w2: Float32Array;
  b2: number;
}

// ---- a minimal WebAssembly encoder: only what the kernel uses ----
const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (l: number) => [0x0c, ...uleb(l)],
  brIf: (l: number) => [0x0d, ...uleb(l)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32GeU: [0x4f],
  f32Load: [0x2a, 2, 0],
  f32Store: [0x38, 2, 0],
  f32Add: [0x92],
  v128Load: [0xfd, 0x00, 4, 0],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f32x4Splat: [0xfd, 0x13],
  f32x4Lane: (l: number) => [0xfd, 0x1f, l],
  f32x4Add: [0xfd, ...uleb(228)],
  f32x4Mul: [0xfd, ...uleb(230)],
  f32x4Max: [0xfd, ...uleb(233)],
};

// parameters: base, a, w, w2, out (byte offsets), n, b, hp4 (hidden units / 4), b2, relu
const [P_BASE, P_A, P_W, P_W2, P_OUT, P_N, P_B, P_HP4, P_B2, P_RELU] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
// locals: i, k, t, pb (base row pointer), pa (ΔX row pointer), pw, pw2, z, acc
const [L_I, L_K, L_T, L_PB, L_PA, L_PW, L_PW2, L_Z, L_ACC] = [10, 11, 12, 13, 14, 15, 16, 17, 18];

const inc = (local: number, by: number[]) => [...op.get(local), ...by, ...op.i32Add, ...op.set(local)];
/** z = max(z, 0) when the hidden layer is relu; acc += z · w2[4k…4k+3]. */
const activateAndAccumulate = [
  ...op.get(P_RELU), ...op.if, ...op.get(L_Z), ...op.v128Zero, ...op.f32x4Max, ...op.set(L_Z), ...op.end,
  ...op.get(L_ACC), ...op.get(L_Z), ...op.get(L_PW2), ...op.v128Load, ...op.f32x4Mul, ...op.f32x4Add, ...op.set(L_ACC),
];
/** out[i] = acc₀ + acc₁ + acc₂ + acc₃ + b2. */
const storeLogit = [
  ...op.get(P_OUT), ...op.get(L_I), ...op.i32(4), ...op.i32Mul, ...op.i32Add,
  ...op.get(L_ACC), ...op.f32x4Lane(0), ...op.get(L_ACC), ...op.f32x4Lane(1), ...op.f32Add,
  ...op.get(L_ACC), ...op.f32x4Lane(2), ...op.get(L_ACC), ...op.f32x4Lane(3), ...op.f32Add, ...op.f32Add,
  ...op.get(P_B2), ...op.f32Add,
  ...op.f32Store,
];
/** A function's code entry: its locals (i, k, t, pb, pa, pw, pw2; z, acc) and instructions. */
function functionBody(code: number[]): number[] {
  const body = [...vec([[...uleb(7), I32], [...uleb(2), V128]]), ...code];
  return [...uleb(body.length), ...body];
}

function kernelBody(): number[] {
  const code = [
    ...op.get(P_BASE), ...op.set(L_PB),
    ...op.get(P_A), ...op.set(L_PA),
    ...op.block, ...op.loop, // rows
    ...op.get(L_I), ...op.get(P_N), ...op.i32GeU, ...op.brIf(1),
    ...op.v128Zero, ...op.set(L_ACC),
    ...op.i32(0), ...op.set(L_K),
    ...op.get(P_W2), ...op.set(L_PW2),
    ...op.block, ...op.loop, // groups of four hidden units
    ...op.get(L_K), ...op.get(P_HP4), ...op.i32GeU, ...op.brIf(1),
    ...op.get(L_PB), ...op.v128Load, ...op.set(L_Z),
    ...op.get(P_W), ...op.get(L_K), ...op.i32(16), ...op.i32Mul, ...op.i32Add, ...op.set(L_PW),
    ...op.i32(0), ...op.set(L_T),
    ...op.block, ...op.loop, // the permuted inputs: z += ΔX[t]·W_B[t, 4k…4k+3]
    ...op.get(L_T), ...op.get(P_B), ...op.i32GeU, ...op.brIf(1),
    ...op.get(L_Z),
    ...op.get(L_PA), ...op.get(L_T), ...op.i32(4), ...op.i32Mul, ...op.i32Add, ...op.f32Load, ...op.f32x4Splat,
    ...op.get(L_PW), ...op.v128Load,
    ...op.f32x4Mul, ...op.f32x4Add, ...op.set(L_Z),
    ...inc(L_PW, [...op.get(P_HP4), ...op.i32(16), ...op.i32Mul]),
    ...inc(L_T, op.i32(1)),
    ...op.br(0), ...op.end, ...op.end,
    ...activateAndAccumulate,
    ...inc(L_PB, op.i32(16)),
    ...inc(L_PW2, op.i32(16)),
    ...inc(L_K, op.i32(1)),
    ...op.br(0), ...op.end, ...op.end,
    ...storeLogit,
    ...inc(L_PA, [...op.get(P_B), ...op.i32(4), ...op.i32Mul]),
    ...inc(L_I, op.i32(1)),
    ...op.br(0), ...op.end, ...op.end,
    ...op.end,
  ];
  return functionBody(code);
}

/**
 * The second function, `pairs` (KernelSHAP, shap/evaluate.ts): rows (b, z) of a [nb · zc, hp]
 * pre-activation `base` (the background term) each get row z of `a` ([zc, hp]: the explained
 * row's own term) added, then act, ·w2, + b2: out[b · zc + z]. Same parameters as `run`, with
 * n = nb, b = zc (the third, w, unused).
 */
function pairsBody(): number[] {
  const rowBytes = [...op.get(P_HP4), ...op.i32(16), ...op.i32Mul];
  const code = [
    ...op.get(P_BASE), ...op.set(L_PB),
    ...op.get(P_A), ...op.set(L_PA),
    ...op.block, ...op.loop, // rows (b, z), b-major
    ...op.get(L_I), ...op.get(P_N), ...op.get(P_B), ...op.i32Mul, ...op.i32GeU, ...op.brIf(1),
    ...op.v128Zero, ...op.set(L_ACC),
    ...op.i32(0), ...op.set(L_K),
    ...op.get(P_W2), ...op.set(L_PW2),
    ...op.get(L_PA), ...op.set(L_PW),
    ...op.block, ...op.loop, // groups of four hidden units
    ...op.get(L_K), ...op.get(P_HP4), ...op.i32GeU, ...op.brIf(1),
    ...op.get(L_PB), ...op.v128Load, ...op.get(L_PW), ...op.v128Load, ...op.f32x4Add, ...op.set(L_Z),
    ...activateAndAccumulate,
    ...inc(L_PB, op.i32(16)),
    ...inc(L_PW, op.i32(16)),
    ...inc(L_PW2, op.i32(16)),
    ...inc(L_K, op.i32(1)),
    ...op.br(0), ...op.end, ...op.end,
    ...storeLogit,
    ...inc(L_I, op.i32(1)),
    // the next coalition's own term; after the last one, the first again (next background row)
    ...inc(L_T, op.i32(1)),
    ...inc(L_PA, rowBytes),
    ...op.get(L_T), ...op.get(P_B), ...op.i32GeU, ...op.if,
    ...op.i32(0), ...op.set(L_T),
    ...op.get(P_A), ...op.set(L_PA),
    ...op.end,
    ...op.br(0), ...op.end, ...op.end,
    ...op.end,
  ];
  return functionBody(code);
}

function moduleBytes(): Uint8Array {
  const type = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32], [F32], [I32]]), ...vec([])];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type])),
    ...section(2, vec([[...name("env"), ...name("mem"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([uleb(0), uleb(0)])),
    ...section(7, vec([
      [...name("run"), 0x00, ...uleb(0)],
      [...name("pairs"), 0x00, ...uleb(1)],
    ])),
    ...section(10, vec([kernelBody(), pairsBody()])),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;
/** The compiled kernel, or null where WebAssembly SIMD is not available. */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(moduleBytes() as Uint8Array<ArrayBuffer>);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** The module instantiated on its own memory of `floats` floats, and its function `name`. */
function instance(mod: WebAssembly.Module, floats: number, name: "run" | "pairs"): { f: Float32Array; fn: (...a: number[]) => void } {
  const memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4) / 65536) + 1 });
  const fn = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports[name] as (...a: number[]) => void;
  return { f: new Float32Array(memory.buffer), fn };
}

/** Copies `rows` rows of h floats into f at `at`, each padded to hp (the kernel reads four at a time; padding stays 0). */
function padRows(f: Float32Array, src: Float32Array, rows: number, h: number, hp: number, at: number): void {
  for (let r = 0; r < rows; r++) f.set(src.subarray(r * h, (r + 1) * h), at + r * hp);
}

/** The kernel's weights of a model's shallow rest (its output unit's, read back from the backend). */
export async function shallowWeights(rest: ShallowRest): Promise<ShallowWeights> {
  const w2 = await readFloats(rest.kernel);
  const b2 = rest.bias ? (await readFloats(rest.bias))[0]! : 0;
  return { hidden: rest.hidden, w2, b2 };
}

/**
 * The kernel set up for n rows: the first layer's pre-activation `base` (n × h) and the kernel
 * rows `w` of every input that moves (inputs × h) copied into its memory once; `logits(rows of w,
 * ΔX)` then gives the output unit's logit for every row of a copy. Null without WebAssembly SIMD.
 */
export function createShallowKernel(rest: ShallowWeights, base: Float32Array, n: number, h: number, w: Float32Array, inputs: number, maxInputsPerCopy: number): ((first: number, count: number, fill: (delta: Float32Array) => void) => Float32Array) | null {
  const mod = kernelModule();
  if (!mod) return null;
  const hp = Math.ceil(h / 4) * 4;
  // layout (floats): base n × hp | w inputs × hp | w2 hp | ΔX n × maxInputsPerCopy | out n
  const oBase = 0;
  const oW = oBase + n * hp;
  const oW2 = oW + inputs * hp;
  const oA = oW2 + hp;
  const oOut = oA + n * Math.max(1, maxInputsPerCopy);
  const floats = oOut + n;
  const { f, fn: run } = instance(mod, floats, "run");
  padRows(f, base, n, h, hp, oBase);
  padRows(f, w, inputs, h, hp, oW);
  f.set(rest.w2, oW2);
  const relu = rest.hidden === "relu" ? 1 : 0;
  return (first, count, fill) => {
    fill(f.subarray(oA, oA + n * count));
    run(oBase * 4, oA * 4, (oW + first * hp) * 4, oW2 * 4, oOut * 4, n, count, hp / 4, rest.b2, relu);
    return f.subarray(oOut, oOut + n);
  };
}

/**
 * KernelSHAP's evaluations of a one-hidden-layer model (shap/evaluate.ts): the background term
 * `term` ([nb · zc, h]: ((1 − m_z) ⊙ bg_b)·W + c, b-major) copied into the kernel's memory once
 * per job; `values(own)` then takes an explained row's own term ([zc, h]: (m_z ⊙ x)·W) and gives
 * Σ_b weights[b] · sigmoid(act(term[b, z] + own[z])·w2 + b2) for every coalition z.
 */
export function createPairsKernel(rest: ShallowWeights, term: Float32Array, nb: number, zc: number, h: number, weights: Float64Array): ((own: Float32Array) => Float64Array) | null {
  const mod = kernelModule();
  if (!mod) return null;
  const hp = Math.ceil(h / 4) * 4;
  const oTerm = 0;
  const oOwn = oTerm + nb * zc * hp;
  const oW2 = oOwn + zc * hp;
  const oOut = oW2 + hp;
  const floats = oOut + nb * zc;
  const { f, fn: pairs } = instance(mod, floats, "pairs");
  padRows(f, term, nb * zc, h, hp, oTerm);
  f.set(rest.w2, oW2);
  const relu = rest.hidden === "relu" ? 1 : 0;
  const out = new Float64Array(zc);
  return (own) => {
    padRows(f, own, zc, h, hp, oOwn);
    pairs(oTerm * 4, oOwn * 4, 0, oW2 * 4, oOut * 4, nb, zc, hp / 4, rest.b2, relu);
    return weightedSigmoids(out, f.subarray(oOut, oOut + nb * zc), nb, zc, weights);
  };
}

/** out[z] = Σ_b weights[b] · sigmoid(logits[b · zc + z]). */
function weightedSigmoids(out: Float64Array, logits: Float32Array, nb: number, zc: number, weights: Float64Array): Float64Array {
  out.fill(0);
  for (let b = 0; b < nb; b++) {
    const wb = weights[b]!;
    const at = b * zc;
    for (let z = 0; z < zc; z++) out[z] = out[z]! + wb / (1 + Math.exp(-logits[at + z]!));
  }
  return out;
}
