// Trees from ONNX TreeEnsembleClassifier / TreeEnsembleRegressor nodes (ai.onnx.ml) as our
// TreeEnsemble, for exact TreeSHAP. Covers the layouts converters write for binary classifiers:
//   - one class id with base_values[0] as the margin, post_transform LOGISTIC (onnxmltools for
//     XGBoost and LightGBM, skl2onnx for GradientBoostingClassifier): P = σ(base + Σ leaves);
//   - one class id, post_transform NONE, non-negative weights (skl2onnx RandomForestClassifier,
//     weights p₁/n_trees): P = Σ leaves, in probability units;
//   - two class ids, post_transform NONE: P = Σ of the positive class's leaf weights;
//   - a regressor (SUM or AVERAGE) whose output is read as a probability or a logit.
// onnxruntime's semantics (read from its tree_ensemble_* sources and checked on 1.30): with float
// input every comparison is in float32; NaN takes the true branch only when
// nodes_missing_value_tracks_true is 1; base values are added after the trees are summed (or
// averaged). The loader compares this ensemble with onnxruntime on seeded rows before use.

import type { OutputPlan } from "../model/onnx/graph";
import { attrString, attrStrings, tensorNumbers, type OnnxAttribute, type OnnxModel, type OnnxNode } from "../model/onnx/proto";
import { SPLIT_MODE, validateTree, type Tree, type TreeEnsemble } from "./ensemble";

const MODES: Record<string, number | "leaf"> = {
  BRANCH_LT: SPLIT_MODE.LT,
  BRANCH_LEQ: SPLIT_MODE.LEQ,
  BRANCH_GT: SPLIT_MODE.GT,
  BRANCH_GTE: SPLIT_MODE.GTE,
  BRANCH_EQ: SPLIT_MODE.EQ,
  BRANCH_NEQ: SPLIT_MODE.NEQ,
  LEAF: "leaf",
};
const PASS_THROUGH = new Set(["Identity", "Cast"]);

export type TreesFromOnnx = { ensemble: TreeEnsemble; reason?: undefined } | { ensemble: null; reason: string };

function numbersOf(n: OnnxNode, name: string): number[] | undefined {
  const a: OnnxAttribute | undefined = n.attribute?.find((x) => x.name === name);
  const t = n.attribute?.find((x) => x.name === `${name}_as_tensor`)?.t;
  if (t) return Array.from(tensorNumbers(t));
  if (!a) return undefined;
  return a.floats?.length ? a.floats : a.ints?.length ? a.ints : a.f !== undefined ? [a.f] : a.i !== undefined ? [a.i] : [];
}

