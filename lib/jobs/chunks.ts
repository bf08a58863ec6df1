// Team mode: an audit's expensive analyses split into BullMQ child jobs ("chunks") that any
// worker process runs. The parent's executor (createChunkedExecutor) is a ModelExecutor like the
// thread pool: the engine hands it KernelSHAP coalition work, TreeSHAP rows, attacks and
// permutation importance, and it splits their explained/attacked rows (importance: its repeats,
// each chunk reading the dataset from the shared data dir, checked by SHA-256) into chunks on the `assay-chunks` queue, each a child of
// the audit's job. Chunks compute exactly what one process would for those rows (every row's
// random stream comes from the audit seed and the row's index), so the merged result does not
// depend on how the work was split. Shared inputs (background, coalition masks, attack space)
// are written once per call to a Redis key; a chunk's job data names its row range.
//
// Chunk ids are `<audit>.<call>.<first>-<end>`: a parent that runs again after its worker died
// finds the chunks it already had done and adds only the missing ones (adding an existing id is
// a no-op in BullMQ).

import { Job, Queue, UnrecoverableError, type ConnectionOptions } from "bullmq";
import type IORedis from "ioredis";
import type { CoalitionJob, ModelExecutor, TreeShapJob } from "../engine/executor";
import type { AttackJob, AttackResult } from "../engine/robustness/attack";
import { CHUNK_ATTEMPTS, CHUNK_BACKOFF_MS } from "./bull";
import { acquireExecutor, type ModelRef } from "./model-cache";
import path from "node:path";
import type { Table } from "../engine/data/table";
import { createEncoder } from "../engine/model/encode";
import { importanceRows, runImportanceRepeats, summarizeImportance, type ImportanceJob, type ImportanceRepeats } from "../engine/importance/permutation";
import { loadDatasetFile } from "../io/dataset-file";
import { resolveSpecPath } from "../io/spec-file";
import { dataDir, getEnv } from "../env";
import { fromWire, pack, toWire, unpack } from "./wire";

export type ChunkKind = "coalitions" | "treeShap" | "attack" | "importance";

export interface ChunkData {
  auditId: string;
  kind: ChunkKind;
  /** Redis key of the call's shared inputs (packed). */
  ctxKey: string;
  /** Rows [start, end) of the call (permutation importance: its repeats). */
  start: number;
  end: number;
  model: ModelRef;
  /** What the chunk is, for messages: "SHAP rows 0–49 of 400". */
  label: string;
}

/** Model evaluations one chunk should hold at least (so scheduling costs stay small beside it). */
export const MIN_CHUNK_EVALUATIONS = 2_000_000;
/** Chunks per worker slot (more than one, so fast workers take more and all finish together). */
export const CHUNKS_PER_SLOT = 4;
const POLL_MS = 150;
const CTX_TTL_S = 2 * 24 * 3600;

/** Rows per chunk: at least MIN_CHUNK_EVALUATIONS of work, about CHUNKS_PER_SLOT chunks per slot, never fewer chunks than slots when rows allow. */
export function chunkRows(rows: number, evaluationsPerRow: number, slots: number): number {
  const s = Math.max(1, slots);
  const byCost = Math.ceil(MIN_CHUNK_EVALUATIONS / Math.max(1, evaluationsPerRow));
  const bySlots = Math.ceil(rows / (s * CHUNKS_PER_SLOT));
  return Math.max(1, Math.min(Math.ceil(rows / s), Math.max(bySlots, byCost)));
}

function chunkSetKey(prefix: string, auditId: string): string {
  return `${prefix}:assay:chunks:${auditId}`;
}

export function cancelKey(prefix: string, auditId: string): string {
  return `${prefix}:assay:cancel:${auditId}`;
}

export interface ChunkedExecutorOptions {
  auditId: string;
  /** The audit's BullMQ job (chunks are its children); none in tests of the executor alone. */
  parent?: { id: string; queue: string };
  prefix: string;
  chunkQueue: Queue;
  redis: IORedis;
  model: ModelRef;
  /** The audit's dataset in the shared data dir and its SHA-256 (permutation importance chunks encode it themselves). */
  dataset?: DatasetRef;
  /** Runs predictions and diagnostics in this process (the cached model executor). */
  base: ModelExecutor;
  /** Worker slots to spread chunks over (connected chunk workers × their concurrency). */
  slots: () => Promise<number>;
  /** How the work was split, and what was stopped (worker log). */
  log?: (msg: string) => void;
}

