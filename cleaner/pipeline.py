"""clean(): the one place where the stages' order is written.

read -> blocks -> dedupe -> classify -> segments; rendering is the caller's.
"""

from __future__ import annotations

from .blocks import split_blocks
from .classify import score_blocks
from .config import CleanerConfig
from .dedupe import mark_duplicates
from .model import Document, InputKind
from .read import read_input
from .segments import group_segments

DEFAULT_CONFIG = CleanerConfig()


def clean(
    data: bytes | str,
    *,
    source: str | None = None,
    config: CleanerConfig | None = None,
    input_format: str = "auto",
) -> Document:
    """Clean one page (bytes in any common encoding, or str) into articles.

    Raises InputError (a CleanerError) for input that is not text or HTML.
    """
    config = config or DEFAULT_CONFIG
    decoded = read_input(data, input_format=input_format)
    blocks, meta = split_blocks(decoded, config)
    blocks = mark_duplicates(blocks, config)
    blocks = score_blocks(blocks, config, html=decoded.kind is InputKind.HTML)
    articles, dropped = group_segments(blocks, config, meta)
    return Document(source=source, articles=articles, blocks=blocks, dropped=dropped, warnings=decoded.warnings)
