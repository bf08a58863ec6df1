// The bad-input corpus (tests/bad-inputs/cases.json): every CSV, zip, model directory and spec
// there is driven through the entry point the app uses for it (the dataset upload service, the
// model upload service, parseSpecText or createAudit) and must be refused with exactly the
// AppError code and user message recorded for it, leaving nothing behind: no new rows (projects,
// datasets, models, model versions, audits) and no new or leftover files in the data dir.
//
// Cases with `todo` are refused, but with a message that should be better (the manifest records
// the current one and what it should say). Cases with `failing` crash or leak today and run as
// it.failing until the product code is fixed.
//
// Set BAD_INPUTS_RECORD=/some/file.json to run every case without assertions and write what
// each one does now (to update the manifest after a deliberate change of messages).
//
// CSV exports and formula injection: Assay exports no CSV (no route or service answers with
// text/csv; reports are JSON, PDF and the audit bundle, which holds the user's own dataset file
// byte for byte). So the formula-injection test below checks the other half: such cells are
// stored and shown verbatim, as text, and never evaluated.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { getDb, closeDb } from "../lib/db/client";
import { dataDir, resetEnvCache } from "../lib/env";
import { AppError } from "../lib/errors";
import { createProject } from "../lib/services/projects";
import { getDatasetOrThrow, uploadDataset } from "../lib/services/datasets";
import { uploadModelVersion } from "../lib/services/models";
import { createAudit } from "../lib/services/audits";
import { parseSpecText } from "../lib/spec/parse";
import * as datasetsRoute from "../app/api/projects/[slug]/datasets/route";
import { BASE_DATASET, BASE_MODEL_DIR, BASE_MODEL_FILES, GENERATED } from "./bad-inputs/make";
import { bearer, makeUser, type TestUser } from "./helpers/users";

const DIR = path.join(__dirname, "bad-inputs");

export interface BadCase {
  /** Path under tests/bad-inputs (a file, or for kind "model" a folder of files that replace the base model's). */
  file: string;
  kind: "csv" | "zip" | "model" | "spec";
  /** Specs: parsed as a file (parseSpecText) or sent to createAudit as the API's JSON body. */
  via?: "parse" | "createAudit";
  /** Environment for this case (limits), restored afterwards. */
  env?: Record<string, string>;
  /** CSV: the upload's file name (default: the case file's name), or a name this long. */
  fileName?: string;
  fileNameLength?: number;
  /** Models and zips: form fields besides the files. */
  meta?: { model?: string; version?: string };
  /** Models: base files left out of the upload. */
  omit?: string[];
  /** Expected AppError code and user message (exact), or a pattern for messages with variable parts. */
  code: string;
  message?: string;
  messageRegex?: string;
  /** The message is poor: what it should say. */
  todo?: string;
  /** Crashes or writes something today: runs as it.failing. */
  failing?: string;
  note?: string;
}

export const CASES: BadCase[] = JSON.parse(fs.readFileSync(path.join(DIR, "cases.json"), "utf8")).cases;
const RECORD = process.env.BAD_INPUTS_RECORD;
const recorded: Record<string, unknown> = {};
const CASE_TIMEOUT_MS = 10_000;

let ds: TestUser;
let slug: string;
let datasetId: string;
let datasetPath: string;
let modelPath: string;

async function caseBytes(file: string): Promise<Uint8Array> {
  const make = GENERATED[file];
  return make ? await make() : new Uint8Array(fs.readFileSync(path.join(DIR, file)));
}

function chunks(bytes: Uint8Array, size = 64 * 1024): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  })();
}

/** The base model's files, minus `omit`, replaced by the case folder's files and generated ones. */
async function modelFiles(c: BadCase): Promise<Array<{ name: string; data: Uint8Array }>> {
  const files = new Map<string, Uint8Array>();
  for (const n of BASE_MODEL_FILES) if (!c.omit?.includes(n)) files.set(n, new Uint8Array(fs.readFileSync(path.join(BASE_MODEL_DIR, n))));
  const folder = path.join(DIR, c.file);
  if (fs.existsSync(folder)) for (const n of fs.readdirSync(folder)) files.set(n, new Uint8Array(fs.readFileSync(path.join(folder, n))));
  for (const key of Object.keys(GENERATED)) if (key.startsWith(`${c.file}/`)) files.set(key.slice(c.file.length + 1), await GENERATED[key]!());
  return [...files].map(([name, data]) => ({ name, data }));
}

