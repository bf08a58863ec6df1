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
import { CHUNK_QUEUE, connectionOptions } from "../lib/jobs/bull";
import type { Report } from "../lib/report/types";

const ROOT = path.join(__dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const REDIS = process.env.ASSAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `assaytest-${process.pid}-${Date.now().toString(36)}`;
const suite = process.env.ASSAY_TEST_REDIS === "0" ? describe.skip : describe;

const specFile = readSpecFile(path.join(ROOT, "audits/examples/cps-wages/v1.audit.yaml"));
const spec = { ...specFile.spec, dataset: { ...specFile.spec.dataset, path: "team/cps-wages-1985.csv" }, model: { ...specFile.spec.model, path: "team/models/v1" } };
let embedded: Report;
const children: ChildProcess[] = [];

async function queueAudit(name: string): Promise<string> {
  const a = await getDb().audit.create({ data: { name, spec: { ...spec, name } as object, status: "queued", createdBy: "team-queue test" } });
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
  const r = new IORedis(REDIS);
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", `${PREFIX}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== "0");
  r.disconnect();
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
    // and the chunks were cleaned up
    const q = new Queue(CHUNK_QUEUE, { connection: connectionOptions(REDIS), prefix: PREFIX });
    expect(await q.getJobCounts("completed", "failed", "waiting", "active")).toEqual({ completed: 0, failed: 0, waiting: 0, active: 0 });
    await q.close();
  });

  it("two worker processes share one audit; SIGKILL one while it holds a chunk and the audit still finishes with the same results", async () => {
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
    expect(killedChunk).toMatch(/rows/);
    expect(survivor.out()).toMatch(/waiting for audits/);
    await stopProcess(survivor.child);
  }, 300_000);
});
