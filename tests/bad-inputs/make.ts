// Generated bad inputs: everything binary or big (zip bombs, huge fields, PNG bytes, UTF-16,
// NaN weights) is built here at test time instead of being committed. GENERATED maps a case's
// `file` (as in cases.json) to its bytes. Run `npx tsx tests/bad-inputs/make.ts OUTDIR` to
// write them all out for inspection.

import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import yazl from "yazl";

/** The valid model every model and zip case starts from (CPS wages v2, a TF.js MLP). */
export const BASE_MODEL_DIR = path.join(__dirname, "../../audits/examples/cps-wages/models/v2");
/** The valid dataset the model cases are checked against. */
export const BASE_DATASET = path.join(__dirname, "../../audits/examples/cps-wages/cps-wages-1985.csv");
export const BASE_MODEL_FILES = ["assay.model.json", "model.json", "weights.bin"] as const;

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...b: number[]) => new Uint8Array(b);
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));
const base = (name: string) => new Uint8Array(fs.readFileSync(path.join(BASE_MODEL_DIR, name)));
const baseEntries = (prefix = ""): ZipEntry[] => BASE_MODEL_FILES.map((n) => ({ name: `${prefix}${n}`, data: base(n) }));

interface ZipEntry {
  name: string;
  data: Uint8Array;
  mode?: number;
  compress?: boolean;
}

/** A zip of the entries (fixed mtime, so the bytes are the same on every run). */
export function zipOf(entries: ZipEntry[]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const e of entries) {
      z.addBuffer(Buffer.from(e.data), e.name, { mtime: new Date(0), ...(e.mode !== undefined ? { mode: e.mode } : {}), ...(e.compress !== undefined ? { compress: e.compress } : {}) });
    }
    const chunks: Buffer[] = [];
    z.outputStream.on("data", (c: Buffer) => chunks.push(c));
    z.outputStream.on("error", reject);
    z.outputStream.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    z.end();
  });
}

/** Replaces every occurrence of `from` by `to` (same length) in the zip's bytes: names zip writers refuse. */
function patchName(zip: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length) throw new Error("patchName: same length only");
  const out = Buffer.from(zip);
  const f = Buffer.from(from, "latin1");
  for (let i = out.indexOf(f); i !== -1; i = out.indexOf(f, i + 1)) Buffer.from(to, "latin1").copy(out, i);
  return new Uint8Array(out);
}

/**
 * A zip whose one entry (`name`, `real` bytes of zeros, deflated) claims `claimed` uncompressed
 * bytes in both headers: a bomb that lies about its size.
 */
async function lyingBomb(name: string, real: number, claimed: number): Promise<Uint8Array> {
  const zip = Buffer.from(await zipOf([{ name, data: new Uint8Array(real) }]));
  // yazl writes sizes in the data descriptor and the central directory; patch the central one
  const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(claimed, cd + 24);
  return new Uint8Array(zip);
}

/** The v2 weights with the float32 element `index` of the first weight set to `value`. */
function weightsWith(index: number, value: number): Uint8Array {
  const w = Buffer.from(base("weights.bin"));
  w.writeFloatLE(value, index * 4);
  return new Uint8Array(w);
}

const PNG_HEAD = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01);