function specText(text: string): string {
  return text.replaceAll("DATASET", datasetPath).replaceAll("MODEL", modelPath);
}

async function run(c: BadCase, i: number): Promise<unknown> {
  const meta = { version: c.meta?.version ?? `bad-${i}`, datasetId, ...(c.meta?.model !== undefined ? { model: c.meta.model } : {}) };
  switch (c.kind) {
    case "csv": {
      const fileName = c.fileNameLength ? `${"x".repeat(c.fileNameLength - 4)}.csv` : (c.fileName ?? path.basename(c.file));
      return uploadDataset(ds.actor, { projectSlug: slug, fileName, body: chunks(await caseBytes(c.file)) });
    }
    case "zip":
      return uploadModelVersion(ds.actor, { projectSlug: slug, meta, files: [{ name: "model.zip", data: await caseBytes(c.file) }] });
    case "model":
      return uploadModelVersion(ds.actor, { projectSlug: slug, meta, files: await modelFiles(c) });
    case "spec": {
      const text = specText(new TextDecoder().decode(await caseBytes(c.file)));
      if (c.via === "createAudit") return createAudit(ds.actor, { projectSlug: slug, spec: YAML.parse(text) });
      return parseSpecText(text, path.basename(c.file));
    }
  }
}

/** Everything a refused input could have left behind: row counts and the data dir's entries. */
async function snapshot() {
  const db = getDb();
  const rows = {
    projects: await db.project.count(),
    datasets: await db.dataset.count(),
    models: await db.model.count(),
    modelVersions: await db.modelVersion.count(),
    audits: await db.audit.count(),
  };
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (dir === dataDir() && /^assay\.db/.test(e.name)) continue; // the database itself (its journal comes and goes)
      entries.push(path.relative(dataDir(), p) + (e.isDirectory() ? "/" : ""));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dataDir());
  return { rows, entries: entries.sort() };
}

/** Files a traversal case would write outside the data dir. */
function escaped(): string[] {
  return [path.join(dataDir(), "..", "evil.txt"), path.join(dataDir(), "..", "..", "evil.txt"), "/tmp/evil.tx", path.join(os.tmpdir(), "evil.txt")].filter((p) => fs.existsSync(p));
}

async function withEnv<T>(env: Record<string, string> | undefined, f: () => Promise<T>): Promise<T> {
  if (!env) return f();
  const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  resetEnvCache();
  try {
    return await f();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  }
}

beforeAll(async () => {
  ds = await makeUser("data_scientist");
  slug = (await createProject(ds.actor, { name: "Bad inputs" })).slug;
  datasetId = (await uploadDataset(ds.actor, { projectSlug: slug, fileName: "cps.csv", body: chunks(new Uint8Array(fs.readFileSync(BASE_DATASET))) })).id;
  datasetPath = (await getDb().dataset.findUniqueOrThrow({ where: { id: datasetId } })).path;
  const files = BASE_MODEL_FILES.map((name) => ({ name, data: new Uint8Array(fs.readFileSync(path.join(BASE_MODEL_DIR, name))) }));
  const { id } = await uploadModelVersion(ds.actor, { projectSlug: slug, meta: { version: "base", datasetId }, files });
  modelPath = (await getDb().modelVersion.findUniqueOrThrow({ where: { id } })).path!;
}, 120_000);

afterAll(async () => {
  if (RECORD) fs.writeFileSync(RECORD, `${JSON.stringify(recorded, null, 2)}\n`);
  await closeDb();
});

describe("the manifest", () => {
  it("has at least 60 cases, every file exists, and each expects a code and a message", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => `${c.file}|${c.via ?? ""}|${c.fileNameLength ?? ""}|${JSON.stringify(c.env ?? {})}`)).size).toBe(CASES.length);
    for (const c of CASES) {
      const exists = (c.kind === "model" && (c.omit !== undefined || c.meta !== undefined)) || c.file in GENERATED || fs.existsSync(path.join(DIR, c.file)) || Object.keys(GENERATED).some((k) => k.startsWith(`${c.file}/`));
      expect([c.file, exists]).toEqual([c.file, true]);
      expect(c.code).toMatch(/^[A-Z_]+$/);
      expect([c.file, (c.message === undefined) !== (c.messageRegex === undefined)]).toEqual([c.file, true]);
    }
  });

  it("keeps committed inputs small (big and binary ones are generated by make.ts)", () => {
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const f of walk(DIR)) expect([path.relative(DIR, f), fs.statSync(f).size <= 50 * 1024]).toEqual([path.relative(DIR, f), true]);
  });
});

