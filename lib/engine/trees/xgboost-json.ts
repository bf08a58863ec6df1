// XGBoost's own JSON model format (Booster.save_model("model.json")), versions 1.7 to 3.x, as a
// TreeEnsemble scored by our evaluator. Only binary:logistic (and its raw-margin twin
// binary:logitraw) gbtree/dart models are accepted: others are refused with a clear message.
//
// What XGBoost does, and so do we: a node sends x left when x < split_condition (float32
// values), a missing value (NaN) takes default_left; a leaf's value is its split_condition
// (learning rate already applied); margin = logit(base_score) + Σ leaves (base_score is a
// probability: "5E-1" in 1.7, "[5E-1]" from 2.1/3.x); dart scales each tree by weight_drop;
// P(positive) = σ(margin).

import { z } from "zod";
import { invalidInput } from "../../errors";
import { encodedWidth, type TXgboostManifest } from "../model/manifest";
import type { AuditModel } from "../model/model";
import { ensembleMargins, inputsRead, marginsToProbabilities, SPLIT_MODE, validateTree, type Tree, type TreeEnsemble } from "./ensemble";
import { notValidJson } from "../json-error";

const ZNumberish = z.union([z.number(), z.string()]);
const ZBoolish = z.union([z.number(), z.boolean()]);

const ZXgbTree = z
  .object({
    left_children: z.array(z.number().int()),
    right_children: z.array(z.number().int()),
    split_indices: z.array(z.number().int()),
    split_conditions: z.array(z.number()),
    default_left: z.array(ZBoolish),
    split_type: z.array(z.number().int()).optional(),
    base_weights: z.array(z.number()).optional(),
  })
  .passthrough();

const ZXgbModel = z
  .object({
    learner: z
      .object({
        learner_model_param: z.object({ base_score: ZNumberish, num_feature: ZNumberish.optional(), num_class: ZNumberish.optional(), num_target: ZNumberish.optional() }).passthrough(),
        objective: z.object({ name: z.string() }).passthrough(),
        gradient_booster: z
          .object({
            name: z.string(),
            model: z.object({ trees: z.array(ZXgbTree), tree_info: z.array(z.number()).optional() }).passthrough().optional(),
            gbtree: z.object({ model: z.object({ trees: z.array(ZXgbTree), tree_info: z.array(z.number()).optional() }).passthrough() }).passthrough().optional(),
            weight_drop: z.array(z.number()).optional(),
          })
          .passthrough(),
        feature_names: z.array(z.string()).optional(),
      })
      .passthrough(),
    version: z.array(z.number()).optional(),
  })
  .passthrough();

/** "5E-1", "[5E-1]", "[5E-1,...]" or a number → the first value. */
export function parseBaseScore(v: number | string): number {
  if (typeof v === "number") return v;
  const s = v.trim().replace(/^\[/, "").replace(/\]$/, "").split(",")[0]!.trim();
  const x = Number(s);
  if (!Number.isFinite(x)) throw new Error(`base_score "${v}" is not a number`);
  return x;
}

