// One executor (a worker-thread pool) per model per process, found by the model files' content
// hashes and reused across analyses and audits: the CLI and the embedded job worker take theirs
// from model bytes already read (acquirePool); team mode's chunks load the model from the shared
// ASSAY_DATA_DIR (acquireExecutor) and refuse it when a file's bytes differ from what the audit's
// parent hashed. The KEEP most recently used models stay loaded.

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
import type { ModelFiles } from "../compute/protocol";

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

/** An executor taken from the cache; release it when done (dispose: also end it when no one else uses it: a one-off CLI run). */
export interface Acquired {
  executor: ModelExecutor;
  manifest: TModelManifest;
  release: (opts?: { dispose?: boolean }) => Promise<void> | void;
}

async function disposeEntry({ executor, model }: { executor: ModelExecutor; model: AuditModel }): Promise<void> {
  await executor.dispose();
  model.dispose();
}
const entries = new Map<string, Entry>();

function filesKey(files: FileHash[]): string {
  return [...files].sort((a, b) => a.name.localeCompare(b.name)).map((f) => `${f.name}:${f.sha256}`).join(",");
}

function keyOf(ref: ModelRef): string {
  return `${ref.backend}|${filesKey(ref.files)}`;
}

/** Worker threads for model work: ASSAY_THREADS, else every core (1 = the calling thread). */
export function defaultThreads(backend?: string): number {
  // a GPU backend runs every analysis from one thread: one GPU context per process (each worker
  // thread would open its own device and queue, competing for the same GPU)
  if (backend === "webgpu") return 1;
  return getEnv().ASSAY_THREADS ?? os.availableParallelism();
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
  const backend = await initBackend(ref.backend, { allowSoftwareGpu: getEnv().ASSAY_ALLOW_SOFTWARE_GPU });
  if (backend.name !== ref.backend) throw new Error(`this worker runs TensorFlow.js on ${backend.name}, the audit on ${ref.backend}: results would differ, so it refuses the chunk`);
  const dir = resolveSpecPath(dataDir(), ref.path);
  const { loaded, files, modelFiles } = await loadModelDir(dir, ref.path);
  try {
    checkModelFiles(ref.files, files, ref.path);
  } catch (e) {
    loaded.dispose();
    throw e;
  }
  const threads = defaultThreads(backend.name);
  const manifest = loaded.manifest;
  if (threads <= 1) return { executor: createLocalExecutor(loaded, backend.name), model: loaded, manifest };
  // the threads load their own copies; this thread's is not needed
  loaded.dispose();
  return { executor: await createWorkerExecutor({ files: modelFiles, backend: ref.backend, threads }), model: { dispose() {} } as AuditModel, manifest };
}

/** The executor for a model (loaded on first use); call release when done with it. */
export function acquireExecutor(ref: ModelRef): Promise<Acquired> {
  return acquire(keyOf(ref), () => open(ref));
}

/**
 * A pool of `threads` worker threads for a model whose bytes the caller has read (the CLI, the
 * embedded job worker): started on first use, then reused while it stays among the KEEP most
 * recently used. `backend` undefined lets each thread pick as initBackend does.
 */
export function acquirePool(m: { files: FileHash[]; modelFiles: ModelFiles; backend?: BackendName; threads: number }): Promise<Acquired> {
  const key = `pool:${m.threads}|${m.backend ?? "auto"}|${filesKey(m.files)}`;
  return acquire(key, async () => ({
    executor: await createWorkerExecutor({ files: m.modelFiles, ...(m.backend ? { backend: m.backend } : {}), threads: m.threads }),
    model: { dispose() {} } as AuditModel,
    manifest: m.modelFiles.manifest as TModelManifest,
  }));
}

async function acquire(key: string, opener: () => Promise<{ executor: ModelExecutor; model: AuditModel; manifest: TModelManifest }>): Promise<Acquired> {
  let e = entries.get(key);
  if (!e) {
    e = { key, ready: opener(), refs: 0, lastUsed: Date.now() };
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
      release: (opts: { dispose?: boolean } = {}) => {
        if (released) return;
        released = true;
        entry.refs--;
        entry.lastUsed = Date.now();
        if (opts.dispose && entry.refs === 0 && entries.get(entry.key) === entry) {
          entries.delete(entry.key);
          return entry.ready.then(disposeEntry, () => {});
        }
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
    void e.ready.then(disposeEntry, () => {});
  }
}

/** Disposes every cached model (worker shutdown, tests). */
export async function closeModelCache(): Promise<void> {
  const all = [...entries.values()];
  entries.clear();
  await Promise.all(all.map((e) => e.ready.then(disposeEntry, () => {})));
}
