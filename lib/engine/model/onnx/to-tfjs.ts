// An ONNX graph of differentiable operators rebuilt as TensorFlow.js operations, so that PGD and
// FGSM get exact gradients (tf.grad) of the same function onnxruntime computes. The loader checks
// the rebuilt graph against onnxruntime before using it. Graphs with any other operator (tree
// ensembles, encoders, control flow) are not rebuilt; the reason names the operator.

import * as tf from "@tensorflow/tfjs";
import type { TfGraph } from "../model";
import type { OnnxGraphInfo, OutputPlan } from "./graph";
import { ONNX_DTYPE, tensorNumbers, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor } from "./proto";

type Env = Map<string, tf.Tensor>;
type Op = (n: OnnxNode, inputs: Array<tf.Tensor | undefined>, ctx: OpContext) => tf.Tensor;
interface OpContext {
  /** Numeric values of constant inputs (initializers, Constant nodes), for shapes and axes. */
  constant(name: string | undefined): number[] | null;
  opset: number;
}

const attr = (n: OnnxNode, name: string): OnnxAttribute | undefined => n.attribute?.find((a) => a.name === name);
const attrInt = (n: OnnxNode, name: string, dflt: number) => attr(n, name)?.i ?? dflt;
const attrFloat = (n: OnnxNode, name: string, dflt: number) => attr(n, name)?.f ?? dflt;
const need = (t: tf.Tensor | undefined, n: OnnxNode, k: number) => {
  if (!t) throw new Error(`${n.opType} "${n.name ?? ""}" is missing input ${k}`);
  return t;
};
const unary = (f: (x: tf.Tensor) => tf.Tensor): Op => (n, xs) => f(need(xs[0], n, 0));
const binary = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Op => (n, xs) => f(need(xs[0], n, 0), need(xs[1], n, 1));
const axesOf = (n: OnnxNode, xs: Array<tf.Tensor | undefined>, ctx: OpContext): number[] | null => attr(n, "axes")?.ints ?? ctx.constant(n.input?.[1]);

