// The model manifest (`assay.model.json`): how raw CSV columns become the model's input tensor
// and how its output becomes a probability of the positive class.

import { z } from "zod";

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

export const ZModelOutput = z.discriminatedUnion("type", [
  z.object({ type: z.literal("probability") }).strict(),
  z.object({ type: z.literal("logit") }).strict(),
  z.object({ type: z.literal("softmax"), positiveIndex: z.number().int().min(0).default(1) }).strict(),
]);

export const ZModelManifest = z
  .object({
    format: z.literal("tfjs-layers"),
    task: z.literal("binary_classification"),
    output: ZModelOutput,
    features: z.array(ZFeature).min(1),
    /** Free text shown in reports. */
    description: z.string().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const names = new Set<string>();
    m.features.forEach((f, i) => {
      if (names.has(f.name)) ctx.addIssue({ code: "custom", path: ["features", i, "name"], message: `duplicate feature name "${f.name}"` });
      names.add(f.name);
    });
  });

export type TModelManifest = z.infer<typeof ZModelManifest>;
export type TFeature = z.infer<typeof ZFeature>;
export type TModelOutput = z.infer<typeof ZModelOutput>;

/** Number of model inputs a feature occupies (a one-hot block for categoricals). */
export function featureWidth(f: TFeature): number {
  return f.type === "categorical" ? f.categories.length : 1;
}

/** Width of the encoded input vector. */
export function encodedWidth(m: TModelManifest): number {
  return m.features.reduce((s, f) => s + featureWidth(f), 0);
}

/** Raw columns the model reads, in manifest order, without repeats. */
export function manifestColumns(m: TModelManifest): string[] {
  return [...new Set(m.features.map((f) => f.column))];
}
