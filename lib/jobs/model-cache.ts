// Team mode: one executor per model per worker process, shared by the audit this process runs
// (its predictions) and the chunks it runs for any audit, reused across audits. Models are found
// by their files' content hashes: a worker loads the model from the shared ASSAY_DATA_DIR and
// refuses it when a file's bytes differ from what the audit's parent hashed.

import os from "node:os";
import { createWorkerExecutor } from "../compute/worker-executor";
import { initBackend, type BackendName } from "../engine/backend";
import { createLocalExecutor, type ModelExecutor } from "../engine/executor";
import type { AuditModel } from "../engine/model/model";
import type { TModelManifest } from "../engine/model/manifest";
import { getEnv, dataDir } from "../env";
import { loadModelDir } from "../io/model-dir";
import { resolveSpecPath } from "../io/spec-file";
import type { FileHash } from "../report/types";

/** What a worker needs to find an audit's model: its path in the data dir, its files' hashes, the parent's backend. */
export interface ModelRef {
  path: string;
  files: FileHash[];
  backend: BackendName;
}

interface Entry {
  key: string;
  ready: Promise<{ executor: ModelExecutor; model: AuditModel; manifest: TModelManifest }>;
  refs: number;
  lastUsed: number;
}

const KEEP = 2;
const entries = new Map<string, Entry>();

function keyOf(ref: ModelRef): string {
  return `${ref.backend}|${[...ref.files].sort((a, b) => a.name.localeCompare(b.name)).map((f) => `${f.name}:${f.sha256}`).join(",")}`;
}

/** Compares what a worker read with what the audit's parent hashed; the message names the file. */
export function checkModelFiles(expected: FileHash[], actual: FileHash[], where: string): void {
  const got = new Map(actual.map((f) => [f.name, f.sha256]));
  for (const f of expected) {
    const h = got.get(f.name);
    if (h === undefined) throw new Error(`model file ${f.name} is missing from ${where} on this worker (ASSAY_DATA_DIR must be the same shared folder on every machine)`);
    if (h !== f.sha256) throw new Error(`model file ${f.name} in ${where} has different bytes on this worker (SHA-256 ${h.slice(0, 12)}…, the audit expects ${f.sha256.slice(0, 12)}…): ASSAY_DATA_DIR must be the same shared folder on every machine`);
  }
}

async function open(ref: ModelRef): Promise<{ executor: ModelExecutor; model: AuditModel; manifest: TModelManifest }> {
  const backend = await initBackend(ref.backend);
  if (backend.name !== ref.backend) throw new Error(`this worker runs TensorFlow.js on ${backend.name}, the audit on ${ref.backend}: results would differ, so it refuses the chunk`);
  const dir = resolveSpecPath(dataDir(), ref.path);
  const { loaded, files, modelFiles } = await loadModelDir(dir, ref.path);
  try {
    checkModelFiles(ref.files, files, ref.path);
  } catch (e) {
    loaded.dispose();
    throw e;
  }
  const threads = getEnv().ASSAY_THREADS ?? os.availableParallelism();
  const manifest = loaded.manifest;
  if (threads <= 1) return { executor: createLocalExecutor(loaded, backend.name), model: loaded, manifest };
  // the threads load their own copies; this thread's is not needed
  loaded.dispose();
  return { executor: await createWorkerExecutor({ files: modelFiles, backend: ref.backend, threads }), model: { dispose() {} } as AuditModel, manifest };
}

/** The executor for a model (loaded on first use); call release when done with it. */
export async function acquireExecutor(ref: ModelRef): Promise<{ executor: ModelExecutor; manifest: TModelManifest; release: () => void }> {
  const key = keyOf(ref);
  let e = entries.get(key);
  if (!e) {
    e = { key, ready: open(ref), refs: 0, lastUsed: Date.now() };
    entries.set(key, e);
    e.ready.catch(() => entries.delete(key));
  }
  e.refs++;
  e.lastUsed = Date.now();
  const entry = e;
  try {
    const { executor, manifest } = await entry.ready;
    let released = false;
    return {
      executor,
      manifest,
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        entry.lastUsed = Date.now();
        evict();
      },
    };
  } catch (err) {
    entry.refs--;
    throw err;
  }
}

function evict(): void {
  const idle = [...entries.values()].filter((e) => e.refs === 0).sort((a, b) => a.lastUsed - b.lastUsed);
  while (entries.size > KEEP && idle.length) {
    const e = idle.shift()!;
    entries.delete(e.key);
    void e.ready.then(async ({ executor, model }) => {
      await executor.dispose();
      model.dispose();
    }, () => {});
  }
}

/** Disposes every cached model (worker shutdown, tests). */
export async function closeModelCache(): Promise<void> {
  const all = [...entries.values()];
  entries.clear();
  await Promise.all(all.map((e) => e.ready.then(async ({ executor, model }) => {
    await executor.dispose();
    model.dispose();
  }, () => {})));
}