/** The tree ensemble that computes the planned output from the graph input, or why there is none. */
export function treeEnsembleFromOnnx(model: OnnxModel, input: string, out: OutputPlan): TreesFromOnnx {
  const nodes = model.graph?.node ?? [];
  const producer = new Map<string, OnnxNode>();
  for (const n of nodes) for (const o of n.output ?? []) producer.set(o, n);
  // walk back from the output through Identity/Cast (and one Sigmoid) to the tree node
  let name = out.name;
  let sigmoidAfter = false;
  let node = producer.get(name);
  while (node && (PASS_THROUGH.has(node.opType) || (node.opType === "Sigmoid" && !sigmoidAfter))) {
    if (node.opType === "Sigmoid") sigmoidAfter = true;
    name = node.input![0]!;
    node = producer.get(name);
  }
  if (!node || (node.domain !== "ai.onnx.ml") || (node.opType !== "TreeEnsembleClassifier" && node.opType !== "TreeEnsembleRegressor")) {
    return { ensemble: null, reason: "the output is not computed by a TreeEnsembleClassifier or TreeEnsembleRegressor" };
  }
  const classifier = node.opType === "TreeEnsembleClassifier";
  if (classifier && node.output?.[1] !== name) return { ensemble: null, reason: "the output is the classifier's label, not its probabilities" };
  // and from the tree node's input back to the graph input
  let src = node.input?.[0];
  let back = src ? producer.get(src) : undefined;
  while (back && PASS_THROUGH.has(back.opType)) {
    src = back.input![0]!;
    back = producer.get(src);
  }
  if (src !== input) return { ensemble: null, reason: "the trees read a transformed input, not the encoded features" };

  const treeIds = numbersOf(node, "nodes_treeids") ?? [];
  const nodeIds = numbersOf(node, "nodes_nodeids") ?? [];
  const featureIds = numbersOf(node, "nodes_featureids") ?? [];
  const values = numbersOf(node, "nodes_values") ?? [];
  const modes = attrStrings(node.attribute?.find((a) => a.name === "nodes_modes")) ?? [];
  const trueIds = numbersOf(node, "nodes_truenodeids") ?? [];
  const falseIds = numbersOf(node, "nodes_falsenodeids") ?? [];
  const tracks = numbersOf(node, "nodes_missing_value_tracks_true") ?? [];
  const prefix = classifier ? "class" : "target";
  const leafTrees = numbersOf(node, `${prefix}_treeids`) ?? [];
  const leafNodes = numbersOf(node, `${prefix}_nodeids`) ?? [];
  const leafIds = numbersOf(node, `${prefix}_ids`) ?? [];
  const leafWeights = numbersOf(node, `${prefix}_weights`) ?? [];
  const baseValues = numbersOf(node, "base_values") ?? [];
  const post = attrString(node.attribute?.find((a) => a.name === "post_transform")) ?? "NONE";
  const n = treeIds.length;
  if ([nodeIds, featureIds, values, modes, trueIds, falseIds].some((a) => a.length !== n)) return { ensemble: null, reason: "the tree attributes have different lengths" };

  // which leaf weights make P(positive), and how
  let target: number;
  let transform: "logistic" | "identity";
  let units: "log-odds" | "probability";
  let base: number;
  const ids = [...new Set(leafIds)];
  if (classifier) {
    const labels = numbersOf(node, "classlabels_int64s")?.length ?? attrStrings(node.attribute?.find((a) => a.name === "classlabels_strings"))?.length ?? 0;
    if (labels !== 2) return { ensemble: null, reason: `the classifier has ${labels} classes` };
    if (out.column !== 1) return { ensemble: null, reason: "the output reads the negative class's column" };
    if (ids.length === 1) {
      target = ids[0]!;
      base = baseValues[0] ?? 0;
      if (post === "LOGISTIC") {
        transform = "logistic";
        units = "log-odds";
      } else if (post === "NONE" && leafWeights.every((w) => w >= 0) && baseValues.length === 0) {
        transform = "identity";
        units = "probability";
      } else return { ensemble: null, reason: `binary layout with post_transform ${post} is not read` };
    } else if (ids.length === 2 && post === "NONE" && baseValues.length === 0) {
      target = 1;
      base = 0;
      transform = "identity";
      units = "probability";
    } else return { ensemble: null, reason: `class ids ${ids.join(", ")} with post_transform ${post} are not read` };
  } else {
    if (post !== "NONE") return { ensemble: null, reason: `regressor post_transform ${post} is not read` };
    if (ids.some((i) => i !== 0)) return { ensemble: null, reason: "the regressor has several targets" };
    target = 0;
    base = baseValues[0] ?? 0;
    transform = "identity";
    units = "probability";
  }
  if (out.sigmoid || sigmoidAfter) {
    if (transform === "logistic" || (out.sigmoid && sigmoidAfter)) return { ensemble: null, reason: "two sigmoids in a row" };
    transform = "logistic";
    units = "log-odds";
  }

  // trees: contiguous groups of nodes_treeids, the first node of a group is its root
  const groups: Array<{ id: number; rows: number[] }> = [];
  for (let i = 0; i < n; i++) {
    const last = groups[groups.length - 1];
    if (last && last.id === treeIds[i]) last.rows.push(i);
    else groups.push({ id: treeIds[i]!, rows: [i] });
  }
  if (new Set(groups.map((g) => g.id)).size !== groups.length) return { ensemble: null, reason: "a tree's nodes are not contiguous" };
  const leafValue = new Map<string, number>();
  for (let j = 0; j < leafTrees.length; j++) {
    if (leafIds[j] !== target) continue;
    const key = `${leafTrees[j]}:${leafNodes[j]}`;
    leafValue.set(key, (leafValue.get(key) ?? 0) + leafWeights[j]!);
  }
  const aggregate = attrString(node.attribute?.find((a) => a.name === "aggregate_function")) ?? "SUM";
  if (aggregate !== "SUM" && aggregate !== "AVERAGE") return { ensemble: null, reason: `aggregate_function ${aggregate} is not additive` };
  const scale = aggregate === "AVERAGE" ? 1 / groups.length : 1;
  const trees: Tree[] = [];
  for (const g of groups) {
    const local = new Map<number, number>();
    g.rows.forEach((row, k) => local.set(nodeIds[row]!, k));
    const m = g.rows.length;
    const t: Tree = {
      feature: new Int32Array(m),
      threshold: new Float64Array(m),
      mode: new Uint8Array(m),
      yes: new Int32Array(m),
      no: new Int32Array(m),
      missingYes: new Uint8Array(m),
      value: new Float64Array(m),
    };
    for (let k = 0; k < m; k++) {
      const row = g.rows[k]!;
      const mode = MODES[modes[row]!];
      if (mode === undefined) return { ensemble: null, reason: `node mode ${modes[row]} is not read` };
      if (mode === "leaf") {
        t.feature[k] = -1;
        t.value[k] = Math.fround(leafValue.get(`${g.id}:${nodeIds[row]}`) ?? 0) * scale;
        continue;
      }
      const yes = local.get(trueIds[row]!);
      const no = local.get(falseIds[row]!);
      if (yes === undefined || no === undefined) return { ensemble: null, reason: `tree ${g.id} points outside itself` };
      t.feature[k] = featureIds[row]!;
      t.threshold[k] = Math.fround(values[row]!);
      t.mode[k] = mode;
      t.yes[k] = yes;
      t.no[k] = no;
      t.missingYes[k] = tracks[row] === 1 ? 1 : 0;
    }
    try {
      validateTree(t, `tree ${g.id}`);
    } catch (e) {
      return { ensemble: null, reason: (e as Error).message };
    }
    trees.push(t);
  }
  return { ensemble: { trees, base, transform, units, source: `ONNX ${node.opType} (post_transform ${post})` } };
}
