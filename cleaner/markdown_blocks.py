"""Stage 2, Markdown text: what a Markdown layout says about the line blocks.

Input: the line blocks of a text input (``blocks.py``). Output: the same blocks
with what their Markdown marks say. ATX headings (``# …`` to ``###### …``) become
heading blocks (tag ``h1``–``h6``, text without the marks, the Markdown kept) that
the headline search favours, and ``---`` rules standing between blank lines cut
the page into sections that segments treats like HTML ``<article>`` elements.

A page laid out exactly as cleaner writes Markdown (``render.py``: per article an
optional ``# Title`` and metadata line, the paragraphs, optionally ``Captions:``
and its list; ``---`` between articles; a blank line between chunks) is read back
whole: each block's role is declared by the layout, not guessed, so cleaning
cleaner's own output again gives the same articles (a paragraph that opens
like a layout line was written after a backslash, which is taken off).
"""

from __future__ import annotations

import re

from .model import Block, Role
from .text import (
    ARTICLE_RULE, BYLINE, CAPTION_ITEM_PREFIX, CAPTIONS_LABEL, ESCAPE, ESCAPED_STARTS, LIST_ITEM, METADATA_MARK,
    TITLE_PREFIX, dateline_of, parse_metadata_line,
)

# "## Heading" (closing hashes allowed): the number of marks is the level.
ATX_HEADING = re.compile(r"^(#{1,6}) +(\S.*?)(?: +#+)?$")
# A rule of hyphens between blank lines separates sections. Rules of "*" or "_"
# ("* * *") are left alone: prose uses them for a pause inside one article.
SECTION_RULE = re.compile(r"^-{3,}$")

# Every page this module reads has a line opening with one of these.
LAYOUT_MARKS = ("#", METADATA_MARK, CAPTIONS_LABEL, ARTICLE_RULE)

Chunk = list[Block]  # lines with no blank line between them


def read_markdown_layout(blocks: list[Block]) -> None:
    """Mark headings and sections; declare every block's role when the page is
    laid out as cleaner's own Markdown."""
    if not any(b.text.startswith(LAYOUT_MARKS) for b in blocks):
        return  # no heading, metadata line or caption list: nothing to read
    # cleaner puts a blank line between chunks (list items aside): a dump with
    # lines packed together is not in its layout, and is not parsed for it
    packed = any(not b.blank_before and not LIST_ITEM.match(b.text) for b in blocks)
    sections = None if packed else _sections(_chunks(blocks))
    declared = None if sections is None else _declared_roles(sections)
    if declared is not None:
        for block, role in declared:
            _declare(block, role)
    elif any(b.text.startswith("#") and ATX_HEADING.match(b.text) for b in blocks):
        for block in blocks:
            _read_heading(block)
        sections = sections or _sections(_chunks(blocks))
    else:
        return
    if sections is not None and len(sections) > 1:
        for number, section in enumerate(sections):
            for chunk in section:
                for block in chunk:
                    block.container = number


def _chunks(blocks: list[Block]) -> list[Chunk]:
    chunks: list[Chunk] = []
    for block in blocks:
        if block.blank_before or not chunks:
            chunks.append([block])
        else:
            chunks[-1].append(block)
    return chunks


def _sections(chunks: list[Chunk]) -> list[list[Chunk]]:
    """Chunks cut at rules; a rule chunk opens the section after it."""
    sections: list[list[Chunk]] = [[]]
    for chunk in chunks:
        if len(chunk) == 1 and SECTION_RULE.match(chunk[0].text) and sections[-1]:
            sections.append([])
        sections[-1].append(chunk)
    return sections


