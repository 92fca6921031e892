"""Data types shared by every stage. Imports nothing from cleaner."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, NamedTuple, Protocol, TypeVar

_Class = TypeVar("_Class", bound=type)


class CleanerError(Exception):
    """Base of every error the library raises on bad input."""


class InputError(CleanerError):
    """The input cannot be read or decoded (binary, unreadable, missing)."""


class InputKind(str, enum.Enum):
    TEXT = "text"
    HTML = "html"


class BlockKind(str, enum.Enum):
    """What a block looks like on its own, before any decision is made."""

    TEXT = "text"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    CAPTION = "caption"
    DATE = "date"
    BYLINE = "byline"
    PROMO = "promo"  # a call to action: "Follow our coverage at …", "Subscribe to …"
    NOTICE = "notice"  # a copyright notice: "© 2024 Example News", "… All rights reserved."
    LINK_LIST = "link_list"  # a text browser's list of the page's links (link_numbers.py)
    CODE = "code"  # a script's or a style sheet's code that a scraper kept as text (scripts.py)


class Landmark(enum.IntFlag):
    """Page regions an HTML block sits in (from tags, ARIA roles, class and id)."""

    NONE = 0
    NAV = 1
    HEADER = 2
    FOOTER = 4
    ASIDE = 8
    FORM = 16
    COMMENTS = 32
    SHARE = 64
    RELATED = 128
    PROMO = 256  # newsletter, subscribe, advert, cookie, popup
    BREADCRUMB = 512
    ARTICLE = 1024  # <article>, or a class/id that names the content
    MAIN = 2048
    LIST = 4096
    QUOTE = 8192
    TABLE = 16384


class Role(str, enum.Enum):
    """Where a block ends up in the output: every block gets exactly one."""

    BODY = "body"
    TITLE = "title"
    META = "meta"  # date, byline: rendered on the article's metadata line
    CAPTION = "caption"
    DUPLICATE = "duplicate"
    BOILERPLATE = "boilerplate"


class Decoded:
    """Output of stage 1: the text, what it is, and how it was decoded.
    (A plain class: a dataclass costs start-up to make.)"""

    __slots__ = ("text", "kind", "encoding", "warnings", "utf8")

    def __init__(
        self, text: str, kind: InputKind, encoding: str, warnings: tuple[str, ...] = (), utf8: bytes | None = None
    ) -> None:
        self.text = text
        self.kind = kind
        self.encoding = encoding
        self.warnings = warnings
        # HTML read as UTF-8 as it is (no byte-order mark, nothing replaced): the
        # bytes, which are the text's UTF-8, for the parser (it reads them faster)
        self.utf8 = utf8

    def take_text(self) -> str:
        """The text, handed on: this Decoded holds "" from then on. Stage 2
        takes it, so that a big dump's text (4 bytes a character once it holds
        one emoji) can be let go of as soon as its lines are split."""
        text, self.text = self.text, ""
        return text


def _dataclass_methods(cls: _Class) -> _Class:
    """repr and == as dataclass makes them, from cls's fields, for the dataclasses
    below: they are declared with init=False, repr=False, eq=False and write
    their own __init__ (a plain one, the same as dataclass's), since dataclass
    compiles its methods anew at every start-up (for these four classes 11 M
    of a one-page clean's 297 M instructions). tests/test_model.py checks them
    against the methods dataclass makes."""
    shown = tuple(f.name for f in fields(cls) if f.repr)
    compared: Callable[[Any], tuple[Any, ...]] = attrgetter(*(f.name for f in fields(cls) if f.compare))

    def __repr__(self: Any) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({values})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(compared(self) == compared(other))
        return NotImplemented

    setattr(cls, "__repr__", __repr__)
    setattr(cls, "__eq__", __eq__)
    setattr(cls, "__hash__", None)  # unhashable, as a dataclass with == that is not frozen
    return cls


class Markup(Protocol):
    """A block's text with its marks (emphasis, links) kept aside, to be made
    into Markdown when first asked (see Block.markup)."""

    def render(self) -> tuple[str, str]:
        """The block's Markdown without and with its links."""
        ...


@_dataclass_methods
@dataclass(slots=True, init=False, repr=False, eq=False)
class Block:
    """One paragraph-sized unit of the input and what the stages found out about it.

    Slots, not a __dict__: a big dump holds one Block a line, and reading and
    setting a slot is quicker (an object of 232 bytes instead of 352)."""

    index: int
    text: str
    line: int  # 1-based line number in the decoded input
    kind: BlockKind = BlockKind.TEXT
    blank_before: bool = True
    blank_after: bool = True
    norm: str = ""  # normalised text used for duplicate matching
    duplicate_of: int | None = None  # index of the first block with (nearly) this text
    duplicate_score: float | None = None  # rapidfuzz score (0-100) against that block
    group: int = -1  # index of the first block of its duplicate group (itself if none)
    copies: int = 1  # blocks in this block's duplicate group, itself included
    content_score: float = 0.0  # 0-1, probability that the block is article text
    site_boilerplate: bool = False  # the line recurs across the site's pages (sitemodel)
    # HTML input only: the element holding the block, its regions and links
    tag: str = ""  # "p", "h2", "li", "td"…; "" for text input
    landmarks: Landmark = Landmark.NONE
    link_ratio: float = 0.0  # share of the block's characters inside links (0-1)
    container: int = -1  # which <article> element holds the block (-1: none)
    nested: bool = False  # that <article> sits inside another one (by HTML's spec: comments, related posts)
    parents: tuple[int, int] = (-1, -1)  # ids of the elements around the block's element, nearest first
    role: Role = Role.BOILERPLATE
    reason: str = ""
    # the role the input's own layout gives the block (cleaner's Markdown read
    # back: title, metadata, paragraph, caption); None leaves it to the stages
    declared: Role | None = None
    # HTML: a block with emphasis or links has its Markdown made from this on
    # first use of markdown or markdown_links. Most such blocks are menus and
    # link lists that no article keeps (on the dev pages, 20,500 of 21,500).
    markup: Markup | None = field(default=None, repr=False, compare=False)
    _markdown: str = field(default="", init=False, repr=False)
    _markdown_links: str = field(default="", init=False, repr=False)

    def __init__(  # the fields' defaults, as above
        self, index: int, text: str, line: int, kind: BlockKind = BlockKind.TEXT, blank_before: bool = True,
        blank_after: bool = True, norm: str = "", duplicate_of: int | None = None,
        duplicate_score: float | None = None, group: int = -1, copies: int = 1, content_score: float = 0.0,
        site_boilerplate: bool = False, tag: str = "", landmarks: Landmark = Landmark.NONE,
        link_ratio: float = 0.0, container: int = -1, nested: bool = False,
        parents: tuple[int, int] = (-1, -1), role: Role = Role.BOILERPLATE, reason: str = "",
        declared: Role | None = None, markup: Markup | None = None,
    ) -> None:
        self.index = index
        self.text = text
        self.line = line
        self.kind = kind
        self.blank_before = blank_before
        self.blank_after = blank_after
        self.norm = norm
        self.duplicate_of = duplicate_of
        self.duplicate_score = duplicate_score
        self.group = group
        self.copies = copies
        self.content_score = content_score
        self.site_boilerplate = site_boilerplate
        self.tag = tag
        self.landmarks = landmarks
        self.link_ratio = link_ratio
        self.container = container
        self.nested = nested
        self.parents = parents
        self.role = role
        self.reason = reason
        self.declared = declared
        self.markup = markup
        self._markdown = ""
        self._markdown_links = ""

    @property
    def markdown(self) -> str:
        """The block as Markdown (heading, list item, emphasis); "" = its text."""
        self._render_markup()
        return self._markdown

    @markdown.setter
    def markdown(self, value: str) -> None:
        self._markdown = value

    @property
    def markdown_links(self) -> str:
        """The same with its links kept."""
        self._render_markup()
        return self._markdown_links

    @markdown_links.setter
    def markdown_links(self, value: str) -> None:
        self._markdown_links = value

    def _render_markup(self) -> None:
        markup, self.markup = self.markup, None
        if markup is not None:
            self._markdown, self._markdown_links = markup.render()


class PageMeta(NamedTuple):
    """What an HTML page says about itself (meta tags, JSON-LD); empty for text.
    (A named tuple, not a frozen dataclass: quicker to define at start-up.)"""

    title: str | None = None
    published: str | None = None
    updated: str | None = None
    author: str | None = None
    url: str | None = None
    # the <title> element's text (often "Site: Headline"): classify finds the headline's block by it
    page_title: str | None = None


@_dataclass_methods
@dataclass(init=False, repr=False, eq=False)
class Article:
    """One article segment of a page."""

    title: str | None = None
    published: str | None = None
    updated: str | None = None
    dateline: str | None = None
    byline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    # the paragraphs as Markdown (headings, list items, emphasis), and with links
    formatted: list[str] = field(default_factory=list, repr=False)
    formatted_links: list[str] = field(default_factory=list, repr=False)

    def __init__(  # None: a new list, as the default factories above
        self, title: str | None = None, published: str | None = None, updated: str | None = None,
        dateline: str | None = None, byline: str | None = None, paragraphs: list[str] | None = None,
        captions: list[str] | None = None, formatted: list[str] | None = None,
        formatted_links: list[str] | None = None,
    ) -> None:
        self.title = title
        self.published = published
        self.updated = updated
        self.dateline = dateline
        self.byline = byline
        self.paragraphs = [] if paragraphs is None else paragraphs
        self.captions = [] if captions is None else captions
        self.formatted = [] if formatted is None else formatted
        self.formatted_links = [] if formatted_links is None else formatted_links


@_dataclass_methods
@dataclass(init=False, repr=False, eq=False)
class Dropped:
    """A block left out of every article, with the reason."""

    line: int
    text: str
    reason: str
    duplicate_of: int | None = None  # line number of the kept block it repeats
    score: float | None = None

    def __init__(
        self, line: int, text: str, reason: str, duplicate_of: int | None = None, score: float | None = None
    ) -> None:
        self.line = line
        self.text = text
        self.reason = reason
        self.duplicate_of = duplicate_of
        self.score = score


@_dataclass_methods
@dataclass(init=False, repr=False, eq=False)
class Document:
    """The result of cleaning one input."""

    source: str | None
    articles: list[Article]
    blocks: list[Block] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: tuple[str, ...] = ()

    def __init__(
        self, source: str | None, articles: list[Article], blocks: list[Block] | None = None,
        dropped: list[Dropped] | None = None, warnings: tuple[str, ...] = (),
    ) -> None:
        self.source = source
        self.articles = articles
        self.blocks = [] if blocks is None else blocks
        self.dropped = [] if dropped is None else dropped
        self.warnings = warnings


# A block's text, as map() takes it (several stages read every block's text in one pass).
block_text = attrgetter("text")
