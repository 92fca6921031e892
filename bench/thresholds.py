"""Choose the content score thresholds on the eval pool, cross-validated.

    python bench/thresholds.py

For each value of content_min_score in GRID (content_inside_min_score kept
INSIDE_OFFSET below it), every page of the pool is cleaned with its fold model
(bench/train_model.py --folds-only), both text renderings. Then, fold by fold,
the value with the best F1 on the other folds' pages is chosen and the fold's
pages are scored with it: the figure is that of a threshold tuned without the
pages it is scored on. The value best over all pages is the one to ship.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import N_FOLDS, load_gold, load_scorer, page_folds, read_page  # noqa: E402
from quality import body, fold_config  # noqa: E402

from cleaner import clean  # noqa: E402

GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
INSIDE_OFFSET = 0.05
RENDERINGS = ("text", "text-bs4")


def _clean(job: tuple[str, dict, str, int, float]) -> tuple[str, str]:
    pid, entry, rendering, fold, threshold = job
    config = replace(
        fold_config(str(fold)), content_min_score=threshold, content_inside_min_score=threshold - INSIDE_OFFSET
    )
    return pid, body(clean(read_page(pid, entry, rendering).encode("utf-8"), config=config, input_format="text"))


def main() -> None:
    scorer = load_scorer()
    gold = load_gold()
    folds = page_folds(gold)
    truth = {pid: {"articleBody": g["articleBody"]} for pid, g in gold.items()}
    with Pool(2) as pool:
        for rendering in RENDERINGS:
            preds = {}
            for threshold in GRID:
                jobs = [(pid, g, rendering, folds[pid], threshold) for pid, g in gold.items()]
                preds[threshold] = {pid: {"articleBody": t} for pid, t in pool.imap_unordered(_clean, jobs, 8)}
                print(f"{rendering:<9} content_min_score {threshold:.2f}: F1 {scorer.score(truth, preds[threshold])[0]['f1']:.4f}")
            chosen = {}
            for k in range(N_FOLDS):
                others = {pid: truth[pid] for pid in truth if folds[pid] != k}
                best = max(GRID, key=lambda t: scorer.score(others, {p: preds[t][p] for p in others})[0]["f1"])
                chosen.update({pid: preds[best][pid] for pid in truth if folds[pid] == k})
                print(f"{rendering:<9} fold {k}: chosen on the other folds {best:.2f}")
            print(f"{rendering:<9} cross-validated (threshold chosen without the fold): F1 {scorer.score(truth, chosen)[0]['f1']:.4f}")


if __name__ == "__main__":
    main()
