"""Stage 5: scored blocks -> articles (title, dates, dateline, byline, body,
captions), and every other block dropped with its reason.

Article text is a block whose content score reaches the threshold and that is
neither a copy of an earlier block nor a caption. Article blocks no more than
``max_gap_blocks`` apart form a body run (captions between them do not count).
Consecutive runs belong to one article unless a new one visibly starts: the
next run opens with a dateline ("BRUSSELS (AP) —"), or the lines between the
runs repeat the page's earlier template (a second page of the same site). The
headline is the nearest headline-shaped line above an article's body; dates and
bylines are taken from short lines there. Captions (credit patterns, or long
lines that come in adjacent pairs, as galleries print them) go to the article
they sit in, each listed once per page. On an HTML page with an article
outside its comment regions and nested <article>s, those are not article text.

runs.py: body runs and where articles split; headline.py: an article from its
run (headline, dates, byline); captions.py; dropped.py: why each other block
was left out. This module only orders them.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..config import CleanerConfig
from ..model import Article, Block, BlockKind, Dropped, PageMeta, Role
from ..text import METADATA_SEPARATOR, dateline_of, is_browser_notice, is_consent_notice, parse_metadata_line
from .captions import assign_captions, is_caption_line, is_gallery_label
from .dropped import dropped_blocks
from .edges import EdgeColumns
from .ends import cut_ends
from .headline import build_article
from .runs import (
    COMMENTS_REASON, NESTED_REASON, Boundary, Span, body_runs, drop_replies, fallback_run, far_apart, fill_runs,
    finish_lists, is_table_of_lines, learned_boundary, likeliest_paragraph, likeliest_run, reply_regions, split_articles,
    trim_runs, under_named_headline,
)
from .teasers import cut_teaser_tails, drop_excerpt_lists, drop_teaser_lists

__all__ = [
    "COMMENTS_REASON", "CONSENT_REASON", "LINKS_LINE_REASON", "NESTED_REASON", "TABLE_OF_LINES_REASON", "far_apart",
    "group_segments",
]

# A body line has at least one letter: "-1.79", "0.00" and "***" are widgets or rules.
HAS_LETTER = re.compile(r"[^\W\d_]")

# Why a block of these kinds was left out, when it was not taken as metadata.
KIND_REASONS = {
    BlockKind.PROMO: "call to action",
    BlockKind.NOTICE: "copyright notice",
    BlockKind.DATE: "another date line",
    BlockKind.BYLINE: "another byline",
    BlockKind.LINK_LIST: "a text browser's list of the page's links, with the lines below it",
    BlockKind.CODE: "a script's or a style sheet's code",
}

TABLE_OF_LINES_REASON = "boilerplate (a list of lines laid out as a table: headlines, links)"
LINKS_LINE_REASON = "boilerplate (a line of links between separators: a menu)"
CONSENT_REASON = "boilerplate (a cookie consent notice)"
BROWSER_NOTICE_REASON = "boilerplate (a notice about the reader's browser)"
# HTML: a block that is links for at least this share of its text (half: as a
# teaser's headline, teasers.py), with a LINKS_LINE_SEPARATOR between them, is
# a menu's line, whatever its score (the HTML model read a directory page's
# lines of links as prose: cef-665).
LINKS_LINE_MIN_LINK_SHARE = 0.5
LINKS_LINE_SEPARATOR = " | "

# cleaner's own Markdown read back: why each declared block is where it is.
DECLARED_REASONS = {
    Role.TITLE: "title (Markdown heading)",
    Role.META: "metadata line",
    Role.BODY: "article text (Markdown paragraph)",
    Role.CAPTION: "caption (Markdown caption list)",
}

LAYOUT_REASON = "boilerplate (Markdown layout: rule or caption label)"



def group_segments(
    blocks: list[Block], config: CleanerConfig, meta: PageMeta = PageMeta(), boundary: Boundary | None = None,
    dropped: bool = True, html: bool = False, seams: tuple[int, ...] = (), edges: EdgeColumns | None = None,
) -> tuple[list[Article], list[Dropped]]:
    """Articles and dropped blocks; an HTML page's own metadata (meta) fills in
    what its first article's blocks do not say. boundary says where two body
    runs are two articles (default: the learned boundary model). dropped False:
    no dropped blocks are listed (nor their reasons all written), for an output
    that shows only the articles. html: an HTML page (its end is not looked
    for: its comment regions are known from its markup). seams: the blocks
    that open a page of a text dump after its first (seams.py): no article runs
    across one. edges: every block's P(head) and P(foot) (edges.py), if read already."""
    if blocks and blocks[0].declared is not None:
        return _declared_articles(blocks), dropped_blocks(blocks, config) if dropped else []
    is_caption = [is_caption_line(b, blocks) for b in blocks]
    for block in blocks:
        if block.site_boilerplate:
            block.reason = "boilerplate (recurs across the site's pages)"
        elif is_gallery_label(block, is_caption):
            block.reason = "boilerplate (gallery label above captions)"
        elif HAS_LETTER.search(block.text) is None:
            block.reason = "boilerplate (no letters)"
        elif html and is_table_of_lines(block):
            block.reason = TABLE_OF_LINES_REASON
        elif html and _is_links_line(block):
            block.reason = LINKS_LINE_REASON
        elif is_consent_notice(block.text):
            block.reason = CONSENT_REASON
        elif is_browser_notice(block.text):
            block.reason = BROWSER_NOTICE_REASON
        elif block.kind in KIND_REASONS and not is_caption[block.index]:
            block.reason = f"boilerplate ({KIND_REASONS[block.kind]})"
    may_be_body = [not is_caption[b.index] and b.duplicate_of is None and not b.reason for b in blocks]
    is_body = [ok and b.content_score >= config.content_min_score for ok, b in zip(may_be_body, blocks)]
    if not config.keep_comments:
        drop_replies(blocks, may_be_body, is_body, config.comments_article_min_chars)
    runs = _runs(blocks, is_body, may_be_body, is_caption, config, html)
    if boundary is None:
        boundary = learned_boundary(blocks, config, edges)  # one for every page of a dump
    spans = [span for page in _pages_of(runs, seams) for span in split_articles(page, blocks, config, boundary)]
    if html:
        finish_lists(spans, blocks, may_be_body)
    if config.cut_ends:
        cut_ends(spans, blocks, config, edges, html)
    spans = drop_excerpt_lists(spans, blocks, html)
    spans = drop_teaser_lists(spans, blocks, seams)
    if config.cut_ends:  # after: a later article that is all teasers has left whole
        cut_teaser_tails(spans, blocks, html)
    floor = config.fallback_min_score if html else config.text_fallback_min_score
    if not spans and floor < config.content_min_score:
        spans = _fallback_spans(blocks, may_be_body, is_caption, floor, config, html)
    if html:  # a short post under the page's own headline, beside a bigger box of other text
        spans = under_named_headline(spans, blocks, may_be_body, (meta.title, meta.page_title), config)
    articles: list[Article] = []
    kept: list[Span] = []
    previous_end = -1
    for number, span in enumerate(spans):
        page_meta = meta if number == 0 else PageMeta()
        # an article's headline is looked for in its own page: from the last seam above it
        opened = bisect_right(seams, span.start)
        since = max(previous_end, seams[opened - 1] - 1 if opened else -1)
        article, named = build_article(span, blocks, since, is_caption, page_meta, config)
        previous_end = span.end
        # (in its own page: no article runs across a seam)
        if articles and _is_unnamed_tail(article, named, config) and bisect_right(seams, kept[-1].end) == opened:
            _join(articles[-1], kept[-1], article, span)
            continue
        articles.append(article)
        kept.append(span)
    assign_captions(blocks, kept, articles, is_caption)
    return articles, dropped_blocks(blocks, config) if dropped else []


