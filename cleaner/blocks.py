"""Stage 2: decoded text -> list[Block], one block per non-blank line.

A browser's innerText (and most scrapers' get_text()) puts every paragraph,
heading, menu item and caption on a line of its own, so a line is the natural
paragraph-sized unit. Each block remembers its line number, whether blank lines
surround it (paragraph margins in the rendered page), and a kind hint from its
own text: caption credit, date line, byline. Markdown marks (headings, rules,
cleaner's own output layout) are read by ``markdown_blocks``. HTML pages get
their blocks from ``html_blocks`` (one per block-level element) and the same
kind hints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress, count, islice, repeat
from os.path import commonprefix
from types import ModuleType

from .columns import laid_out_in_columns, read_columns, without_borders
from .config import CleanerConfig
from .glued import GLUED_MIN_CHARS, unglued
from .markdown_blocks import read_markdown_layout
from .model import Block, BlockKind, Decoded, InputKind, PageMeta, block_text
from .scripts import mark_code
from .speedups import compiled
from .wrapped import (
    LAYOUT_ROW_MIN_CHARS, has_gfm_tables, is_markdown, is_soft_break, is_wrapped, joined_wrap, layout_row_blocks,
    markdown_text, not_wrapped, run_widths, without_quote_marks, wrap_width,
)
from .text import (
    BYLINE_OPENINGS, CALL_TO_ACTION, CALL_TO_ACTION_MAX_WORDS, CAPTION_CREDIT_ENDINGS, CAPTION_CREDIT_LABELS,
    CAPTION_TAIL_CHARS, COPYRIGHT_NOTICE_PHRASE, HINT_OPENINGS, URL, YEAR_STARTS, date_line_rest, has_caption_credit,
    is_byline, is_copyright_notice,
)

# read_input has turned every other kind of space into " ".
RUNS_OF_SPACES = re.compile(r" {2,}")
# A line that opens with one of these (or with a lower-case letter) and follows
# another line with no blank line between carries on that line's sentence:
# scrapers that write every tag boundary or every source line break as a line
# break (BeautifulSoup get_text, lynx) cut sentences at links, bold words and
# wraps, and a browser never starts a paragraph this way.
CONTINUATION_PUNCTUATION = ",.;:!?)]}%»”’"
# ...unless the line before ends a sentence or a label (then a lower-case line
# is a new item: a menu in lower case, a list).
CLAUSE_END = (".", "!", "?", ":", "…", "|")
# A line that ends on one of these words (or on one of OPEN_END_CHARACTERS: a
# comma, an opening bracket or quote, "&", "/", a dash) stops mid-sentence:
# the next line carries it on whatever it opens with (a link's or a name's
# capital: "the blogger behind the" / "Physician on FIRE, retired ...").
OPEN_END_WORDS = frozenset(
    "the a an of to in on at by for with from into onto about than and or nor but that which whose whom "
    "its their his her our your my this these those as via per between through over under after before "
    "during without within behind like such is are was were be been being has have had will would can "
    "could should may might must not".split()
)
OPEN_END_MAX_CHARS = max(map(len, OPEN_END_WORDS))
OPEN_END_CHARACTERS = (",", "(", "[", "“", "&", "/", "–", "—")
# A capitalised line between a line that stops mid-sentence (on none of
# CLAUSE_END) and a line that opens with one of these carries on the sentence
# above: get_text("\n") writes a link's or a bold phrase's words on a line of
# their own ("Senate Minority Leader" / "Mitch McConnell" / ", who said").
# Not ":" (a label: "Tags" / ": art, design"), nor "..." (a teaser's end), nor
# a full stop before a letter or a digit (a style sheet's ".Headline {"), nor
# "!" (Markdown's image: "![]"); a comma only before a lower-case word (a
# comma before a name or a date: a comment's "Jane Doe" / ", May 8, 2012").
INSIDE_SENTENCE_PUNCTUATION = ".;)%"
# A line indented this much (4 spaces, or a tab) is code or preformatted text,
# never a continuation...
CODE_INDENT = ("    ", "\t")
# ...unless it reads as prose: at least this many words and none of these
# characters. BeautifulSoup's get_text() keeps a text node's own line breaks and
# the markup's indentation after them ("Ideally you want to have everything" /
# "          boxed up and ready to go"). On a page wrapped at a width (lynx, w3m)
# indentation is the renderer's layout (lists, quotes, replies) and the rule holds.
INDENTED_PROSE_MIN_WORDS = 3
CODE_CHARACTERS = "{};=<>\\"
# Lines longer than this are never captions, dates or bylines: not even looked at.
MAX_HINT_CHARS = 1000
# A date line is mostly its date: at most this many other words
# ("Published 11:34 PM EST", "Last Updated At:22:20"); a sentence that mentions a
# date is text.
DATE_LINE_MAX_OTHER_WORDS = 6
# ...and does not sign a quoted social post: "— Jane Doe (@janedoe) May 2,
# 2019" closes an embedded tweet, part of the article when the tweet is (it
# is scored as text), not the page's date.
SOCIAL_SIGNATURE = re.compile(r"\(@\w+\)")
# split_lines' margins: a blank line before (bit 1), after (bit 2)
_BLANK_BEFORE = bytes(b & 1 for b in range(256))
_BLANK_AFTER = bytes(b >> 1 & 1 for b in range(256))


def split_blocks(decoded: Decoded, config: CleanerConfig) -> tuple[list[Block], PageMeta]:
    """Blocks of a page with their kind hints, and what an HTML page says about itself."""
    if decoded.kind is InputKind.HTML:
        from .html_blocks import split_html_blocks  # lazy: text input never loads lxml

        blocks, meta = split_html_blocks(decoded.text, decoded.utf8)
        text_kind = BlockKind.TEXT  # read once: a member read from its enum class is slow (Python 3.11)
        _set_kind_hints([b for b in blocks if b.kind is text_kind], config)
        return blocks, meta
    # the text is taken out of decoded (and, from Python 3.11, a call's
    # arguments are the callee's alone): _split_lines lets go of it once split
    return _split_lines(decoded.take_text(), config), PageMeta()


def _split_lines(text: str, config: CleanerConfig) -> list[Block]:
    """The blocks of a text dump: by cleaner._speedups where it is built (the
    same blocks), else _python_blocks; text wrapped at a width and Markdown
    by _python_blocks. The text is let go of once its lines are split, before
    the blocks are made: a big dump's text and its blocks are not held at once."""
    # a script's code holds braces or "=": a page with neither is not looked at for it
    may_hold_code = "{" in text or "=" in text
    link_numbers = link_numbering(text)  # a text browser's numbered links ("[3]Cookie Policy")
    text, numbers = read_layout(text)
    markdown = is_markdown(text)  # Markdown: a paragraph's lines are one paragraph
    table_rows = markdown and has_gfm_tables(text)  # its tables' rows between pipes: read as their cells
    # a text browser's or converter's dump: paragraphs wrapped at a width (most
    # pages have too many wide lines to be that, found without splitting them)
    lines = None if not_wrapped(text) else text.split("\n")
    width = None if lines is None else wrap_width(lines)
    # else runs of lines wrapped at a width of their own (a narrow column)
    runs = None if lines is None or width is not None else run_widths(lines)
    module = compiled()
    if module is None or width is not None or markdown or numbers is not None or runs is not None:
        if lines is None:
            lines = text.split("\n")
        del text
        blocks = _python_blocks(lines, width, markdown, numbers, runs)
        del lines
    else:
        del lines
        texts, numbers, margins = module.split_lines(
            text, CONTINUATION_PUNCTUATION, "".join(CLAUSE_END), OPEN_END_WORDS, OPEN_END_MAX_CHARS,
            "".join(OPEN_END_CHARACTERS), INSIDE_SENTENCE_PUNCTUATION,
        )
        del text
        blocks = list(map(
            Block, range(len(texts)), texts, memoryview(numbers).cast("i").tolist(), repeat(BlockKind.TEXT),
            map(bool, margins.translate(_BLANK_BEFORE)), map(bool, margins.translate(_BLANK_AFTER)),
        ))
        del texts, numbers, margins
    if not markdown:  # (a Markdown paragraph's lines are one paragraph: its margins are its own)
        read_without_margins(blocks)
    if link_numbers is not None:  # read as the browser writes it without them
        link_numbers.read_link_numbers(blocks)
    if markdown:
        blocks = _markdown_blocks(blocks, table_rows)
    read_markdown_layout(blocks)
    _set_kind_hints(blocks, config)
    if link_numbers is not None:
        blocks = link_numbers.fold_link_lists(blocks)
    if may_hold_code:  # scripts and style sheets a scraper kept as text
        blocks = mark_code(blocks)
    return blocks


