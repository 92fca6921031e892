"""Where does an article end, and where does it start? A text dump goes on
after the article: readers' comments, an author's box, related stories, a
site's blurb. Their lines are prose too, so each of them may score as article
text, and a body run takes them in. But the page reads differently from there
on: the lines in the gaps read like a page's foot ("8 comments on ...",
"Tags:", "About the author"; edges.py), a comments heading has passed, short
name lines come between the paragraphs, the line scores drop, and most of the
article is already behind. Above the article, teasers of other stories and a
video's caption are taken in the same way.

A small logistic model gives each body line of an article the probability
that it lies past the article's end (that the rest of the body, from it on, is
not the article); a second one, reading the body from its end up, the
probability that a line lies before its start. The end is where the article's
lines are likeliest to be article before it and past the end after it (a
change point: the cut that makes the words on both sides most likely), and the
lines after it leave the body; the start likewise. Trained by
``bench/train_model.py --kind ends`` on the single pages of the eval pool
(four renderings), where a body line after the page's last gold line lies past
the end and one before its first before the start; shipped as
``cleaner/data/ends_model.json``. HTML pages have an end model of their own,
the same features read off their blocks (``--kind html_ends``, on the pool's
HTML pages; ``cleaner/data/html_ends_model.json``): a page's comment regions
are known from its markup, but readers' comments, related stories and a
site's boxes in markup that does not name them are not. (Where an HTML
page's article starts, its markup says: a start model moved no figure and
cut headlines off.)
"""

from __future__ import annotations

import math
import operator
import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, compress, count

from ..classify import LONG_LINE_CHARS, is_comments_heading, post_count_lines
from ..config import CleanerConfig
from ..model import Block, block_text
from ..text import SENTENCE_END_CHARS
from .edges import EdgeColumns, load_edge_model, read_model
from .runs import Span

# A line's features, read from the article's far side toward the edge asked
# about: "outer" is how much a line reads like the part of a page on that side
# of an article (its foot past the end, its head before the start), "inner"
# like the other; "before" is the article's text already read.
EDGE_FEATURES = (
    "outer", "inner", "score", "name_line", "gap_outer", "gap_comments_heading", "outer_so_far",
    "comments_heading_so_far", "share_before", "log_chars_before", "next_outer", "next_score", "previous_outer",
    "exclamation",
)
# A name line between paragraphs (a comment's author): this many words at most,
# this many characters at most, and no sentence end.
NAME_LINE_MAX_WORDS = 3
NAME_LINE_MAX_CHARS = 40
# The next lines (the line itself and those after it) and the previous lines
# whose outer edge and score are averaged: a few paragraphs.
NEXT_LINES = 5
PREVIOUS_LINES = 5
# Probabilities are kept this far from 0 and 1 (a line's log-likelihood is
# finite: one line cannot outweigh every other).
PROBABILITY_FLOOR = 1e-4

