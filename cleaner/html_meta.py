"""Stage 2 for HTML, beside the blocks: what a parsed page says about itself.

Title, published and updated dates, author and URL, from JSON-LD
(``NewsArticle``/``Article``/``BlogPosting``: headline, datePublished,
dateModified, author), ``og:``/``article:``/``twitter:`` meta tags, the first
``<time datetime>``, ``<h1>`` and the canonical link. These fill in only what an
article's own blocks do not say (segments decides).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .model import PageMeta
from .text import SPACES, find_dates


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
        page_title=_clean(_first_text(root, "title")),
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
