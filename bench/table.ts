// The bench's printed table: one row per measure, with its target and whether it was met.
// Shared by bench/run.ts and the benches that run in their own process (team, e2e).

export interface Row {
  bench: string;
  measure: string;
  value: string;
  target: string;
  ok: string;
}

/** A table and its `record` (which also echoes each measure to stderr as it is taken). */
export function createTable(): { rows: Row[]; record: (bench: string, measure: string, value: string, target?: string, ok?: boolean | null) => void } {
  const rows: Row[] = [];
  return {
    rows,
    record(bench, measure, value, target = "", ok = null) {
      rows.push({ bench, measure, value, target, ok: ok === null ? "" : ok ? "yes" : "NO" });
      process.stderr.write(`  ${bench}: ${measure} = ${value}\n`);
    },
  };
}

export function printTable(rows: Row[]): void {
  const cols: Array<keyof Row> = ["bench", "measure", "value", "target", "ok"];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => r[c].length))])) as Record<keyof Row, number>;
  const line = (r: Record<keyof Row, string>) => `| ${cols.map((c) => r[c].padEnd(width[c])).join(" | ")} |`;
  process.stdout.write(`\n${line({ bench: "bench", measure: "measure", value: "value", target: "target", ok: "ok" })}\n`);
  process.stdout.write(`|${cols.map((c) => "-".repeat(width[c] + 2)).join("|")}|\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}
