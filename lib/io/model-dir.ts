// Loads a model directory (assay.model.json beside the model's files: a TF.js model.json and
// weight shards, an .onnx file or an XGBoost .json) from disk and hashes every file it is made of.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { invalidInput } from "../errors";
import { loadModel, MANIFEST_FILE, type ModelArtefacts } from "../engine/model/load";
import type { AuditModel } from "../engine/model/model";
import type { FileHash } from "../report/types";
import type { ModelFiles } from "../compute/protocol";

export { MANIFEST_FILE };

/** Loads and checks the model; also returns its files' hashes and bytes (for worker threads). */
export async function loadModelDir(
  dir: string,
  label = path.basename(dir),
  options: Pick<ModelArtefacts, "onnx" | "maxWeightBytes"> = {},
): Promise<{ loaded: AuditModel; files: FileHash[]; modelFiles: ModelFiles }> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw invalidInput(`model directory not found: ${dir}`, { file: label });
  const hashes: FileHash[] = [];
  const bytes: Record<string, Uint8Array> = {};
  const read = (name: string): Uint8Array => {
    if (name in bytes) return bytes[name]!;
    const p = path.join(dir, name);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(p);
    } catch {
      throw invalidInput(`missing file ${name} in the model directory`, { file: `${label}/${name}` });
    }
    hashes.push({ name, sha256: createHash("sha256").update(buf).digest("hex"), bytes: buf.byteLength });
    return (bytes[name] = new Uint8Array(buf));
  };
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder().decode(read(MANIFEST_FILE)));
  } catch (e) {
    if ((e as Error).name === "AppError") throw e;
    throw invalidInput(`not valid JSON: ${(e as Error).message}`, { file: `${label}/${MANIFEST_FILE}` });
  }
  // sizes without reading, so that oversized TF.js weight shards are refused before they are read
  const fileSize = async (name: string): Promise<number | undefined> => {
    if (name in bytes) return bytes[name]!.byteLength;
    try {
      const st = fs.statSync(path.join(dir, name));
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  };
  const loaded = await loadModel({ manifest, label, readFile: async (name) => read(name), fileSize, ...options });
  const files = Object.fromEntries(Object.entries(bytes).filter(([name]) => name !== MANIFEST_FILE));
  return { loaded, files: hashes.sort((a, b) => a.name.localeCompare(b.name)), modelFiles: { manifest, files, label } };
}
