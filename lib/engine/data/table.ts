// Columnar, dictionary-encoded tables built from a CSV stream. Every column keeps an Int32Array
// of codes into its distinct raw strings; numeric-looking columns also get a Float64Array.
// Memory is O(rows × columns × 4 bytes) plus distinct values, never an array of row objects.

import { invalidInput } from "../../errors";
import { readCsv, formatBytes, type CsvReadOptions } from "./csv";

export type ColumnType = "numeric" | "integer" | "boolean" | "categorical";

export interface Column {
  readonly name: string;
  /** 0-based position in the header. */
  readonly index: number;
  readonly type: ColumnType;
  /** Empty cells. */
  readonly missing: number;
  /** Per row: index into `categories`, or -1 when the cell is empty. */
  readonly codes: Int32Array;
  /** Distinct non-empty raw values, in order of first appearance. */
  readonly categories: readonly string[];
  /** Row index where each category first appears (for error messages). */
  readonly categoryFirstRow: Int32Array;
  /** Numeric value of each category (NaN when it is not a number). */
  readonly categoryNumbers: Float64Array;
  /** Per-row numbers for numeric, integer and boolean columns (NaN = missing); null otherwise. */
  readonly numbers: Float64Array | null;
}

export interface Table {
  readonly fileName: string;
  readonly rows: number;
  readonly bytes: number;
  readonly columns: readonly Column[];
  /** Physical line (1-based) on which each data row starts. */
  readonly rowLines: Int32Array;
}

export interface LoadTableOptions extends CsvReadOptions {
  /** Refuse files with more data rows than this. */
  maxRows?: number;
  /** Read only the first rows (a preview): stop quietly after this many data rows. */
  takeRows?: number;
}

const ENOUGH = Symbol("enough rows");

/** Looks a column up by name; undefined when absent. */
export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** Looks a column up by name; throws an INVALID_INPUT error naming the file when absent. */
export function getColumnOrThrow(table: Table, name: string, role: string): Column {
  const col = findColumn(table, name);
  if (!col) {
    const names = table.columns.map((c) => c.name);
    throw invalidInput(`${role} column "${name}" is not in the file; its columns are: ${names.join(", ")}`, {
      file: table.fileName,
      line: 1,
      column: name,
    });
  }
  return col;
}

/** Physical line of a data row, for error messages. */
export function lineOfRow(table: Table, row: number): number {
  return table.rowLines[row] ?? 0;
}

class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Exact-size copy (releases the slack). */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

class ColumnBuilder {
  readonly dict = new Map<string, number>();
  readonly values: string[] = [];
  readonly firstRow: GrowableInt32 = new GrowableInt32(64);
  readonly codes: GrowableInt32;
  missing = 0;
  constructor(
    readonly name: string,
    readonly index: number,
    capacity: number,
  ) {
    this.codes = new GrowableInt32(capacity);
  }
  add(value: string, row: number): void {
    if (value.length === 0) {
      this.missing++;
      this.codes.push(-1);
      return;
    }
    let code = this.dict.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.dict.set(value, code);
      this.values.push(value);
      this.firstRow.push(row);
    }
    this.codes.push(code);
  }
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["0", "1"],
  ["false", "true"],
  ["no", "yes"],
  ["f", "t"],
  ["n", "y"],
];

/** Number for a cell, NaN when it is not a plain decimal number (surrounding spaces allowed). */
export function parseNumber(raw: string): number {
  const s = raw.trim();
  return NUMBER_RE.test(s) ? Number(s) : NaN;
}

/** The boolean value of a category for a boolean column (1 = the second of its pair). */
function booleanPair(values: readonly string[]): readonly [string, string] | null {
  if (values.length === 0 || values.length > 2) return null;
  const lower = values.map((v) => v.trim().toLowerCase());
  for (const pair of BOOLEAN_PAIRS) {
    if (lower.every((v) => v === pair[0] || v === pair[1])) return pair;
  }
  return null;
}

