// The `assay` command line: runs audits as code, headless, for CI pipelines.
//   assay audit SPEC [--out DIR] [--json] [--save] [--quiet] [--no-color]
// Exit codes: 0 every policy check passed, 1 a check failed, 2 invalid input, 3 internal error.

// What only some commands need (the database, the PDF renderer, the HTTP client, the verifier)
// is imported where it is used: `assay audit` starts without loading them.
import fs from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { auditPhases, createProgressBar } from "../lib/cli/progress";
import { renderSummary } from "../lib/cli/summary";
import { readSpecFile } from "../lib/io/spec-file";
import { runAuditSpec } from "../lib/services/run-audit";
import { ENGINE_VERSION } from "../lib/version";
import { slugify } from "../lib/text";
import { reportSha256 } from "../lib/report/hash";
import { REPORT_SCHEMA_VERSION, type Report } from "../lib/report/types";
import { invalidInput, isAppError } from "../lib/errors";
import { reportJson } from "../lib/report/json";

const USAGE = `assay ${ENGINE_VERSION}: model audits as code

Usage:
  assay audit SPEC [options]     run the audit described by SPEC (an .audit.yaml file)
  assay report REPORT.json --pdf OUT.pdf [--previous PREV.json] [--prepared-by NAME]
                                 render a stored report as a PDF audit report
  assay submit SPEC --server URL --token TOKEN [--project NAME] [--no-wait] [--timeout SECONDS]
                                 send SPEC with its dataset and model to an Assay server, wait
                                 for the audit and exit on its policy result (for CI jobs)
  assay verify REPORT.json [--bundle DIR|ZIP]
                                 re-run the audit from its bundle (default: the report's folder)
                                 and check that every metric of the report comes out the same;
                                 exit 0 all match, 1 a metric differs, 2 an input is missing or changed
  assay verify-log               check the app's audit trail (ASSAY_DATA_DIR's database) link by
                                 link; exit 0 intact, 1 names the first event edited or deleted

Options for audit:
  --out DIR      where to write report.json (default: ./out/<spec name>/)
  --json         print the report JSON to stdout instead of the summary
  --save         also store the report in the app's database (ASSAY_DATA_DIR)
  --pdf          also write DIR/report.pdf
  --quiet        no progress bar
  --no-color     no ANSI colours (also: NO_COLOR=1)

Exit codes: 0 all policy checks passed · 1 a policy check failed · 2 invalid input · 3 internal error
Environment: ASSAY_BACKEND (webgpu | tfjs-node-gpu | tfjs-node | wasm | cpu), ASSAY_ALLOW_SOFTWARE_GPU=1, ASSAY_DATA_DIR`;

