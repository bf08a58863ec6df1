// An ONNX model as an AuditModel: onnxruntime scores it (any operator it runs, ai.onnx.ml
// included); the graph's inputs and outputs are checked against the manifest when it loads.
// Besides, two views of the same model are built when the graph allows, and each is checked
// against onnxruntime on seeded rows before it is trusted:
//   - a tree ensemble (TreeEnsembleClassifier/Regressor reading the encoded tensor) for exact
//     TreeSHAP, equal to onnxruntime's probabilities within 1e-5;
//   - the graph rebuilt as TensorFlow.js operations (differentiable operators only) for PGD and
//     FGSM gradients, equal to onnxruntime's probabilities within 1e-5.

import { invalidInput } from "../../../errors";
import type { TOnnxManifest } from "../manifest";
import type { AuditModel, GradientSource, TfGraph } from "../model";
import { batchRows, predictProbabilities, randomRows } from "../predict";
import { ensembleMargins, marginsToProbabilities, type TreeEnsemble } from "../../trees/ensemble";
import { treeEnsembleFromOnnx } from "../../trees/onnx-trees";
import { describeOnnx, planInputs, planOutput, type InputFeed, type OnnxGraphInfo, type OutputPlan } from "./graph";
import { decodeOnnxModel, type OnnxModel } from "./proto";
import { createOnnxSession, type FeedValue, type OnnxSession } from "./runtime";
import { onnxToTf } from "./to-tfjs";

export interface OnnxLoadOptions {
  /** Intra-op threads of the session (default 1). */
  threads?: number;
}

/** Largest |difference| in probability tolerated between a rebuilt view and onnxruntime. */
export const VIEW_TOLERANCE = 1e-5;
const CHECK_ROWS = 256;

export async function loadOnnxModel(manifest: TOnnxManifest, label: string, bytes: Uint8Array, opts: OnnxLoadOptions = {}): Promise<AuditModel> {
  const file = `${label}/${manifest.file}`;
  let model: OnnxModel;
  try {
    model = decodeOnnxModel(bytes);
  } catch (e) {
    throw invalidInput(`${manifest.file.split(/[\\/]/).pop()} is not an ONNX model (it could not be decoded as an ONNX protobuf: ${(e as Error).message})`, { file });
  }
  if (!model.graph || !(model.graph.node ?? []).length) throw invalidInput("not an ONNX model: it has no graph", { file });
  const info = describeOnnx(model);
  const feed = planInputs(info, manifest, `${label}/assay.model.json`);
  const out = planOutput(model, info, manifest, `${label}/assay.model.json`);
  let session: OnnxSession;
  try {
    session = await createOnnxSession(out.bytes ?? bytes, opts.threads ?? 1);
  } catch (e) {
    throw invalidInput(`onnxruntime could not load the model: ${(e as Error).message.split("\n")[0]}`, { file });
  }
  const width = feed.mode === "tensor" ? feed.width : manifest.features.reduce((s, f) => s + (f.type === "categorical" ? f.categories.length : 1), 0);
  const predict = (x: Float32Array, rows: number) => runBatches(session, feed, out, manifest, x, rows, width);

  // views of the model, each checked against onnxruntime
  const check = randomRows(CHECK_ROWS, width, 7);
  const reference = feed.mode === "tensor" ? await predict(check, CHECK_ROWS) : null;
  let trees: TreeEnsemble | null = null;
  let graph: TfGraph | null = null;
  let gradients: GradientSource = { kind: "none", reason: "" };
  if (feed.mode === "columns") {
    gradients = { kind: "none", reason: "columns-mode graphs run their own encoders, which have no gradients" };
  } else {
    const t = treeEnsembleFromOnnx(model, feed.name, out);
    if (t.ensemble) {
      const p = marginsToProbabilities(t.ensemble, ensembleMargins(t.ensemble, check, CHECK_ROWS, width));
      const diff = maxDifference(p, reference!);
      if (diff <= VIEW_TOLERANCE) trees = t.ensemble;
      else throw invalidInput(`the graph's tree ensemble, read by Assay, differs from onnxruntime's output by ${diff.toExponential(2)}; please report this model`, { file });
    }
    const tf = onnxToTf(model, info, feed.name, out, width);
    if (tf.graph) {
      const p = await predictProbabilities(tf.graph, check, CHECK_ROWS);
      const diff = maxDifference(p, reference!);
      if (diff <= VIEW_TOLERANCE) {
        graph = tf.graph;
        gradients = {
          kind: "onnx-graph",
          description: `the ONNX graph rebuilt as TensorFlow.js operations (automatic differentiation; largest |Δ| from onnxruntime ${diff.toExponential(1)} on ${CHECK_ROWS} seeded rows)`,
          maxDifference: diff,
        };
      } else {
        tf.graph.dispose();
        gradients = { kind: "none", reason: `the graph rebuilt as TensorFlow.js differs from onnxruntime by ${diff.toExponential(2)} (> ${VIEW_TOLERANCE})` };
      }
    } else gradients = { kind: "none", reason: trees ? "tree ensembles are piecewise constant: they have no useful gradients" : tf.reason };
  }
  return {
    format: "onnx",
    manifest,
    inputWidth: width,
    outputDescription: out.description,
    graph,
    gradients,
    trees,
    predict,
    dispose() {
      graph?.dispose();
      void session.release();
    },
  };
}

