"""Captions: credit patterns, or long lines printed twice in a row as galleries
do; each listed once per page, in the article it sits in."""

from __future__ import annotations

from ..model import Article, Block, BlockKind, Role
from ..text import SENTENCE_END_CHARS
from .runs import Span

# A long line repeated right next to itself is a gallery caption (image alt and
# caption both printed); shorter repeated pairs are menus. In words.
CAPTION_PAIR_MIN_WORDS = 6

# Pair captions end like sentences or credits; a repeated headline does not.
CAPTION_PAIR_ENDINGS = SENTENCE_END_CHARS + (")",)

# A line this short (in words) right above a caption labels a gallery ("More Images").
GALLERY_LABEL_MAX_WORDS = 4

# Kinds compared with every block's, as plain names: in Python 3.11 reading a
# member from its enum class (BlockKind.TEXT) costs about ten times as much.
TEXT_KIND, CAPTION_KIND = BlockKind.TEXT, BlockKind.CAPTION



def is_caption_line(block: Block, blocks: list[Block]) -> bool:
    if block.kind is CAPTION_KIND:
        return True
    if block.copies < 2 or block.text.count(" ") + 1 < CAPTION_PAIR_MIN_WORDS:
        return False
    if not block.text.endswith(CAPTION_PAIR_ENDINGS):
        return False  # a headline printed twice is not a caption
    neighbours = [blocks[i] for i in (block.index - 1, block.index + 1) if 0 <= i < len(blocks)]
    return any(group_root(n) == group_root(block) for n in neighbours)


def is_gallery_label(block: Block, is_caption: list[bool]) -> bool:
    following = block.index + 1
    return (
        block.kind is TEXT_KIND
        and following < len(is_caption)
        and is_caption[following]
        and block.text.count(" ") + 1 <= GALLERY_LABEL_MAX_WORDS
        and not block.text.endswith(SENTENCE_END_CHARS)
    )


def group_root(block: Block) -> int:
    return block.group


def assign_captions(
    blocks: list[Block], spans: list[Span], articles: list[Article], is_caption: list[bool]
) -> None:
    listed: dict[int, int] = {}  # duplicate-group root -> article number that lists it
    by_container = {blocks[span.start].container: k for k, span in reversed(list(enumerate(spans)))}
    for block in blocks:
        if not is_caption[block.index] or not articles:
            continue
        # the <article> element holding the caption, else the article it sits in or follows
        number = by_container.get(block.container, -1) if block.container >= 0 else -1
        if number < 0:
            number = max([k for k, span in enumerate(spans) if span.start <= block.index], default=0)
        root = group_root(block)
        if root in listed:
            block.role = Role.DUPLICATE
            block.reason = "caption already listed" if listed[root] == number else "repeats an earlier article's caption"
            continue
        listed[root] = number
        block.role, block.reason = Role.CAPTION, "caption"
        articles[number].captions.append(block.text)
