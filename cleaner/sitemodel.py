"""Stage 4b: boilerplate learned across a site's pages.

A line that recurs on many pages of one site is boilerplate even when it
appears only once per page: "Subscribe to our newsletter", a footer, a menu.
Learning is three plain functions, so that a process pool or a distributed
engine can map them:

1. ``fingerprint_page``: the set of 64-bit fingerprints of a page's lines
   (blake2b of the match key: casefolded, punctuation removed);
2. ``merge_counts``: per site, on how many pages each fingerprint occurs;
3. ``learn_model``: the fingerprints on at least ``site_min_pages`` pages and
   ``site_min_share`` of the site's pages are its boilerplate.

``mark_site_boilerplate`` then flags the matching blocks of a page before
segmentation. A line must recur on several pages to be flagged, so a sentence
that two articles happen to quote (two pages) stays in both.

The model is saved as JSON: per site, its page count and the counts of the
fingerprints seen on more than one page (sorted), so tomorrow's run can add to it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlparse

from .config import CleanerConfig
from .model import Block

MODEL_VERSION = 1
# See save_model.
SINGLETON_PRUNE_PAGES = 50
# See merge_counts: lines tracked per site before one-page lines are forgotten.
MAX_TRACKED_LINES = 500_000


@dataclass
class SiteCounts:
    """What has been seen of one site: pages, and pages per fingerprint."""

    pages: int = 0
    counts: Counter[int] = field(default_factory=Counter)


@dataclass
class SiteModel:
    sites: dict[str, SiteCounts] = field(default_factory=dict)
    # input -> content hash already counted (a batch run killed after learning
    # must not count its inputs twice)
    counted: dict[str, str] = field(default_factory=dict)

    def boilerplate(self, site: str, config: CleanerConfig) -> frozenset[int]:
        """The site's boilerplate fingerprints under the config's thresholds."""
        stats = self.sites.get(site)
        if stats is None:
            return frozenset()
        needed = max(config.site_min_pages, config.site_min_share * stats.pages)
        return frozenset(fp for fp, pages in stats.counts.items() if pages >= needed)


def site_of(url: str | None, path: str) -> str:
    """The URL's host when known, else the name of the folder the input is in."""
    if url:
        host = urlparse(url).netloc.lower()
        if host:
            return host[4:] if host.startswith("www.") else host
    return os.path.basename(os.path.dirname(os.path.abspath(path)))


def boilerplate_digest(boilerplate: frozenset[int]) -> str:
    """Short digest of a boilerplate set: outputs made with another set are redone."""
    digest = hashlib.sha256()
    for fp in sorted(boilerplate):
        digest.update(fp.to_bytes(8, "big"))
    return digest.hexdigest()[:16]


def fingerprint(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def fingerprint_page(blocks: list[Block]) -> frozenset[int]:
    """Fingerprints of a page's lines (each counted once per page)."""
    return frozenset(fingerprint(b.norm) for b in blocks if b.norm)


def merge_counts(model: SiteModel, pages: Iterable[tuple[str, frozenset[int]]]) -> SiteModel:
    """Add pages (site, fingerprints) to the model's counts; returns the model.

    A site tracking more than MAX_TRACKED_LINES lines forgets those seen on one
    page only (lossy counting): memory stays bounded on an endless stream, and a
    line that recurs is counted again from its next page on."""
    for site, prints in pages:
        stats = model.sites.setdefault(site, SiteCounts())
        stats.pages += 1
        stats.counts.update(prints)
        if len(stats.counts) > MAX_TRACKED_LINES:
            stats.counts = Counter({fp: n for fp, n in stats.counts.items() if n > 1})
    return model


def merge_models(model: SiteModel, other: SiteModel) -> SiteModel:
    """Add another model's counts (a partition's, a stream's) to this one."""
    for site, stats in other.sites.items():
        mine = model.sites.setdefault(site, SiteCounts())
        mine.pages += stats.pages
        mine.counts.update(stats.counts)
    return model


def mark_site_boilerplate(blocks: list[Block], boilerplate: frozenset[int]) -> list[Block]:
    """Flag the blocks whose line is the site's boilerplate."""
    if boilerplate:
        for block in blocks:
            if block.norm and fingerprint(block.norm) in boilerplate:
                block.site_boilerplate = True
    return blocks


def save_model(model: SiteModel, path: str) -> None:
    """JSON, deterministic. On sites of SINGLETON_PRUNE_PAGES pages or more, lines
    seen on one page only are not kept: they are most of the lines, and such a
    line needs many more pages before it could count as boilerplate."""
    from .batch import write_atomic

    data = {
        "version": MODEL_VERSION,
        "sites": {
            site: {
                "pages": stats.pages,
                "counts": sorted(
                    [fp, n] for fp, n in stats.counts.items() if n > 1 or stats.pages < SINGLETON_PRUNE_PAGES
                ),
            }
            for site, stats in sorted(model.sites.items())
        },
        "counted": dict(sorted(model.counted.items())),
    }
    write_atomic(path, (json.dumps(data, separators=(",", ":")) + "\n").encode("utf-8"))


def load_model(path: str) -> SiteModel:
    from .model import InputError

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        sites = {
            site: SiteCounts(pages=int(item["pages"]), counts=Counter({int(fp): int(n) for fp, n in item["counts"]}))
            for site, item in data["sites"].items()
        }
        counted = {str(k): str(v) for k, v in data.get("counted", {}).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"cannot read the site model {path}: {exc}") from None
    return SiteModel(sites, counted)
