// Use-cases for datasets: upload (streamed to the data dir with a size limit, parsed by the
// engine, kept only when it parses), preview, and the defaults a user picks for audits (label,
// positive value, sensitive attributes, ignored columns).

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { getDb } from "../db/client";
import { dataDir, getEnv } from "../env";
import { assertCan, type Actor } from "../auth/roles";
import { loadDatasetFile } from "../io/dataset-file";
import { profileColumns, type ColumnProfile, type Table } from "../engine/data/table";
import { readCsv } from "../engine/data/csv";
import { parseInput } from "../validate";
import { ensurePrivateDir, PRIVATE_FILE } from "../io/private-fs";
import { recordEventSafely } from "./events";

/** What the app keeps about a dataset's columns (Dataset.columns). */
export interface DatasetProfile {
  columns: ColumnProfile[];
  /** Header and the first rows, as text, for the preview. */
  header?: string[];
  preview?: string[][];
  /** Value counts of low-cardinality columns (candidate labels and sensitive attributes). */
  valueCounts?: Record<string, Array<{ value: string; count: number }>>;
}

const PREVIEW_ROWS = 20;
/**
 * Longest preview cell kept, in characters (with the ellipsis): the preview is stored in the
 * dataset's profile and shown on its page, so one huge cell must not be stored verbatim.
 */
export const PREVIEW_CELL_CHARS = 200;
const MAX_CANDIDATE_VALUES = 50;

/** Absolute path of a path stored in the database (relative ones are inside the data dir). */
export function storedPath(p: string): string {
  return path.resolve(dataDir(), p);
}

function valueCounts(table: Table): DatasetProfile["valueCounts"] {
  const out: NonNullable<DatasetProfile["valueCounts"]> = {};
  for (const c of table.columns) {
    if (c.categories.length === 0 || c.categories.length > MAX_CANDIDATE_VALUES) continue;
    const counts = new Float64Array(c.categories.length);
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i]! >= 0) counts[c.codes[i]!]!++;
    const list = c.categories.map((value, k) => ({ value, count: counts[k]! })).sort((a, b) => b.count - a.count);
    if (c.missing) list.push({ value: "(missing)", count: c.missing });
    out[c.name] = list;
  }
  return out;
}

/** A cell as the preview keeps it: at most PREVIEW_CELL_CHARS characters, ending in "…" when cut. */
export function previewCell(value: string): string {
  if (value.length <= PREVIEW_CELL_CHARS) return value;
  let end = PREVIEW_CELL_CHARS - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not split a surrogate pair
  return `${value.slice(0, end)}…`;
}

/** Header and first rows of a CSV file for the preview, each cell cut by previewCell. */
export async function previewRows(file: string): Promise<{ header: string[]; rows: string[][] }> {
  const rows: string[][] = [];
  const stop = new Error("enough");
  try {
    await readCsv(
      fs.createReadStream(file, { highWaterMark: 64 * 1024 }),
      (fields) => {
        rows.push(fields.map(previewCell));
        if (rows.length > PREVIEW_ROWS) throw stop;
      },
      { fileName: path.basename(file) },
    );
  } catch (e) {
    if (e !== stop) throw e;
  }
  return { header: rows[0] ?? [], rows: rows.slice(1) };
}

/** A name that is safe as a file name and recognisable. */
function safeFileName(name: string): string {
  let base = path.basename(name).replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "") || "dataset";
  if (base.toLowerCase().endsWith(".csv")) base = base.slice(0, -4);
  // file systems allow 255 bytes per name: keep the stored name well under it
  return `${base.slice(0, 120) || "dataset"}.csv`;
}

function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB` : bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KB` : `${bytes} bytes`;
}

/**
 * Streams an uploaded CSV into the data dir, parses it with the engine and registers it.
 * Nothing is kept when the file is too large or does not parse: the error names the line
 * and column.
 */
