"""How often the headline is right: the title of each page's first article
against the headline its gold opens with, cross-validated by site.

    python bench/titles.py
    python bench/titles.py --renderings text,html --save

The body's F1 (bench/quality.py) leaves titles out. Here the pages are those
of the corpora whose gold opens with the page's headline (the pool's README:
CleanPortalEval's, dragnet's and L3S-GN1's gold keep it; Scrapinghub's leaves
it out, and CleanEval's keeps a page's headings of every kind), where the
gold's first line reads as one: 2 to TITLE_LABEL_MAX_WORDS words, no final
full stop, no year (a date line). Each page is cleaned with its fold's models
(quality.fold_config: the title model too, bench/train_model.py --kind
title), in each rendering. A title is right when it is the headline
(is_headline), wrong when it is another line, and none when the article has
none (an HTML page's article then takes the page's own title, if it names
one).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, load_gold, page_folds, read_page, require_renderings  # noqa: E402

TITLE_LABEL_SETS = ("cpe", "dn", "gn")
TITLE_LABEL_MAX_WORDS = 25
# A title is the headline when rapidfuzz's ratio of the two (case folded) is
# at least this, or one holds the other and the shorter has at least
# TITLE_LABEL_MIN_CHARS characters (a headline with its site's name after it).
TITLE_LABEL_MIN_RATIO = 90
TITLE_LABEL_MIN_CHARS = 15
RENDERINGS = ("text", "text-bs4", "text-lynx", "text-html2text", "html")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def gold_headline(body: str) -> str | None:
    """The gold's first line, if it reads as a headline."""
    first = next((line.strip() for line in body.split("\n") if line.strip()), "")
    n_words = len(first.split())
    if 2 <= n_words <= TITLE_LABEL_MAX_WORDS and not first.endswith((".", "!", "?")) and not YEAR.search(first):
        return first
    return None


def has_headline(pid: str, entry: dict) -> bool:
    """A page whose gold names its headline."""
    return pid.split("-", 1)[0] in TITLE_LABEL_SETS and gold_headline(entry["articleBody"]) is not None


def is_headline(text: str, headline: str) -> bool:
    from rapidfuzz import fuzz

    a, b = text.casefold(), headline.casefold()
    return fuzz.ratio(a, b) >= TITLE_LABEL_MIN_RATIO or (
        min(len(a), len(b)) >= TITLE_LABEL_MIN_CHARS and (a in b or b in a)
    )


def _title(job: tuple[str, dict, str, int]) -> tuple[str, str, str | None]:
    from quality import fold_config

    from cleaner import clean

    pid, entry, rendering, fold = job
    fmt = "html" if rendering == "html" else "text"
    document = clean(read_page(pid, entry, rendering).encode("utf-8"), config=fold_config(str(fold)), input_format=fmt)
    return pid, rendering, document.articles[0].title if document.articles else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renderings", default=",".join(RENDERINGS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--save", action="store_true", help="write the titles to bench/out/titles.json")
    args = parser.parse_args()
    renderings = args.renderings.split(",")
    require_renderings(tuple(r for r in renderings if r != "html"))
    gold = load_gold()
    folds = page_folds(gold)
    work = [(pid, g, r, folds[pid]) for pid, g in sorted(gold.items()) if has_headline(pid, g) for r in renderings]
    with Pool(args.jobs) as pool:
        found = pool.map(_title, work, chunksize=8)
    pages = len(work) // len(renderings)
    print(f"{pages} pages whose gold opens with their headline, each read with its fold's models")
    for rendering in renderings:
        rows = [(pid, title) for pid, r, title in found if r == rendering]
        right = sum(title is not None and is_headline(title, gold_headline(gold[pid]["articleBody"]) or "")
                    for pid, title in rows)
        none = sum(title is None for _, title in rows)
        print(f"{rendering:15s} right {right:4d} ({100 * right / len(rows):.1f}%)  wrong {len(rows) - right - none:4d}"
              f"  none {none:4d}  of {len(rows)}")
    if args.save:
        (OUT / "titles.json").write_text(json.dumps(found))


if __name__ == "__main__":
    main()
