// A TF.js LayersModel (model.json + weight shards) as an AuditModel, loaded from bytes handed in
// by the caller, so the engine never touches the file system, and checked against its manifest.

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { invalidInput } from "../../errors";
import { encodedWidth, type TTfjsManifest } from "./manifest";
import type { ShallowRest, AuditModel, TfGraph } from "./model";
import { predictProbabilities, predictProbabilities32 } from "./predict";
import { notValidJson } from "../json-error";

const ZModelJson = z
  .object({
    modelTopology: z.record(z.string(), z.unknown()),
    weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.unknown()) })),
    format: z.string().optional(),
  })
  .passthrough();

/** Loads model.json and its shards (read through readFile), checks shapes against the manifest. */
export async function loadTfjsModel(manifest: TTfjsManifest, label: string, readFile: (name: string) => Promise<Uint8Array>): Promise<AuditModel> {
  let modelJson: unknown;
  const text = new TextDecoder().decode(await readFile("model.json"));
  try {
    modelJson = JSON.parse(text);
  } catch (e) {
    throw invalidInput(notValidJson("model.json", text, e), { file: `${label}/model.json` });
  }
  const jsonResult = ZModelJson.safeParse(modelJson);
  if (!jsonResult.success) {
    throw invalidInput("not a TensorFlow.js LayersModel (expected modelTopology and weightsManifest)", { file: `${label}/model.json` });
  }
  const mj = jsonResult.data;
  const shards: Uint8Array[] = [];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  for (const group of mj.weightsManifest) {
    for (const p of group.paths) {
      if (p.includes("..") || p.startsWith("/") || p.includes("\\")) {
        throw invalidInput(`weight shard path "${p}" must be a plain file name in the model directory`, { file: `${label}/model.json` });
      }
      shards.push(await readFile(p));
    }
    weightSpecs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
  }
  const total = shards.reduce((s, b) => s + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const s of shards) {
    weightData.set(s, off);
    off += s.byteLength;
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: mj.modelTopology as tf.io.ModelJSON["modelTopology"], weightSpecs, weightData: weightData.buffer }),
    );
  } catch (e) {
    throw invalidInput(`TensorFlow.js could not load the model: ${(e as Error).message}`, { file: `${label}/model.json` });
  }
  const inShape = model.inputs[0]?.shape ?? [];
  const outShape = model.outputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || inShape.length !== 2) {
    model.dispose();
    throw invalidInput(`the model must have one input of shape [n, features], got ${JSON.stringify(model.inputs.map((i) => i.shape))}`, {
      file: `${label}/model.json`,
    });
  }
  const width = encodedWidth(manifest);
  if (inShape[1] !== width) {
    model.dispose();
    throw invalidInput(
      `the manifest encodes ${width} inputs (${manifest.features.length} features, one-hot blocks expanded) but the model expects input of shape [n, ${inShape[1]}]`,
      { file: `${label}/assay.model.json` },
    );
  }
  const outWidth = outShape[1];
  const o = manifest.output;
  const expected = o.type === "softmax" ? `[n, k] with k > ${o.positiveIndex}` : "[n, 1]";
  const ok = outShape.length === 2 && typeof outWidth === "number" && (o.type === "softmax" ? outWidth > o.positiveIndex && outWidth >= 2 : outWidth === 1);
  if (!ok) {
    model.dispose();
    throw invalidInput(`output type "${o.type}" needs model output of shape ${expected}, got ${JSON.stringify(outShape)}`, {
      file: `${label}/assay.model.json`,
      field: "output",
    });
  }
  const graph = layersGraph(model, manifest, width);
  return {
    format: "tfjs-layers",
    manifest,
    inputWidth: width,
    outputDescription: o.type,
    graph,
    gradients: { kind: "tfjs", description: "TensorFlow.js automatic differentiation" },
    trees: null,
    async predict(x, rows) {
      return predictProbabilities(graph, x, rows);
    },
    predictFloat32(x, rows) {
      return predictProbabilities32(graph, x, rows);
    },
    dispose() {
      graph.dispose();
    },
  };
}

/**
 * The layers model as P(positive): `apply` runs the layers on the whole tensor at once (`predict`
 * would split it into batches of 32, its default, and be ~20× slower); probability → as is,
 * logit → sigmoid, softmax → column positiveIndex.
 */
