// Team mode's queue: BullMQ on Redis (REDIS_URL). The CPS demo audit (every analysis) run by the
// embedded worker, by one BullMQ worker in this process, and by two worker processes one of
// which is killed (SIGKILL) while it holds a chunk, and through a Redis restart: the `metrics`
// are identical every time. Uses this machine's Redis at ASSAY_TEST_REDIS_URL (default
// redis://127.0.0.1:6379) under a key prefix of its own, deleted afterwards (nothing else is
// touched), and a private redis-server on another port for the restart. ASSAY_TEST_REDIS=0 skips.

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Queue } from "bullmq";
import IORedis from "ioredis";
import { closeDb, getDb } from "../lib/db/client";
import { prepareDatabase } from "../lib/db/ensure";
import { dataDir, resetEnvCache } from "../lib/env";
import { readSpecFile } from "../lib/io/spec-file";
import { getQueue, resetQueue } from "../lib/jobs/queue";
import { startWorker } from "../lib/jobs/worker";
import { AUDIT_QUEUE, CHUNK_QUEUE, connectionOptions, deleteQueueKeys } from "../lib/jobs/bull";
import { createChunkedExecutor } from "../lib/jobs/chunks";
import { createLocalExecutor } from "../lib/engine/executor";
import { loadModelDir } from "../lib/io/model-dir";
import { startBullWorker } from "../lib/jobs/bull-worker";
import os from "node:os";
import { execFileSync } from "node:child_process";
import type { Report } from "../lib/report/types";
import { sharedDataset } from "./helpers/shared";