def read_without_margins(blocks: list[Block]) -> None:
    """A dump written with no blank line at all says nothing by its margins
    (Common Crawl's WET text, get_text() joined line by line, a browser's text
    with its blank lines taken out): each of its lines is read as standing
    apart, as a browser's paragraph does, not as run together with the next,
    as a menu's items are. The text model learned margins from dumps that
    have them: read as run together, such a dump's paragraphs looked like a
    menu's lines."""
    if len(blocks) > 1 and not any(b.blank_before for b in islice(blocks, 1, None)):
        for block in blocks:
            block.blank_before = block.blank_after = True


def without_common_indent(text: str) -> str:
    """text with the indentation that every line of it has taken off, where it
    is as deep as code's (CODE_INDENT) or deeper: a scraper that indents the
    whole page (get_text() keeps the markup's indentation; a quote's or an
    e-mail's margin) says nothing by it, and each of its lines was read as
    code (or as a list's or a quote's line), none joined to the sentence it
    carries on. A shallower margin (a text browser's 2 or 3 columns) is left:
    a line indented 4 columns past it is its layout's (wrapped.py)."""
    first = _first_indent(text)
    if first is None or not first.startswith(CODE_INDENT):
        return text  # (most pages: the first line that is not blank starts at the margin)
    lines = text.split("\n")
    common = commonprefix([_indent(line) for line in lines if line.strip()])
    if not common.startswith(CODE_INDENT):  # as _split_lines asks of a line
        return text
    return "\n".join(line[len(common):] if line.strip() else line for line in lines)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _first_indent(text: str) -> str | None:
    """The indentation of text's first line that is not blank (None: all are).
    Read line by line from the top (a pattern compiled for it cost start-up a
    tenth of a millisecond; most pages' first line is not blank)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip():
            return _indent(line)
        if end < 0:
            break
        start = end + 1
    return None


def read_layout(text: str) -> tuple[str, list[int] | None]:
    """The text as its lines are read, and each line's number where lines
    were moved (None: they were not): a page that quotes as Markdown and
    e-mail do is read without the quotes' marks (wrapped.without_quote_marks),
    a page indented as a whole is read at its margin (without_common_indent),
    a table drawn as a grid of cells
    (pandoc) is read cell by cell (grids.py), other borders drawn in characters
    (w3m, links) are spaces, a layout drawn in columns is read column by
    column (columns.py), a Markdown layout table's row is cut into its cells'
    blocks (wrapped.layout_row_blocks), and a page written as one line
    (get_text() of minified HTML) is cut where its elements were (glued.py).
    The accounting check (check.py) reads a page the same way."""
    numbers = None
    text = without_common_indent(without_quote_marks(text))
    if "+-" in text:  # a grid's corner (most pages have none: grids.py is not even loaded for them)
        from .grids import has_grids, read_grids

        if has_grids(text):
            lines, numbers = read_grids(text.split("\n"))
            text = "\n".join(lines)
    text = without_borders(text)
    if laid_out_in_columns(text):
        lines, moved = read_columns(text.split("\n"))
        numbers = moved if numbers is None else [numbers[n - 1] for n in moved]
        text = "\n".join(lines)
    if len(text) >= LAYOUT_ROW_MIN_CHARS and is_markdown(text) and has_gfm_tables(text):  # cheapest first
        found = layout_row_blocks(text.split("\n"), numbers)
        if found is not None:
            text, numbers = "\n".join(found[0]), found[1]
    if len(text) >= GLUED_MIN_CHARS:
        found = unglued(text.split("\n"), numbers)
        if found is not None:
            text, numbers = "\n".join(found[0]), found[1]
    return text, numbers


def link_numbering(text: str) -> ModuleType | None:
    """cleaner.link_numbers when a text dump was written with its links numbered,
    else None. Most pages have no "[1]": the module is not even loaded for them."""
    if "[1]" not in text:
        return None
    from . import link_numbers  # lazy: compiles its patterns

    return link_numbers if link_numbers.has_link_numbers(text) else None


def _python_blocks(
    lines: list[str], width: int | None, markdown: bool, numbers: list[int] | None = None, runs: list[int] | None = None
) -> list[Block]:
    """The blocks of a text dump's lines; width: the width they were wrapped
    at (wrapped.wrap_width); markdown: they are Markdown (wrapped.is_markdown);
    numbers: each line's number, where they are not 1, 2, 3... (columns.read_columns);
    runs: each line's run's width, where runs were wrapped (wrapped.run_widths)."""
    blocks: list[Block] = []
    pieces: list[str] = []  # the last block's lines, joined once it is whole (not one by one: quadratic)
    previous_blank = True
    previous_raw = ""
    for k, (number, raw) in enumerate(zip(numbers or count(1), lines)):
        line = RUNS_OF_SPACES.sub(" ", raw).strip() if "  " in raw else raw.strip()
        if not line:
            previous_blank = True
            if blocks:
                blocks[-1].blank_after = True
            continue
        if blocks and not previous_blank:
            if (
                _continues(pieces[-1], line, raw, width is None)
                or (width is not None and is_wrapped(previous_raw, line, width))
                or (runs is not None and runs[k] > 0 and is_wrapped(previous_raw, line, runs[k]))
                or (markdown and is_soft_break(previous_raw, line))
                or _inside_sentence(pieces[-1], line, raw, lines, k)
            ):
                if line[0] in CONTINUATION_PUNCTUATION:
                    pieces.append(line)
                else:  # a renderer that wraps also breaks words at hyphens
                    pieces.append(joined_wrap(pieces[-1], line) if width is not None or markdown or runs else " " + line)
                previous_raw = raw
                continue
            blocks[-1].blank_after = False
        if len(pieces) > 1:
            blocks[-1].text = "".join(pieces)
        blocks.append(Block(index=len(blocks), text=line, line=number, blank_before=previous_blank))
        pieces = [line]
        previous_blank = False
        previous_raw = raw
    if len(pieces) > 1:
        blocks[-1].text = "".join(pieces)
    return blocks


def _markdown_blocks(blocks: list[Block], table_rows: bool = False) -> list[Block]:
    """A Markdown page's blocks as their text shows (wrapped.markdown_text;
    table_rows: its tables' rows as their cells' text), the Markdown kept for
    --links; a block that was only an image (or a table's delimiter row) is left out."""
    kept: list[Block] = []
    for block in blocks:
        written, block.text = block.text, markdown_text(block.text, table_rows)
        if block.text != written and "](" in written:
            block.markdown_links = written
        if block.text:
            block.index = len(kept)
            kept.append(block)
    return kept


def _continues(previous: str, line: str, raw: str, indented_prose: bool) -> bool:
    """Whether line carries on the sentence of the line just above it;
    indented_prose: an indented line that reads as prose may (a page not
    wrapped at a width)."""
    first = line[0]
    if not (first.islower() or first in CONTINUATION_PUNCTUATION or _open_ended(previous)):
        return False
    if raw.startswith(CODE_INDENT) and not (indented_prose and _reads_as_prose(line)):
        return False
    return first in CONTINUATION_PUNCTUATION or not previous.endswith(CLAUSE_END)


def _inside_sentence(previous: str, line: str, raw: str, lines: list[str], k: int) -> bool:
    """Whether line (lines[k], raw as written) is a capitalised piece of the
    sentence that previous (the last piece of the block above) leaves open:
    the line after it opens with INSIDE_SENTENCE_PUNCTUATION (a full stop not
    before another, a letter or a digit), or a comma and a lower-case word."""
    if not line[0].isupper() or previous.endswith(CLAUSE_END) or raw.startswith(CODE_INDENT) or k + 1 == len(lines):
        return False
    following = lines[k + 1].strip()
    if not following or (following[0] == "." and (following[1:2].isalnum() or following[1:2] == ".")):
        return False
    return following[0] in INSIDE_SENTENCE_PUNCTUATION or (following[0] == "," and following[1:].lstrip()[:1].islower())


def _open_ended(previous: str) -> bool:
    """Whether a line stops where no sentence stops: on one of
    OPEN_END_CHARACTERS (a comma, an opening bracket), or, after another word,
    on a word that leads into the next ("the", "of", "and"); previous: the
    last piece of a block, which opens with a space where it carries on the
    block's line above (a lone "in" there follows the block's words)."""
    if previous.endswith(OPEN_END_CHARACTERS):
        return True
    cut = previous.rfind(" ")
    return cut >= 0 and previous[cut + 1:].lower() in OPEN_END_WORDS


def _reads_as_prose(line: str) -> bool:
    return line.count(" ") + 1 >= INDENTED_PROSE_MIN_WORDS and not any(c in line for c in CODE_CHARACTERS)


def _set_kind_hints(blocks: list[Block], config: CleanerConfig) -> None:
    """Each block's kind from its text (every block comes in as TEXT). Pages
    repeat lines (menus, captions): a text's hint is worked out once. Where
    cleaner._speedups is built, only the blocks it marks are asked (most lines
    cannot get a hint, and asking each costs several microseconds)."""
    hints: dict[str, BlockKind] = {}
    for block in compress(blocks, _may_get_hints(blocks, config)):
        hint = hints.get(block.text)
        if hint is None:
            hint = hints[block.text] = _kind_hint(block.text, config)
        block.kind = hint


def _may_get_hints(blocks: list[Block], config: CleanerConfig) -> Iterable[int]:
    """For each block, whether _kind_hint must be asked: by cleaner._speedups
    where it is built, else every block."""
    module = compiled()
    if module is None:
        return repeat(1)
    return module.hint_candidates(  # type: ignore[no-any-return]
        list(map(block_text, blocks)), MAX_HINT_CHARS, CAPTION_TAIL_CHARS, config.meta_max_words, HINT_OPENINGS,
        BYLINE_OPENINGS, CAPTION_CREDIT_ENDINGS, CAPTION_CREDIT_LABELS, YEAR_STARTS, COPYRIGHT_NOTICE_PHRASE,
    )


def _kind_hint(line: str, config: CleanerConfig) -> BlockKind:
    if len(line) > MAX_HINT_CHARS:
        return BlockKind.TEXT
    if has_caption_credit(line):
        return BlockKind.CAPTION
    n_words = line.count(" ") + 1
    if CALL_TO_ACTION.match(line) and (n_words <= CALL_TO_ACTION_MAX_WORDS or URL.search(line)):
        return BlockKind.PROMO
    if is_copyright_notice(line):
        return BlockKind.NOTICE
    if n_words <= config.meta_max_words:
        rest = date_line_rest(line)
        if rest is not None and rest <= DATE_LINE_MAX_OTHER_WORDS and SOCIAL_SIGNATURE.search(line) is None:
            return BlockKind.DATE
        if is_byline(line) and not line.rstrip().endswith((".", "!", "?")):
            return BlockKind.BYLINE
    return BlockKind.TEXT