const OPS: Record<string, Op> = {
  Identity: unary((x) => x),
  Dropout: unary((x) => x),
  Relu: unary((x) => tf.relu(x)),
  Sigmoid: unary((x) => tf.sigmoid(x)),
  Tanh: unary((x) => tf.tanh(x)),
  Exp: unary((x) => tf.exp(x)),
  Log: unary((x) => tf.log(x)),
  Neg: unary((x) => tf.neg(x)),
  Abs: unary((x) => tf.abs(x)),
  Sqrt: unary((x) => tf.sqrt(x)),
  Reciprocal: unary((x) => tf.reciprocal(x)),
  Softplus: unary((x) => tf.softplus(x)),
  Add: binary((a, b) => tf.add(a, b)),
  Sub: binary((a, b) => tf.sub(a, b)),
  Mul: binary((a, b) => tf.mul(a, b)),
  Div: binary((a, b) => tf.div(a, b)),
  Pow: binary((a, b) => tf.pow(a, b)),
  Max: (n, xs) => xs.slice(1).reduce<tf.Tensor>((acc, t) => tf.maximum(acc, need(t, n, 1)), need(xs[0], n, 0)),
  Min: (n, xs) => xs.slice(1).reduce<tf.Tensor>((acc, t) => tf.minimum(acc, need(t, n, 1)), need(xs[0], n, 0)),
  Sum: (n, xs) => xs.slice(1).reduce<tf.Tensor>((acc, t) => tf.add(acc, need(t, n, 1)), need(xs[0], n, 0)),
  LeakyRelu: (n, xs) => tf.leakyRelu(need(xs[0], n, 0), attrFloat(n, "alpha", 0.01)),
  Elu: (n, xs) => {
    const x = need(xs[0], n, 0);
    const a = attrFloat(n, "alpha", 1);
    return a === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(a, tf.sub(tf.exp(x), 1)));
  },
  Selu: (n, xs) => {
    const x = need(xs[0], n, 0);
    const a = attrFloat(n, "alpha", 1.6732632423543772);
    const g = attrFloat(n, "gamma", 1.0507009873554805);
    return tf.mul(g, tf.where(tf.greater(x, 0), x, tf.mul(a, tf.sub(tf.exp(x), 1))));
  },
  HardSigmoid: (n, xs) => tf.clipByValue(tf.add(tf.mul(attrFloat(n, "alpha", 0.2), need(xs[0], n, 0)), attrFloat(n, "beta", 0.5)), 0, 1),
  Gemm: (n, xs) => {
    const a = need(xs[0], n, 0) as tf.Tensor2D;
    const b = need(xs[1], n, 1) as tf.Tensor2D;
    let y: tf.Tensor = tf.matMul(a, b, attrInt(n, "transA", 0) === 1, attrInt(n, "transB", 0) === 1);
    const alpha = attrFloat(n, "alpha", 1);
    if (alpha !== 1) y = tf.mul(alpha, y);
    if (xs[2]) y = tf.add(y, tf.mul(attrFloat(n, "beta", 1), xs[2]));
    return y;
  },
  MatMul: (n, xs) => {
    const a = need(xs[0], n, 0);
    const b = need(xs[1], n, 1);
    if (a.rank !== 2 || (b.rank !== 2 && b.rank !== 1)) throw new Error(`MatMul of ranks ${a.rank} and ${b.rank} is not supported`);
    return b.rank === 1 ? tf.matMul(a as tf.Tensor2D, b.reshape([-1, 1]) as tf.Tensor2D).reshape([-1]) : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  },
  Softmax: (n, xs, ctx) => softmaxLike(n, need(xs[0], n, 0), ctx, (x) => tf.softmax(x)),
  LogSoftmax: (n, xs, ctx) => softmaxLike(n, need(xs[0], n, 0), ctx, (x) => tf.logSoftmax(x)),
  Flatten: (n, xs) => {
    const x = need(xs[0], n, 0);
    const axis = attrInt(n, "axis", 1);
    const lead = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    return x.reshape([lead, -1]);
  },
  Reshape: (n, xs, ctx) => {
    const x = need(xs[0], n, 0);
    const shape = ctx.constant(n.input?.[1]);
    if (!shape) throw new Error("Reshape with a computed shape is not supported");
    return x.reshape(shape.map((s, k) => (s === 0 ? x.shape[k]! : s)));
  },
  Cast: (n, xs) => {
    const to = attrInt(n, "to", ONNX_DTYPE.FLOAT);
    if (to !== ONNX_DTYPE.FLOAT && to !== ONNX_DTYPE.DOUBLE) throw new Error(`Cast to type ${to} is not differentiable`);
    return need(xs[0], n, 0);
  },
  Clip: (n, xs, ctx) => {
    const lo = ctx.opset < 11 ? attrFloat(n, "min", -3.4e38) : (ctx.constant(n.input?.[1])?.[0] ?? -3.4e38);
    const hi = ctx.opset < 11 ? attrFloat(n, "max", 3.4e38) : (ctx.constant(n.input?.[2])?.[0] ?? 3.4e38);
    return tf.clipByValue(need(xs[0], n, 0), lo, hi);
  },
  BatchNormalization: (n, xs) => {
    const [x, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((k) => need(xs[k], n, k));
    const eps = attrFloat(n, "epsilon", 1e-5);
    return tf.add(tf.mul(tf.div(tf.sub(x!, mean!), tf.sqrt(tf.add(variance!, eps))), scale!), bias!);
  },
  Concat: (n, xs) => tf.concat(xs.map((t, k) => need(t, n, k)), attrInt(n, "axis", 1)),
  Transpose: (n, xs) => tf.transpose(need(xs[0], n, 0), attr(n, "perm")?.ints),
  Squeeze: (n, xs, ctx) => tf.squeeze(need(xs[0], n, 0), axesOf(n, xs, ctx) ?? undefined),
  Unsqueeze: (n, xs, ctx) => {
    const axes = axesOf(n, xs, ctx);
    if (!axes) throw new Error("Unsqueeze without constant axes is not supported");
    let x = need(xs[0], n, 0);
    for (const a of [...axes].sort((p, q) => p - q)) x = tf.expandDims(x, a < 0 ? x.rank + 1 + a : a);
    return x;
  },
};

function softmaxLike(n: OnnxNode, x: tf.Tensor, ctx: OpContext, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const axis = attrInt(n, "axis", ctx.opset >= 13 ? -1 : 1);
  if (x.rank !== 2 || (axis !== 1 && axis !== -1)) throw new Error(`${n.opType} over axis ${axis} of a rank-${x.rank} tensor is not supported`);
  return f(x);
}

export const DIFFERENTIABLE_OPERATORS = Object.keys(OPS).concat(["Constant"]);

/**
 * The graph from `input` to the planned output as a TfGraph, or the reason it cannot be rebuilt.
 * Constants become tensors held until dispose().
 */
