"""Stage 2 for HTML: the parsed page -> list[Block], in one iterative pass.

lxml parses (libxml2, about ten times faster than building a BeautifulSoup
tree); ``etree.iterwalk`` then visits every element once, with no recursion,
so deep nesting cannot overflow the stack. Every block-level element (p, h1-h6,
li, blockquote, pre, td, figcaption, div with text of its own…) yields a block
holding its own text, its Markdown rendering, the share of that text inside
links, the page regions it sits in (nav, header, footer, aside, form, comments,
share/social, related, promotions, breadcrumbs; article, main) and which
<article> element holds it. Script, style, noscript, template, svg, iframe
and form controls yield nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .model import Block, BlockKind, Landmark, PageMeta
from .text import SPACES, ZERO_WIDTH, find_dates

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
# Words in class and id attributes that name a region, as sites commonly write them.
CLASS_LANDMARKS = (
    (re.compile(r"nav|menu|masthead|topbar|toolbar|skip"), Landmark.NAV),
    (re.compile(r"header|banner"), Landmark.HEADER),
    (re.compile(r"foot|copyright|colophon"), Landmark.FOOTER),
    (re.compile(r"sidebar|side-bar|aside|rail|widget"), Landmark.ASIDE),
    (re.compile(r"comment|disqus|discussion|respond|reply"), Landmark.COMMENTS),
    (re.compile(r"share|sharing|social|follow|facebook|twitter|whatsapp|print"), Landmark.SHARE),
    (re.compile(r"related|recommend|more-|read-?next|popular|trending|teaser|promo-list|most-"), Landmark.RELATED),
    (re.compile(r"newsletter|subscri|signup|sign-up|cookie|consent|gdpr|advert|\bads?\b|sponsor|popup|modal|paywall|banner-ad"), Landmark.PROMO),
    (re.compile(r"breadcrumb|crumbs"), Landmark.BREADCRUMB),
    (re.compile(r"article|story|post-?body|entry|content|main-?text|body-?text|prose"), Landmark.ARTICLE),
)
# Wrappers that do not make a region of their own (a list is part of its parent's text).
INLINE_PARENTS = frozenset("ul ol dl li tbody thead tfoot tr a span font b i em strong".split())
# A table holding any of these lays out the page; a data table holds short cells only.
LAYOUT_TAGS = frozenset("table p div ul ol dl h1 h2 h3 h4 h5 h6 blockquote pre form iframe".split())
MAX_DATA_CELL_CHARS = 200
INLINE_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**", "code": "`"}
# Attribute values longer than this are not searched for region names.
MAX_CLASS_CHARS = 200


@dataclass
class _Frame:
    """One open element during the walk."""

    tag: str
    landmarks: int  # Landmark bits
    container: int
    number: int = -1  # the element's position in the walk: an id
    list_number: int = 0  # for <ol>: the last item number given


@dataclass
class _Buffer:
    """Text of the block being gathered."""

    plain: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    link_chars: int = 0
    line: int = 0
    marked_up: bool = False  # emphasis or links were added: Markdown differs from the text


def split_html_blocks(html: str) -> tuple[list[Block], PageMeta]:
    """Blocks of an HTML page, and what the page says about itself."""
    root = _parse(html)
    if root is None:
        return [], PageMeta()
    return _Walker().walk(root), read_page_meta(root)


def _parse(html: str) -> Any:
    from lxml import etree  # lazy: text input never pays for lxml

    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        return etree.fromstring(html, parser)
    except (etree.ParserError, ValueError):
        return None


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.stack: list[_Frame] = [_Frame("", 0, -1)]
        self.buffer = _Buffer()
        self.articles = 0
        self.elements = 0
        self.link_depth = 0

    def walk(self, root: Any) -> list[Block]:
        from lxml import etree

        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else ""
            skipped = tag in SKIP_TAGS or not tag
            if event == "start":
                if skipped:
                    walker.skip_subtree()  # its "end" still comes, and carries its tail
                else:
                    self._start(tag, element)
                    if tag == "table" and _is_data_table(element):
                        self._table(element)
                        walker.skip_subtree()
            elif skipped:
                self._text(element.tail)
            else:
                self._end(tag, element)
        self._flush()
        return self.blocks

    def _start(self, tag: str, element: Any) -> None:
        parent = self.stack[-1]
        landmarks = parent.landmarks | _landmarks_of(tag, element)
        container = parent.container
        if tag == "article":
            self.articles += 1
            container = self.articles - 1
        if tag in BLOCK_TAGS or tag == "br":
            self._flush()
        self.elements += 1
        self.stack.append(_Frame(tag, landmarks, container, self.elements))
        if tag == "li" and parent.tag == "ol":
            parent.list_number += 1
        if tag == "a":
            self.link_depth += 1
            self.buffer.linked.append("[")
            self.buffer.marked_up = True
        elif tag in INLINE_MARKS:
            self._mark(INLINE_MARKS[tag])
        elif tag == "img" and element.get("alt") and parent.tag == "figure":
            self._text(element.get("alt"))
        if not self.buffer.line:
            self.buffer.line = element.sourceline or 0
        self._text(element.text)

    def _end(self, tag: str, element: Any) -> None:
        if tag == "a":
            self.link_depth -= 1
            href = (element.get("href") or "").strip()
            self.buffer.linked.append(f"]({href})" if href and not href.startswith("javascript:") else "]")
        elif tag in INLINE_MARKS:
            self._mark(INLINE_MARKS[tag])
        if tag in BLOCK_TAGS or tag == "br":
            self._flush()
        self.stack.pop()
        self._text(element.tail)

    def _text(self, text: str | None) -> None:
        if not text:
            return
        self.buffer.plain.append(text)
        self.buffer.marked.append(text)
        self.buffer.linked.append(text)
        if self.link_depth:
            self.buffer.link_chars += len(text.strip())

    def _mark(self, mark: str) -> None:
        self.buffer.marked.append(mark)
        self.buffer.linked.append(mark)
        self.buffer.marked_up = True

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
        table = "\n".join(lines)
        self.buffer = _Buffer(plain=[table], marked=[table], linked=[table], line=element.sourceline or 0)
        self._flush(keep_lines=True)

    def _flush(self, keep_lines: bool = False) -> None:
        buffer = self.buffer
        if not buffer.plain:
            buffer.line = 0
            return
        raw = "".join(buffer.plain)
        self.buffer = _Buffer()
        if raw.isspace():
            return
        text = raw if keep_lines else SPACES.sub(" ", raw).strip()
        if text and ZERO_WIDTH.search(text):
            text = ZERO_WIDTH.sub("", text).strip()
        if not text:
            return
        depth = self._block_depth()
        frame = self.stack[depth]
        prefix = _markdown_prefix(frame, self.stack)
        around = [f.number for f in reversed(self.stack[:depth]) if f.tag not in INLINE_PARENTS][:2]
        block = Block(
            index=len(self.blocks),
            text=text,
            line=buffer.line,
            tag=frame.tag,
            landmarks=Landmark(frame.landmarks),
            link_ratio=min(1.0, buffer.link_chars / len(text)),
            container=frame.container,
            parents=_pair(around),
            blank_before=frame.tag in MARGIN_TAGS,
            blank_after=frame.tag in MARGIN_TAGS,
            markdown=prefix + (_tidy(buffer.marked) if buffer.marked_up else text),
            markdown_links=prefix + (_tidy(buffer.linked) if buffer.marked_up else text),
        )
        if frame.tag in ("figcaption", "caption"):
            block.kind = BlockKind.CAPTION
        self.blocks.append(block)

    def _block_depth(self) -> int:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag in BLOCK_TAGS:
                return depth
        return len(self.stack) - 1


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


def _pair(numbers: list[int]) -> tuple[int, int]:
    padded = numbers + [-1, -1]
    return padded[0], padded[1]


def _landmarks_of(tag: str, element: Any) -> int:
    found = TAG_BITS.get(tag, 0)
    role = element.get("role")
    if role:
        found |= ROLE_BITS.get(role.strip().lower(), 0)
    names = element.get("class")
    if names:
        found |= _named_landmarks(names[:MAX_CLASS_CHARS])
    names = element.get("id")
    if names:
        found |= _named_landmarks(names[:MAX_CLASS_CHARS])
    return found


@lru_cache(maxsize=4096)
def _named_landmarks(names: str) -> int:
    """Regions named by a class or id value (pages repeat the same few values)."""
    names = names.lower()
    found = 0
    for pattern, landmark in CLASS_LANDMARKS:
        if pattern.search(names):
            found |= int(landmark)
    return found


def _markdown_prefix(frame: _Frame, stack: list[_Frame]) -> str:
    if frame.tag in HEADINGS:
        return "#" * max(2, HEADINGS[frame.tag]) + " "
    quote = "> " if any(f.tag == "blockquote" for f in stack) else ""
    if frame.tag == "li":
        lists = [f for f in stack if f.tag in ("ul", "ol")]
        indent = "  " * max(0, len(lists) - 1)
        parent = lists[-1] if lists else None
        marker = f"{parent.list_number}." if parent is not None and parent.tag == "ol" else "-"
        return quote + indent + marker + " "
    return quote


def _tidy(pieces: list[str]) -> str:
    text = SPACES.sub(" ", "".join(pieces)).strip()
    text = EMPTY_MARKS.sub("", text)
    return LINK_INNER_SPACE.sub(lambda m: f"[{m.group(1).strip()}]", text)


# Marks left around nothing ("** **", "[](…)"), and spaces just inside link brackets.
EMPTY_MARKS = re.compile(r"\*\*\s*\*\*|(?<!\*)\*\s*\*(?!\*)|``|\[\s*\](?:\([^)]*\))?")
LINK_INNER_SPACE = re.compile(r"\[(\s+[^\[\]]*?|[^\[\]]*?\s+)\](?=\()")


def read_page_meta(root: Any) -> PageMeta:
    """Title, dates, author and URL from meta tags, JSON-LD and <title>/<h1>."""
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
        content = element.get("content")
        if key and content and key not in meta:
            meta[key] = content.strip()
    ld = _json_ld_article(root)
    canonical = next((e.get("href") for e in root.iter("link") if (e.get("rel") or "").lower() == "canonical"), None)
    title = ld.get("headline") or meta.get("og:title") or meta.get("twitter:title") or _first_text(root, "h1")
    published = ld.get("datePublished") or meta.get("article:published_time") or meta.get("datepublished")
    updated = ld.get("dateModified") or meta.get("article:modified_time") or meta.get("datemodified")
    if not published:
        published = next((e.get("datetime") for e in root.iter("time") if e.get("datetime")), None)
    return PageMeta(
        title=_clean(title),
        published=_iso_date(published),
        updated=_iso_date(updated),
        author=_clean(_author(ld.get("author")) or meta.get("author")),
        url=_clean(canonical or meta.get("og:url")),
    )


def _json_ld_article(root: Any) -> dict[str, Any]:
    for element in root.iter("script"):
        if (element.get("type") or "").lower() != "application/ld+json" or not element.text:
            continue
        try:
            data = json.loads(element.text)
        except ValueError:
            continue
        for item in _json_ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and (k.endswith("Article") or k in ("BlogPosting", "Report")) for k in kinds):
                return item
    return {}


def _json_ld_items(data: Any) -> list[dict[str, Any]]:
    items = data if isinstance(data, list) else [data]
    found = []
    for item in items:
        if isinstance(item, dict):
            found.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                found.extend(g for g in graph if isinstance(g, dict))
    return found


def _author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [_author(v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    return value if isinstance(value, str) else None


def _first_text(root: Any, tag: str) -> str | None:
    for element in root.iter(tag):
        text = "".join(element.itertext())
        if text.strip():
            return text
    return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = SPACES.sub(" ", value).strip()
    return text or None


ISO_START = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?")


def _iso_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    m = ISO_START.match(value.strip())
    if m:
        return m.group(1) + (f"T{m.group(2)}" if m.group(2) else "")
    return find_dates(value)[0]