interface Chunk {
  id: string;
  start: number;
  end: number;
  label: string;
  done: number;
  result?: unknown;
}

const LABELS: Record<ChunkKind, string> = { coalitions: "SHAP rows", treeShap: "TreeSHAP rows", attack: "robustness rows", importance: "permutation importance repeats" };

export function createChunkedExecutor(o: ChunkedExecutorOptions): ModelExecutor & { chunkIds(): string[] } {
  let call = 0;
  const all: Chunk[] = [];
  const ctxKeys: string[] = [];
  let disposed = false;

  async function run(kind: ChunkKind, ctx: unknown, rows: number, evaluationsPerRow: number, onRows?: (done: number) => void): Promise<Chunk[]> {
    const n = ++call;
    const ctxKey = `${o.prefix}:assay:ctx:${o.auditId}:${n}`;
    ctxKeys.push(ctxKey);
    await o.redis.set(ctxKey, pack(ctx), "EX", CTX_TTL_S);
    // a parent running again after a crash splits the call as it did the first time, so the
    // chunks already done are found by their ids
    const sizeKey = `${ctxKey}:size`;
    await o.redis.set(sizeKey, String(chunkRows(rows, evaluationsPerRow, await o.slots())), "EX", CTX_TTL_S, "NX");
    const size = Number(await o.redis.get(sizeKey));
    ctxKeys.push(sizeKey);
    const chunks: Chunk[] = [];
    for (let start = 0; start < rows; start += size) {
      const end = Math.min(rows, start + size);
      chunks.push({ id: `${o.auditId}.${n}.${start}-${end}`, start, end, done: 0, label: `${LABELS[kind]} ${start.toLocaleString("en-US")}–${(end - 1).toLocaleString("en-US")} of ${rows.toLocaleString("en-US")}` });
    }
    all.push(...chunks);
    await o.redis.sadd(chunkSetKey(o.prefix, o.auditId), ...chunks.map((c) => c.id));
    await o.redis.expire(chunkSetKey(o.prefix, o.auditId), CTX_TTL_S);
    o.log?.(`${LABELS[kind]}: ${chunks.length} chunk${chunks.length === 1 ? "" : "s"} of up to ${size} rows`);
    await o.chunkQueue.addBulk(
      chunks.map((c) => ({
        name: kind,
        data: { auditId: o.auditId, kind, ctxKey, start: c.start, end: c.end, model: o.model, label: c.label } satisfies ChunkData,
        opts: {
          jobId: c.id,
          ...(o.parent ? { parent: o.parent } : {}),
          attempts: CHUNK_ATTEMPTS,
          backoff: { type: "exponential", delay: CHUNK_BACKOFF_MS },
          ignoreDependencyOnFailure: true,
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    // a chunk left failed by an earlier run of this parent is tried again
    for (const c of chunks) {
      const j = await Job.fromId(o.chunkQueue, c.id);
      if (j && (await j.getState()) === "failed") await j.retry("failed");
    }
    await waitFor(chunks, onRows);
    return chunks;
  }

  async function waitFor(chunks: Chunk[], onRows?: (done: number) => void): Promise<void> {
    const open = new Set(chunks);
    let reported = -1;
    while (open.size) {
      await Promise.all(
        [...open].map(async (c) => {
          const j = await Job.fromId(o.chunkQueue, c.id);
          if (!j) throw new Error(`chunk ${c.label} disappeared from the queue (was Redis flushed?)`);
          if (j.finishedOn) {
            const state = await j.getState();
            if (state === "completed") {
              c.result = j.returnvalue;
              c.done = c.end - c.start;
              open.delete(c);
              return;
            }
            if (state === "failed") throw new Error(`the chunk "${c.label}" failed after ${j.attemptsMade} attempt${j.attemptsMade === 1 ? "" : "s"}: ${j.failedReason}`);
          }
          if (typeof j.progress === "number") c.done = Math.min(c.end - c.start, j.progress);
        }),
      );
      const done = chunks.reduce((a, c) => a + c.done, 0);
      if (done !== reported) {
        reported = done;
        onRows?.(done); // throws when the audit is cancelled or out of time
      }
      if (open.size) await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  return {
    backend: o.base.backend,
    get threads() {
      return o.base.threads;
    },
    chunkIds: () => all.map((c) => c.id),
    predict: (x, rows) => o.base.predict(x, rows),
    rawThroughput: (rows, it, mode) => o.base.rawThroughput(rows, it, mode),
    rawGradientThroughput: (rows, it, movable) => o.base.rawGradientThroughput(rows, it, movable),
    async coalitionValues(job: CoalitionJob, onRows) {
      const { x, rows, ...shared } = job;
      const chunks = await run("coalitions", { ...shared, x }, rows, job.coalitions * job.backgroundRows, onRows);
      const out = new Float64Array(rows * job.coalitions);
      for (const c of chunks) out.set(fromWire<Float64Array>(c.result), c.start * job.coalitions);
      return out;
    },
    async treeShap(job: TreeShapJob, onRows) {
      const chunks = await run("treeShap", job, job.rows, job.backgroundRows * 64, onRows);
      const k = job.players + 1;
      const out = new Float64Array(job.rows * k);
      for (const c of chunks) out.set(fromWire<Float64Array>(c.result), c.start * k);
      return out;
    },
    async attack(job: AttackJob, onRows) {
      const perRow = Math.max(1, job.config.steps) * Math.max(1, job.config.restarts) * Math.max(1, job.config.epsilons.length) + job.config.queries;
      const chunks = await run("attack", job, job.rows, perRow, onRows);
      const E = job.config.epsilons.length;
      const d = job.space.width;
      const res: AttackResult = { flipped: new Uint8Array(job.rows * E), minEpsilon: new Float64Array(job.rows), points: new Float32Array(job.rows * d), scores: new Float64Array(job.rows), gradients: 0, predictions: 0 };
      for (const c of chunks) {
        const r = fromWire<AttackResult>(c.result);
        res.flipped.set(r.flipped, c.start * E);
        res.minEpsilon.set(r.minEpsilon, c.start);
        res.points.set(r.points, c.start * d);
        res.scores.set(r.scores, c.start);
        res.gradients += r.gradients;
        res.predictions += r.predictions;
      }
      return res;
    },
    async permutationImportance(job: ImportanceJob, onProgress) {
      const size = importanceRows(job.n, job.maxSamples);
      const F = job.features.length;
      if (!o.dataset) throw new Error("chunked permutation importance needs the audit's dataset");
      const chunks = await run("importance", { ...job, dataset: o.dataset }, job.repeats, F * size, (done) => onProgress?.(done * F, job.repeats * F));
      const baselines: number[] = [];
      const values: number[][] = job.features.map(() => []);
      for (const c of chunks) {
        const r = fromWire<ImportanceRepeats>(c.result);
        baselines.push(...r.baselines);
        r.values.forEach((v, j) => values[j]!.push(...v));
      }
      return summarizeImportance({ baselines, values }, size);
    },
    /** Stops what is left of this audit's chunks (queued ones removed, running ones told to stop and awaited), then removes them and the shared inputs. */
    async dispose() {
      if (disposed) return;
      disposed = true;
      const states = await Promise.all(all.map(async (c) => ({ c, state: await o.chunkQueue.getJobState(c.id).catch(() => "unknown") })));
      const unfinished = states.filter((s) => s.state !== "completed" && s.state !== "failed" && s.state !== "unknown");
      if (unfinished.length) {
        await o.redis.set(cancelKey(o.prefix, o.auditId), "1", "EX", 3600);
        for (const { c } of unfinished) await Job.fromId(o.chunkQueue, c.id).then((j) => j?.remove()).catch(() => {}); // active ones are locked: they stop at their next progress step
        const until = Date.now() + 60_000;
        for (;;) {
          const left = (await Promise.all(unfinished.map((s) => o.chunkQueue.getJobState(s.c.id).catch(() => "unknown")))).filter((s) => s === "active" || s === "waiting" || s === "delayed" || s === "prioritized");
          if (!left.length || Date.now() > until) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        o.log?.(`stopped ${unfinished.length} unfinished chunk(s)`);
      }
      // every chunk this audit ever added (an earlier run of the parent included)
      const ids = new Set([...all.map((c) => c.id), ...(await o.redis.smembers(chunkSetKey(o.prefix, o.auditId)))]);
      await Promise.all([...ids].map((id) => Job.fromId(o.chunkQueue, id).then((j) => j?.remove()).catch(() => {})));
      await o.redis.del(chunkSetKey(o.prefix, o.auditId), ...ctxKeys);
    },
  };
}

/** An audit's dataset in the shared data dir: its path (relative to ASSAY_DATA_DIR) and SHA-256. */
export interface DatasetRef {
  path: string;
  sha256: string;
}

let datasetCache: { sha256: string; table: Table } | null = null;

/** The dataset, read once per process and checked against the parent's SHA-256. */
async function datasetTable(ref: DatasetRef): Promise<Table> {
  if (datasetCache?.sha256 === ref.sha256) return datasetCache.table;
  const env = getEnv();
  const ds = await loadDatasetFile(resolveSpecPath(dataDir(), ref.path), { displayName: path.basename(ref.path), maxBytes: env.ASSAY_MAX_DATASET_BYTES, maxRows: env.ASSAY_MAX_DATASET_ROWS });
  if (ds.sha256 !== ref.sha256) throw new Error(`dataset ${ref.path} has different bytes on this worker (SHA-256 ${ds.sha256.slice(0, 12)}…, the audit expects ${ref.sha256.slice(0, 12)}…): ASSAY_DATA_DIR must be the same shared folder on every machine`);
  datasetCache = { sha256: ref.sha256, table: ds.table };
  return ds.table;
}

const ctxCache = new Map<string, unknown>();

async function sharedInputs(redis: IORedis, key: string): Promise<unknown> {
  if (ctxCache.has(key)) return ctxCache.get(key);
  const s = await redis.get(key);
  if (s === null) throw new UnrecoverableError(`the audit's shared inputs (${key}) are gone from Redis: the audit finished, was cancelled, or Redis lost its data`);
  const v = unpack(s);
  ctxCache.set(key, v);
  while (ctxCache.size > 4) ctxCache.delete(ctxCache.keys().next().value!);
  return v;
}

/** Runs one chunk (the chunk worker's processor): its rows of the call, on this process's model executor. */
export async function runChunk(job: Job<ChunkData>, redis: IORedis, prefix: string): Promise<unknown> {
  const d = job.data;
  const cancelled = async () => (await redis.exists(cancelKey(prefix, d.auditId))) === 1;
  if (await cancelled()) throw new UnrecoverableError("the audit was cancelled or stopped");
  const ctx = await sharedInputs(redis, d.ctxKey);
  const { executor, manifest, release } = await acquireExecutor(d.model);
  let stop = false;
  let last = 0;
  let checking: Promise<void> = Promise.resolve();
  const onRows = (done: number) => {
    if (stop) throw new UnrecoverableError("the audit was cancelled or stopped");
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    checking = checking.then(async () => {
      await job.updateProgress(done);
      if (await cancelled()) stop = true;
    }).catch(() => {});
  };
  try {
    const n = d.end - d.start;
    let out: unknown;
    if (d.kind === "coalitions") {
      const c = ctx as Omit<CoalitionJob, "rows">;
      out = await executor.coalitionValues({ ...c, x: c.x.subarray(d.start * c.width, d.end * c.width), rows: n }, onRows);
    } else if (d.kind === "treeShap") {
      const c = ctx as TreeShapJob;
      out = await executor.treeShap({ ...c, x: c.x.subarray(d.start * c.width, d.end * c.width), rows: n }, onRows);
    } else if (d.kind === "importance") {
      const c = ctx as ImportanceJob & { dataset: DatasetRef };
      const table = await datasetTable(c.dataset);
      const encoder = createEncoder(table, manifest);
      const F = c.features.length;
      const { dataset: _dataset, ...job } = c;
      const rep = await runImportanceRepeats(executor, job, (rows) => (rows ? encoder.encodeRows(rows) : encoder.encodeRange(0, c.n)), d.start, d.end, (done) => onRows(Math.floor(done / F)));
      out = rep;
    } else {
      const c = ctx as AttackJob;
      const w = c.space.width;
      out = await executor.attack({ ...c, x: c.x.subarray(d.start * w, d.end * w), rows: n, rowIds: c.rowIds.subarray(d.start, d.end), decision: c.decision.subarray(d.start, d.end) }, onRows);
    }
    await checking;
    if (stop) throw new UnrecoverableError("the audit was cancelled or stopped");
    return toWire(out);
  } finally {
    release();
  }
}

export type { ConnectionOptions };
