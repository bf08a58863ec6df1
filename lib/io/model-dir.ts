// Loads a TF.js model directory (model.json, weight shards, assay.model.json) from disk and
// hashes every file the model is made of.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { invalidInput } from "../errors";
import { loadModel, type LoadedModel } from "../engine/model/load";
import type { FileHash } from "../report/types";
import type { ModelFiles } from "../compute/protocol";

export const MANIFEST_FILE = "assay.model.json";

/** Loads and checks the model; also returns its files' hashes and bytes (for worker threads). */
export async function loadModelDir(dir: string, label = path.basename(dir)): Promise<{ loaded: LoadedModel; files: FileHash[]; modelFiles: ModelFiles }> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw invalidInput(`model directory not found: ${dir}`, { file: label });
  const files: FileHash[] = [];
  const read = (name: string): Buffer => {
    const p = path.join(dir, name);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(p);
    } catch {
      throw invalidInput(`missing file ${name} in the model directory`, { file: `${label}/${name}` });
    }
    files.push({ name, sha256: createHash("sha256").update(buf).digest("hex"), bytes: buf.byteLength });
    return buf;
  };
  const json = (name: string): unknown => {
    const text = read(name).toString("utf8");
    try {
      return JSON.parse(text);
    } catch (e) {
      throw invalidInput(`not valid JSON: ${(e as Error).message}`, { file: `${label}/${name}` });
    }
  };
  const modelJson = json("model.json");
  const manifest = json(MANIFEST_FILE);
  const shards: Record<string, Uint8Array> = {};
  const loaded = await loadModel({
    modelJson,
    manifest,
    label,
    readWeights: async (p) => (shards[p] = new Uint8Array(read(p))),
  });
  return { loaded, files: files.sort((a, b) => a.name.localeCompare(b.name)), modelFiles: { modelJson, manifest, shards, label } };
}
