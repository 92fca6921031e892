"""Does the next body run (or the next body line inside a run) start another
page's article? A small logistic model over what lies between the article so
far and those lines: how far apart they are, how much of the gap repeats the
page's earlier lines (a site's template printed again), copyright and date
lines, a headline-shaped line just above the run, the scores of the lines in
the gap, the two sides' sizes, whether the lines where the article ends read
like the foot of a page and those where the next lines start like the head of
one (edges.py), and whether the two sides speak of the same things (the words
they share over a few lines, a few paragraphs and a page's length: two pages
strung together with nothing between them still change topic where one ends).

Trained by ``bench/train_model.py --kind boundary`` on the multi-article dumps
of the eval pool and on dumps it strings together from single pages (both
renderings), where the page boundaries are known; shipped as
``cleaner/data/boundary_model.json``.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from itertools import chain, repeat
from typing import TYPE_CHECKING, NamedTuple

from ..model import Block, BlockKind
from ..speedups import compiled
from ..text import SENTENCE_END_CHARS, dateline_of

if TYPE_CHECKING:
    from .edges import EdgeColumns

# How much the lines where the article ends read like a page's foot, and
# those where the next lines start like a page's head (edges.py).
EDGE_FEATURES = ("foot_end", "head_start")
# The overlap of the topic words on both sides of a gap, over windows of
# COHESION_WINDOWS words each (a few lines, a few paragraphs, a page): one
# article's paragraphs differ in their words too, but less the more are read.
COHESION_FEATURES = ("cohesion_near", "cohesion", "cohesion_far")
COHESION_WINDOWS = (40, 120, 1000)
# The features of what lies on both sides of a gap: each between 0 and 1.
WORD_FEATURES = (*EDGE_FEATURES, *COHESION_FEATURES)
# The flags (0 or 1) that can be set when the next body line is asked about:
# nothing lies between, so every other gap feature is 0 (gap_features).
NEXT_LINE_FLAGS = ("dateline", "container_change", "notice_near", "start_title_shaped", "end_sentence")
BOUNDARY_FEATURES = (
    "log_gap", "log_template_repeats", "template_share", "log_head_repeats", "dateline", "container_change",
    "log_article_chars", "log_run_chars", "notice_in_gap", "date_near_run", "title_near_run", "gap_mean_score",
    "gap_short_share", "gap_low_share", "notice_near", "start_title_shaped", "end_sentence",
    # the lines and words on both sides (GapFeatures.word_features): each between 0 and 1, and last
    *WORD_FEATURES,
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
# Lines on each side of a gap's edges read for foot and head (edges.py): the
# article's last lines and the gap's first ones; the gap's last lines and the
# next lines' first ones.
EDGE_LINES = 4
# A topic word: a run of at least four letters (shorter words are mostly
# function words in the languages of the pages; no word list needed).
TOPIC_WORD_MIN_CHARS = 4
TOPIC_WORD = re.compile(rf"[^\W\d_]{{{TOPIC_WORD_MIN_CHARS},}}")


class Gap(NamedTuple):
    """Where an article's body so far ends (block index) and the next body
    lines start, and the characters of each side (the next side: to the end
    of its run). A named tuple: made at every line of a long run, and
    quicker to make than a frozen dataclass (and to define, at start-up)."""

    end: int
    start: int
    article_chars: int
    run_chars: int


class GapFeatures:
    """The features of gaps on one page. Each block's topic words are found once
    (a long run asks at every line)."""

    def __init__(self, blocks: list[Block], edge_model: str | None = None, edges: EdgeColumns | None = None) -> None:
        self.blocks, self.edge_model = blocks, edge_model
        self._words: list[tuple[str, ...]] = []
        self._rarity: dict[str, float] = {}
        self._edges: dict[int, tuple[float, float]] = {}
        self._columns = edges  # every block's P(head) and P(foot), if read already (seams.py)

    def words(self, index: int) -> tuple[str, ...]:
        if not self._words:  # a page without two article-sized parts asks nothing: its words are not looked at
            # a line printed again (a site's template on its next page) says nothing of the topic
            self._words = page_topic_words([b.text if b.duplicate_of is None else "" for b in self.blocks])
            lines = Counter(chain.from_iterable(map(set, self._words)))  # counted in one call (it loops in C)
            # a word on few of the page's lines speaks of one thing; one on many ("said", "with") of none
            self._rarity = {word: math.log(len(self.blocks) / count) for word, count in lines.items()}
        return self._words[index]

    def window(self, index: int, step: int, size: int) -> Counter[str]:
        """size topic words from block index on, going step (+1 or -1)."""
        taken, picked = 0, []
        while 0 <= index < len(self.blocks) and taken < size:
            words = self.words(index)
            picked.append(words)
            taken += len(words)
            index += step
        return Counter(chain.from_iterable(picked))  # counted in one call, in the same order

    def cohesion(self, where: Gap, size: int) -> float:
        """Cosine similarity of the size topic words just before and just after
        a gap, each word weighted by how few of the page's lines hold it (its rarity)."""
        before, after = self.window(where.end, -1, size), self.window(where.start, 1, size)
        if not before or not after:
            return 0.0
        # the sums as sum(count * after[word] * rarity[word] ** 2 for each word in both)
        # and sum((count * rarity[word]) ** 2 for each word of a side) make them, term
        # by term in the same order, by maps (they loop in C)
        weight, mul = self._rarity.__getitem__, operator.mul
        shared = list(filter(after.__contains__, before))
        dot = sum(map(mul, map(mul, map(before.__getitem__, shared), map(after.__getitem__, shared)),
                      map(pow, map(weight, shared), repeat(2))))
        norm = math.sqrt(
            sum(map(pow, map(mul, before.values(), map(weight, before)), repeat(2)))
            * sum(map(pow, map(mul, after.values(), map(weight, after)), repeat(2)))
        )
        return dot / norm if norm else 0.0

    def edges(self, where: Gap) -> tuple[float, float]:
        """How much the lines where the article ends read like a page's foot,
        and those where the next lines start like a page's head (the most likely
        of EDGE_LINES on each side); 0 for the next line (nothing between: one
        page's lines, nearly always, and asking costs time at every line)."""
        end, start = where.end, where.start
        if start == end + 1:
            return 0.0, 0.0
        ending = range(max(0, end - EDGE_LINES // 2 + 1), min(start, end + 1 + EDGE_LINES))
        starting = range(max(end + 1, start - EDGE_LINES), min(len(self.blocks), start + EDGE_LINES // 2))
        if self._columns is not None:  # read already, for every block
            heads, feet = self._columns
            return max(feet[i] for i in ending), max(heads[i] for i in starting)
        self._read_edges([*ending, *starting])
        edges = self._edges
        return max(edges[i][1] for i in ending), max(edges[i][0] for i in starting)

    def _read_edges(self, indexes: list[int]) -> None:
        """P(head) and P(foot) of the blocks not read yet among indexes (each
        block read once, when first asked; those of one gap in one call)."""
        missing = [i for i in indexes if i not in self._edges]
        if missing:
            from .edges import load_edge_model

            found = load_edge_model(self.edge_model).probabilities_of([self.blocks[i] for i in missing])
            self._edges.update(zip(missing, found))

    def word_features(self, where: Gap) -> list[float]:
        """WORD_FEATURES of the gap."""
        return [*self.edges(where), *(self.cohesion(where, size) for size in COHESION_WINDOWS)]

    def __call__(self, where: Gap) -> list[float]:
        """BOUNDARY_FEATURES of the gap."""
        return gap_features(where, self.blocks) + self.word_features(where)


def page_topic_words(texts: list[str]) -> list[tuple[str, ...]]:
    """The topic words of each line, lower-cased, each word one str (a page
    says its words many times: on a big dump a str for every one of them took
    more memory than its blocks). By cleaner._speedups where it is built (the
    same words, about 5x faster), else by _topic_words."""
    known: dict[str, str] = {}
    module = compiled()
    if module is not None:
        return module.topic_words(texts, known, TOPIC_WORD_MIN_CHARS)  # type: ignore[no-any-return]
    one = known.setdefault
    return [_topic_words(text, one) for text in texts]


def _topic_words(text: str, one: Callable[[str, str], str]) -> tuple[str, ...]:
    """The topic words of a line, lower-cased, each the str one gives for it."""
    words = TOPIC_WORD.findall(text.lower())
    return tuple(map(one, words, words))


def gap_features(where: Gap, blocks: list[Block]) -> list[float]:
    """The features of the gap between an article's body and the next body
    lines, but for the words (BOUNDARY_FEATURES without WORD_FEATURES)."""
    end, start = where.end, where.start
    first, last = blocks[start], blocks[end]
    notice_near = BlockKind.NOTICE in {b.kind for b in blocks[max(0, start - NEAR_RUN_BLOCKS): start]}
    edges = [
        1.0 if dateline_of(first.text) else 0.0,
        1.0 if first.container != last.container and first.container >= 0 else 0.0,
        math.log1p(where.article_chars),
        math.log1p(where.run_chars),
    ]
    sides = [
        1.0 if notice_near else 0.0,
        1.0 if _title_shaped(first) else 0.0,
        1.0 if last.text.endswith(SENTENCE_END_CHARS) else 0.0,
    ]
    if start == end + 1:  # next lines (most questions inside a run): nothing between
        return [0.0] * 4 + edges + [0.0] * 6 + sides
    gap = blocks[end + 1: start]
    template = sum(1 for b in gap if b.duplicate_of is not None and b.duplicate_of < end)
    head = sum(1 for b in gap if b.duplicate_of is not None and b.duplicate_of < HEAD_BLOCKS)
    near = blocks[max(end + 1, start - NEAR_RUN_BLOCKS): start]
    n = len(gap)
    return [
        math.log1p(n),
        math.log1p(template),
        template / n,
        math.log1p(head),
        *edges,
        1.0 if any(b.kind is BlockKind.NOTICE for b in gap) else 0.0,
        1.0 if any(b.kind is BlockKind.DATE for b in near) else 0.0,
        1.0 if any(_title_shaped(b) for b in near) else 0.0,
        sum(b.content_score for b in gap) / n,
        sum(1 for b in gap if len(b.text) < SHORT_LINE_CHARS) / n,
        sum(1 for b in gap if b.content_score < LOW_SCORE) / n,
        *sides,
    ]


def _title_shaped(block: Block) -> bool:
    return (
        block.duplicate_of is None
        and 2 <= block.text.count(" ") + 1 <= TITLE_MAX_WORDS
        and not block.text.endswith(SENTENCE_END_CHARS)
    )


def is_boundary(where: Gap, features: GapFeatures, path: str | None, min_probability: float) -> bool:
    """Does the model give a page boundary at the gap at least min_probability?
    What lies on both sides is looked at only when it could tip the answer:
    each of those features lies between 0 and 1, so the ones not yet computed
    bound what they can add (a long run asks at every line, and most lines are
    plainly not a page start). The cheap ones first: the edge lines, then the
    topic words over ever wider windows."""
    model = _load(path)
    needed = _logit(min_probability)
    if where.start == where.end + 1 and model.next_line_at_most + model.article_weight * math.log1p(
        where.article_chars
    ) + model.run_weight * math.log1p(where.run_chars) < needed:
        return False  # the next line: only the sides' sizes and a few flags can say yes, and they cannot
    z = model.intercept + sum(map(operator.mul, model.gap_weights, gap_features(where, features.blocks)))
    for step, weights in enumerate(model.side_weights):
        if z + model.sides_at_most[step] < needed:
            return False
        if z + model.sides_at_least[step] >= needed:
            return True
        values = features.edges(where) if step == 0 else (features.cohesion(where, COHESION_WINDOWS[step - 1]),)
        z += sum(map(operator.mul, weights, values))
    return bool(z >= needed)


@lru_cache(maxsize=8)
def _logit(probability: float) -> float:
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return math.log(probability / (1.0 - probability))


class _Model:
    """The weights with the standardisation folded in: z = intercept + sum(w_j * x_j).
    side_weights: the edge features' weights, then each cohesion feature's, in
    the order is_boundary computes them; sides_at_most and sides_at_least: the
    most and least those from step k on can add (each feature lies in 0-1). A
    next-line question: the most its 0-1 flags and the cohesion features can
    add to the intercept (every other feature, the edge features too, is 0
    there), and the sides' size weights. (A plain class: a dataclass costs a
    millisecond of start-up to make.)"""

    __slots__ = (
        "intercept", "gap_weights", "side_weights", "sides_at_most", "sides_at_least", "next_line_at_most",
        "article_weight", "run_weight",
    )

    def __init__(self, intercept: float, slopes: list[float]) -> None:
        split = len(slopes) - len(WORD_FEATURES)
        weight = dict(zip(BOUNDARY_FEATURES, slopes))
        self.intercept = intercept
        self.gap_weights = slopes[:split]
        self.side_weights = [[weight[name] for name in EDGE_FEATURES]] + [[weight[name]] for name in COHESION_FEATURES]
        self.sides_at_most = [
            sum(max(0.0, w) for step in self.side_weights[k:] for w in step) for k in range(len(self.side_weights))
        ]
        self.sides_at_least = [
            sum(min(0.0, w) for step in self.side_weights[k:] for w in step) for k in range(len(self.side_weights))
        ]
        self.next_line_at_most = (  # the edge features are 0 there
            intercept + self.sides_at_most[1] + sum(max(0.0, weight[name]) for name in NEXT_LINE_FLAGS)
        )
        self.article_weight, self.run_weight = weight["log_article_chars"], weight["log_run_chars"]


@lru_cache(maxsize=8)
def _load(path: str | None) -> _Model:
    from .edges import read_model

    model = read_model(path, "boundary_model.json")
    if model["features"] != list(BOUNDARY_FEATURES):
        raise ValueError(f"{path or 'the packaged boundary model'}: a boundary model for other features")
    slopes = [c / s for c, s in zip(model["coef"], model["scale"])]
    intercept = model["intercept"][0] - sum(w * m for w, m in zip(slopes, model["mean"]))
    return _Model(intercept, slopes)
