"""A later "article" of a page that is a list of other stories: a headline,
then its one-sentence summary, again and again ("Inquest report urges more
help for sexually exploited teens", "An inquest report released Thursday into
the suicide of a 14-year-old ..."). News sites print such lists under their
articles (more headlines of the section, of the day); the summaries read as
prose, a body run takes them in and the boundary model opens an article at
them. An article after its page's first whose words lie mostly in such pairs
is no article: it leaves the page. A page's first article is kept whatever it
is (a page that is nothing but such a list is an index page, and the list its
main content). Such a list may also close the article's own body (on an HTML
page, with its headlines as links): that tail leaves the article, unless its
headlines hold two numbers ("Flyers 6 Capitals 4" over a sentence: a game's
result in a round-up of the night's games). Stories listed by their excerpts
(each story's opening cut short with an ellipsis under its headline: a
"Breaking news" ticker, "Latest posts"), three or more in a row, leave any
article they stand in, above its text as well as below."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, compress, count, repeat

from ..model import Block, block_text
from ..text import SENTENCE_END_CHARS
from .runs import Span, trim_end

# A teaser's headline: this many words (at least, at most), opening with a
# capital, ending with no sentence's end, colon or comma. In an article's own
# tail (cut_teaser_tails) it holds at most this many words with digits too: a
# game's result, "Flyers 6 Capitals 4" over a sentence, holds two.
TEASER_TITLE_WORDS = (3, 15)
TEASER_TITLE_NOT_ENDS = SENTENCE_END_CHARS + (":", ",", ";")
TEASER_TITLE_MAX_NUMBERS = 1
# ...and its summary on the next line: one sentence of this many words.
TEASER_SUMMARY_WORDS = (8, 50)
# ...or an excerpt of the story, cut short to fit the list: up to this many
# words, of any number of sentences, ending in an ellipsis straight after a
# word ("... may soon...", "... Active Noise Cancellat...": _EXCERPT_END).
TEASER_EXCERPT_MAX_WORDS = 80
# An article is a list of teasers when at least this share of its words are
# in such pairs: most of it, not a paragraph or two under a sub-heading.
TEASER_LIST_MIN_SHARE = 0.7

# An article's tail that is such a list (the section's headlines under a news
# story: cut_teaser_tails) leaves it when it holds at least this many pairs
# and, on an HTML page, its headlines are links (at least this share of their
# characters).
TEASER_LINK_MIN_SHARE = 0.5
TEASER_TAIL_MIN_PAIRS = 3

# Stories listed by their excerpts (a headline, then the story's opening cut
# short: _EXCERPT_END) at least this many in a row are a list of other
# stories wherever they stand: above the article ("Breaking news"), beside it
# or below. On an HTML page a headline that is a link may open its excerpt's
# block ("[Headline](url) Excerpt..."), as a ticker's items print them.
EXCERPT_LIST_MIN_ITEMS = 3
# A link with the text up to its ")" (Markdown of an HTML block, links kept).
_LEADING_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*\)\s+")

TEASER_REASON = "a list of other stories (headlines and their summaries), not an article"

# The ellipses a cut-short text ends in.
_ELLIPSES = ("...", "…")
# An excerpt's end: an ellipsis straight after a word (a sentence's own end
# has its mark before one); a headline cut short ends so too.
_EXCERPT_END = re.compile(r"\w(?:\.\.\.|…)$")
# ... and in a list of excerpts, also after the comma or full stop where the
# cut fell ("Rekhi, 41,...", "its days numbered....").
_LISTED_EXCERPT_END = re.compile(r"\w[,;:.]?(?:\.\.\.|…)$")
# A sentence ends inside a line: its end mark, closing quotes, spaces, then a capital.
_INNER_SENTENCE_END = re.compile(r"[.!?…][\"”’')]*\s+[\"“‘(]?([^\W\d_])")


def drop_teaser_lists(spans: list[Span], blocks: list[Block], seams: tuple[int, ...]) -> list[Span]:
    """The spans (articles, in order) without those after their page's first
    (seams: the blocks that open a page of a dump) that are lists of teasers;
    the lines of those leave the page with TEASER_REASON."""
    kept: list[Span] = []
    page = -1
    for span in spans:
        opened = bisect_right(seams, span.start)
        if opened == page and _is_teaser_list(span, blocks):
            for i in span.body:
                blocks[i].reason = TEASER_REASON
            continue
        page = opened
        kept.append(span)
    return kept


def drop_excerpt_lists(spans: list[Span], blocks: list[Block], html: bool) -> list[Span]:
    """The spans without the lines of lists of stories by their excerpts
    (_excerpt_lists) that their bodies hold (with TEASER_REASON), and without
    the articles left with no body; as they are if that would leave none (a
    page of such a list alone is an index page, and the list its content)."""
    listed = set(_excerpt_lists(blocks, html))
    if not listed:
        return spans
    bodies = [[i for i in span.body if i not in listed] for span in spans]
    if not any(bodies):
        return spans
    kept = []
    for span, body in zip(spans, bodies):
        for i in listed.intersection(span.body):
            blocks[i].reason = TEASER_REASON
        span.body = body
        if body:
            kept.append(span)
    return kept


def _excerpt_lists(blocks: list[Block], html: bool) -> list[int]:
    """The blocks of every EXCERPT_LIST_MIN_ITEMS or more stories in a row,
    each a headline and its excerpt (on two lines, or on an HTML page in one
    block that opens with the headline as a link). Only the lines that end in
    an ellipsis are asked about (a text dump's lines are many)."""
    ends = list(compress(count(), map(str.endswith, map(block_text, blocks), repeat(_ELLIPSES))))  # loops in C
    if len(ends) < EXCERPT_LIST_MIN_ITEMS:
        return []
    found: list[int] = []
    listed: list[int] = []  # the lines of the items in a row so far
    items = 0
    for end in ends:
        first = _item_start(blocks, end, html)
        if first is None or (listed and first <= listed[-1]):
            continue
        if listed and first != listed[-1] + 1:  # not next to the last item: a new list
            if items >= EXCERPT_LIST_MIN_ITEMS:
                found.extend(listed)
            listed, items = [], 0
        listed.extend(range(first, end + 1))
        items += 1
    if items >= EXCERPT_LIST_MIN_ITEMS:
        found.extend(listed)
    return found


def _item_start(blocks: list[Block], end: int, html: bool) -> int | None:
    """The first line of a story's item whose excerpt ends at line end: the
    headline's line above it, or on an HTML page the line itself (a headline
    that is a link opens it); None if it is no such item."""
    text = blocks[end].text
    if not _is_excerpt(text, _LISTED_EXCERPT_END):
        return None
    if html and blocks[end].link_ratio:
        markdown = blocks[end].markdown_links.lstrip("*-#> ")
        link = _LEADING_LINK.match(markdown)
        if (
            link and _is_title(link.group(1), TEASER_TITLE_MAX_NUMBERS)
            and _is_excerpt(markdown[link.end():], _LISTED_EXCERPT_END)
        ):
            return end
    title = blocks[end - 1].text if end else ""
    if not title.endswith(_ELLIPSES) and _is_title(title, TEASER_TITLE_MAX_NUMBERS):
        return end - 1
    return None


def _is_excerpt(text: str, end: re.Pattern[str] = _EXCERPT_END) -> bool:
    low, _ = TEASER_SUMMARY_WORDS
    return end.search(text) is not None and low <= len(text.split()) <= TEASER_EXCERPT_MAX_WORDS


def cut_teaser_tails(spans: list[Span], blocks: list[Block], html: bool) -> None:
    """An article's body ends above a tail of headlines and their summaries
    (the first line of at least TEASER_TAIL_MIN_PAIRS pairs from which on
    TEASER_LIST_MIN_SHARE of the body's words are in pairs), when the article's
    own words above it (in no pair) are at least as many as the tail's: a post
    that is mostly such a list (a week's round-up under a paragraph) keeps it.
    On an HTML page the headlines are links (TEASER_LINK_MIN_SHARE); a text
    dump does not say. The lines cut leave with TEASER_REASON, and a label left
    at the body's end ("More headlines") with them."""
    for span in spans:
        heads = _pair_heads(blocks, span.start, span.end, linked=html, max_numbers=TEASER_TITLE_MAX_NUMBERS)
        if len(heads) < TEASER_TAIL_MIN_PAIRS:
            continue
        in_pairs = _pair_lines(heads)
        body = span.body
        words = [blocks[i].text.count(" ") + 1 for i in body]
        # the body's words before each line: all, in pairs, in none
        before = list(accumulate(words, initial=0))
        paired = list(accumulate((w if i in in_pairs else 0 for i, w in zip(body, words)), initial=0))
        for head in heads[: len(heads) - TEASER_TAIL_MIN_PAIRS + 1]:
            k = bisect_left(body, head)  # the tail's first body line
            tail = before[-1] - before[k]
            own = before[k] - paired[k]
            if k and paired[-1] - paired[k] >= TEASER_LIST_MIN_SHARE * tail and own >= tail:
                for i in body[k:]:
                    blocks[i].reason = TEASER_REASON
                span.body = body[:k]
                trim_end(span, blocks, keep=1)  # an article keeps a line
                break


def _is_teaser_list(span: Span, blocks: list[Block]) -> bool:
    # the line above the body too: the first headline may have been taken for the article's title
    in_pairs = _pair_lines(_pair_heads(blocks, max(0, span.start - 1), span.end))
    words = [(i, blocks[i].text.count(" ") + 1) for i in span.body]
    total = sum(n for _, n in words)
    return sum(n for i, n in words if i in in_pairs) >= TEASER_LIST_MIN_SHARE * total


def _pair_heads(
    blocks: list[Block], first: int, last: int, linked: bool = False, max_numbers: int | None = None
) -> list[int]:
    """The lines from first up to last (not included) that are a teaser's
    headline with its summary on the next line; linked: the headline is a link
    (TEASER_LINK_MIN_SHARE of it); max_numbers: see _is_title."""
    return [
        i for i in range(first, last)
        if (not linked or blocks[i].link_ratio >= TEASER_LINK_MIN_SHARE)
        and _is_title(blocks[i].text, max_numbers) and _is_summary(blocks[i + 1].text)
    ]


def _pair_lines(heads: list[int]) -> set[int]:
    """The lines of the pairs these headlines open."""
    return {i + k for i in heads for k in (0, 1)}


def _is_title(text: str, max_numbers: int | None = None) -> bool:
    low, high = TEASER_TITLE_WORDS
    # the cheap looks first: most lines asked are paragraphs (more spaces than
    # any headline's words could hold, even doubled)
    if not text[:1].isupper() or text.count(" ") > 2 * high:
        return False
    if text.endswith(TEASER_TITLE_NOT_ENDS) and not _EXCERPT_END.search(text):  # a headline cut short still is one
        return False
    words = text.split()
    return low <= len(words) <= high and (
        max_numbers is None or sum(1 for word in words if any(map(str.isdigit, word))) <= max_numbers
    )


def _is_summary(text: str) -> bool:
    low, high = TEASER_SUMMARY_WORDS
    if _is_excerpt(text):
        return True
    words = len(text.split())
    return (
        low <= words <= high and text.endswith(SENTENCE_END_CHARS)
        and not any(m.group(1).isupper() for m in _INNER_SENTENCE_END.finditer(text))
    )
