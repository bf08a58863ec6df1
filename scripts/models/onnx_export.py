"""Small ONNX exporters for the model fixtures and demos, built on `onnx.helper` only.

Assay runs ONNX graphs with onnxruntime, and most ONNX models in the wild come from onnxmltools
(XGBoost) or skl2onnx (scikit-learn). Neither converter is installed here, so this module writes
the same graph layouts itself (it shares no code with them):

  xgboost_to_onnx           onnxmltools' XGBClassifier binary:logistic layout: one
                            TreeEnsembleClassifier, BRANCH_LT, missing → default_left,
                            LOGISTIC, base_values = [logit(base_score)]; DART weights folded in.
  sklearn_gb_to_onnx        skl2onnx's GradientBoostingClassifier layout (BRANCH_LEQ, thresholds
                            rounded down to float32, LOGISTIC), optionally with its ZipMap output.
  sklearn_rf_to_onnx        skl2onnx's RandomForestClassifier layout (weights p1 / n_trees, NONE).
  pipeline_columns_to_onnx  Pipeline(ColumnTransformer(StandardScaler, OneHotEncoder),
                            LogisticRegression) with one graph input per raw column.
  torch_mlp_to_onnx         torch.onnx.export of a module that ends in a sigmoid.

Every function writes the file, checks it with `onnx.checker.check_model` and prints its ops.
`read_tree_ensemble` / `predict_tree_ensemble` evaluate a written TreeEnsembleClassifier in numpy
the way onnxruntime does (float32 thresholds, weights and sums), for the fixture scripts' checks.

Used by scripts/models/make_fixtures.py and scripts/models/train_adult_gbm.py; run those with
Debian's interpreter: /usr/bin/python3 scripts/models/make_fixtures.py
Requires onnx (1.12), numpy, and xgboost / scikit-learn / torch for the matching exporter.
"""

from __future__ import annotations

import json

import numpy as np
import onnx
from onnx import TensorProto, helper

ML = "ai.onnx.ml"
OPSETS = [helper.make_opsetid("", 13), helper.make_opsetid(ML, 3)]
PRODUCER = "assay scripts/models/onnx_export.py"


# ---------------------------------------------------------------------------------------------
# common helpers


def _floats(values) -> list[float]:
    """Python floats, so that make_attribute writes FLOATS (an all-int list would become INTS)."""
    return [float(v) for v in values]


def _ints(values) -> list[int]:
    return [int(v) for v in values]


def _save(model: onnx.ModelProto, path: str, stamp: bool = True) -> onnx.ModelProto:
    if stamp:
        model.producer_name = PRODUCER
        model.producer_version = "1"
    onnx.checker.check_model(model)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    loaded = onnx.load(path)
    onnx.checker.check_model(loaded)
    ops = [(n.domain or "ai.onnx") + ":" + n.op_type for n in loaded.graph.node]
    ins = [i.name for i in loaded.graph.input]
    outs = [o.name for o in loaded.graph.output]
    print(f"  wrote {path}: inputs {ins} -> ops {ops} -> outputs {outs}")
    return loaded


def _tree_classifier_node(input_name: str, attrs: dict) -> onnx.NodeProto:
    # never pass an empty list (make_attribute cannot infer its type): drop those attributes
    attrs = {k: v for k, v in attrs.items() if not (isinstance(v, list) and len(v) == 0)}
    return helper.make_node(
        "TreeEnsembleClassifier", [input_name], ["label", "probabilities"], name="trees", domain=ML, **attrs
    )


def _label_proba_outputs(n_classes: int = 2):
    return [
        helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
        helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, n_classes]),
    ]


def _float32_floor(x: float) -> np.float32:
    """The largest float32 ≤ x (how skl2onnx stores sklearn's float64 thresholds)."""
    f = np.float32(x)
    if float(f) > x:
        f = np.nextafter(f, np.float32(-np.inf), dtype=np.float32)
    return f


