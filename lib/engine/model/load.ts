// Loads a model of any supported format from its files, handed in by the caller (the engine never
// touches the file system): the manifest says which format and which file; the loader of that
// format checks the model against the manifest and returns an AuditModel.

import { invalidInput } from "../../errors";
import { ZModelManifest } from "./manifest";
import type { AuditModel } from "./model";
import { loadOnnxModel, type OnnxLoadOptions } from "./onnx/load";
import { loadTfjsModel } from "./tfjs";
import { loadXgboostModel } from "../trees/xgboost-json";

export interface ModelArtefacts {
  /** Parsed assay.model.json. */
  manifest: unknown;
  /** Reads a file of the model directory by its plain name. */
  readFile(name: string): Promise<Uint8Array>;
  /** Directory name for messages. */
  label: string;
  /** ONNX: threads per inference session (default 1: worker pools run one session per thread). */
  onnx?: OnnxLoadOptions;
}

export const MANIFEST_FILE = "assay.model.json";

/** Validates the manifest, then loads the model it describes. Throws INVALID_INPUT on bad files. */
export async function loadModel(a: ModelArtefacts): Promise<AuditModel> {
  const manifestResult = ZModelManifest.safeParse(a.manifest);
  if (!manifestResult.success) {
    const issue = manifestResult.error.issues[0]!;
    throw invalidInput(`invalid model manifest: ${issue.message}`, { file: `${a.label}/${MANIFEST_FILE}`, field: issue.path.join(".") });
  }
  const manifest = manifestResult.data;
  switch (manifest.format) {
    case "tfjs-layers":
      return loadTfjsModel(manifest, a.label, a.readFile);
    case "onnx":
      return loadOnnxModel(manifest, a.label, await a.readFile(manifest.file), a.onnx);
    case "xgboost-json":
      return loadXgboostModel(manifest, a.label, await a.readFile(manifest.file));
  }
}
