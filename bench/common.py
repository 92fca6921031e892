"""Helpers shared by the bench scripts: the dev data, sites, folds and scoring."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
EVAL = (ROOT.parent / "shared" / "eval").resolve()
DEV = EVAL / "dev"
OUT = ROOT / "bench" / "out"
SETS = {"sh": "scrapinghub", "ced": "cleaneval-dev", "cpe": "cleanportaleval"}
# Pages are split into this many folds by site, so no site is in both the
# training and the scored part of a fold.
N_FOLDS = 5


def load_scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_gold() -> dict[str, dict]:
    return json.loads((DEV / "gold.json").read_text("utf-8"))


def site_of(page_id: str, url: str | None) -> str:
    if url:
        host = urlparse(url).netloc.lower()
        return host[4:] if host.startswith("www.") else host
    return page_id


def fold_of(site: str) -> int:
    """Stable fold for a site: a hash, so adding pages never reshuffles others."""
    return int(hashlib.sha256(site.encode()).hexdigest(), 16) % N_FOLDS


def page_folds(gold: dict[str, dict]) -> dict[str, int]:
    return {pid: fold_of(site_of(pid, g.get("url"))) for pid, g in gold.items()}


def set_prefix(page_id: str) -> str:
    return page_id.split("-", 1)[0]


def score_by_set(gold: dict[str, dict], pred: dict[str, dict]) -> dict[str, dict]:
    scorer = load_scorer()
    results = {}
    for prefix in list(SETS) + ["all"]:
        ids = [k for k in gold if prefix == "all" or set_prefix(k) == prefix]
        metrics, _ = scorer.score({k: gold[k] for k in ids}, {k: pred[k] for k in ids if k in pred})
        results[prefix] = metrics
    return results


def print_scores(label: str, results: dict[str, dict], file=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    for prefix, m in results.items():
        print(f"{label:<12} {prefix:<4} F1 {m['f1']:.3f}  P {m['precision']:.3f}  R {m['recall']:.3f}  n {m['n']}", file=file)
