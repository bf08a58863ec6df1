// Seeds the embedded database with the CPS wages demo audits (v1 and v2) on first start, so a
// newcomer sees real reports. Idempotent: does nothing once the demo project has audits.

import path from "node:path";
import { getDb } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/ensure";
import { readSpecFile } from "../lib/io/spec-file";
import { runAuditSpec } from "../lib/services/run-audit";
import { saveAuditReport } from "../lib/services/save-audit-report";
import { slugify } from "../lib/text";

export const DEMO_SPECS = ["v1", "v2"].map((v) => path.join(__dirname, "..", "audits", "examples", "cps-wages", `${v}.audit.yaml`));

/** Runs and stores the demo audits unless they exist; returns how many were stored. */
export async function seedDemo(log: (msg: string) => void = () => {}): Promise<number> {
  ensureDatabase();
  const first = readSpecFile(DEMO_SPECS[0]!);
  const slug = slugify(first.spec.project ?? first.spec.name);
  const existing = await getDb().audit.count({ where: { project: { slug } } });
  if (existing > 0) return 0;
  let stored = 0;
  for (const file of DEMO_SPECS) {
    const { spec, baseDir } = readSpecFile(file);
    log(`running demo audit "${spec.name}"…`);
    const report = await runAuditSpec({ spec, baseDir });
    await saveAuditReport({ report, createdBy: "demo", specBaseDir: baseDir });
    stored++;
  }
  return stored;
}
