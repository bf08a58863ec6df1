// Loads a TF.js LayersModel from its artefacts (model.json + weight shards) handed in by the
// caller, so the engine never touches the file system, and checks it against its manifest.

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { invalidInput } from "../../errors";
import { encodedWidth, ZModelManifest, type TModelManifest } from "./manifest";

const ZModelJson = z
  .object({
    modelTopology: z.record(z.string(), z.unknown()),
    weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.unknown()) })),
    format: z.string().optional(),
  })
  .passthrough();

export interface ModelArtefacts {
  /** Parsed model.json. */
  modelJson: unknown;
  /** Parsed assay.model.json. */
  manifest: unknown;
  /** Reads a weight shard named in model.json's weightsManifest. */
  readWeights(path: string): Promise<Uint8Array>;
  /** Directory name for messages. */
  label: string;
}

export interface LoadedModel {
  model: tf.LayersModel;
  manifest: TModelManifest;
  inputWidth: number;
  outputWidth: number;
}

/** Validates the manifest and model.json, loads the model, checks shapes. */
export async function loadModel(a: ModelArtefacts): Promise<LoadedModel> {
  const manifestResult = ZModelManifest.safeParse(a.manifest);
  if (!manifestResult.success) {
    const issue = manifestResult.error.issues[0]!;
    throw invalidInput(`invalid model manifest: ${issue.message}`, { file: `${a.label}/assay.model.json`, field: issue.path.join(".") });
  }
  const manifest = manifestResult.data;
  const jsonResult = ZModelJson.safeParse(a.modelJson);
  if (!jsonResult.success) {
    throw invalidInput("not a TensorFlow.js LayersModel (expected modelTopology and weightsManifest)", { file: `${a.label}/model.json` });
  }
  const mj = jsonResult.data;
  const shards: Uint8Array[] = [];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  for (const group of mj.weightsManifest) {
    for (const p of group.paths) {
      if (p.includes("..") || p.startsWith("/") || p.includes("\\")) {
        throw invalidInput(`weight shard path "${p}" must be a plain file name in the model directory`, { file: `${a.label}/model.json` });
      }
      shards.push(await a.readWeights(p));
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
    throw invalidInput(`TensorFlow.js could not load the model: ${(e as Error).message}`, { file: `${a.label}/model.json` });
  }
  const inShape = model.inputs[0]?.shape ?? [];
  const outShape = model.outputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || inShape.length !== 2) {
    model.dispose();
    throw invalidInput(`the model must have one input of shape [n, features], got ${JSON.stringify(model.inputs.map((i) => i.shape))}`, {
      file: `${a.label}/model.json`,
    });
  }
  const width = encodedWidth(manifest);
  if (inShape[1] !== width) {
    model.dispose();
    throw invalidInput(
      `the manifest encodes ${width} inputs (${manifest.features.length} features, one-hot blocks expanded) but the model expects input of shape [n, ${inShape[1]}]`,
      { file: `${a.label}/assay.model.json` },
    );
  }
  const outWidth = outShape[1];
  const o = manifest.output;
  const expected = o.type === "softmax" ? `[n, k] with k > ${o.positiveIndex}` : "[n, 1]";
  const ok = outShape.length === 2 && typeof outWidth === "number" && (o.type === "softmax" ? outWidth > o.positiveIndex && outWidth >= 2 : outWidth === 1);
  if (!ok) {
    model.dispose();
    throw invalidInput(`output type "${o.type}" needs model output of shape ${expected}, got ${JSON.stringify(outShape)}`, {
      file: `${a.label}/assay.model.json`,
      field: "output",
    });
  }
  return { model, manifest, inputWidth: width, outputWidth: outWidth as number };
}