# ---------------------------------------------------------------------------------------------
# XGBoost (onnxmltools layout)


def _parse_base_score(s) -> float:
    """learner_model_param.base_score: "5E-1" (xgboost ≤ 3.0) or "[5E-1]" (3.1+), a probability."""
    if isinstance(s, (int, float)):
        return float(s)
    s = str(s).strip()
    if s.startswith("[") or s.startswith("("):
        vals = [v for v in s.strip("[]()").split(",") if v.strip()]
        if len(vals) != 1:
            raise ValueError(f"binary model expected one base_score, got {s!r}")
        s = vals[0]
    return float(s)


def _xgb_model_json(booster) -> dict:
    if isinstance(booster, dict):
        return booster
    if hasattr(booster, "get_booster"):  # XGBClassifier
        booster = booster.get_booster()
    return json.loads(bytes(booster.save_raw("json")))


def xgboost_tree_attrs(booster) -> dict:
    """TreeEnsembleClassifier attributes for a binary:logistic XGBoost model (Booster,
    XGBClassifier or the parsed JSON of save_model)."""
    learner = _xgb_model_json(booster)["learner"]
    objective = learner["objective"]["name"]
    if objective != "binary:logistic":
        raise NotImplementedError(f"only binary:logistic is supported, got {objective}")
    gb = learner["gradient_booster"]
    if gb["name"] == "dart":
        model = gb["gbtree"]["model"]
        weight_drop = [float(w) for w in gb["weight_drop"]]
    elif gb["name"] == "gbtree":
        model = gb["model"]
        weight_drop = [float(w) for w in model.get("weight_drop", [])] or None  # xgboost ≥ 3.4 layout
    else:
        raise NotImplementedError(f"booster {gb['name']} is not supported")
    trees = model["trees"]
    if weight_drop is None:
        weight_drop = [1.0] * len(trees)
    # the sklearn wrapper predicts with trees [0, best_iteration + 1) rounds (xgboost 1.7 sets
    # best_iteration = n_estimators − 1 even without early stopping)
    n_parallel = int(model["gbtree_model_param"].get("num_parallel_tree", "1"))
    best = learner.get("attributes", {}).get("best_iteration")
    n_used = len(trees) if best is None else min(len(trees), (int(best) + 1) * n_parallel)

    a = {k: [] for k in (
        "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
        "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
        "class_treeids", "class_nodeids", "class_ids", "class_weights")}
    for t in range(n_used):
        tree = trees[t]
        if any(int(s) != 0 for s in tree.get("split_type", [])):
            raise NotImplementedError("categorical splits are not supported")
        left, right = tree["left_children"], tree["right_children"]
        feat, cond, dleft = tree["split_indices"], tree["split_conditions"], tree["default_left"]
        w = np.float32(weight_drop[t])
        # preorder from the root, renumbered 0..k-1 (skips deleted nodes; root first, contiguous)
        order, stack = [], [0]
        while stack:
            i = stack.pop()
            order.append(i)
            if left[i] != -1:
                stack.append(right[i])
                stack.append(left[i])
        new_id = {old: k for k, old in enumerate(order)}
        for i in order:
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(new_id[i])
            if left[i] == -1:
                a["nodes_featureids"].append(0)
                a["nodes_modes"].append("LEAF")
                a["nodes_values"].append(0.0)
                a["nodes_truenodeids"].append(0)
                a["nodes_falsenodeids"].append(0)
                a["nodes_missing_value_tracks_true"].append(0)
                a["class_treeids"].append(t)
                a["class_nodeids"].append(new_id[i])
                a["class_ids"].append(0)
                # float32 product, as xgboost's DART prediction multiplies leaf output by weight
                a["class_weights"].append(float(np.float32(cond[i]) * w))
            else:
                a["nodes_featureids"].append(int(feat[i]))
                a["nodes_modes"].append("BRANCH_LT")
                a["nodes_values"].append(float(np.float32(cond[i])))
                a["nodes_truenodeids"].append(new_id[left[i]])
                a["nodes_falsenodeids"].append(new_id[right[i]])
                a["nodes_missing_value_tracks_true"].append(int(dleft[i]))
    p = np.float32(_parse_base_score(learner["learner_model_param"].get("base_score", "5E-1")))
    if not 0 < p < 1:
        raise ValueError(f"base_score {p} is not a probability")
    margin = -np.log(np.float32(1) / p - np.float32(1), dtype=np.float32)  # xgboost's ProbToMargin, float32
    a["nodes_values"] = _floats(a["nodes_values"])
    a["class_weights"] = _floats(a["class_weights"])
    a["base_values"] = [float(margin)]
    a["post_transform"] = "LOGISTIC"
    a["classlabels_int64s"] = [0, 1]
    return a


