// Loads a model of any supported format from its files, handed in by the caller (the engine never
// touches the file system): the manifest says which format and which file; the loader of that
// format checks the model against the manifest and returns an AuditModel.

import { z } from "zod";
import { AppError, formatLocated, invalidInput, type ErrorLocation } from "../../errors";
import { ZModelManifest } from "./manifest";
import type { AuditModel } from "./model";
import { loadOnnxModel, type OnnxLoadOptions } from "./onnx/load";
import { loadTfjsModel } from "./tfjs";
import { loadXgboostModel } from "../trees/xgboost-json";

export interface ModelArtefacts {
  /** Parsed assay.model.json. */
  manifest: unknown;
  /** Reads a file of the model directory by its plain name. */
  readFile(name: string): Promise<Uint8Array>;
  /** Directory name for messages. */
  label: string;
  /** ONNX: threads per inference session (default 1: worker pools run one session per thread). */
  onnx?: OnnxLoadOptions;
  /**
   * Size in bytes of a file of the model directory without reading it, when the caller can tell
   * (undefined: unknown). Lets the TF.js weight limit refuse oversized shards before they are read.
   */
  fileSize?(name: string): Promise<number | undefined>;
  /** TF.js: most bytes all weight shards may hold together (default MAX_TFJS_WEIGHT_BYTES). */
  maxWeightBytes?: number;
}

export const MANIFEST_FILE = "assay.model.json";

/** Default limit on a TF.js model's weight shards, all together: 2 GiB. */
export const MAX_TFJS_WEIGHT_BYTES = 2 * 1024 ** 3;

/** Largest single dimension of a TF.js weight (TensorFlow.js indexes tensors with int32). */
export const MAX_WEIGHT_DIMENSION = 2 ** 31 - 1;

const README_HINT = '(see README "Model directories")';

/** Validates the manifest, then loads the model it describes. Throws INVALID_INPUT on bad files. */
export async function loadModel(a: ModelArtefacts): Promise<AuditModel> {
  const manifestResult = ZModelManifest.safeParse(a.manifest);
  if (!manifestResult.success) throw manifestError(manifestResult.error.issues[0]!, a.manifest, a.label);
  const manifest = manifestResult.data;
  switch (manifest.format) {
    case "tfjs-layers":
      return loadTfjsModel(manifest, a.label, await checkedTfjsFiles(a));
    case "onnx":
      return loadOnnxModel(manifest, a.label, await a.readFile(manifest.file), a.onnx);
    case "xgboost-json":
      return loadXgboostModel(manifest, a.label, await a.readFile(manifest.file));
  }
}

// ---------------------------------------------------------------------------------------------
// assay.model.json errors: which field, what was found there and what is accepted.

type Issue = z.core.$ZodIssue;
type Key = PropertyKey;

/**
 * The first manifest issue as INVALID_INPUT: `assay.model.json, field "format": found "tflite";
 * accepted: "tfjs-layers", "onnx", "xgboost-json" (see README "Model directories")`.
 */
function manifestError(issue: Issue, raw: unknown, label: string): AppError {
  const { path, text } = describeIssue(issue, [], raw);
  const field = path.map(String).join(".");
  const message = `${text} ${README_HINT}`;
  const location: ErrorLocation = { file: `${label}/${MANIFEST_FILE}`, ...(field ? { field } : {}) };
  return new AppError("INVALID_INPUT", formatLocated(message, location), {
    location,
    userMessage: formatLocated(message, { file: MANIFEST_FILE, ...(field ? { field } : {}) }),
  });
}

function valueAt(raw: unknown, path: readonly Key[]): unknown {
  let v = raw;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<Key, unknown>)[k];
  }
  return v;
}

