import fc from "fast-check";
import { findInvalidUtf8, readCsv } from "./csv";
import { AppError } from "../../errors";

const enc = new TextEncoder();

async function records(input: string | Uint8Array, chunkSizes?: number[]): Promise<Array<{ fields: string[]; line: number }>> {
  const bytes = typeof input === "string" ? enc.encode(input) : input;
  const chunks: Uint8Array[] = [];
  if (!chunkSizes) chunks.push(bytes);
  else {
    let pos = 0;
    let k = 0;
    while (pos < bytes.length) {
      const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]!);
      chunks.push(bytes.subarray(pos, pos + size));
      pos += size;
    }
  }
  const out: Array<{ fields: string[]; line: number }> = [];
  await readCsv(chunks, (fields, line) => out.push({ fields: [...fields], line }), { fileName: "t.csv" });
  return out;
}

async function error(input: string | Uint8Array, opts: { maxBytes?: number } = {}): Promise<AppError> {
  const bytes = typeof input === "string" ? enc.encode(input) : input;
  try {
    await readCsv([bytes], () => {}, { fileName: "t.csv", ...opts });
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected an error");
}

/** An independent RFC 4180 writer: quote every field that needs it. */
function toCsv(rows: string[][], eol: string): string {
  return rows.map((r) => r.map((f) => (/[",\r\n]/.test(f) || f === "" ? `"${f.replace(/"/g, '""')}"` : f)).join(",")).join(eol) + eol;
}

describe("readCsv (RFC 4180)", () => {
  it("reads plain, quoted and escaped fields with CRLF", async () => {
    const r = await records('a,b,c\r\n1,"x, y","say ""hi"""\r\n');
    expect(r.map((x) => x.fields)).toEqual([
      ["a", "b", "c"],
      ["1", "x, y", 'say "hi"'],
    ]);
  });

  it("keeps embedded newlines in quoted fields and counts physical lines", async () => {
    const r = await records('h1,h2\n"line1\nline2",x\nnext,row\n');
    expect(r).toEqual([
      { fields: ["h1", "h2"], line: 1 },
      { fields: ["line1\nline2", "x"], line: 2 },
      { fields: ["next", "row"], line: 4 },
    ]);
  });

  it("strips a UTF-8 byte-order mark and reads non-ASCII text", async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode("név,città\nÉva,Zürich\n")]);
    const r = await records(bom);
    expect(r[0]!.fields).toEqual(["név", "città"]);
    expect(r[1]!.fields).toEqual(["Éva", "Zürich"]);
  });

  it("handles a missing final newline, empty fields and a trailing comma", async () => {
    const r = await records("a,b,c\n1,,3\n4,5,");
    expect(r.map((x) => x.fields)).toEqual([
      ["a", "b", "c"],
      ["1", "", "3"],
      ["4", "5", ""],
    ]);
  });

  it("skips blank lines but keeps their line numbers counted", async () => {
    const r = await records("a,b\n\n1,2\r\n\r\n3,4\n");
    expect(r).toEqual([
      { fields: ["a", "b"], line: 1 },
      { fields: ["1", "2"], line: 3 },
      { fields: ["3", "4"], line: 5 },
    ]);
  });

  it("gives the same records for any chunking (property)", async () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r", "é", "€", "1") });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom("\n", "\r\n"),
        async (rows, sizes, eol) => {
          const text = toCsv([["x", "y"], ...rows], eol);
          const whole = await records(text);
          const chunked = await records(text, sizes);
          expect(chunked).toEqual(whole);
          expect(whole.map((r) => r.fields)).toEqual([["x", "y"], ...rows]);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it("rejects an unclosed quote, naming the line where the record starts", async () => {
    const e = await error('a,b\n1,2\n3,"never closed\n\n');
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.location).toMatchObject({ file: "t.csv", line: 3 });
    expect(e.message).toMatch(/never closed|closing quote/);
  });

  it("rejects text after a closing quote with line and column", async () => {
    const e = await error('a,b\n1,"x"y\n');
    expect(e.location).toMatchObject({ line: 2, column: "2" });
  });

  it("rejects invalid UTF-8 naming the line and column", async () => {
    const bytes = new Uint8Array([...enc.encode("a,b,c\n1,2,3\n4,"), 0xff, 0xfe, ...enc.encode(",6\n")]);
    const e = await error(bytes);
    expect(e.message).toMatch(/invalid UTF-8/);
    expect(e.location).toMatchObject({ file: "t.csv", line: 3, column: "2" });
  });

  it("rejects files over the size limit", async () => {
    const e = await error("a\n" + "1\n".repeat(100), { maxBytes: 50 });
    expect(e.message).toMatch(/larger than the limit/);
  });
});

describe("findInvalidUtf8", () => {
  it("accepts valid multi-byte text and finds overlong, surrogate and truncated sequences", () => {
    expect(findInvalidUtf8(enc.encode("ok é € 😀"))).toBe(-1);
    expect(findInvalidUtf8(new Uint8Array([0x41, 0xc0, 0x80]))).toBe(1); // overlong NUL
    expect(findInvalidUtf8(new Uint8Array([0x41, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    expect(findInvalidUtf8(new Uint8Array([0x41, 0x42, 0xe2, 0x82]))).toBe(2); // truncated €
  });
});
