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
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .config import CleanerConfig
from .model import Article, Block, BlockKind, Dropped, Landmark, PageMeta, Role
from .text import (
    METADATA_SEPARATOR, SENTENCE_END_CHARS, URL, date_line_rest, dateline_of, find_dates, match_key,
    parse_metadata_line, words,
)

# A long line repeated right next to itself is a gallery caption (image alt and
# caption both printed); shorter repeated pairs are menus. In words.
CAPTION_PAIR_MIN_WORDS = 6
# A body line has at least one letter: "-1.79", "0.00" and "***" are widgets or rules.
HAS_LETTER = re.compile(r"[^\W\d_]")
# A line this short (characters) without a final full stop is a label, not text,
# when it opens or closes a body.
EDGE_LABEL_MAX_CHARS = 40
EDGE_LABEL_REASON = "boilerplate (label at the edge of the body)"
# Pair captions end like sentences or credits; a repeated headline does not.
CAPTION_PAIR_ENDINGS = SENTENCE_END_CHARS + (")",)
# A line this short (in words) right above a caption labels a gallery ("More Images").
GALLERY_LABEL_MAX_WORDS = 4
# Why a block of these kinds was left out, when it was not taken as metadata.
KIND_REASONS = {
    BlockKind.PROMO: "call to action",
    BlockKind.NOTICE: "copyright notice",
    BlockKind.DATE: "another date line",
    BlockKind.BYLINE: "another byline",
}
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
# cleaner's own Markdown read back: why each declared block is where it is.
DECLARED_REASONS = {
    Role.TITLE: "title (Markdown heading)",
    Role.META: "metadata line",
    Role.BODY: "article text (Markdown paragraph)",
    Role.CAPTION: "caption (Markdown caption list)",
}
LAYOUT_REASON = "boilerplate (Markdown layout: rule or caption label)"
# HTML: comments below an article are not the article (CleanerConfig.keep_comments,
# comments_article_min_chars).
COMMENTS_REASON = "comments (the article is outside them)"
NESTED_REASON = "an <article> inside the article (comments or related posts)"


@dataclass
class _Span:
    """One article under construction: the indices of its body blocks."""

    body: list[int] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.body[0]

    @property
    def end(self) -> int:
        return self.body[-1]


def group_segments(
    blocks: list[Block], config: CleanerConfig, meta: PageMeta = PageMeta()
) -> tuple[list[Article], list[Dropped]]:
    """Articles and dropped blocks; an HTML page's own metadata (meta) fills in
    what its first article's blocks do not say."""
    if blocks and blocks[0].declared is not None:
        return _declared_articles(blocks), _dropped(blocks, config)
    is_caption = [_is_caption(b, blocks) for b in blocks]
    for block in blocks:
        if block.site_boilerplate:
            block.reason = "boilerplate (recurs across the site's pages)"
        elif _is_gallery_label(block, is_caption):
            block.reason = "boilerplate (gallery label above captions)"
        elif HAS_LETTER.search(block.text) is None:
            block.reason = "boilerplate (no letters)"
        elif block.kind in KIND_REASONS and not is_caption[block.index]:
            block.reason = f"boilerplate ({KIND_REASONS[block.kind]})"
    may_be_body = [not is_caption[b.index] and b.duplicate_of is None and not b.reason for b in blocks]
    is_body = [ok and b.content_score >= config.content_min_score for ok, b in zip(may_be_body, blocks)]
    if not config.keep_comments:
        _drop_comments(blocks, may_be_body, is_body, config.comments_article_min_chars)
    runs = _body_runs(blocks, is_body, is_caption, config)
    _fill_runs(runs, blocks, may_be_body, is_caption, config)
    _trim_runs(runs, blocks)
    spans = _split_articles(runs, blocks, config)
    articles = []
    previous_end = -1
    for number, span in enumerate(spans):
        page_meta = meta if number == 0 else PageMeta()
        articles.append(_build_article(span, blocks, previous_end, is_caption, page_meta, config))
        previous_end = span.end
    _assign_captions(blocks, spans, articles, is_caption)
    return articles, _dropped(blocks, config)


def _drop_comments(blocks: list[Block], may_be_body: list[bool], is_body: list[bool], min_chars: int) -> None:
    """Comment regions, and <article>s nested in another (by HTML's spec, its
    comments or related posts), leave the body when the article text outside
    them reaches min_chars."""
    # a page has a few sets of regions: each is looked at once (IntFlag arithmetic is slow)
    in_comments = {regions for regions in {b.landmarks for b in blocks} if regions & Landmark.COMMENTS}
    replies = [b.nested or b.landmarks in in_comments for b in blocks] if in_comments else [b.nested for b in blocks]
    if not any(replies):
        return
    outside = sum(len(b.text) for b, body, reply in zip(blocks, is_body, replies) if body and not reply)
    if outside < min_chars:
        return
    for block, reply in zip(blocks, replies):
        if reply:
            may_be_body[block.index] = is_body[block.index] = False
            block.reason = block.reason or (NESTED_REASON if block.nested else COMMENTS_REASON)


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
            article.formatted_links.append(block.markdown or block.text)
    for section, article in articles.items():
        article.dateline = dateline_of(article.paragraphs[0]) if article.paragraphs else None
        if section in metadata:
            article.published, article.updated, items = parse_metadata_line(metadata[section])
            if article.dateline in items:  # render writes it from the first paragraph too
                items.remove(article.dateline)
            article.byline = METADATA_SEPARATOR.join(items) or None
    return list(articles.values())