function shown(v: unknown): string {
  if (v === undefined) return "nothing (the field is missing)";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const quoted = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(", ");

const ARTICLE: Record<string, string> = { array: "a list", object: "an object", string: "a string", number: "a number", boolean: "true or false", int: "a whole number" };

/** A zod issue as "found X; accepted: Y" (or zod's own words for checks that are not about a type or a value). */
function describeIssue(issue: Issue, base: readonly Key[], raw: unknown): { path: Key[]; text: string } {
  const path = [...base, ...issue.path];
  const found = shown(valueAt(raw, path));
  switch (issue.code) {
    case "invalid_value":
      return { path, text: `found ${found}; accepted: ${quoted(issue.values)}` };
    case "invalid_type":
      return { path, text: `found ${found}; accepted: ${ARTICLE[issue.expected] ?? issue.expected}` };
    case "unrecognized_keys":
      return { path, text: `unknown key${issue.keys.length > 1 ? "s" : ""} ${quoted(issue.keys)}; remove ${issue.keys.length > 1 ? "them" : "it"}` };
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      if (options?.length) return { path, text: `found ${found}; accepted: ${quoted(options)}` };
      return describeUnion(issue, path, raw) ?? { path, text: `found ${found}; ${issue.message}` };
    }
    case "custom":
      return { path, text: issue.message };
    default:
      return { path, text: `found ${found}; ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}` };
  }
}

/**
 * A union of objects told apart by a literal key (a feature's "type"): a value that matches no
 * branch's literal is reported at that key with every literal accepted; one that matches a branch
 * is reported by that branch's first issue. A union of plain types: "accepted: a string or a number".
 */
