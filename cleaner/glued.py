"""Stage 2 helper for text whose lines a scraper glued together: where a
page's HTML has no line breaks (minified), ``get_text()`` with no separator
and lxml's ``text_content()`` write the whole page as one line, its menu, its
paragraphs and its footer run together ("...Powered by FeedBlitzHome Ec
101Clean It...", "...in the spam filter.Ready?Here we go:"). Read as one
line, a page is all article or none of it.

Such a line still shows where its elements were: a sentence's end with the
next sentence's capital right after it, no space between (a paragraph's end
and the next one's start: no one writes that), and runs of spaces (the
markup's own whitespace between two elements; after a word rather than a
sentence's end, where some writers put two spaces). A long line is cut there, each
piece a line of its own with the number of the line it comes from, as
columns.py does for a page laid out in columns. Lines written by a browser
(innerText) or with a separator hold a paragraph each, and are left alone.
"""

from __future__ import annotations

import re
from itertools import compress

from .scripts import dense_in_code_symbols
from .wrapped import with_pieces

# Only a line this long is looked at: a paragraph of a page dumped with its
# line breaks is shorter, nearly always.
GLUED_MIN_CHARS = 1000
# ...and it is cut only where it holds at least this many glued sentence ends
# (a long paragraph may hold a stray double space; a glued page holds many).
GLUED_MIN_JOINS = 3
# Where a line is cut: after a sentence's end (two letters, the last one
# lower-case, then ".", "!" or "?", maybe a closing quote or bracket) right
# before a capital ("filter.Ready?Here"); and at a run of spaces (the
# markup's whitespace between two elements).
GLUED_SENTENCE_END = re.compile(r"[^\W\d_][a-zß-ÿ][.!?][\"”’)\]]?(?=[A-ZÀ-Þ])")
SPACE_RUN = re.compile(r" {2,}")
# ...or where it holds at least GLUED_MIN_JOINS runs of spaces right after a
# word ("Featured Stories  Geeky Parents Are ...": a page whose paragraphs
# end without glued sentences, a menu's and a list's items), unless it reads
# as code (scripts.dense_in_code_symbols: a style sheet's or a script's line
# that textContent kept, whose spaces fall anywhere; scripts.py cuts it into
# its code and its prose).
ELEMENT_GAP = re.compile(r"[^\W_] {2,}(?=\S)")
# A piece holding links glued to each other ("...shivers throughWhy the
# European Union...PrizeThe V SpotIn public break-ups"): a word's lower-case
# letters right before a capitalised word, at least GLUED_MIN_JOINS times and
# once in every GLUED_LINK_CHARS characters, is cut there too. A name written
# so ("WordPress") stands once in a paragraph: the paragraph is not cut.
GLUED_WORDS = re.compile(r"[a-zß-ÿ]{3}(?=[A-ZÀ-Þ][a-zß-ÿ])")
GLUED_LINK_CHARS = 150


def unglued(lines: list[str], numbers: list[int] | None) -> tuple[list[str], list[int]] | None:
    """The lines with each glued line cut into its pieces, and the number (from
    1) of the line each comes from (numbers: the lines' own, if they were
    moved); None if no line is glued."""
    long = compress(range(len(lines)), map(GLUED_MIN_CHARS.__le__, map(len, lines)))  # in C: most lines are short
    cut = {i: pieces for i in long if (pieces := _pieces(lines[i]))}
    return with_pieces(lines, numbers, cut) if cut else None


def _pieces(line: str) -> list[str]:
    """A glued line's pieces (none for a line that is not glued)."""
    joins = [m.end() for m in GLUED_SENTENCE_END.finditer(line)]
    if len(joins) < GLUED_MIN_JOINS and not _glued_elements(line):
        return []
    cuts = sorted({0, *joins, *(m.start() for m in SPACE_RUN.finditer(line)), len(line)})
    pieces = []
    for piece in (line[a:b].strip() for a, b in zip(cuts, cuts[1:])):
        links = [m.end() for m in GLUED_WORDS.finditer(piece)]
        if len(links) >= GLUED_MIN_JOINS and len(links) * GLUED_LINK_CHARS >= len(piece):
            pieces += [piece[a:b] for a, b in zip([0, *links], [*links, len(piece)])]
        elif piece:
            pieces.append(piece)
    return pieces


def _glued_elements(line: str) -> bool:
    """Whether a line holds GLUED_MIN_JOINS runs of spaces after a word and is not code."""
    gaps = ELEMENT_GAP.finditer(line)
    if sum(1 for _ in zip(range(GLUED_MIN_JOINS), gaps)) < GLUED_MIN_JOINS:
        return False
    return not dense_in_code_symbols(line)
