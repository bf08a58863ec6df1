// The report's fingerprint: SHA-256 of its canonical JSON (keys sorted at every level, no
// whitespace), so the same report hashes the same whether it comes from report.json, SQLite or
// PostgreSQL's JSONB (which reorders keys). Printed on the PDF's cover.

import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function reportSha256(report: unknown): string {
  return createHash("sha256").update(canonicalJson(report)).digest("hex");
}
