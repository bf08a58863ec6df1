// Makes sure the embedded database exists and is migrated before the first query.

import { migrateSqlite } from "./migrate";
import { sqlitePath } from "./sqlite-url";

let done = false;

export function ensureDatabase(): string[] {
  if (done) return [];
  const applied = migrateSqlite(sqlitePath());
  done = true;
  return applied;
}
