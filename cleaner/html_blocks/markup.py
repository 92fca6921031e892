"""A block's Markdown: emphasis and link marks woven into its text pieces on
first use, code blocks fenced, data tables as Markdown tables."""

from __future__ import annotations

import re
from typing import Any

from ..text import SPACES
from .regions import MAX_CLASS_CHARS

# A table holding any of these lays out the page; a data table holds short cells only.
LAYOUT_TAGS = frozenset("table p div ul ol dl h1 h2 h3 h4 h5 h6 blockquote pre form iframe".split())

MAX_DATA_CELL_CHARS = 200

INLINE_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**", "code": "`"}

# What a mark is: a link's bracket, or emphasis opening or closing.
LINK_MARK, OPENING, CLOSING = 0, 1, 2

# Elements that put Markdown marks around their text.
MARK_TAGS = frozenset(INLINE_MARKS) | {"a"}

# A code block's language, as highlighters name it in a class: "language-python", "lang-js".
CODE_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#.-]+)")

LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")

BACKTICK_RUNS = re.compile(r"`+")


class WovenMarkup:
    """A block's text pieces and its marks, kept aside by the walk (model.Markup):
    its Markdown is woven only when asked."""

    __slots__ = ("pieces", "marks", "emphasis_marks", "spaced", "prefix")

    def __init__(
        self, pieces: list[str], marks: list[tuple[int, str, int]], emphasis_marks: int, spaced: str, prefix: str
    ) -> None:
        self.pieces = pieces
        self.marks = marks  # (pieces before it, mark, LINK_MARK/OPENING/CLOSING)
        self.emphasis_marks = emphasis_marks  # how many of the marks are not link marks
        self.spaced = spaced  # the text with single spaces: the Markdown of a block without emphasis, before tidying
        self.prefix = prefix  # the heading, list item or quote mark

    def render(self) -> tuple[str, str]:
        """The block's Markdown without and with its links."""
        emphasised = single_spaced(self._woven(links=False)) if self.emphasis_marks else self.spaced
        markdown = _tidy(emphasised)
        markdown_links = markdown
        if self.emphasis_marks != len(self.marks):  # it has link marks
            markdown_links = _tidy(single_spaced(self._woven(links=True)))
        return self.prefix + markdown, self.prefix + markdown_links

    def _woven(self, links: bool) -> str:
        """The block's text with its emphasis marks, and its link marks if asked."""
        pieces, marks = self.pieces, self.marks
        woven: list[str] = []
        openings: list[int] = []  # where in woven the emphasis openings are
        paired = _paired_emphasis(marks)
        done = 0
        for number, (position, mark, kind) in enumerate(marks):
            if kind == LINK_MARK and not links or kind != LINK_MARK and number not in paired:
                continue
            woven.extend(pieces[done:position])
            done = position
            if kind == CLOSING:  # emphasis hugs its text: "**bold** ", not "**bold **"
                spaces = ""
                before = len(woven) - 1
                while before >= 0 and woven[before][-1:] in ("", " ", "\n"):  # marks end in no space
                    stripped = woven[before].rstrip()
                    spaces = woven[before][len(stripped):] + spaces
                    woven[before] = stripped
                    if stripped:
                        break
                    before -= 1
                woven.extend((mark, spaces))
                continue
            if kind == OPENING:
                openings.append(len(woven))
            woven.append(mark)
        woven.extend(pieces[done:])
        for at in openings:  # " **bold**", not "** bold**"
            spaces = ""
            after = at + 1
            while after < len(woven) and woven[after][:1].isspace():  # marks never start with a space
                stripped = woven[after].lstrip()
                spaces += woven[after][: len(woven[after]) - len(stripped)]
                woven[after] = stripped
                if stripped:
                    break
                after += 1
            woven[at] = spaces + woven[at]
        return "".join(woven)


def _paired_emphasis(marks: list[tuple[int, str, int]]) -> set[int]:
    """The numbers of the emphasis marks that open and close in the same block
    (a block boundary inside <b>…</b> leaves each part one mark only)."""
    paired: set[int] = set()
    opened: list[tuple[str, int]] = []
    for number, (_, mark, kind) in enumerate(marks):
        if kind == OPENING:
            opened.append((mark, number))
        elif kind == CLOSING and opened and opened[-1][0] == mark:
            paired.update((opened.pop()[1], number))
    return paired


def blank(pieces: list[str], start: int) -> bool:
    """Whether pieces[start:] hold no text but spaces."""
    return all(piece.isspace() for piece in pieces[start:])


def code_language(pre: Any) -> str:
    """The language a <pre> or its <code> names in its class ("language-python"), else ""."""
    candidates = [pre]
    first = next((child for child in pre if isinstance(child.tag, str)), None)
    if first is not None and first.tag == "code":
        candidates.append(first)
    for element in candidates:
        names = element.get("class")
        match = CODE_LANGUAGE.search(names[:MAX_CLASS_CHARS]) if names else None
        if match:
            return match.group(1)
    return ""


def code_text(raw: str) -> str:
    """Preformatted text as it stands, without the blank lines around it."""
    return LEADING_BLANK_LINES.sub("", raw).rstrip()


def fenced(code: str, language: str) -> str:
    """A Markdown fenced code block, its fence longer than any run of backticks in the code."""
    longest = max((len(run) for run in BACKTICK_RUNS.findall(code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def is_data_table(element: Any) -> bool:
    """A table of short cells with no paragraphs, lists or tables inside: data,
    not page layout (old pages lay out whole pages with tables)."""
    rows = 0
    for inner in element.iter():
        tag = inner.tag if isinstance(inner.tag, str) else ""
        if tag in LAYOUT_TAGS and inner is not element:
            return False
        if tag == "tr":
            rows += 1
        elif tag in ("td", "th") and len(cell_text(inner)) > MAX_DATA_CELL_CHARS:
            return False
    return rows >= 2


def cell_text(cell: Any) -> str:
    return SPACES.sub(" ", "".join(cell.itertext())).strip().replace("|", "\\|")


def single_spaced(text: str) -> str:
    """Runs of spaces made one space, none at the ends (str.split's spaces are those of \\s)."""
    return " ".join(text.split())


def _tidy(text: str) -> str:
    """Markdown without empty marks or spaces inside link brackets (text is single-spaced)."""
    # the patterns are tried only where they can match: most blocks need neither
    if any(map(text.__contains__, EMPTY_MARK_PARTS)):
        text = EMPTY_MARKS.sub("", text)
    if any(map(text.__contains__, LINK_INNER_SPACE_PARTS)):
        text = LINK_INNER_SPACE.sub(lambda m: f"[{m.group(1).strip()}]", text)
    return text


# Marks left around nothing ("``", "[](…)"; empty emphasis gets no marks), and
# spaces just inside link brackets.
EMPTY_MARKS = re.compile(r"``|\[\s*\](?:\([^)]*\))?")

LINK_INNER_SPACE = re.compile(r"\[(\s+[^\[\]]*?|[^\[\]]*?\s+)\](?=\()")

# What every match of these holds once runs of spaces are single " " (as _tidy gets its text).
EMPTY_MARK_PARTS = ("``", "[]", "[ ]")

LINK_INNER_SPACE_PARTS = ("[ ", " ](")
