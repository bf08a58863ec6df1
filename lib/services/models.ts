// Use-cases for model versions: upload a model (TF.js model.json + weight shards, an .onnx file or
// an XGBoost .json, alone or zipped, with assay.model.json or a manifest written in the form),
// checked for path traversal and size before anything is written, validated by loading it and
// scoring the first rows of a chosen dataset; describe an upload and propose its manifest from
// the dataset; or declare a score column.

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { getDb } from "../db/client";
import { getEnv } from "../env";
import { assertCan, type Actor } from "../auth/roles";
import { configuredBackend } from "../compute/configured-backend";
import { loadTable } from "../engine/data/table";
import { createEncoder } from "../engine/model/encode";
import { loadModelDir, MANIFEST_FILE } from "../io/model-dir";
import { capabilitiesOf } from "../engine/model/capabilities";
import { describeModelFile, proposeManifest } from "../engine/model/propose";
import { normalizeProfile, storedPath } from "./datasets";
import { extractZip, safeEntryName, type UploadedFile } from "../io/zip";
import fsp from "node:fs/promises";
import { parseInput } from "../validate";
import { PRIVATE_FILE, ensurePrivateDir } from "../io/private-fs";
import { recordEventSafely } from "./events";
import { notValidJson } from "../engine/json-error";

export { extractZip, safeEntryName, type UploadedFile } from "../io/zip";

const CHECK_ROWS = 20;

export const ZModelVersionMeta = z.object({
  model: z.string().trim().max(120).optional(),
  version: z.string().trim().min(1, "give the version a label, e.g. v3").max(60),
  datasetId: z.string().min(1, "choose a dataset to check the model on"),
});

export const ZScoreVersion = ZModelVersionMeta.extend({
  scoreColumn: z.string().min(1, "choose the score column"),
  probability: z.boolean().default(false),
});

/**
 * Files of a model directory: a zip is unpacked; a single top-level folder is flattened. With
 * `manifest` (JSON text from the form) it becomes assay.model.json, replacing an uploaded one.
 * The files the manifest names (TF.js: model.json; ONNX and XGBoost: its `file`) must be there.
 */
export async function modelFilesFrom(files: UploadedFile[], maxBytes: number, manifest?: string): Promise<UploadedFile[]> {
  const out = await unpackModelFiles(files, maxBytes);
  const withManifest = manifest !== undefined ? [...out.filter((f) => f.name !== MANIFEST_FILE), { name: MANIFEST_FILE, data: new TextEncoder().encode(manifest) }] : out;
  const m = withManifest.find((f) => f.name === MANIFEST_FILE);
  if (!m) {
    throw invalidInput(`missing ${MANIFEST_FILE}: add it to the upload, or let the form propose one (it says how dataset columns become the model's inputs)`, { field: "files" });
  }
  let parsed: { format?: unknown; file?: unknown };
  const manifestText = new TextDecoder().decode(m.data);
  try {
    parsed = JSON.parse(manifestText) as typeof parsed;
  } catch (e) {
    throw invalidInput(notValidJson(MANIFEST_FILE, manifestText, e), { field: "manifest" });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw invalidInput(`${MANIFEST_FILE} must be a JSON object ({ "format": …, "features": […], … }); found ${parsed === null ? "null" : Array.isArray(parsed) ? "a list" : typeof parsed}`, { field: "manifest" });
  }
  if (parsed.file !== undefined && (typeof parsed.file !== "string" || !/^[^/\\]+$/.test(parsed.file) || parsed.file === "." || parsed.file === "..")) {
    throw invalidInput(`${MANIFEST_FILE}, field "file": file must be a plain file name in the model directory (no folders), e.g. "model.onnx"`, { field: "manifest" });
  }
  const needed = parsed.format === "onnx" ? String(parsed.file ?? "model.onnx") : parsed.format === "xgboost-json" ? String(parsed.file ?? "model.json") : "model.json";
  if (!withManifest.some((f) => f.name === needed)) {
    const what = parsed.format === "onnx" ? "the ONNX file" : parsed.format === "xgboost-json" ? "the XGBoost JSON model" : "a TF.js model needs model.json and its weight files";
    throw invalidInput(`missing ${needed} (${what}); the upload has ${withManifest.map((f) => f.name).join(", ")}`, { field: "files" });
  }
  return withManifest;
}

