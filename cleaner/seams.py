"""Stage 3b: where does one page of a text dump end and the next begin?

A dump of several pages (an infinite scroll saved whole, pages of a crawl
strung together) holds each page's head and foot: menus, a site name, a
search box above its article, a copyright line, "Privacy Policy" and share
prompts below it. Where one page ends, a foot is followed by a head, and on
pages of one site the head prints the dump's first lines again. A small
logistic model gives every line the probability that a new page starts at it,
from how much the lines just above read like a page's foot and those just
below like a page's head (edges.py), and from the dump's first lines printed
again (or a line that names the site as the dump's first line does: a
page's title line). The likeliest lines, at least SEAM_MIN_PROBABILITY and
MIN_PAGE_BLOCKS apart, are the seams.

The seams matter twice. Each page's lines are judged in their own page
(classify.py reads where a line stands towards the prose of its page: in a
dump, a later page's article otherwise stands behind most of the dump's prose,
where a single page holds its comments and foot), and no article runs across
a seam (segments). Trained by ``bench/train_model.py --kind seams`` on the
multi-article dumps of the eval pool, dumps it strings together from single
pages, and the single pages themselves (which have no seam); shipped as
``cleaner/data/seam_model.json``. Text dumps only: an HTML page is one page.
Every line of every text dump is asked: where the C helper is built, it makes
the features and logits (``seam_candidates`` in cleaner/_speedups.c, the same
numbers to the last bit); ``seam_columns`` is the reference, and what the
training reads.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache, partial, reduce
from itertools import accumulate, repeat
from operator import add, mul, sub, truediv

from .model import Block
from .segments.edges import EdgeColumns, read_model
from .speedups import compiled
from .text import TITLE_SEPARATORS

SEAM_FEATURES = (
    "foot_end", "foot_above", "head_start", "head_below", "head_above", "foot_below", "first_lines_below",
    "replays_opening", "log_side",
)
# Lines read on each side of a seam: the nearest few for its edges (the most
# foot-like of the last lines above, the most head-like of the first below),
# and a wider window for the mean of a page's head or foot.
EDGE_LINES = 3
SIDE_LINES = 10
# The dump's first lines (blocks): a line that prints one of them again
# (the site's head on its next page) opens a page, or is near where one opens.
FIRST_LINES = 30
# ... and its very first lines: a page of the same site opens by printing the
# dump's first line again, then more of its first lines in order (how many,
# up to this many), within REPLAY_LINES lines from there: the page's own lines
# (its title, its date) stand between them. At most SIDE_LINES: the lines read
# past a chunk's last line are no more (the C helper refuses more).
OPENING_LINES = 4
REPLAY_LINES = 2 * OPENING_LINES
# ... or a line that names the site as the dump's first line does, where each
# page's first line names the site and the page between title separators: a
# line that opens as the first does up to its first separator ("#Sitename »
# Feed Sitename » <the page's title>", lynx's line of a page's feeds), or ends
# as it does from its last ("<the page's title> | Sitename", the page's <title>,
# which get_text writes first), the site's name at least SITE_NAME_MIN_CHARS
# long.
SITE_NAME_MIN_CHARS = 4
# A page is at least this many blocks: no seam is this near another or the dump's ends.
MIN_PAGE_BLOCKS = 5
# Lines whose features are made at a time (a dump of a million lines is read in chunks).
SEAM_CHUNK_LINES = 8192
# A line at least this likely to open a page (and the likeliest near it) is a seam.
SEAM_MIN_PROBABILITY = 0.5


def seam_columns(
    blocks: Sequence[Block], edges: EdgeColumns, start: int = MIN_PAGE_BLOCKS, stop: int | None = None
) -> list[list[float]]:
    """SEAM_FEATURES, one column each, of every line from start to stop (not
    included; by default every line that may open a page, from MIN_PAGE_BLOCKS
    to len(blocks) - MIN_PAGE_BLOCKS); edges: each block's P(head) and P(foot)
    (edges.py). Made by maps over whole columns (they loop in C: every line of
    every text dump is asked)."""
    n = len(blocks)
    if stop is None:
        stop = n - MIN_PAGE_BLOCKS + 1
    heads, feet = edges
    # the lines read: those asked and SIDE_LINES each side (indices from lo)
    lo, hi = max(0, start - SIDE_LINES), min(n, stop + SIDE_LINES)
    at = range(start - lo, stop - lo)
    above = [max(0, i - SIDE_LINES) for i in at]
    below = [min(hi - lo, i + SIDE_LINES) for i in at]
    first = array("d", (
        1.0 if b.duplicate_of is not None and b.duplicate_of < FIRST_LINES else 0.0 for b in blocks[lo:hi]
    ))

    def mean_above(values: array[float]) -> list[float]:  # values: of the lines read, from lo
        sums = array("d", accumulate(values, initial=0.0))
        return list(map(truediv, map(sub, map(sums.__getitem__, at), map(sums.__getitem__, above)), map(sub, at, above)))

    def mean_below(values: array[float]) -> list[float]:
        sums = array("d", accumulate(values, initial=0.0))
        return list(map(truediv, map(sub, map(sums.__getitem__, below), map(sums.__getitem__, at)), map(sub, below, at)))

    replayed = [0.0] * len(at)
    opens = replay_openings(blocks, start, stop)
    for i in range(start, stop):
        if blocks[i].duplicate_of == 0 or (opens and opens[i - start]):
            # the dump's first line again (rare), or a line naming the site as it does:
            # how many of its next follow it
            k, last = 1, 0
            for j in range(i + 1, min(n, i + REPLAY_LINES)):
                of = blocks[j].duplicate_of
                if of is not None and last < of < FIRST_LINES:
                    k, last = k + 1, of
                    if k == OPENING_LINES:
                        break
            replayed[i - start] = k / OPENING_LINES
    return [
        list(map(max, *(feet[start - k: stop - k] for k in range(1, EDGE_LINES + 1)))),
        mean_above(feet[lo:hi]),
        list(map(max, *(heads[start + k: stop + k] for k in range(EDGE_LINES)))),
        mean_below(heads[lo:hi]),
        mean_above(heads[lo:hi]),
        mean_below(feet[lo:hi]),
        mean_below(first),
        replayed,
        list(map(math.log1p, map(min, range(start, stop), map(sub, repeat(n), range(start, stop))))),
    ]


def replay_openings(blocks: Sequence[Block], start: int, stop: int) -> bytes | None:
    """For each line from start to stop, whether it names the site as the
    dump's first line does: opens as it does up to its first title separator
    (TITLE_SEPARATORS), or ends as it does from its last; None if the first
    line has no separator with SITE_NAME_MIN_CHARS before the first or after
    the last."""
    if not blocks:
        return None
    first = blocks[0].text
    separators = list(TITLE_SEPARATORS.finditer(first))
    if not separators:
        return None
    opening = first[:separators[0].end()] if separators[0].start() >= SITE_NAME_MIN_CHARS else None
    ending = first[separators[-1].start():] if len(first) - separators[-1].end() >= SITE_NAME_MIN_CHARS else None
    if opening is None and ending is None:
        return None
    return bytes(
        (opening is not None and block.text.startswith(opening)) or (ending is not None and block.text.endswith(ending))
        for block in blocks[start:stop]
    )


def find_seams(blocks: Sequence[Block], edges: EdgeColumns, seam_model: str | None) -> list[int]:
    """The blocks that open a page after the first, in order (none on a dump
    too short to hold two pages); edges: every block's P(head) and P(foot)."""
    if len(blocks) < 2 * MIN_PAGE_BLOCKS:
        return []
    intercept, weights = _load(seam_model)
    likely = []
    last = len(blocks) - MIN_PAGE_BLOCKS + 1
    for start in range(MIN_PAGE_BLOCKS, last, SEAM_CHUNK_LINES):  # a chunk at a time: a big dump's columns are big
        likely.extend(seam_candidates(blocks, edges, start, min(last, start + SEAM_CHUNK_LINES), intercept, weights))
    likely.sort()
    seams: list[int] = []  # in order
    for _, i in likely:  # the likeliest first; one seam in any MIN_PAGE_BLOCKS
        k = bisect_left(seams, i)
        if (k == 0 or i - seams[k - 1] >= MIN_PAGE_BLOCKS) and (k == len(seams) or seams[k] - i >= MIN_PAGE_BLOCKS):
            seams.insert(k, i)
    return seams


