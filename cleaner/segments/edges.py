"""How much does a line read like the top or the bottom of a web page? Two
small logistic models over a line's words and shape: P(head), that the line
comes before the page's article (site name, menus, search box, breadcrumbs),
and P(foot), that it comes after it (copyright, "Privacy Policy", "Contact
us", "Top", share and comment prompts). Where one page of a dump ends and the
next begins, a footer is followed by a header (boundary.py asks).

A line is read by its words, its word count and a few marks, not by its
layout (blank lines and indentation are the renderer's), and the model learns
from both renderings (a browser's and get_text()'s, whose lines break at
tags), so that it does not lean on one scraper. Trained by ``bench/train_model.py --kind edge`` on the
single pages of the eval pool (both renderings): a line before the first line
of the page's gold is a head line, one after its last is a foot line.
Shipped as ``cleaner/data/edge_model.json``.
"""

from __future__ import annotations

import json
import math
import os
import re
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from ..model import Block
from ..speedups import compiled
from ..text import SENTENCE_END_CHARS

# A line's words: runs of letters, lower-cased (digits say little of where a
# line is, and "2004" and "2026" should read alike).
EDGE_WORD = re.compile(r"[^\W\d_]+")
# Only a line's first characters are read for words and shape: a header or
# footer line is short, and a long line is known by its length more than by
# its words.
EDGE_MAX_CHARS = 200
# Length tokens: a line's word count (runs of non-spaces) falls in one of these bands.
EDGE_LENGTH_BANDS = (1, 2, 4, 8, 16, 40)
# Shape tokens: what a line holds besides words.
EDGE_SHAPES = (
    ("~digit", re.compile(r"\d")),
    ("~copy", re.compile(r"©|\(c\)", re.IGNORECASE)),
    ("~bar", re.compile(r"\s[|•·/»>]\s|^[|•·»>]")),
    ("~at", re.compile(r"@|https?:|www\.")),
)


# "~len<k>": k is how many of EDGE_LENGTH_BANDS a line's word count exceeds
_LENGTH_TOKENS = tuple(f"~len{k}" for k in range(len(EDGE_LENGTH_BANDS) + 1))
# A line that ends a sentence (SENTENCE_END_CHARS); a line marked as a repeat of another (duplicate_of).
_STOP_TOKEN, _REPEAT_TOKEN = "~stop", "~repeat"


def edge_tokens(block: Block) -> set[str]:
    """The tokens a line is judged by: its first words, its length band, its shape."""
    text = block.text
    head = text[:EDGE_MAX_CHARS]
    tokens = set(EDGE_WORD.findall(head.lower()))
    words = text.count(" ") + 1
    tokens.add(_LENGTH_TOKENS[bisect_left(EDGE_LENGTH_BANDS, words)])
    tokens.update(name for name, pattern in EDGE_SHAPES if pattern.search(head))
    if text.endswith(SENTENCE_END_CHARS):
        tokens.add(_STOP_TOKEN)
    if block.duplicate_of is not None:
        tokens.add(_REPEAT_TOKEN)
    return tokens


# Lines read by one call of the edge model when a whole dump is read (EdgeModel.columns).
EDGE_CHUNK_BLOCKS = 4096


class EdgeColumns(NamedTuple):
    """Every block's P(head) and P(foot), in block order."""

    heads: array[float]
    feet: array[float]


class EdgeModel:
    """Each token's weights toward head and foot; a line's two probabilities."""

    __slots__ = ("intercepts", "weights", "_table")

    def __init__(self, intercepts: tuple[float, float], weights: dict[str, tuple[float, float]]) -> None:
        self.intercepts, self.weights = intercepts, weights
        self._table: Any = None  # the weights as cleaner._speedups reads them, made when first asked

    def probabilities_of(self, blocks: Sequence[Block]) -> list[tuple[float, float]]:
        """probabilities() of each block: by cleaner._speedups where it was
        built (the same numbers to the last bit, about 10x faster), else one by one."""
        module = compiled()
        if module is None:
            return [self.probabilities(block) for block in blocks]
        if self._table is None:
            self._table = module.edge_table(
                self.weights, self.intercepts, EDGE_MAX_CHARS, EDGE_LENGTH_BANDS, _LENGTH_TOKENS,
                tuple(name for name, _ in EDGE_SHAPES), _STOP_TOKEN, _REPEAT_TOKEN, SENTENCE_END_CHARS, math.fsum,
            )
        return module.edge_probabilities(  # type: ignore[no-any-return]
            self._table, [block.text for block in blocks], [block.duplicate_of is not None for block in blocks]
        )

    def columns(self, blocks: Sequence[Block]) -> EdgeColumns:
        """probabilities_of() every block, kept as two columns (16 bytes a
        line: a dump of a million lines is read a chunk at a time)."""
        heads, feet = array("d"), array("d")
        for first in range(0, len(blocks), EDGE_CHUNK_BLOCKS):
            chunk = self.probabilities_of(blocks[first: first + EDGE_CHUNK_BLOCKS])
            heads.extend(map(itemgetter(0), chunk))
            feet.extend(map(itemgetter(1), chunk))
        return EdgeColumns(heads, feet)

    def probabilities(self, block: Block) -> tuple[float, float]:
        """P(head) and P(foot) of a block. The weights are summed exactly
        (fsum): a set's order changes from one process to the next, and a
        float sum's last bits with it, so the same page gives the same bytes."""
        weights = self.weights
        found = [weights[token] for token in weights.keys() & edge_tokens(block)]
        head = math.fsum([self.intercepts[0], *[weight[0] for weight in found]])
        foot = math.fsum([self.intercepts[1], *[weight[1] for weight in found]])
        return _sigmoid(head), _sigmoid(foot)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


def read_model(path: str | None, packaged: str) -> Any:
    """A model's JSON: the file at path, or the packaged one of that name (cleaner/data)."""
    if path is None:
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", packaged)
    with open(path, "rb") as handle:
        return json.loads(handle.read())


@lru_cache(maxsize=8)
def load_edge_model(path: str | None) -> EdgeModel:
    model = read_model(path, "edge_model.json")
    weights = dict(zip(model["tokens"], zip(model["head"], model["foot"])))
    return EdgeModel((model["intercept"][0], model["intercept"][1]), weights)