def _is_unnamed_tail(article: Article, named: bool, config: CleanerConfig) -> bool:
    """A later article with no headline (named: a headline-shaped line above
    it, taken for its headline or not; without one a later article has no
    title, the page's own being the first article's), no date and no byline
    of its own, shorter than untitled_article_min_chars: more of the article
    before it (its last paragraphs past a video's caption, a promotion under
    it), not another. (Its metadata line would have been its own: none is lost.)"""
    return (
        not named and article.published is None and article.updated is None and article.byline is None
        and sum(map(len, article.paragraphs)) < config.untitled_article_min_chars
    )


def _join(article: Article, span: Span, tail: Article, tail_span: Span) -> None:
    """The tail's paragraphs (and body blocks) appended to the article before it."""
    article.paragraphs.extend(tail.paragraphs)
    article.formatted.extend(tail.formatted)
    article.formatted_links.extend(tail.formatted_links)
    span.body.extend(tail_span.body)


def _is_links_line(block: Block) -> bool:
    """An HTML block (not a table: tables have rules of their own) of links
    between " | " separators: a menu's line ("Archives | About | Contact")."""
    return (
        block.link_ratio >= LINKS_LINE_MIN_LINK_SHARE and block.tag != "table" and LINKS_LINE_SEPARATOR in block.text
    )


