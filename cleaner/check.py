"""The accounting check: every piece of the input ends up in exactly one place.

For a cleaned document, each block (a non-blank line of a text dump, a text
block of an HTML page) must be, exactly once, an article's title or metadata,
one of its paragraphs, one of its captions, or a dropped entry with a reason
(a duplicate also naming the line it repeats). Nothing may be invented: every
title, paragraph and caption taken from the page is a piece of the input.
``check_document`` lists what breaks these rules; an empty list means none.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from .blocks import link_numbering, read_layout
from .model import Document, InputKind, Role
from .read import read_input
from .text import SPACES
from .wrapped import has_gfm_tables, is_markdown, joined_wrap, markdown_text

PLACED_ROLES = {Role.BODY, Role.TITLE, Role.META, Role.CAPTION}
DROPPED_ROLES = {Role.DUPLICATE, Role.BOILERPLATE}


def check_document(document: Document, data: bytes | str, input_format: str = "auto") -> list[str]:
    """Problems with the accounting of document against its input (empty: none)."""
    decoded = read_input(data, input_format=input_format)
    problems = _check_blocks(document)
    problems += _check_outputs(document)
    text = decoded.text
    if decoded.kind is InputKind.TEXT:
        numbering = link_numbering(text)  # asked of the text as read, as blocks.py asks
        text, moved = read_layout(text)  # margin, borders, columns and glued lines read as blocks.py reads them
        lines = text.split("\n")
        numbers = list(range(1, len(lines) + 1)) if moved is None else moved
        # a Markdown page's text as it shows, as blocks.py reads it (None: not Markdown)
        table_rows = has_gfm_tables(text) if is_markdown(text) else None
        problems += _check_lines(document, lines, numbers, table_rows)
        if numbering is not None:  # numbered links are read without their numbers, as blocks.py reads them
            text = numbering.without_link_numbers(text)
        if table_rows is not None:
            text = _markdown_shown(lines, table_rows)
    problems += _check_invention(document, text, decoded.kind)
    return problems


def _markdown_shown(lines: list[str], table_rows: bool) -> str:
    """A Markdown page's text as it shows (wrapped.markdown_text), where an
    output's text is looked for: each line's (a table's row, an item), each
    paragraph's (its lines, between blank lines, joined as blocks.py joins a
    paragraph's: a link's text or address may run over two lines, its
    address broken after a hyphen), and the whole page's read as one."""
    shown = [markdown_text(line.strip(), table_rows) for line in lines]
    paragraphs = [markdown_text(_joined(list(group)), table_rows) for blank, group in groupby(lines, _is_blank)
                  if not blank]
    return "\n".join(shown + paragraphs) + "\n" + markdown_text(_joined(lines))


def _is_blank(line: str) -> bool:
    return not line.strip()


def _joined(lines: list[str]) -> str:
    """Lines joined as a renderer's wrapped lines are (wrapped.joined_wrap)."""
    joined = ""
    for line in filter(None, map(str.strip, lines)):
        joined += joined_wrap(joined, line) if joined else line
    return joined


def _check_blocks(document: Document) -> list[str]:
    problems = []
    dropped = Counter((d.line, d.text) for d in document.dropped)
    for block in document.blocks:
        if block.role in DROPPED_ROLES:
            if dropped[(block.line, block.text)] < 1:
                problems.append(f"line {block.line}: {block.role.value} but not in the dropped list")
            dropped[(block.line, block.text)] -= 1
            if not block.reason:
                problems.append(f"line {block.line}: dropped without a reason")
            if block.role is Role.DUPLICATE and block.duplicate_of is None and "caption" not in block.reason:
                problems.append(f"line {block.line}: a duplicate that names no original")
        elif block.role not in PLACED_ROLES:
            problems.append(f"line {block.line}: no role")
    problems += [f"line {line}: dropped twice or unknown" for (line, _), n in dropped.items() if n > 0]
    return problems


def _check_outputs(document: Document) -> list[str]:
    """The articles hold exactly the body, title and caption blocks, in order."""
    problems = []
    body = [b.text for b in document.blocks if b.role is Role.BODY]
    paragraphs = [p for a in document.articles for p in a.paragraphs]
    if body != paragraphs:
        problems.append(f"{len(paragraphs)} paragraphs out, {len(body)} body blocks in")
    captions = [b.text for b in document.blocks if b.role is Role.CAPTION]
    if captions != [c for a in document.articles for c in a.captions]:
        problems.append("captions out differ from caption blocks")
    titles = Counter(a.title for a in document.articles if a.title)
    for block in document.blocks:
        if block.role is Role.TITLE and titles[block.text] < 1:
            problems.append(f"line {block.line}: a title block that is no article's title")
    return problems


def _check_lines(
    document: Document, lines: list[str], numbers: list[int], table_rows: bool | None = None
) -> list[str]:
    """Text input: every non-blank line (as read: a page laid out in columns
    is read column by column, each line numbered as in the input) is in
    exactly one block. A block starts at a non-blank line and holds the lines
    up to the next block's (a sentence a scraper cut over several lines is one
    block), so the blocks start in the order the lines are read, the first at
    the first non-blank line, unless the lines above it are Markdown that
    shows nothing (table_rows not None: the page is Markdown, and writes GFM
    tables if True): images, empty table rows, their block left out (blocks.py)."""
    written = [(n, line) for n, line in zip(numbers, lines) if line.strip()]
    read = [n for n, _ in written]
    # blocks cut from one line (scripts.py: a line's prose and its code) start at it one after another
    starts = [line for line, _ in groupby(b.line for b in document.blocks)]
    stray = sorted(set(starts) - set(read))[:5]
    if stray:
        return [f"blocks that start on a blank or missing line: {stray}"]
    if table_rows is not None and starts and starts[0] != read[0]:  # every start is a read line (above)
        first = read.index(starts[0])
        above = [line for _, line in written[:first]]
        # nothing shows line by line, or once joined as wrapped lines are (an image's link over two lines)
        if not any(markdown_text(line.strip(), table_rows) for line in above) or not markdown_text(
            _joined(above), table_rows
        ):
            read = read[first:]
    following = iter(read)
    if starts[:1] != read[:1] or not all(start in following for start in starts):  # in read order, each line once
        return ["blocks out of line order"]
    return []


def _check_invention(document: Document, text: str, kind: InputKind) -> list[str]:
    """Every paragraph, caption and title block is a piece of the input, whitespace
    aside (a sentence cut over several lines is joined with a space, or with
    none before punctuation)."""
    if kind is InputKind.HTML:
        return []  # an HTML block's text is its elements' text, not a substring of the markup
    squeezed = SPACES.sub("", text)
    problems = []
    for block in document.blocks:
        if block.role in PLACED_ROLES and SPACES.sub("", block.text) not in squeezed:
            problems.append(f"line {block.line}: output text not found in the input")
    return problems
