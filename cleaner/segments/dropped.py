"""Every block left out of the articles, with the reason it was."""

from __future__ import annotations

from ..config import CleanerConfig
from ..model import Block, Dropped, Role
from ..text import SENTENCE_END_CHARS

# The roles of the blocks that are in an article.
ARTICLE_ROLES = frozenset((Role.BODY, Role.TITLE, Role.META, Role.CAPTION))


def dropped_blocks(blocks: list[Block], config: CleanerConfig) -> list[Dropped]:
    dropped = []
    for block in blocks:
        if block.role in ARTICLE_ROLES:
            continue
        if block.duplicate_of is not None:
            original = blocks[block.duplicate_of]
            block.role = Role.DUPLICATE
            block.reason = block.reason or "duplicate"
            dropped.append(Dropped(block.line, block.text, block.reason, original.line, block.duplicate_score))
            continue
        if not block.reason:
            block.reason = _boilerplate_reason(block, config)
        dropped.append(Dropped(block.line, block.text, block.reason))
    return dropped


def _boilerplate_reason(block: Block, config: CleanerConfig) -> str:
    n_words = block.text.count(" ") + 1
    if block.content_score >= config.content_min_score:
        return f"stray text outside the article body (score {block.content_score:.2f})"
    if n_words <= 4:
        hint = "short link-like line"
    elif not block.text.endswith(SENTENCE_END_CHARS):
        hint = "no sentence punctuation"
    else:
        hint = "low article score"
    return f"boilerplate ({hint}, score {block.content_score:.2f})"
