"""The one walk over a parsed page: every element visited once with
``etree.iterwalk`` (no recursion), the text of one block gathered at a time."""

from __future__ import annotations

from typing import Any

from ..model import Block, BlockKind, Landmark
from ..text import ZERO_WIDTH
from .markup import (
    CLOSING, INLINE_MARKS, LINK_MARK, MARK_TAGS, OPENING, WovenMarkup, blank, cell_text, code_language, code_text,
    fenced, is_data_table, single_spaced,
)
from .regions import COMMENTS, MAX_CLASS_CHARS, PAGE_TAGS, QUOTE, ROLE_BITS, TAG_BITS, named_landmarks

# Elements whose content is never page text.
# (<head> itself is walked: libxml2 leaves elements it does not know, such as
# <article> before any <body>, inside it. An <object>'s content is page text:
# its fallback, which a browser with no plugin for it shows; an <embed> holds
# none, but libxml2 leaves it open around what follows it.)
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe title meta link base canvas select "
    "option button input textarea map audio video".split()
)

# Elements that start and end a block of their own (as a browser's layout does).
BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul caption legend".split()
)

HEADINGS = {f"h{n}": n for n in range(1, 7)}

# Elements whose Markdown opens with a mark of their own (else only a quote's "> " can).
PREFIX_TAGS = frozenset(HEADINGS) | {"li"}

# Paragraph-like elements have margins: a blank line around them in innerText.
MARGIN_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 blockquote pre ul ol dl table figure hr".split())

# Wrappers that do not make a region of their own (a list is part of its parent's text).
INLINE_PARENTS = frozenset("ul ol dl li tbody thead tfoot tr a span font b i em strong".split())

# Elements whose start does more than open a frame: marks, list item numbers,
# the alt text of a figure's image.
OPENING_TAGS = MARK_TAGS | {"li", "img"}

# Elements that end the block being gathered where they start and where they end.
BREAK_TAGS = BLOCK_TAGS | {"br"}

# A block of these elements is a caption.
CAPTION_TAGS = frozenset(("figcaption", "caption"))

# The kinds a block starts with, as plain names (reading a member from its enum class is slow).
TEXT, CAPTION = BlockKind.TEXT, BlockKind.CAPTION

# One open element during the walk: its tag, its Landmark bits, the number of
# the <article> holding it (-1: none) and its own number in the walk (an id).
# A plain tuple: the walk makes one per element, and an object costs several
# times more.
_Frame = tuple[str, int, int, int]

ROOT_FRAME: _Frame = ("", 0, -1, -1)