/** A zip unpacked (or the files as sent), checked: one flat folder, no traversal, within the size limit. */
async function unpackModelFiles(files: UploadedFile[], maxBytes: number): Promise<UploadedFile[]> {
  const total = files.reduce((s, f) => s + f.data.byteLength, 0);
  if (total > maxBytes) throw invalidInput(`the upload is larger than ${(maxBytes / 1024 / 1024).toFixed(0)} MB`, { field: "files" });
  let out = files;
  if (files.length === 1 && files[0]!.name.toLowerCase().endsWith(".zip")) out = await extractZip(files[0]!.data, maxBytes);
  out = out.filter((f) => !f.name.split("/").some((p) => p.startsWith("__MACOSX") || p === ".DS_Store"));
  const isModelFile = (n: string) => /(^|\/)(model\.json|[^/]+\.onnx|[^/]+\.json)$/i.test(n) && !/(^|\/)assay\.model\.json$/i.test(n);
  if (files.length === 1 && files[0]!.name.toLowerCase().endsWith(".zip") && !out.some((f) => isModelFile(f.name))) {
    const shown = out.slice(0, 10).map((f) => f.name);
    throw invalidInput(`no model.json (or .onnx / XGBoost .json) in this zip; it holds ${out.length ? `${shown.join(", ")}${out.length > 10 ? ` and ${out.length - 10} more` : ""}` : "nothing"}`, { field: "files" });
  }
  const tops = new Set(out.map((f) => (f.name.includes("/") ? f.name.split("/")[0] : "")));
  if (tops.size === 1 && !tops.has("")) out = out.map((f) => ({ ...f, name: f.name.split("/").slice(1).join("/") }));
  for (const f of out) {
    const safe = safeEntryName(f.name);
    if (!safe || safe.includes("/")) throw invalidInput(`"${f.name}": model files must sit side by side in one folder`, { field: "files" });
  }
  if (out.length === 0) throw invalidInput("choose the model files or a zip", { field: "files" });
  return out;
}

export interface ModelUploadDescription {
  format: string;
  file: string;
  summary: string[];
  /** The manifest to review: the uploaded assay.model.json, or a proposal drawn from the dataset. */
  manifest: string;
  proposed: boolean;
  notes: string[];
}

const PROPOSAL_ROWS = 20_000;

/**
 * What an upload is and the manifest to review before it is checked: the uploaded
 * assay.model.json as is, or one proposed from the dataset's columns (the label and ignored
 * columns left out) and the model file's declared inputs and outputs.
 */
export async function describeModelUpload(
  actor: Actor | null,
  input: { projectSlug: string; datasetId: string; files: UploadedFile[] },
): Promise<ModelUploadDescription> {
  assertCan(actor, "upload");
  const { dataset } = await projectAndDataset(actor, input.projectSlug, input.datasetId);
  const files = await unpackModelFiles(input.files, getEnv().ASSAY_MAX_MODEL_BYTES);
  let desc = null;
  for (const f of files) {
    try {
      desc = describeModelFile(f.name, f.data);
    } catch (e) {
      throw invalidInput(`${f.name}: ${(e as Error).message}`, { field: "files" });
    }
    if (desc) break;
  }
  if (!desc) {
    throw invalidInput(`no model file found among ${files.map((f) => f.name).join(", ")}: upload an .onnx file, an XGBoost .json model, or a TF.js model.json with its weights`, { field: "files" });
  }
  const uploaded = files.find((f) => f.name === MANIFEST_FILE);
  if (uploaded) {
    return { format: desc.format, file: desc.file, summary: desc.summary, manifest: new TextDecoder().decode(uploaded.data), proposed: false, notes: [`${MANIFEST_FILE} from the upload`] };
  }
  const table = await loadTable(fs.createReadStream(storedPath(dataset.path), { highWaterMark: 64 * 1024 }), { fileName: dataset.name, takeRows: PROPOSAL_ROWS });
  const exclude = [dataset.label, ...((dataset.ignored as string[] | null) ?? [])].filter((c): c is string => !!c);
  const proposal = proposeManifest(desc, table, { exclude, ...(dataset.positive ? { positive: dataset.positive } : {}) });
  return { format: desc.format, file: desc.file, summary: desc.summary, manifest: JSON.stringify(proposal.manifest, null, 2), proposed: true, notes: proposal.notes };
}

async function projectAndDataset(actor: Actor, projectSlug: string, datasetId: string) {
  const db = getDb();
  const project = await db.project.findUnique({ where: { slug: projectSlug } });
  if (!project) throw new AppError("NOT_FOUND", `no project "${projectSlug}"`);
  const dataset = await db.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset || dataset.projectId !== project.id) throw invalidInput("choose a dataset of this project", { field: "datasetId" });
  void actor;
  return { project, dataset };
}

async function modelFor(projectId: string, name: string) {
  return getDb().model.upsert({ where: { projectId_name: { projectId, name } }, create: { projectId, name }, update: {} });
}

/** A failed upload leaves no empty model behind (the model row is created with its first version). */
async function dropIfEmpty(modelId: string): Promise<void> {
  await getDb()
    .model.deleteMany({ where: { id: modelId, versions: { none: {} } } })
    .catch(() => {});
}

/** Undoes a version's creation (a refused submission): its files, its row, and its model when it was the only version. */
export async function removeModelVersion(id: string): Promise<void> {
  const v = await getDb().modelVersion.delete({ where: { id } });
  if (v.path) fs.rmSync(storedPath(v.path), { recursive: true, force: true });
  await dropIfEmpty(v.modelId);
}

async function assertNewVersion(modelId: string, version: string) {
  if (await getDb().modelVersion.findUnique({ where: { modelId_version: { modelId, version } } })) {
    throw invalidInput(`version "${version}" exists; choose another label`, { field: "version" });
  }
}

