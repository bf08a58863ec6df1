"""Writes the model fixtures under tests/fixtures/models/: small seeded models from XGBoost,
scikit-learn and PyTorch, exported to ONNX by our own exporter (onnx_export.py), each in a folder
with its manifest (assay.model.json), the rows it was checked on (data.csv, with a 0/1 "label"
column so an audit can run on it) and expected.json:

    {"rows": [[...], ...],          the raw input rows (null = missing), in manifest feature order
     "probability": [...]}          P(positive) computed by the Python library itself

Folders:
  xgb-small           XGBClassifier, 10 trees, depth 3, base_score 0.3, NaN in training and rows;
                      model.json (xgboost-json manifest)
  xgb-small-onnx      the same model as model.onnx (onnxmltools layout; tensor input, missing: nan)
  xgb-dart            XGBClassifier(booster="dart", rate_drop=0.3), 8 trees, depth 2; model.json
  sklearn-gbc-zipmap  GradientBoostingClassifier → model.onnx with skl2onnx's ZipMap output
  sklearn-rf          RandomForestClassifier → model.onnx (label, probabilities)
  sklearn-columns     Pipeline(ColumnTransformer(StandardScaler, OneHotEncoder), LogisticRegression)
                      → model.onnx with one input per raw column (columns mode)
  torch-mlp           Linear(6,8) → ReLU → Linear(8,1) → Sigmoid → model.onnx

The tree fixtures' rows include values exactly equal to split thresholds, chosen so that reading
"<" as "<=" (or sklearn's float64 thresholds rounded to nearest instead of down) changes the
prediction. Before writing, each ONNX tree ensemble is evaluated in numpy with onnxruntime's
semantics and must match the library to 1e-6.

Rerun (deterministic; rewrites every folder):  /usr/bin/python3 scripts/models/make_fixtures.py
Needs: xgboost 1.7, scikit-learn 1.2, torch 1.13, onnx 1.12, numpy, pandas.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the repo
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, num, num64, numeric_features, size_report, write_csv, write_json  # noqa: E402
from onnx_export import (  # noqa: E402
    predict_tree_ensemble,
    read_tree_ensemble,
    sklearn_gb_attrs,
    sklearn_gb_to_onnx,
    sklearn_rf_attrs,
    sklearn_rf_to_onnx,
    pipeline_columns_to_onnx,
    torch_mlp_to_onnx,
    xgboost_to_onnx,
    xgboost_tree_attrs,
)

OUT = REPO / "tests" / "fixtures" / "models"
TOL = 1e-6


def fresh_dir(name: str) -> Path:
    d = OUT / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def synthetic(seed: int, n: int, d: int, nan_rates=None):
    """Numeric features rounded to 2 decimals (one integer-valued column), a noisy nonlinear
    0/1 label, and optional NaN per column (after the label is drawn)."""
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, d)), 2)
    X[:, d - 1] = rng.integers(0, 5, size=n)
    z = 1.2 * X[:, 0] - 0.8 * X[:, 1] + 0.5 * (X[:, d - 1] >= 2) - 0.4
    if d > 3:
        z += 0.7 * X[:, 2] * X[:, 3]
    y = (z + rng.logistic(scale=0.6, size=n) > 0).astype(np.int64)
    for j, rate in (nan_rates or {}).items():
        X[rng.random(n) < rate, j] = np.nan
    return X.astype(np.float32), y


def split_nodes(attrs: dict):
    """(feature, float32 threshold) of every split, in node order, without repeats."""
    seen, out = set(), []
    for f, m, v in zip(attrs["nodes_featureids"], attrs["nodes_modes"], attrs["nodes_values"]):
        key = (f, np.float32(v))
        if m != "LEAF" and key not in seen:
            seen.add(key)
            out.append(key)
    return out


def threshold_rows(attrs, base_rows, variants, count, value_of=lambda thr: thr):
    """Rows = a base row with one feature set to value_of(a split threshold), kept when some
    variant evaluation (e.g. "<" read as "<=") differs from the exported model's."""
    base_rows = [r for r in base_rows if not np.isnan(r).any()]
    rows, b = [], 0
    for f, thr in split_nodes(attrs):
        for _ in range(len(base_rows)):
            x = base_rows[b % len(base_rows)].copy()
            b += 1
            x[f] = value_of(thr)
            p = predict_tree_ensemble(attrs, x[None, :])[0]
            if any(abs(variant(x[None, :])[0] - p) > 1e-6 for variant in variants):
                rows.append(x)
                break
        if len(rows) >= count:
            break
    return rows


def with_labels(known, proba):
    """Labels for data.csv: the drawn label where there is one, else the model's own call."""
    return np.concatenate([known, (proba[len(known):] > 0.5).astype(np.int64)])


