"""Helpers shared by make_fixtures.py and train_adult_gbm.py: number formatting that survives
CSV/JSON → float64 → float32 exactly, compact JSON, manifests and data.csv writers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def num(v) -> float | None:
    """A float32 value as the shortest decimal that reads back (decimal → float64 → float32, as
    Assay, xgboost and sklearn read it) to the same float32; None for NaN."""
    f = np.float32(v)
    if np.isnan(f):
        return None
    short = float(str(f))
    return short if np.float32(short) == f else float(f)


def num64(v) -> float | None:
    """A float64 value for JSON (None for NaN)."""
    v = float(v)
    return None if math.isnan(v) else v


def cell(v) -> str:
    """A CSV cell: numbers via num() (integers without ".0"), text as is, "" for NaN/None."""
    if v is None:
        return ""
    if isinstance(v, str):
        if any(ch in v for ch in ',"\n\r'):
            return '"' + v.replace('"', '""') + '"'
        return v
    x = num(v)
    if x is None:
        return ""
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def dumps(obj, indent: int = 0) -> str:
    """JSON with objects indented and lists of scalars (e.g. one data row) on one line."""
    pad, pad1 = "  " * indent, "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{pad1}{json.dumps(k)}: {dumps(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return "[" + ", ".join(json.dumps(v, allow_nan=False) for v in obj) + "]"
        return "[\n" + ",\n".join(pad1 + dumps(v, indent + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False)


def write_json(path: Path, obj) -> None:
    path.write_text(dumps(obj) + "\n")


def write_csv(path: Path, header: list[str], rows) -> None:
    lines = [",".join(header)] + [",".join(cell(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")


def numeric_features(names) -> list[dict]:
    return [{"name": n, "column": n, "type": "numeric"} for n in names]


def size_report(folder: Path) -> None:
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            print(f"    {p.relative_to(REPO)}  {p.stat().st_size:,} B")
