// Which database this process uses: PostgreSQL when DATABASE_URL is a postgresql:// URL (team
// mode), otherwise the embedded SQLite file in the data dir. The choice is made here only.

import { getEnv } from "../env";

export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(): DatabaseProvider {
  return getEnv().DATABASE_URL ? "postgresql" : "sqlite";
}

/** A postgresql:// URL split into what pg connects with and Prisma's `?schema=`. */
export function splitPostgresUrl(url: string): { connectionString: string; schema: string | undefined } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") ?? undefined;
  u.searchParams.delete("schema");
  return { connectionString: u.toString(), schema };
}

/** DATABASE_URL, and split as above (PostgreSQL only). */
export function postgresTarget(): { connectionString: string; schema: string | undefined; url: string } {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  return { ...splitPostgresUrl(url), url };
}
