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

walker.py: the walk; regions.py: the regions tags, roles, class and id name;
markup.py: Markdown (emphasis, links, code blocks, tables).
"""

from __future__ import annotations

from ..html_meta import read_page_meta
from ..html_parse import parse_html
from ..model import Block, PageMeta
from .walker import Walker


def split_html_blocks(html: str, utf8: bytes | None = None) -> tuple[list[Block], PageMeta]:
    """Blocks of an HTML page, and what the page says about itself (utf8: the
    page's UTF-8, if the caller has it; see parse_html)."""
    root = parse_html(html, utf8)
    if root is None:
        return [], PageMeta()
    return Walker().walk(root), read_page_meta(root)
