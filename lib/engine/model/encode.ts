// Turns table rows into the model's input vectors as the manifest says: numeric → (x − mean)/std
// (raw when mean/std are absent; missing → mean), categorical → one-hot in the listed order
// (unknown or missing → all zeros, counted), binary → 1 when the value equals `positive`.
// With `missing: "nan"` (tree ensembles) an empty number stays NaN, so that each split sends it
// down its default direction, as the trees were trained to.

import { invalidInput } from "../../errors";
import { getColumnOrThrow, lineOfRow, type Column, type Table } from "../data/table";
import { encodedWidth, featureWidth, missingPolicy, type TEncoding, type TFeature } from "./manifest";

export interface EncoderWarning {
  code: "missing_values" | "unknown_categories" | "unexpected_binary_values";
  feature: string;
  column: string;
  count: number;
  message: string;
}

interface EncodedFeature {
  feature: TFeature;
  column: Column;
  offset: number;
  width: number;
  /** numeric: value to use when missing (in raw units) */
  fill: number;
  mean: number;
  std: number;
  /** categorical: category code → position in the one-hot block, or -1; binary: code → 0/1 */
  codeMap: Int32Array | null;
}

export interface FeatureEncoder {
  readonly width: number;
  /** Raw column name of every encoded input position (one-hot blocks repeat their column). */
  readonly inputColumns: readonly string[];
  /** Encoded input ranges per raw column: [offset, width] blocks, in manifest order. */
  readonly columnBlocks: ReadonlyMap<string, ReadonlyArray<readonly [number, number]>>;
  readonly warnings: readonly EncoderWarning[];
  /** Encodes rows [start, end) into a new row-major Float32Array of (end − start) × width. */
  encodeRange(start: number, end: number): Float32Array;
  /** Encodes the given rows, in order, into a new row-major Float32Array. */
  encodeRows(rows: ArrayLike<number>): Float32Array;
}

/**
 * Builds an encoder for `table` under `manifest`. Throws INVALID_INPUT when a column is absent
 * or a numeric input holds text (naming the file, line and column).
 */
