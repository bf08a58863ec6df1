"""scikit-learn's permutation importance on the bench's case, timed: the reference the
e2e-importance row is compared with in the same run (bench/e2e.ts).

Usage: /usr/bin/python3 bench/reference/sklearn_importance.py DIR [RUNS]
DIR holds data.csv (x0..x{M-1}, y, group) and model/ (a TF.js layers model: Dense relu, Dense
sigmoid). The model becomes an MLPClassifier with those weights, as a scikit-learn user would
hold it; permutation_importance(scoring="roc_auc", n_repeats=10, random_state=1) with its
default n_jobs. Prints JSON: {"seconds": [...], "mean": [...]} (one time per run)."""

import json
import os
import sys
import time

import numpy as np
from sklearn.inspection import permutation_importance
from sklearn.neural_network import MLPClassifier


def load_weights(model_dir):
    with open(os.path.join(model_dir, "model.json")) as f:
        manifest = json.load(f)["weightsManifest"][0]
    raw = np.fromfile(os.path.join(model_dir, manifest["paths"][0]), dtype="<f4")
    out, at = [], 0
    for w in manifest["weights"]:
        size = int(np.prod(w["shape"]))
        out.append(raw[at : at + size].reshape(w["shape"]).astype(np.float64))
        at += size
    return out  # kernel1, bias1, kernel2, bias2


def classifier(weights, inputs):
    k1, b1, k2, b2 = weights
    clf = MLPClassifier(hidden_layer_sizes=(k1.shape[1],), activation="relu")
    clf.coefs_ = [k1, k2]
    clf.intercepts_ = [b1, b2]
    clf.n_layers_ = 3
    clf.n_outputs_ = 1
    clf.out_activation_ = "logistic"
    clf.classes_ = np.array([0, 1])
    clf.n_features_in_ = inputs
    return clf


def main():
    root = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with open(os.path.join(root, "data.csv")) as f:
        header = f.readline().strip().split(",")
    inputs = sum(1 for h in header if h.startswith("x"))
    data = np.loadtxt(os.path.join(root, "data.csv"), delimiter=",", skiprows=1, usecols=range(inputs + 1))
    x, y = data[:, :inputs], data[:, inputs].astype(int)
    clf = classifier(load_weights(os.path.join(root, "model")), inputs)
    seconds, mean = [], None
    for _ in range(runs):
        t = time.perf_counter()
        r = permutation_importance(clf, x, y, scoring="roc_auc", n_repeats=10, random_state=1)
        seconds.append(time.perf_counter() - t)
        mean = r.importances_mean.tolist()
    print(json.dumps({"seconds": seconds, "mean": mean}))


if __name__ == "__main__":
    main()