def _declared_roles(sections: list[list[Chunk]]) -> list[tuple[Block, Role]] | None:
    """Every block with the role cleaner's Markdown layout gives it, or None when
    the page is not in that layout or has none of its marks (a title, a metadata
    line, a caption list, a rule between articles): blank-line paragraphs alone
    are any text dump."""
    roles: list[tuple[Block, Role]] = []
    marked = False
    for number, section in enumerate(sections):
        chunks = list(section)
        if number > 0:
            if chunks[0][0].text != ARTICLE_RULE:
                return None
            roles.append((chunks.pop(0)[0], Role.BOILERPLATE))
            marked = True
        head = _head_roles(chunks)
        marked = marked or bool(head)
        roles += head
        chunks = chunks[len(head):]
        tail = _caption_roles(chunks)
        if tail:
            chunks = chunks[:-2]
            marked = True
        if not chunks or not all(_is_paragraph_chunk(c) for c in chunks):
            return None
        roles += [(block, Role.BODY) for chunk in chunks for block in chunk]
        roles += tail
    return roles if marked else None


def _head_roles(chunks: list[Chunk]) -> list[tuple[Block, Role]]:
    """The title and metadata chunks a section opens with."""
    head: list[tuple[Block, Role]] = []
    if chunks and len(chunks[0]) == 1 and chunks[0][0].text.startswith(TITLE_PREFIX):
        head.append((chunks[0][0], Role.TITLE))
    rest = chunks[len(head):]
    if len(rest) > 1 and len(rest[0]) == 1 and _is_metadata_line(rest[0][0].text, rest[1][0].text, bool(head)):
        head.append((rest[0][0], Role.META))
    return head


def _is_metadata_line(text: str, first_paragraph: str, after_title: bool) -> bool:
    """"_…_" under a title. Without a title, only when it holds what render
    writes there: a date, the first paragraph's dateline, or a byline (an
    article may also begin with a line in italics)."""
    if len(text) <= 2 * len(METADATA_MARK) or not (text.startswith(METADATA_MARK) and text.endswith(METADATA_MARK)):
        return False
    published, updated, items = parse_metadata_line(text[len(METADATA_MARK): -len(METADATA_MARK)])
    if after_title or published is not None or updated is not None:
        return True
    dateline = dateline_of(first_paragraph)
    return bool(items) and (items[0] == dateline or BYLINE.match(items[-1]) is not None)


def _caption_roles(chunks: list[Chunk]) -> list[tuple[Block, Role]]:
    """A section's closing "Captions:" label and its list."""
    if len(chunks) < 3 or len(chunks[-2]) != 1 or chunks[-2][0].text != CAPTIONS_LABEL:
        return []
    if not all(b.text.startswith(CAPTION_ITEM_PREFIX) for b in chunks[-1]):
        return []
    return [(chunks[-2][0], Role.BOILERPLATE)] + [(b, Role.CAPTION) for b in chunks[-1]]


def _is_paragraph_chunk(chunk: Chunk) -> bool:
    """One paragraph, or list items (written without blank lines between them);
    a title or a rule here is not cleaner's layout (it writes neither as a paragraph)."""
    if len(chunk) == 1:
        return not chunk[0].text.startswith(TITLE_PREFIX) and not SECTION_RULE.match(chunk[0].text)
    return all(LIST_ITEM.match(b.text) for b in chunk)


def _declare(block: Block, role: Role) -> None:
    block.declared = role
    if role is Role.TITLE:
        block.text, block.tag = block.text[len(TITLE_PREFIX):].strip(), "h1"
    elif role is Role.META:
        block.text = block.text[len(METADATA_MARK): -len(METADATA_MARK)].strip()
    elif role is Role.CAPTION:
        block.text = block.text[len(CAPTION_ITEM_PREFIX):].strip()
    elif block.text.startswith(ESCAPE) and block.text[len(ESCAPE):].startswith(ESCAPED_STARTS):
        block.text = block.text[len(ESCAPE):]  # a paragraph render escaped
    else:
        _read_heading(block)  # a sub-heading of the body ("## …"; render escapes "#" in text)


def _read_heading(block: Block) -> None:
    heading = ATX_HEADING.match(block.text)
    if heading:
        block.markdown = block.text
        block.text, block.tag = heading.group(2), f"h{len(heading.group(1))}"
