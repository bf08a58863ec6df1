// Streaming RFC 4180 CSV reader: bytes in (any chunking), records out, with physical line
// numbers for error messages. Handles quoted fields with embedded separators, newlines and
// doubled quotes, CRLF or LF line ends, a UTF-8 byte-order mark, and rejects invalid UTF-8.
// Linear in the input: the parser is a state machine that keeps its place across chunks, so
// every character is scanned a bounded number of times however the bytes are chunked. Fields
// and records have length limits (a runaway quote or a binary file cannot grow one without
// bound), and files that are recognisably not text (images, PDFs, archives, UTF-16) are refused
// by their first bytes with an error that says what they look like.

import { invalidInput } from "../../errors";

/**
 * Longest field accepted, in characters (UTF-16 code units) as written in the file between its
 * separators, without the enclosing quotes (a doubled quote counts as two). Far above any real
 * cell; a field this long is nearly always a quote that is never closed.
 */
export const MAX_FIELD_CHARS = 1_000_000;

/**
 * Longest record accepted, in characters (UTF-16 code units) as written in the file, from its
 * first character to its line end (e.g. 10,000 columns of 1,000 characters).
 */
export const MAX_RECORD_CHARS = 10_000_000;

/** How many leading bytes are inspected to recognise a file that is not text (NUL bytes). */
export const SNIFF_BYTES = 8192;

export interface CsvReadOptions {
  /** The file's name as the user knows it; every error names it. */
  fileName: string;
  /** Refuse files larger than this many bytes. */
  maxBytes?: number;
  /** Called after every chunk with the number of bytes read so far. */
  onBytes?: (bytesRead: number) => void;
  /** Refuse fields longer than this many characters (default MAX_FIELD_CHARS). */
  maxFieldChars?: number;
  /** Refuse records longer than this many characters (default MAX_RECORD_CHARS). */
  maxRecordChars?: number;
  /** Filled in when reading ends (also on an error): the work done, for tests and benchmarks. */
  stats?: CsvStats;
}

export interface CsvStats {
  /** Decoded characters given to the parser. */
  chars: number;
  /** Characters the parser examined, counting each pass over a character (≤ 2 × chars). */
  charsScanned: number;
}

/** Receives each record (the header first) with the physical line on which it starts. */
export type RecordSink = (fields: string[], line: number) => void;

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/**
 * Reads CSV bytes and calls `sink` once per record. Fully blank lines are skipped. Throws an
 * AppError(INVALID_INPUT) naming the file, line and column on malformed input.
 * Returns the number of bytes read.
 */
export async function readCsv(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  sink: RecordSink,
  options: CsvReadOptions,
): Promise<number> {
  const { fileName, maxBytes = Infinity } = options;
  const parser = new RecordParser(sink, fileName, options.maxFieldChars ?? MAX_FIELD_CHARS, options.maxRecordChars ?? MAX_RECORD_CHARS);
  // BOMs are stripped by hand, once: a non-streaming decode() would strip one at every call
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let atStart = true;
  let carry: Uint8Array | null = null; // an incomplete multi-byte character at the end of the last chunk

  const push = (text: string) => {
    if (atStart && text.length) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    parser.push(text);
  };
  const decode = (chunk: Uint8Array) => {
    let bytes = carry ? concatBytes([carry, chunk]) : chunk;
    carry = null;
    const keep = incompleteTail(bytes);
    if (keep) {
      carry = bytes.slice(bytes.length - keep);
      bytes = bytes.subarray(0, bytes.length - keep);
    }
    if (bytes.length === 0) return;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      // everything before the bad byte is valid: parse it, then the parser knows where we are
      const at = findInvalidUtf8(bytes);
      const offset = at === -1 ? bytes.length : at;
      push(decoder.decode(bytes.subarray(0, offset)));
      const byte = bytes[offset];
      const hex = byte === undefined ? "end of file" : `byte 0x${byte.toString(16).padStart(2, "0")}`;
      throw invalidInput(`invalid UTF-8 (${hex}); save the file as UTF-8`, { file: fileName, line: parser.line, column: String(parser.fieldNumber) });
    }
    push(text);
  };

  let bytesRead = 0;
  let head: Uint8Array[] | null = []; // the first bytes, held until there are enough to sniff
  let headBytes = 0;
  try {
    for await (const chunk of chunks) {
      bytesRead += chunk.byteLength;
      if (bytesRead > maxBytes) {
        throw invalidInput(`the file is larger than the limit of ${formatBytes(maxBytes)}`, { file: fileName });
      }
      if (head) {
        head.push(chunk);
        headBytes += chunk.byteLength;
        if (headBytes < SNIFF_BYTES) continue;
        const first = concatBytes(head);
        head = null;
        refuseBinary(first, fileName);
        decode(first);
      } else decode(chunk);
      options.onBytes?.(bytesRead);
    }
    if (head) {
      const first = concatBytes(head);
      head = null;
      refuseBinary(first, fileName);
      decode(first);
      options.onBytes?.(bytesRead);
    }
    if (carry) {
      throw invalidInput("invalid UTF-8: the file ends in the middle of a multi-byte character", { file: fileName, line: parser.line });
    }
    parser.end();
  } finally {
    if (options.stats) {
      options.stats.chars = parser.chars;
      options.stats.charsScanned = parser.charsScanned;
    }
  }
  return bytesRead;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Bytes at the end of `bytes` that start a multi-byte character but do not finish it (0–3): they
 * wait for the next chunk. Anything else that is wrong is left for the decoder to reject.
 */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = n - 1; k >= 0 && k >= n - 3; k--) {
    const b = bytes[k]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    if (b < 0xc2 || b > 0xf4) return 0; // ASCII, or a byte that never starts a character
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return n - k < len ? n - k : 0;
  }
  return 0;
}