# A link to the site's previous or next post ("« Previous Post", "Older Post",
# "Next Story »", "Newer Entries"), with at most the other post's title after
# it: a blog or news page prints it under its post, above the comments and the
# sidebar. Once the article's first paragraph has passed, the article ends
# there, wherever the ends model puts its end (above the article, a site's
# head prints such links too).
POST_NAVIGATION = (
    r"^[«‹<←\s]*(?:(?:newer|older|previous|next)\s+(?:posts?|entries|entry|articles?|stories|story)"
    # the other languages of classify.STOPWORDS: "Vorheriger Beitrag", "Article suivant", "Post anterior"
    r"|(?:vorheriger|nächster|älterer|neuerer)\s+(?:beitrag|artikel|eintrag)|article\s+(?:précédent|suivant)"
    r"|(?:artículo|articulo|artigo|articolo|post|entrada)\s+(?:anterior|siguiente|seguinte|precedente|successivo)"
    r"|(?:vorig|volgend)e?\s+(?:bericht|artikel))\b.{0,40}$"
)
# The heading of an author's box ("About the author", "About the Authors:"),
# alone or with the box's text after a colon ("About the Author: Jane Roe
# has covered …"): the post is over where it stands, as at a POST_NAVIGATION
# line (a box of links or a quote inside an article goes on under it; an
# author's box never does: dn-R464, dn-T39).
AUTHOR_BOX_HEADING = (
    r"^(?:about the authors?|über (?:den|die) autor(?:in|en)?|(?:à|a) propos de l['’]auteur|sobre (?:el|o) autor"
    r"|informazioni sull['’]autore|over de auteur)(?:\W{0,3}$|\s*:)"
)
# A blog's line under its post ("This entry was posted on … and is filed
# under …", as WordPress prints it) and a prompt to readers who got to the
# end ("If you enjoyed this article, …", "Did you like this post?"): past it,
# the page's.
POST_FOOTER = (
    r"^(?:this entry was (?:posted|filed)\b"
    r"|(?:if you (?:enjoyed|liked)|did you (?:enjoy|like)) this (?:article|post|story)\b)"
)
# A line that files the post under its topics ("Tags: …", "Categories: …",
# "Filed under: …"): a blog or news page prints it under the post, above its
# share buttons, related posts and comments, and the post ends there too.
POST_TOPICS = (
    r"^(?:tags|tagged(?: with)?|categories|category|filed under|posted in|topics|labels"
    # the other languages of classify.STOPWORDS: "Schlagwörter:", "Catégories :", "Etiquetas:"
    r"|schlagwörter|schlagworte|kategorien?|étiquettes|catégories?|mots-clés|etiquetas|categorías?|categorias?"
    r"|tag|categorie|etichette|trefwoorden|categorieën)\s*:"
)
# A news story's credit line ("With files from the Canadian Press", "Jane Roe
# contributed to this report."): the story's last line, what follows it is the page's.
CREDIT_LINE = re.compile(
    r"^[(\[]?(?:with files from\b.{0,60}|.{0,80}\bcontributed to this (?:report|story|article)\b.{0,3})$", re.I
)
# No CREDIT_LINE is longer than this (characters: its pattern's longest match
# is 111): longer lines are not matched against it (its ".{0,80}" costs).
CREDIT_MAX_CHARS = 120
# Lines of one kind of these that stand further apart than this (blocks) end
# nothing: a listing prints them under each of its items (a directory's
# "CATEGORIES:" under every entry, a blog's front page "This entry was
# posted …" under every post), and one post's stand together (its
# categories, then its tags).
POST_END_MAX_SPREAD = 3
# The lines that end a post where they stand (the patterns above, as text,
# all matched without regard to case), in one pattern: one match a line, every
# line of every article is read; each a named group.
POST_END = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in (
            ("navigation", POST_NAVIGATION), ("author", AUTHOR_BOX_HEADING), ("topics", POST_TOPICS),
            ("footer", POST_FOOTER),
        )
    ),
    re.I,
)

# The packaged models (cleaner/data): text dumps', HTML pages'.
ENDS_MODEL, HTML_ENDS_MODEL = "ends_model.json", "html_ends_model.json"
# The sides of an ends model: where the article ends, where it starts.
ENDS = ("end", "start")

END_REASON = "past the article's end (comments, an author's box, related stories)"
START_REASON = "before the article's start (a teaser, a standfirst of another story, page furniture)"


def cut_ends(
    spans: list[Span], blocks: list[Block], config: CleanerConfig, edges: EdgeColumns | None = None, html: bool = False
) -> None:
    """Each article's body runs from its start to its end (article_edge, each
    way); the lines outside leave it. An article keeps at least one line (a
    page with an article never comes out empty for it). edges: every block's
    P(head) and P(foot), if they were read already (seams.py reads them).
    html: an HTML page's blocks, read by the HTML ends model (its end only)."""
    features = EdgeFeatures(blocks, config.edge_model, edges)
    path, packaged = (config.html_ends_model, HTML_ENDS_MODEL) if html else (config.ends_model, ENDS_MODEL)
    for span in spans:
        body = span.body
        if len(body) < 2:
            continue
        words = [blocks[i].text.count(" ") + 1 for i in body]
        end = article_edge(features.rows(body, start=False), words, path, "end", packaged)
        # an HTML page's article starts where its markup has put it (under its
        # headline's element): its end alone is asked
        if html:
            start = 0
        else:
            start = len(body) - article_edge(features.rows(body, start=True), words[::-1], path, "start", packaged)
        if start >= end:  # the two edges cross: neither is trusted
            continue
        end = _post_end(body, blocks, start, end)
        for i in body[end:]:
            blocks[i].reason = END_REASON
        for i in body[:start]:
            blocks[i].reason = START_REASON
        span.body, span.cut_head = body[start:end], body[:start]


