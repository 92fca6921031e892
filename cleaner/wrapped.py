"""Stage 2 helpers for text written for a terminal or as Markdown: where a
renderer wrapped its paragraphs at a fixed width, and the inline Markdown marks
of a page written as Markdown.

Text browsers and converters (``lynx -dump``, ``w3m -dump``, html2text,
``pandoc -t plain``) break every paragraph into lines of at most a fixed width
(72-80 columns), where a browser's innerText keeps a paragraph on one line.
A line carries on the one above it when the first word of the line would not
have fitted at the end of that line: the renderer had to wrap there. A page is
taken as wrapped when its lines stop at one width: nearly all of them at most
that wide, and many of them close to it.

html2text and similar tools also write links as ``[text](url)``, images as
``![alt](src)``, bold as ``**text**``, emphasis as ``_text_``, and escape
Markdown characters with a backslash. On a page with such links, the lines of
a paragraph (no blank line between) are one paragraph, as Markdown reads them,
and each block shows its text only.
"""

from __future__ import annotations

import re
from itertools import islice

from .text import SENTENCE_END_CHARS

# A page is looked at for wrapping when it has at least this many non-blank lines.
WRAP_MIN_LINES = 10
# Renderers wrap at a width in this range (columns).
WRAP_MIN_WIDTH = 60
WRAP_MAX_WIDTH = 120
# The wrap width is the width this share of the non-blank lines stay within...
WRAP_WIDTH_SHARE = 0.97
# ...and at least this share of the lines of WRAP_LONG_LINE columns or more
# come within WRAP_BAND columns of it (a wrapped paragraph's full lines).
WRAP_FULL_SHARE = 0.5
WRAP_LONG_LINE = 40
WRAP_BAND = 8
# ...and at most this share of those full lines end a sentence (a wrap cuts a
# sentence anywhere: a list of one-sentence lines of like lengths is not wrapped).
WRAP_MAX_SENTENCE_ENDS = 0.3
# A run of lines (no blank line between) wrapped at a width of its own, where
# the page as a whole has none (a narrow column among wider text, as w3m and
# pdftotext lay a page out): at least this many lines, at least this wide,
# this share of its lines but the last (and two at least, each a line of its
# own: a list repeats lines) within WRAP_BAND columns of its widest, and few
# of those ending a sentence (WRAP_MAX_SENTENCE_ENDS, as for a page).
RUN_WRAP_MIN_LINES = 3
RUN_WRAP_MIN_WIDTH = 20
RUN_WRAP_FULL_SHARE = 0.75
# ...and its full lines hold at least this many words each: a wrap falls
# between words (a list of titles in a script without spaces is not wrapped
# text).
RUN_WRAP_MIN_WORDS = 3
# ...and at least this share of its lines after the first open in lower case:
# a wrap falls before any word, most of them lower-case, where a list's items
# (menus, titles, labels of like lengths) each open with a capital.
RUN_WRAP_MIN_LOWER_SHARE = 0.3
# A line wider than WRAP_MAX_WIDTH once its trailing spaces are taken off, with no URL in it.
WIDE_LINE = re.compile(r"^(?![^\n]*://)[^\n]{%d}[^\n]*?\S" % WRAP_MAX_WIDTH, re.MULTILINE)
# A line opening with one of these starts an item or a heading, never carries on.
ITEM_START = re.compile(r"(?:[-*+•#>|]|\d+[.)]|\[\d+\])(?:\s|$)")