function layersGraph(model: tf.LayersModel, manifest: TTfjsManifest, width: number): TfGraph {
  const o = manifest.output;
  const toProbability = (y: tf.Tensor2D): tf.Tensor1D => {
    if (o.type === "probability") return y.reshape([-1]) as tf.Tensor1D;
    if (o.type === "logit") return tf.sigmoid(y).reshape([-1]) as tf.Tensor1D;
    return y.slice([0, o.positiveIndex], [-1, 1]).reshape([-1]) as tf.Tensor1D;
  };
  const chain = denseChain(model);
  let widest = width;
  for (const layer of model.layers) {
    for (const shape of (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as Array<Array<number | null>>) {
      widest = Math.max(widest, shape.slice(1).reduce<number>((a, v) => a * (v ?? 1), 1));
    }
  }
  return {
    inputWidth: width,
    widest,
    probability(x) {
      return toProbability(model.apply(x, { training: false }) as tf.Tensor2D);
    },
    ...(chain
      ? {
          firstLayer: {
            kernel: chain.kernel,
            bias: chain.bias,
            probabilityFrom(pre: tf.Tensor2D) {
              let t: tf.Tensor = chain.activation.apply(pre);
              for (const layer of chain.rest) t = layer.apply(t, { training: false }) as tf.Tensor;
              return toProbability(t as tf.Tensor2D);
            },
            ...shallowRest(chain, o),
          },
        }
      : {}),
    dispose() {
      model.dispose();
    },
  };
}

/** The chain's rest as P = sigmoid(act(pre)·w2 + b2) when it is one output unit after a relu or
 *  linear first layer (a sigmoid unit read as a probability, or a linear one read as a logit). */
function shallowRest(chain: NonNullable<ReturnType<typeof denseChain>>, o: TTfjsManifest["output"]): { shallow: ShallowRest } | Record<string, never> {
  const hidden = (chain.activation as { getClassName?(): string }).getClassName?.();
  if ((hidden !== "relu" && hidden !== "linear") || chain.rest.length !== 1) return {};
  const out = chain.rest[0] as tf.layers.Layer & DenseLike;
  if (out.getClassName() !== "Dense" || !out.kernel || !out.activation) return {};
  const kernel = out.kernel.read();
  const act = (out.activation as { getClassName?(): string }).getClassName?.();
  if (kernel.rank !== 2 || kernel.shape[1] !== 1 || kernel.shape[0] !== chain.kernel.shape[1]) return {};
  if (!((act === "sigmoid" && o.type === "probability") || (act === "linear" && o.type === "logit"))) return {};
  const bias = out.useBias !== false && out.bias ? (out.bias.read() as tf.Tensor1D) : null;
  return { shallow: { hidden, kernel: kernel as tf.Tensor2D, bias } };
}

interface DenseLike {
  kernel?: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
  useBias?: boolean;
  activation?: { apply(t: tf.Tensor): tf.Tensor };
}

/**
 * The model as a chain that starts with a Dense layer (a Sequential model, or a functional one
 * whose layers each take the previous one's output): its kernel, bias, activation and the layers
 * after it; null for any other shape (KernelSHAP then evaluates the whole model per input).
 */
function denseChain(model: tf.LayersModel): { kernel: tf.Tensor2D; bias: tf.Tensor1D | null; activation: { apply(t: tf.Tensor): tf.Tensor }; rest: tf.layers.Layer[] } | null {
  const layers = model.layers.filter((l) => l.getClassName() !== "InputLayer");
  const first = layers[0] as (tf.layers.Layer & DenseLike) | undefined;
  if (!first || first.getClassName() !== "Dense" || !first.kernel || !first.activation) return null;
  for (let i = 1; i < layers.length; i++) {
    const inbound = layers[i]!.inboundNodes;
    if (inbound.length !== 1 || inbound[0]!.inboundLayers.length !== 1 || inbound[0]!.inboundLayers[0] !== layers[i - 1]) return null;
  }
  // a Sequential model keeps its output layers on an inner model (outputLayers is empty here)
  const outputLayers = model.outputLayers ?? [];
  if (model.outputs.length !== 1 || (outputLayers.length > 0 && outputLayers[0] !== layers[layers.length - 1])) return null;
  const kernel = first.kernel.read();
  if (kernel.rank !== 2) return null;
  const bias = first.useBias !== false && first.bias ? (first.bias.read() as tf.Tensor1D) : null;
  return { kernel: kernel as tf.Tensor2D, bias, activation: first.activation, rest: layers.slice(1) };
}
