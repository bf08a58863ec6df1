"""Builds the models of the Adult income demo (audits/examples/adult-gbm/): two XGBoost
classifiers of P(income > 50K), trained on ../shared/datasets/adult.csv (the UCI training split;
read in place, never copied into the repo):

  v1  age, workclass, education_num, marital_status, occupation, relationship, race, sex,
      capital_gain, capital_loss, hours_per_week
  v2  the same without race and sex

Inputs are encoded exactly as Assay encodes them from the manifest (lib/engine/model/encode.ts):
numeric columns raw, categorical columns one-hot in the manifest's category order (the sorted
distinct non-empty values of adult.csv), an empty cell or unknown category → all zeros.
XGBClassifier(n_estimators=100, max_depth=5, learning_rate=0.1, random_state=0).

Writes, for each version V:
  audits/examples/adult-gbm/models/V/        model.json (XGBoost JSON) + assay.model.json (xgboost-json)
  audits/examples/adult-gbm/models/V-onnx/   model.onnx (onnxmltools layout, via onnx_export.py)
                                             + assay.model.json (onnx, tensor input "input",
                                             softmax output "probabilities", positiveIndex 1)
and audits/examples/adult-gbm/expected.json: XGBoost's predict_proba[:, 1] for the first 200 rows
of ../shared/datasets/adult-test.csv, per version, plus train/test AUC. It does not write the
audit specs (*.audit.yaml).

Rerun (deterministic):  /usr/bin/python3 scripts/models/train_adult_gbm.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the repo
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, num64, size_report, write_json  # noqa: E402
from onnx_export import predict_tree_ensemble, read_tree_ensemble, xgboost_to_onnx  # noqa: E402

DATA = REPO.parent / "shared" / "datasets"
TRAIN_CSV, TEST_CSV = DATA / "adult.csv", DATA / "adult-test.csv"
DEMO = REPO / "audits" / "examples" / "adult-gbm"
LABEL, POSITIVE = "income", ">50K"
N_EXPECTED = 200

FEATURES = [  # (column, type), in model input order
    ("age", "numeric"), ("workclass", "categorical"), ("education_num", "numeric"),
    ("marital_status", "categorical"), ("occupation", "categorical"), ("relationship", "categorical"),
    ("race", "categorical"), ("sex", "categorical"), ("capital_gain", "numeric"),
    ("capital_loss", "numeric"), ("hours_per_week", "numeric"),
]
VERSIONS = {
    "v1": [c for c, _ in FEATURES],
    "v2": [c for c, _ in FEATURES if c not in ("race", "sex")],
}
DESCRIPTIONS = {
    "v1": "XGBoost (100 trees, depth 5) on UCI Adult (adult.csv): income > 50K from 11 columns including race and sex",
    "v2": "XGBoost (100 trees, depth 5) on UCI Adult (adult.csv): income > 50K, without race and sex",
}


def read(path: Path):
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)  # empty cell → ""


def manifest_features(train, columns) -> list[dict]:
    types = dict(FEATURES)
    out = []
    for c in columns:
        if types[c] == "numeric":
            out.append({"name": c, "column": c, "type": "numeric"})
        else:
            cats = sorted(v for v in set(train[c]) if v != "")
            out.append({"name": c, "column": c, "type": "categorical", "categories": cats})
    return out


def encode(df, features) -> np.ndarray:
    """Assay's encoding: numeric raw (empty → NaN), categorical one-hot (empty/unknown → zeros)."""
    blocks = []
    for f in features:
        col = df[f["column"]]
        if f["type"] == "numeric":
            blocks.append(col.map(lambda s: float(s) if s != "" else np.nan).to_numpy(dtype=np.float64)[:, None])
        else:
            pos = {c: i for i, c in enumerate(f["categories"])}
            block = np.zeros((len(df), len(pos)))
            for r, v in enumerate(col):
                if v in pos:
                    block[r, pos[v]] = 1.0
            blocks.append(block)
    return np.hstack(blocks).astype(np.float32)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def main() -> None:
    import xgboost as xgb
    from sklearn.metrics import roc_auc_score

    train, test = read(TRAIN_CSV), read(TEST_CSV)
    y_train = (train[LABEL] == POSITIVE).to_numpy(dtype=np.int64)
    y_test = (test[LABEL] == POSITIVE).to_numpy(dtype=np.int64)
    print(f"adult.csv {len(train)} rows ({y_train.mean():.3f} positive), adult-test.csv {len(test)} rows ({y_test.mean():.3f} positive)")

    expected = {
        "dataset": "../shared/datasets/adult-test.csv",
        "firstRows": N_EXPECTED,
        "label": {"column": LABEL, "positive": POSITIVE},
        "note": "probability = XGBoost 1.7 predict_proba[:, 1] of each model on the first firstRows rows; "
                "auc = roc_auc_score on all rows of each file; scripts/models/train_adult_gbm.py",
    }
    models_dir = DEMO / "models"
    for version, columns in VERSIONS.items():
        features = manifest_features(train, columns)
        X_train, X_test = encode(train, features), encode(test, features)
        model = xgb.XGBClassifier(n_estimators=100, max_depth=5, learning_rate=0.1, random_state=0)
        model.fit(X_train, y_train)
        p_train, p_test = model.predict_proba(X_train)[:, 1], model.predict_proba(X_test)[:, 1]
        auc_train, auc_test = roc_auc_score(y_train, p_train), roc_auc_score(y_test, p_test)
        print(f"{version}: {X_train.shape[1]} encoded inputs; AUC train {auc_train:.4f}, test {auc_test:.4f}")

        d = fresh_dir(models_dir / version)
        model.save_model(str(d / "model.json"))
        write_json(d / "assay.model.json", {
            "format": "xgboost-json", "file": "model.json", "task": "binary_classification",
            "description": DESCRIPTIONS[version], "features": features})

        d_onnx = fresh_dir(models_dir / f"{version}-onnx")
        xgboost_to_onnx(model, X_train.shape[1], str(d_onnx / "model.onnx"))
        write_json(d_onnx / "assay.model.json", {
            "format": "onnx", "file": "model.onnx", "task": "binary_classification",
            "description": DESCRIPTIONS[version] + "; the same trees as models/" + version + " in ONNX (onnxmltools layout)",
            "input": {"mode": "tensor", "name": "input"},
            "output": {"type": "softmax", "name": "probabilities", "positiveIndex": 1},
            "missing": "nan",
            "features": features})

        head = p_test[:N_EXPECTED]
        onnx_p = predict_tree_ensemble(read_tree_ensemble(str(d_onnx / "model.onnx")), X_test[:N_EXPECTED])
        diff = float(np.max(np.abs(onnx_p.astype(np.float64) - head)))
        print(f"  ONNX (numpy, onnxruntime semantics) vs XGBoost on {N_EXPECTED} test rows: max diff {diff:.3g}")
        if diff > 1e-6:
            raise SystemExit(f"{version}: ONNX export differs from XGBoost by {diff}")
        expected[version] = {
            "auc": {"train": round(auc_train, 6), "test": round(auc_test, 6)},
            "probability": [num64(p) for p in head],
        }
    write_json(DEMO / "expected.json", expected)
    print("files:")
    size_report(models_dir)
    print(f"    {(DEMO / 'expected.json').relative_to(REPO)}  {(DEMO / 'expected.json').stat().st_size:,} B")


if __name__ == "__main__":
    main()
