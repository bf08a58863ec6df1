// Builds small TF.js LayersModels with known weights and serializes them to the same artefacts
// a model directory holds (model.json + one weight shard), for tests.

import * as tf from "@tensorflow/tfjs";
import fs from "node:fs";
import path from "node:path";
import type { ModelArtefacts } from "../../lib/engine/model/load";

export interface SerializedModel {
  modelJson: { modelTopology: unknown; weightsManifest: Array<{ paths: string[]; weights: unknown[] }>; format: string };
  weights: Uint8Array;
}

export async function serialize(model: tf.LayersModel): Promise<SerializedModel> {
  let out: SerializedModel | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      out = {
        modelJson: { format: "layers-model", modelTopology: a.modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs! }] },
        weights: new Uint8Array(a.weightData as ArrayBuffer),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return out!;
}

/** A single dense layer y = act(x·w + b) with the given weights (w: inputs × units). */
export function denseModel(w: number[][], b: number[], activation: "sigmoid" | "linear" | "softmax"): tf.Sequential {
  const inputs = w.length;
  const units = b.length;
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [inputs], units, activation })] });
  model.layers[0]!.setWeights([tf.tensor2d(w, [inputs, units]), tf.tensor1d(b)]);
  return model;
}

export function artefacts(s: SerializedModel, manifest: unknown, label = "test-model"): ModelArtefacts {
  const files = modelFiles(s);
  return {
    manifest,
    label,
    readFile: async (name) => {
      const f = files[name];
      if (!f) throw new Error(`no file ${name}`);
      return f;
    },
  };
}

/** The files of a serialized model, by name (model.json, weights.bin). */
export function modelFiles(s: SerializedModel): Record<string, Uint8Array> {
  return { "model.json": new TextEncoder().encode(JSON.stringify(s.modelJson)), "weights.bin": s.weights };
}

/** Writes a model directory (model.json, weights.bin, assay.model.json). */
export function writeModelDir(dir: string, s: SerializedModel, manifest: unknown): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "model.json"), JSON.stringify(s.modelJson));
  fs.writeFileSync(path.join(dir, "weights.bin"), s.weights);
  fs.writeFileSync(path.join(dir, "assay.model.json"), JSON.stringify(manifest, null, 2));
}
