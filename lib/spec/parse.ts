// Parses an audit spec from YAML (or JSON, which is YAML) text and validates it, reporting the
// line of the offending key for both syntax and schema errors.

import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { invalidInput } from "../errors";
import { ZAuditSpec, type TAuditSpec } from "./schema";

export function parseSpecText(text: string, fileName: string): TAuditSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? (e.pos ? lineCounter.linePos(Math.max(0, e.pos[0] - 1)).line : undefined);
    throw invalidInput(`invalid YAML: ${e.message.split("\n")[0]}`, { file: fileName, ...(line ? { line } : {}) });
  }
  return validateSpec(doc.toJS(), fileName, (path) => {
    const node = nodeAt(doc.contents as Node | null, path);
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  });
}

/** Validates a spec object (from YAML, a form or a request body). */
export function validateSpec(value: unknown, fileName?: string, lineOf?: (path: PropertyKey[]) => number | undefined): TAuditSpec {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidInput("an audit spec must be a mapping of keys (name, dataset, model, sensitive, …)", fileName ? { file: fileName } : {});
  }
  const result = ZAuditSpec.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  const line = lineOf?.(issue.path);
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const shown = issue.keys.slice(0, 10).map((k) => `"${String(k).slice(0, 100)}"`);
    message = `unknown key${issue.keys.length > 1 ? "s" : ""} ${shown.join(", ")}${issue.keys.length > 10 ? ` and ${issue.keys.length - 10} more` : ""}`;
  }
  if (issue.code === "invalid_union" && field === "model") message = "model needs either { path: DIR } (a TF.js model) or { score: COLUMN } (a score column)";
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem${result.error.issues.length > 2 ? "s" : ""})` : "";
  return (() => {
    throw invalidInput(`${message}${more}`, { ...(fileName ? { file: fileName } : {}), ...(line ? { line } : {}), ...(field ? { field } : {}) });
  })();
}

function nodeAt(node: Node | null, path: PropertyKey[]): Node | null {
  let cur: Node | null = node;
  let last: Node | null = node;
  for (const key of path) {
    if (isMap(cur)) {
      const pair = cur.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      cur = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(cur) && typeof key === "number") {
      cur = (cur.items[key] as Node | undefined) ?? null;
    } else break;
    if (cur) last = cur;
  }
  return last;
}