/**
 * What a file that is not CSV text looks like, judged by its first bytes (magic numbers, a
 * UTF-16/32 byte-order mark, NUL bytes in the first SNIFF_BYTES); null when it may be CSV.
 */
export function sniffBinary(head: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.length <= head.length && sig.every((b, i) => head[i] === b);
  const ascii = (s: string) => starts(...Array.from(s, (c) => c.charCodeAt(0)));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "this is not a CSV file (it looks like a PNG image)";
  if (starts(0xff, 0xd8, 0xff)) return "this is not a CSV file (it looks like a JPEG image)";
  if (ascii("GIF87a") || ascii("GIF89a")) return "this is not a CSV file (it looks like a GIF image)";
  if (ascii("%PDF-")) return "this is not a CSV file (it looks like a PDF document)";
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06) || starts(0x50, 0x4b, 0x07, 0x08)) {
    // an .xlsx workbook is a ZIP archive whose entries live under xl/
    return includesAscii(head.subarray(0, SNIFF_BYTES), "xl/")
      ? "this is not a CSV file (it looks like an Excel workbook, .xlsx); export the sheet as CSV UTF-8"
      : "this is not a CSV file (it looks like a ZIP archive)";
  }
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    return "this is not a CSV file (it looks like an Excel 97–2003 workbook, .xls, or another Office document); export the sheet as CSV UTF-8";
  }
  if (starts(0x1f, 0x8b)) return "this is not a CSV file (it looks like a gzip-compressed file); decompress it first";
  if (starts(0xff, 0xfe, 0x00, 0x00) || starts(0x00, 0x00, 0xfe, 0xff)) return "this file is UTF-32 text, which is not supported; save it as CSV UTF-8";
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return "this file is UTF-16 text, which is not supported; save it as CSV UTF-8";
  const n = Math.min(head.length, SNIFF_BYTES);
  let zeros = 0;
  let zerosEven = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) {
      zeros++;
      if ((i & 1) === 0) zerosEven++;
    }
  }
  if (zeros === 0) return null;
  // ASCII text in UTF-16 without a byte-order mark: every other byte is 0
  const pairs = n >> 1;
  if (pairs >= 2 && (zeros === zerosEven || zerosEven === 0) && zeros >= pairs * 0.9) {
    return "this file looks like UTF-16 text, which is not supported; save it as CSV UTF-8";
  }
  return "this is not a CSV file (it contains NUL bytes, so it looks like a binary file)";
}

function includesAscii(bytes: Uint8Array, s: string): boolean {
  const first = s.charCodeAt(0);
  for (let i = bytes.indexOf(first); i !== -1 && i + s.length <= bytes.length; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < s.length && bytes[i + k] === s.charCodeAt(k)) k++;
    if (k === s.length) return true;
  }
  return false;
}

function refuseBinary(head: Uint8Array, fileName: string): void {
  const problem = sniffBinary(head);
  if (problem) throw invalidInput(problem, { file: fileName });
}

