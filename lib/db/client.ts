// The Prisma client singleton (kept on globalThis so dev reloads reuse it). Embedded default:
// SQLite in the data dir through the better-sqlite3 driver adapter. Pages never import this;
// lib/services does.

import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { sqliteUrl } from "./sqlite-url";

const globalForPrisma = globalThis as unknown as { assayPrisma?: PrismaClient };

export function getDb(): PrismaClient {
  if (!globalForPrisma.assayPrisma) {
    globalForPrisma.assayPrisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqliteUrl() }) });
  }
  return globalForPrisma.assayPrisma;
}

/** Closes the connection (CLI and tests). */
export async function closeDb(): Promise<void> {
  const db = globalForPrisma.assayPrisma;
  globalForPrisma.assayPrisma = undefined;
  await db?.$disconnect();
}

export type { PrismaClient };
