// Where the embedded SQLite database lives: <data dir>/assay.db.
import path from "node:path";
import { dataDir } from "../env";
import { ensurePrivateDir } from "../io/private-fs";

/** Path of the embedded database file; creates the data dir if needed. */
export function sqlitePath(): string {
  const dir = dataDir();
  ensurePrivateDir(dir);
  return path.join(dir, "assay.db");
}

/** The database as a `file:` URL, as the better-sqlite3 driver adapter expects. */
export function sqliteUrl(): string {
  return `file:${sqlitePath()}`;
}