def xgboost_to_onnx(booster, n_features: int, path: str, input_name: str = "input") -> onnx.ModelProto:
    """Writes an XGBoost binary:logistic model as onnxmltools would: outputs "label" int64 [N] and
    "probabilities" float [N, 2] from one TreeEnsembleClassifier reading float [N, n_features]."""
    attrs = xgboost_tree_attrs(booster)
    if max(attrs["nodes_featureids"]) >= n_features:
        raise ValueError(f"the model splits on feature {max(attrs['nodes_featureids'])} but n_features is {n_features}")
    graph = helper.make_graph(
        [_tree_classifier_node(input_name, attrs)],
        "xgboost_binary",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [None, n_features])],
        _label_proba_outputs(),
    )
    return _save(helper.make_model(graph, opset_imports=OPSETS), path)


# ---------------------------------------------------------------------------------------------
# scikit-learn trees (skl2onnx layout)


def _sklearn_tree_attrs(trees, leaf_weight, round_threshold=_float32_floor) -> dict:
    """trees: sklearn Tree objects; leaf_weight(tree_index, tree, node) -> weight of class id 0.
    Node ids are sklearn's own indices (root 0, array order), as skl2onnx writes them."""
    a = {k: [] for k in (
        "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
        "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true", "nodes_hitrates",
        "class_treeids", "class_nodeids", "class_ids", "class_weights")}
    for t, tree in enumerate(trees):
        left, right = tree.children_left, tree.children_right
        for i in range(tree.node_count):
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(i)
            a["nodes_missing_value_tracks_true"].append(0)  # NaN → false branch (right)
            a["nodes_hitrates"].append(1.0)
            if left[i] > i or right[i] > i:
                a["nodes_featureids"].append(int(tree.feature[i]))
                a["nodes_modes"].append("BRANCH_LEQ")
                a["nodes_values"].append(float(round_threshold(float(tree.threshold[i]))))
                a["nodes_truenodeids"].append(int(left[i]))
                a["nodes_falsenodeids"].append(int(right[i]))
            else:
                a["nodes_featureids"].append(0)
                a["nodes_modes"].append("LEAF")
                a["nodes_values"].append(0.0)
                a["nodes_truenodeids"].append(0)
                a["nodes_falsenodeids"].append(0)
                a["class_treeids"].append(t)
                a["class_nodeids"].append(i)
                a["class_ids"].append(0)
                a["class_weights"].append(float(np.float32(leaf_weight(t, tree, i))))
    a["nodes_values"] = _floats(a["nodes_values"])
    a["nodes_hitrates"] = _floats(a["nodes_hitrates"])
    a["class_weights"] = _floats(a["class_weights"])
    return a


def _binary_int_classes(model) -> list[int]:
    classes = [int(c) for c in model.classes_]
    if len(classes) != 2 or list(model.classes_) != classes:
        raise NotImplementedError(f"binary classifiers with integer labels only, got {list(model.classes_)}")
    return classes


