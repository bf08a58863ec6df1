// A JSON.parse failure in words people can act on: where (line and column, from the parser's
// "at position N"), and what, without the parser's jargon about "JSON at position".

const ENDS_EARLY = "the file ends too early: an object, list or string is not closed";

/** "line 2, column 1: expected double-quoted property name", or "the file ends too early". */
export function describeJsonError(text: string, e: unknown): string {
  const raw = String((e as Error)?.message ?? e);
  if (/Unexpected end of JSON input/i.test(raw)) return ENDS_EARLY;
  const at = /at position (\d+)/.exec(raw);
  const what = raw
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/\s*in JSON at position \d+.*$/s, "")
    .replace(/^Unexpected token '?(.)'?, .*$/s, "unexpected character “$1”")
    .trim();
  const reason = what ? what.charAt(0).toLowerCase() + what.slice(1) : "not JSON";
  if (!at) {
    // V8 quotes the text around the error instead of a position for some errors: keep that
    const quoted = /, ((?:\.\.\.)?".*"(?:\.\.\.)?) is not valid JSON$/s.exec(raw)?.[1];
    const near = quoted?.replace(/\s+/g, " ");
    const hint = /\bNaN\b|\bInfinity\b/.test(near ?? "") ? " (JSON has no NaN or Infinity: write a number or null)" : "";
    return `${reason}${near ? ` near ${near.length > 80 ? `${near.slice(0, 79)}…` : near}` : ""}${hint}`;
  }
  if (Number(at[1]) >= text.trimEnd().length) return ENDS_EARLY;
  const pos = Number(at[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - (before.lastIndexOf("\n") + 1) + 1;
  return `line ${line}, column ${column}: ${reason}`;
}

/** "model.json is not valid JSON (line 2, column 1: …)". */
export function notValidJson(fileName: string, text: string, e: unknown): string {
  return `${fileName} is not valid JSON (${describeJsonError(text, e)})`;
}
