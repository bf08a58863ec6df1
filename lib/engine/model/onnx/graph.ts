// Reading an ONNX graph's interface: its inputs and outputs (names, types, shapes) and operators;
// checking them against a manifest and saying exactly what does not match; choosing the output
// that holds P(positive); and replacing a ZipMap output (a sequence of maps, which onnxruntime's
// JavaScript binding cannot return) by the probability tensor that feeds it.

import { invalidInput } from "../../../errors";
import { encodedWidth, type TOnnxManifest } from "../manifest";
import { attrStrings, encodeOnnxModel, ONNX_DTYPE, ONNX_DTYPE_NAME, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxType } from "./proto";

export interface OnnxValue {
  name: string;
  kind: "tensor" | "sequence" | "map" | "unknown";
  /** Element type of a tensor ("float", "string", …). */
  elemType: string | null;
  /** Dimensions of a tensor: numbers, symbolic names, or null when unknown. */
  shape: Array<number | string | null> | null;
  /** Readable type: "tensor(float)[N,12]", "seq(map(int64,tensor(float)))". */
  type: string;
}

export interface OnnxGraphInfo {
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  /** Operators used, "domain:op" for non-default domains, in order of first use. */
  operators: string[];
  producer: string;
  opsets: Record<string, number>;
}

function typeText(t: OnnxType | undefined): string {
  if (!t) return "unknown";
  if (t.tensorType) return `tensor(${ONNX_DTYPE_NAME[t.tensorType.elemType ?? 0] ?? "?"})`;
  if (t.sequenceType) return `seq(${typeText(t.sequenceType.elemType)})`;
  if (t.mapType) return `map(${ONNX_DTYPE_NAME[t.mapType.keyType ?? 0] ?? "?"},${typeText(t.mapType.valueType)})`;
  return "unknown";
}

function valueOf(v: { name: string; type?: OnnxType }): OnnxValue {
  const t = v.type;
  if (t?.tensorType) {
    const dims = t.tensorType.shape?.dim;
    const shape = dims ? dims.map((d) => (d.dimValue !== undefined && d.dimValue > 0 ? d.dimValue : d.dimParam ? d.dimParam : null)) : null;
    const text = `${typeText(t)}${shape ? `[${shape.map((s) => s ?? "?").join(",")}]` : ""}`;
    return { name: v.name, kind: "tensor", elemType: ONNX_DTYPE_NAME[t.tensorType.elemType ?? 0] ?? null, shape, type: text };
  }
  return { name: v.name, kind: t?.sequenceType ? "sequence" : t?.mapType ? "map" : "unknown", elemType: null, shape: null, type: typeText(t) };
}

/** The graph's real inputs (initializers listed as inputs by old exporters left out), outputs, operators. */
export function describeOnnx(model: OnnxModel): OnnxGraphInfo {
  const g = model.graph ?? {};
  const init = new Set((g.initializer ?? []).map((t) => t.name));
  const operators: string[] = [];
  for (const n of g.node ?? []) {
    const op = n.domain && n.domain !== "ai.onnx" ? `${n.domain}:${n.opType}` : n.opType;
    if (!operators.includes(op)) operators.push(op);
  }
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[o.domain || "ai.onnx"] = o.version ?? 0;
  return {
    inputs: (g.input ?? []).filter((i) => !init.has(i.name)).map(valueOf),
    outputs: (g.output ?? []).map(valueOf),
    operators,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(" "),
    opsets,
  };
}

export type FeedKind = "float32" | "float64" | "int64" | "string";

/** How one graph input is fed: the whole encoded tensor, or one feature's raw column. */
export type InputFeed =
  | { mode: "tensor"; name: string; type: "float32" | "float64"; width: number }
  | { mode: "columns"; columns: Array<{ name: string; feature: number; type: FeedKind; rank: number }> };

const NUMERIC_FEEDS: Record<string, FeedKind> = { float: "float32", double: "float64", int64: "int64" };

