"""An article from its body run: the headline (the headline-shaped line above
the body that the title model finds likeliest), dates and byline from short
lines around its top, and the page's own metadata for what those do not say."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from ..classify import STOPWORDS
from ..config import CleanerConfig
from ..model import Article, Block, BlockKind, PageMeta, Role
from ..text import SENTENCE_END_CHARS, URL, date_line_rest, dateline_of, find_dates, match_key, words
from .boundary import TOPIC_WORD
from .captions import group_root
from .edges import read_model
from .runs import Span

# Headline candidates (see _find_title) are scored by a small logistic model
# (title_model.json, trained by bench/train_model.py --kind title on the pool's
# pages whose gold opens with their headline, every rendering; it replaced
# weights set by reading the 310 dev dumps), over these features of each
# headline-shaped line above the body (and the body's first line):
TITLE_FEATURES = (
    "distance",  # log(1 + lines between it and the body)
    "repeated_above",  # printed more than once above the body
    "good_words",  # TITLE_GOOD_WORDS words
    "log_words",
    "menu_like",  # ALL CAPS or Every Word Capitalised: menus more often than headlines
    "h1", "h2",  # HTML: the page marks its headline
    "page_title",  # HTML: the line is (part of) the page's own title
    "first_body",  # the body's first line itself
    "body_words",  # share of its topic words the body's first lines hold
    "score",  # the line model's score
    "meta_below", "meta_above", "meta_below_2", "meta_above_2",  # a date or byline 1 (2) lines below (above)
    "ends_colon",  # "Related:", "Share this:" (a label)
    "log_copies",  # copies of it on the page (a headline is printed in several places; so is a menu)
    "link_ratio",  # HTML: its share of linked text
    "digits",  # share of its characters that are digits
)
# A headline usually has this many words.
TITLE_GOOD_WORDS = (5, 25)
# HTML: the elements a page marks its headline with (a headline of one or two words is taken there).
TITLE_HEADING_TAGS = ("h1", "h2")
# The body's first lines read for the words it shares with a candidate.
TITLE_BODY_BLOCKS = 8

# A headline of one or two words must be at least this long (CJK headlines have no spaces).
TITLE_MIN_CHARS_UNSPACED = 15

# Menus and breadcrumbs carry these; headlines do not.
TITLE_BREAKERS = re.compile(r"[»«|›‹•©>]|\s/\s|^[\W\d]")

# Headlines are short; at most this many words.
TITLE_MAX_WORDS = 30



def build_article(
    span: Span, blocks: list[Block], previous_end: int, is_caption: list[bool], meta: PageMeta,
    config: CleanerConfig,
) -> tuple[Article, bool]:
    """The article of a body span, and whether a headline-shaped line stands
    above it (the title model may find none of them likely enough to be its
    headline: an article under one is still an article of its own, not the
    tail of the one before)."""
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
    body = [blocks[i] for i in span.body[:TITLE_BODY_BLOCKS]]
    title, named = _find_title(head, first_body, meta.title, body, config)
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
    return article, named


def _is_title_shaped(block: Block, config: CleanerConfig) -> bool:
    text = block.text
    return (
        config.title_min_chars <= len(text) <= config.title_max_chars
        and (text.count(" ") >= 2 or len(text) >= TITLE_MIN_CHARS_UNSPACED or block.tag in TITLE_HEADING_TAGS)
        and not TITLE_BREAKERS.search(text)
        and date_line_rest(text) is None
        and text.count(" ") + 1 <= TITLE_MAX_WORDS
        and not text.endswith(SENTENCE_END_CHARS)
        and block.kind is BlockKind.TEXT
        and not block.site_boilerplate
        and not URL.search(text)
    )


def _find_title(
    head: list[Block], first_body: list[Block], page_title: str | None, body: list[Block],
    config: CleanerConfig,
) -> tuple[Block | None, bool]:
    """The likeliest headline among the lines above a body (and its first
    line), if the title model finds it at least its min_logit likely, and
    whether there was a headline-shaped line at all; body: the body's first
    lines. A headline-shaped line that is all there is above the body is its
    headline whatever the model says: a page with nothing else above its text
    (a clean document, an article under the one before it) has no menu
    that line could be; the model learned from pages that do."""
    lines, candidates = title_candidates(head, first_body, config)
    if not candidates:
        return None, False
    model = load_title_model(config.title_model)
    rows = title_rows(lines, len(head), candidates, page_title, body)
    logit, best = max((model.logit(row), i) for row, i in zip(rows, candidates))
    if logit < model.min_logit and not (len(head) == 1 and best == 0):
        return None, True
    chosen = lines[best]
    # the headline is its first copy above the body; the later ones are its duplicates
    return next(b for b in lines if b.group == chosen.group), True


def title_candidates(
    head: list[Block], first_body: list[Block], config: CleanerConfig
) -> tuple[list[Block], list[int]]:
    """The lines a headline is looked for in (those above the body, then its
    first line if it has more) and which of them are headline-shaped."""
    lines = head + first_body[:1]
    return lines, [i for i, block in enumerate(lines) if _is_title_shaped(block, config)]


def title_rows(
    lines: list[Block], head_len: int, candidates: list[int], page_title: str | None, body: list[Block]
) -> list[list[float]]:
    """TITLE_FEATURES of each candidate (an index into lines: the lines above
    the body, then its first line at head_len if it is asked)."""
    page_key = match_key(page_title) if page_title else ""
    copies_in_head = Counter(group_root(b) for b in lines[:head_len])
    in_body = {word for block in body for word in _topic_words(block.text)}
    meta = [b.kind in (BlockKind.DATE, BlockKind.BYLINE) for b in lines]

    def meta_at(position: int) -> float:
        return 1.0 if 0 <= position < len(lines) and meta[position] else 0.0

    rows = []
    for position in candidates:
        block = lines[position]
        text = block.text
        n_words = text.count(" ") + 1
        rows.append([
            math.log1p(len(lines) - 1 - position),
            1.0 if copies_in_head[group_root(block)] > 1 else 0.0,
            1.0 if TITLE_GOOD_WORDS[0] <= n_words <= TITLE_GOOD_WORDS[1] else 0.0,
            math.log(n_words),
            1.0 if _menu_like(text) else 0.0,
            1.0 if block.tag == "h1" else 0.0,
            1.0 if block.tag == "h2" else 0.0,
            1.0 if page_key and block.norm and block.norm in page_key else 0.0,
            1.0 if position == head_len else 0.0,
            _shared_share(text, in_body),
            block.content_score,
            meta_at(position + 1), meta_at(position - 1), meta_at(position + 2), meta_at(position - 2),
            1.0 if text.rstrip().endswith(":") else 0.0,
            math.log(max(1, block.copies)),
            block.link_ratio,
            sum(c.isdigit() for c in text) / len(text),
        ])
    return rows


def _shared_share(text: str, in_body: set[str]) -> float:
    """The share of a line's topic words that the body holds."""
    own = _topic_words(text)
    return sum(word in in_body for word in own) / len(own) if own else 0.0


def _topic_words(text: str) -> list[str]:
    """A line's words that say what it is about: of TOPIC_WORD_MIN_CHARS
    letters or more, not a function word."""
    return [word for word in TOPIC_WORD.findall(text.lower()) if word not in STOPWORDS]


class TitleModel:
    """The title model: its weights with their standardisation folded in, and
    the least logit a headline needs."""

    __slots__ = ("intercept", "weights", "min_logit")

    def __init__(self, intercept: float, weights: list[float], min_logit: float) -> None:
        self.intercept, self.weights, self.min_logit = intercept, weights, min_logit

    def logit(self, row: list[float]) -> float:
        return self.intercept + math.fsum(w * x for w, x in zip(self.weights, row))


@lru_cache(maxsize=8)
def load_title_model(path: str | None) -> TitleModel:
    model = read_model(path, "title_model.json")
    if tuple(model["features"]) != TITLE_FEATURES:
        raise ValueError(f"title model {path or 'title_model.json'}: its features are not {TITLE_FEATURES}")
    slopes = [c / s for c, s in zip(model["coef"], model["scale"])]
    intercept = model["intercept"][0] - math.fsum(w * m for w, m in zip(slopes, model["mean"]))
    return TitleModel(intercept, slopes, model["min_logit"])


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
