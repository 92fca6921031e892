"""Does the next body run (or the body lines after a gap inside a run) start
another page's article? A small logistic model over what lies between the
article so far and those lines: how far apart they
are, how much of the gap repeats the page's earlier lines (a site's template
printed again), copyright and date lines, a headline-shaped line just above
the run, the scores of the lines in the gap, the two sides' sizes.

Trained by ``bench/train_model.py --kind boundary`` on the multi-article dumps
of the eval pool and on dumps it strings together from single pages (both
renderings), where the page boundaries are known; shipped as
``cleaner/data/boundary_model.json``.
"""

from __future__ import annotations

import json
import math
import operator
import os
from dataclasses import dataclass
from functools import lru_cache

from ..model import Block, BlockKind
from ..text import SENTENCE_END_CHARS, dateline_of

BOUNDARY_FEATURES = (
    "log_gap", "log_template_repeats", "template_share", "log_head_repeats", "dateline", "container_change",
    "log_article_chars", "log_run_chars", "notice_in_gap", "date_near_run", "title_near_run", "gap_mean_score",
    "gap_short_share", "gap_low_share",
)
# Lines this near the next run (blocks) are "just above" it: its headline, its date.
NEAR_RUN_BLOCKS = 6
# The page's first lines (blocks): a gap that prints them again opens a new page.
HEAD_BLOCKS = 30
# A gap line shorter than this (characters) is short: menu items, labels.
SHORT_LINE_CHARS = 40
# A gap line scoring below this is clearly not article text.
LOW_SCORE = 0.05
# A headline-shaped line: this many words at most, and no final full stop.
TITLE_MAX_WORDS = 25


@dataclass(frozen=True)
class Gap:
    """Where an article's body so far ends (block index) and the next body
    lines start, and the characters of each side (the next side: to the end
    of its run)."""

    end: int
    start: int
    article_chars: int
    run_chars: int


def boundary_features(where: Gap, blocks: list[Block]) -> list[float]:
    """The features of the gap between an article's body and the next body lines."""
    end, start = where.end, where.start
    gap = blocks[end + 1: start]
    template = sum(1 for b in gap if b.duplicate_of is not None and b.duplicate_of < end)
    head = sum(1 for b in gap if b.duplicate_of is not None and b.duplicate_of < HEAD_BLOCKS)
    near = blocks[max(end + 1, start - NEAR_RUN_BLOCKS): start]
    n = len(gap) or 1
    return [
        math.log1p(len(gap)),
        math.log1p(template),
        template / n,
        math.log1p(head),
        1.0 if dateline_of(blocks[start].text) else 0.0,
        1.0 if blocks[start].container != blocks[end].container and blocks[start].container >= 0 else 0.0,
        math.log1p(where.article_chars),
        math.log1p(where.run_chars),
        1.0 if any(b.kind is BlockKind.NOTICE for b in gap) else 0.0,
        1.0 if any(b.kind is BlockKind.DATE for b in near) else 0.0,
        1.0 if any(_title_shaped(b) for b in near) else 0.0,
        sum(b.content_score for b in gap) / n,
        sum(1 for b in gap if len(b.text) < SHORT_LINE_CHARS) / n,
        sum(1 for b in gap if b.content_score < LOW_SCORE) / n,
    ]


def _title_shaped(block: Block) -> bool:
    return (
        block.duplicate_of is None
        and 2 <= block.text.count(" ") + 1 <= TITLE_MAX_WORDS
        and not block.text.endswith(SENTENCE_END_CHARS)
    )


def boundary_probability(where: Gap, blocks: list[Block], path: str | None) -> float:
    intercept, weights = _load(path)
    z = intercept + sum(map(operator.mul, weights, boundary_features(where, blocks)))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=8)
def _load(path: str | None) -> tuple[float, list[float]]:
    """The weights with the standardisation folded in: z = b + sum(w_j * x_j)."""
    if path is None:
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "boundary_model.json")
    with open(path, "rb") as handle:
        model = json.loads(handle.read())
    if model["features"] != list(BOUNDARY_FEATURES):
        raise ValueError(f"{path}: a boundary model for other features")
    slopes = [c / s for c, s in zip(model["coef"], model["scale"])]
    return model["intercept"][0] - sum(w * m for w, m in zip(slopes, model["mean"])), slopes
