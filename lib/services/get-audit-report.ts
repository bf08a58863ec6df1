// Use-case: one audit with its stored report.

import { AppError } from "../errors";
import { getDb } from "../db/client";
import type { Report } from "../report/types";

export interface AuditWithReport {
  id: string;
  name: string;
  status: string;
  error: string | null;
  createdBy: string;
  createdAt: Date;
  report: Report | null;
}

export async function getAuditReportOrThrow(id: string): Promise<AuditWithReport> {
  const a = await getDb().audit.findUnique({ where: { id } });
  if (!a) throw new AppError("NOT_FOUND", `no audit with id ${id}`);
  return { id: a.id, name: a.name, status: a.status, error: a.error, createdBy: a.createdBy, createdAt: a.createdAt, report: (a.report as unknown as Report | null) ?? null };
}
