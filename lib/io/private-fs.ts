// The data dir holds personal data (datasets), models and the database: readable by the server's
// user only. Directories are created 0700 and files 0600 whatever the process umask.

import fs from "node:fs";

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** mkdir -p with mode 0700 for every directory it creates, and 0700 on `dir` itself. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  fs.chmodSync(dir, PRIVATE_DIR);
}

/** chmod 0600 when the file exists. */
export function makePrivate(file: string): void {
  try {
    fs.chmodSync(file, PRIVATE_FILE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}
