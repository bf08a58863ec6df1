// Discovery for the authorization matrix (tests/authz-matrix.int.test.ts): every App Router route
// handler under app/api and every server-action module under app/, found on disk at test time so
// that a new route or action shows up in the matrix without anyone remembering to add it.

import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./shared";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && !e.name.startsWith(".")) walk(p, out);
    } else out.push(p);
  }
  return out.sort();
}

export interface RouteFile {
  /** The URL pattern as the folders spell it, e.g. "/api/audits/[id]/cancel". */
  pattern: string;
  /** Absolute path of route.ts. */
  file: string;
}

/** Every app/api/**\/route.ts (or .js/.tsx), with the URL pattern its folders give it. */
export function routeFiles(appDir = path.join(ROOT, "app")): RouteFile[] {
  const api = path.join(appDir, "api");
  return walk(api)
    .filter((f) => /^route\.(ts|tsx|js|mjs)$/.test(path.basename(f)))
    .map((file) => {
      const segments = path
        .relative(appDir, path.dirname(file))
        .split(path.sep)
        .filter((s) => !/^\(.*\)$/.test(s)); // route groups do not appear in the URL
      return { pattern: "/" + segments.join("/"), file };
    });
}

/** Params for a URL pattern, every dynamic segment pointing at something that does not exist. */
export function paramsFor(pattern: string, missing = "authz-no-such-id"): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const seg of pattern.split("/")) {
    const catchAll = /^\[\[?\.\.\.(\w+)\]?\]$/.exec(seg);
    const one = /^\[(\w+)\]$/.exec(seg);
    if (catchAll) out[catchAll[1]!] = [missing];
    else if (one) out[one[1]!] = missing;
  }
  return out;
}

/** The pattern with every dynamic segment filled, for the request URL. */
export function urlFor(pattern: string, missing = "authz-no-such-id"): string {
  return "http://localhost" + pattern.replace(/\[\[?(?:\.\.\.)?\w+\]?\]/g, missing);
}

/** Strips leading whitespace and comments: what is left starts with the module's first statement. */
function firstStatement(source: string): string {
  let s = source.replace(/^\uFEFF/, "");
  for (;;) {
    const t = s.trimStart();
    if (t.startsWith("//")) s = t.slice(t.indexOf("\n") === -1 ? t.length : t.indexOf("\n"));
    else if (t.startsWith("/*")) s = t.slice(t.indexOf("*/") + 2);
    else return t;
  }
}

const SOURCE = /\.(ts|tsx|js|jsx|mjs)$/;

/** Files under `dir` whose first statement is the "use server" directive: server-action modules. */
export function serverActionFiles(dir = path.join(ROOT, "app")): string[] {
  return walk(dir).filter((f) => SOURCE.test(f) && /^(['"])use server\1/.test(firstStatement(fs.readFileSync(f, "utf8"))));
}

/**
 * "use server" directives other than a module's first statement: inline server actions inside
 * components, which cannot be imported and so would escape the matrix.
 */
export function inlineServerActions(dirs: string[]): Array<{ file: string; line: number }> {
  const out: Array<{ file: string; line: number }> = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const f of walk(dir).filter((x) => SOURCE.test(x))) {
      const src = fs.readFileSync(f, "utf8");
      const lines = src.split("\n").flatMap((l, i) => (/^\s*(['"])use server\1;?\s*$/.test(l) ? [i + 1] : []));
      const allowed = /^(['"])use server\1/.test(firstStatement(src)) ? 1 : 0;
      for (const line of lines.slice(allowed)) out.push({ file: f, line });
    }
  }
  return out;
}

export function relative(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join("/");
}