def check(name: str, got, want, tol=TOL) -> None:
    diff = float(np.max(np.abs(np.asarray(got, dtype=np.float64) - np.asarray(want, dtype=np.float64))))
    print(f"  {name}: max |ONNX-semantics − library| = {diff:.3g}")
    if diff > tol:
        raise SystemExit(f"{name}: exported model differs from the library by {diff}")


def write_numeric_fixture(folder: Path, names, rows, labels, proba, manifest: dict) -> None:
    write_json(folder / "assay.model.json", manifest)
    write_json(folder / "expected.json", {
        "rows": [[num(v) for v in r] for r in rows],
        "probability": [num64(p) for p in proba],
    })
    write_csv(folder / "data.csv", list(names) + ["label"], [list(r) + [int(l)] for r, l in zip(rows, labels)])


def onnx_tensor_manifest(names, output: dict, description: str, missing: str | None = None) -> dict:
    m = {"format": "onnx", "file": "model.onnx", "task": "binary_classification",
         "description": description, "input": {"mode": "tensor", "name": "input"}, "output": output}
    if missing:
        m["missing"] = missing
    m["features"] = numeric_features(names)
    return m


SOFTMAX = {"type": "softmax", "name": "probabilities", "positiveIndex": 1}


# ---------------------------------------------------------------------------------------------


def xgb_small() -> None:
    import xgboost as xgb

    print("xgb-small")
    d = 5
    names = [f"x{j}" for j in range(d)]
    X, y = synthetic(1, 600, d, {1: 0.1, 3: 0.15})
    model = xgb.XGBClassifier(n_estimators=10, max_depth=3, base_score=0.3, random_state=0)
    model.fit(X, y)

    Xt, yt = synthetic(2, 200, d, {1: 0.1, 3: 0.15})
    attrs = xgboost_tree_attrs(model)
    leq = lambda R: predict_tree_ensemble(attrs, R, mode_override="BRANCH_LEQ")  # noqa: E731
    edge = threshold_rows(attrs, list(Xt[100:]), [leq], 14)
    all_nan = np.full(d, np.nan, dtype=np.float32)
    extreme = np.array([1e6, -1e6, 1e6, -1e6, 4], dtype=np.float32)
    rows = np.vstack([Xt[:32], edge, all_nan, extreme]).astype(np.float32)
    proba = model.predict_proba(rows)[:, 1]
    labels = with_labels(yt[:32], proba)
    print(f"  {len(rows)} rows: {int(np.isnan(rows).any(axis=1).sum())} with NaN, {len(edge)} on a threshold where < vs <= matters")

    folder = fresh_dir("xgb-small")
    model.save_model(str(folder / "model.json"))
    desc = "XGBClassifier(n_estimators=10, max_depth=3, base_score=0.3) on synthetic data; scripts/models/make_fixtures.py"
    write_numeric_fixture(folder, names, rows, labels, proba, {
        "format": "xgboost-json", "file": "model.json", "task": "binary_classification",
        "description": desc, "features": numeric_features(names)})

    onnx_folder = fresh_dir("xgb-small-onnx")
    xgboost_to_onnx(model, d, str(onnx_folder / "model.onnx"))
    check("xgb-small-onnx", predict_tree_ensemble(read_tree_ensemble(str(onnx_folder / "model.onnx")), rows), proba)
    write_numeric_fixture(onnx_folder, names, rows, labels, proba, onnx_tensor_manifest(
        names, SOFTMAX, desc + " (xgb-small), exported in onnxmltools' layout", missing="nan"))


def xgb_dart() -> None:
    import xgboost as xgb

    print("xgb-dart")
    d = 3
    names = [f"x{j}" for j in range(d)]
    X, y = synthetic(3, 400, d, {0: 0.05})
    model = xgb.XGBClassifier(booster="dart", rate_drop=0.3, n_estimators=8, max_depth=2, random_state=0)
    model.fit(X, y)
    attrs = xgboost_tree_attrs(model)  # folds weight_drop into the leaves
    import json
    weights = json.loads(bytes(model.get_booster().save_raw("json")))["learner"]["gradient_booster"]["weight_drop"]
    print(f"  weight_drop = {weights}")

    Xt, yt = synthetic(4, 200, d, {0: 0.05})
    leq = lambda R: predict_tree_ensemble(attrs, R, mode_override="BRANCH_LEQ")  # noqa: E731
    edge = threshold_rows(attrs, list(Xt[100:]), [leq], 10)
    rows = np.vstack([Xt[:40], edge, np.full(d, np.nan, dtype=np.float32)]).astype(np.float32)
    proba = model.predict_proba(rows)[:, 1]
    labels = with_labels(yt[:40], proba)
    no_dart = dict(attrs, class_weights=[w for w in xgboost_tree_attrs_unweighted(model)])
    moved = np.max(np.abs(predict_tree_ensemble(no_dart, rows) - proba))
    print(f"  {len(rows)} rows, {len(edge)} on a threshold; ignoring weight_drop would move P by up to {moved:.3g}")
    check("xgb-dart (in memory)", predict_tree_ensemble(attrs, rows), proba)

    folder = fresh_dir("xgb-dart")
    model.save_model(str(folder / "model.json"))
    write_numeric_fixture(folder, names, rows, labels, proba, {
        "format": "xgboost-json", "file": "model.json", "task": "binary_classification",
        "description": "XGBClassifier(booster='dart', rate_drop=0.3, n_estimators=8, max_depth=2) on synthetic data; "
                       "scripts/models/make_fixtures.py",
        "features": numeric_features(names)})


