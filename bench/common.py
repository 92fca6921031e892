"""Helpers shared by the bench scripts: the eval pool (dev + train), sites,
folds by site, page files and scoring.

The pool is ../shared/eval/dev and ../shared/eval/train together. Pages are
grouped by site (train: sites.json; dev: the registrable domain of the URL's
host, worked out the same way) and each site falls in one of N_FOLDS folds, so
every figure is scored by a model that saw no page of the page's site.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
EVAL = (ROOT.parent / "shared" / "eval").resolve()
DEV = EVAL / "dev"
TRAIN = EVAL / "train"
FOLDERS = (DEV, TRAIN)
OUT = ROOT / "bench" / "out"
SETS = {
    "sh": "scrapinghub", "ced": "cleaneval-dev", "cpe": "cleanportaleval",
    "dn": "dragnet", "gn": "l3s-gn1", "cef": "cleaneval-final",
}
# Renderings of a page: Chromium innerText, BeautifulSoup get_text("\n"), the HTML.
RENDERINGS = ("text", "text-bs4", "html")
# More text renderings, made from the HTML by bench/render.py (text-lynx, text-html2text).
RENDERS = OUT / "renders"
# Sites fall in this many folds (each fold model is trained on four fifths).
N_FOLDS = 5
# Second-level labels under a two-letter country code that are generic
# (bbc.co.uk, abc.net.au): the registrable domain keeps three labels.
GENERIC_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gob", "nic"})
# Blog platforms: each blog is a site of its own (x.blogspot.com).
BLOG_PLATFORMS = frozenset({"blogspot.com", "typepad.com", "wordpress.com", "livejournal.com", "tumblr.com"})


def load_scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_gold(folders: tuple[Path, ...] = FOLDERS) -> dict[str, dict]:
    """Every page of the pool: its gold entry, with "folder" (the Path) added."""
    pool: dict[str, dict] = {}
    for folder in folders:
        for pid, entry in json.loads((folder / "gold.json").read_text("utf-8")).items():
            pool[pid] = {**entry, "folder": folder}
    return pool


def registrable_domain(host: str) -> str:
    labels = host.lower().split(".")
    if labels and labels[0] == "www":
        labels = labels[1:]
    keep = 2
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in GENERIC_SECOND_LEVEL:
        keep = 3
    if ".".join(labels[-2:]) in BLOG_PLATFORMS:
        keep = 3
    return ".".join(labels[-keep:])


def _train_sites() -> dict[str, str | None]:
    sites = json.loads((TRAIN / "sites.json").read_text("utf-8"))
    return {pid: entry.get("site") for pid, entry in sites.items()}


def site_of(page_id: str, entry: dict, _train: dict[str, str | None] = {}) -> str:  # noqa: B006 (a cache)
    """The page's site; a page whose site is unknown is a group of its own."""
    if entry.get("folder") == TRAIN:
        if not _train:
            _train.update(_train_sites())
        return _train.get(page_id) or page_id
    url = entry.get("url")
    if url:
        host = urlparse(url).netloc.split(":")[0]
        if host:
            return registrable_domain(host)
    return page_id


def fold_of(site: str) -> int:
    """Stable fold for a site: a hash, so adding pages never reshuffles others."""
    return int(hashlib.sha256(site.encode()).hexdigest(), 16) % N_FOLDS


def page_folds(gold: dict[str, dict]) -> dict[str, int]:
    """Each page's fold. Sites whose pages share a multi-article dump are one
    group (so every dump is scored by a model that saw none of its pages'
    sites), and a group's fold is that of its first site by name."""
    group: dict[str, str] = {}

    def find(site: str) -> str:
        while group.setdefault(site, site) != site:
            group[site] = group[group[site]]
            site = group[site]
        return site

    for dump in load_multi().values():
        sites = sorted(site_of(pid, gold[pid]) for pid in dump["sources"] if pid in gold)
        for site in sites[1:]:
            a, b = sorted((find(sites[0]), find(site)))
            group[b] = a
    return {pid: fold_of(find(site_of(pid, g))) for pid, g in gold.items()}


def page_file(pid: str, entry: dict, rendering: str) -> Path:
    folder = entry["folder"]
    if rendering == "html":
        return folder / "html" / f"{pid}.html.gz"
    if rendering not in RENDERINGS:  # made by bench/render.py
        return RENDERS / folder.name / rendering / f"{pid}.txt"
    return folder / rendering / f"{pid}.txt"


def require_renderings(renderings: list[str] | tuple[str, ...]) -> None:
    """Exit with a message if a rendering made by bench/render.py is not there."""
    missing = [r for r in renderings if r not in RENDERINGS and not any((RENDERS / f.name / r).is_dir() for f in FOLDERS)]
    if missing:
        sys.exit(f"no {', '.join(missing)} pages in {RENDERS}: run python3 bench/render.py first (it needs lynx)")


def read_page(pid: str, entry: dict, rendering: str) -> str:
    path = page_file(pid, entry, rendering)
    if rendering == "html":
        return gzip.decompress(path.read_bytes()).decode("utf-8")
    return path.read_text("utf-8")


def load_multi(folders: tuple[Path, ...] = FOLDERS) -> dict[str, dict]:
    """Every multi-article dump: its gold, with "path" added."""
    dumps: dict[str, dict] = {}
    for folder in folders:
        for mid, entry in json.loads((folder / "multi" / "gold.json").read_text("utf-8")).items():
            dumps[mid] = {**entry, "path": folder / "multi" / f"{mid}.txt"}
    return dumps


def pool_dump(pages: list[str]) -> tuple[str, list[int]]:
    """The pages' texts joined as the eval pool's multi dumps are, and the first
    line (1-based) of each page in it: each page without the blank lines
    before its text and without the white space after it (lines of spaces,
    tabs or no-break spaces too), one blank line between, a line end after the
    last. (Joined so, every dump of the pool is its file to the byte.)"""
    from cleaner.read import read_input

    pages = [page.lstrip("\n").rstrip() for page in pages]
    starts, line = [], 1
    for page in pages:
        starts.append(line)
        line += read_input(page, input_format="text").text.count("\n") + 2
    return "\n\n".join(pages) + "\n", starts


def set_prefix(page_id: str) -> str:
    return page_id.split("-", 1)[0]


def score_by_set(gold: dict[str, dict], pred: dict[str, dict], prefixes: list[str] | None = None) -> dict[str, dict]:
    scorer = load_scorer()
    results = {}
    present = [p for p in SETS if any(set_prefix(k) == p for k in gold)] if prefixes is None else prefixes
    for prefix in present + ["all"]:
        ids = [k for k in gold if prefix == "all" or set_prefix(k) == prefix]
        metrics, _ = scorer.score(
            {k: {"articleBody": gold[k]["articleBody"]} for k in ids}, {k: pred[k] for k in ids if k in pred}
        )
        results[prefix] = metrics
    return results


def print_scores(label: str, results: dict[str, dict], file=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    for prefix, m in results.items():
        print(f"{label:<14} {prefix:<4} F1 {m['f1']:.3f}  P {m['precision']:.3f}  R {m['recall']:.3f}  n {m['n']}", file=file)