/** Checks the graph's inputs against the manifest; every mismatch is named in one error. */
export function planInputs(info: OnnxGraphInfo, manifest: TOnnxManifest, file: string): InputFeed {
  const problems: string[] = [];
  const list = info.inputs.map((i) => `"${i.name}" ${i.type}`).join(", ");
  if (manifest.input.mode === "tensor") {
    const wanted = manifest.input.name;
    let input = wanted ? info.inputs.find((i) => i.name === wanted) : info.inputs.length === 1 ? info.inputs[0] : undefined;
    if (!input) {
      throw invalidInput(
        wanted
          ? `the graph has no input "${wanted}"; its inputs are ${list}`
          : `the graph has ${info.inputs.length} inputs (${list}); tensor mode feeds one: name it (input: { mode: "tensor", name }), or use input: { mode: "columns" } to feed each feature by name`,
        { file, field: "input" },
      );
    }
    const width = encodedWidth(manifest);
    const type = input.kind === "tensor" && (input.elemType === "float" || input.elemType === "double") ? (input.elemType === "float" ? "float32" : "float64") : null;
    if (!type) problems.push(`input "${input.name}" is ${input.type}; tensor mode feeds a float tensor [n, ${width}]`);
    const shape = input.shape;
    if (shape && (shape.length !== 2 || (typeof shape[1] === "number" && shape[1] !== width))) {
      problems.push(
        `input "${input.name}" has shape [${shape.map((s) => s ?? "?").join(", ")}] but the manifest encodes ${width} inputs (${manifest.features.length} features, one-hot blocks expanded): expected [n, ${width}]`,
      );
    }
    const others = info.inputs.filter((i) => i !== input);
    if (others.length) problems.push(`the graph also needs ${others.map((i) => `"${i.name}"`).join(", ")}, which tensor mode does not feed`);
    if (problems.length) throw invalidInput(problems.join("; "), { file });
    input = input!;
    return { mode: "tensor", name: input.name, type: type!, width };
  }
  const columns: Array<{ name: string; feature: number; type: FeedKind; rank: number }> = [];
  const byName = new Map(info.inputs.map((i) => [i.name, i]));
  manifest.features.forEach((f, k) => {
    const input = byName.get(f.name);
    if (!input) {
      problems.push(`feature "${f.name}" has no graph input of that name`);
      return;
    }
    byName.delete(f.name);
    if (input.kind !== "tensor") {
      problems.push(`input "${f.name}" is ${input.type}, not a tensor`);
      return;
    }
    const rank = input.shape?.length ?? 2;
    if (input.shape && (rank > 2 || rank < 1 || (rank === 2 && typeof input.shape[1] === "number" && input.shape[1] !== 1))) {
      problems.push(`input "${f.name}" has shape [${input.shape.map((s) => s ?? "?").join(", ")}]; columns mode feeds [n, 1] or [n]`);
      return;
    }
    const numericFeed = NUMERIC_FEEDS[input.elemType ?? ""];
    if (f.type === "categorical") {
      if (input.elemType === "string") columns.push({ name: f.name, feature: k, type: "string", rank });
      else if (numericFeed && f.categories.every((c) => c.trim() !== "" && Number.isFinite(Number(c)))) columns.push({ name: f.name, feature: k, type: numericFeed, rank });
      else problems.push(`input "${f.name}" is ${input.type}, but categorical feature "${f.name}" feeds text (tensor(string))`);
    } else if (numericFeed) columns.push({ name: f.name, feature: k, type: numericFeed, rank });
    else problems.push(`input "${f.name}" is ${input.type}, but ${f.type} feature "${f.name}" feeds numbers (tensor(float), tensor(double) or tensor(int64))`);
  });
  for (const extra of byName.values()) problems.push(`graph input "${extra.name}" (${extra.type}) is not a feature of the manifest`);
  if (problems.length) throw invalidInput(problems.join("; "), { file });
  return { mode: "columns", columns };
}

/** Where P(positive) is read: an output tensor and, for [n, k] outputs, the column. */
export interface OutputPlan {
  name: string;
  /** Column of an [n, k] output, or null for [n] / [n, 1]. */
  column: number | null;
  sigmoid: boolean;
  description: string;
  /** The model bytes to run (changed when a ZipMap output was replaced). */
  bytes: Uint8Array | null;
}