class EdgeFeatures:
    """The EDGE_FEATURES of each body line of an article, from a page's blocks
    (each block read once: its head, its foot, whether it is a comments heading)."""

    def __init__(self, blocks: list[Block], edge_model: str | None, edges: EdgeColumns | None = None) -> None:
        self.blocks = blocks
        self.model = load_edge_model(edge_model)
        self.edges = edges
        self._read: list[tuple[float, float, float, float, float] | None] = [None] * len(blocks)
        self._between: dict[tuple[int, int], set[int]] = {}  # between_posts of each span asked (each way)

    def read(self, index: int) -> tuple[float, float, float, float, float]:
        """What a block says whichever way it is read: P(head), P(foot), and
        1.0 or 0.0 for a comments heading, a name line and a "!"."""
        found = self._read[index]
        if found is None:
            self.read_lines(index, index)
            found = self._read[index]
            assert found is not None
        return found

    def read_lines(self, first: int, last: int) -> None:
        """Reads the blocks from first to last (both read) not read yet, all
        in one call to the edge model (where cleaner._speedups reads them in C)."""
        known, blocks = self._read, self.blocks
        missing = [i for i in range(first, last + 1) if known[i] is None]
        if not missing:
            return
        chosen = [blocks[i] for i in missing]
        probabilities: Iterable[tuple[float, float]]
        if self.edges is None:
            probabilities = self.model.probabilities_of(chosen)
        else:
            probabilities = zip(map(self.edges.heads.__getitem__, missing), map(self.edges.feet.__getitem__, missing))
        for i, block, (head, foot) in zip(missing, chosen, probabilities):
            text = block.text
            known[i] = (
                head, foot, 1.0 if is_comments_heading(text) else 0.0,
                1.0 if len(text) <= NAME_LINE_MAX_CHARS and text.count(" ") < NAME_LINE_MAX_WORDS
                and not text.endswith(SENTENCE_END_CHARS) else 0.0,
                1.0 if "!" in text else 0.0,
            )

    def rows(self, body: list[int], start: bool) -> list[list[float]]:
        """One row a body line (body: an article's body blocks, in order), read
        from the end toward the start if start, else from the start toward the end."""
        self.read_lines(min(body), max(body))  # the body lines and those in the gaps between them
        known, blocks = self._read, self.blocks
        order = body[::-1] if start else body
        outer, inner = (0, 1) if start else (1, 0)
        lines: list[tuple[float, float, float, float, float]] = [known[i] for i in order]  # type: ignore[misc]
        outers = [line[outer] for line in lines]
        scores = [blocks[i].content_score for i in order]
        lengths = [len(blocks[i].text) for i in order]
        total = sum(lengths) or 1
        n = len(order)
        rows = []
        outer_so_far = heading_so_far = 0.0
        log1p = math.log1p
        # Read from the start, a comments heading above the article's first
        # paragraph is a post's link to its comments ("3 Comments", "Leave a
        # comment", "trackback" by its author and date), not where the comments
        # begin: the headings up to it do not count.
        opened = 0 if start else next((k for k, i in enumerate(order) if _is_paragraph(blocks[i].text)), n)
        for k, (line, (gap_outer, gap_heading), before) in enumerate(
            zip(lines, self._gaps(order, outer), accumulate(lengths, initial=0))
        ):
            outer_so_far = max(outer_so_far, gap_outer, outers[k] if k else 0.0)
            if k <= opened:  # above the first paragraph, or in the gap just above it
                gap_heading = 0.0
                if k < opened:
                    line = (line[0], line[1], 0.0, line[3], line[4])
            heading_so_far = max(heading_so_far, gap_heading, line[2])
            rows.append([
                outers[k], line[inner], scores[k], line[3], gap_outer, gap_heading, outer_so_far, heading_so_far,
                before / total,
                log1p(before),
                sum(outers[k: k + NEXT_LINES]) / min(NEXT_LINES, n - k),
                sum(scores[k: k + NEXT_LINES]) / min(NEXT_LINES, n - k),
                sum(outers[k - PREVIOUS_LINES if k > PREVIOUS_LINES else 0: k]) / min(PREVIOUS_LINES, k) if k else 0.0,
                line[4],
            ])
        return rows

    def _gaps(self, order: list[int], outer: int) -> list[tuple[float, float]]:
        """For each line of order, the most outer-like line and the likeliest
        comments heading between it and the line before it in order (0.0 where
        none lies between, and where a list of posts' count of a post's
        comments does: the gap between two posts, not the article's end)."""
        known, none = self._read, (0.0, 0.0)
        gaps = [none] * len(order)
        previous = order[0]
        between = self.between_posts(min(order), max(order))
        for k, i in enumerate(order):
            inside = range(min(previous, i) + 1, max(previous, i))
            if inside and between.isdisjoint(inside):
                gap_outer = gap_heading = 0.0
                for g in inside:
                    gapped = known[g]
                    assert gapped is not None
                    gap_outer = max(gap_outer, gapped[outer])
                    gap_heading = max(gap_heading, gapped[2])
                gaps[k] = gap_outer, gap_heading
            previous = i
        return gaps

    def between_posts(self, first: int, last: int) -> set[int]:
        """The lines from first to last (read already: read_lines) that are a
        list of posts' counts of their comments (classify.post_count_lines),
        found once a span (an article's body is read both ways)."""
        found = self._between.get((first, last))
        if found is None:
            headings = [g for g in range(first, last + 1) if self._read[g][2]]  # type: ignore[index]
            found = {headings[k] for k in post_count_lines([self.blocks[g].text for g in headings])}
            self._between[first, last] = found
        return found


