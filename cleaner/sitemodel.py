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

The model is saved as one compact binary file that any engine's workers read
from disk: the magic line ``cleaner-site-model``, an 8-byte length and a JSON
header (version, the thresholds it was learned with, per site its name, pages
and array lengths, and the inputs already counted), then per site three
little-endian arrays: the sorted 64-bit boilerplate fingerprints (all a
cleaning worker reads), and the counts kept for tomorrow's run to add to
(sorted 64-bit fingerprints, 32-bit page counts).
"""

from __future__ import annotations

import json
import os
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from operator import methodcaller
from typing import Any, BinaryIO

from .config import CleanerConfig
from .model import Block, InputError

MODEL_VERSION = 2
# The artifact's first bytes (a version 1 model is JSON and starts with "{").
MODEL_MAGIC = b"cleaner-site-model\n"
# See save_model.
SINGLETON_PRUNE_PAGES = 50
# See merge_counts: lines tracked per site before one-page lines are forgotten.
MAX_TRACKED_LINES = 500_000
_DIGEST = methodcaller("digest")
_FROM_BIG_ENDIAN = partial(int.from_bytes, byteorder="big")


@dataclass
class SiteCounts:
    """What has been seen of one site: pages, and pages per fingerprint."""

    pages: int = 0
    counts: Counter[int] = field(default_factory=Counter)


@dataclass
class SiteModel:
    """A site model: per site, its pages and fingerprint counts; and the inputs counted."""

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
        from urllib.parse import urlparse  # here: start-up stays light

        host = urlparse(url).netloc.lower()
        if host:
            return host[4:] if host.startswith("www.") else host
    return os.path.basename(os.path.dirname(os.path.abspath(path)))


def boilerplate_digest(boilerplate: frozenset[int]) -> str:
    """Short digest of a boilerplate set: outputs made with another set are redone."""
    import hashlib

    digest = hashlib.sha256()
    for fp in sorted(boilerplate):
        digest.update(fp.to_bytes(8, "big"))
    return digest.hexdigest()[:16]


def line_fingerprints(keys: Iterable[str]) -> dict[str, int]:
    """Each distinct key's fingerprint, each hashed once: by cleaner._speedups
    where it is built (the same integers), else in Python."""
    from .classify import _speedups

    distinct = list(dict.fromkeys(keys))
    compiled = _speedups()
    prints = compiled.line_fingerprints(distinct) if compiled is not None else None
    return dict(zip(distinct, prints if prints is not None else _python_fingerprints(distinct)))


def _python_fingerprints(keys: list[str]) -> Iterable[int]:
    """BLAKE2b of 8 bytes of each key, read big-endian (by maps: they loop in C)."""
    from hashlib import blake2b  # here: a page cleaned without a site model never loads hashlib

    return map(_FROM_BIG_ENDIAN, map(_DIGEST, map(partial(blake2b, digest_size=8), map(str.encode, keys))))


def page_lines(blocks: list[Block]) -> dict[str, int]:
    """The fingerprints of a page's lines, by their match key (a repeated line is hashed once)."""
    return line_fingerprints(b.norm for b in blocks if b.norm)


def fingerprint_page(blocks: list[Block]) -> frozenset[int]:
    """Fingerprints of a page's lines (each counted once per page; a repeated
    line is hashed once)."""
    return frozenset(page_lines(blocks).values())


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


def mark_site_boilerplate(
    blocks: list[Block], boilerplate: frozenset[int], lines: dict[str, int] | None = None
) -> list[Block]:
    """Flag the blocks whose line is the site's boilerplate. lines: the page's
    page_lines, if they were made already (a batch's first pass makes them)."""
    if boilerplate:
        lines = page_lines(blocks) if lines is None else lines
        marked = {key for key, fp in lines.items() if fp in boilerplate}
        for block in blocks:
            if block.norm in marked:
                block.site_boilerplate = True
    return blocks