/** Parses a command's arguments; prints the problem and returns null when they do not parse. */
function parseCommand<T extends ParseArgsConfig["options"]>(args: string[], options: T) {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (e) {
    process.stderr.write(`assay: ${(e as Error).message}\n`);
    return null;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === "--version" || command === "version") {
    process.stdout.write(`${ENGINE_VERSION}\n`);
    return 0;
  }
  if (command === "submit") return submitCommand(rest);
  if (command === "report") return reportCommand(rest);
  if (command === "verify") return verifyCommand(rest);
  if (command === "verify-log") return verifyLogCommand();
  if (command !== "audit") {
    process.stderr.write(`assay: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  const args = parseCommand(rest, {
    out: { type: "string" },
    json: { type: "boolean", default: false },
    save: { type: "boolean", default: false },
    pdf: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    "no-color": { type: "boolean", default: false },
  });
  if (!args) return 2;
  const specPath = args.positionals[0];
  if (!specPath || args.positionals.length > 1) {
    process.stderr.write(`assay audit: give exactly one spec file\n\n${USAGE}\n`);
    return 2;
  }
  const color = !args.values["no-color"] && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);
  let bar: ReturnType<typeof createProgressBar> | null = null;
  try {
    const { spec, baseDir } = readSpecFile(specPath);
    bar = args.values.quiet ? null : createProgressBar(process.stderr, auditPhases(spec));
    const report = await runAuditSpec({ spec, baseDir, onProgress: (p) => bar?.update(p) });
    bar?.done();
    const outDir = path.resolve(args.values.out ?? path.join("out", slugify(spec.name)));
    fs.mkdirSync(outDir, { recursive: true });
    const reportPath = path.join(outDir, "report.json");
    fs.writeFileSync(reportPath, `${reportJson(report)}\n`);
    if (args.values.pdf) {
      const pdfPath = path.join(outDir, "report.pdf");
      const { renderReportPdf } = await import("../lib/reports/pdf/render");
      fs.writeFileSync(pdfPath, await renderReportPdf(report, { reportSha256: reportSha256(report), preparedBy: process.env.USER ? `${process.env.USER} (assay CLI)` : "assay CLI" }));
      process.stderr.write(`pdf: ${path.relative(process.cwd(), pdfPath) || pdfPath}\n`);
    }
    if (args.values.save) {
      const { saveAuditReport } = await import("../lib/services/save-audit-report");
      const { closeDb } = await import("../lib/db/client");
      const saved = await saveAuditReport({ report, createdBy: `cli:${process.env.USER ?? "unknown"}`, specBaseDir: baseDir });
      process.stderr.write(`saved as audit ${saved.id}\n`);
      await closeDb();
    }
    if (args.values.json) process.stdout.write(`${reportJson(report)}\n`);
    else process.stdout.write(`${renderSummary(report, { color })}\n\nreport: ${path.relative(process.cwd(), reportPath) || reportPath}\n`);
    return report.passed ? 0 : 1;
  } catch (e) {
    bar?.done();
    if (isAppError(e) && e.code === "INVALID_INPUT") {
      process.stderr.write(`assay: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`assay: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}

async function reportCommand(rest: string[]): Promise<number> {
  const args = parseCommand(rest, { pdf: { type: "string" }, previous: { type: "string" }, "prepared-by": { type: "string" } });
  if (!args) return 2;
  const input = args.positionals[0];
  if (!input || !args.values.pdf) {
    process.stderr.write(`assay report: give a report.json and --pdf OUT.pdf\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const report = readReportFile(input);
    const previous = args.values.previous ? readReportFile(args.values.previous) : null;
    const t0 = performance.now();
    const { renderReportPdf } = await import("../lib/reports/pdf/render");
    const pdf = await renderReportPdf(report, {
      reportSha256: reportSha256(report),
      previous: previous ? { version: previous.spec.model.version ?? previous.model.scoreColumn ?? path.basename(args.values.previous!), report: previous } : null,
      preparedBy: args.values["prepared-by"],
    });
    fs.writeFileSync(args.values.pdf, pdf);
    process.stderr.write(`wrote ${args.values.pdf} (${(pdf.byteLength / 1024).toFixed(0)} KB in ${((performance.now() - t0) / 1000).toFixed(2)} s)\n`);
    return 0;
  } catch (e) {
    if (isAppError(e) && e.code === "INVALID_INPUT") {
      process.stderr.write(`assay: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`assay report: internal error: ${(e as Error).stack}\n`);
    return 3;
  }
}

/** A report.json written by `assay audit` (or downloaded from the app), checked for its schema version. */
function readReportFile(file: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw invalidInput(`not a readable JSON report: ${(e as Error).message}`, { file });
  }
  const r = value as Partial<Report>;
  if (!r || r.schemaVersion !== REPORT_SCHEMA_VERSION || !r.sections || !Array.isArray(r.policy)) {
    throw invalidInput(`not an Assay report of schema version ${REPORT_SCHEMA_VERSION}`, { file });
  }
  return r as Report;
}

async function verifyCommand(rest: string[]): Promise<number> {
  const args = parseCommand(rest, { bundle: { type: "string" }, quiet: { type: "boolean", default: false } });
  if (!args) return 2;
  const input = args.positionals[0];
  if (!input || args.positionals.length > 1) {
    process.stderr.write(`assay verify: give one report.json\n\n${USAGE}\n`);
    return 2;
  }
  let bar: ReturnType<typeof createProgressBar> | null = null;
  try {
    const report = readReportFile(input);
    bar = args.values.quiet ? null : createProgressBar(process.stderr, auditPhases(report.spec));
    const { verifyReport } = await import("../lib/cli/verify");
    const result = await verifyReport(report, input, args.values.bundle, (p) => bar?.update(p));
    bar?.done();
    const out = result.code === 0 ? process.stdout : process.stderr;
    for (const line of result.lines) out.write(`${result.code === 0 || line.startsWith("note:") ? "" : "assay verify: "}${line}\n`);
    return result.code;
  } catch (e) {
    bar?.done();
    if (isAppError(e) && e.code === "INVALID_INPUT") {
      process.stderr.write(`assay: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`assay verify: internal error: ${(e as Error).stack}\n`);
    return 3;
  }
}

async function verifyLogCommand(): Promise<number> {
  try {
    const { prepareDatabase } = await import("../lib/db/ensure");
    const { verifyEventChain } = await import("../lib/services/events");
    await prepareDatabase();
    const r = await verifyEventChain();
    if (r.ok) process.stdout.write(`audit trail intact: ${r.count.toLocaleString("en-US")} events, head ${r.head}\n`);
    else process.stderr.write(`assay verify-log: the audit trail is broken at event ${r.broken!.seq}: ${r.broken!.reason} (${r.count.toLocaleString("en-US")} events before it check out)\n`);
    return r.ok ? 0 : 1;
  } catch (e) {
    process.stderr.write(`assay verify-log: ${(e as Error).message}\n`);
    return 3;
  } finally {
    await (await import("../lib/db/client")).closeDb();
  }
}

async function submitCommand(rest: string[]): Promise<number> {
  const args = parseCommand(rest, {
    server: { type: "string", default: process.env.ASSAY_SERVER },
    token: { type: "string", default: process.env.ASSAY_TOKEN },
    project: { type: "string" },
    "no-wait": { type: "boolean", default: false },
    timeout: { type: "string", default: "3600" },
    json: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    "no-color": { type: "boolean", default: false },
  });
  if (!args) return 2;
  const spec = args.positionals[0];
  if (!spec || !args.values.server || !args.values.token) {
    process.stderr.write(`assay submit: give a spec, --server URL and --token TOKEN (or ASSAY_SERVER / ASSAY_TOKEN)\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const { submit } = await import("../lib/cli/submit");
    return await submit({
      spec,
      server: args.values.server,
      token: args.values.token,
      project: args.values.project,
      wait: !args.values["no-wait"],
      timeoutSeconds: Number(args.values.timeout),
      json: args.values.json,
      quiet: args.values.quiet,
      color: !args.values["no-color"] && !process.env.NO_COLOR && Boolean(process.stdout.isTTY),
    });
  } catch (e) {
    if (isAppError(e) && e.code === "INVALID_INPUT") {
      process.stderr.write(`assay: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`assay submit: ${(e as Error).message}\n`);
    return 3;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`assay: internal error: ${(e as Error).stack}\n`);
      process.exitCode = 3;
    },
  );
}
