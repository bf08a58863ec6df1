// Use-case: an audit's bundle, a zip that reproduces it anywhere: audit.yaml (paths relative to the
// zip), the dataset, the model's files, a SHAP background file, and the stored report.json.
// `npx assay audit audit.yaml` inside the unzipped bundle gives the same metrics (same seeds), and
// `npx assay verify report.json` checks a report against it.

import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";
import { getDb } from "../db/client";
import { assertCan, type Actor } from "../auth/roles";
import { zipFiles, type UploadedFile } from "../io/zip";
import type { Report } from "../report/types";
import { BUNDLE_BACKGROUND_DIR, BUNDLE_MODEL_DIR, BUNDLE_REPORT, BUNDLE_SPEC, bundleFileName, bundleSpec, bundleSpecYaml } from "../spec/bundle";
import { isScoreModel, type TAuditSpec } from "../spec/schema";
import { validateSpec } from "../spec/parse";
import { slugify } from "../text";
import { storedPath } from "./datasets";
import { reportJson } from "../report/json";

export async function buildAuditBundle(actor: Actor | null, id: string): Promise<{ fileName: string; zip: Buffer }> {
  assertCan(actor, "read");
  const a = await getDb().audit.findUnique({ where: { id }, include: { project: true, dataset: true, modelVersion: true } });
  if (!a) throw new AppError("NOT_FOUND", "no such audit");
  if (!a.report) throw new AppError("CONFLICT", `the audit has no report yet (${a.status})`);
  // validated again: the stored spec in the schema's key order (PostgreSQL's jsonb reorders keys)
  const spec: TAuditSpec = validateSpec(a.spec);
  const report = a.report as unknown as Report;
  const read = (p: string, what: string): Uint8Array => {
    const full = storedPath(p);
    if (!fs.existsSync(full)) throw new AppError("CONFLICT", `the audit's ${what} is no longer stored (${p})`);
    return new Uint8Array(fs.readFileSync(full));
  };
  const files: UploadedFile[] = [];
  const bundled = bundleSpec(spec);
  files.push({ name: BUNDLE_SPEC, data: new TextEncoder().encode(bundleSpecYaml(bundled, [`Audit ${a.id} of project "${a.project?.name ?? spec.project ?? spec.name}", ${a.finishedAt?.toISOString() ?? ""}`])) });
  // the stored files (the dataset and model version records: audits saved from the CLI keep the
  // spec's paths as written, relative to a spec file elsewhere)
  files.push({ name: bundled.dataset.path, data: read(a.dataset?.path ?? spec.dataset.path, "dataset") });
  if (!isScoreModel(spec.model)) {
    const dir = storedPath(a.modelVersion?.path ?? spec.model.path);
    if (!fs.existsSync(dir)) throw new AppError("CONFLICT", `the audit's model is no longer stored (${spec.model.path})`);
    for (const f of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, f);
      if (fs.statSync(full).isFile()) files.push({ name: `${BUNDLE_MODEL_DIR}/${f}`, data: new Uint8Array(fs.readFileSync(full)) });
    }
  }
  const shap = spec.analyses.shap;
  if (shap && "path" in shap.background) files.push({ name: `${BUNDLE_BACKGROUND_DIR}/${bundleFileName(shap.background.path)}`, data: read(shap.background.path, "SHAP background file") });
  files.push({ name: BUNDLE_REPORT, data: new TextEncoder().encode(`${reportJson(report)}\n`) });
  return { fileName: `${slugify(a.name)}-bundle.zip`, zip: await zipFiles(files) };
}
