// What an uploaded model file is, and a first manifest for it drawn from a dataset, for the app's
// "Add model version" form: the user reviews and edits the proposal before the model is checked.
//   - ONNX: the graph's inputs and outputs. When every graph input is named like a dataset column,
//     columns mode (numbers for numeric inputs, text categories for string inputs); otherwise
//     tensor mode with features from the dataset (standardised numbers, one-hot categories; raw
//     numbers when the graph is a tree ensemble). The output: a ZipMap → zipmap, an [n, 2] float
//     output → softmax column 1, one [n, 1] output → probability.
//   - XGBoost JSON: its features in order, raw numbers (trees split on raw values); by name when
//     the model stores feature names that are dataset columns.
//   - TF.js model.json: features from the dataset, standardised.

import type { Table } from "../data/table";
import { describeOnnx, type OnnxGraphInfo } from "./onnx/graph";
import { decodeOnnxModel } from "./onnx/proto";
import { encodedWidth, type ModelFormat, type TFeature, type TModelManifestInput, type TOnnxOutputInput } from "./manifest";
import { parseXgboostJson } from "../trees/xgboost-json";

export interface ModelFileDescription {
  format: ModelFormat;
  /** The model file's name. */
  file: string;
  /** Lines for people: inputs, outputs, operators, trees. */
  summary: string[];
  onnx?: OnnxGraphInfo;
  /** Inputs the model expects (encoded width), when the file says. */
  inputs: number | null;
  /** XGBoost: the feature names stored in the model, if any. */
  featureNames?: string[];
  /** ONNX: the graph holds tree-ensemble operators. */
  trees?: boolean;
}

/** Recognises a model file by name and content; null when it is none of the formats. */
export function describeModelFile(name: string, bytes: Uint8Array): ModelFileDescription | null {
  const lower = name.toLowerCase();
  if (lower.endsWith(".onnx")) {
    const info = describeOnnx(decodeOnnxModel(bytes));
    const first = info.inputs[0];
    const tensorWidth = info.inputs.length === 1 && first?.shape?.length === 2 && typeof first.shape[1] === "number" ? first.shape[1] : null;
    const trees = info.operators.some((o) => /TreeEnsemble/.test(o));
    return {
      format: "onnx",
      file: name,
      onnx: info,
      inputs: tensorWidth,
      trees,
      summary: [
        `ONNX${info.producer ? ` from ${info.producer}` : ""}, opsets ${Object.entries(info.opsets).map(([d, v]) => `${d} ${v}`).join(", ")}`,
        `inputs: ${info.inputs.map((i) => `${i.name} ${i.type}`).join(", ")}`,
        `outputs: ${info.outputs.map((o) => `${o.name} ${o.type}`).join(", ")}`,
        `operators: ${info.operators.join(", ")}`,
      ],
    };
  }
  if (lower.endsWith(".json") && lower !== "assay.model.json") {
    const text = new TextDecoder().decode(bytes);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return null;
    }
    if (json && typeof json === "object" && "learner" in json) {
      const p = parseXgboostJson(text, name);
      return {
        format: "xgboost-json",
        file: name,
        inputs: p.numFeature,
        featureNames: p.featureNames,
        summary: [`XGBoost ${p.version}, ${p.objective}, ${p.ensemble.trees.length} trees, ${p.numFeature} features${p.featureNames.length ? ` (${p.featureNames.slice(0, 8).join(", ")}${p.featureNames.length > 8 ? ", …" : ""})` : ""}`],
      };
    }
    if (json && typeof json === "object" && "modelTopology" in json) {
      return { format: "tfjs-layers", file: name, inputs: null, summary: ["TensorFlow.js LayersModel"] };
    }
  }
  return null;
}

export interface ProposalOptions {
  /** Columns that are not model inputs: the label, weights, ignored columns. */
  exclude: string[];
  /** The label's positive value (a ZipMap's positive class). */
  positive?: string;
}

export interface ManifestProposal {
  manifest: TModelManifestInput;
  /** What the user should check. */
  notes: string[];
}

