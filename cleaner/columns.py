"""Stage 2 helper for text laid out in columns: where a renderer drew a page's
layout tables side by side (``w3m -dump``, ``links -dump``, ``pdftotext
-layout``), each line holds a piece of every column: a menu, the article and
a sidebar, each wrapped at its column's width. Read line by line, the
article's sentences come out cut into pieces between menu items.

A region of such lines is found by its gaps (runs of spaces between two
pieces of text on one line). A column starts at a position where many of the
region's lines start a piece of text after a gap, or where a few do beside
another column's text and no words run across it (a gutter); each line is cut at those
positions where a piece of text starts on it (never inside a sentence's
words), and the region is read column by column, top to bottom. A column's runs of lines wrapped at its
width are joined (wrapped.run_widths: the next line's first word would not
have fitted on the line above), as wrapped.py does for a page's full width.
Every line keeps the number of the line it came from.

A renderer that draws a table's borders (w3m in box-drawing characters,
links in ASCII: "+----+", "|") draws them in every line of a layout, where
they stand between the columns' text: they are read as spaces first.

Dumps whose lines hold no such gaps (a browser's innerText, get_text, most
lynx and html2text pages) are not looked at past a quick count.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from itertools import compress

from .wrapped import is_wrapped, joined_wrap, run_widths

# A gap between two columns' text on a line: this many spaces at least.
COLUMN_GAP_SPACES = 3
GAP = r"\S {%d,}(?=\S)" % COLUMN_GAP_SPACES
# A region is at least this many lines with a gap (fewer: a line or two that
# put a label and its value apart, not a layout).
REGION_MIN_GAP_LINES = 3
# A page is laid out in columns when it has a region's lines with a gap, and
# at least this share of its non-blank lines hold one.
LAYOUT_MIN_LINES = REGION_MIN_GAP_LINES
LAYOUT_MIN_SHARE = 0.1
# ...or a region of at least this many lines with a gap, whatever the share (a
# page's head laid out in cells above an article in one column, much longer).
# 10 took the tables of some lynx dumps for a layout (dn-T28).
LAYOUT_REGION_LINES = 20
# A region of columns goes on past at most this many lines without a gap
# (a row where only one column has text, a blank row).
REGION_MAX_SKIP = 2
# A line longer than this is no layout's (a renderer draws a page for a screen
# or a sheet): it ends a region, and it is never cut.
COLUMN_MAX_LINE_CHARS = 1000
# A column starts where at least this share of the region's lines with a gap,
# and at least REGION_MIN_GAP_LINES of them, start a piece of text after two spaces.
COLUMN_MIN_SHARE = 0.25
# ...or where the region's text leaves a gutter: at least GUTTER_MIN_LINES
# lines start a piece of text there beside another column's (not as their
# first piece), and at least GUTTER_MIN_SHARE of the lines with text at that
# position start a piece there (no words run across it). An article's column
# beside a menu holds fewer of a region's lines than the share above where a
# third column, a list of headlines, takes most of them and then stops (links'
# and w3m's nested layout tables).
GUTTER_MIN_LINES = 5
GUTTER_MIN_SHARE = 0.9
# A piece of text starts after at least this many spaces (or at the line's start).
PIECE_GAP_SPACES = 2
# A line is cut where a piece of text starts at a column's start or at most
# this many spaces into the column (a cell's text indented past its border).
CELL_INDENT_SPACES = 2
# No column starts this near a line's start: that is a paragraph's indented
# first line ("   Five minutes. Ashley ...", in each paragraph of a column).
PARAGRAPH_INDENT_SPACES = 4
# A column whose pieces are nearly all (this share of those with text beside
# them in the next column) this short at most is a list's markers ("1.", "•",
# "iv)") set apart from each item's text: it is read with the column after it.
MARKER_MAX_CHARS = 4
MARKER_SHARE = 0.9
# A region with more columns than this is no page layout (a table of figures,
# or text whose spaces fall anywhere): it is read line by line. A layout has a
# few columns, and the columns are asked about one by one.
MAX_COLUMNS = 8
# The box-drawing characters (U+2500-U+257F) a renderer draws a table's
# borders with (w3m: "┃ Home ┃   ┃ After ten years ┃", "┗━━━━┛   ┏━━━━┓")
# are spaces, but on a line that is a horizontal rule alone ("━━━━━━━━": an
# <hr>, as wide as the page's wrapped lines).
BOX_DRAWING = re.compile("[\u2500-\u257f]")
_BORDERS_BLANKED = dict.fromkeys(range(0x2500, 0x2580), " ")
_BORDERED_LINE = re.compile("^(?![\u2500\u2501\u2550]+$).*[\u2500-\u257f].*$", re.M)
# links -dump draws them in ASCII: "+------+" and "|------|" edges, and "|"
# down a cell's sides. A "|" or "+" is a border where such marks stand in one
# column from a "+" (a corner) down to another, on at least FRAME_MIN_LINES
# lines; a "|" between a menu's items, or down a table written without
# corners (html2text's "a | b"), is text.
FRAME_EDGE = re.compile(r"[+|][-=+]*[-=]{3,}[-=+]*[+|]")
FRAME_MIN_LINES = 3
FRAME_MARK = re.compile(r"[|+]")


def laid_out_in_columns(text: str) -> bool:
    """Whether the page holds regions of columns (LAYOUT_MIN_LINES lines with
    a gap, and LAYOUT_MIN_SHARE of its non-blank lines; or a region of
    LAYOUT_REGION_LINES of them)."""
    spaces = " " * COLUMN_GAP_SPACES
    if text.count(spaces) < LAYOUT_MIN_LINES:  # most pages: found at a glance
        return False
    lines = text.split("\n")
    gap = _gap()
    gaps = [spaces in line and gap.search(line) is not None for line in lines]
    if sum(gaps) >= LAYOUT_MIN_SHARE * sum(1 for line in lines if line.strip()):
        return True
    run, last = 0, -len(lines)  # the lines with a gap of the region so far, and the last of them
    for k in compress(range(len(lines)), gaps):  # a region goes on past REGION_MAX_SKIP lines without one
        run = run + 1 if k - last <= REGION_MAX_SKIP + 1 else 1
        if run >= LAYOUT_REGION_LINES:
            return True
        last = k
    return False


def without_borders(text: str) -> str:
    """text with its table borders as spaces: box-drawing characters (but a
    rule's line), and ASCII frames (FRAME_EDGE, and the "|" and "+" down a
    frame's sides)."""
    if BOX_DRAWING.search(text) is not None:
        text = _BORDERED_LINE.sub(lambda line: line.group().translate(_BORDERS_BLANKED), text)
    if "+-" in text and "|" in text:  # an ASCII frame's corner and side
        text = _without_ascii_frames(text)
    return text


def _without_ascii_frames(text: str) -> str:
    """text with its ASCII frames' edges and sides as spaces (the marks of
    each column looked at once: a big dump of a table costs a pass)."""
    lines = text.split("\n")
    marked: dict[int, list[int]] = {}  # column -> the lines with a "|" or "+" there, in order
    for i, line in enumerate(lines):
        if "|" in line or "+" in line:
            for mark in FRAME_MARK.finditer(line):
                marked.setdefault(mark.start(), []).append(i)
    borders: dict[int, set[int]] = {}
    for c, rows in marked.items():
        run = [rows[0]]
        for i in [*rows[1:], -1]:  # -1 ends the last run
            if i == run[-1] + 1:
                run.append(i)
                continue
            corners = [k for k in run if lines[k][c] == "+"]
            if corners and corners[-1] - corners[0] + 1 >= FRAME_MIN_LINES:  # a side, from corner to corner
                for k in range(corners[0], corners[-1] + 1):
                    borders.setdefault(k, set()).add(c)
            run = [i]
    for k, columns in borders.items():
        line = FRAME_EDGE.sub(lambda edge: " " * len(edge.group()), lines[k])
        lines[k] = "".join(" " if c in columns else ch for c, ch in enumerate(line))
    return "\n".join(lines) if borders else text


@cache
def _gap() -> re.Pattern[str]:
    """GAP compiled, when first asked (most pages never ask: start-up does not pay for it)."""
    return re.compile(GAP)


def read_columns(lines: list[str]) -> tuple[list[str], list[int]]:
    """The lines of a page with its regions of columns read column by column
    (each column's wrapped lines joined, a blank line between two columns), and
    the number (from 1) of the line each comes from. (read_input has made every
    tab a space: a column's position is its characters'.)"""
    gap = _gap()
    gaps = [len(line) <= COLUMN_MAX_LINE_CHARS and gap.search(line) is not None for line in lines]
    out: list[str] = []
    numbers: list[int] = []
    i = 0
    while i < len(lines):
        end = _region_end(gaps, i) if gaps[i] else i
        if sum(gaps[i: end + 1]) >= REGION_MIN_GAP_LINES:
            end = _column_tail(lines, i, end)
            for text, number in _read_region(lines[i: end + 1], i + 1):
                out.append(text)
                numbers.append(number)
            i = end + 1
            continue
        out.append(lines[i])
        numbers.append(i + 1)
        i += 1
    return out, numbers


def _column_tail(lines: list[str], first: int, end: int) -> int:
    """The region's last line, taking in the lines after its last line with a
    gap that carry on one of its columns but the first (they start where that
    column starts, and are no wider than the region)."""
    starts = set(_column_starts(lines[first: end + 1])[1:])
    widest = max(map(len, lines[first: end + 1]))
    while end + 1 < len(lines):
        line = lines[end + 1]
        text = line.lstrip(" ")
        if not text or len(line) - len(text) not in starts or len(line) > widest:
            break
        end += 1
    return end


def _region_end(gaps: list[bool], first: int) -> int:
    """The last line of the region that starts at line first (which has a
    gap): the last line with a gap before REGION_MAX_SKIP lines without one."""
    last = first
    i = first + 1
    while i < len(gaps) and i - last <= REGION_MAX_SKIP + 1:
        if gaps[i]:
            last = i
        i += 1
    return last


def _piece_starts(line: str) -> list[int]:
    """Where a piece of text starts on a line: its first character that is
    not a space, and each one after PIECE_GAP_SPACES spaces."""
    first = len(line) - len(line.lstrip(" "))
    if first == len(line):
        return []
    return [first, *(m.start() for m in _piece().finditer(line, first + 1))]


@cache
def _piece() -> re.Pattern[str]:
    """A character (not a space) that PIECE_GAP_SPACES spaces stand before."""
    return re.compile(r"(?<=%s)[^ ]" % (" " * PIECE_GAP_SPACES))


def _column_starts(region: list[str]) -> list[int]:
    """Where the region's columns start (the first at 0)."""
    with_gap = [line for line in region if _gap().search(line)]
    pieces = [_piece_starts(line) for line in with_gap]
    counts = Counter(x for starts in pieces for x in starts)
    beside = Counter(x for starts in pieces for x in starts[1:])
    needed = max(REGION_MIN_GAP_LINES, COLUMN_MIN_SHARE * len(with_gap))
    least_beside = max(REGION_MIN_GAP_LINES, GUTTER_MIN_LINES)
    starts = [0]
    for x in sorted(counts):
        # two starts a character apart are one column's; a paragraph's first line is indented
        if x <= starts[-1] + PIECE_GAP_SPACES or x <= PARAGRAPH_INDENT_SPACES:
            continue
        count = counts[x]
        if count >= needed or (beside[x] >= least_beside and _is_gutter(region, x, count)):
            starts.append(x)
    if len(starts) > MAX_COLUMNS:
        return [0]
    k = 0
    while k < len(starts) - 1:
        # the lines with text right of the column's edge and on its left: is the nearest text on the left a marker?
        lefts = []
        for cut in (_cut(line, starts) for line in region):
            if cut[k + 1].strip():
                left = next((piece for piece in reversed(cut[: k + 1]) if piece.strip()), None)
                if left is not None:
                    lefts.append(left)
        markers = sum(len(piece.strip()) <= MARKER_MAX_CHARS for piece in lefts)
        if lefts and markers >= MARKER_SHARE * len(lefts):
            del starts[k + 1]  # a column of markers: its items' text is in the next one
        else:
            k += 1
    return starts


def _is_gutter(region: list[str], x: int, count: int) -> bool:
    """Whether position x is a gutter: of the region's lines with text at x,
    GUTTER_MIN_SHARE start a piece there (count of them), the others run a
    piece across it."""
    gap = " " * PIECE_GAP_SPACES
    across = sum(1 for line in region if x < len(line) and line[x] != " " and line[x - PIECE_GAP_SPACES: x] != gap)
    return count >= GUTTER_MIN_SHARE * (count + across)


def _cut(line: str, starts: list[int]) -> list[str]:
    """The line's piece in each column: cut at each column start where a
    piece of text starts on it (after PIECE_GAP_SPACES spaces); elsewhere
    the piece it is in goes on (a line is never cut inside a sentence's
    words: one column's text set a single space from the next's stays with it)."""
    pieces = [""] * len(starts)
    column, begin = 0, 0
    for k, x in enumerate(starts[1:], start=1):
        if x >= len(line):
            break
        at = x  # a cell's text may start a space or two into its column
        while at < x + CELL_INDENT_SPACES and at + 1 < len(line) and line[at] == " ":
            at += 1
        if line[at] == " " or line[at - PIECE_GAP_SPACES: at] != " " * PIECE_GAP_SPACES:
            continue
        pieces[column] = line[begin:at]
        column, begin = k, at
    pieces[column] = line[begin:]
    return pieces


def _read_region(region: list[str], first_number: int) -> list[tuple[str, int]]:
    """A region's lines, column by column: each column's pieces top to bottom,
    its runs wrapped at a width of their own joined (wrapped.run_widths), a
    blank line where the column has none and between columns."""
    starts = _column_starts(region)
    if len(starts) < 2:
        return [(line, first_number + k) for k, line in enumerate(region)]
    cut = [_cut(line, starts) for line in region]
    read: list[tuple[str, int]] = []
    for column in range(len(starts)):
        pieces = [line[column].rstrip() for line in cut]
        widths = run_widths(pieces) or [0] * len(pieces)
        previous_raw = ""
        for k, (raw, width) in enumerate(zip(pieces, widths)):
            text = raw.strip()
            if not text:
                if previous_raw:
                    read.append(("", first_number + k))
                previous_raw = ""
                continue
            if previous_raw and width and is_wrapped(previous_raw, text, width):
                joined, number = read[-1]
                read[-1] = (joined + joined_wrap(joined, text), number)
            else:
                read.append((text, first_number + k))
            previous_raw = raw
        read.append(("", first_number + len(region) - 1))
    return read