# Inline Markdown. An image (its alt text is not the page's text), then a link
# (its text is), each with an optional title; a URL may hold one level of
# parentheses (wiki links).
_DESTINATION = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)"
MARKDOWN_IMAGE = re.compile(r"!\[[^\]\n]*\]" + _DESTINATION)
MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]" + _DESTINATION)
MARKDOWN_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])")
# Markdown's line break inside a paragraph (html2text writes one for <br>).
HARD_BREAK = "  "
# A delimiter row's cell ("---", ":---:").
DELIMITER_CELL = re.compile(r":?-{3,}:?")
# A GitHub-flavoured Markdown table's delimiter row ("| --- | :---: |"),
# opened and closed by a pipe, as markdownify and pandoc's gfm write it: a
# page that holds one writes its tables' rows between pipes. (html2text
# writes its rows and delimiter rows without the outer pipes: "---|---".)
GFM_DELIMITER_ROW = re.compile(rf"^\|(?: *{DELIMITER_CELL.pattern} *\|)+ *$", re.MULTILINE)
# A table row's cells are split at its pipes, not at an escaped one ("\|").
TABLE_CELL_EDGE = re.compile(r"(?<!\\)\|")
# A page is Markdown when it has at least this many links or images.
MARKDOWN_MIN_LINKS = 2
# A table row at least this long holds a layout table's cell, a page's column
# in it (a data table's row is shorter): markdownify writes such a cell's
# blocks (paragraphs, list items, headings) on its one line, each line break
# of the cell's Markdown made a space, so two or more spaces stand where a
# block ended (CELL_BLOCK_BREAK). Such a row is read as its blocks.
LAYOUT_ROW_MIN_CHARS = 300
CELL_BLOCK_BREAK = re.compile(r" {2,}")
# A quote as Markdown and e-mail write it: each of its lines opens with ">"
# (one a level: "> > " nested), and its blank lines are the marks alone.
# html2text writes a page's <blockquote> so, at times the whole article (old
# pages indent their text with one): read with its marks, each line a quote's,
# the wrapped lines of its paragraphs ran together with "> " inside them. A
# page quotes so when at least QUOTE_MIN_BLANK_LINES of its lines are marks
# alone and at least QUOTE_MIN_LINES more open with them (a ">" before a
# menu's links, or alone as a link's arrow, is no quote); the marks are then
# taken off every line that opens with them.
_QUOTE_MARK = r"^[ \t]*>(?:[ \t]?>)*"  # a line's marks, one a level
QUOTE_MARKS = re.compile(_QUOTE_MARK + r"(?:[ \t]|$)", re.MULTILINE)
QUOTE_BLANK_LINE = re.compile(_QUOTE_MARK + r"[ \t]*$", re.MULTILINE)
QUOTED_LINE = re.compile(_QUOTE_MARK + r"[ \t]+\S", re.MULTILINE)
QUOTE_MIN_BLANK_LINES = 2
QUOTE_MIN_LINES = 3


def wrap_width(lines: list[str]) -> int | None:
    """The width the page's lines were wrapped at, or None when they were not."""
    # a URL is one word a renderer cannot break: its lines may be wider
    written = [line.rstrip() for line in lines if "://" not in line]
    widths = sorted(len(line) for line in written if line)
    if len(widths) < WRAP_MIN_LINES:
        return None
    width = widths[int(WRAP_WIDTH_SHARE * (len(widths) - 1))]
    if not WRAP_MIN_WIDTH <= width <= WRAP_MAX_WIDTH:
        return None
    long = sum(1 for w in widths if w >= WRAP_LONG_LINE)
    full = [line for line in written if width - WRAP_BAND <= len(line) <= width]
    if not long or len(full) < WRAP_FULL_SHARE * long:
        return None
    # a wrap falls anywhere in a sentence; lines of one sentence each end one
    ends = sum(1 for line in full if line.endswith(SENTENCE_END_CHARS))
    return width if ends <= WRAP_MAX_SENTENCE_ENDS * len(full) else None