const ROOT = path.join(__dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const REDIS = process.env.ASSAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `assaytest-${process.pid}-${Date.now().toString(36)}`;
const suite = process.env.ASSAY_TEST_REDIS === "0" ? describe.skip : describe;

const specFile = readSpecFile(path.join(ROOT, "audits/examples/cps-wages/v1.audit.yaml"));
const spec = { ...specFile.spec, dataset: { ...specFile.spec.dataset, path: "team/cps-wages-1985.csv" }, model: { ...specFile.spec.model, path: "team/models/v1" } };
let embedded: Report;
const children: ChildProcess[] = [];

async function queueAudit(name: string, auditSpec: object = spec): Promise<string> {
  const a = await getDb().audit.create({ data: { name, spec: { ...auditSpec, name } as object, status: "queued", createdBy: "team-queue test" } });
  await getQueue().enqueue({ auditId: a.id });
  return a.id;
}

async function waitFor(id: string, ms = 240_000) {
  for (const end = Date.now() + ms; ; ) {
    const a = await getDb().audit.findUniqueOrThrow({ where: { id } });
    if (["succeeded", "failed", "cancelled"].includes(a.status)) return a;
    if (Date.now() > end) throw new Error(`audit ${id} still ${a.status} (${a.phase} ${a.progress})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function useRedis(url: string): void {
  process.env.REDIS_URL = url;
  process.env.ASSAY_QUEUE_PREFIX = PREFIX;
  resetEnvCache();
}

function workerProcess(url: string, extra: Record<string, string> = {}): { child: ChildProcess; out: () => string } {
  let out = "";
  const child = spawn(process.execPath, [TSX_CLI, path.join(ROOT, "scripts", "worker.ts")], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: url, ASSAY_QUEUE_PREFIX: PREFIX, ASSAY_THREADS: "1", ASSAY_QUEUE_LOCK_MS: "2000", ASSAY_WORKER_NICE: "0", ...extra },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  children.push(child);
  return { child, out: () => out };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** The shap rows' values and the robustness rows, beside `metrics`: what a split could get wrong. */
function comparable(r: Report) {
  return {
    metrics: r.metrics,
    metricOrder: Object.keys(r.metrics),
    phi: r.sections.shap!.rows.map((x) => x.phi),
    shapRows: r.sections.shap!.rows.map((x) => x.row),
    robustness: { ...r.sections.robustness!, rowsPerSecond: 0, threads: 0 }, // timings and thread counts aside
    importance: r.sections.permutationImportance!.features,
  };
}

beforeAll(async () => {
  const dir = path.join(dataDir(), "team");
  fs.mkdirSync(path.join(dir, "models"), { recursive: true });
  fs.copyFileSync(path.join(specFile.baseDir, "cps-wages-1985.csv"), path.join(dir, "cps-wages-1985.csv"));
  fs.cpSync(path.join(specFile.baseDir, "models", "v1"), path.join(dir, "models", "v1"), { recursive: true });
  await prepareDatabase();
}, 60_000);

afterAll(async () => {
  for (const c of children) await stopProcess(c);
  await resetQueue();
  await closeDb();
  if (process.env.ASSAY_TEST_REDIS === "0") return;
  // delete only this test's keys
  await deleteQueueKeys(REDIS, PREFIX);
});

suite("team mode: audits on BullMQ", () => {
  it("the embedded worker and a BullMQ worker (the audit split into chunks) give identical results", async () => {
    delete process.env.REDIS_URL;
    resetEnvCache();
    await resetQueue();
    const w0 = startWorker({ pollMs: 50 });
    const a0 = await waitFor(await queueAudit("embedded"));
    await w0.stop();
    expect(a0.error).toBeNull();
    embedded = a0.report as unknown as Report;
    expect(Object.keys(embedded.metrics).length).toBeGreaterThan(50);

    useRedis(REDIS);
    await resetQueue();
    const logs: string[] = [];
    const w1 = startWorker({ log: (m) => logs.push(m) });
    const a1 = await waitFor(await queueAudit("bullmq, one worker"));
    await w1.stop();
    expect(a1.error).toBeNull();
    expect(a1.status).toBe("succeeded");
    expect(comparable(a1.report as unknown as Report)).toEqual(comparable(embedded));
    // it really was split: SHAP and robustness went out as chunks
    expect(logs.join("\n")).toMatch(/SHAP rows: [2-9]\d* chunks|SHAP rows: \d{2,} chunks/);
    expect(logs.join("\n")).toMatch(/robustness rows: \d+ chunks?/);
    expect(logs.join("\n")).toMatch(/permutation importance repeats: \d+ chunks?/);
    // and the chunks were cleaned up
    const q = new Queue(CHUNK_QUEUE, { connection: connectionOptions(REDIS), prefix: PREFIX });
    expect(await q.getJobCounts("completed", "failed", "waiting", "active")).toEqual({ completed: 0, failed: 0, waiting: 0, active: 0 });
    await q.close();
  });

  it("two worker processes share one audit; SIGKILL one while it holds a SHAP chunk and the audit still finishes with the same results", async () => {
    useRedis(REDIS);
    await resetQueue();
    const workers = [workerProcess(REDIS), workerProcess(REDIS)];
    const id = await queueAudit("bullmq, two workers, one killed");
    const q = new Queue(CHUNK_QUEUE, { connection: connectionOptions(REDIS), prefix: PREFIX });
    // wait until a worker process holds a chunk, then kill that process
    let victim: ChildProcess | null = null;
    let killedChunk = "";
    // the worker's id (host:pid:…) names the process that runs it (tsx's child of the one we spawned)
    const idOf = (w: { out: () => string }) => /\[worker\] (\S+) waiting for audits/.exec(w.out())?.[1];
    let victimPid = 0;
    for (const end = Date.now() + 120_000; !victim && Date.now() < end; ) {
      for (const j of await q.getJobs(["active"])) {
        if (j.name !== "coalitions") continue; // a SHAP chunk
        const w = workers.find((x) => idOf(x) !== undefined && idOf(x) === j.processedBy);
        if (w) {
          victim = w.child;
          victimPid = Number(j.processedBy!.split(":")[1]);
          killedChunk = j.data.label as string;
          break;
        }
      }
      if (!victim) await new Promise((r) => setTimeout(r, 20));
    }
    expect({ victim: victim !== null, logs: victim ? "" : workers.map((w) => w.out()).join("\n---\n") }).toEqual({ victim: true, logs: "" });
    process.kill(victimPid, "SIGKILL");
    await new Promise((r) => victim!.once("exit", r));
    expect(() => process.kill(victimPid, 0)).toThrow(); // gone
    const a = await waitFor(id);
    await q.close();
    const survivor = workers.find((w) => w.child !== victim)!;
    expect({ status: a.status, error: a.error }).toEqual({ status: "succeeded", error: null });
    expect(comparable(a.report as unknown as Report)).toEqual(comparable(embedded));
    expect(killedChunk).toMatch(/^SHAP rows \d+–\d+ of 200$/);
    expect(survivor.out()).toMatch(/waiting for audits/);
    await stopProcess(survivor.child);
  }, 300_000);

  it("the Adult GBM demo (TreeSHAP, boundary attack, permutation importance): the embedded worker and 3 BullMQ workers give identical results", async () => {
    const gbm = readSpecFile(path.join(ROOT, "audits/examples/adult-gbm/v1.audit.yaml"));
    fs.cpSync(path.join(gbm.baseDir, "models", "v1"), path.join(dataDir(), "adult", "models", "v1"), { recursive: true });
    const adultSpec = { ...gbm.spec, dataset: { ...gbm.spec.dataset, path: sharedDataset("adult-test.csv") }, model: { ...gbm.spec.model, path: "adult/models/v1" } };
    delete process.env.REDIS_URL;
    resetEnvCache();
    await resetQueue();
    const w0 = startWorker({ pollMs: 50 });
    const a0 = await waitFor(await queueAudit("adult embedded", adultSpec));
    await w0.stop();
    expect(a0.error).toBeNull();

    useRedis(REDIS);
    await resetQueue();
    const logs: string[] = [];
    const workers = [0, 1, 2].map((k) => startBullWorker({ cfg: { url: REDIS, prefix: PREFIX, lockMs: 30_000 }, workerId: `adult-${k}`, log: (m) => logs.push(m) }));
    const a1 = await waitFor(await queueAudit("adult on 3 BullMQ workers", adultSpec));
    await Promise.all(workers.map((w) => w.stop()));
    expect(a1.error).toBeNull();
    const [r0, r1] = [a0.report, a1.report] as unknown as Report[];
    expect(r1!.metrics).toEqual(r0!.metrics);
    expect(Object.keys(r1!.metrics)).toEqual(Object.keys(r0!.metrics));
    expect(r1!.sections.shap!.rows.map((x) => x.phi)).toEqual(r0!.sections.shap!.rows.map((x) => x.phi));
    expect(r1!.sections.permutationImportance!.features).toEqual(r0!.sections.permutationImportance!.features);
    expect(r1!.sections.shap!.method).toBe("tree");
    // TreeSHAP rows, attacked rows and importance repeats all went out as several chunks
    expect(logs.join("\n")).toMatch(/TreeSHAP rows: ([2-9]|\d{2,}) chunks/);
    expect(logs.join("\n")).toMatch(/robustness rows: ([2-9]|\d{2,}) chunks/);
    expect(logs.join("\n")).toMatch(/permutation importance repeats: ([2-9]|\d{2,}) chunks/);
  }, 300_000);

  it("cancelling an audit while its chunks run removes the queued chunks and stops the running ones", async () => {
    useRedis(REDIS);
    await resetQueue();
    const w = startWorker({});
    const q = new Queue(CHUNK_QUEUE, { connection: connectionOptions(REDIS), prefix: PREFIX });
    const id = await queueAudit("bullmq, cancelled");
    for (const end = Date.now() + 120_000; Date.now() < end; ) {
      const c = await q.getJobCounts("active", "waiting");
      if ((c.active ?? 0) + (c.waiting ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await getDb().audit.update({ where: { id }, data: { cancelRequested: true } }); // what cancelAudit does to a running audit
    const a = await waitFor(id);
    expect(a.status).toBe("cancelled");
    // nothing of it is left in the chunk queue, and its shared inputs are gone
    expect(await q.getJobCounts("active", "waiting", "delayed", "completed", "failed")).toEqual({ active: 0, waiting: 0, delayed: 0, completed: 0, failed: 0 });
    const r = new IORedis(REDIS);
    expect(await r.keys(`${PREFIX}:assay:ctx:${id}:*`)).toEqual([]);
    r.disconnect();
    await q.close();
    await w.stop();
  }, 180_000);

  it("a chunk that keeps failing is tried 3 times with backoff, then the call fails naming the chunk and the last error", async () => {
    useRedis(REDIS);
    const w = startBullWorker({ cfg: { url: REDIS, prefix: PREFIX, lockMs: 5000 }, log: () => {} });
    const chunkQueue = new Queue(CHUNK_QUEUE, { connection: connectionOptions(REDIS), prefix: PREFIX });
    const redis = new IORedis(REDIS, { maxRetriesPerRequest: null });
    const { loaded, files } = await loadModelDir(path.join(dataDir(), "team/models/v1"));
    const wrong = files.map((f) => (f.name === "weights.bin" ? { ...f, sha256: "0".repeat(64) } : f)); // the worker reads other bytes than the parent hashed
    const ex = createChunkedExecutor({ auditId: "failing-chunk-test", prefix: PREFIX, chunkQueue, redis, model: { path: "team/models/v1", files: wrong, backend: "wasm" }, base: createLocalExecutor(loaded, "wasm"), slots: async () => 1 });
    const d = loaded.inputWidth;
    const t0 = Date.now();
    await expect(
      ex.coalitionValues({ width: d, x: new Float32Array(3 * d), rows: 3, background: new Float32Array(d), backgroundRows: 1, backgroundWeights: Float64Array.of(1), masks: new Float32Array(2 * d), coalitions: 2 }),
    ).rejects.toThrow(/the chunk "SHAP rows 0–2 of 3" failed after 3 attempts: model file weights\.bin in team\/models\/v1 has different bytes on this worker/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2900); // backoff: 1 s, then 2 s
    await ex.dispose();
    expect(await chunkQueue.getJobCounts("failed", "completed", "waiting")).toEqual({ failed: 0, completed: 0, waiting: 0 });
    loaded.dispose();
    redis.disconnect();
    await chunkQueue.close();
    await w.stop();
  }, 60_000);

  it("an audit survives Redis restarting in the middle of it (a private redis-server with an append-only file)", async () => {
    const port = 20000 + (process.pid % 20000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-redis-"));
    const startRedis = () => {
      const p = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir], { stdio: "ignore" });
      children.push(p);
      return p;
    };
    const url = `redis://127.0.0.1:${port}`;
    const ping = () => {
      try {
        return execFileSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).trim() === "PONG";
      } catch {
        return false;
      }
    };
    let server = startRedis();
    for (const end = Date.now() + 10_000; !ping() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    useRedis(url);
    await resetQueue();
    const worker = workerProcess(url, { ASSAY_QUEUE_LOCK_MS: "5000" });
    const id = await queueAudit("bullmq, redis restarted");
    for (const end = Date.now() + 120_000; Date.now() < end; ) {
      const a = await getDb().audit.findUniqueOrThrow({ where: { id } });
      if (a.phase === "shap" || a.phase === "robustness" || a.status !== "running" && a.status !== "queued") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await getDb().audit.findUniqueOrThrow({ where: { id } })).status).toBe("running");
    const stopped = new Promise((r) => server.once("exit", r));
    execFileSync("redis-cli", ["-p", String(port), "shutdown"]);
    await stopped;
    await new Promise((r) => setTimeout(r, 1500)); // Redis is away
    server = startRedis();
    const a = await waitFor(id);
    expect({ status: a.status, error: a.error }).toEqual({ status: "succeeded", error: null });
    expect(comparable(a.report as unknown as Report)).toEqual(comparable(embedded));
    await stopProcess(worker.child);
    await resetQueue();
    execFileSync("redis-cli", ["-p", String(port), "shutdown", "nosave"]);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it("200 audits queued by 5 clients at once are each run exactly once by 3 workers", async () => {
    useRedis(REDIS);
    await resetQueue();
    const small = { ...spec, analyses: { performance: { bootstrap: 0 } }, policy: [] };
    const workers = [0, 1, 2].map((k) => startBullWorker({ cfg: { url: REDIS, prefix: PREFIX, lockMs: 30_000 }, workerId: `load-${k}`, log: () => {} }));
    const ids = (
      await Promise.all(
        [0, 1, 2, 3, 4].map(async (c) => {
          const mine: string[] = [];
          for (let i = 0; i < 40; i++) {
            const a = await getDb().audit.create({ data: { name: `load ${c}.${i}`, spec: { ...small, name: `load ${c}.${i}` } as object, status: "queued", createdBy: `client ${c}` } });
            await getQueue().enqueue({ auditId: a.id });
            mine.push(a.id);
          }
          return mine;
        }),
      )
    ).flat();
    expect(new Set(ids).size).toBe(200);
    for (const end = Date.now() + 240_000; Date.now() < end; ) {
      if ((await getDb().audit.count({ where: { id: { in: ids }, status: "succeeded" } })) === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await Promise.all(workers.map((w) => w.stop()));
    const rows = await getDb().audit.findMany({ where: { id: { in: ids } }, select: { status: true, attempts: true } });
    expect(rows.filter((r) => r.status !== "succeeded")).toEqual([]);
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([]); // each was started exactly once
    const finishes = await getDb().event.groupBy({ by: ["targetId"], where: { action: "audit_finish", targetId: { in: ids } }, _count: { _all: true } });
    expect(finishes.length).toBe(200);
    expect(finishes.filter((f) => f._count._all !== 1)).toEqual([]);
    const q = new Queue(AUDIT_QUEUE, { connection: connectionOptions(REDIS), prefix: PREFIX });
    const done = await q.getJobs(["completed"], 0, 1000);
    expect(done.filter((j) => ids.includes(j.id!)).map((j) => j.returnvalue).filter((v) => v !== "succeeded")).toEqual([]);
    await q.close();
  }, 300_000);
});
