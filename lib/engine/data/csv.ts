// Streaming RFC 4180 CSV reader: bytes in (any chunking), records out, with physical line
// numbers for error messages. Handles quoted fields with embedded separators, newlines and
// doubled quotes, CRLF or LF line ends, a UTF-8 byte-order mark, and rejects invalid UTF-8.

import { invalidInput } from "../../errors";

export interface CsvReadOptions {
  /** The file's name as the user knows it; every error names it. */
  fileName: string;
  /** Refuse files larger than this many bytes. */
  maxBytes?: number;
  /** Called after every chunk with the number of bytes read so far. */
  onBytes?: (bytesRead: number) => void;
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
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const parser = new RecordParser(sink, fileName);
  let bytesRead = 0;
  let newlinesBefore = 0; // raw LF bytes in fully consumed chunks, for locating bad UTF-8
  let lastLineBytes: Uint8Array = new Uint8Array(0); // bytes since the last LF, across chunks

  for await (const chunk of chunks) {
    bytesRead += chunk.byteLength;
    if (bytesRead > maxBytes) {
      throw invalidInput(`the file is larger than the limit of ${formatBytes(maxBytes)}`, { file: fileName });
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw locateInvalidUtf8(fileName, lastLineBytes, chunk, newlinesBefore);
    }
    parser.push(text);
    // bookkeeping for the error path only: cheap native scans
    let count = 0;
    let pos = chunk.indexOf(LF);
    let lastLf = -1;
    while (pos !== -1) {
      count++;
      lastLf = pos;
      pos = chunk.indexOf(LF, pos + 1);
    }
    newlinesBefore += count;
    lastLineBytes = lastLf === -1 ? concatBytes(lastLineBytes, chunk) : chunk.slice(lastLf + 1);
    options.onBytes?.(bytesRead);
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw invalidInput("invalid UTF-8: the file ends in the middle of a multi-byte character", { file: fileName, line: newlinesBefore + 1 });
  }
  parser.push(tail);
  parser.end();
  return bytesRead;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength > 1 << 20) return a; // a line this long is already an error elsewhere; keep memory bounded
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
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

