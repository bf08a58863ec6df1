// Runs the real `assay` CLI in a child process.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./shared";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}, cwd: string = ROOT): CliResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "assay.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 600_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = "assay-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a spec file into `dir` and returns its path. */
export function writeSpec(dir: string, yaml: string, name = "test.audit.yaml"): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, yaml);
  return p;
}
