// One schema, two providers: prisma/schema.prisma (SQLite, the embedded default) is the source of
// truth; prisma/postgres/schema.prisma (team mode, PostgreSQL) is derived from it by
// `npm run db:schemas` and committed, so `prisma generate` makes one client per provider
// (lib/db/generated, lib/db/generated-pg). tests/db-schemas.test.ts checks they stay in step.

import fs from "node:fs";
import path from "node:path";

export const PG_SCHEMA_HEADER = "// GENERATED from prisma/schema.prisma by `npm run db:schemas`: edit that file, not this one.\n";

/** The PostgreSQL schema for a SQLite schema text: provider, client output and url differ, nothing else. */
export function postgresSchemaFrom(sqlite: string): string {
  const out = sqlite
    .replace(/(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/(datasource db \{[^}]*url\s*=\s*)"file:[^"]*"/, '$1"postgresql://placeholder"')
    .replace(/(generator client \{[^}]*output\s*=\s*)"\.\.\/lib\/db\/generated"/, '$1"../../lib/db/generated-pg"');
  if (out === sqlite || !out.includes('"postgresql"') || !out.includes("generated-pg")) throw new Error("prisma/schema.prisma does not have the expected generator and datasource blocks");
  return PG_SCHEMA_HEADER + out;
}

/** Writes prisma/postgres/schema.prisma from prisma/schema.prisma under `root`; returns its path. */
export function writePostgresSchema(root: string): string {
  const target = path.join(root, "prisma", "postgres", "schema.prisma");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, postgresSchemaFrom(fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8")));
  return target;
}