function finishColumn(b: ColumnBuilder): Column {
  const categories = b.values;
  const categoryNumbers = new Float64Array(categories.length);
  let allNumeric = categories.length > 0;
  let allInteger = true;
  for (let i = 0; i < categories.length; i++) {
    const x = parseNumber(categories[i]!);
    categoryNumbers[i] = x;
    if (Number.isNaN(x)) allNumeric = false;
    else if (!Number.isSafeInteger(x)) allInteger = false;
  }
  const pair = booleanPair(categories);
  let type: ColumnType;
  if (pair) {
    type = "boolean";
    if (!allNumeric) {
      for (let i = 0; i < categories.length; i++) categoryNumbers[i] = categories[i]!.trim().toLowerCase() === pair[1] ? 1 : 0;
    }
  } else if (allNumeric) type = allInteger ? "integer" : "numeric";
  else type = "categorical";
  const codes = b.codes.toArray();
  let numbers: Float64Array | null = null;
  if (type !== "categorical") {
    numbers = new Float64Array(codes.length);
    for (let r = 0; r < codes.length; r++) {
      const c = codes[r]!;
      numbers[r] = c < 0 ? NaN : categoryNumbers[c]!;
    }
  }
  return {
    name: b.name,
    index: b.index,
    type,
    missing: b.missing,
    codes,
    categories,
    categoryFirstRow: b.firstRow.toArray(),
    categoryNumbers,
    numbers,
  };
}

/**
 * Streams a CSV into a columnar Table. All or nothing: any error (see readCsv, plus an empty
 * file, empty or duplicate header names, ragged rows, the row limit) throws and nothing is kept.
 */
export async function loadTable(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: LoadTableOptions & { sizeHint?: number },
): Promise<Table> {
  const { fileName, maxRows = Infinity, takeRows = Infinity } = options;
  let builders: ColumnBuilder[] | null = null;
  let width = 0;
  let rows = 0;
  const capacity = options.sizeHint ? Math.min(1 << 24, Math.ceil(options.sizeHint / 40)) : 1024;
  const rowLines = new GrowableInt32(capacity);

  let bytes = 0;
  try {
    bytes = await readCsv(
      chunks,
      (fields, line) => {
        if (builders === null) {
          builders = headerBuilders(fields, fileName, capacity);
          width = builders.length;
          return;
        }
        if (fields.length !== width) {
          throw invalidInput(`this row has ${fields.length} field${fields.length === 1 ? "" : "s"}, the header has ${width}`, {
            file: fileName,
            line,
          });
        }
        if (rows >= maxRows) {
          throw invalidInput(`the file has more than the limit of ${maxRows.toLocaleString("en-US")} rows`, { file: fileName, line });
        }
        for (let k = 0; k < width; k++) builders[k]!.add(fields[k]!, rows);
        rowLines.push(line);
        rows++;
        if (rows >= takeRows) throw ENOUGH;
      },
      options,
    );
  } catch (e) {
    if (e !== ENOUGH) throw e;
  }
  if (builders === null) throw invalidInput("the file is empty (no header row)", { file: fileName, line: 1 });
  if (rows === 0) throw invalidInput("the file has a header but no data rows", { file: fileName, line: 2 });
  const columns = (builders as ColumnBuilder[]).map(finishColumn);
  return { fileName, rows, bytes, columns, rowLines: rowLines.toArray() };
}

function headerBuilders(fields: string[], fileName: string, capacity: number): ColumnBuilder[] {
  const seen = new Map<string, number>();
  return fields.map((raw, k) => {
    const name = raw.trim();
    if (name.length === 0) {
      throw invalidInput(`header column ${k + 1} has an empty name`, { file: fileName, line: 1, column: String(k + 1) });
    }
    const prev = seen.get(name);
    if (prev !== undefined) {
      throw invalidInput(`duplicate header name "${name}" (columns ${prev + 1} and ${k + 1})`, { file: fileName, line: 1, column: name });
    }
    seen.set(name, k);
    return new ColumnBuilder(name, k, capacity);
  });
}

/** A short profile of each column for previews and reports. */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  missing: number;
  distinct: number;
  min?: number;
  max?: number;
}

export function profileColumns(table: Table): ColumnProfile[] {
  return table.columns.map((c) => {
    const p: ColumnProfile = { name: c.name, type: c.type, missing: c.missing, distinct: c.categories.length };
    if (c.type !== "categorical") {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < c.categoryNumbers.length; i++) {
        const x = c.categoryNumbers[i]!;
        if (x < min) min = x;
        if (x > max) max = x;
      }
      if (min <= max) {
        p.min = min;
        p.max = max;
      }
    }
    return p;
  });
}

export { formatBytes };