def save_model(model: SiteModel, path: str, config: CleanerConfig | None = None) -> None:
    """The compact binary artifact (see the module docstring), deterministic,
    written atomically. On sites of SINGLETON_PRUNE_PAGES pages or more, lines
    seen on one page only are not kept: they are most of the lines, and such a
    line needs many more pages before it could count as boilerplate."""
    from .atomic import write_atomic

    config = config or CleanerConfig()
    header: dict[str, object] = {
        "version": MODEL_VERSION, "site_min_pages": config.site_min_pages,
        "site_min_share": config.site_min_share, "sites": [], "counted": dict(sorted(model.counted.items())),
    }
    arrays = []
    for site, stats in sorted(model.sites.items()):
        kept = sorted(
            (fp, n) for fp, n in stats.counts.items() if n > 1 or stats.pages < SINGLETON_PRUNE_PAGES
        )
        boilerplate = sorted(model.boilerplate(site, config))
        header["sites"].append([site, stats.pages, len(boilerplate), len(kept)])  # type: ignore[attr-defined]
        arrays += [array("Q", boilerplate), array("Q", (fp for fp, _ in kept)), array("I", (n for _, n in kept))]
    body = [_little_endian(a).tobytes() for a in arrays]
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    write_atomic(path, b"".join([MODEL_MAGIC, len(head).to_bytes(8, "little"), head, *body]))


def load_model(path: str) -> SiteModel:
    """The whole model (counts and counted inputs), to learn more or to clean with.
    Reads the binary artifact, and the JSON of version 1 (cleaner batch before 0.2)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(1) == b"{":
                handle.seek(0)
                return _model_from_json(json.loads(handle.read()))
            header = _read_header(handle, path)
            sites = {}
            for site, pages, n_boilerplate, n_counts in header["sites"]:
                handle.seek(n_boilerplate * 8, os.SEEK_CUR)
                fps, counts = _read_array(handle, "Q", n_counts), _read_array(handle, "I", n_counts)
                sites[str(site)] = SiteCounts(pages=int(pages), counts=Counter(dict(zip(fps, counts))))
            counted = {str(k): str(v) for k, v in header["counted"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError) as exc:
        raise InputError(f"cannot read the site model {path}: {exc}") from None
    return SiteModel(sites, counted)


def load_boilerplate(path: str, config: CleanerConfig) -> dict[str, frozenset[int]]:
    """Every site's boilerplate under config: the stored sorted fingerprints when
    the model was saved with config's thresholds (a worker reads nothing else),
    else worked out from the counts."""
    try:
        with open(path, "rb") as handle:
            if handle.read(1) != b"{":
                header = _read_header(handle, path)
                if (header["site_min_pages"], header["site_min_share"]) == (config.site_min_pages, config.site_min_share):
                    found = {}
                    for site, _, n_boilerplate, n_counts in header["sites"]:
                        found[str(site)] = frozenset(_read_array(handle, "Q", n_boilerplate))
                        handle.seek(n_counts * 12, os.SEEK_CUR)
                    return found
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise InputError(f"cannot read the site model {path}: {exc}") from None
    model = load_model(path)
    return {site: model.boilerplate(site, config) for site in model.sites}


def _read_header(handle: BinaryIO, path: str) -> dict[str, Any]:
    handle.seek(0)
    if handle.read(len(MODEL_MAGIC)) != MODEL_MAGIC:
        raise ValueError("not a cleaner site model")
    size = int.from_bytes(handle.read(8), "little")
    header: dict[str, Any] = json.loads(handle.read(size))
    if header.get("version") != MODEL_VERSION:
        raise ValueError(f"model version {header.get('version')}, this cleaner reads {MODEL_VERSION}")
    return header


def _read_array(handle: BinaryIO, code: str, count: int) -> list[int]:
    items = array(code)
    data = handle.read(count * items.itemsize)
    if len(data) != count * items.itemsize:
        raise EOFError("the file is cut short")
    items.frombytes(data)
    return _little_endian(items).tolist()


def _little_endian(items: array[int]) -> array[int]:
    """The artifact stores little-endian integers whatever the machine."""
    if sys.byteorder == "big":
        items = items.__copy__()
        items.byteswap()
    return items


def _model_from_json(data: dict[str, Any]) -> SiteModel:
    sites = {
        site: SiteCounts(pages=int(item["pages"]), counts=Counter({int(fp): int(n) for fp, n in item["counts"]}))
        for site, item in data["sites"].items()
    }
    return SiteModel(sites, {str(k): str(v) for k, v in data.get("counted", {}).items()})