export function createEncoder(table: Table, manifest: TEncoding): FeatureEncoder {
  const keepNaN = missingPolicy(manifest) === "nan";
  const warnings: EncoderWarning[] = [];
  const features: EncodedFeature[] = [];
  const inputColumns: string[] = [];
  const columnBlocks = new Map<string, Array<readonly [number, number]>>();
  let offset = 0;
  for (const feature of manifest.features) {
    const column = getColumnOrThrow(table, feature.column, `model input "${feature.name}":`);
    const width = featureWidth(feature);
    const ef: EncodedFeature = { feature, column, offset, width, fill: 0, mean: 0, std: 1, codeMap: null };
    if (feature.type === "numeric") {
      if (column.numbers === null) throw nonNumericError(table, column, `model input "${feature.name}"`);
      if (feature.mean !== undefined && feature.std !== undefined) {
        ef.mean = feature.mean;
        ef.std = feature.std;
        ef.fill = feature.mean;
      } else {
        ef.fill = observedMean(column.numbers);
      }
      if (keepNaN) ef.fill = NaN;
      if (column.missing > 0) {
        warnings.push({
          code: "missing_values",
          feature: feature.name,
          column: column.name,
          count: column.missing,
          message: keepNaN
            ? `${column.missing} empty value${column.missing === 1 ? "" : "s"} in "${column.name}" passed to the model as missing (each tree split's default direction)`
            : `${column.missing} empty value${column.missing === 1 ? "" : "s"} in "${column.name}" replaced by the mean (${ef.fill.toPrecision(4)})`,
        });
      }
    } else if (feature.type === "categorical") {
      const pos = new Map(feature.categories.map((c, i) => [c, i] as const));
      ef.codeMap = Int32Array.from(column.categories, (c) => pos.get(c) ?? -1);
      let unknown = 0;
      const unknownValues = new Set<string>();
      const counts = countCodes(column);
      column.categories.forEach((c, code) => {
        if (!pos.has(c)) {
          unknown += counts[code]!;
          unknownValues.add(c);
        }
      });
      if (unknown + column.missing > 0) {
        const listed = [...unknownValues].slice(0, 5).map((v) => JSON.stringify(v));
        warnings.push({
          code: "unknown_categories",
          feature: feature.name,
          column: column.name,
          count: unknown + column.missing,
          message:
            `${unknown + column.missing} row${unknown + column.missing === 1 ? "" : "s"} of "${column.name}" encoded as all zeros` +
            (unknown ? ` (${unknown} with categories the model does not know: ${listed.join(", ")}${unknownValues.size > 5 ? ", …" : ""})` : "") +
            (column.missing ? ` (${column.missing} empty)` : ""),
        });
      }
    } else {
      ef.codeMap = Int32Array.from(column.categories, (c) => (c === feature.positive ? 1 : 0));
      const others = column.categories.filter((c) => c !== feature.positive);
      if (others.length > 1 || column.missing > 0) {
        warnings.push({
          code: "unexpected_binary_values",
          feature: feature.name,
          column: column.name,
          count: column.missing,
          message: `binary input "${column.name}" has ${others.length} value${others.length === 1 ? "" : "s"} besides "${feature.positive}"${column.missing ? ` and ${column.missing} empty cells` : ""}; all of them encode as 0`,
        });
      }
    }
    features.push(ef);
    for (let k = 0; k < width; k++) inputColumns.push(column.name);
    const blocks = columnBlocks.get(column.name) ?? [];
    blocks.push([offset, width]);
    columnBlocks.set(column.name, blocks);
    offset += width;
  }
  const width = encodedWidth(manifest);

  function encodeInto(out: Float32Array, rowAt: (i: number) => number, count: number): void {
    for (const f of features) {
      const { offset: off, column } = f;
      if (f.feature.type === "numeric") {
        const nums = column.numbers!;
        const { mean, std, fill } = f;
        for (let i = 0; i < count; i++) {
          let x = nums[rowAt(i)]!;
          if (x !== x) x = fill; // NaN check (fill is NaN itself under missing: "nan")
          out[i * width + off] = (x - mean) / std;
        }
      } else if (f.feature.type === "categorical") {
        const codes = column.codes;
        const map = f.codeMap!;
        for (let i = 0; i < count; i++) {
          const c = codes[rowAt(i)]!;
          if (c >= 0) {
            const p = map[c]!;
            if (p >= 0) out[i * width + off + p] = 1;
          }
        }
      } else {
        const codes = column.codes;
        const map = f.codeMap!;
        for (let i = 0; i < count; i++) {
          const c = codes[rowAt(i)]!;
          out[i * width + off] = c >= 0 ? map[c]! : 0;
        }
      }
    }
  }

  return {
    width,
    inputColumns,
    columnBlocks,
    warnings,
    encodeRange(start, end) {
      const out = new Float32Array((end - start) * width);
      encodeInto(out, (i) => start + i, end - start);
      return out;
    },
    encodeRows(rows) {
      const out = new Float32Array(rows.length * width);
      encodeInto(out, (i) => rows[i]!, rows.length);
      return out;
    },
  };
}

function observedMean(xs: Float64Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x === x) {
      s += x;
      n++;
    }
  }
  return n ? s / n : 0;
}

function countCodes(column: Column): Float64Array {
  const counts = new Float64Array(column.categories.length);
  const codes = column.codes;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) counts[c]!++;
  }
  return counts;
}

/** The error for text in a column that a model reads as a number: names the first bad cell. */
export function nonNumericError(table: Table, column: Column, what: string) {
  let firstRow = -1;
  let value = "";
  column.categories.forEach((c, code) => {
    if (Number.isNaN(column.categoryNumbers[code]!)) {
      const r = column.categoryFirstRow[code]!;
      if (firstRow === -1 || r < firstRow) {
        firstRow = r;
        value = c;
      }
    }
  });
  return invalidInput(`${what} needs a number, got ${JSON.stringify(value)}`, {
    file: table.fileName,
    line: lineOfRow(table, firstRow),
    column: column.name,
  });
}
