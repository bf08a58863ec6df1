// Runs one claimed audit: its stored spec (paths relative to the data dir) through the engine,
// writing phase, progress and ETA-worthy counts to the database as it goes, renewing the lease,
// and stopping when a user cancels. Idempotent: a re-claimed audit simply runs again.

import { AppError, isAppError } from "../errors";
import { publicError } from "./public-error";
import { getDb } from "../db/client";
import { writeAuditReport } from "../db/report-column";
import { dataDir, getEnv } from "../env";
import { validateSpec } from "../spec/parse";
import { auditPhases } from "../cli/progress";
import type { AuditProgress } from "../engine/audit";
import { runAuditSpec, type RunAuditOptions } from "../services/run-audit";
import type { ClaimedJob, LeaseQueue } from "./queue";
import { recordEventSafely } from "../services/events";

const WRITE_EVERY_MS = 400;

class Cancelled extends Error {}
class LeaseLost extends Error {}

type HandlerContext = {
  queue: Pick<LeaseQueue, "renew">;
  workerId: string;
  leaseMs: number;
  log?: (msg: string) => void;
  /** Overrides ASSAY_MAX_AUDIT_SECONDS (tests). */
  maxSeconds?: number;
  /** Team mode: where the model work runs (chunks on BullMQ). */
  executorFor?: RunAuditOptions["executorFor"];
  /** A long-lived worker: keep the model's thread pool for its next audit. */
  keepExecutor?: boolean;
};

/** Runs the audit, then records how it ended in the audit trail (the system acts; a lost lease records nothing: another worker finishes it). */
export async function handleRunAudit(job: ClaimedJob, ctx: HandlerContext): Promise<"succeeded" | "failed" | "cancelled" | "lost"> {
  const outcome = await runClaimedAudit(job, ctx);
  if (outcome !== "lost") {
    const a = await getDb().audit.findUnique({ where: { id: job.payload.auditId }, select: { projectId: true, passed: true, error: true, reportSha256: true } });
    const detail = outcome === "succeeded" ? `policy ${a?.passed === false ? "failed" : a?.passed ? "passed" : "not set"}; report SHA-256 ${a?.reportSha256?.slice(0, 16) ?? "?"}…` : outcome === "failed" ? (a?.error ?? "").slice(0, 300) : "";
    await recordEventSafely({ actor: null, action: "audit_finish", target: { type: "audit", id: job.payload.auditId }, projectId: a?.projectId ?? null, summary: `running → ${outcome}${detail ? `: ${detail}` : ""}` });
  }
  return outcome;
}

async function runClaimedAudit(job: ClaimedJob, ctx: HandlerContext): Promise<"succeeded" | "failed" | "cancelled" | "lost"> {
  const db = getDb();
  const { auditId } = job.payload;
  const audit = await db.audit.findUnique({ where: { id: auditId } });
  if (!audit) return "lost";
  const mine = { id: auditId, leaseOwner: ctx.workerId };
  let lastWrite = 0;
  let pending: Promise<unknown> = Promise.resolve();
  let stop: Error | null = null;
  const renewEvery = Math.max(1000, ctx.leaseMs / 3);
  const renewTimer = setInterval(() => {
    void ctx.queue.renew(auditId, ctx.workerId, ctx.leaseMs).then((ok) => {
      if (!ok) stop ??= new LeaseLost("lease lost");
    });
  }, renewEvery);
  // the wall-clock limit: the audit stops at its next progress step once it has run this long
  const maxSeconds = ctx.maxSeconds ?? getEnv().ASSAY_MAX_AUDIT_SECONDS;
  const limitTimer = setTimeout(() => {
    stop ??= new AppError("INVALID_INPUT", `the audit ran longer than ${maxSeconds.toLocaleString("en-US")} s (ASSAY_MAX_AUDIT_SECONDS) and was stopped; lower its budgets (rows, samples, steps, queries) or raise the limit`);
  }, maxSeconds * 1000);
  try {
    const spec = validateSpec(audit.spec);
    const phases = auditPhases(spec);
    const started = Date.now();
    const onProgress = (p: AuditProgress) => {
      if (stop) throw stop;
      const now = Date.now();
      if (now - lastWrite < WRITE_EVERY_MS && p.fraction < 1) return;
      lastWrite = now;
      const k = Math.max(0, phases.indexOf(p.phase as (typeof phases)[number]));
      const overall = p.phase === "done" ? 1 : Math.min(0.999, (k + Math.min(1, p.fraction)) / phases.length);
      const message = p.done !== undefined && p.total !== undefined ? `${p.done.toLocaleString("en-US")} / ${p.total.toLocaleString("en-US")}` : null;
      pending = pending.then(async () => {
        const row = await db.audit.findUnique({ where: { id: auditId }, select: { cancelRequested: true, leaseOwner: true } });
        if (!row || row.leaseOwner !== ctx.workerId) stop ??= new LeaseLost("lease lost");
        else if (row.cancelRequested) stop ??= new Cancelled("cancelled");
        else await db.audit.updateMany({ where: mine, data: { phase: p.phase, progress: overall, message, startedAt: new Date(started) } });
      });
    };
    const report = await runAuditSpec({ spec, baseDir: dataDir(), onProgress, executorFor: ctx.executorFor, keepExecutor: ctx.keepExecutor });
    await pending;
    if (stop) throw stop;
    const done = await db.$transaction(async (tx) => {
      if ((await writeAuditReport(tx, auditId, report, ctx.workerId)) !== 1) return 0;
      const r = await tx.audit.updateMany({
        where: mine,
        data: { status: "succeeded", phase: "done", progress: 1, message: null, passed: report.passed, finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null, error: null },
      });
      return r.count;
    });
    return done === 1 ? "succeeded" : "lost";
  } catch (e) {
    await pending.catch(() => {});
    const err = stop ?? e;
    if (err instanceof LeaseLost) return "lost";
    if (err instanceof Cancelled || (isAppError(err) && err.code === "CANCELLED")) {
      await db.audit.updateMany({ where: mine, data: { status: "cancelled", finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null, message: null } });
      return "cancelled";
    }
    const { message, log } = publicError(err);
    if (log) (ctx.log ?? ((l: string) => console.error(l)))(`audit ${auditId} crashed: ${log}`);
    await db.audit.updateMany({ where: mine, data: { status: "failed", error: message, finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null, message: null } });
    return "failed";
  } finally {
    clearInterval(renewTimer);
    clearTimeout(limitTimer);
  }
}

/** The lease length the worker uses. */
export function leaseMs(): number {
  return getEnv().ASSAY_JOB_LEASE_SECONDS * 1000;
}

export { AppError };
