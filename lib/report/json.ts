// The report as a file people open (the download, report.json of the CLI and the bundle,
// `assay submit --json`): indented like JSON.stringify(value, null, 2), except that an array of
// numbers or strings stays on one line, and so does any object or array whose members all fit on
// one line within 100 characters. An Adult GBM report is about 45% of the fully indented text, so
// it is smaller to send and to gzip, and a 200-number histogram is one line instead of 200.
// Values and numbers are exactly JSON.stringify's: JSON.parse gives back the same report.

const INLINE_WIDTH = 100;

function primitive(v: unknown): string {
  // what JSON.stringify writes for a primitive, NaN/Infinity as null (undefined is handled by the caller)
  return JSON.stringify(v) ?? "null";
}

function format(value: unknown, indent: string): string {
  let v = value;
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") v = (v as { toJSON: () => unknown }).toJSON();
  if (v === null || typeof v !== "object") return primitive(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    // undefined and functions in arrays become null, as in JSON.stringify
    const items = v.map((x) => (x === undefined || typeof x === "function" || typeof x === "symbol" ? "null" : format(x, inner)));
    const flat = v.every((x) => x === null || typeof x !== "object");
    const oneLine = `[${items.join(", ")}]`;
    if (flat || (!items.some((s) => s.includes("\n")) && oneLine.length + indent.length <= INLINE_WIDTH)) return oneLine;
    return `[\n${items.map((s) => inner + s).join(",\n")}\n${indent}]`;
  }
  const entries: Array<[string, string]> = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined || typeof x === "function" || typeof x === "symbol") continue; // skipped, as in JSON.stringify
    entries.push([JSON.stringify(k), format(x, inner)]);
  }
  if (entries.length === 0) return "{}";
  const oneLine = `{ ${entries.map(([k, s]) => `${k}: ${s}`).join(", ")} }`;
  if (!entries.some(([, s]) => s.includes("\n")) && oneLine.length + indent.length <= INLINE_WIDTH) return oneLine;
  return `{\n${entries.map(([k, s]) => `${inner}${k}: ${s}`).join(",\n")}\n${indent}}`;
}

/** The report (or any JSON value) as readable, compact-where-it-helps JSON, without a trailing newline. */
export function reportJson(value: unknown): string {
  return format(value, "");
}
