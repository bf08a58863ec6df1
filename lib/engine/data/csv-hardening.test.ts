// Hardening of the CSV reader: linear work however the input is chunked, limits on field and
// record length, refusal of files that are not CSV text, and fuzzing (fast-check).

import fc from "fast-check";
import { MAX_FIELD_CHARS, MAX_RECORD_CHARS, readCsv, sniffBinary, type CsvReadOptions, type CsvStats } from "./csv";
import { AppError } from "../../errors";

const enc = new TextEncoder();

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function read(chunks: Uint8Array[], opts: Partial<CsvReadOptions> = {}): Promise<string[][]> {
  const out: string[][] = [];
  await readCsv(chunks, (fields) => out.push([...fields]), { fileName: "t.csv", ...opts });
  return out;
}

async function error(chunks: Uint8Array[], opts: Partial<CsvReadOptions> = {}): Promise<AppError> {
  try {
    await read(chunks, opts);
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected an error");
}

describe("readCsv work is linear in the input", () => {
  it("scans a 5 MB quoted field fed in 64 KB chunks at most 3 times", async () => {
    const field = "ab,c\nd\"\"e".repeat(500_000); // commas, newlines and doubled quotes inside
    const text = `h1,h2\n1,"${field}"\n2,x\n`;
    const stats: CsvStats = { chars: 0, charsScanned: 0 };
    const rows = await read(chunked(enc.encode(text), 64 * 1024), { stats, maxFieldChars: Infinity });
    expect(rows.map((r) => r[0])).toEqual(["h1", "1", "2"]);
    expect(rows[1]![1]).toBe(field.replace(/""/g, '"'));
    expect(stats.chars).toBe(text.length);
    expect(stats.charsScanned).toBeGreaterThanOrEqual(text.length);
    expect(stats.charsScanned).toBeLessThanOrEqual(3 * text.length);
  });

  it("scans a 5 MB line of many quoted fields at most 3 times (newline counting does not rescan the line)", async () => {
    const text = Array.from({ length: 50_000 }, (_, k) => `"${String(k).padStart(96, "x")}"`).join(",") + "\n";
    const stats: CsvStats = { chars: 0, charsScanned: 0 };
    const rows = await read(chunked(enc.encode(text), 1 << 20), { stats });
    expect(rows[0]!.length).toBe(50_000);
    expect(stats.charsScanned).toBeGreaterThanOrEqual(text.length);
    expect(stats.charsScanned).toBeLessThanOrEqual(3 * text.length);
  });

  it("scans a 5 MB unquoted field fed in 1 KB chunks at most 3 times", async () => {
    const text = `a,b\n1,${"y".repeat(5_000_000)}\n`;
    const stats: CsvStats = { chars: 0, charsScanned: 0 };
    await read(chunked(enc.encode(text), 1024), { stats, maxFieldChars: Infinity });
    expect(stats.charsScanned).toBeGreaterThanOrEqual(text.length);
    expect(stats.charsScanned).toBeLessThanOrEqual(3 * text.length);
  });
});

describe("readCsv length limits", () => {
  it("has documented defaults", () => {
    expect(MAX_FIELD_CHARS).toBe(1_000_000);
    expect(MAX_RECORD_CHARS).toBe(10_000_000);
  });

  it("refuses a quoted field over the limit, naming the line where it starts and its column", async () => {
    const text = `a,b\n1,2\n3,"${"z\n".repeat(2_500_000)}"\n`; // 5 MB: an unclosed-looking quote
    const e = await error(chunked(enc.encode(text), 64 * 1024));
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toBe('t.csv, line 3, column "2": field longer than 1,000,000 characters (a quote that opens a field here may never be closed)');
    expect(e.location).toEqual({ file: "t.csv", line: 3, column: "2" });
  });

  it("refuses an unquoted field over the limit, also when it arrives in one chunk", async () => {
    const text = `a,b,c\n1,2,${"w".repeat(MAX_FIELD_CHARS + 1)}\n`;
    for (const size of [text.length, 64 * 1024]) {
      const e = await error(chunked(enc.encode(text), size));
      expect(e.message).toBe('t.csv, line 2, column "3": field longer than 1,000,000 characters');
    }
  });

  it("accepts a field of exactly the limit", async () => {
    const rows = await read([enc.encode(`a\n"${"q".repeat(MAX_FIELD_CHARS)}"\n`)]);
    expect(rows[1]![0]!.length).toBe(MAX_FIELD_CHARS);
  });

  it("refuses a record over the limit, naming the line where it starts", async () => {
    const cell = "r".repeat(999_999);
    const text = `h\nx\n${Array(11).fill(cell).join(",")}\n`;
    const e = await error(chunked(enc.encode(text), 64 * 1024));
    expect(e.message).toBe('t.csv, line 3, column "11": record longer than 10,000,000 characters');
    expect(e.location).toEqual({ file: "t.csv", line: 3, column: "11" });
  });

  it("takes smaller limits from the options", async () => {
    expect((await error([enc.encode('a,b\n"12345678",2\n')], { maxFieldChars: 5 })).message).toBe(
      't.csv, line 2, column "1": field longer than 5 characters (a quote that opens a field here may never be closed)',
    );
    expect((await error([enc.encode("a,b\n1234,5678\n")], { maxRecordChars: 8 })).message).toBe('t.csv, line 2, column "2": record longer than 8 characters');
    expect(await read([enc.encode("a,b\n1234,567\n")], { maxRecordChars: 8 })).toEqual([["a", "b"], ["1234", "567"]]);
  });
});

describe("readCsv refuses files that are not CSV text", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe]);
  const cases: Array<[string, Uint8Array, string]> = [
    ["PNG", png, "this is not a CSV file (it looks like a PNG image)"],
    ["JPEG", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]), "this is not a CSV file (it looks like a JPEG image)"],
    ["GIF", enc.encode("GIF89a\x01\x00"), "this is not a CSV file (it looks like a GIF image)"],
    ["PDF", enc.encode("%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"), "this is not a CSV file (it looks like a PDF document)"],
    ["ZIP", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, ...enc.encode("data/readme.txt")]), "this is not a CSV file (it looks like a ZIP archive)"],
    [
      "XLSX",
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0, ...enc.encode("[Content_Types].xml"), 0x9c, 0x01, ...enc.encode("xl/workbook.xml")]),
      "this is not a CSV file (it looks like an Excel workbook, .xlsx); export the sheet as CSV UTF-8",
    ],
    ["gzip", new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), "this is not a CSV file (it looks like a gzip-compressed file); decompress it first"],
    ["UTF-16 LE with BOM", new Uint8Array([0xff, 0xfe, 0x61, 0, 0x2c, 0, 0x62, 0, 0x0a, 0]), "this file is UTF-16 text, which is not supported; save it as CSV UTF-8"],
    ["UTF-16 BE with BOM", new Uint8Array([0xfe, 0xff, 0, 0x61, 0, 0x2c, 0, 0x62]), "this file is UTF-16 text, which is not supported; save it as CSV UTF-8"],
    ["UTF-16 LE without BOM", new Uint8Array([0x61, 0, 0x2c, 0, 0x62, 0, 0x0a, 0, 0x31, 0, 0x2c, 0, 0x32, 0, 0x0a, 0]), "this file looks like UTF-16 text, which is not supported; save it as CSV UTF-8"],
    ["NUL bytes", new Uint8Array([...enc.encode("a,b\n1,2\n"), 0, 0, 7, 0x80, 0x42, 0, 0x13]), "this is not a CSV file (it contains NUL bytes, so it looks like a binary file)"],
  ];

  it.each(cases)("%s", async (_name, bytes, message) => {
    for (const size of [bytes.length, 1, 3]) {
      const e = await error(chunked(bytes, size), { fileName: "photo.png" });
      expect(e).toBeInstanceOf(AppError);
      expect(e.code).toBe("INVALID_INPUT");
      expect(e.message).toBe(`photo.png: ${message}`);
      expect(e.location).toEqual({ file: "photo.png" });
    }
  });

  it("looks for NUL bytes in the first 8 KB, across chunks", async () => {
    const bytes = new Uint8Array([...enc.encode("a,b\n" + "1,2\n".repeat(2000)), 0, ...enc.encode("\n")]);
    expect((await error(chunked(bytes, 1000))).message).toBe("t.csv: this is not a CSV file (it contains NUL bytes, so it looks like a binary file)");
  });

  it("reads CSV files that merely start like a signature", async () => {
    expect(await read([enc.encode("PK,GIF,name\n1,2,x\n")])).toEqual([["PK", "GIF", "name"], ["1", "2", "x"]]);
    expect(await read([enc.encode("%PDF\n1\n")])).toEqual([["%PDF"], ["1"]]);
    expect(sniffBinary(enc.encode("a,b\n1,2\n"))).toBeNull();
    expect(sniffBinary(new Uint8Array(0))).toBeNull();
  });

  it("still reports invalid UTF-8 in text files with the line and column", async () => {
    const bytes = new Uint8Array([...enc.encode('a,b\n"x\ny",1\n2,'), 0xe9, ...enc.encode("t\n")]);
    const e = await error(chunked(bytes, 2));
    expect(e.message).toBe('t.csv, line 4, column "2": invalid UTF-8 (byte 0xe9); save the file as UTF-8');
  });
});

