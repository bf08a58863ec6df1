// The layout of an audit bundle (a zip that reproduces an audit anywhere): audit.yaml beside the
// dataset file, the model's files in model/, a SHAP background file in background/ and the stored
// report.json. The spec's paths are rewritten to that layout, relative to audit.yaml, so that
// `assay audit audit.yaml` runs inside the unzipped bundle.

import { stringify } from "yaml";
import { isScoreModel, type TAuditSpec } from "./schema";

export const BUNDLE_SPEC = "audit.yaml";
export const BUNDLE_REPORT = "report.json";
export const BUNDLE_MODEL_DIR = "model";
export const BUNDLE_BACKGROUND_DIR = "background";

/** A file name that is safe inside the bundle (no folders). */
export function bundleFileName(p: string): string {
  const base = p.split(/[\\/]/).pop() || "dataset.csv";
  return base.replace(/[^A-Za-z0-9._-]+/g, "_") || "dataset.csv";
}

/** The spec with its paths rewritten to the bundle layout (input fields are `TAuditSpec`-shaped). */
export function bundleSpec(spec: TAuditSpec): TAuditSpec {
  const out: TAuditSpec = { ...spec, dataset: { ...spec.dataset, path: bundleFileName(spec.dataset.path) } };
  if (!isScoreModel(spec.model)) out.model = { ...spec.model, path: BUNDLE_MODEL_DIR };
  const shap = spec.analyses.shap;
  if (shap && "path" in shap.background) {
    out.analyses = { ...spec.analyses, shap: { ...shap, background: { path: `${BUNDLE_BACKGROUND_DIR}/${bundleFileName(shap.background.path)}` } } };
  }
  return out;
}

/** audit.yaml's text: a header saying how to run it, then the spec. */
export function bundleSpecYaml(spec: TAuditSpec, header: string[] = []): string {
  const lines = [
    "# Assay audit spec. Paths are relative to this file: the dataset beside it, the model's files in",
    `# ${BUNDLE_MODEL_DIR}/. Run it with: npx assay audit ${BUNDLE_SPEC}   Check a report with: npx assay verify ${BUNDLE_REPORT}`,
    ...header.map((h) => `# ${h}`),
  ];
  return `${lines.join("\n")}\n${stringify(spec)}`;
}