/** Summary of an ONNX file for the app's upload form (no session, no manifest needed). */
export function inspectOnnx(bytes: Uint8Array): OnnxGraphInfo {
  return describeOnnx(decodeOnnxModel(bytes));
}

function maxDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Scores encoded rows in large batches, feeding the graph as planned. */
async function runBatches(session: OnnxSession, feed: InputFeed, out: OutputPlan, manifest: TOnnxManifest, x: Float32Array, rows: number, width: number): Promise<Float64Array> {
  const result = new Float64Array(rows);
  const step = batchRows(width);
  for (let start = 0; start < rows; start += step) {
    const end = Math.min(rows, start + step);
    const n = end - start;
    const chunk = x.subarray(start * width, end * width);
    const feeds: Record<string, FeedValue> = {};
    if (feed.mode === "tensor") {
      feeds[feed.name] = { type: feed.type, data: feed.type === "float32" ? chunk : Float64Array.from(chunk), dims: [n, width] };
    } else {
      for (const c of feed.columns) feeds[c.name] = columnFeed(manifest, c, chunk, n, width);
    }
    const r = await session.run(feeds, out.name);
    const k = r.dims.length === 2 ? r.dims[1]! : 1;
    if (r.dims[0] !== n || (out.column === null && k !== 1) || (out.column !== null && k <= out.column)) {
      throw new Error(`output "${out.name}" has shape [${r.dims.join(", ")}] for ${n} rows; expected ${out.column === null ? `[${n}] or [${n}, 1]` : `[${n}, k > ${out.column}]`}`);
    }
    for (let i = 0; i < n; i++) {
      const v = r.data[i * k + (out.column ?? 0)]!;
      result[start + i] = out.sigmoid ? 1 / (1 + Math.exp(-v)) : v;
    }
  }
  return result;
}

/** One feature's raw column from the encoded rows: numbers as is, a one-hot block as its category. */
function columnFeed(manifest: TOnnxManifest, c: { feature: number; type: FeedValue["type"]; rank: number }, x: Float32Array, n: number, width: number): FeedValue {
  const f = manifest.features[c.feature]!;
  let off = 0;
  for (let k = 0; k < c.feature; k++) {
    const g = manifest.features[k]!;
    off += g.type === "categorical" ? g.categories.length : 1;
  }
  const dims = c.rank === 1 ? [n] : [n, 1];
  if (f.type === "categorical") {
    const w = f.categories.length;
    const labels = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      let cat = "";
      for (let q = 0; q < w; q++) if (x[i * width + off + q]! > 0.5) cat = f.categories[q]!;
      labels[i] = cat;
    }
    if (c.type === "string") return { type: "string", data: labels, dims };
    const nums = labels.map((l) => (l === "" ? NaN : Number(l)));
    return numericFeed(c.type, nums, dims);
  }
  const nums = Array.from({ length: n }, (_, i) => x[i * width + off]!);
  return numericFeed(c.type, nums, dims);
}

function numericFeed(type: FeedValue["type"], nums: number[], dims: number[]): FeedValue {
  if (type === "float32") return { type, data: Float32Array.from(nums), dims };
  if (type === "float64") return { type, data: Float64Array.from(nums), dims };
  return { type: "int64", data: BigInt64Array.from(nums, (v) => BigInt(Number.isFinite(v) ? Math.round(v) : 0)), dims };
}
