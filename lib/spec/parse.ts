// Parses an audit spec from YAML (or JSON, which is YAML) text and validates it, reporting the
// line of the offending key for both syntax and schema errors.

import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { z } from "zod";
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
  let value: unknown;
  try {
    // aliases expand at most 100 times: a "billion laughs" spec is refused, not expanded
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const msg = (e as Error).message;
    throw invalidInput(
      /alias count/i.test(msg) ? "the spec expands YAML aliases (*name) too many times; write the values out" : /unresolved alias/i.test(msg) ? `the spec uses a YAML alias that is not defined (${msg.replace(/^.*?alias:?\s*/i, "").slice(0, 100)})` : `the spec is not valid YAML: ${msg.slice(0, 300)}`,
      fileName ? { file: fileName } : {},
    );
  }
  return validateSpec(value, fileName, (path) => {
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
  if (issue.code === "invalid_union" && field === "model") message = "model needs either { path: DIR } (an ONNX, XGBoost JSON or TF.js model directory) or { score: COLUMN } (a score column)";
  else message = plainMessage(issue, value, message);
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem${result.error.issues.length > 2 ? "s" : ""})` : "";
  return (() => {
    throw invalidInput(`${message}${more}`, { ...(fileName ? { file: fileName } : {}), ...(line ? { line } : {}), ...(field ? { field } : {}) });
  })();
}

const KIND: Record<string, string> = { string: "text", number: "a number", boolean: "true or false", array: "a list", object: "a mapping of keys", int: "a whole number" };

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (typeof v === "number") return Number.isFinite(v) ? "a number" : `${v} (not a finite number)`;
  if (typeof v === "string") return "text";
  if (Array.isArray(v)) return "a list";
  if (v instanceof Uint8Array) return "binary data (a !!binary tag)";
  return typeof v === "object" ? "a mapping of keys" : typeof v;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const k of path) cur = cur !== null && typeof cur === "object" ? (cur as Record<PropertyKey, unknown>)[k as string] : undefined;
  return cur;
}

/** zod's issue in plain words: what was expected and what was found (our own messages stay as written). */
function plainMessage(issue: z.core.$ZodIssue, root: unknown, fallback: string): string {
  // zod's own wording only: messages written in the schema stay as they are
  if (!/^(Too big|Too small|Invalid input|Invalid option)/.test(fallback)) return fallback;
  const found = valueAt(root, issue.path);
  const fmt = (n: number | bigint) => Number(n).toLocaleString("en-US");
  switch (issue.code) {
    case "invalid_type":
      return `expected ${KIND[issue.expected] ?? issue.expected}, found ${kindOf(found)}`;
    case "too_big":
      if (issue.origin === "string") return `at most ${fmt(issue.maximum)} characters (found ${fmt(String(found ?? "").length)})`;
      if (issue.origin === "array") return `at most ${fmt(issue.maximum)} items (found ${fmt(Array.isArray(found) ? found.length : 0)})`;
      if (issue.origin === "number") return `at most ${fmt(issue.maximum)} (found ${fmt(Number(found))})`;
      return fallback;
    case "too_small":
      if (issue.origin === "string") return issue.minimum === 1 ? "must not be empty" : `at least ${fmt(issue.minimum)} characters`;
      if (issue.origin === "array") return `at least ${fmt(issue.minimum)} item${Number(issue.minimum) === 1 ? "" : "s"}`;
      if (issue.origin === "number") return `at least ${fmt(issue.minimum)} (found ${fmt(Number(found))})`;
      return fallback;
    case "invalid_union":
      if (Array.isArray(found)) return `not an accepted list (found a list of ${fmt(found.length)} item${found.length === 1 ? "" : "s"}); see README "The audit spec"`;
      return `not an accepted value (found ${kindOf(found)}); see README "The audit spec"`;
    default:
      return fallback;
  }
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
