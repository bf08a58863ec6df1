// The report's canonical JSON: keys sorted at every level, no whitespace, undefined members
// dropped. Pure (no Node APIs), so the browser's /verify page hashes a report.json the way the
// server does (lib/report/hash.ts).

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The report hash printed in a PDF's metadata (Keywords: assay-report-sha256:<hex>), found in its bytes. */
export function reportHashInPdf(bytes: Uint8Array): string | null {
  // the Info dictionary's strings are written uncompressed; latin1 keeps every byte one character
  let text = "";
  for (let i = 0; i < bytes.length; i += 65536) text += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 65536)));
  const m = /assay-report-sha256:([0-9a-f]{64})/.exec(text);
  return m ? m[1]! : null;
}
