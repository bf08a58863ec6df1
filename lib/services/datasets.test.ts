import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { normalizeProfile, PREVIEW_CELL_CHARS, previewCell, previewRows } from "./datasets";

describe("dataset preview", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-preview-"));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("cuts each cell to 200 characters with an ellipsis", () => {
    expect(PREVIEW_CELL_CHARS).toBe(200);
    expect(previewCell("short")).toBe("short");
    expect(previewCell("x".repeat(200))).toBe("x".repeat(200));
    expect(previewCell("x".repeat(201))).toBe(`${"x".repeat(199)}…`);
    // never half of a surrogate pair
    const cut = previewCell(`${"x".repeat(198)}😀${"y".repeat(10)}`);
    expect(cut).toBe(`${"x".repeat(198)}…`);
  });

  it("stores cut cells, header included, when a file has a huge cell", async () => {
    const file = path.join(dir, "big.csv");
    const huge = "é".repeat(900_000);
    fs.writeFileSync(file, `id,${"h".repeat(300)},note\n1,"${huge}",ok\n2,b,"${"q".repeat(250)}"\n`);
    const { header, rows } = await previewRows(file);
    expect(header).toEqual(["id", `${"h".repeat(199)}…`, "note"]);
    expect(rows).toEqual([
      ["1", `${"é".repeat(199)}…`, "ok"],
      ["2", "b", `${"q".repeat(199)}…`],
    ]);
    for (const cell of [...header, ...rows.flat()]) expect(cell.length).toBeLessThanOrEqual(PREVIEW_CELL_CHARS);
  });

  it("cuts previews stored before cells were cut when they are read", () => {
    const stored = { columns: [{ name: "a", type: "categorical", missing: 0, distinct: 1 }], header: ["a"], preview: [["z".repeat(10_000)]] };
    const p = normalizeProfile(stored);
    expect(p.preview).toEqual([[`${"z".repeat(199)}…`]]);
    expect(p.columns).toBe(stored.columns);
    expect(normalizeProfile([{ name: "a" }])).toEqual({ columns: [{ name: "a" }] });
  });
});