def xgboost_tree_attrs_unweighted(model):
    """Leaf weights without DART's weight_drop (to show that the fixture depends on it)."""
    import json
    js = json.loads(bytes(model.get_booster().save_raw("json")))
    gb = js["learner"]["gradient_booster"]
    gb["weight_drop"] = [1.0] * len(gb["weight_drop"])
    return xgboost_tree_attrs(js)["class_weights"]


def sklearn_tree_fixture(name: str, model, to_onnx, attrs_of, output: dict, desc: str, seed: int) -> None:
    print(name)
    d = 4
    names = [f"x{j}" for j in range(d)]
    X, y = synthetic(seed, 600, d)
    model.fit(X, y)
    Xt, yt = synthetic(seed + 1, 200, d)
    attrs = attrs_of(model)
    nearest = attrs_of(model, round_threshold=np.float32)  # naive rounding, for edge-row choice
    lt = lambda R: predict_tree_ensemble(attrs, R, mode_override="BRANCH_LT")  # noqa: E731
    near = lambda R: predict_tree_ensemble(nearest, R)  # noqa: E731
    # x == stored threshold (largest float32 ≤ sklearn's float64 threshold): "<=" vs "<" matters
    edge = threshold_rows(attrs, list(Xt[100:]), [lt], 10)
    # x == float32 nearest to the float64 threshold when that lies above it: sklearn goes right,
    # a threshold rounded to nearest would send it left
    up = {}
    for t_est in (model.estimators_.ravel() if hasattr(model.estimators_, "ravel") else model.estimators_):
        tree = t_est.tree_
        for i in range(tree.node_count):
            thr = float(tree.threshold[i])
            if tree.children_left[i] != -1 and float(np.float32(thr)) > thr:
                up[np.float32(np.nextafter(np.float32(thr), np.float32(-np.inf)))] = np.float32(thr)
    edge += threshold_rows(attrs, list(Xt[150:]), [near], 6, value_of=lambda thr: up.get(thr, thr))
    rows = np.vstack([Xt[:34], edge]).astype(np.float32)
    proba = model.predict_proba(rows)[:, 1]
    labels = with_labels(yt[:34], proba)
    print(f"  {len(rows)} rows, {len(edge)} on a threshold (< vs <=, or float32 rounding of the threshold)")

    folder = fresh_dir(name)
    to_onnx(model, d, str(folder / "model.onnx"))
    check(name, predict_tree_ensemble(read_tree_ensemble(str(folder / "model.onnx")), rows), proba)
    write_numeric_fixture(folder, names, rows, labels, proba, onnx_tensor_manifest(names, output, desc))


def sklearn_gbc_zipmap() -> None:
    from sklearn.ensemble import GradientBoostingClassifier

    sklearn_tree_fixture(
        "sklearn-gbc-zipmap", GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0),
        lambda m, d, p: sklearn_gb_to_onnx(m, d, p, zipmap=True), sklearn_gb_attrs,
        {"type": "zipmap", "name": "output_probability", "positiveLabel": "1"},
        "GradientBoostingClassifier(n_estimators=20, max_depth=3) on synthetic data, skl2onnx layout with ZipMap; "
        "scripts/models/make_fixtures.py", seed=5)


def sklearn_rf() -> None:
    from sklearn.ensemble import RandomForestClassifier

    sklearn_tree_fixture(
        "sklearn-rf", RandomForestClassifier(n_estimators=10, max_depth=4, random_state=0),
        sklearn_rf_to_onnx, sklearn_rf_attrs, SOFTMAX,
        "RandomForestClassifier(n_estimators=10, max_depth=4) on synthetic data, skl2onnx layout; "
        "scripts/models/make_fixtures.py", seed=7)