def run_widths(lines: list[str]) -> list[int] | None:
    """For each line, the width its run of lines (no blank line between) was
    wrapped at, 0 for a run that was not; None when no run was. A run is
    wrapped when its lines but the last stop at one width: at least
    RUN_WRAP_FULL_SHARE of them within WRAP_BAND columns of its widest, which
    is at least RUN_WRAP_MIN_WIDTH, few of those ending a sentence, each of
    RUN_WRAP_MIN_WORDS words and none repeated, and RUN_WRAP_MIN_LOWER_SHARE of
    them open in lower case. (read_input has made every tab a space.)"""
    widths = [0] * len(lines)
    found = False
    start = 0
    while start < len(lines):
        if not lines[start].strip():
            start += 1
            continue
        end = start
        while end + 1 < len(lines) and lines[end + 1].strip():
            end += 1
        if end - start + 1 >= RUN_WRAP_MIN_LINES:
            written = [line.rstrip() for line in lines[start:end]]  # the last line of a paragraph is short
            width = max(len(lines[end].rstrip()), *map(len, written))
            full = [line for line in written if len(line) >= width - WRAP_BAND]
            ends = sum(1 for line in full if line.endswith(SENTENCE_END_CHARS))
            if (width >= RUN_WRAP_MIN_WIDTH and len(full) >= max(2, RUN_WRAP_FULL_SHARE * len(written))
                    and len(set(full)) == len(full) and ends <= WRAP_MAX_SENTENCE_ENDS * len(full)
                    and all(len(line.split()) >= RUN_WRAP_MIN_WORDS for line in full)
                    and sum(line.lstrip()[:1].islower() for line in lines[start + 1: end + 1])
                    >= RUN_WRAP_MIN_LOWER_SHARE * (end - start)):
                widths[start: end + 1] = [width] * (end - start + 1)
                found = True
        start = end + 1
    return widths if found else None


def not_wrapped(text: str) -> bool:
    """Whether wrap_width of text's lines is surely None, found without
    splitting them: more than 1 - WRAP_WIDTH_SHARE of its lines are wider than
    WRAP_MAX_WIDTH (lines holding no URL, their trailing spaces aside), as on
    most pages a browser saved."""
    lines = text.count("\n") + 1
    # wrap_width counts at most this many lines, and with this many wider ones its width is too wide
    return _found_at_least(WIDE_LINE, text, lines - int(WRAP_WIDTH_SHARE * (lines - 1)))


def is_wrapped(previous_raw: str, line: str, width: int) -> bool:
    """Whether line (stripped) carries on previous_raw (the line above it as
    written, indentation included), wrapped at width."""
    if ITEM_START.match(line):
        return False
    first_word = line.split(" ", 1)[0]
    return len(previous_raw.rstrip()) + 1 + len(first_word) > width


def joined_wrap(previous: str, line: str) -> str:
    """line as it joins the line above (previous) where a renderer wrapped it:
    after a space, or right after a hyphen the renderer broke a word or a URL
    at ("cold-" "hearted")."""
    if previous.endswith("-") and previous[-2:-1].isalnum() and line[:1].isalnum():
        return line
    return " " + line


def is_soft_break(previous_raw: str, line: str) -> bool:
    """Markdown: whether line (stripped) carries on the paragraph of the line
    above it (previous_raw, as written). A paragraph's lines are one paragraph,
    but for items, headings, table rows and a hard break (two spaces at the end)."""
    return not (
        ITEM_START.match(line)
        or previous_raw.endswith(HARD_BREAK)
        or previous_raw.lstrip().startswith(("#", "|"))
    )


def is_markdown(text: str) -> bool:
    """Whether a page writes its links or images as Markdown."""
    return text.count("](") >= MARKDOWN_MIN_LINKS and _found_at_least(MARKDOWN_LINK, text, MARKDOWN_MIN_LINKS)


def table_row_text(row: str) -> str:
    """A table row's text (a line opened and closed by a pipe): its cells
    between " | ", the empty ones and a delimiter row's cells left out. A
    layout table written so holds a page's column in one cell, its article
    with it, beside cells of menus and spacers: what counts is the text."""
    cells = (cell.strip() for cell in TABLE_CELL_EDGE.split(row[1:-1]))
    return " | ".join(cell for cell in cells if cell and not DELIMITER_CELL.fullmatch(cell))