def seam_candidates(
    blocks: Sequence[Block], edges: EdgeColumns, start: int, stop: int, intercept: float, weights: list[float]
) -> list[tuple[float, int]]:
    """(-z, i) for each line i from start to stop that the model finds at
    least SEAM_MIN_PROBABILITY likely to open a page (z + intercept: its
    logit), in line order. The C helper's seam_candidates where it is built
    (the same numbers to the last bit), else _candidates."""
    helper = compiled()
    if helper is None:
        return _candidates(blocks, edges, start, stop, intercept, weights)
    constants = (EDGE_LINES, SIDE_LINES, FIRST_LINES, OPENING_LINES, REPLAY_LINES)
    found: list[tuple[float, int]] = helper.seam_candidates(
        blocks, edges.heads, edges.feet, start, stop, weights, intercept, _SEAM_MIN_LOGIT, constants,
        replay_openings(blocks, start, stop),
    )
    return found


def _candidates(
    blocks: Sequence[Block], edges: EdgeColumns, start: int, stop: int, intercept: float, weights: list[float]
) -> list[tuple[float, int]]:
    """seam_candidates in Python: z = ((w0*c0 + w1*c1) + w2*c2) + ..., in feature order."""
    columns = seam_columns(blocks, edges, start, stop)
    logits = reduce(partial(map, add), (map(mul, repeat(w), column) for w, column in zip(weights, columns)))
    return [(-z, i) for i, z in enumerate(logits, start) if z + intercept >= _SEAM_MIN_LOGIT]


_SEAM_MIN_LOGIT = math.log(SEAM_MIN_PROBABILITY / (1 - SEAM_MIN_PROBABILITY))


@lru_cache(maxsize=8)
def _load(path: str | None) -> tuple[float, list[float]]:
    """The model's intercept and weights, its standardisation folded in."""
    model = read_model(path, "seam_model.json")
    slopes = [c / s for c, s in zip(model["coef"], model["scale"])]
    return model["intercept"][0] - math.fsum(w * m for w, m in zip(slopes, model["mean"])), slopes