describe.each(["csv", "zip", "model", "spec"] as const)("bad %s inputs are refused with a clear error and leave nothing behind", (kind) => {
  const cases = CASES.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === kind);
  for (const { c, i } of cases) {
    const title = `${c.file}${c.via === "createAudit" ? " (createAudit)" : ""}${c.fileNameLength ? ` (name of ${c.fileNameLength} characters)` : ""}${c.env ? ` (${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(", ")})` : ""}`;
    const test = c.failing && !RECORD ? it.failing : it;
    test(
      title,
      async () => {
        const before = await snapshot();
        const t0 = performance.now();
        let error: unknown = null;
        let result: unknown;
        try {
          result = await withEnv(c.env, () => run(c, i));
        } catch (e) {
          error = e;
        }
        const ms = Math.round(performance.now() - t0);
        // a write stream opens its file asynchronously: give a late file the time to appear
        await new Promise((r) => setTimeout(r, c.kind === "csv" ? 100 : 20));
        const after = await snapshot();
        if (RECORD) {
          recorded[title] = {
            file: c.file,
            ms,
            result: error ? undefined : result,
            class: error ? (error as Error).constructor?.name : null,
            code: (error as AppError | null)?.code,
            message: error instanceof AppError ? error.userMessage : error ? String((error as Error).stack ?? error).slice(0, 600) : null,
            location: (error as AppError | null)?.location,
            wrote: JSON.stringify(before) === JSON.stringify(after) ? null : { before, after },
          };
          return;
        }
        expect(error).toBeInstanceOf(AppError);
        const e = error as AppError;
        expect(e.code).toBe(c.code);
        if (c.message !== undefined) expect(e.userMessage).toBe(c.message);
        else expect(e.userMessage).toMatch(new RegExp(c.messageRegex!));
        expect(e.userMessage.length).toBeLessThan(2000);
        expect(after).toEqual(before);
        expect(escaped()).toEqual([]);
      },
      CASE_TIMEOUT_MS,
    );
  }
});

describe("formula-injection cells (no CSV export exists: they are stored and shown verbatim)", () => {
  it("keeps =, +, -, @, tab and CR cells as plain text in the dataset's profile and preview", async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(DIR, "csv/formula-injection.csv")));
    const { id } = await uploadDataset(ds.actor, { projectSlug: slug, fileName: "formula-injection.csv", body: chunks(bytes) });
    const d = await getDatasetOrThrow(ds.actor, id);
    expect(d.profile.header).toEqual(["name", "comment", "score", "label"]);
    expect(d.profile.preview).toEqual([
      ["=cmd|' /C calc'!A0", "=1+1", "1", "1"],
      ["+SUM(A1:A2)", "@SUM(1+1)*cmd|' /C calc'!A0", "2", "0"],
      ["-2+3", '=HYPERLINK("http://evil.example","click")', "3", "1"],
      ["\t=1+2", "\r=2+3", "4", "0"],
    ]);
    // not evaluated: "=1+1" stays a category, never the number 2
    expect(d.profile.columns.find((c) => c.name === "comment")?.type).toBe("categorical");
    expect(d.profile.valueCounts?.name?.map((v) => v.value)).toEqual(expect.arrayContaining(["=cmd|' /C calc'!A0", "-2+3"]));
    // the stored file is the upload, byte for byte
    expect(new Uint8Array(fs.readFileSync(path.join(dataDir(), d.path)))).toEqual(bytes);
    await getDb().dataset.delete({ where: { id } });
  });
});

describe("the REST API answers a refused upload with the same message", () => {
  it("PUT /api/projects/:slug/datasets: 422 with the code, the user message and the location", async () => {
    const c = CASES.find((x) => x.file === "csv/ragged-short.csv")!;
    const before = await snapshot();
    const res = await datasetsRoute.PUT(
      new Request(`http://x/api/projects/${slug}/datasets?name=ragged-short.csv`, { method: "PUT", headers: bearer(ds.token), body: fs.readFileSync(path.join(DIR, c.file)), duplex: "half" } as RequestInit),
      { params: Promise.resolve({ slug }) },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: c.code, message: c.message, file: "ragged-short.csv", line: 3 });
    expect(await snapshot()).toEqual(before);
  });
});