export function planOutput(model: OnnxModel, info: OnnxGraphInfo, manifest: TOnnxManifest, file: string): OutputPlan {
  const o = manifest.output;
  const list = info.outputs.map((v) => `"${v.name}" ${v.type}`).join(", ");
  const named = o.name ? info.outputs.find((v) => v.name === o.name) : undefined;
  if (o.name && !named) throw invalidInput(`the graph has no output "${o.name}"; its outputs are ${list}`, { file, field: "output.name" });
  if (o.type === "zipmap") {
    const seqs = info.outputs.filter((v) => v.kind === "sequence");
    const out = named ?? (seqs.length === 1 ? seqs[0] : undefined);
    if (!out) throw invalidInput(`output type "zipmap" needs a sequence-of-maps output; the graph's outputs are ${list}`, { file, field: "output" });
    return replaceZipMap(model, out.name, o.positiveLabel, file);
  }
  const floats = info.outputs.filter((v) => v.kind === "tensor" && (v.elemType === "float" || v.elemType === "double"));
  const out = named ?? (floats.length === 1 ? floats[0] : undefined);
  if (!out) {
    throw invalidInput(
      `name the output that holds the probabilities (output: { name }); the graph's outputs are ${list}${info.outputs.some((v) => v.kind === "sequence") ? ' (a sequence-of-maps output is read with type: "zipmap")' : ""}`,
      { file, field: "output.name" },
    );
  }
  if (out.kind !== "tensor" || (out.elemType !== "float" && out.elemType !== "double")) {
    throw invalidInput(`output "${out.name}" is ${out.type}; type "${o.type}" reads a float tensor${out.kind === "sequence" ? ' (use type: "zipmap" for a sequence of maps)' : ""}`, { file, field: "output" });
  }
  const k = out.shape && out.shape.length === 2 ? out.shape[1] : null;
  if (o.type === "softmax") {
    if (out.shape && out.shape.length !== 2) throw invalidInput(`output "${out.name}" has shape [${out.shape.join(", ")}]; softmax reads class probabilities [n, k]`, { file, field: "output" });
    if (typeof k === "number" && k <= o.positiveIndex) throw invalidInput(`output "${out.name}" has ${k} columns; positiveIndex ${o.positiveIndex} does not exist`, { file, field: "output.positiveIndex" });
    return { name: out.name, column: o.positiveIndex, sigmoid: false, description: `softmax "${out.name}"[:, ${o.positiveIndex}]`, bytes: null };
  }
  if (out.shape && !(out.shape.length === 1 || (out.shape.length === 2 && (k === 1 || k === null)))) {
    throw invalidInput(`output "${out.name}" has shape [${out.shape.map((s) => s ?? "?").join(", ")}]; type "${o.type}" reads [n] or [n, 1] (class probabilities [n, k] are type "softmax")`, { file, field: "output" });
  }
  return { name: out.name, column: null, sigmoid: o.type === "logit", description: `${o.type} "${out.name}"`, bytes: null };
}

/** Removes the ZipMap that produces `output` and makes its input tensor a graph output instead. */
function replaceZipMap(model: OnnxModel, output: string, positiveLabel: string, file: string): OutputPlan {
  const g = model.graph!;
  const nodes = g.node ?? [];
  const zip = nodes.find((n) => n.opType === "ZipMap" && (n.output ?? []).includes(output));
  if (!zip) throw invalidInput(`output "${output}" is not produced by a ZipMap node; give its type`, { file, field: "output" });
  const labels = attrStrings(zip.attribute?.find((a) => a.name === "classlabels_strings")) ?? zip.attribute?.find((a) => a.name === "classlabels_int64s")?.ints?.map(String) ?? [];
  const column = labels.indexOf(positiveLabel);
  if (column < 0) throw invalidInput(`positiveLabel "${positiveLabel}" is not a class of the ZipMap; its classes are ${labels.map((l) => `"${l}"`).join(", ")}`, { file, field: "output.positiveLabel" });
  const probs = zip.input?.[0];
  if (!probs) throw invalidInput("the ZipMap node has no input", { file });
  const stillUsed = nodes.some((n) => n !== zip && (n.input ?? []).includes(output));
  if (stillUsed) throw invalidInput(`the ZipMap output "${output}" also feeds other nodes; Assay cannot replace it`, { file });
  const graph: OnnxGraph = {
    ...g,
    node: nodes.filter((n: OnnxNode) => n !== zip),
    output: [
      ...(g.output ?? []).filter((v) => v.name !== output),
      ...((g.output ?? []).some((v) => v.name === probs)
        ? []
        : [{ name: probs, type: { tensorType: { elemType: ONNX_DTYPE.FLOAT, shape: { dim: [{ dimParam: "N" }, { dimValue: labels.length }] } } } }]),
    ],
  };
  return {
    name: probs,
    column,
    sigmoid: false,
    description: `ZipMap "${output}" class ${JSON.stringify(positiveLabel)} (read from "${probs}")`,
    bytes: encodeOnnxModel({ ...model, graph }),
  };
}