export interface XgboostParsed {
  ensemble: TreeEnsemble;
  numFeature: number;
  version: string;
  objective: string;
  featureNames: string[];
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** Parses XGBoost JSON text into a TreeEnsemble; throws INVALID_INPUT naming `file` on anything else. */
export function parseXgboostJson(text: string, file: string): XgboostParsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalidInput(notValidJson(baseName(file), text, e), { file });
  }
  const parsed = ZXgbModel.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const where = i.path.join(".");
    const missing = i.code === "invalid_type" && /received undefined/.test(i.message);
    throw invalidInput(`${baseName(file)} is not an XGBoost JSON model written by Booster.save_model("model.json"): ${missing ? `it has no ${where}` : `${where}: ${i.message}`}`, { file });
  }
  const l = parsed.data.learner;
  const objective = l.objective.name;
  if (objective !== "binary:logistic" && objective !== "binary:logitraw") {
    throw invalidInput(
      `objective "${objective}" is not supported: Assay audits binary classifiers trained with objective "binary:logistic" (or "binary:logitraw")`,
      { file },
    );
  }
  const booster = l.gradient_booster;
  if (booster.name !== "gbtree" && booster.name !== "dart") {
    throw invalidInput(`booster "${booster.name}" is not supported: Assay reads tree boosters (gbtree, dart)`, { file });
  }
  const model = booster.name === "dart" ? booster.gbtree?.model : booster.model;
  if (!model) throw invalidInput(`the ${booster.name} booster has no trees`, { file });
  const numClass = Number(l.learner_model_param.num_class ?? 0);
  const numTarget = Number(l.learner_model_param.num_target ?? 1);
  if (numClass > 1 || numTarget > 1) throw invalidInput(`the model has ${Math.max(numClass, numTarget)} outputs; Assay audits binary classifiers (one output)`, { file });
  let baseScore: number;
  try {
    baseScore = parseBaseScore(l.learner_model_param.base_score);
  } catch (e) {
    throw invalidInput((e as Error).message, { file });
  }
  let base: number;
  if (objective === "binary:logistic") {
    if (!(baseScore > 0 && baseScore < 1)) throw invalidInput(`base_score ${baseScore} must lie in (0, 1) for binary:logistic`, { file });
    base = Math.log(baseScore / (1 - baseScore));
  } else base = baseScore;
  const weights = booster.name === "dart" ? (booster.weight_drop ?? []) : [];
  const trees: Tree[] = model.trees.map((t, ti) => {
    const n = t.left_children.length;
    const where = `tree ${ti}`;
    for (const [name, arr] of Object.entries({ right_children: t.right_children, split_indices: t.split_indices, split_conditions: t.split_conditions, default_left: t.default_left })) {
      if (arr.length !== n) throw invalidInput(`${where}: ${name} has ${arr.length} entries, left_children ${n}`, { file });
    }
    if (t.split_type?.some((s, k) => s !== 0 && t.left_children[k] !== -1)) {
      throw invalidInput(`${where} has categorical splits (enable_categorical), which Assay does not read; one-hot encode the categories instead`, { file });
    }
    const scale = booster.name === "dart" ? (weights[ti] ?? 1) : 1;
    const tree: Tree = {
      feature: new Int32Array(n),
      threshold: new Float64Array(n),
      mode: new Uint8Array(n).fill(SPLIT_MODE.LT),
      yes: new Int32Array(n),
      no: new Int32Array(n),
      missingYes: new Uint8Array(n),
      value: new Float64Array(n),
    };
    for (let k = 0; k < n; k++) {
      const leaf = t.left_children[k] === -1;
      tree.feature[k] = leaf ? -1 : t.split_indices[k]!;
      tree.threshold[k] = Math.fround(t.split_conditions[k]!);
      tree.yes[k] = t.left_children[k]!;
      tree.no[k] = t.right_children[k]!;
      const dl = t.default_left[k]!;
      tree.missingYes[k] = dl === true || dl === 1 ? 1 : 0;
      tree.value[k] = leaf ? Math.fround(t.split_conditions[k]!) * scale : 0;
    }
    try {
      validateTree(tree, where);
    } catch (e) {
      throw invalidInput((e as Error).message, { file });
    }
    return tree;
  });
  const ensemble: TreeEnsemble = {
    trees,
    base,
    transform: objective === "binary:logistic" ? "logistic" : "identity",
    units: "log-odds",
    source: `XGBoost ${parsed.data.version?.join(".") ?? ""} ${booster.name} (${objective})`.replace(/\s+/g, " "),
  };
  const numFeature = Number(l.learner_model_param.num_feature ?? inputsRead(ensemble));
  return { ensemble, numFeature, version: parsed.data.version?.join(".") ?? "unknown", objective, featureNames: l.feature_names ?? [] };
}

/** An XGBoost JSON model as an AuditModel: our tree evaluator, no gradients, TreeSHAP-ready. */
export async function loadXgboostModel(manifest: TXgboostManifest, label: string, bytes: Uint8Array): Promise<AuditModel> {
  const file = `${label}/${manifest.file}`;
  const p = parseXgboostJson(new TextDecoder().decode(bytes), file);
  const width = encodedWidth(manifest);
  if (p.numFeature !== width) {
    throw invalidInput(
      `the manifest encodes ${width} inputs (${manifest.features.length} features, one-hot blocks expanded) but the model was trained on ${p.numFeature} features`,
      { file: `${label}/assay.model.json` },
    );
  }
  const e = p.ensemble;
  return {
    format: "xgboost-json",
    manifest,
    inputWidth: width,
    outputDescription: p.objective,
    graph: null,
    gradients: { kind: "none", reason: "tree ensembles are piecewise constant: they have no useful gradients" },
    trees: e,
    async predict(x, rows) {
      return marginsToProbabilities(e, ensembleMargins(e, x, rows, width));
    },
    dispose() {},
  };
}
