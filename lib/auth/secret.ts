// The session signing secret: NEXTAUTH_SECRET, else one generated once into the data dir.

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, getEnv } from "../env";
import { ensurePrivateDir } from "../io/private-fs";

export function authSecret(): string {
  const fromEnv = getEnv().NEXTAUTH_SECRET;
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir(), "auth-secret");
  if (!fs.existsSync(file)) {
    ensurePrivateDir(dataDir());
    try {
      fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another process wrote it first
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}
