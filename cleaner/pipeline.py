"""clean(): the one place where the stages' order is written.

read -> blocks -> dedupe -> classify -> site boilerplate -> segments; rendering
is the caller's. The stages up to classify do not depend on the site's
boilerplate (classify never reads it), so clean() is prepare() then finish():
a batch run prepares each page once, counts its fingerprints for the site
model (page_fingerprints is that first pass alone), and finishes it once the
model is learned.
"""

from __future__ import annotations

from .blocks import split_blocks
from .classify import score_blocks
from .config import CleanerConfig
from .dedupe import mark_duplicates
from .limits import check_line_count, check_page_size, limit_blocks
from .model import Block, Decoded, Document, InputKind, PageMeta
from .read import read_input
from .seams import find_seams
from .segments import far_apart, group_segments
from .segments.edges import EdgeColumns, load_edge_model

DEFAULT_CONFIG = CleanerConfig()


class Prepared:
    """A page through every stage that does not depend on its site: scored blocks.
    (A plain class: a dataclass costs start-up to make.)"""

    __slots__ = ("blocks", "meta", "warnings", "html", "lines", "seams", "edges")

    def __init__(
        self, blocks: list[Block], meta: PageMeta, warnings: tuple[str, ...], html: bool,
        seams: tuple[int, ...] = (), edges: EdgeColumns | None = None,
    ) -> None:
        self.blocks = blocks
        self.meta = meta
        self.warnings = warnings
        self.html = html  # read as HTML: one page (finish does not ask the boundary model)
        # its lines' fingerprints (sitemodel.page_lines), if they were made: a batch's
        # first pass makes them to count them, and finish then need not hash them again
        self.lines: dict[str, int] | None = None
        # a text dump's seams (seams.py): the blocks that open a page after its first
        self.seams = seams
        # and every block's P(head) and P(foot), read to find them (the boundary model and
        # segments/ends.py read them again)
        self.edges = edges


def clean(
    data: bytes | str,
    *,
    source: str | None = None,
    config: CleanerConfig | None = None,
    input_format: str = "auto",
    site_boilerplate: frozenset[int] = frozenset(),
    dropped: bool = True,
) -> Document:
    """Clean one page (bytes in any common encoding, or str) into articles.

    site_boilerplate: fingerprints of lines learned as boilerplate across the
    page's site (sitemodel). dropped False: Document.dropped is left empty (see
    finish). Raises InputError (a CleanerError) for input that is not text or
    HTML. data is let go of once decoded: a caller that holds no other
    reference to it (passes it straight from a read) does not hold a big dump
    twice.
    """
    config = config or DEFAULT_CONFIG
    decoded = _read(data, config, input_format)
    del data
    page = _prepared(decoded, config)
    return finish(page, source=source, config=config, site_boilerplate=site_boilerplate, dropped=dropped)


def prepare(data: bytes | str, *, config: CleanerConfig | None = None, input_format: str = "auto") -> Prepared:
    """Stages 1-4: read, blocks, dedupe, classify, within the config's limits.
    Raises InputError (LimitError for a page over a limit)."""
    config = config or DEFAULT_CONFIG
    decoded = _read(data, config, input_format)
    del data  # as in clean()
    return _prepared(decoded, config)


def _prepared(decoded: Decoded, config: CleanerConfig) -> Prepared:
    """Stages 2-4 of a decoded page. Stage 2 takes the text out of decoded
    (Decoded.take_text): a big dump's text is let go of once its lines are
    split, before its blocks are made (4 bytes a character with one emoji)."""
    html = decoded.kind is InputKind.HTML
    blocks, meta, warnings = _split(decoded, config)
    del decoded
    blocks = mark_duplicates(blocks, config)
    seams: tuple[int, ...] = ()
    edges = None
    if not html and config.find_seams:
        edges = load_edge_model(config.edge_model).columns(blocks)
        seams = tuple(find_seams(blocks, edges, config.seam_model))
    for first, end in zip((0, *seams), (*seams, len(blocks))):  # each page of a dump judged in its own
        score_blocks(blocks[first:end] if seams else blocks, config, html=html, titles=(meta.title, meta.page_title))
    return Prepared(blocks, meta, warnings, html, seams=seams, edges=edges)


def finish(
    page: Prepared, *, source: str | None = None, config: CleanerConfig | None = None,
    site_boilerplate: frozenset[int] = frozenset(), dropped: bool = True,
) -> Document:
    """Stages 4b-5 on a prepared page: the site's boilerplate marked, articles made.
    dropped False: Document.dropped is left empty (an output without --explain
    does not show it)."""
    config = config or DEFAULT_CONFIG
    blocks = page.blocks
    if site_boilerplate:  # a page cleaned without a site model (a pipe, one file) does not load sitemodel
        from .sitemodel import mark_site_boilerplate

        mark_site_boilerplate(blocks, site_boilerplate, page.lines)
    # an HTML page is one page: the boundary model (for text dumps of several) is not asked
    articles, left_out = group_segments(
        blocks, config, page.meta, far_apart(config) if page.html else None, dropped, html=page.html,
        seams=page.seams, edges=page.edges,
    )
    return Document(source=source, articles=articles, blocks=blocks, dropped=left_out, warnings=page.warnings)


def page_fingerprints(data: bytes | str, *, config: CleanerConfig | None = None, input_format: str = "auto") -> frozenset[int]:
    """Pass 1 of site learning: the fingerprints of a page's lines (stages 1-3 only)."""
    from .sitemodel import fingerprint_page

    config = config or DEFAULT_CONFIG
    blocks, _, _ = _split(_read(data, config, input_format), config)
    return fingerprint_page(mark_duplicates(blocks, config))


def _read(data: bytes | str, config: CleanerConfig, input_format: str) -> Decoded:
    """Stage 1 within the limits: a page too big or with too many lines is
    refused (LimitError) before any block is made."""
    check_page_size(data, config)
    decoded = read_input(data, input_format=input_format)
    if decoded.kind is InputKind.TEXT:
        check_line_count(decoded.text, config)
    return decoded


def _split(decoded: Decoded, config: CleanerConfig) -> tuple[list[Block], PageMeta, tuple[str, ...]]:
    """Stage 2 within the limits: blocks (too many refused, too long cut) and the warnings so far."""
    blocks, meta = split_blocks(decoded, config)
    return blocks, meta, decoded.warnings + limit_blocks(blocks, config)