/** Uploads, checks and registers a model version (TF.js, ONNX or XGBoost JSON). */
export async function uploadModelVersion(
  actor: Actor | null,
  input: { projectSlug: string; meta: z.input<typeof ZModelVersionMeta>; files: UploadedFile[]; manifest?: string },
): Promise<{ id: string }> {
  assertCan(actor, "upload");
  const valid = parseInput(ZModelVersionMeta, input.meta);
  const meta = valid;
  const { project, dataset } = await projectAndDataset(actor, input.projectSlug, meta.datasetId);
  const existingModel = await getDb().model.findUnique({ where: { projectId_name: { projectId: project.id, name: meta.model || project.name } } });
  if (existingModel) await assertNewVersion(existingModel.id, meta.version);
  const files = await modelFilesFrom(input.files, getEnv().ASSAY_MAX_MODEL_BYTES, input.manifest);

  const id = randomUUID().replace(/-/g, "").slice(0, 24);
  const rel = path.join("projects", project.id, "models", id);
  const dir = storedPath(rel);
  ensurePrivateDir(dir);
  try {
    for (const f of files) await fsp.writeFile(path.join(dir, f.name), f.data, { mode: PRIVATE_FILE });
    await configuredBackend();
    const { loaded, files: hashes } = await loadModelDir(dir, meta.version);
    try {
      // the check: score the first rows of the chosen dataset
      const table = await loadTable(fs.createReadStream(storedPath(dataset.path), { highWaterMark: 64 * 1024 }), { fileName: dataset.name, takeRows: CHECK_ROWS });
      const encoder = createEncoder(table, loaded.manifest);
      const p = await loaded.predict(encoder.encodeRange(0, table.rows), table.rows);
      const bad = p.findIndex((v) => !(v >= 0 && v <= 1));
      if (bad !== -1) throw invalidInput(`the model returned ${p[bad]} for row ${bad + 1} of ${dataset.name}; expected a probability`, { field: "files" });
      // the version row and the project's timestamp together; the model row only with its version
      const model = await modelFor(project.id, meta.model || project.name);
      await getDb().$transaction([
        getDb().modelVersion.create({
        data: {
          id,
          modelId: model.id,
          version: meta.version,
          kind: loaded.format,
          path: rel,
          manifest: loaded.manifest as object,
          fileHashes: Object.fromEntries(hashes.map((h) => [h.name, h.sha256])),
          capabilities: capabilitiesOf(loaded) as object,
          createdBy: actor.email,
        },
      }),
        getDb().project.update({ where: { id: project.id }, data: { updatedAt: new Date() } }),
      ]).catch(async (e: unknown) => {
        await dropIfEmpty(model.id);
        throw (e as { code?: string }).code === "P2002" ? invalidInput(`version "${meta.version}" exists; choose another label`, { field: "version" }) : e;
      });
      await recordEventSafely({ actor, action: "model_version_create", target: { type: "model_version", id }, projectId: project.id, summary: `${meta.model || project.name} ${meta.version} (${loaded.format}): ${hashes.length} file(s), ${hashes.map((h) => `${h.name} ${h.sha256.slice(0, 12)}…`).join(", ").slice(0, 400)}` });
    } finally {
      loaded.dispose();
    }
    return { id };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Registers a version that is a score column of the datasets (a vendor model). */
export async function declareScoreVersion(actor: Actor | null, input: { projectSlug: string; meta: z.input<typeof ZScoreVersion> }): Promise<{ id: string }> {
  assertCan(actor, "upload");
  const valid = parseInput(ZScoreVersion, input.meta);
  const meta = valid;
  const { project, dataset } = await projectAndDataset(actor, input.projectSlug, meta.datasetId);
  const col = normalizeProfile(dataset.columns).columns.find((c) => c.name === meta.scoreColumn);
  if (!col) throw invalidInput(`"${meta.scoreColumn}" is not a column of ${dataset.name}`, { field: "scoreColumn" });
  if (col.type === "categorical") throw invalidInput(`"${meta.scoreColumn}" holds text, not scores`, { field: "scoreColumn" });
  if (meta.probability && (col.min! < 0 || col.max! > 1)) throw invalidInput(`"${meta.scoreColumn}" ranges ${col.min}–${col.max}; probabilities lie in [0, 1]`, { field: "probability" });
  const model = await modelFor(project.id, meta.model || project.name);
  try {
    await assertNewVersion(model.id, meta.version);
    const v = await getDb().modelVersion.create({
      data: { modelId: model.id, version: meta.version, kind: "score", scoreColumn: meta.scoreColumn, probability: meta.probability, createdBy: actor.email },
    });
    await recordEventSafely({ actor, action: "model_version_create", target: { type: "model_version", id: v.id }, projectId: project.id, summary: `${meta.model || project.name} ${meta.version}: score column ${meta.scoreColumn}` });
    return { id: v.id };
  } catch (e) {
    await dropIfEmpty(model.id);
    throw e;
  }
}

