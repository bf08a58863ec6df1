// TEST-ONLY: loads the engine's example reports ({cps-v1,cps-v2,compas}), generated with the
// CLI into a temp dir keyed by a hash of the report type, the engine and the example specs and models (so a
// schema change never meets a stale fixture), written atomically (jest runs files in parallel).
// Never imported by views or components.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Report } from "../../report/types";

export type FixtureName = "cps-v1" | "cps-v2" | "compas";

const ROOT = path.resolve(__dirname, "../../..");

function inputsHash(): string {
  const h = createHash("sha256");
  const add = (p: string) => {
    const full = path.join(ROOT, p);
    if (statSync(full).isDirectory()) for (const f of readdirSync(full).sort()) add(path.join(p, f));
    else h.update(p).update(readFileSync(full));
  };
  // the report type, the example specs and models, and the engine that computes them
  ["lib/report/types.ts", "lib/engine", "audits/examples"].forEach(add);
  return h.digest("hex").slice(0, 16);
}

export const FIXTURE_DIR = path.join(os.tmpdir(), `assay-fixtures-${inputsHash()}`);

const SPECS: Record<FixtureName, string> = {
  "cps-v1": "audits/examples/cps-wages/v1.audit.yaml",
  "cps-v2": "audits/examples/cps-wages/v2.audit.yaml",
  compas: "audits/examples/compas/decile-score.audit.yaml",
};

const cache = new Map<FixtureName, Report>();

export function loadFixture(name: FixtureName): Report {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = path.join(FIXTURE_DIR, name, "report.json");
  if (!existsSync(file)) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), `assay-fixture-${name}-`));
    try {
      execFileSync(process.execPath, [path.join(ROOT, "bin/assay.js"), "audit", SPECS[name], "--out", scratch, "--quiet"], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
    } catch (e) {
      // the CLI exits 1 when a policy check fails; the report is written all the same
      const stderr = String((e as { stderr?: Buffer }).stderr ?? "").trim().slice(-2000);
      if (!existsSync(path.join(scratch, "report.json"))) throw new Error(`fixture ${name}: the CLI could not generate it: ${(e as Error).message}${stderr ? `\n${stderr}` : ""}`);
    }
    try {
      mkdirSync(FIXTURE_DIR, { recursive: true });
      renameSync(scratch, path.join(FIXTURE_DIR, name)); // atomic; another worker may have won the race
    } catch {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const report = JSON.parse(readFileSync(file, "utf8")) as Report;
  cache.set(name, report);
  return report;
}
