// Archive, restore and delete: projects, datasets, model versions and audits.
// - Archiving hides a thing from lists and keeps it (restorable); data scientists and admins.
// - Deleting is for admins, and refused for anything an approved audit uses (the audit is named):
//   an approved audit's spec, report and files are frozen. Deleting a dataset removes its file
//   from the data dir (personal data); a model version its files. Files outside the data dir
//   (datasets an `assay audit --save` run registered where they lie) are the user's own and are
//   left alone.
// - The user who started a failed or cancelled audit may delete it.
// Every change is recorded in the audit trail with who did it.

import fs from "node:fs";
import path from "node:path";
import { getDb } from "../db/client";
import { dataDir } from "../env";
import { assertCan, can, type Actor } from "../auth/roles";
import { AppError } from "../errors";
import { recordEventSafely } from "./events";
import { storedPath } from "./datasets";

export const RETENTION_KINDS = ["project", "dataset", "model_version", "audit"] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

const KIND_LABEL: Record<RetentionKind, string> = { project: "project", dataset: "dataset", model_version: "model version", audit: "audit" };

export function isRetentionKind(v: unknown): v is RetentionKind {
  return typeof v === "string" && (RETENTION_KINDS as readonly string[]).includes(v);
}

interface Target {
  label: string;
  projectId: string | null;
  archivedAt: Date | null;
}

async function targetOf(kind: RetentionKind, id: string): Promise<Target> {
  const db = getDb();
  const none = () => new AppError("NOT_FOUND", `no such ${KIND_LABEL[kind]}`);
  switch (kind) {
    case "project": {
      const p = await db.project.findUnique({ where: { id }, select: { name: true, id: true, archivedAt: true } });
      if (!p) throw none();
      return { label: `project “${p.name}”`, projectId: p.id, archivedAt: p.archivedAt };
    }
    case "dataset": {
      const d = await db.dataset.findUnique({ where: { id }, select: { name: true, projectId: true, archivedAt: true } });
      if (!d) throw none();
      return { label: `dataset ${d.name}`, projectId: d.projectId, archivedAt: d.archivedAt };
    }
    case "model_version": {
      const v = await db.modelVersion.findUnique({ where: { id }, select: { version: true, archivedAt: true, model: { select: { name: true, projectId: true } } } });
      if (!v) throw none();
      return { label: `model version ${v.model.name} ${v.version}`, projectId: v.model.projectId, archivedAt: v.archivedAt };
    }
    case "audit": {
      const a = await db.audit.findUnique({ where: { id }, select: { name: true, projectId: true, archivedAt: true } });
      if (!a) throw none();
      return { label: `audit “${a.name}”`, projectId: a.projectId, archivedAt: a.archivedAt };
    }
  }
}

/** Archives (hides from lists, keeps) or restores one thing. */
export async function setArchived(actor: Actor | null, kind: RetentionKind, id: string, archived: boolean): Promise<void> {
  assertCan(actor, "archive");
  const t = await targetOf(kind, id);
  const data = { archivedAt: archived ? new Date() : null };
  const db = getDb();
  if (kind === "project") await db.project.update({ where: { id }, data });
  else if (kind === "dataset") await db.dataset.update({ where: { id }, data });
  else if (kind === "model_version") await db.modelVersion.update({ where: { id }, data });
  else await db.audit.update({ where: { id }, data });
  await recordEventSafely({ actor, action: archived ? "archive" : "restore", target: { type: kind, id }, projectId: t.projectId, summary: `${t.label} ${archived ? "archived" : "restored"}` });
}

/** The approved audits that use this thing (their names), which forbid deleting it. */
async function approvedUsers(kind: RetentionKind, id: string): Promise<string[]> {
  const where =
    kind === "project" ? { projectId: id } : kind === "dataset" ? { datasetId: id } : kind === "model_version" ? { modelVersionId: id } : { id };
  const rows = await getDb().audit.findMany({ where: { ...where, reviewState: "approved" }, select: { name: true, id: true }, take: 5 });
  return rows.map((r) => `“${r.name}” (${r.id})`);
}