/** Finds the first invalid UTF-8 sequence (RFC 3629) in `bytes`; returns its offset or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i; // truncated at the end
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

// Parser states
const FIELD_START = 0; // before the first character of a field (of a record when no fields yet)
const UNQUOTED = 1; // inside a field that does not start with a quote
const QUOTED = 2; // inside a quoted field
const QUOTE_SEEN = 3; // a quote inside a quoted field was the last character: `""` or the end?
const AFTER_CR = 4; // a record ended with CR: an LF right after it belongs to the same line end

/**
 * Incremental record parser over decoded text: a state machine that keeps its place (state,
 * fields so far, pieces of the current field) between pushes, so each character is examined
 * once by the field scan (and once more, natively, to count newlines inside quoted fields).
 */
class RecordParser {
  private state = FIELD_START;
  /** Finished fields of the current record. */
  private readonly fields: string[] = [];
  /** Unescaped text of the current field from earlier chunks. */
  private parts: string[] = [];
  /** Characters of the current field from earlier chunks, as written in the file. */
  private partsRaw = 0;
  /** Physical line of the next character. */
  line = 1;
  private recordLine = 1;
  private fieldLine = 1;
  /** Characters before the current chunk, and where the current record starts. */
  private offset = 0;
  private recordStart = 0;
  /** Position in the current chunk of the next LF at or after the last search (-1: none; -2: not searched yet). */
  private nextLf = -2;
  chars = 0;
  charsScanned = 0;

  constructor(
    private readonly sink: RecordSink,
    private readonly fileName: string,
    private readonly maxField: number,
    private readonly maxRecord: number,
  ) {}

  /** 1-based number of the field the next character belongs to. */
  get fieldNumber(): number {
    return this.fields.length + 1;
  }

  push(text: string): void {
    const n = text.length;
    if (n === 0) return;
    this.chars += n;
    this.nextLf = -2;
    let i = 0;
    let segStart = 0; // start of the current field's text in this chunk
    let segEscapes = false; // the segment holds doubled quotes
    while (i < n) {
      switch (this.state) {
        case AFTER_CR:
          this.state = FIELD_START;
          if (text.charCodeAt(i) === LF) {
            this.charsScanned++;
            i++;
          }
          break;
        case FIELD_START: {
          const c = text.charCodeAt(i);
          if (this.fields.length === 0) {
            if (c === LF || c === CR) {
              // a blank line: skip it without emitting a record
              this.charsScanned++;
              this.line++;
              this.state = c === CR ? AFTER_CR : FIELD_START;
              i++;
              break;
            }
            this.recordLine = this.line;
            this.recordStart = this.offset + i;
          }
          this.fieldLine = this.line;
          if (c === QUOTE) {
            this.charsScanned++;
            i++;
            this.state = QUOTED;
          } else this.state = UNQUOTED;
          segStart = i;
          segEscapes = false;
          break;
        }
        case UNQUOTED: {
          let j = i;
          while (j < n) {
            const c = text.charCodeAt(j);
            if (c === COMMA || c === LF || c === CR) break;
            j++;
          }
          this.charsScanned += j - i;
          if (j === n) {
            i = n;
            break;
          }
          this.charsScanned++;
          this.endField(text, segStart, j, false);
          i = this.separator(text, j);
          break;
        }
        case QUOTED: {
          const q = text.indexOf('"', i);
          const stop = q === -1 ? n : q;
          this.charsScanned += stop - i + (q === -1 ? 0 : 1);
          this.countLines(text, i, stop);
          if (q === -1) {
            i = n;
            break;
          }
          if (q + 1 === n) {
            // cannot yet tell `"` (end) from `""` (escaped quote)
            this.flush(text, segStart, q, segEscapes);
            this.state = QUOTE_SEEN;
            i = n;
            break;
          }
          this.charsScanned++;
          if (text.charCodeAt(q + 1) === QUOTE) {
            segEscapes = true;
            i = q + 2;
            break;
          }
          this.endField(text, segStart, q, segEscapes);
          i = this.afterClosingQuote(text, q + 1);
          break;
        }
        case QUOTE_SEEN: {
          // the previous chunk ended with a quote inside a quoted field
          this.charsScanned++;
          if (text.charCodeAt(i) === QUOTE) {
            this.parts.push('"');
            this.partsRaw += 2;
            this.state = QUOTED;
            i++;
            segStart = i;
            segEscapes = false;
            break;
          }
          this.endField(text, i, i, false);
          i = this.afterClosingQuote(text, i);
          break;
        }
      }
    }
    // keep the unfinished field's text for the next chunk, within the limits
    if (this.state === UNQUOTED || this.state === QUOTED) this.flush(text, segStart, n, segEscapes);
    this.offset += n;
    if (this.fields.length > 0 || this.state === UNQUOTED || this.state === QUOTED || this.state === QUOTE_SEEN) {
      this.checkLength(this.partsRaw, this.offset);
    }
  }