export async function uploadDataset(
  actor: Actor | null,
  input: { projectSlug: string; fileName: string; body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> },
): Promise<{ id: string }> {
  assertCan(actor, "upload");
  const db = getDb();
  const project = await db.project.findUnique({ where: { slug: input.projectSlug } });
  if (!project) throw new AppError("NOT_FOUND", `no project "${input.projectSlug}"`);
  const env = getEnv();
  const fileName = safeFileName(input.fileName);
  // messages name the file as the user gave it (not the stored name with ".csv" added)
  const shownName = path.basename(input.fileName) || fileName;
  const tmpDir = path.join(dataDir(), "tmp");
  ensurePrivateDir(tmpDir);
  const tmp = path.join(tmpDir, `${randomUUID()}.csv`);
  try {
    const iterable = Symbol.asyncIterator in input.body ? (input.body as AsyncIterable<Uint8Array>) : streamIterable(input.body as ReadableStream<Uint8Array>);
    const bytes = await writeLimited(tmp, iterable, env.ASSAY_MAX_DATASET_BYTES, () =>
      invalidInput(`the file is larger than the limit of ${formatLimit(env.ASSAY_MAX_DATASET_BYTES)} (ASSAY_MAX_DATASET_BYTES)`, { file: shownName, field: "file" }),
    );
    if (bytes === 0) throw invalidInput("the file is empty", { file: fileName, field: "file" });
    const ds = await loadDatasetFile(tmp, { displayName: shownName, maxBytes: env.ASSAY_MAX_DATASET_BYTES, maxRows: env.ASSAY_MAX_DATASET_ROWS });
    const { header, rows } = await previewRows(tmp);
    const profile: DatasetProfile = { columns: profileColumns(ds.table), header, preview: rows, valueCounts: valueCounts(ds.table) };
    const id = randomUUID().replace(/-/g, "").slice(0, 24);
    const rel = path.join("projects", project.id, "datasets", id, fileName);
    ensurePrivateDir(path.dirname(storedPath(rel)));
    fs.renameSync(tmp, storedPath(rel));
    try {
      await db.dataset.create({
        data: {
          id,
          projectId: project.id,
          name: fileName,
          path: rel,
          sha256: ds.sha256,
          sizeBytes: ds.bytes,
          rows: ds.table.rows,
          columns: profile as unknown as object,
          createdBy: actor.email,
        },
      });
    } catch (e) {
      fs.rmSync(path.dirname(storedPath(rel)), { recursive: true, force: true });
      if ((e as { code?: string }).code === "P2002") throw invalidInput(`this project already has the same file as "${fileName}"`, { field: "file" });
      throw e;
    }
    await db.project.update({ where: { id: project.id }, data: { updatedAt: new Date() } });
    await recordEventSafely({ actor, action: "dataset_upload", target: { type: "dataset", id }, projectId: project.id, summary: `${fileName}: ${ds.table.rows.toLocaleString("en-US")} rows, ${ds.bytes.toLocaleString("en-US")} bytes, SHA-256 ${ds.sha256.slice(0, 16)}…` });
    return { id };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Streams `chunks` to `file` (0600) up to `max` bytes. A write error (disk full, permissions)
 * rejects at once instead of leaving the request waiting for a "drain" that never comes; the
 * caller removes the file on every path.
 */
export async function writeLimited(file: string, chunks: AsyncIterable<Uint8Array>, max: number, tooLarge: () => Error): Promise<number> {
  const out = fs.createWriteStream(file, { mode: PRIVATE_FILE });
  let failure: Error | null = null;
  const failed = new Promise<never>((_, reject) =>
    out.on("error", (e: NodeJS.ErrnoException) => {
      failure = e.code === "ENOSPC" ? new AppError("INTERNAL", "the server's disk is full; the upload was not kept", { cause: e }) : e;
      reject(failure);
    }),
  );
  failed.catch(() => {});
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      if (failure) throw failure;
      bytes += chunk.byteLength;
      if (bytes > max) throw tooLarge();
      if (!out.write(chunk)) await Promise.race([new Promise<void>((r) => out.once("drain", () => r())), failed]);
    }
    await Promise.race([new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve()))), failed]);
    if (failure) throw failure;
    return bytes;
  } catch (e) {
    // wait until the stream has closed its file (it may still be opening it), so that the caller's
    // cleanup removes it for good
    if (!out.closed) await new Promise<void>((resolve) => out.destroy().once("close", () => resolve()));
    throw e;
  }
}

async function* streamIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export async function getDatasetOrThrow(actor: Actor | null, id: string) {
  assertCan(actor, "read");
  const d = await getDb().dataset.findUnique({ where: { id }, include: { project: true } });
  if (!d) throw new AppError("NOT_FOUND", "no such dataset");
  return { ...d, profile: normalizeProfile(d.columns), sensitive: (d.sensitive as string[] | null) ?? [], ignored: (d.ignored as string[] | null) ?? [] };
}

/**
 * Profiles stored by older code (or the CLI) are a bare column list; previews stored before
 * cells were cut are cut here.
 */
export function normalizeProfile(columns: unknown): DatasetProfile {
  if (Array.isArray(columns)) return { columns: columns as ColumnProfile[] };
  const profile = columns as DatasetProfile;
  if (!profile.preview && !profile.header) return profile;
  return { ...profile, header: profile.header?.map(previewCell), preview: profile.preview?.map((row) => row.map(previewCell)) };
}

export const ZConfigureDataset = z.object({
  label: z.string().min(1, "choose the label column"),
  positive: z.string().min(1, "choose the value that counts as the positive outcome"),
  sensitive: z.array(z.string().min(1)).min(1, "choose at least one sensitive attribute"),
  ignored: z.array(z.string().min(1)).default([]),
});

/** Saves the audit defaults for a dataset after checking them against its columns. */
export async function configureDataset(actor: Actor | null, id: string, input: z.input<typeof ZConfigureDataset>): Promise<void> {
  assertCan(actor, "upload");
  const d = await getDatasetOrThrow(actor, id);
  const valid = parseInput(ZConfigureDataset, input);
  const c = valid;
  const names = new Set(d.profile.columns.map((x) => x.name));
  if (!names.has(c.label)) throw invalidInput(`"${c.label}" is not a column`, { field: "label" });
  const labelValues = d.profile.valueCounts?.[c.label];
  if (!labelValues) throw invalidInput(`"${c.label}" has too many distinct values to be a binary label`, { field: "label" });
  const present = labelValues.filter((v) => v.value !== "(missing)");
  if (present.length !== 2) throw invalidInput(`a label needs exactly two values; "${c.label}" has ${present.length}`, { field: "label" });
  if (!present.some((v) => v.value === c.positive)) throw invalidInput(`"${c.positive}" is not a value of ${c.label}`, { field: "positive" });
  for (const s of c.sensitive) {
    if (!names.has(s)) throw invalidInput(`"${s}" is not a column`, { field: "sensitive" });
    if (s === c.label) throw invalidInput("the label cannot be a sensitive attribute", { field: "sensitive" });
  }
  for (const s of c.ignored) if (!names.has(s)) throw invalidInput(`"${s}" is not a column`, { field: "ignored" });
  const updated = await getDb().dataset.update({ where: { id }, data: { label: c.label, positive: c.positive, sensitive: c.sensitive, ignored: c.ignored } });
  await recordEventSafely({ actor, action: "dataset_configure", target: { type: "dataset", id }, projectId: updated.projectId, summary: `${updated.name}: label ${c.label ?? "—"}${c.positive ? ` = ${c.positive}` : ""}; sensitive ${(c.sensitive ?? []).join(", ") || "—"}` });
}