export function onnxToTf(model: OnnxModel, info: OnnxGraphInfo, input: string, out: OutputPlan, width: number): { graph: TfGraph; reason?: undefined } | { graph: null; reason: string } {
  const g = model.graph!;
  const nodes = g.node ?? [];
  const unsupported = [...new Set(nodes.filter((n) => (n.domain && n.domain !== "ai.onnx") || !(n.opType in OPS || n.opType === "Constant")).map((n) => (n.domain ? `${n.domain}:${n.opType}` : n.opType)))];
  if (unsupported.length) {
    return { graph: null, reason: `the graph uses ${unsupported.join(", ")}, which ${unsupported.length === 1 ? "has" : "have"} no differentiable TensorFlow.js equivalent` };
  }
  // only what the output depends on: graphs also compute labels (ArgMax, …) we never read
  const producer = new Map<string, OnnxNode>();
  for (const n of nodes) for (const o of n.output ?? []) producer.set(o, n);
  const needed = new Set<OnnxNode>();
  const visit = (name: string) => {
    const n = producer.get(name);
    if (!n || needed.has(n)) return;
    needed.add(n);
    for (const i of n.input ?? []) if (i) visit(i);
  };
  visit(out.name);
  const order = nodes.filter((n) => needed.has(n));
  const opset = info.opsets["ai.onnx"] ?? 13;

  const numbers = new Map<string, number[]>();
  const constants: Env = new Map();
  const addConstant = (name: string, t: OnnxTensor) => {
    const values = tensorNumbers(t);
    numbers.set(name, Array.from(values));
    const dims = (t.dims ?? []).map(Number);
    constants.set(name, tf.tensor(Float32Array.from(values), dims.length ? dims : []));
  };
  try {
    for (const t of g.initializer ?? []) if (t.name) addConstant(t.name, t);
    for (const n of order) {
      if (n.opType !== "Constant") continue;
      const a = n.attribute?.[0];
      const name = n.output?.[0];
      if (!name || !a) throw new Error("a Constant node without value");
      if (a.t) addConstant(name, a.t);
      else if (a.name === "value_float") addConstant(name, { dataType: ONNX_DTYPE.FLOAT, floatData: [a.f ?? 0] });
      else if (a.name === "value_floats") addConstant(name, { dataType: ONNX_DTYPE.FLOAT, floatData: a.floats ?? [], dims: [(a.floats ?? []).length] });
      else if (a.name === "value_int") addConstant(name, { dataType: ONNX_DTYPE.INT64, int64Data: [a.i ?? 0] });
      else if (a.name === "value_ints") addConstant(name, { dataType: ONNX_DTYPE.INT64, int64Data: a.ints ?? [], dims: [(a.ints ?? []).length] });
      else throw new Error(`a Constant node with ${a.name}`);
    }
  } catch (e) {
    tf.dispose([...constants.values()]);
    return { graph: null, reason: `a constant of the graph cannot be read: ${(e as Error).message}` };
  }
  const ctx: OpContext = { constant: (name) => (name ? (numbers.get(name) ?? null) : null), opset };
  // the widest layer: the largest dimension of a weight matrix (a Gemm's or MatMul's), or the input
  let widest = width;
  for (const t of constants.values()) if (t.rank === 2) widest = Math.max(widest, ...t.shape);
  const graph: TfGraph = {
    inputWidth: width,
    widest,
    probability(x) {
      const env: Env = new Map(constants);
      env.set(input, x);
      for (const n of order) {
        if (n.opType === "Constant") continue;
        const y = OPS[n.opType]!(
          n,
          (n.input ?? []).map((name) => (name ? env.get(name) : undefined)),
          ctx,
        );
        env.set(n.output![0]!, y);
      }
      const y = env.get(out.name);
      if (!y) throw new Error(`the rebuilt graph does not compute "${out.name}"`);
      let p = out.column === null ? y.reshape([-1]) : y.slice([0, out.column], [-1, 1]).reshape([-1]);
      if (out.sigmoid) p = tf.sigmoid(p);
      return p as tf.Tensor1D;
    },
    dispose() {
      tf.dispose([...constants.values()]);
    },
  };
  // a first run finds shape errors (e.g. an unsupported MatMul rank) before anyone relies on it
  try {
    tf.tidy(() => graph.probability(tf.zeros([2, width])));
  } catch (e) {
    graph.dispose();
    return { graph: null, reason: `the graph could not be rebuilt as TensorFlow.js: ${(e as Error).message}` };
  }
  return { graph };
}