def sklearn_gb_attrs(model, round_threshold=_float32_floor) -> dict:
    """TreeEnsembleClassifier attributes for a binary GradientBoostingClassifier (log loss)."""
    classes = _binary_int_classes(model)
    if getattr(model, "loss", "log_loss") not in ("log_loss", "deviance"):
        raise NotImplementedError(f"loss {model.loss} is not supported")
    lr = float(model.learning_rate)
    trees = [est[0].tree_ for est in model.estimators_]
    a = _sklearn_tree_attrs(trees, lambda t, tree, i: lr * float(tree.value[i][0][0]), round_threshold)
    n = model.n_features_in_
    a["base_values"] = _floats(np.asarray(model._raw_predict_init(np.zeros((1, n)))).ravel())
    a["post_transform"] = "LOGISTIC"
    a["classlabels_int64s"] = classes
    return a


def sklearn_gb_to_onnx(model, n_features: int, path: str, zipmap: bool = True) -> onnx.ModelProto:
    """skl2onnx's GradientBoostingClassifier graph. zipmap=True: outputs "output_label" (int64 [N])
    and "output_probability" (seq(map(int64, float)) from a ZipMap over the internal
    "probabilities" tensor); zipmap=False: "label" and "probabilities" [N, 2]."""
    attrs = sklearn_gb_attrs(model)
    nodes = [_tree_classifier_node("input", attrs)]
    if zipmap:
        nodes.append(helper.make_node("Cast", ["label"], ["output_label"], name="cast_label", to=TensorProto.INT64))
        nodes.append(helper.make_node(
            "ZipMap", ["probabilities"], ["output_probability"], name="zipmap", domain=ML,
            classlabels_int64s=attrs["classlabels_int64s"]))
        seq_map = onnx.TypeProto()
        m = seq_map.sequence_type.elem_type.map_type
        m.key_type = TensorProto.INT64
        m.value_type.tensor_type.elem_type = TensorProto.FLOAT
        outputs = [
            helper.make_tensor_value_info("output_label", TensorProto.INT64, [None]),
            helper.make_value_info("output_probability", seq_map),
        ]
    else:
        outputs = _label_proba_outputs()
    graph = helper.make_graph(
        nodes, "sklearn_gradient_boosting",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, n_features])], outputs)
    return _save(helper.make_model(graph, opset_imports=OPSETS), path)


def sklearn_rf_attrs(model, round_threshold=_float32_floor) -> dict:
    """TreeEnsembleClassifier attributes for a binary RandomForestClassifier."""
    classes = _binary_int_classes(model)
    n_trees = len(model.estimators_)
    trees = [est.tree_ for est in model.estimators_]

    def weight(t, tree, i):
        counts = tree.value[i][0]
        return float(counts[1]) / float(counts.sum()) / n_trees

    a = _sklearn_tree_attrs(trees, weight, round_threshold)
    a["post_transform"] = "NONE"
    a["classlabels_int64s"] = classes
    return a


def sklearn_rf_to_onnx(model, n_features: int, path: str) -> onnx.ModelProto:
    """skl2onnx's RandomForestClassifier graph without ZipMap: "label" and "probabilities" [N, 2]."""
    graph = helper.make_graph(
        [_tree_classifier_node("input", sklearn_rf_attrs(model))], "sklearn_random_forest",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, n_features])], _label_proba_outputs())
    return _save(helper.make_model(graph, opset_imports=OPSETS), path)


# ---------------------------------------------------------------------------------------------
# scikit-learn pipeline, one graph input per raw column


