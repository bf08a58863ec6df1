// `assay submit`: sends an audit spec with its dataset and model files to an Assay server, waits
// for the audit, prints the summary, and exits like `assay audit` on the policy result.

import fs from "node:fs";
import path from "node:path";
import { readSpecFile, resolveSpecPath } from "../io/spec-file";
import { isScoreModel } from "../spec/schema";
import { invalidInput } from "../errors";
import type { Report } from "../report/types";
import { renderSummary } from "./summary";
import { reportJson } from "../report/json";

export interface SubmitOptions {
  spec: string;
  server: string;
  token: string;
  project?: string;
  wait: boolean;
  timeoutSeconds: number;
  color: boolean;
  json: boolean;
  quiet: boolean;
}

interface ApiError {
  error?: { code: string; message: string; field?: string; line?: number; column?: string; file?: string };
}

/** Exit codes: 0 passed, 1 a policy check failed, 2 invalid input, 3 anything else. */
export async function submit(o: SubmitOptions, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  const { spec, baseDir, text } = readSpecFile(o.spec);
  const form = new FormData();
  form.set("spec", text);
  if (o.project) form.set("project", o.project);
  const datasetFile = resolveSpecPath(baseDir, spec.dataset.path);
  if (!fs.existsSync(datasetFile)) throw invalidInput(`dataset file not found: ${datasetFile}`, { file: o.spec, field: "dataset.path" });
  form.set("dataset", new Blob([fs.readFileSync(datasetFile)]), path.basename(datasetFile));
  if (!isScoreModel(spec.model)) {
    const dir = resolveSpecPath(baseDir, spec.model.path);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw invalidInput(`model directory not found: ${dir}`, { file: o.spec, field: "model.path" });
    for (const name of fs.readdirSync(dir).sort()) {
      const f = path.join(dir, name);
      if (fs.statSync(f).isFile()) form.append("model", new Blob([fs.readFileSync(f)]), name);
    }
  }
  const base = o.server.replace(/\/$/, "");
  const headers = { authorization: `Bearer ${o.token}` };
  const res = await fetch(`${base}/api/audits`, { method: "POST", body: form, headers });
  const body = (await res.json().catch(() => ({}))) as ApiError & { id?: string };
  if (!res.ok) {
    const e = body.error;
    const where = e ? [e.file, e.line ? `line ${e.line}` : "", e.column ? `column "${e.column}"` : "", e.field ? `field "${e.field}"` : ""].filter(Boolean).join(", ") : "";
    err.write(`assay submit: ${res.status} ${where ? `${where}: ` : ""}${e?.message ?? res.statusText}\n`);
    return res.status === 422 ? 2 : 3;
  }
  const id = body.id!;
  err.write(`submitted audit ${id}: ${base}/audits/${id}\n`);
  if (!o.wait) return 0;
  const deadline = Date.now() + o.timeoutSeconds * 1000;
  let last = "";
  for (;;) {
    const s = await fetch(`${base}/api/audits/${id}`, { headers });
    const st = (await s.json()) as { status: string; phase: string | null; progress: number; error: string | null; message: string | null } & ApiError;
    if (!s.ok) {
      err.write(`assay submit: ${s.status} ${st.error?.message ?? ""}\n`);
      return 3;
    }
    const line = `${st.status} ${st.phase ?? ""} ${Math.round(st.progress * 100)}%${st.message ? ` (${st.message})` : ""}`;
    if (!o.quiet && line !== last) {
      err.write(err.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
      last = line;
    }
    if (st.status === "succeeded") break;
    if (st.status === "failed" || st.status === "cancelled") {
      if (err.isTTY) err.write("\n");
      err.write(`assay submit: the audit ${st.status}${st.error ? `: ${st.error}` : ""}\n`);
      return st.error && /^[^:]+, line \d+|INVALID/.test(st.error) ? 2 : 3;
    }
    if (Date.now() > deadline) {
      err.write(`\nassay submit: still ${st.status} after ${o.timeoutSeconds} s; see ${base}/audits/${id}\n`);
      return 3;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (err.isTTY && !o.quiet) err.write("\n");
  const full = await fetch(`${base}/api/audits/${id}?include=report`, { headers });
  const report = ((await full.json()) as { report: Report }).report;
  out.write(o.json ? `${reportJson(report)}\n` : `${renderSummary(report, { color: o.color })}\n\nreport: ${base}/audits/${id}\n`);
  return report.passed ? 0 : 1;
}