def _is_caption(block: Block, blocks: list[Block]) -> bool:
    if block.kind is BlockKind.CAPTION:
        return True
    if block.copies < 2 or block.text.count(" ") + 1 < CAPTION_PAIR_MIN_WORDS:
        return False
    if not block.text.endswith(CAPTION_PAIR_ENDINGS):
        return False  # a headline printed twice is not a caption
    neighbours = [blocks[i] for i in (block.index - 1, block.index + 1) if 0 <= i < len(blocks)]
    return any(_root(n) == _root(block) for n in neighbours)


def _is_gallery_label(block: Block, is_caption: list[bool]) -> bool:
    following = block.index + 1
    return (
        block.kind is BlockKind.TEXT
        and following < len(is_caption)
        and is_caption[following]
        and block.text.count(" ") + 1 <= GALLERY_LABEL_MAX_WORDS
        and not block.text.endswith(SENTENCE_END_CHARS)
    )


def _body_runs(
    blocks: list[Block], is_body: list[bool], is_caption: list[bool], config: CleanerConfig
) -> list[_Span]:
    runs: list[_Span] = []
    gap = 0
    for block in blocks:
        if is_body[block.index]:
            if runs and gap <= config.max_gap_blocks:
                runs[-1].body.append(block.index)
            else:
                runs.append(_Span([block.index]))
            gap = 0
        elif not is_caption[block.index]:
            gap += 1
    return runs


def _fill_runs(
    runs: list[_Span], blocks: list[Block], may_be_body: list[bool], is_caption: list[bool], config: CleanerConfig
) -> None:
    """Inside a body run, lines with a middling score are article text too: a
    sub-heading or a list item between paragraphs reads like one only in context."""
    for run in runs:
        members = set(run.body)
        run.body = [
            i for i in range(run.start, run.end + 1)
            if i in members
            or (may_be_body[i] and blocks[i].content_score >= config.content_inside_min_score)
            or (not is_caption[i] and _repeats_inside(blocks[i], members, config))
        ]


def _repeats_inside(block: Block, members: set[int], config: CleanerConfig) -> bool:
    """A line the body already holds, repeated inside the same body, is part of
    it: the same instruction in each step of a recipe, a row label in a plan."""
    return (
        block.duplicate_of is not None
        and block.group in members
        and block.content_score >= config.content_min_score
        and not block.reason
    )


def _trim_runs(runs: list[_Span], blocks: list[Block]) -> None:
    """A body starts and ends with text, not with a short label ("News",
    "More on This Story"): such lines inside a body are sub-headings, at its
    edges they are page furniture."""
    for run in runs:
        while run.body and _is_edge_label(blocks[run.body[0]]):
            blocks[run.body.pop(0)].reason = EDGE_LABEL_REASON
        while run.body and _is_edge_label(blocks[run.body[-1]]):
            blocks[run.body.pop()].reason = EDGE_LABEL_REASON
    runs[:] = [r for r in runs if r.body]


def _is_edge_label(block: Block) -> bool:
    return len(block.text) <= EDGE_LABEL_MAX_CHARS and not block.text.endswith(SENTENCE_END_CHARS)


def _chars(span: _Span, blocks: list[Block]) -> int:
    return sum(len(blocks[i].text) for i in span.body)


def _split_articles(runs: list[_Span], blocks: list[Block], config: CleanerConfig) -> list[_Span]:
    articles: list[_Span] = []
    for run in runs:
        if not _is_body_sized(run, blocks, config):
            continue
        decision = _next_run_decision(articles[-1], run, blocks, config) if articles else "new"
        if decision == "drop":
            continue
        if decision == "new":
            articles.append(_Span([run.start]))
        else:
            articles[-1].body.append(run.start)
        for previous, i in zip(run.body, run.body[1:]):
            # inside a run, a dateline (the next story of an agency feed) or another
            # <article> element starts the next article
            opens = dateline_of(blocks[i].text) or blocks[i].container != blocks[previous].container >= 0
            if opens and _chars(articles[-1], blocks) >= config.min_article_chars:
                articles.append(_Span([i]))
            else:
                articles[-1].body.append(i)
    return articles


def _is_body_sized(run: _Span, blocks: list[Block], config: CleanerConfig) -> bool:
    return (
        _chars(run, blocks) >= config.min_body_chars
        and max(len(blocks[i].text) for i in run.body) >= config.min_longest_line_chars
    )


