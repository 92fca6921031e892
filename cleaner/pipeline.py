"""clean(): the one place where the stages' order is written.

read -> blocks -> dedupe -> classify -> site boilerplate -> segments; rendering
is the caller's. The stages up to classify do not depend on the site's
boilerplate (classify never reads it), so clean() is prepare() then finish():
a batch run prepares each page once, counts its fingerprints for the site
model (page_fingerprints is that first pass alone), and finishes it once the
model is learned.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import split_blocks
from .classify import score_blocks
from .config import CleanerConfig
from .dedupe import mark_duplicates
from .model import Block, Document, InputKind, PageMeta
from .read import read_input
from .segments import group_segments
from .sitemodel import fingerprint_page, mark_site_boilerplate

DEFAULT_CONFIG = CleanerConfig()


@dataclass
class Prepared:
    """A page through every stage that does not depend on its site: scored blocks."""

    blocks: list[Block]
    meta: PageMeta
    warnings: tuple[str, ...]


def clean(
    data: bytes | str,
    *,
    source: str | None = None,
    config: CleanerConfig | None = None,
    input_format: str = "auto",
    site_boilerplate: frozenset[int] = frozenset(),
) -> Document:
    """Clean one page (bytes in any common encoding, or str) into articles.

    site_boilerplate: fingerprints of lines learned as boilerplate across the
    page's site (sitemodel). Raises InputError (a CleanerError) for input that
    is not text or HTML.
    """
    page = prepare(data, config=config, input_format=input_format)
    return finish(page, source=source, config=config, site_boilerplate=site_boilerplate)


def prepare(data: bytes | str, *, config: CleanerConfig | None = None, input_format: str = "auto") -> Prepared:
    """Stages 1-4: read, blocks, dedupe, classify. Raises InputError."""
    config = config or DEFAULT_CONFIG
    decoded = read_input(data, input_format=input_format)
    html, warnings = decoded.kind is InputKind.HTML, decoded.warnings
    blocks, meta = split_blocks(decoded, config)
    del decoded  # its text now lives in the blocks: a big dump is not held twice (4 bytes a character with emoji)
    blocks = mark_duplicates(blocks, config)
    blocks = score_blocks(blocks, config, html=html)
    return Prepared(blocks, meta, warnings)


def finish(
    page: Prepared, *, source: str | None = None, config: CleanerConfig | None = None,
    site_boilerplate: frozenset[int] = frozenset(),
) -> Document:
    """Stages 4b-5 on a prepared page: the site's boilerplate marked, articles made."""
    config = config or DEFAULT_CONFIG
    blocks = mark_site_boilerplate(page.blocks, site_boilerplate)
    articles, dropped = group_segments(blocks, config, page.meta)
    return Document(source=source, articles=articles, blocks=blocks, dropped=dropped, warnings=page.warnings)


def page_fingerprints(data: bytes | str, *, config: CleanerConfig | None = None, input_format: str = "auto") -> frozenset[int]:
    """Pass 1 of site learning: the fingerprints of a page's lines (stages 1-3 only)."""
    config = config or DEFAULT_CONFIG
    decoded = read_input(data, input_format=input_format)
    blocks, _ = split_blocks(decoded, config)
    return fingerprint_page(mark_duplicates(blocks, config))
