"""Stage 6: Document -> Markdown, JSON, JSONL or plain text.

Renderers are deterministic (fixed key order, fixed spacing) so golden files
diff cleanly. Markdown puts each article under ``# Title`` (when it has one),
then one metadata line (date · updated · dateline · byline), then its
paragraphs; articles are separated by ``---``. Captions are listed only when
asked for.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Article, Document
from .text import (
    ARTICLE_RULE, CAPTION_ITEM_PREFIX, CAPTIONS_LABEL, ESCAPE, ESCAPED_STARTS, LIST_ITEM, METADATA_MARK,
    METADATA_SEPARATOR, TITLE_PREFIX, UPDATED_PREFIX,
)

ARTICLE_SEPARATOR = f"\n{ARTICLE_RULE}\n\n"
# What stands between two articles in a Markdown or text output: a page's output
# is its articles' own renders joined by it (cleaner batch drops one that way).
ARTICLE_JOINERS = {"markdown": ARTICLE_SEPARATOR, "text": "\n"}
# Keys of an article object, in output order.
ARTICLE_KEYS = ("title", "published", "updated", "dateline", "byline", "paragraphs", "captions")


def article_dict(article: Article) -> dict[str, Any]:
    return {key: getattr(article, key) for key in ARTICLE_KEYS}


def document_dict(document: Document, *, explain: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {
        "source": document.source,
        "articles": [article_dict(a) for a in document.articles],
    }
    if explain:
        result["dropped"] = [_dropped_dict(d) for d in document.dropped]
    return result


def render_json(documents: list[Document], *, explain: bool = False, single: bool = True) -> str:
    """One object for one input; an array of objects for several."""
    objects = [document_dict(d, explain=explain) for d in documents]
    payload: Any = objects[0] if single and len(objects) == 1 else objects
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(documents: list[Document], *, explain: bool = False) -> str:
    """One article per line, each with its source."""
    lines = []
    for document in documents:
        for article in document.articles:
            lines.append(json.dumps({"source": document.source, **article_dict(article)}, ensure_ascii=False))
        if explain and document.dropped:
            dropped = [_dropped_dict(d) for d in document.dropped]
            lines.append(json.dumps({"source": document.source, "dropped": dropped}, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def render_markdown(documents: list[Document], *, captions: bool = False, links: bool = False) -> str:
    parts = [_article_markdown(a, captions, links) for d in documents for a in d.articles]
    return ARTICLE_JOINERS["markdown"].join(parts)


def render_text(documents: list[Document], *, captions: bool = False) -> str:
    parts = [_article_text(a, captions) for d in documents for a in d.articles]
    return ARTICLE_JOINERS["text"].join(parts)


def has_layout_marks(document: Document) -> bool:
    """Its Markdown shows cleaner's layout (a title, a metadata line, captions or a
    rule between articles), so cleaning that Markdown again gives the same
    articles. A lone bare article is only blank-line paragraphs, which no reader
    can tell from a raw dump: cleaning it again goes through the heuristics."""
    return len(document.articles) > 1 or any(a.title or metadata_line(a) or a.captions for a in document.articles)


def metadata_line(article: Article) -> str:
    items = []
    if article.published:
        items.append(article.published)
    if article.updated:
        items.append(UPDATED_PREFIX + article.updated)
    if article.dateline:
        items.append(article.dateline)
    if article.byline:
        items.append(article.byline)
    return METADATA_SEPARATOR.join(items)


def _article_markdown(article: Article, captions: bool, links: bool) -> str:
    chunks = []
    if article.title:
        chunks.append(TITLE_PREFIX + article.title)
    meta = metadata_line(article)
    if meta:
        chunks.append(METADATA_MARK + meta + METADATA_MARK)
    formatted = article.formatted_links if links else article.formatted
    paragraphs = [
        _escaped(p) if f == p else _below_title(f) for f, p in zip(formatted or article.paragraphs, article.paragraphs)
    ]
    chunks.extend(_join_list_items(paragraphs))
    if captions and article.captions:
        chunks.append(CAPTIONS_LABEL + "\n\n" + "\n".join(CAPTION_ITEM_PREFIX + c for c in article.captions))
    return "\n\n".join(chunks) + "\n"


def _below_title(formatted: str) -> str:
    """A body paragraph that is a top-level heading ("# …", kept from a text
    dump's Markdown) is written one level down: "# " starts an article's title."""
    return "#" + formatted if formatted.startswith(TITLE_PREFIX) else formatted


def _escaped(paragraph: str) -> str:
    """A paragraph of plain text that would read back as a title, metadata line or
    caption label (a paragraph formatted as Markdown is written as it is)."""
    return ESCAPE + paragraph if paragraph.startswith(ESCAPED_STARTS) else paragraph


def _join_list_items(paragraphs: list[str]) -> list[str]:
    """Consecutive list items form one Markdown list (no blank line between them)."""
    chunks: list[str] = []
    for paragraph in paragraphs:
        if chunks and LIST_ITEM.match(paragraph) and LIST_ITEM.match(chunks[-1].rsplit("\n", 1)[-1]):
            chunks[-1] += "\n" + paragraph
        else:
            chunks.append(paragraph)
    return chunks


def _article_text(article: Article, captions: bool) -> str:
    chunks = [c for c in (article.title, metadata_line(article)) if c]
    chunks.extend(article.paragraphs)
    if captions:
        chunks.extend(article.captions)
    return "\n\n".join(chunks) + "\n"


def _dropped_dict(dropped: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"line": dropped.line, "text": dropped.text, "reason": dropped.reason}
    if dropped.duplicate_of is not None:
        item["duplicate_of"] = dropped.duplicate_of
        item["score"] = dropped.score
    return item
