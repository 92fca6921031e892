"""Stage 2 for HTML: the parsed page -> list[Block], in one iterative pass.

lxml parses (``html_parse``: libxml2, about ten times faster than building a
BeautifulSoup tree); ``etree.iterwalk`` then visits every element once, with no
recursion, so deep nesting cannot overflow the stack. Every block-level element
(p, h1-h6, li, blockquote, pre, td, figcaption, div with text of its own…)
yields a block holding its own text, its Markdown rendering (a <pre> verbatim,
as a fenced code block), the share of that text inside links, the page regions
it sits in (nav, header, footer, aside, form, comments, share/social, related,
promotions, breadcrumbs; article, main) and which <article> element holds it.
Script, style, noscript, template, svg, iframe and form controls yield nothing.
What the page says about itself comes from ``html_meta``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from .html_meta import read_page_meta
from .html_parse import parse_html
from .model import Block, BlockKind, Landmark, PageMeta
from .text import SPACES, ZERO_WIDTH

# Elements whose content is never page text.
# (<head> itself is walked: libxml2 leaves elements it does not know, such as
# <article> before any <body>, inside it.)
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe title meta link base object embed canvas select "
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
# Region of a page by its element name or ARIA role.
# (Landmark values are used as plain ints in the walk: IntFlag arithmetic is slow.)
TAG_LANDMARKS = {
    "nav": Landmark.NAV, "header": Landmark.HEADER, "footer": Landmark.FOOTER, "aside": Landmark.ASIDE,
    "form": Landmark.FORM, "menu": Landmark.NAV, "article": Landmark.ARTICLE, "main": Landmark.MAIN,
    "ul": Landmark.LIST, "ol": Landmark.LIST, "dl": Landmark.LIST, "blockquote": Landmark.QUOTE,
    "table": Landmark.TABLE,
}
TAG_BITS = {tag: int(landmark) for tag, landmark in TAG_LANDMARKS.items()}
ROLE_LANDMARKS = {
    "navigation": Landmark.NAV, "banner": Landmark.HEADER, "contentinfo": Landmark.FOOTER,
    "complementary": Landmark.ASIDE, "search": Landmark.FORM, "form": Landmark.FORM,
    "main": Landmark.MAIN, "article": Landmark.ARTICLE, "menu": Landmark.NAV, "menubar": Landmark.NAV,
}
ROLE_BITS = {role: int(landmark) for role, landmark in ROLE_LANDMARKS.items()}
QUOTE = int(Landmark.QUOTE)
# Words in class and id attributes that name a region, as sites commonly write them
# (anywhere in the value: "site-nav", "sidebar-widget", "post-body").
CLASS_LANDMARKS = (
    (("nav", "menu", "masthead", "topbar", "toolbar", "skip"), Landmark.NAV),
    (("header", "banner"), Landmark.HEADER),
    (("foot", "copyright", "colophon"), Landmark.FOOTER),
    (("sidebar", "side-bar", "aside", "rail", "widget"), Landmark.ASIDE),
    (("comment", "disqus", "discussion", "respond", "reply"), Landmark.COMMENTS),
    (("share", "sharing", "social", "follow", "facebook", "twitter", "whatsapp", "print"), Landmark.SHARE),
    (("related", "recommend", "more-", "read-next", "readnext", "popular", "trending", "teaser", "promo-list",
      "most-"), Landmark.RELATED),
    (("newsletter", "subscri", "signup", "sign-up", "cookie", "consent", "gdpr", "advert", "sponsor", "popup",
      "modal", "paywall", "banner-ad"), Landmark.PROMO),
    (("breadcrumb", "crumbs"), Landmark.BREADCRUMB),
    (("article", "story", "post-body", "postbody", "entry", "content", "main-text", "maintext", "body-text",
      "bodytext", "prose"), Landmark.ARTICLE),
)
# "ad" and "ads" name promotions only as words of their own ("ad-slot", not "header").
AD_WORD = re.compile(r"\bads?\b")
# Each word's regions, with those of the words it starts with ("banner-ad" is a banner too).
REGION_WORD_BITS = {
    word: sum({int(landmark) for words, landmark in CLASS_LANDMARKS for prefix in words if word.startswith(prefix)})
    for words, _ in CLASS_LANDMARKS for word in words
}
# All the words in one pattern, longest first: searched from every place where
# one starts, it finds the longest word there, whose bits hold the shorter ones'.
# The words are grouped by their first letter ("a(?:rticle|dvert|side)|b(?:…)"):
# at each place the regex engine then tries one group, not every word (half
# the time on the dev pages' class and id values).
REGION_WORDS = re.compile("|".join(
    re.escape(first) + "(?:" + "|".join(re.escape(word[1:]) for word in words) + ")"
    for first, words in groupby(sorted(REGION_WORD_BITS, key=lambda word: (word[0], -len(word))), key=itemgetter(0))
))
# Wrappers that do not make a region of their own (a list is part of its parent's text).
INLINE_PARENTS = frozenset("ul ol dl li tbody thead tfoot tr a span font b i em strong".split())
# A table holding any of these lays out the page; a data table holds short cells only.
LAYOUT_TAGS = frozenset("table p div ul ol dl h1 h2 h3 h4 h5 h6 blockquote pre form iframe".split())
MAX_DATA_CELL_CHARS = 200
INLINE_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**", "code": "`"}
# What a mark is: a link's bracket, or emphasis opening or closing.
LINK_MARK, OPENING, CLOSING = 0, 1, 2
# Elements that put Markdown marks around their text.
MARK_TAGS = frozenset(INLINE_MARKS) | {"a"}
# Elements whose start does more than open a frame: marks, list item numbers,
# the alt text of a figure's image.
OPENING_TAGS = MARK_TAGS | {"li", "img"}
# Elements that end the block being gathered where they start and where they end.
BREAK_TAGS = BLOCK_TAGS | {"br"}
# Their class and id name the page (its template, its site: "single-post",
# "design-profootballtalk"), not a region of it.
PAGE_TAGS = frozenset(("html", "body"))
# Attribute values longer than this are not searched for region names.
MAX_CLASS_CHARS = 200
# A code block's language, as highlighters name it in a class: "language-python", "lang-js".
CODE_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#.-]+)")
LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")
BACKTICK_RUNS = re.compile(r"`+")


# One open element during the walk: its tag, its Landmark bits, the number of
# the <article> holding it (-1: none) and its own number in the walk (an id).
# A plain tuple: the walk makes one per element, and an object costs several
# times more.
_Frame = tuple[str, int, int, int]
ROOT_FRAME: _Frame = ("", 0, -1, -1)


def split_html_blocks(html: str) -> tuple[list[Block], PageMeta]:
    """Blocks of an HTML page, and what the page says about itself."""
    root = parse_html(html)
    if root is None:
        return [], PageMeta()
    return _Walker().walk(root), read_page_meta(root)


class _Walker:
    """One walk over a parsed page, gathering the text of one block at a time.

    The block's text is kept as its plain pieces; emphasis and link marks are
    kept aside, each with the number of pieces before it; a block that has any
    keeps them (_Markup), and its Markdown is woven only if it is asked for.
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
            if tag == "table" and _is_data_table(element):
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

    def _name_bits(self, names: str) -> int:
        """The regions a class or id value names, kept for the rest of the walk."""
        bits = self.name_bits[names] = _named_landmarks(names[:MAX_CLASS_CHARS])
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
            self.link_depth -= 1
            href = (element.get("href") or "").strip()
            mark = f"]({href})" if href and not href.startswith("javascript:") else "]"
            self.marks.append((len(self.pieces), mark, LINK_MARK))
        else:
            mark, marks, pieces = INLINE_MARKS[tag], self.marks, self.pieces
            if marks and marks[-1][1:] == (mark, OPENING) and _blank(pieces, marks[-1][0]):
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
            [_cell_text(cell) for cell in row if cell.tag in ("td", "th")]
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
        self._flush(keep_lines=True, code_language=_code_language(element))

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
        spaced = raw if keep_lines else _single_spaced(raw)
        text = spaced
        if code_language is not None:
            text = _code_text(raw)
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
            markdown = _fenced(text, code_language).replace("\n", "\n" + prefix)
        elif self.marked_up:
            markup = _Markup(self.pieces.copy(), self.marks.copy(), self.emphasis_marks, spaced, prefix)
        landmarks = self.landmark_sets.get(bits)
        if landmarks is None:
            landmarks = self._landmarks(bits)
        block = Block(
            index=len(self.blocks),
            text=text,
            line=self.line,
            tag=tag,
            landmarks=landmarks,
            link_ratio=min(1.0, self.link_chars / len(text)),
            container=container,
            nested=container in self.nested_articles,
            parents=(around[0], around[1]),
            blank_before=tag in MARGIN_TAGS,
            blank_after=tag in MARGIN_TAGS,
            markup=markup,
        )
        if markup is None:
            block.markdown = block.markdown_links = prefix + markdown
        if tag in ("figcaption", "caption"):
            block.kind = BlockKind.CAPTION
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


