"""A later "article" of a page that is a list of other stories: a headline,
then its one-sentence summary, again and again ("Inquest report urges more
help for sexually exploited teens", "An inquest report released Thursday into
the suicide of a 14-year-old ..."). News sites print such lists under their
articles (more headlines of the section, of the day); the summaries read as
prose, a body run takes them in and the boundary model opens an article at
them. An article after its page's first whose words lie mostly in such pairs
is no article: it leaves the page. A page's first article is kept whatever it
is (a page that is nothing but such a list is an index page, and the list its
main content)."""

from __future__ import annotations

import re
from bisect import bisect_right

from ..model import Block
from ..text import SENTENCE_END_CHARS
from .runs import Span

# A teaser's headline: this many words (at least, at most), opening with a
# capital, ending with no sentence's end, colon or comma.
TEASER_TITLE_WORDS = (3, 15)
TEASER_TITLE_NOT_ENDS = SENTENCE_END_CHARS + (":", ",", ";")
# ...and its summary on the next line: one sentence of this many words.
TEASER_SUMMARY_WORDS = (8, 50)
# An article is a list of teasers when at least this share of its words are
# in such pairs: most of it, not a paragraph or two under a sub-heading.
TEASER_LIST_MIN_SHARE = 0.7

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


def _is_teaser_list(span: Span, blocks: list[Block]) -> bool:
    # the line above the body too: the first headline may have been taken for the article's title
    lines = range(max(0, span.start - 1), span.end + 1)
    in_pairs: set[int] = set()
    for i in lines:
        if i + 1 <= span.end and _is_title(blocks[i].text) and _is_summary(blocks[i + 1].text):
            in_pairs.update((i, i + 1))
    words = [(i, blocks[i].text.count(" ") + 1) for i in span.body]
    total = sum(n for _, n in words)
    return sum(n for i, n in words if i in in_pairs) >= TEASER_LIST_MIN_SHARE * total


def _is_title(text: str) -> bool:
    low, high = TEASER_TITLE_WORDS
    return low <= len(text.split()) <= high and text[:1].isupper() and not text.endswith(TEASER_TITLE_NOT_ENDS)


def _is_summary(text: str) -> bool:
    low, high = TEASER_SUMMARY_WORDS
    return (
        low <= len(text.split()) <= high and text.endswith(SENTENCE_END_CHARS)
        and not any(m.group(1).isupper() for m in _INNER_SENTENCE_END.finditer(text))
    )