function describeUnion(issue: Extract<Issue, { code: "invalid_union" }>, path: Key[], raw: unknown): { path: Key[]; text: string } | null {
  const branches = issue.errors;
  if (!branches.length) return null;
  const literalOf = (b: Issue[], key: Key) => b.find((i) => i.code === "invalid_value" && i.path.length === 1 && i.path[0] === key) as Extract<Issue, { code: "invalid_value" }> | undefined;
  const keys = [...new Set(branches.flat().filter((i) => i.code === "invalid_value" && i.path.length === 1).map((i) => i.path[0]!))];
  for (const key of keys) {
    const mismatched = branches.map((b) => literalOf(b, key));
    const matching = mismatched.findIndex((m) => !m);
    if (matching === -1) {
      const accepted = mismatched.flatMap((m) => m!.values);
      return { path: [...path, key], text: `found ${shown(valueAt(raw, [...path, key]))}; accepted: ${quoted(accepted)}` };
    }
    const first = branches[matching]![0];
    if (first) return describeIssue(first, path, raw);
  }
  if (branches.every((b) => b.length === 1 && b[0]!.code === "invalid_type" && b[0]!.path.length === 0)) {
    const types = branches.map((b) => ARTICLE[(b[0] as { expected: string }).expected] ?? (b[0] as { expected: string }).expected);
    return { path, text: `found ${shown(valueAt(raw, path))}; accepted: ${types.join(" or ")}` };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// TF.js weights: every shard read once, within a byte limit, matching the shapes declared in
// model.json, finite. Runs before loadTfjsModel, which then reads the checked bytes.

const ZWeightsManifest = z
  .object({ weightsManifest: z.array(z.object({ paths: z.array(z.unknown()), weights: z.array(z.unknown()) }).passthrough()) })
  .passthrough();

/** Bytes per element of a weight by dtype (the quantized dtype when quantized). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

interface WeightLayout {
  name: string;
  what: string;
  bytes: number;
  /** Element width when the stored values are floats to check for NaN/Infinity (4: float32, 2: float16). */
  float: 0 | 2 | 4;
}

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${n} bytes`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}

/**
 * Reads model.json and its weight shards once each, checks them and returns a reader that serves
 * the checked bytes to loadTfjsModel. A model.json that is not JSON or has no weightsManifest
 * list is passed on unchecked: loadTfjsModel names that problem.
 */
async function checkedTfjsFiles(a: ModelArtefacts): Promise<(name: string) => Promise<Uint8Array>> {
  const cache = new Map<string, Uint8Array>();
  const reader = async (name: string) => cache.get(name) ?? a.readFile(name);
  const modelJsonBytes = await a.readFile("model.json");
  cache.set("model.json", modelJsonBytes);
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(modelJsonBytes));
  } catch {
    return reader;
  }
  const parsed = ZWeightsManifest.safeParse(modelJson);
  if (!parsed.success) return reader;
  const groups = parsed.data.weightsManifest;
  const where = { file: `${a.label}/model.json` };
  const cap = a.maxWeightBytes ?? MAX_TFJS_WEIGHT_BYTES;

  // shard paths: plain names, each listed once (checked before anything is read)
  const counts = new Map<string, number>();
  for (const g of groups) {
    for (const p of g.paths) {
      if (typeof p !== "string") throw invalidInput(`weight shard paths must be file names, got ${shown(p)}`, where);
      if (p.includes("..") || p.startsWith("/") || p.includes("\\")) {
        throw invalidInput(`weight shard path "${p}" must be a plain file name in the model directory`, where);
      }
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
  }
  for (const [p, n] of counts) {
    if (n > 1) throw invalidInput(`weight shard "${p}" is listed ${n} times in weightsManifest; each shard must be listed once`, where);
  }

  // declared weights: known dtypes, sane shapes, within the limit
  const layouts = groups.map((g, gi) => g.weights.map((w, wi) => weightLayout(w, `weight ${wi + 1} of weight group ${gi + 1}`, cap, where)));
  const declared = layouts.flat().reduce((s, w) => s + w.bytes, 0);
  if (declared > cap) throw invalidInput(`the weights declare ${formatBytes(declared)}, over the ${formatBytes(cap)} limit for TF.js weights`, where);

  // shard sizes, before reading when the caller can tell them, and while reading
  const paths = groups.flatMap((g) => g.paths as string[]);
  if (a.fileSize) {
    const sizes = await Promise.all(paths.map((p) => a.fileSize!(p)));
    if (sizes.every((s) => s !== undefined)) {
      const total = sizes.reduce((s, n) => s + n, 0);
      if (total > cap) throw invalidInput(`the weight shards hold ${formatBytes(total)}, over the ${formatBytes(cap)} limit for TF.js weights`, where);
    }
  }
  let total = 0;
  for (const [i, p] of paths.entries()) {
    const bytes = await a.readFile(p);
    total += bytes.byteLength;
    if (total > cap) {
      const atLeast = i < paths.length - 1 ? "at least " : "";
      throw invalidInput(`the weight shards hold ${atLeast}${formatBytes(total)}, over the ${formatBytes(cap)} limit for TF.js weights`, where);
    }
    cache.set(p, bytes);
  }

  // each group's shards, concatenated, hold its weights in order (loadTfjsModel concatenates all
  // groups, so a group with spare bytes would shift every later group's weights)
  groups.forEach((g, gi) => {
    const shards = (g.paths as string[]).map((p) => cache.get(p)!);
    const have = shards.reduce((s, b) => s + b.byteLength, 0);
    const names = (g.paths as string[]).join(", ") || "none";
    let offset = 0;
    for (const w of layouts[gi]!) {
      if (offset + w.bytes > have) {
        throw invalidInput(`weight ${w.what} ends at byte ${offset + w.bytes}, but the shards of its group (${names}) hold ${have} bytes`, where);
      }
      if (w.float) {
        const bad = firstNonFinite(shards, offset, w.bytes / w.float, w.float);
        if (bad !== -1) throw invalidInput(`weight "${w.name}" holds NaN or Infinity (element ${bad + 1} of ${w.bytes / w.float})`, where);
      }
      offset += w.bytes;
    }
    if (offset < have && gi < groups.length - 1) {
      throw invalidInput(`the shards of weight group ${gi + 1} (${names}) hold ${have} bytes but its weights take ${offset}; the weights of later groups would be read from the wrong place`, where);
    }
  });
  return reader;
}

/** A weight spec's byte size, or INVALID_INPUT naming the weight and what is wrong with it. */
function weightLayout(spec: unknown, fallback: string, cap: number, where: { file: string }): WeightLayout {
  const w = (spec !== null && typeof spec === "object" ? spec : {}) as { name?: unknown; shape?: unknown; dtype?: unknown; quantization?: unknown };
  if (typeof w.name !== "string" || !w.name) throw invalidInput(`${fallback} has no name`, where);
  const name = w.name;
  const label = `"${name}"`;
  const shape = w.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0 && (d as number) <= MAX_WEIGHT_DIMENSION)) {
    throw invalidInput(`weight ${label}: shape must be a list of whole numbers from 0 to ${MAX_WEIGHT_DIMENSION}, got ${shown(shape)}`, where);
  }
  const dtype = typeof w.dtype === "string" ? w.dtype : "float32";
  let size = DTYPE_BYTES[dtype];
  if (size === undefined) {
    throw invalidInput(`weight ${label}: dtype ${shown(w.dtype)} is not supported; accepted: ${quoted(Object.keys(DTYPE_BYTES))}`, where);
  }
  let float: 0 | 2 | 4 = dtype === "float32" ? 4 : 0;
  if (w.quantization !== undefined) {
    const q = (w.quantization ?? {}) as { dtype?: unknown; scale?: unknown; min?: unknown };
    const qsize = typeof q.dtype === "string" ? QUANTIZED_BYTES[q.dtype] : undefined;
    if (qsize === undefined) {
      throw invalidInput(`weight ${label}: quantization dtype ${shown(q.dtype)} is not supported; accepted: ${quoted(Object.keys(QUANTIZED_BYTES))}`, where);
    }
    for (const k of ["scale", "min"] as const) {
      if (q[k] !== undefined && !(typeof q[k] === "number" && Number.isFinite(q[k]))) {
        throw invalidInput(`weight ${label}: quantization ${k} must be a finite number, got ${shown(q[k])}`, where);
      }
    }
    size = qsize;
    float = q.dtype === "float16" ? 2 : 0;
  }
  const what = `${label} (${dtype}${float === 2 ? " as float16" : ""}, shape ${JSON.stringify(shape)})`;
  let bytes = size;
  for (const d of shape as number[]) bytes *= d;
  if (bytes > cap) throw invalidInput(`weight ${what} alone takes ${formatBytes(bytes)}, over the ${formatBytes(cap)} limit for TF.js weights`, where);
  return { name, what, bytes, float };
}

/**
 * Index of the first NaN or ±Infinity among `count` little-endian floats of `width` bytes (4:
 * float32, 2: float16) starting at byte `start` of the shards laid end to end, or -1. A float is
 * non-finite when all its exponent bits are set: the top two bytes for float32 (0x7f, 0x80), the
 * top byte for float16 (0x7c). Reads bytes, so shards of any length and alignment work.
 */
function firstNonFinite(shards: Uint8Array[], start: number, count: number, width: 2 | 4): number {
  const parts = shards.filter((s) => s.byteLength > 0);
  const end = start + count * width;
  let g = 0;
  for (let si = 0; si < parts.length; si++) {
    const b = parts[si]!;
    const gEnd = g + b.byteLength;
    if (gEnd > start && g < end) {
      // the high byte of element k sits at start + k·width + width − 1
      let k = Math.max(0, Math.ceil((g - start - (width - 1)) / width));
      for (; k < count; k++) {
        const p = start + k * width + width - 1;
        if (p >= gEnd) break;
        const hi = b[p - g]!;
        if (width === 2) {
          if ((hi & 0x7c) === 0x7c) return k;
          continue;
        }
        if ((hi & 0x7f) !== 0x7f) continue;
        const lo = p - 1 >= g ? b[p - 1 - g]! : parts[si - 1]![parts[si - 1]!.byteLength - 1]!;
        if (lo & 0x80) return k;
      }
    }
    g = gEnd;
  }
  return -1;
}
