// Builds small ONNX models in tests with the same protobuf schema Assay reads (lib/engine/model/
// onnx/proto.ts): a logistic regression p = σ(x·w + b) as MatMul → Add → Sigmoid, with knobs for
// the edge cases (input names and widths, string inputs, extra operators, ZipMap outputs).

import { encodeOnnxModel, ONNX_DTYPE, ONNX_ATTR, type OnnxGraph, type OnnxNode, type OnnxValueInfo } from "../../lib/engine/model/onnx/proto";

export function tensorInfo(name: string, elemType: number, dims: Array<number | string>): OnnxValueInfo {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } } };
}

export function floatTensor(name: string, dims: number[], values: number[]) {
  return { name, dims, dataType: ONNX_DTYPE.FLOAT, floatData: values };
}

export interface LogisticOptions {
  inputName?: string;
  /** Width the graph declares (default: weights.length). */
  declaredWidth?: number;
  inputType?: number;
  /** An extra operator applied to the logit before the sigmoid (e.g. "Erf", which TF.js rebuilding lacks). */
  extraOp?: string;
  /** Also add a second graph input. */
  secondInput?: string;
  /** Output two class probabilities through a ZipMap (skl2onnx's default) instead of p [n, 1]. */
  zipmap?: { labels: string[] };
}

/** p = σ(x·w + b) as an ONNX model (bytes). */
export function logisticOnnx(weights: number[], bias: number, o: LogisticOptions = {}): Uint8Array {
  const d = weights.length;
  const input = o.inputName ?? "x";
  const nodes: OnnxNode[] = [
    { opType: "MatMul", input: [input, "w"], output: ["xw"] },
    { opType: "Add", input: ["xw", "b"], output: ["z"] },
  ];
  let z = "z";
  if (o.extraOp) {
    nodes.push({ opType: o.extraOp, input: [z], output: ["z2"] });
    z = "z2";
  }
  nodes.push({ opType: "Sigmoid", input: [z], output: ["p"] });
  const outputs: OnnxValueInfo[] = [];
  if (o.zipmap) {
    nodes.push(
      { opType: "Sub", input: ["one", "p"], output: ["q"] },
      { opType: "Concat", input: ["q", "p"], output: ["probabilities"], attribute: [{ name: "axis", type: ONNX_ATTR.INT, i: 1 }] },
      {
        opType: "ZipMap",
        domain: "ai.onnx.ml",
        input: ["probabilities"],
        output: ["output_probability"],
        attribute: [{ name: "classlabels_strings", type: ONNX_ATTR.STRINGS, strings: o.zipmap.labels.map((l) => new TextEncoder().encode(l)) }],
      },
    );
    outputs.push({ name: "output_probability", type: { sequenceType: { elemType: { mapType: { keyType: ONNX_DTYPE.STRING, valueType: { tensorType: { elemType: ONNX_DTYPE.FLOAT } } } } } } });
  } else outputs.push(tensorInfo("p", ONNX_DTYPE.FLOAT, ["N", 1]));
  const inputs = [tensorInfo(input, o.inputType ?? ONNX_DTYPE.FLOAT, ["N", o.declaredWidth ?? d])];
  if (o.secondInput) inputs.push(tensorInfo(o.secondInput, ONNX_DTYPE.FLOAT, ["N", 1]));
  const graph: OnnxGraph = {
    name: "logistic",
    node: nodes,
    initializer: [floatTensor("w", [d, 1], weights), floatTensor("b", [1], [bias]), floatTensor("one", [1], [1])],
    input: inputs,
    output: outputs,
  };
  return encodeOnnxModel({
    irVersion: 8,
    opsetImport: [
      { domain: "", version: 13 },
      { domain: "ai.onnx.ml", version: 3 },
    ],
    producerName: "assay-tests",
    graph,
  });
}