def sklearn_columns() -> None:
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    print("sklearn-columns")
    cities, plans = ["Oslo", "Rome", "Lima"], ["basic", "plus"]

    def table(seed, n):
        rng = np.random.default_rng(seed)
        df = pd.DataFrame({
            "income": np.maximum(5000, np.round(rng.normal(52000, 15000, n))),
            "age": rng.integers(18, 81, n).astype(np.float64),
            "city": rng.choice(cities, n),
            "plan": rng.choice(plans, n, p=[0.7, 0.3]),
        })
        z = ((df.income - 52000) / 15000 - 0.03 * (df.age - 45) + df.city.map({"Oslo": 0.6, "Rome": -0.2, "Lima": -0.5})
             + 0.8 * (df.plan == "plus") + rng.logistic(scale=0.7, size=n))
        df["label"] = (z > 0).astype(np.int64)
        return df

    train, test = table(11, 500), table(12, 60)
    cols = ["income", "age", "city", "plan"]
    pipe = Pipeline([
        ("prep", ColumnTransformer([
            ("num", StandardScaler(), ["income", "age"]),
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["city", "plan"]),
        ])),
        ("clf", LogisticRegression(max_iter=1000)),
    ])
    pipe.fit(train[cols], train.label)
    rows = test.iloc[:48].copy()
    extra = pd.DataFrame({"income": [5000.0, 250000.0], "age": [18.0, 95.0], "city": ["Paris", "Lima"],
                          "plan": ["plus", "basic"], "label": [1, 0]})
    rows = pd.concat([rows, extra], ignore_index=True)  # an unknown city (all zeros), values out of range
    proba = pipe.predict_proba(rows[cols])[:, 1]

    folder = fresh_dir("sklearn-columns")
    pipeline_columns_to_onnx(pipe, str(folder / "model.onnx"))
    ohe = pipe.named_steps["prep"].named_transformers_["cat"]
    features = numeric_features(["income", "age"]) + [
        {"name": c, "column": c, "type": "categorical", "categories": [str(v) for v in cats]}
        for c, cats in zip(["city", "plan"], ohe.categories_)]
    write_json(folder / "assay.model.json", {
        "format": "onnx", "file": "model.onnx", "task": "binary_classification",
        "description": "Pipeline(ColumnTransformer(StandardScaler, OneHotEncoder(handle_unknown='ignore')), "
                       "LogisticRegression) with one graph input per raw column; scripts/models/make_fixtures.py",
        "input": {"mode": "columns"}, "output": SOFTMAX, "features": features})
    raw = [[num(r.income), num(r.age), r.city, r.plan] for r in rows.itertuples()]
    write_json(folder / "expected.json", {"rows": raw, "probability": [num64(p) for p in proba]})
    write_csv(folder / "data.csv", cols + ["label"], [r + [int(l)] for r, l in zip(raw, rows.label)])
    print(f"  {len(rows)} rows (one with the unknown city 'Paris'); categories {[f['categories'] for f in features[2:]]}")


def torch_mlp() -> None:
    import torch
    from torch import nn

    print("torch-mlp")
    torch.manual_seed(0)
    torch.set_num_threads(1)
    d = 6
    names = [f"x{j}" for j in range(d)]
    X, y = synthetic(13, 600, d)
    module = nn.Sequential(nn.Linear(d, 8), nn.ReLU(), nn.Linear(8, 1), nn.Sigmoid())
    opt = torch.optim.Adam(module.parameters(), lr=0.02)
    Xtr, ytr = torch.from_numpy(X), torch.from_numpy(y.astype(np.float32))[:, None]
    for _ in range(300):
        opt.zero_grad()
        loss = nn.functional.binary_cross_entropy(module(Xtr), ytr)
        loss.backward()
        opt.step()
    print(f"  train loss {loss.item():.4f}")
    Xt, yt = synthetic(14, 50, d)
    module.eval()
    with torch.no_grad():
        proba = module(torch.from_numpy(Xt)).numpy()[:, 0]

    folder = fresh_dir("torch-mlp")
    torch_mlp_to_onnx(module, d, str(folder / "model.onnx"))
    write_numeric_fixture(folder, names, Xt, yt, proba, onnx_tensor_manifest(
        names, {"type": "probability", "name": "probability"},
        "torch nn.Sequential(Linear(6,8), ReLU, Linear(8,1), Sigmoid) on synthetic data; scripts/models/make_fixtures.py"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    xgb_small()
    xgb_dart()
    sklearn_gbc_zipmap()
    sklearn_rf()
    sklearn_columns()
    torch_mlp()
    print("files:")
    size_report(OUT)
    for folder in sorted(p for p in OUT.iterdir() if p.is_dir()):
        total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        if total > 200_000:
            raise SystemExit(f"{folder} is {total} bytes (limit 200 KB)")


if __name__ == "__main__":
    main()