def _fallback_spans(
    blocks: list[Block], may_be_body: list[bool], is_caption: list[bool], floor: float, config: CleanerConfig,
    html: bool,
) -> list[Span]:
    """A page that gave no article at all: its body runs again with lines
    scoring at least floor (fallback_min_score, text_fallback_min_score for a
    text dump), and the most likely of them that is
    mostly sentences (fallback_run) as its one article. A short article (a
    paragraph or two on a busy page) scores lower than a long one. With
    fallback_any_text, a page that has none of those either keeps its likeliest
    run whatever it is (an index page's list of headlines is its main content),
    and a text dump with no such run either its likeliest paragraph, whatever
    its score (likeliest_paragraph: a short post under a page of menus; an HTML
    page's markup has told where its text is, and one with none there has no
    article). An HTML page with no line at floor either reads its runs once
    more with lines scoring at least fallback_relative_share of its likeliest
    line's score: the model scores a page unlike those it learned from (a
    list of job or house ads, a club's calendar, an association's home page)
    low all over, and its text is still where its likeliest lines are. An
    HTML page with comment regions (reply_regions: as drop_replies reads them;
    not with keep_comments) is read so outside them first, and in them only
    when that finds nothing: a short post scored low beside a comment form's
    notices is the article."""

    def run_at(least: float, allowed: list[bool]) -> Span | None:
        """The likeliest run of mostly sentences among the allowed lines
        scoring at least least, else (fallback_any_text) the likeliest run."""
        is_body = [ok and b.content_score >= least for ok, b in zip(allowed, blocks)]
        runs = _runs(blocks, is_body, allowed, is_caption, config, html)
        run = fallback_run(runs, blocks, config)
        if run is None and config.fallback_any_text:
            run = likeliest_run(runs, blocks, config)
        return run

    def likeliest(allowed: list[bool]) -> Span | None:
        """run_at the floor; for an HTML page with no line there, at
        fallback_relative_share of its likeliest line's score."""
        run = run_at(floor, allowed)
        if run is None and config.fallback_any_text and html and config.fallback_relative_share > 0:
            best = max((b.content_score for ok, b in zip(allowed, blocks) if ok), default=0.0)
            if 0.0 < best < floor:  # low all over (with a line at floor and no run, an index page stays empty)
                run = run_at(best * config.fallback_relative_share, allowed)
        return run

    run = None
    replies = reply_regions(blocks) if html and not config.keep_comments else []
    if any(replies):  # outside the comment regions the markup names first (--comments: they are content)
        run = likeliest([ok and not reply for ok, reply in zip(may_be_body, replies)])
    if run is None:
        run = likeliest(may_be_body)
    if run is None and config.fallback_any_text and not html:
        run = likeliest_paragraph(blocks, may_be_body, config)
    return [run] if run is not None else []


def _pages_of(runs: list[Span], seams: tuple[int, ...]) -> list[list[Span]]:
    """The runs of each page of a dump (runs cut where a page opens)."""
    if not seams:
        return [runs]
    pages: list[list[Span]] = [[] for _ in range(len(seams) + 1)]
    for run in runs:
        page = bisect_right(seams, run.start)
        piece = Span([])
        for i in run.body:
            while page < len(seams) and i >= seams[page]:
                if piece.body:
                    pages[page].append(piece)
                    piece = Span([])
                page += 1
            piece.body.append(i)
        pages[page].append(piece)
    return pages


def _runs(
    blocks: list[Block], is_body: list[bool], may_be_body: list[bool], is_caption: list[bool], config: CleanerConfig,
    html: bool,
) -> list[Span]:
    """Body runs of the lines taken as article text, filled and trimmed."""
    runs = body_runs(blocks, is_body, is_caption, config, notices_end=not html)
    fill_runs(runs, blocks, may_be_body, is_caption, config)
    trim_runs(runs, blocks)
    return runs


def _declared_articles(blocks: list[Block]) -> list[Article]:
    """cleaner's own Markdown read back: its layout declared every block's role
    (markdown_blocks); one article per section, nothing left to judge."""
    articles: dict[int, Article] = {}
    metadata: dict[int, str] = {}
    for block in blocks:
        role = block.declared or Role.BODY  # the layout declares every block; None cannot occur
        if role is Role.BOILERPLATE:
            block.reason = LAYOUT_REASON
            continue
        article = articles.setdefault(block.container, Article())
        block.role, block.reason = role, DECLARED_REASONS[role]
        if role is Role.TITLE:
            article.title = block.text
        elif role is Role.META:
            metadata[block.container] = block.text
        elif role is Role.CAPTION:
            article.captions.append(block.text)
        else:
            article.paragraphs.append(block.text)
            article.formatted.append(block.markdown or block.text)
            article.formatted_links.append(block.markdown_links or block.markdown or block.text)
    for section, article in articles.items():
        article.dateline = dateline_of(article.paragraphs[0]) if article.paragraphs else None
        if section in metadata:
            article.published, article.updated, items = parse_metadata_line(metadata[section])
            if article.dateline in items:  # render writes it from the first paragraph too
                items.remove(article.dateline)
            article.byline = METADATA_SEPARATOR.join(items) or None
    return list(articles.values())