def _post_end(body: list[int], blocks: list[Block], start: int, end: int) -> int:
    """The article's end (the number of body lines that are the article's):
    end, or the first body line from which a POST_NAVIGATION line stands
    above it (in the body or in the gap just above), or an author's box's
    heading (AUTHOR_BOX_HEADING), the post's topics (POST_TOPICS) or its
    footer (POST_FOOTER), unless lines of its kind recur further apart
    (POST_END_MAX_SPREAD), or a CREDIT_LINE is the body line above it, after
    the article's first paragraph (from start)."""
    opened = next((k for k in range(start, end) if _is_paragraph(blocks[body[k]].text)), end)
    if opened >= end - 1:
        return end
    # every line after the first paragraph, to the body's last, matched in one pass (it loops in C)
    after = body[opened] + 1
    matches = list(map(POST_END.match, map(block_text, blocks[after:body[-1] + 1])))
    kinds = {i: match.lastgroup for i, match in zip(compress(count(after), matches), filter(None, matches))}
    spread: dict[str | None, list[int]] = {}  # each kind's first and last line
    for i, kind in kinds.items():
        spread.setdefault(kind, [i, i])[1] = i
    listed = {kind for kind, (low, high) in spread.items() if high - low > POST_END_MAX_SPREAD}  # a listing's
    cut = next(
        (k + 1 for k in range(opened, end - 1)
         if len(blocks[body[k]].text) <= CREDIT_MAX_CHARS and CREDIT_LINE.match(blocks[body[k]].text)),
        end,
    )  # the article ends after its credit line
    for i, kind in kinds.items():
        if kind not in listed:
            cut = min(cut, bisect_left(body, i))
    return cut


def _is_paragraph(text: str) -> bool:
    """A prose-sized line that holds a sentence's end."""
    return len(text) >= LONG_LINE_CHARS and any(end in text for end in SENTENCE_END_CHARS)


def article_edge(
    rows: list[list[float]], words: list[int], path: str | None, which: str, packaged: str = ENDS_MODEL
) -> int:
    """How many of the lines (rows, read toward the edge asked about, which:
    "end" or "start") are the article's: the change point c where the lines
    before it are likeliest article and those from it on likeliest outside it,
    each weighing its words (len(rows): the article runs to its last line). At
    least 1: the first line read is the article's. path: the model's file
    (None: the packaged one of that name)."""
    intercept, weights = _load(path, packaged)[which]
    exp, log, log1p, mul = math.exp, math.log, math.log1p, operator.mul
    floor, ceiling = PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR
    best, best_at = 0.0, len(rows)  # no cut: every line read as article
    gain = 0.0  # score(c) - score(no cut) = sum over the lines from c of log(P(out)) - log(P(in))
    for c in range(len(rows) - 1, 0, -1):
        z = intercept + sum(map(mul, weights, rows[c]))
        p = 1.0 / (1.0 + exp(-z)) if z > -500 else 0.0
        p = floor if floor > p else ceiling if ceiling < p else p  # min(max(p, floor), ceiling), without the calls
        gain += words[c] * (log(p) - log1p(-p))
        if gain > best:
            best, best_at = gain, c
    return best_at


@lru_cache(maxsize=8)
def _load(path: str | None, packaged: str) -> dict[str, tuple[float, list[float]]]:
    """Each model's weights with the standardisation folded in."""
    model = read_model(path, packaged)
    if model["features"] != list(EDGE_FEATURES):
        raise ValueError(f"{path or packaged}: a model for other features")
    loaded = {}
    for which in ENDS if "start" in model else ENDS[:1]:  # an HTML page's model has an end side only
        fitted = model[which]
        slopes = [c / s for c, s in zip(fitted["coef"], fitted["scale"])]
        loaded[which] = fitted["intercept"] - math.fsum(w * m for w, m in zip(slopes, fitted["mean"])), slopes
    return loaded