def pipeline_columns_to_onnx(pipeline, path: str) -> onnx.ModelProto:
    """Pipeline([ColumnTransformer([(…, StandardScaler(), numeric columns), (…, OneHotEncoder(),
    string columns)]), LogisticRegression]) → graph with one input [N, 1] per raw column (float for
    numeric, string for categorical, named as the column), outputs "label" int64 [N] and
    "probabilities" float [N, 2] (classes [0, 1]).

    Graph: Concat(numeric inputs) → Scaler(offset=mean, scale=1/std); per string column
    OneHotEncoder(cats_strings, zeros=1: unknown → all zeros) [N, 1, k] → Flatten [N, k];
    Concat in the ColumnTransformer's output order → LinearClassifier (rows −w, +w; intercepts
    −b, +b; LOGISTIC, so probabilities = [σ(−z), σ(z)]).
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    if len(pipeline.steps) != 2:
        raise NotImplementedError("expected Pipeline([ColumnTransformer, LogisticRegression])")
    ct, lr = pipeline.steps[0][1], pipeline.steps[1][1]
    if not isinstance(ct, ColumnTransformer) or not isinstance(lr, LogisticRegression):
        raise NotImplementedError("expected Pipeline([ColumnTransformer, LogisticRegression])")
    if ct.remainder != "drop" and ct._remainder[2]:
        raise NotImplementedError("remainder columns are not supported")
    classes = _binary_int_classes(lr)

    nodes, pieces, input_types = [], [], {}
    for name, trans, cols in ct.transformers_:
        if trans == "drop" or name == "remainder":
            continue
        cols = list(cols)
        if not all(isinstance(c, str) for c in cols):
            raise NotImplementedError("select ColumnTransformer columns by name")
        if isinstance(trans, StandardScaler):
            for c in cols:
                input_types[c] = TensorProto.FLOAT
            src = cols[0]
            if len(cols) > 1:
                src = f"{name}_concat"
                nodes.append(helper.make_node("Concat", cols, [src], name=src, axis=1))
            mean = trans.mean_ if trans.mean_ is not None else np.zeros(len(cols))
            scale = trans.scale_ if trans.scale_ is not None else np.ones(len(cols))
            out = f"{name}_scaled"
            nodes.append(helper.make_node(
                "Scaler", [src], [out], name=out, domain=ML,
                offset=_floats(mean), scale=_floats(1.0 / np.asarray(scale, dtype=np.float64))))
            pieces.append(out)
        elif isinstance(trans, OneHotEncoder):
            if trans.drop is not None:
                raise NotImplementedError("OneHotEncoder(drop=...) is not supported")
            for c, cats in zip(cols, trans.categories_):
                if not all(isinstance(v, str) for v in cats):
                    raise NotImplementedError(f"column {c}: only string categories are supported")
                input_types[c] = TensorProto.STRING
                onehot, flat = f"{c}_onehot", f"{c}_onehot_flat"
                nodes.append(helper.make_node(
                    "OneHotEncoder", [c], [onehot], name=onehot, domain=ML,
                    cats_strings=[str(v) for v in cats], zeros=1 if trans.handle_unknown == "ignore" else 0))
                nodes.append(helper.make_node("Flatten", [onehot], [flat], name=flat, axis=1))
                pieces.append(flat)
        else:
            raise NotImplementedError(f"transformer {type(trans).__name__} is not supported")

    nodes.append(helper.make_node("Concat", pieces, ["features"], name="features", axis=1))
    w = np.asarray(lr.coef_, dtype=np.float64).ravel()
    b = float(np.asarray(lr.intercept_).ravel()[0])
    if lr.coef_.shape[0] != 1:
        raise NotImplementedError("binary LogisticRegression only")
    nodes.append(helper.make_node(
        "LinearClassifier", ["features"], ["label", "probabilities"], name="logistic_regression", domain=ML,
        coefficients=_floats(np.concatenate([-w, w])), intercepts=[-b, b],
        classlabels_ints=classes, post_transform="LOGISTIC", multi_class=0))

    order = [c for c in pipeline.feature_names_in_ if c in input_types]
    inputs = [helper.make_tensor_value_info(c, input_types[c], [None, 1]) for c in order]
    graph = helper.make_graph(nodes, "sklearn_pipeline_columns", inputs, _label_proba_outputs())
    return _save(helper.make_model(graph, opset_imports=OPSETS), path)


# ---------------------------------------------------------------------------------------------
# torch


def torch_mlp_to_onnx(module, n_features: int, path: str) -> onnx.ModelProto:
    """torch.onnx.export of a module mapping float [N, n_features] to a probability [N, 1]
    (the sigmoid is part of the module): input "input", output "probability", dynamic batch."""
    import io

    import torch

    module.eval()
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(
            module, torch.zeros(1, n_features, dtype=torch.float32), buf,
            input_names=["input"], output_names=["probability"],
            dynamic_axes={"input": {0: "batch"}, "probability": {0: "batch"}},
            opset_version=13, do_constant_folding=True)
    model = onnx.load_from_string(buf.getvalue())
    return _save(model, path, stamp=False)


# ---------------------------------------------------------------------------------------------
# a numpy evaluator of TreeEnsembleClassifier (onnxruntime's semantics), for self-checks

_OPS = {
    "BRANCH_LEQ": np.less_equal, "BRANCH_LT": np.less, "BRANCH_GTE": np.greater_equal,
    "BRANCH_GT": np.greater, "BRANCH_EQ": np.equal, "BRANCH_NEQ": np.not_equal,
}


def read_tree_ensemble(path_or_model) -> dict:
    """The TreeEnsembleClassifier attributes of a written model, as Python values."""
    model = onnx.load(path_or_model) if isinstance(path_or_model, str) else path_or_model
    (node,) = [n for n in model.graph.node if n.op_type == "TreeEnsembleClassifier"]
    out = {}
    for at in node.attribute:
        v = helper.get_attribute_value(at)
        if isinstance(v, list) and v and isinstance(v[0], bytes):
            v = [s.decode() for s in v]
        elif isinstance(v, bytes):
            v = v.decode()
        out[at.name] = v
    return out


def predict_tree_ensemble(attrs: dict, X, mode_override: str | None = None) -> np.ndarray:
    """P(class 1) for the binary single-class-id layouts above, as onnxruntime computes it:
    float32 compares and sums, trees summed in order, base value added last."""
    X = np.asarray(X, dtype=np.float32)
    tids, nids = attrs["nodes_treeids"], attrs["nodes_nodeids"]
    index = {(t, n): k for k, (t, n) in enumerate(zip(tids, nids))}
    roots = [k for k in range(len(tids)) if k == 0 or tids[k] != tids[k - 1]]
    values = np.asarray(attrs["nodes_values"], dtype=np.float32)
    tracks = attrs.get("nodes_missing_value_tracks_true", [0] * len(tids))
    leaf_w = {}
    for t, n, c, w in zip(attrs["class_treeids"], attrs["class_nodeids"], attrs["class_ids"], attrs["class_weights"]):
        if c != 0:
            raise NotImplementedError("one class id (0) only")
        leaf_w[(t, n)] = leaf_w.get((t, n), np.float32(0)) + np.float32(w)
    out = np.zeros(len(X), dtype=np.float32)
    for r, x in enumerate(X):
        s = np.float32(0)
        for root in roots:
            k = root
            while attrs["nodes_modes"][k] != "LEAF":
                mode = mode_override or attrs["nodes_modes"][k]
                v = x[attrs["nodes_featureids"][k]]
                go = bool(_OPS[mode](v, values[k])) or (bool(tracks[k]) and bool(np.isnan(v)))
                nxt = attrs["nodes_truenodeids"][k] if go else attrs["nodes_falsenodeids"][k]
                k = index[(tids[k], nxt)]
            s = np.float32(s + leaf_w[(tids[k], nids[k])])
        base = attrs.get("base_values", [])
        if base:
            s = np.float32(s + np.float32(base[0]))
        if attrs.get("post_transform", "NONE") == "LOGISTIC":
            v = np.float32(1) / (np.float32(1) + np.exp(-np.abs(s), dtype=np.float32))
            out[r] = np.float32(1) - v if s < 0 else v
        else:
            out[r] = s
    return out
