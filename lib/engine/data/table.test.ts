import { AppError } from "../../errors";
import { findColumn, getColumnOrThrow, loadTable, profileColumns, type Table } from "./table";

const enc = new TextEncoder();

function load(text: string, opts: { maxRows?: number } = {}): Promise<Table> {
  return loadTable([enc.encode(text)], { fileName: "data.csv", ...opts });
}

async function loadError(text: string, opts: { maxRows?: number } = {}): Promise<AppError> {
  try {
    await load(text, opts);
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected an error");
}

describe("loadTable", () => {
  it("infers integer, numeric, boolean and categorical columns and counts empty cells", async () => {
    const t = await load("id,score,flag,yes_no,city,mixed\n1,0.5,1,yes,Oslo,3\n2,,0,no,,x\n3,1e-3,1,yes,Bergen,4\n");
    const types = Object.fromEntries(t.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({ id: "integer", score: "numeric", flag: "boolean", yes_no: "boolean", city: "categorical", mixed: "categorical" });
    expect(findColumn(t, "score")!.missing).toBe(1);
    expect(findColumn(t, "city")!.missing).toBe(1);
    expect(Array.from(findColumn(t, "score")!.numbers!)).toEqual([0.5, NaN, 0.001]);
    expect(Array.from(findColumn(t, "yes_no")!.numbers!)).toEqual([1, 0, 1]);
    expect(findColumn(t, "city")!.numbers).toBeNull();
    expect(Array.from(findColumn(t, "city")!.codes)).toEqual([0, -1, 1]);
    expect(t.rows).toBe(3);
    expect(profileColumns(t).find((p) => p.name === "id")).toEqual({ name: "id", type: "integer", missing: 0, distinct: 3, min: 1, max: 3 });
  });

  it("records the physical line of each row (embedded newlines shift them)", async () => {
    const t = await load('a,b\n1,"two\nlines"\n3,4\n');
    expect(Array.from(t.rowLines)).toEqual([2, 4]);
  });

  it("rejects an empty file", async () => {
    const e = await loadError("");
    expect(e.message).toMatch(/data\.csv.*empty/);
  });

  it("rejects a header without rows", async () => {
    expect((await loadError("a,b\n")).message).toMatch(/no data rows/);
  });

  it("rejects duplicate and empty header names, naming them", async () => {
    const dup = await loadError("a,b,a\n1,2,3\n");
    expect(dup.message).toMatch(/duplicate header name "a" \(columns 1 and 3\)/);
    expect(dup.location).toMatchObject({ file: "data.csv", line: 1, column: "a" });
    const empty = await loadError("a,,c\n1,2,3\n");
    expect(empty.location).toMatchObject({ line: 1, column: "2" });
  });

  it("rejects ragged rows with their line", async () => {
    const e = await loadError("a,b\n1,2\n3\n");
    expect(e.location).toMatchObject({ file: "data.csv", line: 3 });
    expect(e.message).toMatch(/1 field, the header has 2/);
  });

  it("enforces the row limit", async () => {
    const e = await loadError("a\n1\n2\n3\n", { maxRows: 2 });
    expect(e.message).toMatch(/more than the limit of 2 rows/);
    expect(e.location.line).toBe(4);
  });

  it("names the column and the file when a column is absent", async () => {
    const t = await load("a,b\n1,2\n");
    expect(() => getColumnOrThrow(t, "label", "label")).toThrow(/data\.csv, line 1, column "label": label column "label" is not in the file; its columns are: a, b/);
  });
});
