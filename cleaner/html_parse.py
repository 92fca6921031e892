"""Stage 2 for HTML, first step: page text -> lxml element tree.

lxml (libxml2) parses; it is about ten times faster than building a
BeautifulSoup tree. libxml2 stops at a nesting depth of 256 elements (2,048
with ``huge_tree``, which also lifts its 10 MB limit on one text or attribute)
and drops everything after that point. A page that hits the limit is parsed a
second time with the tags of its too-deep elements taken out, their text kept:
the text then sits in the deepest element kept. Ordinary pages pay for one
look at the parser's error log only.
"""

from __future__ import annotations

import re
from typing import Any

# Elements nested deeper than this lose their tags (not their text) in the
# second parse: well under libxml2's limit of 2,048, since its count of open
# elements and this module's quick one can differ a little.
MAX_NESTING_DEPTH = 1000
# A tag's start ("<div", "</div") or a comment's.
TAG_START = re.compile(r"<(/?)([A-Za-z][^\s/>]*)|<!--")
# Elements with no end tag: they never open a level.
VOID_TAGS = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr".split()
)
# Elements whose content is text up to their end tag, however tag-like it looks.
RAW_TEXT_TAGS = frozenset("script style textarea title xmp iframe noembed noframes".split())
RAW_TEXT_ENDS = {tag: re.compile(f"</{tag}", re.IGNORECASE) for tag in RAW_TEXT_TAGS}


# An XML declaration at the start of a page: <?xml version="1.0" encoding="utf-8"?>
XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")


def parse_html(html: str, utf8: bytes | None = None) -> Any:
    """The page's root element, or None when lxml finds no document in it.
    utf8: html's UTF-8 encoding, if the caller has it (the bytes it was read from)."""
    from lxml import etree  # lazy: text input never pays for lxml

    # lxml refuses a str that opens with an XML declaration naming an encoding
    # (XHTML pages do): the text is decoded already, so the declaration goes
    if XML_DECLARATION.match(html):
        html, utf8 = XML_DECLARATION.sub("", html, count=1), None
    # libxml2 reads UTF-8 bytes faster than the str (15% of the parse on the
    # dev pages; the same tree): a str holding a lone surrogate is read as it is
    encoding: str | None = "utf-8"
    try:
        source: str | bytes = html.encode("utf-8") if utf8 is None else utf8
    except UnicodeEncodeError:
        source, encoding = html, None
    # collect_ids False: no table of the id attributes (nothing looks elements up by id)
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, huge_tree=True, collect_ids=False, encoding=encoding
    )
    try:
        root = etree.fromstring(source, parser)
        if _too_deep(parser.error_log):
            flat = flatten_deep_nesting(html, MAX_NESTING_DEPTH)
            root = etree.fromstring(flat.encode("utf-8") if encoding else flat, parser)
    except (etree.ParserError, ValueError):
        return None
    return root


def _too_deep(errors: Any) -> bool:
    """Whether libxml2 stopped at its nesting limit ("Excessive depth in document")."""
    return any("depth" in error.message.lower() for error in errors)


def flatten_deep_nesting(html: str, max_depth: int) -> str:
    """html without the start and end tags of elements nested deeper than
    max_depth; all text, and every other tag, is kept as it is.

    A quick tag scanner, not a parser: an end tag closes the nearest open
    element of its name and every element opened after it (an end tag with no
    open element of its name is left alone, as parsers ignore it). One pass,
    forward only: linear in the page's length.
    """
    kept: list[str] = []
    open_tags: list[tuple[str, bool]] = []  # (name, its tags are dropped)
    open_counts: dict[str, int] = {}
    done = position = 0
    while (match := TAG_START.search(html, position)) is not None:
        end = html.find("-->" if match.group(2) is None else ">", match.end())
        if end < 0:
            break  # an unfinished comment or tag runs to the end of the page
        position = end + (3 if match.group(2) is None else 1)
        if match.group(2) is None:
            continue  # a comment: tags inside it are text
        name = match.group(2).lower()
        drop = False
        if match.group(1):  # an end tag
            if open_counts.get(name):
                while True:
                    opened, drop = open_tags.pop()
                    open_counts[opened] -= 1
                    if opened == name:
                        break
        elif name in RAW_TEXT_TAGS:
            closing = RAW_TEXT_ENDS[name].search(html, position)
            if closing is None:
                break  # the rest of the page is this element's text
            position = closing.start()
        elif name not in VOID_TAGS:
            drop = len(open_tags) >= max_depth
            open_tags.append((name, drop))
            open_counts[name] = open_counts.get(name, 0) + 1
        if drop:
            kept.append(html[done:match.start()])
            done = position
    kept.append(html[done:])
    return "".join(kept)
