// `assay verify report.json [--bundle DIR|ZIP]`: re-runs an audit from its bundle (audit.yaml, the
// dataset, the model files; by default the folder the report sits in, as an unzipped bundle holds
// them) and checks that every metric of the report comes out the same, exactly (same seeds, same
// backend). Exit codes: 0 every metric matches; 1 a metric differs (each is named: a report edited
// by hand is caught this way); 2 an input is missing or its SHA-256 differs from the report's.

import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { invalidInput } from "../errors";
import { readSpecFile, resolveSpecPath } from "../io/spec-file";
import { extractZip } from "../io/zip";
import { metricKey } from "../report/diff";
import type { FlatMetric, Report } from "../report/types";
import { BUNDLE_SPEC } from "../spec/bundle";
import { isScoreModel } from "../spec/schema";
import { runAuditSpec, type RunProgress } from "../services/run-audit";

export interface VerifyResult {
  code: 0 | 1 | 2;
  lines: string[];
}

const MAX_BUNDLE_BYTES = 4 * 1024 * 1024 * 1024;

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** The bundle as a folder: the given one, the report's own folder, or a zip unpacked to a temp dir. */
async function bundleDir(reportPath: string, bundle: string | undefined): Promise<string> {
  if (!bundle) return path.dirname(path.resolve(reportPath));
  if (!fs.existsSync(bundle)) throw invalidInput(`bundle not found: ${bundle}`, { file: bundle });
  if (fs.statSync(bundle).isDirectory()) return path.resolve(bundle);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-verify-"));
  for (const f of await extractZip(new Uint8Array(fs.readFileSync(bundle)), MAX_BUNDLE_BYTES)) {
    const out = path.join(dir, f.name);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, f.data);
  }
  return dir;
}

/** Metrics are equal when both values are the same number (or both undefined) and so are their intervals. */
function sameMetric(a: FlatMetric, b: FlatMetric): boolean {
  const ci = (m: FlatMetric) => JSON.stringify(m.ci ?? null);
  return Object.is(a.value, b.value) && ci(a) === ci(b);
}

function fmt(m: FlatMetric | undefined): string {
  if (!m) return "absent";
  return `${m.value === null ? "undefined" : m.value}${m.ci ? ` [${m.ci[0]}, ${m.ci[1]}]` : ""}`;
}

function label(m: FlatMetric): string {
  return [m.id, m.attribute !== undefined ? `${m.attribute}${m.group !== undefined ? `=${m.group}` : ""}` : m.group, m.feature !== undefined ? `feature ${m.feature}` : "", m.epsilon !== undefined ? `ε ${m.epsilon}` : ""]
    .filter(Boolean)
    .join(" · ");
}

/** Checks the bundle's inputs against the report's hashes, re-runs the audit and compares every metric. */
export async function verifyReport(report: Report, reportPath: string, bundle: string | undefined, onProgress?: (p: RunProgress) => void): Promise<VerifyResult> {
  const dir = await bundleDir(reportPath, bundle);
  const specFile = path.join(dir, BUNDLE_SPEC);
  if (!fs.existsSync(specFile)) {
    return { code: 2, lines: [`no ${BUNDLE_SPEC} in ${dir}: unzip the audit bundle beside report.json, or give --bundle DIR|ZIP`] };
  }
  const { spec, baseDir } = readSpecFile(specFile);
  const problems: string[] = [];
  const dataset = resolveSpecPath(baseDir, spec.dataset.path);
  if (!fs.existsSync(dataset)) problems.push(`the dataset ${spec.dataset.path} is missing`);
  else if (sha256(dataset) !== report.dataset.sha256) problems.push(`the dataset ${spec.dataset.path} is not the one the report was made from (SHA-256 ${sha256(dataset).slice(0, 12)}…, the report records ${report.dataset.sha256.slice(0, 12)}…)`);
  if (!isScoreModel(spec.model)) {
    const modelDir = resolveSpecPath(baseDir, spec.model.path);
    for (const f of report.model.files ?? []) {
      const p = path.join(modelDir, f.name);
      if (!fs.existsSync(p)) problems.push(`the model file ${path.join(spec.model.path, f.name)} is missing`);
      else if (sha256(p) !== f.sha256) problems.push(`the model file ${path.join(spec.model.path, f.name)} is not the one the report was made from (SHA-256 differs)`);
    }
  }
  if (problems.length) return { code: 2, lines: problems };

  const rerun = await runAuditSpec({ spec, baseDir, onProgress });
  const byKey = new Map(rerun.metrics.map((m) => [metricKey(m), m]));
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const m of report.metrics) {
    const key = metricKey(m);
    seen.add(key);
    const again = byKey.get(key);
    if (!again || !sameMetric(m, again)) lines.push(`${label(m)}: the report says ${fmt(m)}, the re-run gives ${fmt(again)}`);
  }
  for (const m of rerun.metrics) if (!seen.has(metricKey(m))) lines.push(`${label(m)}: not in the report, the re-run gives ${fmt(m)}`);
  if (report.engine.backend !== rerun.engine.backend) {
    lines.unshift(`note: the report was computed on the ${report.engine.backend} backend, this re-run on ${rerun.engine.backend}; numbers agree exactly only on the same backend`);
  }
  const differing = lines.filter((l) => !l.startsWith("note:")).length;
  return differing === 0
    ? { code: 0, lines: [...lines, `all ${report.metrics.length} metrics match the re-run exactly`] }
    : { code: 1, lines: [...lines, `${differing} of ${report.metrics.length} metrics differ from the re-run`] };
}
