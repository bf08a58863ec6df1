// Writes an audit's report into its JSON column exactly. Prisma's JSON write path rounds doubles
// to about 15 significant digits (prisma/orm#11096, #3918), so a stored report would differ in
// the last digit from the engine's (and from report.json, its SHA-256 on the PDF cover, and what
// `assay verify` re-computes). A bound text parameter is stored as written; reads are exact.
// The one place that writes Audit.report; every caller goes through here.

import { reportSha256 } from "../report/hash";
import { getDb } from "./client";
import { databaseProvider } from "./provider";

type Db = ReturnType<typeof getDb>;
type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Stores `report` and its SHA-256 (canonical JSON, lib/report/hash.ts) on audit `id`; with
 *  `leaseOwner`, only while that worker holds the audit; never on an audit past draft (a reviewed
 *  report is frozen). Returns rows written. */
export async function writeAuditReport(tx: Db | Tx, id: string, report: unknown, leaseOwner?: string): Promise<number> {
  const text = JSON.stringify(report);
  const sha = reportSha256(report);
  if (databaseProvider() === "postgresql") {
    // jsonb keeps the numbers' digits as written (and reorders keys, which the canonical hash ignores)
    if (leaseOwner === undefined) return tx.$executeRaw`UPDATE "Audit" SET "report" = ${text}::jsonb, "reportSha256" = ${sha} WHERE "id" = ${id} AND "reviewState" = 'draft'`;
    return tx.$executeRaw`UPDATE "Audit" SET "report" = ${text}::jsonb, "reportSha256" = ${sha} WHERE "id" = ${id} AND "leaseOwner" = ${leaseOwner} AND "reviewState" = 'draft'`;
  }
  if (leaseOwner === undefined) return tx.$executeRaw`UPDATE "Audit" SET "report" = ${text}, "reportSha256" = ${sha} WHERE "id" = ${id} AND "reviewState" = 'draft'`;
  return tx.$executeRaw`UPDATE "Audit" SET "report" = ${text}, "reportSha256" = ${sha} WHERE "id" = ${id} AND "leaseOwner" = ${leaseOwner} AND "reviewState" = 'draft'`;
}
