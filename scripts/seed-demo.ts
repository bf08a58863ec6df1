// Seeds the embedded database with the demo audits on first start, so a newcomer sees real
// reports: the CPS wages demo (two TF.js MLPs, data shipped with the project) and, when the
// shared datasets are there (../shared/datasets or ASSAY_SHARED_DIR), the Adult GBM demo (two
// XGBoost models with exact TreeSHAP and the boundary attack). Idempotent per demo project.

import fs from "node:fs";
import path from "node:path";
import { getDb } from "../lib/db/client";
import { prepareDatabase } from "../lib/db/ensure";
import { readSpecFile } from "../lib/io/spec-file";
import { runAuditSpec } from "../lib/services/run-audit";
import { saveAuditReport } from "../lib/services/save-audit-report";
import { slugify } from "../lib/text";
import { findSharedDatasetsDir } from "./shared-datasets";

const EXAMPLES = path.join(__dirname, "..", "audits", "examples");
export const DEMO_SPECS = ["v1", "v2"].map((v) => path.join(EXAMPLES, "cps-wages", `${v}.audit.yaml`));
export const GBM_DEMO_SPECS = ["v1", "v2"].map((v) => path.join(EXAMPLES, "adult-gbm", `${v}.audit.yaml`));

/** adult-test.csv of the shared datasets, or null when this checkout has none. */
export function sharedAdultTest(): string | null {
  const dir = findSharedDatasetsDir();
  const p = dir ? path.join(dir, "adult-test.csv") : null;
  return p && fs.existsSync(p) ? p : null;
}

/** Runs and stores the demo audits unless they exist; returns how many were stored. */
export async function seedDemo(log: (msg: string) => void = () => {}): Promise<number> {
  await prepareDatabase();
  let stored = await seedSpecs(DEMO_SPECS, log);
  const adult = sharedAdultTest();
  if (adult) stored += await seedSpecs(GBM_DEMO_SPECS, log, adult);
  else log("skipping the Adult GBM demo: ../shared/datasets/adult-test.csv not found (set ASSAY_SHARED_DIR)");
  return stored;
}

async function seedSpecs(files: string[], log: (msg: string) => void, datasetPath?: string): Promise<number> {
  const first = readSpecFile(files[0]!);
  const slug = slugify(first.spec.project ?? first.spec.name);
  const existing = await getDb().audit.count({ where: { project: { slug } } });
  if (existing > 0) return 0;
  let stored = 0;
  for (const file of files) {
    const read = readSpecFile(file);
    const spec = datasetPath ? { ...read.spec, dataset: { ...read.spec.dataset, path: datasetPath } } : read.spec;
    log(`running demo audit "${spec.name}"…`);
    const report = await runAuditSpec({ spec, baseDir: read.baseDir });
    await saveAuditReport({ report, createdBy: "demo", specBaseDir: read.baseDir });
    stored++;
  }
  return stored;
}