/** Removes a stored file or folder, only inside the data dir. */
function removeStored(stored: string | null, folderOfFile: boolean): boolean {
  if (!stored || path.isAbsolute(stored)) return false;
  const root = path.resolve(dataDir());
  const target = storedPath(folderOfFile ? path.dirname(stored) : stored);
  if (!target.startsWith(`${root}${path.sep}`)) return false;
  fs.rmSync(target, { recursive: true, force: true });
  return true;
}

/** Why `actor` may not delete this audit (null: they may). */
function auditDeleteRefusal(actor: Actor, a: { status: string; reviewState: string; createdById: string | null }): string | null {
  if (a.reviewState === "approved") return "this audit is approved: its report is frozen and cannot be deleted";
  if (can(actor, "delete")) return a.status === "queued" || a.status === "running" ? "cancel the audit first; a running audit cannot be deleted" : null;
  if (a.createdById === actor.id && (a.status === "failed" || a.status === "cancelled")) return null;
  return "only admins delete audits; you may delete failed or cancelled audits you started";
}

/** Deletes one thing for good (see the rules above). Returns what was removed from disk. */
export async function deleteForGood(actor: Actor | null, kind: RetentionKind, id: string): Promise<{ filesRemoved: number }> {
  if (!actor) throw new AppError("UNAUTHORIZED", "sign in first");
  const db = getDb();
  if (kind === "audit") {
    assertCan(actor, "read");
    const a = await db.audit.findUnique({ where: { id }, select: { name: true, status: true, reviewState: true, createdById: true, projectId: true } });
    if (!a) throw new AppError("NOT_FOUND", "no such audit");
    const refusal = auditDeleteRefusal(actor, a);
    if (refusal) throw new AppError(a.reviewState === "approved" || refusal.startsWith("cancel") ? "CONFLICT" : "FORBIDDEN", refusal);
    await db.audit.delete({ where: { id } });
    await recordEventSafely({ actor, action: "delete", target: { type: "audit", id }, projectId: a.projectId, summary: `audit “${a.name}” (${a.status}) deleted` });
    return { filesRemoved: 0 };
  }
  assertCan(actor, "delete");
  const t = await targetOf(kind, id);
  const approved = await approvedUsers(kind, id);
  if (approved.length) throw new AppError("CONFLICT", `the approved audit ${approved.join(", ")} uses this ${KIND_LABEL[kind]}: it cannot be deleted (archive it instead)`);
  let filesRemoved = 0;
  if (kind === "dataset") {
    const d = await db.dataset.delete({ where: { id } });
    if (removeStored(d.path, true)) filesRemoved++;
  } else if (kind === "model_version") {
    const v = await db.modelVersion.delete({ where: { id } });
    if (removeStored(v.path, false)) filesRemoved++;
    if ((await db.modelVersion.count({ where: { modelId: v.modelId } })) === 0) await db.model.delete({ where: { id: v.modelId } });
  } else {
    // a project: its audits (none approved), then its datasets and model versions with their files
    const [datasets, versions] = await Promise.all([db.dataset.findMany({ where: { projectId: id }, select: { path: true } }), db.modelVersion.findMany({ where: { model: { projectId: id } }, select: { path: true } })]);
    await db.$transaction([db.audit.deleteMany({ where: { projectId: id } }), db.project.delete({ where: { id } })]);
    for (const d of datasets) if (removeStored(d.path, true)) filesRemoved++;
    for (const v of versions) if (removeStored(v.path, false)) filesRemoved++;
  }
  await recordEventSafely({ actor, action: "delete", target: { type: kind, id }, projectId: kind === "project" ? null : t.projectId, summary: `${t.label} deleted${filesRemoved ? `; ${filesRemoved} stored file${filesRemoved === 1 ? "" : "s"} removed from the data dir` : ""}` });
  return { filesRemoved };
}

/** Whether the audit page should offer Delete to `actor`. */
export function mayDeleteAudit(actor: Actor, a: { status: string; reviewState: string; createdById: string | null }): boolean {
  return auditDeleteRefusal(actor, a) === null;
}
