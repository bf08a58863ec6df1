// The model manifest (`assay.model.json`): which model file to run, how raw CSV columns become
// its inputs, and how its output becomes a probability of the positive class. One zod schema;
// `format` discriminates: a TF.js LayersModel, an ONNX graph (onnxruntime), or an XGBoost JSON
// model (our own tree evaluator).

import { z } from "zod";

export const MODEL_FORMATS = ["tfjs-layers", "onnx", "xgboost-json"] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

const ZNumericFeature = z
  .object({
    name: z.string().min(1),
    column: z.string().min(1),
    type: z.literal("numeric"),
    mean: z.number().finite().optional(),
    std: z.number().finite().positive().optional(),
  })
  .strict()
  .refine((f) => (f.mean === undefined) === (f.std === undefined), { message: "give both mean and std, or neither" });

const ZCategoricalFeature = z
  .object({
    name: z.string().min(1),
    column: z.string().min(1),
    type: z.literal("categorical"),
    categories: z.array(z.string()).min(1),
  })
  .strict()
  .refine((f) => new Set(f.categories).size === f.categories.length, { message: "categories must be distinct" });

const ZBinaryFeature = z
  .object({
    name: z.string().min(1),
    column: z.string().min(1),
    type: z.literal("binary"),
    positive: z.union([z.string(), z.number()]).transform(String),
  })
  .strict();

export const ZFeature = z.union([ZNumericFeature, ZCategoricalFeature, ZBinaryFeature]);

const ZTask = z.literal("binary_classification");
/** What an empty numeric cell becomes: the mean (encoded 0 after standardising), or NaN, which
 *  tree ensembles send down each split's default (missing-value) direction. Default: "nan" for
 *  XGBoost JSON, "mean" otherwise (missingPolicy). */
const ZMissing = z.enum(["mean", "nan"]).optional();

export const ZModelOutput = z.discriminatedUnion("type", [
  z.object({ type: z.literal("probability") }).strict(),
  z.object({ type: z.literal("logit") }).strict(),
  z.object({ type: z.literal("softmax"), positiveIndex: z.number().int().min(0).default(1) }).strict(),
]);

/** ONNX outputs: a named graph output (default: chosen from the graph), read as a probability. */
export const ZOnnxOutput = z.discriminatedUnion("type", [
  z.object({ type: z.literal("probability"), name: z.string().min(1).optional() }).strict(),
  z.object({ type: z.literal("logit"), name: z.string().min(1).optional() }).strict(),
  z.object({ type: z.literal("softmax"), name: z.string().min(1).optional(), positiveIndex: z.number().int().min(0).default(1) }).strict(),
  /** skl2onnx's default: a sequence of {class label → probability} maps (ZipMap). */
  z.object({ type: z.literal("zipmap"), name: z.string().min(1).optional(), positiveLabel: z.union([z.string(), z.number()]).transform(String) }).strict(),
]);

export const ZOnnxInput = z.discriminatedUnion("mode", [
  /** One float32 [n, d] tensor, encoded as for TF.js. */
  z.object({ mode: z.literal("tensor"), name: z.string().min(1).optional() }).strict(),
  /** One graph input [n, 1] per feature, named as the feature, fed raw (numbers; text for categories). */
  z.object({ mode: z.literal("columns") }).strict(),
]);

const common = {
  task: ZTask,
  features: z.array(ZFeature).min(1),
  /** Free text shown in reports. */
  description: z.string().optional(),
};

const ZTfjsManifest = z
  .object({ format: z.literal("tfjs-layers"), output: ZModelOutput, missing: ZMissing, ...common })
  .strict();

const ZOnnxManifest = z
  .object({
    format: z.literal("onnx"),
    file: z.string().min(1).default("model.onnx"),
    input: ZOnnxInput.default({ mode: "tensor" }),
    output: ZOnnxOutput,
    missing: ZMissing,
    ...common,
  })
  .strict();

const ZXgboostManifest = z
  .object({
    format: z.literal("xgboost-json"),
    file: z.string().min(1).default("model.json"),
    missing: ZMissing,
    ...common,
  })
  .strict();

export const ZModelManifest = z
  .discriminatedUnion("format", [ZTfjsManifest, ZOnnxManifest, ZXgboostManifest], {
    error: (issue) => (issue.code === "invalid_union" ? `format must be one of ${MODEL_FORMATS.map((f) => `"${f}"`).join(", ")}` : undefined),
  })
  .superRefine((m, ctx) => {
    const names = new Set<string>();
    m.features.forEach((f, i) => {
      if (names.has(f.name)) ctx.addIssue({ code: "custom", path: ["features", i, "name"], message: `duplicate feature name "${f.name}"` });
      names.add(f.name);
    });
    if ("file" in m && (m.file.includes("/") || m.file.includes("\\") || m.file.startsWith("."))) {
      ctx.addIssue({ code: "custom", path: ["file"], message: "file must be a plain file name in the model directory" });
    }
    if (m.format === "onnx" && m.input.mode === "columns") {
      m.features.forEach((f, i) => {
        if (f.type === "numeric" && f.mean !== undefined) {
          ctx.addIssue({ code: "custom", path: ["features", i, "mean"], message: `columns mode feeds raw values: remove mean and std from "${f.name}" (the graph standardises itself)` });
        }
      });
    }
  });

export type TModelManifest = z.infer<typeof ZModelManifest>;
export type TModelManifestInput = z.input<typeof ZModelManifest>;
export type TFeature = z.infer<typeof ZFeature>;
export type TModelOutput = z.infer<typeof ZModelOutput>;
export type TOnnxOutput = z.infer<typeof ZOnnxOutput>;
export type TOnnxOutputInput = z.input<typeof ZOnnxOutput>;
export type TOnnxManifest = Extract<TModelManifest, { format: "onnx" }>;
export type TXgboostManifest = Extract<TModelManifest, { format: "xgboost-json" }>;
export type TTfjsManifest = Extract<TModelManifest, { format: "tfjs-layers" }>;

/** The encoding part of a manifest: what createEncoder needs. */
export type TEncoding = Pick<TModelManifest, "features" | "format" | "missing">;

/** What an empty numeric cell becomes for this manifest. */
export function missingPolicy(m: Pick<TModelManifest, "format" | "missing">): "mean" | "nan" {
  return m.missing ?? (m.format === "xgboost-json" ? "nan" : "mean");
}

/** Number of model inputs a feature occupies (a one-hot block for categoricals). */
export function featureWidth(f: TFeature): number {
  return f.type === "categorical" ? f.categories.length : 1;
}

/** Width of the encoded input vector. */
export function encodedWidth(m: Pick<TModelManifest, "features">): number {
  return m.features.reduce((s, f) => s + featureWidth(f), 0);
}

/** Raw columns the model reads, in manifest order, without repeats. */
export function manifestColumns(m: Pick<TModelManifest, "features">): string[] {
  return [...new Set(m.features.map((f) => f.column))];
}

/** The model file a manifest names, besides assay.model.json ("model.json" for TF.js). */
export function modelFileOf(m: TModelManifest): string {
  return m.format === "tfjs-layers" ? "model.json" : m.file;
}