def _next_run_decision(current: _Span, run: _Span, blocks: list[Block], config: CleanerConfig) -> str:
    """Does a body run continue the current article ("join"), start a new one
    ("new"), or stand too far away and too small to be either ("drop")?"""
    big_enough = _chars(run, blocks) >= config.min_article_chars
    if dateline_of(blocks[run.start].text) and _chars(current, blocks) >= config.min_article_chars:
        return "new"
    if run.start - current.end > config.split_min_gap_blocks:
        return "new" if big_enough else "drop"
    if not big_enough or _chars(current, blocks) < config.min_article_chars:
        return "join"
    before, after = blocks[current.end].container, blocks[run.start].container
    if before != after and after >= 0:
        return "new"  # HTML: another <article> element
    template_repeats = sum(
        1
        for b in blocks[current.end + 1: run.start]
        if b.duplicate_of is not None and b.duplicate_of < current.end
    )
    return "new" if template_repeats >= config.split_min_template_repeats else "join"


def _build_article(
    span: _Span, blocks: list[Block], previous_end: int, is_caption: list[bool], meta: PageMeta,
    config: CleanerConfig,
) -> Article:
    article = Article()
    head_start = max(previous_end + 1, span.start - config.title_search_blocks)
    head = [b for b in blocks[head_start: span.start] if not is_caption[b.index]]
    first_body = [blocks[i] for i in span.body[:1]] if len(span.body) > 1 else []
    meta_end = span.body[min(3, len(span.body) - 1)] + 1  # the top of the body may hold them too
    meta_blocks = [b for b in blocks[head_start:meta_end] if not is_caption[b.index]]
    title = _find_title(head, first_body, meta.title, config)
    if title is not None and title.index == span.start:
        span.body.pop(0)
    if title is not None:
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
    copies_in_head = Counter(_root(b) for b in head)
    best: tuple[float, int] | None = None
    for position, block in enumerate(lines):
        if not _is_title_shaped(block, config):
            continue
        n_words = block.text.count(" ") + 1
        score = -TITLE_DISTANCE_COST * (len(lines) - 1 - position)
        score += TITLE_REPEATED_BONUS if copies_in_head[_root(block)] > 1 else 0.0
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


def _root(block: Block) -> int:
    return block.group


def _take_meta(article: Article, block: Block, config: CleanerConfig) -> None:
    if block.role is not Role.BOILERPLATE:
        return
    if block.kind is BlockKind.DATE and article.published is None:
        article.published, article.updated = find_dates(block.text)
        block.role, block.reason = Role.META, "date"
    elif block.kind is BlockKind.BYLINE and article.byline is None:
        article.byline = block.text
        block.role, block.reason = Role.META, "byline"


def _assign_captions(
    blocks: list[Block], spans: list[_Span], articles: list[Article], is_caption: list[bool]
) -> None:
    listed: dict[int, int] = {}  # duplicate-group root -> article number that lists it
    by_container = {blocks[span.start].container: k for k, span in reversed(list(enumerate(spans)))}
    for block in blocks:
        if not is_caption[block.index] or not articles:
            continue
        # the <article> element holding the caption, else the article it sits in or follows
        number = by_container.get(block.container, -1) if block.container >= 0 else -1
        if number < 0:
            number = max([k for k, span in enumerate(spans) if span.start <= block.index], default=0)
        root = _root(block)
        if root in listed:
            block.role = Role.DUPLICATE
            block.reason = "caption already listed" if listed[root] == number else "repeats an earlier article's caption"
            continue
        listed[root] = number
        block.role, block.reason = Role.CAPTION, "caption"
        articles[number].captions.append(block.text)


def _dropped(blocks: list[Block], config: CleanerConfig) -> list[Dropped]:
    dropped = []
    for block in blocks:
        if block.role in (Role.BODY, Role.TITLE, Role.META, Role.CAPTION):
            continue
        if block.duplicate_of is not None:
            original = blocks[block.duplicate_of]
            block.role = Role.DUPLICATE
            block.reason = block.reason or "duplicate"
            dropped.append(Dropped(block.line, block.text, block.reason, original.line, block.duplicate_score))
            continue
        if not block.reason:
            block.reason = _boilerplate_reason(block, config)
        dropped.append(Dropped(block.line, block.text, block.reason))
    return dropped


def _boilerplate_reason(block: Block, config: CleanerConfig) -> str:
    n_words = block.text.count(" ") + 1
    if block.content_score >= config.content_min_score:
        return f"stray text outside the article body (score {block.content_score:.2f})"
    if n_words <= 4:
        hint = "short link-like line"
    elif not block.text.endswith(SENTENCE_END_CHARS):
        hint = "no sentence punctuation"
    else:
        hint = "low article score"
    return f"boilerplate ({hint}, score {block.content_score:.2f})"
