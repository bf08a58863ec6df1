// Sensitive groups: one group per raw value of an attribute (compared as strings; an empty cell
// is the group "(missing)", counted as unknown) and every combination present for intersections.

import type { Column } from "../data/table";

export const MISSING_GROUP = "(missing)";

export interface Grouping {
  /** Attribute name: a column, or columns joined by " & " for an intersection. */
  attribute: string;
  columns: string[];
  /** Group names, sorted (the missing group last). */
  names: string[];
  /** Whether each group contains a missing value (counted as "unknown"). */
  unknown: boolean[];
  /** Per row, the group index. */
  groupOf: Int32Array;
}

/** Groups of one attribute column. */
export function groupByColumn(column: Column): Grouping {
  const k = column.categories.length;
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => compareNames(column.categories[a]!, column.categories[b]!));
  const hasMissing = column.missing > 0;
  const remap = new Int32Array(k);
  order.forEach((code, idx) => (remap[code] = idx));
  const names = order.map((c) => column.categories[c]!);
  const unknown = names.map(() => false);
  if (hasMissing) {
    names.push(MISSING_GROUP);
    unknown.push(true);
  }
  const missingIdx = k;
  const groupOf = new Int32Array(column.codes.length);
  const codes = column.codes;
  for (let r = 0; r < codes.length; r++) {
    const c = codes[r]!;
    groupOf[r] = c < 0 ? missingIdx : remap[c]!;
  }
  return { attribute: column.name, columns: [column.name], names, unknown, groupOf };
}

/** Every combination of the given groupings that occurs in the data, named "A=a & B=b". */
export function intersect(parts: Grouping[]): Grouping {
  const n = parts[0]!.groupOf.length;
  const key = new Float64Array(n);
  let radix = 1;
  for (let p = parts.length - 1; p >= 0; p--) {
    const g = parts[p]!;
    for (let r = 0; r < n; r++) key[r]! += g.groupOf[r]! * radix;
    radix *= g.names.length;
  }
  const present = [...new Set(key)].sort((a, b) => a - b);
  const index = new Map(present.map((k, i) => [k, i] as const));
  const groupOf = new Int32Array(n);
  for (let r = 0; r < n; r++) groupOf[r] = index.get(key[r]!)!;
  const names: string[] = [];
  const unknown: boolean[] = [];
  for (const k of present) {
    let rest = k;
    const labels: string[] = [];
    let isUnknown = false;
    let div = radix;
    for (const g of parts) {
      div /= g.names.length;
      const gi = Math.floor(rest / div);
      rest -= gi * div;
      labels.push(`${g.attribute}=${g.names[gi]}`);
      isUnknown ||= g.unknown[gi]!;
    }
    names.push(labels.join(" & "));
    unknown.push(isUnknown);
  }
  return {
    attribute: parts.map((p) => p.attribute).join(" & "),
    columns: parts.flatMap((p) => p.columns),
    names,
    unknown,
    groupOf,
  };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
