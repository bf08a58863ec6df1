// Request bodies read with limits, never whole before a check: a declared Content-Length over the
// limit is refused (413) before a byte is read; JSON is read up to its cap; multipart is parsed
// as it streams (busboy) with per-file, total, file-count and field limits, stopping at the first
// byte over a limit. Nothing in front of the route handlers buffers /api bodies (no middleware).

import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import Busboy from "busboy";
import { AppError, invalidInput } from "../errors";

const MB = 1024 * 1024;

function mb(bytes: number): string {
  return bytes >= MB ? `${Number((bytes / MB).toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function tooLarge(what: string, limit: number, variable?: string): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `${what} is larger than the limit of ${mb(limit)}${variable ? ` (${variable})` : ""}`);
}

/** Refuses a body whose declared length is over `max` (before reading it). */
export function assertContentLength(req: Request, max: number, what = "the request", variable?: string): void {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(what, max, variable);
}

/** The body's bytes, up to `max` (413 at the first byte over it). */
export async function readBodyLimited(req: Request, max: number, what = "the request", variable?: string): Promise<Uint8Array> {
  assertContentLength(req, max, what, variable);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(what, max, variable);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** A JSON body of at most `max` bytes; 422 when it is not JSON. */
export async function readJsonBody(req: Request, max = 1 * MB): Promise<unknown> {
  const bytes = await readBodyLimited(req, max, "the JSON body");
  if (bytes.byteLength === 0) return {};
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalidInput("the request body is not valid JSON");
  }
}

export interface MultipartLimits {
  /** Largest single file. */
  maxFileBytes: number;
  /** All files together. */
  maxTotalBytes: number;
  maxFiles: number;
  /** Largest text field (e.g. a spec or a manifest). */
  maxFieldBytes: number;
  maxFields: number;
  /** Environment variable that sets the file limits, named in the error. */
  variable?: string;
}

export interface MultipartFile {
  field: string;
  name: string;
  data: Uint8Array;
}

export interface MultipartBody {
  fields: Map<string, string>;
  files: MultipartFile[];
  text(name: string): string | undefined;
  filesOf(field: string): MultipartFile[];
}

/** Parses a multipart/form-data body as it streams, refusing it at the first byte over a limit. */
export async function readMultipart(req: Request, limits: MultipartLimits): Promise<MultipartBody> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) throw invalidInput("send the request as multipart/form-data");
  // the body can hold at most the files, the fields and the part headers
  assertContentLength(req, limits.maxTotalBytes + limits.maxFields * limits.maxFieldBytes + 64 * 1024, "the upload", limits.variable);
  if (!req.body) throw invalidInput("the request has no body");
  const fields = new Map<string, string>();
  const files: MultipartFile[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const source = Readable.fromWeb(req.body as unknown as NodeWebStream<Uint8Array>);
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: { "content-type": type }, limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: limits.maxFields, fieldSize: limits.maxFieldBytes, parts: limits.maxFiles + limits.maxFields } });
    } catch {
      reject(invalidInput("the multipart body is malformed (no boundary)"));
      return;
    }
    const fail = (e: AppError) => {
      if (failed) return;
      failed = true;
      source.unpipe(bb);
      source.destroy();
      reject(e);
    };
    bb.on("field", (name, value, info) => {
      if (info.valueTruncated) return fail(tooLarge(`the field "${name}"`, limits.maxFieldBytes));
      fields.set(name, value);
    });
    bb.on("file", (field, stream, info) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (c: Buffer) => {
        size += c.length;
        total += c.length;
        if (total > limits.maxTotalBytes) {
          stream.resume();
          return fail(tooLarge("the files together", limits.maxTotalBytes, limits.variable));
        }
        chunks.push(c);
      });
      stream.on("limit", () => fail(tooLarge(`the file "${info.filename}"`, limits.maxFileBytes, limits.variable)));
      stream.on("close", () => {
        if (!failed) files.push({ field, name: info.filename ?? field, data: new Uint8Array(Buffer.concat(chunks, size)) });
      });
    });
    bb.on("filesLimit", () => fail(new AppError("PAYLOAD_TOO_LARGE", `more than ${limits.maxFiles} files in one upload`)));
    bb.on("fieldsLimit", () => fail(new AppError("PAYLOAD_TOO_LARGE", `more than ${limits.maxFields} form fields`)));
    bb.on("partsLimit", () => fail(new AppError("PAYLOAD_TOO_LARGE", "too many parts in the upload")));
    bb.on("error", () => fail(invalidInput("the multipart body is malformed")));
    bb.on("close", () => {
      if (!failed) resolve();
    });
    source.on("error", () => fail(invalidInput("the upload was interrupted")));
    source.pipe(bb);
  });
  return {
    fields,
    files,
    text: (name) => fields.get(name),
    filesOf: (field) => files.filter((f) => f.field === field),
  };
}
