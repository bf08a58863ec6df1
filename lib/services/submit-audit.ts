// Use-case behind `POST /api/audits` with files (what `assay submit` sends): a YAML spec plus
// the dataset and model files it names. The files are stored like uploads (reusing identical
// ones already stored), the spec's paths are rewritten to the stored ones, the audit is queued.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError, isAppError } from "../errors";
import { getDb } from "../db/client";
import { assertCan, can, type Actor } from "../auth/roles";
import { parseSpecText } from "../spec/parse";
import { isScoreModel, type TAuditSpec } from "../spec/schema";
import { slugify } from "../text";
import { createAudit, type CreatedAudit } from "./audits";
import { storedPath, uploadDataset } from "./datasets";
import { declareScoreVersion, modelFilesFrom, removeModelVersion, uploadModelVersion, type UploadedFile } from "./models";
import { getEnv } from "../env";

export interface SubmissionInput {
  /** Project slug or name; created when absent and the caller may create projects. */
  project?: string;
  specYaml: string;
  dataset: UploadedFile | null;
  model: UploadedFile[];
}

export async function submitAudit(actor: Actor | null, input: SubmissionInput): Promise<CreatedAudit & { project: string }> {
  assertCan(actor, "run_audit");
  // all or nothing: what this call creates (project, dataset, model version) is removed again,
  // rows and files, when a later step (e.g. createAudit's checks) refuses the submission
  const undo: Array<() => Promise<unknown>> = [];
  try {
    return await submit(actor, input, undo);
  } catch (e) {
    for (const step of undo.reverse()) await step().catch(() => {});
    throw e;
  }
}

async function submit(actor: Actor, input: SubmissionInput, undo: Array<() => Promise<unknown>>): Promise<CreatedAudit & { project: string }> {
  const spec = parseSpecText(input.specYaml, "spec");
  const db = getDb();
  const projectName = input.project ?? spec.project ?? spec.name;
  let project = await db.project.findFirst({ where: { OR: [{ slug: projectName }, { slug: slugify(projectName) }] } });
  if (!project) {
    if (!can(actor, "manage_projects")) throw new AppError("FORBIDDEN", `no project "${projectName}", and your role may not create one`);
    project = await db.project.create({ data: { slug: slugify(projectName), name: projectName } });
    const created = project;
    undo.push(async () => {
      await db.project.delete({ where: { id: created.id } });
      fs.rmSync(storedPath(path.join("projects", created.id)), { recursive: true, force: true });
    });
  }

  // the dataset: a file sent with the spec, or a stored path of this project
  let datasetPath = spec.dataset.path;
  let datasetId: string | null = null;
  if (input.dataset) {
    const sha256 = createHash("sha256").update(input.dataset.data).digest("hex");
    const existing = await db.dataset.findFirst({ where: { projectId: project.id, sha256 } });
    if (existing) datasetId = existing.id;
    else {
      const data = input.dataset.data;
      datasetId = (
        await uploadDataset(actor, {
          projectSlug: project.slug,
          fileName: input.dataset.name,
          body: (async function* () {
            yield data;
          })(),
        })
      ).id;
      const id = datasetId;
      undo.push(async () => {
        const d = await db.dataset.delete({ where: { id } });
        fs.rmSync(path.dirname(storedPath(d.path)), { recursive: true, force: true });
      });
    }
    datasetPath = (await db.dataset.findUniqueOrThrow({ where: { id: datasetId } })).path;
  } else {
    const d = await db.dataset.findFirst({ where: { projectId: project.id, path: spec.dataset.path } });
    if (!d) throw new AppError("INVALID_INPUT", `send the dataset file, or name a stored dataset of project "${project.slug}"`, { location: { field: "dataset" } });
    datasetId = d.id;
  }

  // the model: files sent with the spec (a TF.js model), a score column, or a stored path
  let model: TAuditSpec["model"] = spec.model;
  if (isScoreModel(spec.model)) {
    const version = spec.model.version ?? spec.model.score;
    const existing = await db.modelVersion.findFirst({ where: { model: { projectId: project.id }, kind: "score", scoreColumn: spec.model.score } });
    if (!existing) {
      const declared = await declareScoreVersion(actor, { projectSlug: project.slug, meta: { version, datasetId, scoreColumn: spec.model.score, probability: spec.model.probability } }).catch((e) => {
        if (!(isAppError(e) && e.location.field === "version")) throw e;
        return null;
      });
      if (declared) undo.push(() => removeModelVersion(declared.id));
    }
  } else if (input.model.length) {
    const files = await modelFilesFrom(input.model, getEnv().ASSAY_MAX_MODEL_BYTES);
    const hashes = Object.fromEntries(files.map((f) => [f.name, createHash("sha256").update(f.data).digest("hex")]));
    const candidates = await db.modelVersion.findMany({ where: { model: { projectId: project.id }, kind: { not: "score" } } });
    const same = candidates.find((v) => JSON.stringify(sortKeys(v.fileHashes as Record<string, string> | null)) === JSON.stringify(sortKeys(hashes)));
    let versionId = same?.id;
    if (!versionId) {
      const label = spec.model.version ?? `v${(await db.modelVersion.count({ where: { model: { projectId: project.id } } })) + 1}`;
      versionId = (await uploadModelVersion(actor, { projectSlug: project.slug, meta: { model: spec.model.name, version: label, datasetId }, files })).id;
      const id = versionId;
      undo.push(() => removeModelVersion(id));
    }
    const v = await db.modelVersion.findUniqueOrThrow({ where: { id: versionId } });
    model = { ...spec.model, path: v.path!, version: v.version };
  }
  const created = await createAudit(actor, { projectSlug: project.slug, spec: { ...spec, dataset: { ...spec.dataset, path: datasetPath }, model } });
  return { ...created, project: project.slug };
}

function sortKeys(o: Record<string, string> | null): Array<[string, string]> {
  return Object.entries(o ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