  end(): void {
    switch (this.state) {
      case QUOTED:
        throw invalidInput("a quoted field is never closed (missing closing quote)", { file: this.fileName, line: this.recordLine });
      case UNQUOTED:
      case QUOTE_SEEN:
        this.endField("", 0, 0, false);
        this.emit();
        break;
      case FIELD_START:
        if (this.fields.length > 0) {
          // a trailing comma at the very end: one more, empty field
          this.fields.push("");
          this.emit();
        }
        break;
    }
  }

  /** Adds text[from, to) to the current field's pieces. */
  private flush(text: string, from: number, to: number, escapes: boolean): void {
    if (to <= from) return;
    this.checkLength(this.partsRaw + (to - from), this.offset + to);
    const piece = text.slice(from, to);
    this.parts.push(escapes ? piece.replace(/""/g, '"') : piece);
    this.partsRaw += to - from;
  }

  /** Finishes the current field with its pieces and text[from, to). */
  private endField(text: string, from: number, to: number, escapes: boolean): void {
    this.checkLength(this.partsRaw + (to - from), this.offset + to);
    let value = text.slice(from, to);
    if (escapes) value = value.replace(/""/g, '"');
    if (this.parts.length) {
      this.parts.push(value);
      value = this.parts.join("");
      this.parts = [];
    }
    this.partsRaw = 0;
    this.fields.push(value);
  }

  /** After a field ended at the separator text[j] (comma, LF or CR): the next position. */
  private separator(text: string, j: number): number {
    const c = text.charCodeAt(j);
    if (c === COMMA) {
      this.state = FIELD_START;
      return j + 1;
    }
    this.line++;
    this.state = c === CR ? AFTER_CR : FIELD_START;
    this.emit();
    return j + 1;
  }

  /** After the closing quote of a field, at text[j]: a separator or an error. */
  private afterClosingQuote(text: string, j: number): number {
    const c = text.charCodeAt(j);
    if (c === COMMA || c === LF || c === CR) return this.separator(text, j);
    throw invalidInput(`unexpected character ${JSON.stringify(text[j])} after a closing quote (quotes inside a field must be doubled)`, {
      file: this.fileName,
      line: this.line,
      column: String(this.fields.length),
    });
  }

  /** Refuses a field of `fieldRaw` characters, or a record that reaches offset `end`, over the limits. */
  private checkLength(fieldRaw: number, end: number): void {
    if (fieldRaw > this.maxField) {
      const hint = this.state === QUOTED || this.state === QUOTE_SEEN ? " (a quote that opens a field here may never be closed)" : "";
      throw invalidInput(`field longer than ${this.maxField.toLocaleString("en-US")} characters${hint}`, {
        file: this.fileName,
        line: this.fieldLine,
        column: String(this.fields.length + 1),
      });
    }
    if (end - this.recordStart > this.maxRecord) {
      throw invalidInput(`record longer than ${this.maxRecord.toLocaleString("en-US")} characters`, {
        file: this.fileName,
        line: this.recordLine,
        column: String(this.fields.length + 1),
      });
    }
  }

  /**
   * Counts the LFs in text[from, to). The position of the next LF is kept between calls (they
   * move forward through the chunk), so the chunk is searched for LFs once in all, not once per
   * quoted field up to the next line end.
   */
  private countLines(text: string, from: number, to: number): void {
    for (;;) {
      if (this.nextLf < from && this.nextLf !== -1) {
        const p = text.indexOf("\n", from);
        this.charsScanned += (p === -1 ? text.length : p + 1) - from;
        this.nextLf = p;
      }
      if (this.nextLf === -1 || this.nextLf >= to) return;
      this.line++;
      from = this.nextLf + 1;
    }
  }

  private emit(): void {
    const fields = this.fields;
    this.sink(fields, this.recordLine);
    fields.length = 0;
  }
}