function locateInvalidUtf8(fileName: string, lineSoFar: Uint8Array, chunk: Uint8Array, newlinesBefore: number) {
  const joined = concatBytes(lineSoFar, chunk);
  const at = findInvalidUtf8(joined);
  const offset = at === -1 ? joined.length : at;
  let line = newlinesBefore + 1;
  let lineStart = 0;
  for (let i = lineSoFar.length; i < offset; i++) {
    if (joined[i] === LF) {
      line++;
      lineStart = i + 1;
    }
  }
  // field index on that line, honouring quotes (a quoted field may hold commas)
  let field = 1;
  let inQuotes = false;
  for (let i = lineStart; i < offset; i++) {
    const c = joined[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === COMMA && !inQuotes) field++;
  }
  const byte = joined[offset];
  const hex = byte === undefined ? "end of file" : `byte 0x${byte.toString(16).padStart(2, "0")}`;
  return invalidInput(`invalid UTF-8 (${hex}); save the file as UTF-8`, { file: fileName, line, column: String(field) });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/**
 * Incremental record parser over decoded text. Keeps the unfinished record between pushes and
 * re-parses it when more text arrives (records are short; chunks are large).
 */
class RecordParser {
  private pending = "";
  /** Physical line on which `pending` starts. */
  private line = 1;
  constructor(
    private readonly sink: RecordSink,
    private readonly fileName: string,
  ) {}

  push(text: string): void {
    if (text.length === 0) return;
    this.pending = this.pending.length ? this.pending + text : text;
    this.parse(false);
  }

  end(): void {
    this.parse(true);
    if (this.pending.length) {
      throw invalidInput("a quoted field is never closed (missing closing quote)", { file: this.fileName, line: this.line });
    }
  }

  private parse(final: boolean): void {
    const buf = this.pending;
    const n = buf.length;
    let pos = 0;
    let line = this.line;
    const fields: string[] = [];
    outer: while (pos < n) {
      const recordStart = pos;
      const recordLine = line;
      fields.length = 0;
      for (;;) {
        // one field starting at pos
        if (pos < n && buf.charCodeAt(pos) === QUOTE) {
          let j = pos + 1;
          let hasEscapes = false;
          let innerLines = 0;
          for (;;) {
            const q = buf.indexOf('"', j);
            if (q === -1) {
              if (!final) {
                pos = recordStart;
                line = recordLine;
                break outer;
              }
              this.pending = buf.slice(recordStart);
              this.line = recordLine;
              return; // end() reports the unclosed quote
            }
            innerLines += countLf(buf, j, q);
            if (q + 1 < n && buf.charCodeAt(q + 1) === QUOTE) {
              hasEscapes = true;
              j = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) {
              // cannot yet tell `"` (end) from `""` (escaped quote)
              pos = recordStart;
              line = recordLine;
              break outer;
            }
            const raw = buf.slice(pos + 1, q);
            fields.push(hasEscapes ? raw.replace(/""/g, '"') : raw);
            line += innerLines;
            pos = q + 1;
            break;
          }
          if (pos >= n) {
            if (!final) {
              pos = recordStart;
              line = recordLine;
              break outer;
            }
            this.emit(fields, recordLine);
            break;
          }
          const c = buf.charCodeAt(pos);
          if (c === COMMA) {
            pos++;
            continue;
          }
          if (c === LF || c === CR) {
            const after = this.lineEnd(buf, pos, final);
            if (after === -1) {
              pos = recordStart;
              line = recordLine;
              break outer;
            }
            pos = after;
            line++;
            this.emit(fields, recordLine);
            break;
          }
          throw invalidInput(`unexpected character ${JSON.stringify(buf[pos])} after a closing quote (quotes inside a field must be doubled)`, {
            file: this.fileName,
            line,
            column: String(fields.length),
          });
        }
        // unquoted field: up to the next comma or line end
        let j = pos;
        while (j < n) {
          const c = buf.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          j++;
        }
        if (j >= n && !final) {
          pos = recordStart;
          line = recordLine;
          break outer;
        }
        if (fields.length === 0 && j === pos && j < n && buf.charCodeAt(j) !== COMMA) {
          // a blank line: skip it without emitting a record
          const after = this.lineEnd(buf, j, final);
          if (after === -1) {
            pos = recordStart;
            line = recordLine;
            break outer;
          }
          pos = after;
          line++;
          break;
        }
        fields.push(buf.slice(pos, j));
        if (j >= n) {
          pos = n;
          this.emit(fields, recordLine);
          break;
        }
        const c = buf.charCodeAt(j);
        if (c === COMMA) {
          pos = j + 1;
          if (pos >= n && final) {
            fields.push("");
            this.emit(fields, recordLine);
            break;
          }
          continue;
        }
        const after = this.lineEnd(buf, j, final);
        if (after === -1) {
          pos = recordStart;
          line = recordLine;
          break outer;
        }
        pos = after;
        line++;
        this.emit(fields, recordLine);
        break;
      }
    }
    this.pending = pos >= n ? "" : buf.slice(pos);
    this.line = line;
  }

  /** Position after the line terminator at `i` (CRLF, LF or a lone CR); -1 if undecidable yet. */
  private lineEnd(buf: string, i: number, final: boolean): number {
    if (buf.charCodeAt(i) === LF) return i + 1;
    if (i + 1 < buf.length) return buf.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    return final ? i + 1 : -1;
  }

  private emit(fields: string[], line: number): void {
    this.sink(fields, line);
  }
}

function countLf(s: string, from: number, to: number): number {
  let k = 0;
  let p = s.indexOf("\n", from);
  while (p !== -1 && p < to) {
    k++;
    p = s.indexOf("\n", p + 1);
  }
  return k;
}
