"""How many multi-article dumps the cleaner would get right if it knew where
the pages of each dump start: the ceiling each part of the dump's split can
give (cross-validated by site, as bench/quality.py's multi track).

    python bench/multi_oracles.py [--jobs N]

Ways, each on every dump of the pool (dev + train):
  model       as cleaned (bench/quality.py's multi track);
  seams       the seam model's answer replaced by the true page starts
              (cleaner/seams.py: each page judged in its own, no article
              runs across one);
  boundaries  the boundary model's answer (segments/boundary.py) replaced,
              at every question it is asked, by whether a page starts
              between the two sides;
  both        both.
"""

from __future__ import annotations

import argparse
import sys
from bisect import bisect_left, bisect_right
from functools import cache
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_gold, load_multi, page_folds, pool_dump, read_page  # noqa: E402
from quality import fold_config, print_multi, score_dumps  # noqa: E402

import cleaner.pipeline  # noqa: E402
import cleaner.segments  # noqa: E402

WAYS = ("model", "seams", "boundaries", "both")
_gold = cache(load_gold)  # read once in each worker


def _clean(job: tuple[str, dict, int, str]) -> tuple[str, list[str]]:
    """A dump's found articles' texts, cleaned the given way."""
    mid, entry, fold, way = job
    gold = _gold()
    _, starts = pool_dump([read_page(pid, gold[pid], "text") for pid in entry["sources"]])
    find_seams, learned_boundary = cleaner.pipeline.find_seams, cleaner.segments.learned_boundary

    def true_seams(blocks, edges, model):  # type: ignore[no-untyped-def]
        lines = [b.line for b in blocks]
        return [bisect_left(lines, line) for line in starts[1:]]

    def true_boundary(blocks, config, edges=None):  # type: ignore[no-untyped-def]
        def page(i: int) -> int:
            return bisect_right(starts, blocks[i].line)

        return lambda gap: page(gap.start) != page(gap.end)

    if way in ("seams", "both"):
        cleaner.pipeline.find_seams = true_seams
    if way in ("boundaries", "both"):
        cleaner.segments.learned_boundary = true_boundary
    try:
        document = cleaner.pipeline.clean(entry["path"].read_bytes(), config=fold_config(str(fold)))
    finally:
        cleaner.pipeline.find_seams, cleaner.segments.learned_boundary = find_seams, learned_boundary
    return mid, ["\n\n".join(a.paragraphs) for a in document.articles]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    folds = page_folds(load_gold())
    dumps = load_multi()
    with Pool(args.jobs) as pool:
        for way in WAYS:
            jobs = [(mid, entry, folds[entry["sources"][0]], way) for mid, entry in sorted(dumps.items())]
            print(f"-- {way}")
            print_multi(score_dumps(dict(pool.imap_unordered(_clean, jobs, chunksize=2)), dumps))


if __name__ == "__main__":
    main()