/** An RFC 4180 writer: quotes the fields that need it, and others when told to. */
function toCsv(rows: Array<Array<{ text: string; quote: boolean }>>, eol: string, finalEol: boolean): string {
  const line = (r: Array<{ text: string; quote: boolean }>) =>
    r.map((f) => (f.quote || /[",\r\n]/.test(f.text) || f.text === "" ? `"${f.text.replace(/"/g, '""')}"` : f.text)).join(",");
  return rows.map(line).join(eol) + (finalEol ? eol : "");
}

function chunkBySizes(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 0;
  let k = 0;
  while (pos < bytes.length) {
    const size = sizes[k++ % sizes.length]!;
    out.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return out;
}

describe("readCsv fuzzing", () => {
  it("round-trips random RFC 4180 documents in any chunking (property)", async () => {
    const text = fc
      .string({ unit: fc.oneof(fc.constantFrom(",", '"', "\n", "\r", "\r\n", " ", "a"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })) })
      .filter((s) => !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, "")) && !s.includes("\0")); // well-formed, no NUL
    const field = fc.record({ text, quote: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 1, maxLength: 4 }),
        async (rows, eol, finalEol, sizes) => {
          fc.pre(!rows[0]![0]!.text.startsWith("\ufeff")); // a leading BOM is stripped, as it should be
          const bytes = enc.encode(toCsv(rows, eol, finalEol));
          expect(await read(chunkBySizes(bytes, sizes))).toEqual(rows.map((r) => r.map((f) => f.text)));
        },
      ),
      { numRuns: 500, seed: 4180 },
    );
  });

  it("throws nothing but an INVALID_INPUT AppError on random bytes (property)", async () => {
    const prefix = fc.constantFrom(
      [],
      [0xef, 0xbb, 0xbf],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0x50, 0x4b, 0x03, 0x04],
      [0xff, 0xfe],
      [0x22],
    );
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac));
    await fc.assert(
      fc.asyncProperty(
        prefix,
        fc.array(byte, { maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 4 }),
        fc.record({ maxFieldChars: fc.constantFrom(undefined, 1, 4, 30), maxRecordChars: fc.constantFrom(undefined, 2, 10, 60) }),
        async (pre, body, sizes, limits) => {
          const bytes = new Uint8Array([...pre, ...body]);
          const opts: Partial<CsvReadOptions> = {};
          if (limits.maxFieldChars !== undefined) opts.maxFieldChars = limits.maxFieldChars;
          if (limits.maxRecordChars !== undefined) opts.maxRecordChars = limits.maxRecordChars;
          try {
            await read(chunkBySizes(bytes, sizes), opts);
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            expect((e as AppError).code).toBe("INVALID_INPUT");
            expect((e as AppError).location.file).toBe("t.csv");
          }
        },
      ),
      { numRuns: 3000, seed: 7 },
    );
  });
});
