// Values on the wire between worker processes (BullMQ job data, return values, Redis keys): JSON
// that keeps typed arrays (as base64 of their bytes) and non-finite numbers (Infinity, NaN),
// which plain JSON would turn into objects and nulls. Little-endian bytes, as every platform
// Node runs on stores them.

const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;

function typedName(v: unknown): TypedName | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  const name = v.constructor.name as TypedName;
  return name in TYPED ? name : null;
}

function encode(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : { $n: String(v) };
  if (v === null || typeof v !== "object") return v;
  const t = typedName(v);
  if (t) {
    const a = v as ArrayBufferView;
    return { $t: t, b: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64") };
  }
  if (Array.isArray(v)) return v.map(encode);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encode(x);
  return out;
}

function decode(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(decode);
  const o = v as Record<string, unknown>;
  if (typeof o.$n === "string" && Object.keys(o).length === 1) return Number(o.$n);
  if (typeof o.$t === "string" && typeof o.b === "string" && Object.keys(o).length === 2) {
    const Ctor = TYPED[o.$t as TypedName];
    if (!Ctor) throw new Error(`wire: unknown typed array ${o.$t}`);
    const bytes = Buffer.from(o.b, "base64");
    // copy into a fresh, aligned buffer
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    return new Ctor(copy.buffer, 0, bytes.length / Ctor.BYTES_PER_ELEMENT);
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decode(x);
  return out;
}

/** A JSON string that `unpack` turns back into the same value, typed arrays and ±Infinity/NaN included. */
export function pack(v: unknown): string {
  return JSON.stringify(encode(v));
}

export function unpack<T = unknown>(s: string): T {
  return decode(JSON.parse(s)) as T;
}

/** The same as pack/unpack, as a JSON-able value (for BullMQ job data and return values). */
export function toWire(v: unknown): unknown {
  return encode(v);
}

export function fromWire<T = unknown>(v: unknown): T {
  return decode(v) as T;
}