/** A first manifest for a described model file on a dataset (a sample of its rows is enough). */
export function proposeManifest(desc: ModelFileDescription, table: Table, o: ProposalOptions): ManifestProposal {
  const notes: string[] = [];
  const excluded = new Set(o.exclude);
  const columns = table.columns.filter((c) => !excluded.has(c.name));
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const categoricalFeature = (name: string, column: string): TFeature => {
    const c = byName.get(column)!;
    return { name, column, type: "categorical", categories: [...c.categories].sort() };
  };
  const fromProfile = (standardise: boolean): TFeature[] =>
    columns.map((c) => {
      if (c.numbers === null) return categoricalFeature(c.name, c.name);
      if (!standardise) return { name: c.name, column: c.name, type: "numeric" as const };
      const { mean, sd } = meanSd(c.numbers);
      return sd > 0 ? { name: c.name, column: c.name, type: "numeric" as const, mean: round(mean), std: round(sd) } : { name: c.name, column: c.name, type: "numeric" as const };
    });
  const checkWidth = (features: TFeature[]) => {
    if (desc.inputs !== null && encodedWidth({ features }) !== desc.inputs) {
      notes.push(
        `the model expects ${desc.inputs} inputs and this proposal encodes ${encodedWidth({ features })} (every column but ${o.exclude.join(", ") || "none"}, one-hot blocks expanded): remove the columns the model was not trained on and check the category lists`,
      );
    }
  };

  if (desc.format === "xgboost-json") {
    const names = desc.featureNames ?? [];
    let features: TFeature[];
    if (names.length && names.every((n) => byName.has(n))) {
      features = names.map((n) => (byName.get(n)!.numbers ? { name: n, column: n, type: "numeric" as const } : categoricalFeature(n, n)));
      notes.push("features named as the model's stored feature names, in its order");
    } else {
      features = fromProfile(false);
      notes.push("numbers are fed raw, as trees split on raw values; one-hot categories must follow the order the model was trained with");
      checkWidth(features);
    }
    return { manifest: { format: "xgboost-json", file: desc.file, task: "binary_classification", features }, notes };
  }

  if (desc.format === "tfjs-layers") {
    const features = fromProfile(true);
    notes.push("numbers standardised with the dataset's mean and standard deviation: use the values the model was trained with");
    return { manifest: { format: "tfjs-layers", task: "binary_classification", output: { type: "probability" }, features }, notes };
  }

  const info = desc.onnx!;
  const output = proposeOnnxOutput(info, o.positive, notes);
  const inputsAreColumns = info.inputs.length > 0 && info.inputs.every((i) => byName.has(i.name)) && (info.inputs.length > 1 || info.inputs[0]!.elemType === "string" || info.inputs[0]!.shape?.[1] === 1);
  if (inputsAreColumns) {
    const features: TFeature[] = info.inputs.map((i) =>
      i.elemType === "string" ? categoricalFeature(i.name, i.name) : { name: i.name, column: i.name, type: "numeric" as const },
    );
    notes.push("columns mode: every graph input is named like a dataset column and is fed that column's raw values");
    return { manifest: { format: "onnx", file: desc.file, task: "binary_classification", input: { mode: "columns" }, output, features }, notes };
  }
  const features = fromProfile(!desc.trees);
  notes.push(desc.trees ? "the graph is a tree ensemble: numbers are fed raw" : "numbers standardised with the dataset's mean and standard deviation: use the values the model was trained with");
  checkWidth(features);
  const input = info.inputs.length === 1 ? { mode: "tensor" as const, name: info.inputs[0]!.name } : { mode: "tensor" as const };
  if (info.inputs.length !== 1) notes.push(`the graph has ${info.inputs.length} inputs: name the one to feed`);
  return { manifest: { format: "onnx", file: desc.file, task: "binary_classification", input, output, features }, notes };
}

function proposeOnnxOutput(info: OnnxGraphInfo, positive: string | undefined, notes: string[]): TOnnxOutputInput {
  const seq = info.outputs.find((v) => v.kind === "sequence");
  if (seq) return { type: "zipmap", name: seq.name, positiveLabel: positive ?? "1" };
  const floats = info.outputs.filter((v) => v.kind === "tensor" && (v.elemType === "float" || v.elemType === "double"));
  const two = floats.find((v) => v.shape?.length === 2 && v.shape[1] === 2);
  if (two) {
    notes.push(`"${two.name}" holds two class probabilities: column 1 is read as the positive class`);
    return { type: "softmax", name: two.name, positiveIndex: 1 };
  }
  const one = floats[0];
  if (one) {
    const logit = /logit/i.test(one.name);
    if (floats.length > 1) notes.push(`the graph has ${floats.length} float outputs: check that "${one.name}" is the probability`);
    return { type: logit ? "logit" : "probability", name: one.name };
  }
  notes.push("no float output found: name the output that holds the probability");
  return { type: "probability" };
}

function meanSd(xs: Float64Array): { mean: number; sd: number } {
  let n = 0;
  let s = 0;
  for (const x of xs) {
    if (x !== x) continue;
    n++;
    s += x;
  }
  const mean = n ? s / n : 0;
  let v = 0;
  for (const x of xs) if (x === x) v += (x - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(v / n) : 0 };
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
