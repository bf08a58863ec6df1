// Reads an audit spec file and resolves its paths against the spec's own directory.

import fs from "node:fs";
import path from "node:path";
import { invalidInput } from "../errors";
import { parseSpecText } from "../spec/parse";
import type { TAuditSpec } from "../spec/schema";

export interface SpecFile {
  spec: TAuditSpec;
  file: string;
  baseDir: string;
  text: string;
}

export function readSpecFile(file: string): SpecFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw invalidInput(`spec file not found: ${file}`, { file });
  }
  const spec = parseSpecText(text, file);
  return { spec, file, baseDir: path.dirname(path.resolve(file)), text };
}

/** Absolute path of a path written in a spec. */
export function resolveSpecPath(baseDir: string, p: string): string {
  return path.resolve(baseDir, p);
}