class Walker:
    """One walk over a parsed page, gathering the text of one block at a time.

    The block's text is kept as its plain pieces; emphasis and link marks are
    kept aside, each with the number of pieces before it; a block that has any
    keeps them (WovenMarkup), and its Markdown is woven only if it is asked for.
    """

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.stack: list[_Frame] = [ROOT_FRAME]
        self.list_numbers: dict[int, int] = {}  # <ol> frame number -> the last item number given
        self.landmark_sets: dict[int, Landmark] = {}
        self.name_bits: dict[str, int] = {}  # class or id value -> the regions it names
        self.articles = 0
        self.nested_articles: set[int] = set()  # numbers of the <article>s inside another one
        self.link_depth = 0
        # the block being gathered
        self.pieces: list[str] = []
        self.marks: list[tuple[int, str, int]] = []  # (pieces before it, mark, LINK_MARK/OPENING/CLOSING)
        self.emphasis_marks = 0  # how many of the marks are not link marks
        self.link_chars = 0
        self.line = 0
        self.marked_up = False  # emphasis or links were added: Markdown differs from the text

    def walk(self, root: Any) -> list[Block]:
        from lxml import etree

        # This loop runs twice for every element of the page (its start and its
        # end), so the common work is written out here on locals; rarer elements
        # go to methods.
        stack, pieces, name_bits = self.stack, self.pieces, self.name_bits
        elements = 0
        skipped = False  # the last element started was skipped: the next event is its end
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            if event == "end":
                if skipped:  # its tail was taken at its start
                    skipped = False
                    continue
                tag = stack[-1][0]  # the element's own frame (reading element.tag costs more)
                if tag in MARK_TAGS:
                    self._close(tag, element)
                if tag in BREAK_TAGS:
                    if pieces:
                        self._flush()
                    else:  # _flush's own answer to an empty block, without the call
                        self.line = 0
                    if tag in HEADINGS and stack[-1][1] & COMMENTS and not stack[-2][1] & COMMENTS:
                        self._comments_follow()
                stack.pop()
                text = element.tail
                if text:
                    pieces.append(text)
                    if self.link_depth:
                        self.link_chars += len(text.strip())
                continue
            tag = element.tag
            if tag in SKIP_TAGS or not isinstance(tag, str) or not tag:
                walker.skip_subtree()  # its "end" comes next: its tail is taken now
                self._text(element.tail)
                skipped = True
                continue
            parent = stack[-1]
            container = parent[2]
            if tag == "article":
                if container >= 0:
                    self.nested_articles.add(self.articles)
                container = self.articles
                self.articles += 1
            if tag in BREAK_TAGS:
                if pieces:
                    self._flush()
                else:
                    self.line = 0
            elements += 1
            # the element's regions: its tag's, its class and id values' (looked up
            # in this walk's cache first: pages repeat the same few) and its role's
            # (<html> and <body>: their class and id name the page, see PAGE_TAGS)
            bits = parent[1] | TAG_BITS.get(tag, 0)
            if tag not in PAGE_TAGS:
                names = element.get("class")
                if names:
                    bits |= name_bits[names] if names in name_bits else self._name_bits(names)
                names = element.get("id")
                if names:
                    bits |= name_bits[names] if names in name_bits else self._name_bits(names)
                role = element.get("role")
                if role:
                    bits |= ROLE_BITS.get(role.strip().lower(), 0)
            stack.append((tag, bits, container, elements))
            if tag in OPENING_TAGS:
                self._open(tag, element, parent)
            if not self.line:
                self.line = element.sourceline or 0
            text = element.text
            if tag == "table" and is_data_table(element):
                self._text(text)
                self._table(element)
                walker.skip_subtree()
            elif tag == "pre":
                self._pre(element)
                walker.skip_subtree()
            elif text:
                pieces.append(text)
                if self.link_depth:
                    self.link_chars += len(text.strip())
        self._flush()
        return self.blocks

    def _comments_follow(self) -> None:
        """A heading that names the comments ("<h2 id="comments">Comments</h2>")
        heads them: the rest of its parent is the comments region, though the
        comments themselves stand beside it, not inside."""
        tag, bits, container, number = self.stack[-2]
        self.stack[-2] = (tag, bits | COMMENTS, container, number)

    def _name_bits(self, names: str) -> int:
        """The regions a class or id value names, kept for the rest of the walk."""
        bits = self.name_bits[names] = named_landmarks(names[:MAX_CLASS_CHARS])
        return bits

    def _text(self, text: str | None) -> None:
        if not text:
            return
        self.pieces.append(text)
        if self.link_depth:
            self.link_chars += len(text.strip())

    def _open(self, tag: str, element: Any, parent: _Frame) -> None:
        """The start of a link or emphasis (a mark), a list item, an image."""
        if tag == "a":
            if _is_anchor(element):
                return
            self.link_depth += 1
            self.marks.append((len(self.pieces), "[", LINK_MARK))
            self.marked_up = True
        elif tag in INLINE_MARKS:
            self.marks.append((len(self.pieces), INLINE_MARKS[tag], OPENING))
            self.emphasis_marks += 1
            self.marked_up = True
        elif tag == "li":
            if parent[0] == "ol":
                self.list_numbers[parent[3]] = self.list_numbers.get(parent[3], 0) + 1
        elif parent[0] == "figure":  # an <img>: a figure's image says what it shows
            self._text(element.get("alt"))

    def _close(self, tag: str, element: Any) -> None:
        """The end of a link or emphasis (a mark)."""
        if tag == "a":
            if _is_anchor(element):  # _open counted nothing
                return
            self.link_depth -= 1
            href = (element.get("href") or "").strip()
            mark = f"]({href})" if href and not href.startswith("javascript:") else "]"
            self.marks.append((len(self.pieces), mark, LINK_MARK))
        else:
            mark, marks, pieces = INLINE_MARKS[tag], self.marks, self.pieces
            if marks and marks[-1][1:] == (mark, OPENING) and blank(pieces, marks[-1][0]):
                # emphasis around nothing (an icon, a spacer) gives no marks at all
                marks.pop()
                self.emphasis_marks -= 1
                return
            marks.append((len(pieces), mark, CLOSING))
            self.emphasis_marks += 1
            self.marked_up = True

    def _table(self, element: Any) -> None:
        """A data table becomes one block: a Markdown table (its text is the same)."""
        rows = [
            [cell_text(cell) for cell in row if cell.tag in ("td", "th")]
            for row in element.iter("tr")
        ]
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        width = max(len(row) for row in rows)
        lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
        lines.insert(1, "|" + " --- |" * width)
        self.pieces[:] = ["\n".join(lines)]
        self.marks.clear()
        self.emphasis_marks = 0
        self.link_chars, self.line, self.marked_up = 0, element.sourceline or 0, False
        self._flush(keep_lines=True)

    def _pre(self, element: Any) -> None:
        """Preformatted text becomes one block: its text as it stands (line breaks,
        indentation; no marks), its Markdown a fenced code block."""
        from lxml import etree

        pieces = self.pieces  # empty: the <pre> has ended the block before it
        walker = etree.iterwalk(element, events=("start", "end"))
        for event, inner in walker:
            tag = inner.tag
            if not isinstance(tag, str) or tag in SKIP_TAGS:
                if event == "start":
                    walker.skip_subtree()  # its "end" comes next, with its tail
                else:
                    pieces.append(inner.tail or "")
            elif event == "start":
                if tag == "br":
                    pieces.append("\n")
                pieces.append(inner.text or "")
            elif inner is element:
                break  # the <pre>'s tail is the main walk's
            else:
                if tag in BLOCK_TAGS and pieces and not pieces[-1].endswith("\n"):
                    pieces.append("\n")  # a line of its own, as some highlighters write each line
                pieces.append(inner.tail or "")
        self._flush(keep_lines=True, code_language=code_language(element))

    def _flush(self, keep_lines: bool = False, code_language: str | None = None) -> None:
        """End the block being gathered; a new one starts. code_language: the block is
        code (a <pre>), in this language ("" when not said)."""
        pieces = self.pieces
        if not pieces:
            # marks with no text yet stay: they belong to the text that follows
            self.line = 0
            return
        raw = "".join(pieces)
        if not raw.isspace():  # most flushes hold only the spaces between tags
            block = self._block(raw, keep_lines, code_language)
            if block is not None:
                self.blocks.append(block)
        pieces.clear()
        self.marks.clear()
        self.emphasis_marks = 0
        self.link_chars, self.line, self.marked_up = 0, 0, False

    def _block(self, raw: str, keep_lines: bool, code_language: str | None = None) -> Block | None:
        """The block gathered so far (its text is raw), or None when it holds no text."""
        spaced = raw if keep_lines else single_spaced(raw)
        text = spaced
        if code_language is not None:
            text = code_text(raw)
        elif not text.isascii() and ZERO_WIDTH.search(text):
            text = ZERO_WIDTH.sub("", text).strip()
        if not text:
            return None
        stack = self.stack
        depth = _block_depth(stack)
        tag, bits, container, _ = stack[depth]
        prefix = self._markdown_prefix(tag) if tag in PREFIX_TAGS or stack[-1][1] & QUOTE else ""
        around = [-1, -1]  # the numbers of the two nearest enclosing elements that make regions
        found = 0
        for index in range(depth - 1, -1, -1):
            if stack[index][0] not in INLINE_PARENTS:
                around[found] = stack[index][3]
                found += 1
                if found == 2:
                    break
        markdown = text
        markup = None
        if code_language is not None:
            # a quote's "> " opens every line of the fence, and nothing is added inside
            markdown = fenced(text, code_language).replace("\n", "\n" + prefix)
        elif self.marked_up:
            markup = WovenMarkup(self.pieces.copy(), self.marks.copy(), self.emphasis_marks, spaced, prefix)
        landmarks = self.landmark_sets.get(bits)
        if landmarks is None:
            landmarks = self._landmarks(bits)
        margin = tag in MARGIN_TAGS
        # index, text, line, kind and margins by position, as blocks.py makes a text
        # dump's, the rest set one by one: a dataclass matches keyword arguments
        # by name, which took a third of the time of making a block
        block = Block(len(self.blocks), text, self.line, CAPTION if tag in CAPTION_TAGS else TEXT, margin, margin)
        block.tag = tag
        block.landmarks = landmarks
        block.link_ratio = min(1.0, self.link_chars / len(text))
        block.container = container
        block.nested = container in self.nested_articles
        block.parents = (around[0], around[1])
        if markup is None:
            block.markdown = block.markdown_links = prefix + markdown
        else:
            block.markup = markup
        return block

    def _landmarks(self, bits: int) -> Landmark:
        """Landmark(bits), made once per walk for each set of bits (it is slow to make)."""
        landmarks = self.landmark_sets.get(bits)
        if landmarks is None:
            landmarks = self.landmark_sets[bits] = Landmark(bits)
        return landmarks

    def _markdown_prefix(self, tag: str) -> str:
        if tag in HEADINGS:
            return "#" * max(2, HEADINGS[tag]) + " "
        # Landmark.QUOTE comes from <blockquote> only, and a frame holds the bits of
        # all frames below it: the innermost one says whether a quote is open
        quote = "> " if self.stack[-1][1] & QUOTE else ""
        if tag == "li":
            lists = [frame for frame in self.stack if frame[0] in ("ul", "ol")]
            indent = "  " * max(0, len(lists) - 1)
            marker = "-"
            if lists and lists[-1][0] == "ol":
                marker = f"{self.list_numbers.get(lists[-1][3], 0)}."
            return quote + indent + marker + " "
        return quote


def _block_depth(stack: list[_Frame]) -> int:
    """Where the innermost open block-level element is (else the innermost element)."""
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] in BLOCK_TAGS:
            return depth
    return len(stack) - 1


def _is_anchor(element: Any) -> bool:
    """An <a name="…"> or <a id="…"> with no href: a place to link to, not a
    link. Its text is no link text, and it gets no link marks: left unclosed
    (as old pages do), the parser puts the rest of its section inside it."""
    return element.get("href") is None and (element.get("name") is not None or element.get("id") is not None)
