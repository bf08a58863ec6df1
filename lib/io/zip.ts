// Zip archives in and out: extraction of uploads and bundles that refuses path traversal, links,
// too many entries and oversize content; and writing a zip from files held in memory.

import yauzl from "yauzl";
import yazl from "yazl";
import { invalidInput } from "../errors";

const MAX_ZIP_ENTRIES = 200;

export interface UploadedFile {
  name: string;
  data: Uint8Array;
}

/** A relative path inside an archive that is safe to extract (no traversal, no absolute paths). */
export function safeEntryName(name: string): string | null {
  if (name.includes("\\") || name.includes("\0")) return null;
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return null;
  const parts = name.split("/").filter((p) => p.length > 0 && p !== ".");
  if (parts.length === 0 || parts.some((p) => p === "..")) return null;
  return parts.join("/");
}

/** Extracts a zip held in memory, refusing traversal, links, too many entries and oversize content. */
export function extractZip(zip: Uint8Array, maxBytes: number): Promise<UploadedFile[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(zip), { lazyEntries: true, validateEntrySizes: true }, (err, archive) => {
      if (err || !archive) {
        const cut = /central directory|truncated/i.test(err?.message ?? "");
        return reject(invalidInput(cut ? "this is not a zip archive, or it was cut short (its end record is missing)" : `not a readable zip archive (${err?.message ?? "unknown error"})`, { field: "files" }));
      }
      const files: UploadedFile[] = [];
      let total = 0;
      let entries = 0;
      const fail = (e: Error) => {
        archive.close();
        reject(e);
      };
      archive.on("entry", (entry: yauzl.Entry) => {
        entries++;
        if (entries > MAX_ZIP_ENTRIES) return fail(invalidInput(`the archive has more than ${MAX_ZIP_ENTRIES} entries`, { field: "files" }));
        if (entry.fileName.endsWith("/")) return archive.readEntry();
        const name = safeEntryName(entry.fileName);
        if (!name) return fail(invalidInput(`unsafe path in the archive: "${entry.fileName}"`, { field: "files" }));
        const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
        if (mode === 0o120000) return fail(invalidInput(`the archive contains a symbolic link: "${entry.fileName}"`, { field: "files" }));
        total += entry.uncompressedSize;
        if (total > maxBytes) return fail(invalidInput(`the archive expands to more than ${(maxBytes / 1024 / 1024).toFixed(0)} MB`, { field: "files" }));
        archive.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(invalidInput(`cannot read "${entry.fileName}" in the archive`, { field: "files" }));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("error", (se) =>
            fail(
              invalidInput(
                /too many bytes/i.test(se.message)
                  ? `"${entry.fileName}" in the archive holds more data than its header declares (${entry.uncompressedSize.toLocaleString("en-US")} bytes): a damaged archive or a zip bomb`
                  : `"${entry.fileName}" in the archive is damaged (${se.message})`,
                { field: "files" },
              ),
            ),
          );
          stream.on("end", () => {
            files.push({ name, data: new Uint8Array(Buffer.concat(chunks)) });
            archive.readEntry();
          });
        });
      });
      archive.on("end", () => resolve(files));
      archive.on("error", (e: Error) =>
        fail(
          invalidInput(/relative path|absolute path/.test(e.message) ? `unsafe path in the archive: an entry leaves its folder (${e.message.replace(/^.*path: /, "")})` : `corrupt archive: ${e.message}`, {
            field: "files",
          }),
        ),
      );
      archive.readEntry();
    });
  });
}


/** A zip of the given files (names may hold folders: "model/model.onnx"). */
export function zipFiles(files: ReadonlyArray<UploadedFile>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const f of files) z.addBuffer(Buffer.from(f.data), f.name, { mtime: new Date(0) });
    const chunks: Buffer[] = [];
    z.outputStream.on("data", (c: Buffer) => chunks.push(c));
    z.outputStream.on("error", reject);
    z.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    z.end();
  });
}
