// Use-case: the audits the app lists, newest first, without their (large) report JSON.

import { getDb } from "../db/client";
import { assertCan, type Actor } from "../auth/roles";

export interface AuditListItem {
  id: string;
  name: string;
  project: string | null;
  modelVersion: string | null;
  dataset: string | null;
  status: string;
  passed: boolean | null;
  reviewState: string;
  createdBy: string;
  createdAt: Date;
  finishedAt: Date | null;
}

export async function listAudits(actor: Actor | null, options: { take?: number } = {}): Promise<AuditListItem[]> {
  assertCan(actor, "read");
  const rows = await getDb().audit.findMany({
    where: { archivedAt: null },
    orderBy: { createdAt: "desc" },
    take: options.take ?? 200,
    select: {
      id: true,
      name: true,
      status: true,
      passed: true,
      reviewState: true,
      createdBy: true,
      createdAt: true,
      finishedAt: true,
      project: { select: { name: true } },
      modelVersion: { select: { version: true, model: { select: { name: true } } } },
      dataset: { select: { name: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    project: r.project?.name ?? null,
    modelVersion: r.modelVersion ? `${r.modelVersion.model.name} ${r.modelVersion.version}` : null,
    dataset: r.dataset?.name ?? null,
    status: r.status,
    passed: r.passed,
    reviewState: r.reviewState,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  }));
}
