"""Body runs: article blocks close together, trimmed of labels at their edges,
cut into articles where a new one visibly starts; comments and nested
<article>s leave an HTML page's body when it has an article of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import CleanerConfig
from ..model import Block, Landmark
from ..text import SENTENCE_END_CHARS, dateline_of

# A line this short (characters) without a final full stop is a label, not text,
# when it opens or closes a body.
EDGE_LABEL_MAX_CHARS = 40

EDGE_LABEL_REASON = "boilerplate (label at the edge of the body)"

# HTML: comments below an article are not the article (CleanerConfig.keep_comments,
# comments_article_min_chars).
COMMENTS_REASON = "comments (the article is outside them)"

NESTED_REASON = "an <article> inside the article (comments or related posts)"



@dataclass
class Span:
    """One article under construction: the indices of its body blocks."""

    body: list[int] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.body[0]

    @property
    def end(self) -> int:
        return self.body[-1]


def drop_replies(blocks: list[Block], may_be_body: list[bool], is_body: list[bool], min_chars: int) -> None:
    """Comment regions, and <article>s nested in another (by HTML's spec, its
    comments or related posts), leave the body when the article text outside
    them reaches min_chars."""
    # a page has a few sets of regions: each is looked at once (IntFlag arithmetic is slow)
    in_comments = {regions for regions in {b.landmarks for b in blocks} if regions & Landmark.COMMENTS}
    replies = [b.nested or b.landmarks in in_comments for b in blocks] if in_comments else [b.nested for b in blocks]
    if not any(replies):
        return
    outside = sum(len(b.text) for b, body, reply in zip(blocks, is_body, replies) if body and not reply)
    if outside < min_chars:
        return
    for block, reply in zip(blocks, replies):
        if reply:
            may_be_body[block.index] = is_body[block.index] = False
            block.reason = block.reason or (NESTED_REASON if block.nested else COMMENTS_REASON)


def body_runs(
    blocks: list[Block], is_body: list[bool], is_caption: list[bool], config: CleanerConfig
) -> list[Span]:
    runs: list[Span] = []
    gap = 0
    for block in blocks:
        if is_body[block.index]:
            if runs and gap <= config.max_gap_blocks:
                runs[-1].body.append(block.index)
            else:
                runs.append(Span([block.index]))
            gap = 0
        elif not is_caption[block.index]:
            gap += 1
    return runs


def fill_runs(
    runs: list[Span], blocks: list[Block], may_be_body: list[bool], is_caption: list[bool], config: CleanerConfig
) -> None:
    """Inside a body run, lines with a middling score are article text too: a
    sub-heading or a list item between paragraphs reads like one only in context."""
    for run in runs:
        members = set(run.body)
        run.body = [
            i for i in range(run.start, run.end + 1)
            if i in members
            or (may_be_body[i] and blocks[i].content_score >= config.content_inside_min_score)
            or (not is_caption[i] and _repeats_inside(blocks[i], members, config))
        ]


def _repeats_inside(block: Block, members: set[int], config: CleanerConfig) -> bool:
    """A line the body already holds, repeated inside the same body, is part of
    it: the same instruction in each step of a recipe, a row label in a plan."""
    return (
        block.duplicate_of is not None
        and block.group in members
        and block.content_score >= config.content_min_score
        and not block.reason
    )


def trim_runs(runs: list[Span], blocks: list[Block]) -> None:
    """A body starts and ends with text, not with a short label ("News",
    "More on This Story"): such lines inside a body are sub-headings, at its
    edges they are page furniture."""
    for run in runs:
        while run.body and _is_edge_label(blocks[run.body[0]]):
            blocks[run.body.pop(0)].reason = EDGE_LABEL_REASON
        while run.body and _is_edge_label(blocks[run.body[-1]]):
            blocks[run.body.pop()].reason = EDGE_LABEL_REASON
    runs[:] = [r for r in runs if r.body]


def _is_edge_label(block: Block) -> bool:
    return len(block.text) <= EDGE_LABEL_MAX_CHARS and not block.text.endswith(SENTENCE_END_CHARS)


def span_chars(span: Span, blocks: list[Block]) -> int:
    return sum(len(blocks[i].text) for i in span.body)


def split_articles(runs: list[Span], blocks: list[Block], config: CleanerConfig) -> list[Span]:
    articles: list[Span] = []
    for run in runs:
        if not _is_body_sized(run, blocks, config):
            continue
        decision = _next_run_decision(articles[-1], run, blocks, config) if articles else "new"
        if decision == "drop":
            continue
        if decision == "new":
            articles.append(Span([run.start]))
        else:
            articles[-1].body.append(run.start)
        for previous, i in zip(run.body, run.body[1:]):
            # inside a run, a dateline (the next story of an agency feed) or another
            # <article> element starts the next article
            opens = dateline_of(blocks[i].text) or blocks[i].container != blocks[previous].container >= 0
            if opens and span_chars(articles[-1], blocks) >= config.min_article_chars:
                articles.append(Span([i]))
            else:
                articles[-1].body.append(i)
    return articles


def _is_body_sized(run: Span, blocks: list[Block], config: CleanerConfig) -> bool:
    return span_chars(run, blocks) >= config.min_body_chars and (
        max(len(blocks[i].text) for i in run.body) >= config.min_longest_line_chars
        # HTML: short lines that are not links (a calendar, a recipe's steps) are text
        or all(blocks[i].tag and blocks[i].link_ratio <= config.short_lines_max_link_ratio for i in run.body)
    )


def _next_run_decision(current: Span, run: Span, blocks: list[Block], config: CleanerConfig) -> str:
    """Does a body run continue the current article ("join"), start a new one
    ("new"), or stand too far away and too small to be either ("drop")?"""
    big_enough = span_chars(run, blocks) >= config.min_article_chars
    if dateline_of(blocks[run.start].text) and span_chars(current, blocks) >= config.min_article_chars:
        return "new"
    if run.start - current.end > config.split_min_gap_blocks:
        return "new" if big_enough else "drop"
    if not big_enough or span_chars(current, blocks) < config.min_article_chars:
        return "join"
    before, after = blocks[current.end].container, blocks[run.start].container
    if before != after and after >= 0:
        return "new"  # HTML: another <article> element
    template_repeats = sum(
        1
        for b in blocks[current.end + 1: run.start]
        if b.duplicate_of is not None and b.duplicate_of < current.end
    )
    return "new" if template_repeats >= config.split_min_template_repeats else "join"
