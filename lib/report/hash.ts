// The report's fingerprint: SHA-256 of its canonical JSON (keys sorted at every level, no
// whitespace), so the same report hashes the same whether it comes from report.json, SQLite or
// PostgreSQL's JSONB (which reorders keys). Printed on the PDF's cover.

import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical";

export { canonicalJson };

export function reportSha256(report: unknown): string {
  return createHash("sha256").update(canonicalJson(report)).digest("hex");
}