def layout_row_blocks(lines: list[str], numbers: list[int] | None) -> tuple[list[str], list[int]] | None:
    """A Markdown page's lines with each layout table's row (a line between
    pipes of at least LAYOUT_ROW_MIN_CHARS) cut into its cells' blocks, a blank
    line between two (each a paragraph of its own), and the number (from 1) of
    the line each comes from (numbers: the lines' own, if they were moved);
    None when no row is that long."""
    rows = [i for i, line in enumerate(lines) if len(line) >= LAYOUT_ROW_MIN_CHARS and _is_row(line.strip())]
    if not rows:
        return None
    blocks: dict[int, list[str]] = {}
    for i in rows:
        row = lines[i].strip()
        pieces = (piece for cell in TABLE_CELL_EDGE.split(row[1:-1]) for piece in CELL_BLOCK_BREAK.split(cell.strip()))
        blocks[i] = [line for piece in pieces if piece and not DELIMITER_CELL.fullmatch(piece) for line in (piece, "")]
    return with_pieces(lines, numbers, blocks)


def with_pieces(
    lines: list[str], numbers: list[int] | None, pieces: dict[int, list[str]]
) -> tuple[list[str], list[int]]:
    """The lines with each line pieces names (by its index) replaced by its
    pieces, and the number (from 1) of the line each comes from (numbers: the
    lines' own, if they were moved; None: 1, 2, 3...)."""
    if numbers is None:
        numbers = list(range(1, len(lines) + 1))
    out: list[str] = []
    out_numbers: list[int] = []
    for i, (line, number) in enumerate(zip(lines, numbers)):
        found = pieces.get(i, [line])
        out.extend(found)
        out_numbers.extend([number] * len(found))
    return out, out_numbers


def _is_row(line: str) -> bool:
    """Whether a (stripped) line is a table's row: opened and closed by a pipe."""
    return len(line) > 1 and line[0] == "|" and line[-1] == "|"


def _found_at_least(pattern: re.Pattern[str], text: str, count: int) -> bool:
    """Whether pattern matches text at least count times (the search stops there)."""
    return sum(1 for _ in islice(pattern.finditer(text), count)) >= count


def without_quote_marks(text: str) -> str:
    """text with its quotes' marks taken off, where it quotes as Markdown and
    e-mail do (QUOTE_MARKS; the lines stay where they are)."""
    if ">" not in text or not _found_at_least(QUOTE_BLANK_LINE, text, QUOTE_MIN_BLANK_LINES):
        return text
    if not _found_at_least(QUOTED_LINE, text, QUOTE_MIN_LINES):
        return text
    return QUOTE_MARKS.sub("", text)


def has_gfm_tables(text: str) -> bool:
    """Whether a Markdown page writes GitHub-flavoured tables: a delimiter
    row between pipes (GFM_DELIMITER_ROW)."""
    return "|" in text and GFM_DELIMITER_ROW.search(text) is not None


def markdown_text(text: str, table_rows: bool = False) -> str:
    """A Markdown block's text: images left out, links, bold and emphasis as
    their text, escapes taken off; with table_rows (the page writes GFM
    tables: has_gfm_tables), a line between pipes as its cells' text."""
    if "](" in text:
        # images first: a link around an image ([![alt](src)](href)) is then an empty link
        text = MARKDOWN_LINK.sub(r"\1", MARKDOWN_IMAGE.sub("", text))
    if table_rows and _is_row(text):
        text = table_row_text(text)
    if "*" in text or "_" in text:
        text = MARKDOWN_EMPHASIS.sub(r"\2", MARKDOWN_STRONG.sub(r"\2", text))
    if "\\" in text:
        text = MARKDOWN_ESCAPE.sub(r"\1", text)
    return " ".join(text.split())