class _Markup:
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
        emphasised = _single_spaced(self._woven(links=False)) if self.emphasis_marks else self.spaced
        markdown = _tidy(emphasised)
        markdown_links = markdown
        if self.emphasis_marks != len(self.marks):  # it has link marks
            markdown_links = _tidy(_single_spaced(self._woven(links=True)))
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


def _block_depth(stack: list[_Frame]) -> int:
    """Where the innermost open block-level element is (else the innermost element)."""
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] in BLOCK_TAGS:
            return depth
    return len(stack) - 1


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


def _blank(pieces: list[str], start: int) -> bool:
    """Whether pieces[start:] hold no text but spaces."""
    return all(piece.isspace() for piece in pieces[start:])


def _code_language(pre: Any) -> str:
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


def _code_text(raw: str) -> str:
    """Preformatted text as it stands, without the blank lines around it."""
    return LEADING_BLANK_LINES.sub("", raw).rstrip()


def _fenced(code: str, language: str) -> str:
    """A Markdown fenced code block, its fence longer than any run of backticks in the code."""
    longest = max((len(run) for run in BACKTICK_RUNS.findall(code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def _is_data_table(element: Any) -> bool:
    """A table of short cells with no paragraphs, lists or tables inside: data,
    not page layout (old pages lay out whole pages with tables)."""
    rows = 0
    for inner in element.iter():
        tag = inner.tag if isinstance(inner.tag, str) else ""
        if tag in LAYOUT_TAGS and inner is not element:
            return False
        if tag == "tr":
            rows += 1
        elif tag in ("td", "th") and len(_cell_text(inner)) > MAX_DATA_CELL_CHARS:
            return False
    return rows >= 2


def _cell_text(cell: Any) -> str:
    return SPACES.sub(" ", "".join(cell.itertext())).strip().replace("|", "\\|")


@lru_cache(maxsize=4096)
def _named_landmarks(names: str) -> int:
    """Regions named by a class or id value (pages repeat the same few values)."""
    names = names.lower()
    found = 0
    match = REGION_WORDS.search(names)
    while match is not None:  # one search per word found: most values hold none
        found |= REGION_WORD_BITS[match.group()]
        match = REGION_WORDS.search(names, match.start() + 1)
    if "ad" in names and AD_WORD.search(names):
        found |= int(Landmark.PROMO)
    return found


def _single_spaced(text: str) -> str:
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
