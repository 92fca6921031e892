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
result in a round-up of the night's games)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from ..model import Block
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
# An article is a list of teasers when at least this share of its words are
# in such pairs: most of it, not a paragraph or two under a sub-heading.
TEASER_LIST_MIN_SHARE = 0.7

# An article's tail that is such a list (the section's headlines under a news
# story: cut_teaser_tails) leaves it when it holds at least this many pairs
# and, on an HTML page, its headlines are links (at least this share of their
# characters).
TEASER_LINK_MIN_SHARE = 0.5
TEASER_TAIL_MIN_PAIRS = 3

TEASER_REASON = "a list of other stories (headlines and their summaries), not an article"

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
    if not text[:1].isupper() or text.endswith(TEASER_TITLE_NOT_ENDS) or text.count(" ") > 2 * high:
        return False
    words = text.split()
    return low <= len(words) <= high and (
        max_numbers is None or sum(1 for word in words if any(map(str.isdigit, word))) <= max_numbers
    )


def _is_summary(text: str) -> bool:
    low, high = TEASER_SUMMARY_WORDS
    return (
        low <= len(text.split()) <= high and text.endswith(SENTENCE_END_CHARS)
        and not any(m.group(1).isupper() for m in _INNER_SENTENCE_END.finditer(text))
    )
