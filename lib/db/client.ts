// The Prisma client singleton (kept on globalThis so dev reloads reuse it). Embedded default:
// SQLite in the data dir through the better-sqlite3 driver adapter; team mode (DATABASE_URL =
// postgresql://…): PostgreSQL through @prisma/adapter-pg with the client generated from the
// derived PostgreSQL schema (lib/db/schemas.ts). Both clients have the same models and methods;
// the rest of the code sees one type. Pages never import this; lib/services does.

import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { databaseProvider, postgresTarget } from "./provider";
import { sqliteUrl } from "./sqlite-url";

const globalForPrisma = globalThis as unknown as { assayPrisma?: PrismaClient };

function createClient(): PrismaClient {
  if (databaseProvider() === "postgresql") {
    // loaded only in team mode: the embedded default never loads pg or the second client
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { PrismaPg } = require("@prisma/adapter-pg") as typeof import("@prisma/adapter-pg");
    const { PrismaClient: PgClient } = require("./generated-pg/client") as typeof import("./generated-pg/client");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const { connectionString, schema } = postgresTarget();
    // the schema for Prisma's own queries, and as the search path for raw SQL (lib/db/report-column.ts)
    const pool = { connectionString, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
    return new PgClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) }) as unknown as PrismaClient;
  }
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqliteUrl() }) });
}

export function getDb(): PrismaClient {
  globalForPrisma.assayPrisma ??= createClient();
  return globalForPrisma.assayPrisma;
}

/** Closes the connection (CLI and tests). */
export async function closeDb(): Promise<void> {
  const db = globalForPrisma.assayPrisma;
  globalForPrisma.assayPrisma = undefined;
  await db?.$disconnect();
}

export type { PrismaClient };