export const GENERATED: Record<string, () => Uint8Array | Promise<Uint8Array>> = {
  // --- CSV: encodings and binary files
  "csv/utf16le-bom.csv": () => cat(bytes(0xff, 0xfe), new Uint8Array(Buffer.from("a,b\r\n1,2\r\n", "utf16le"))),
  "csv/utf16be-bom.csv": () => cat(bytes(0xfe, 0xff), new Uint8Array(Buffer.from("a,b\r\n1,2\r\n", "utf16le").swap16())),
  "csv/utf16le-no-bom.csv": () => new Uint8Array(Buffer.from("age,sex,label\r\n30,F,1\r\n40,M,0\r\n", "utf16le")),
  "csv/utf32le-bom.csv": () => cat(bytes(0xff, 0xfe, 0x00, 0x00), bytes(0x61, 0, 0, 0, 0x2c, 0, 0, 0, 0x62, 0, 0, 0)),
  "csv/latin1.csv": () => new Uint8Array(Buffer.from("name,city\nJos\u00e9,M\u00e1laga\n", "latin1")),
  "csv/overlong-utf8.csv": () => cat(enc("a,b\n1,"), bytes(0xc0, 0xaf), enc("\n")),
  "csv/surrogate-utf8.csv": () => cat(enc("a,b\n1,2\n3,"), bytes(0xed, 0xa0, 0x80), enc("\n")),
  "csv/truncated-multibyte.csv": () => cat(enc("a,b\n1,caf"), bytes(0xc3)),
  "csv/png.csv": () => cat(PNG_HEAD, new Uint8Array(64)),
  "csv/jpeg.csv": () => cat(bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10), enc("JFIF"), new Uint8Array(32)),
  "csv/pdf.csv": () => enc("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
  "csv/gzip.csv": () => new Uint8Array(zlib.gzipSync("a,b\n1,2\n")),
  "csv/xlsx.csv": async () => zipOf([{ name: "[Content_Types].xml", data: enc("<Types/>") }, { name: "xl/workbook.xml", data: enc("<workbook/>") }]),
  "csv/zip.csv": async () => zipOf([{ name: "data.csv", data: enc("a,b\n1,2\n") }]),
  "csv/xls-ole.csv": () => cat(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), new Uint8Array(64)),
  "csv/nul-bytes.csv": () => cat(enc("a,b\n1,"), bytes(0), enc("\n")),
  "csv/bom-only.csv": () => bytes(0xef, 0xbb, 0xbf),
  // --- CSV: huge fields and records (just over the parser's limits)
  "csv/huge-field.csv": () => enc(`a,b\n1,${"x".repeat(1_000_001)}\n`),
  "csv/runaway-quote.csv": () => enc(`a,b\n1,"${"x".repeat(1_000_100)}\n`),
  "csv/huge-record.csv": () => enc(`a,b\n${Array.from({ length: 11 }, () => "y".repeat(999_999)).join(",")}\n`),

  // --- zips (uploaded as model.zip)
  "zip/traversal.zip": async () => patchName(await zipOf([...baseEntries(), { name: "xx/xx/evil.txt", data: enc("x") }]), "xx/xx/", "../../"),
  "zip/absolute-path.zip": async () => patchName(await zipOf([...baseEntries(), { name: "tmp/evil.txt", data: enc("x") }]), "tmp/evil.txt", "/tmp/evil.tx"),
  "zip/backslash-traversal.zip": async () => patchName(await zipOf([...baseEntries(), { name: "xxxevil.txt", data: enc("x") }]), "xxxevil.txt", "..\\evil.txt"),
  "zip/drive-letter.zip": async () => patchName(await zipOf([...baseEntries(), { name: "xxevil.txt", data: enc("x") }]), "xxevil.txt", "C:evil.txt"),
  "zip/symlink.zip": async () => zipOf([...baseEntries(), { name: "link", data: enc("/etc/passwd"), mode: 0o120777 }]),
  "zip/bomb.zip": async () => zipOf([...baseEntries(), { name: "zeros.bin", data: new Uint8Array(3 * 1024 * 1024) }]),
  "zip/lying-bomb.zip": async () => lyingBomb("weights.bin", 4 * 1024 * 1024, 1000),
  "zip/too-many-entries.zip": async () => zipOf([...baseEntries(), ...Array.from({ length: 200 }, (_, i) => ({ name: `f${i}.txt`, data: enc("x") }))]),
  "zip/nested-zip.zip": async () => zipOf([{ name: "inner.zip", data: await zipOf(baseEntries()) }]),
  "zip/nested-folders.zip": async () => zipOf(baseEntries("outer/inner/")),
  "zip/no-model.zip": async () => zipOf([{ name: "README.txt", data: enc("my model\n") }]),
  "zip/manifest-only.zip": async () => zipOf([{ name: "assay.model.json", data: base("assay.model.json") }, { name: "README.txt", data: enc("x") }]),
  "zip/macos-junk-only.zip": async () => zipOf([{ name: "__MACOSX/._model.json", data: enc("x") }, { name: ".DS_Store", data: enc("x") }]),
  "zip/empty-archive.zip": async () => zipOf([]),
  "zip/not-a-zip.zip": () => enc("this is a text file with a .zip name\n"),
  "zip/truncated.zip": async () => {
    const z = await zipOf(baseEntries());
    return z.subarray(0, Math.floor(z.length / 2));
  },

  // --- specs too big to commit
  "spec/huge-shap-rows.yaml": () =>
    enc(`name: huge rows\ndataset: { path: DATASET, label: wage_above_median, positive: "1" }\nmodel: { path: MODEL }\nsensitive: [gender]\nanalyses:\n  shap:\n    rows: [${Array.from({ length: 100_001 }, (_, i) => i).join(",")}]\n`),

  // --- model files (override files of the base model)
  "model/nan-weights/weights.bin": () => weightsWith(5, NaN),
  "model/infinite-weights/weights.bin": () => weightsWith(200, -Infinity),
  "model/truncated-weights/weights.bin": () => base("weights.bin").subarray(0, 1000),
  "model/onnx-garbage/model.onnx": () => cat(enc("not an onnx graph "), new Uint8Array(64).fill(0xff)),
};

/** Writes every generated input under `outDir` (for inspection). */
export async function writeAll(outDir: string): Promise<void> {
  for (const [file, make] of Object.entries(GENERATED)) {
    const p = path.join(outDir, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, await make());
  }
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: npx tsx tests/bad-inputs/make.ts OUTDIR");
    process.exit(2);
  }
  void writeAll(out).then(() => console.log(`wrote ${Object.keys(GENERATED).length} files under ${out}`));
}
