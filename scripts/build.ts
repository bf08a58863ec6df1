// Builds the Next.js app when its sources changed since the last build (a hash of every source
// file is kept beside the build), so `npm start` is fast when nothing changed.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.join(__dirname, "..");
export const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const BUILD_STAMP = path.join(ROOT, ".next", "assay-source-hash");
const SOURCES = ["app", "components", "lib", "public", "next.config.js", "package-lock.json", "tsconfig.json"];

/** Hash of every source file the Next build depends on (paths and contents). */
export function sourceHash(): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (p.endsWith(`${path.sep}generated`)) return;
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else if (!/\.test\.tsx?$/.test(p)) {
      hash.update(path.relative(ROOT, p));
      hash.update(fs.readFileSync(p));
    }
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  return hash.digest("hex");
}

export function buildIfNeeded(log: (msg: string) => void = () => {}): void {
  const current = sourceHash();
  const built = fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")) && fs.existsSync(BUILD_STAMP) ? fs.readFileSync(BUILD_STAMP, "utf8") : "";
  if (built === current) {
    log("build is up to date");
    return;
  }
  log("building the app (next build)…");
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, stdio: "inherit", env: process.env });
  if (r.status !== 0) throw new Error(`next build failed with exit code ${r.status}`);
  fs.writeFileSync(BUILD_STAMP, current);
}

