"""An article from its body run: the headline (the best-scored headline-shaped
line above the body), dates and byline from short lines around its top, and
the page's own metadata for what those do not say."""

from __future__ import annotations

import re
from collections import Counter

from ..config import CleanerConfig
from ..model import Article, Block, BlockKind, PageMeta, Role
from ..text import SENTENCE_END_CHARS, URL, date_line_rest, dateline_of, find_dates, match_key, words
from .captions import group_root
from .runs import Span

# Headline scoring (see _find_title); chosen by reading the dev dumps.
TITLE_DISTANCE_COST = 0.1  # per line between the candidate and the body

TITLE_REPEATED_BONUS = 2.0  # printed more than once above the body

TITLE_GOOD_WORDS = (5, 25)  # a headline usually has this many words...

TITLE_WORDS_BONUS = 1.0  # ...and gets this much for it

TITLE_META_BONUS = 1.5  # next to a date or byline (half of it one line further)

TITLE_MENU_COST = 0.5  # ALL CAPS or Every Word Capitalised: menus more often than headlines

TITLE_HEADING_BONUS = {"h1": 2.0, "h2": 1.0}  # HTML: the page marks its headline

TITLE_PAGE_TITLE_BONUS = 3.0  # HTML: the line is (part of) the page's own title

TITLE_MIN_SCORE = -1.0  # below this no candidate is a headline: title null

# A headline of one or two words must be at least this long (CJK headlines have no spaces).
TITLE_MIN_CHARS_UNSPACED = 15

# Menus and breadcrumbs carry these; headlines do not.
TITLE_BREAKERS = re.compile(r"[»«|›‹•©>]|\s/\s|^[\W\d]")

# Headlines are short; at most this many words.
TITLE_MAX_WORDS = 30



def build_article(
    span: Span, blocks: list[Block], previous_end: int, is_caption: list[bool], meta: PageMeta,
    config: CleanerConfig,
) -> Article:
    article = Article()
    # the lines cut off the body's top are not its headline, nor count toward how far up it is looked for
    cut = frozenset(span.cut_head)
    head_start = max(previous_end + 1, span.start - config.title_search_blocks - len(cut))
    head = [b for b in blocks[head_start: span.start] if not is_caption[b.index] and b.index not in cut]
    first_body = [blocks[i] for i in span.body[:1]] if len(span.body) > 1 else []
    meta_end = span.body[min(3, len(span.body) - 1)] + 1  # the top of the body may hold them too
    # the lines above the body nearest first (a date further up may be the
    # page's or the article's before: a dump of several pages), then the top of the body
    meta_blocks = [b for b in (*blocks[span.start - 1: head_start - 1 if head_start else None: -1],
                               *blocks[span.start:meta_end]) if not is_caption[b.index]]
    title = _find_title(head, first_body, meta.title, config)
    if title is not None:
        # the headline's copies are never paragraphs (a body may take them in as repeats)
        rest = [i for i in span.body if i != title.index and (title.group < 0 or blocks[i].group != title.group)]
        span.body = rest or span.body
        article.title = title.text
        title.role, title.reason = Role.TITLE, "title"
    else:
        article.title = meta.title  # the page's own title (og:title, JSON-LD headline, <h1>)
    for block in meta_blocks:
        _take_meta(article, block, config)
    if article.published is None:
        article.published, article.updated = meta.published, article.updated or meta.updated
    article.byline = article.byline or meta.author
    article.dateline = dateline_of(blocks[span.start].text)
    for i in span.body:
        block = blocks[i]
        if block.role is Role.BOILERPLATE:
            block.role, block.reason = Role.BODY, "article text"
            article.paragraphs.append(block.text)
            article.formatted.append(block.markdown or block.text)
            article.formatted_links.append(block.markdown_links or block.text)
    return article


def _is_title_shaped(block: Block, config: CleanerConfig) -> bool:
    text = block.text
    return (
        config.title_min_chars <= len(text) <= config.title_max_chars
        and (text.count(" ") >= 2 or len(text) >= TITLE_MIN_CHARS_UNSPACED or block.tag in TITLE_HEADING_BONUS)
        and not TITLE_BREAKERS.search(text)
        and date_line_rest(text) is None
        and text.count(" ") + 1 <= TITLE_MAX_WORDS
        and not text.endswith(SENTENCE_END_CHARS)
        and block.kind is BlockKind.TEXT
        and not block.site_boilerplate
        and not URL.search(text)
    )


def _find_title(
    head: list[Block], first_body: list[Block], page_title: str | None, config: CleanerConfig
) -> Block | None:
    """The best headline candidate among the lines above a body (and its first line).

    A headline is headline-shaped, and is usually printed more than once, stands
    next to the date or byline, has a few words rather than one or two, and sits
    close to the body. Candidates are scored on these and the best one wins.
    """
    lines = head + first_body[:1]
    page_key = match_key(page_title) if page_title else ""
    copies_in_head = Counter(group_root(b) for b in head)
    best: tuple[float, int] | None = None
    for position, block in enumerate(lines):
        if not _is_title_shaped(block, config):
            continue
        n_words = block.text.count(" ") + 1
        score = -TITLE_DISTANCE_COST * (len(lines) - 1 - position)
        score += TITLE_REPEATED_BONUS if copies_in_head[group_root(block)] > 1 else 0.0
        score += TITLE_WORDS_BONUS if TITLE_GOOD_WORDS[0] <= n_words <= TITLE_GOOD_WORDS[1] else 0.0
        score -= TITLE_MENU_COST if _menu_like(block.text) else 0.0
        score += TITLE_HEADING_BONUS.get(block.tag, 0.0)
        if page_key and block.norm and block.norm in page_key:
            score += TITLE_PAGE_TITLE_BONUS
        score += max(
            (TITLE_META_BONUS / distance for distance in (1, 2) for near in (position - distance, position + distance)
             if 0 <= near < len(lines) and lines[near].kind in (BlockKind.DATE, BlockKind.BYLINE)),
            default=0.0,
        )
        if best is None or score > best[0]:
            best = (score, position)
    if best is None or best[0] < TITLE_MIN_SCORE:
        return None
    chosen = lines[best[1]]
    # the headline is its first copy above the body; the later ones are its duplicates
    return next(b for b in lines if b.group == chosen.group)


def _menu_like(text: str) -> bool:
    """ALL CAPS, or only capitalised words (none in lower case): a menu or a label."""
    tokens = [t for t in words(text) if not t.isdigit()]
    return bool(tokens) and (text.isupper() or all(t[:1].isupper() for t in tokens))


def _take_meta(article: Article, block: Block, config: CleanerConfig) -> None:
    if block.role is not Role.BOILERPLATE:
        return
    if block.kind is BlockKind.DATE and article.published is None:
        article.published, article.updated = find_dates(block.text)
        block.role, block.reason = Role.META, "date"
    elif block.kind is BlockKind.BYLINE and article.byline is None:
        article.byline = block.text
        block.role, block.reason = Role.META, "byline"
