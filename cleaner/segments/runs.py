"""Body runs: article blocks close together, trimmed of labels at their edges,
cut into articles where a new one visibly starts; comments and nested
<article>s leave an HTML page's body when it has an article of its own."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import compress

from ..classify import title_features
from ..config import CleanerConfig
from ..model import Block, BlockKind, Landmark
from ..text import HAS_WORD, SENTENCE_END_CHARS, dateline_of
from ..wrapped import RUN_WRAP_MIN_LOWER_SHARE
from .boundary import Gap, GapFeatures, is_boundary
from .edges import EdgeColumns

# A line this short (characters) without a final full stop is a label, not text,
# when it opens or closes a body.
EDGE_LABEL_MAX_CHARS = 40

EDGE_LABEL_REASON = "boilerplate (label at the edge of the body)"

# Text cut into sentences: each piece runs to a sentence end and the spaces
# after it (closing quotes included), or to the end of the text.
SENTENCE_PIECE = re.compile(r".+?(?:[.!?…。！？][\"”’')]*(?:\s+|$)|$)", re.DOTALL)
# A "sentence" longer than this (words) is lines read on that never end one:
# prose sentences are a few dozen words at most.
SENTENCE_MAX_WORDS = 80

# HTML: comments below an article are not the article (CleanerConfig.keep_comments,
# comments_article_min_chars).
COMMENTS_REASON = "comments (the article is outside them)"

NESTED_REASON = "an <article> inside the article (comments or related posts)"

# A dateline in the middle of a body opens the next story (an agency feed's)
# when the text above it holds at least this many times min_article_chars, or
# opened with a dateline itself (_opens_story).
DATELINE_STORY_MIN_ARTICLES = 2

# HTML: a data table (one block, a Markdown table) inside a body run is the
# article's (a list of recalled products, a match's player statistics, an
# aircraft's specifications between two paragraphs): its cells score low as
# text. When it has at least this many rows of text (its header included),
# and at least this share of them fill two or more cells: a table whose rows
# fill one cell each is a list of links or headlines laid out as a table.
DATA_TABLE_MIN_ROWS = 3
DATA_TABLE_MIN_WIDE_SHARE = 0.5
# ...and a table of at least DATA_TABLE_MIN_ROWS rows, at least this share of
# which fill one cell at most, and at most this share end a sentence, lays out
# a list of lines (headlines of other stories, links) and is no article text.
TABLE_OF_LINES_MIN_SINGLE_SHARE = 0.8
TABLE_OF_LINES_MAX_SENTENCE_SHARE = 0.2
# HTML: the text in the section of the headline that the page's <title> names
# (classify.title_features) is its article when none of the articles found
# holds a line of it and it has at least this share of their likely text
# (score times length): a short post under its headline, where an about box
# or a comment form elsewhere on the page reads more like prose.
TITLE_SECTION_MIN_SHARE = 0.2
# A body run with no line of min_longest_line_chars is body-sized all the same
# when its lines carry on one another's sentences: a paragraph the page's
# source broke into lines of its own, which get_text and textContent keep
# (lines of 60-90 characters of no one width, where a renderer's wrap is of
# one width: wrapped.py). At least WRAPPED_RUN_MIN_LINES lines, and as many of
# those after the first opening in lower case as a wrapped run's
# (wrapped.RUN_WRAP_MIN_LOWER_SHARE), each with a word of two letters or more:
# a list's items open with a capital, a digit or a bullet ("o", "*").
WRAPPED_RUN_MIN_LINES = 4
# A Markdown table's cell borders (an escaped "\\|" is a cell's own text).
CELL_BORDER = re.compile(r"(?<!\\)\|")


class Span:
    """One article under construction: the indices of its body blocks, and of
    the body lines cut off its top as lying before the article's start (ends.py;
    they are not its headline). (A plain class: a dataclass costs start-up to make.)"""

    __slots__ = ("body", "cut_head")

    def __init__(self, body: list[int]) -> None:
        self.body = body
        self.cut_head: list[int] = []

    @property
    def start(self) -> int:
        return self.body[0]

    @property
    def end(self) -> int:
        return self.body[-1]


def reply_regions(blocks: list[Block]) -> list[bool]:
    """Each block: whether it stands in a comment region or in an <article>
    nested in another (by HTML's spec, its comments or related posts)."""
    # a page has a few sets of regions: each is looked at once (IntFlag arithmetic is slow)
    in_comments = {regions for regions in {b.landmarks for b in blocks} if regions & Landmark.COMMENTS}
    return [b.nested or b.landmarks in in_comments for b in blocks] if in_comments else [b.nested for b in blocks]


def drop_replies(blocks: list[Block], may_be_body: list[bool], is_body: list[bool], min_chars: int) -> None:
    """Comment regions, and <article>s nested in another (by HTML's spec, its
    comments or related posts), leave the body when the article text outside
    them reaches min_chars."""
    replies = reply_regions(blocks)
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
    blocks: list[Block], is_body: list[bool], is_caption: list[bool], config: CleanerConfig,
    notices_end: bool = False,
) -> list[Span]:
    """The body lines, in runs of at most config.max_gap_blocks other lines
    between two. A repeat of the run's own lines is no gap (the next day of a
    meal plan, a document quoted and then given whole) unless it repeats the
    line the repeat before it did (one caption under every photo); once the
    gap holds the run's top again (its lines up to the first that ends a
    sentence: the article printed again), every line of it counts.
    notices_end (text dumps): a copyright notice after an article's worth of
    the run (config.min_article_chars) ends the run. It is a page's foot, and
    in a dump of several pages the next page's article follows it: asked as
    a run of its own, the boundary model weighs that run, not the rest of the
    dump. (An HTML page is one page: its notices are left to its markup.)"""
    runs: list[Span] = []
    chars = 0  # the run's characters so far
    members: set[int] = set()  # the run's blocks so far
    top: set[int] = set()  # its first blocks, up to the first that ends a sentence
    top_open = True
    gap = 0
    repeated = -1  # the line the last repeat in the gap repeats
    copied = False  # the gap holds the run's top again
    for block in blocks:
        if is_body[block.index]:
            if runs and gap <= config.max_gap_blocks:
                runs[-1].body.append(block.index)
            else:
                runs.append(Span([block.index]))
                members, top, top_open, chars = set(), set(), True, 0
            members.add(block.index)
            chars += len(block.text)
            if top_open:
                top.add(block.index)
                top_open = not block.text.endswith(SENTENCE_END_CHARS)
            gap, repeated, copied = 0, -1, False
        elif is_caption[block.index]:
            continue
        elif notices_end and block.kind is BlockKind.NOTICE and chars >= config.min_article_chars:
            gap = config.max_gap_blocks + 1  # the page's foot: the run ends here
        elif not copied and block.group != repeated and _repeats_inside(block, members, config):
            repeated = block.group
            copied = block.group in top
            gap += copied
        else:
            gap += 1
            copied = copied or block.group in top
    return runs


def fill_runs(
    runs: list[Span], blocks: list[Block], may_be_body: list[bool], is_caption: list[bool], config: CleanerConfig
) -> None:
    """Inside a body run, lines with a middling score are article text too: a
    sub-heading or a list item between paragraphs reads like one only in
    context, and so does a data table of any score (_is_table_of_data)."""
    for run in runs:
        members = set(run.body)
        run.body = [
            i for i in range(run.start, run.end + 1)
            if i in members
            or (may_be_body[i] and (
                blocks[i].content_score >= config.content_inside_min_score or _is_table_of_data(blocks[i], config)
            ))
            or (not is_caption[i] and _repeats_inside(blocks[i], members, config))
        ]


def finish_lists(spans: list[Span], blocks: list[Block], may_be_body: list[bool]) -> None:
    """HTML: an article whose body starts or ends with an item of a list
    (<li>) takes the list's other items next to it, whatever their score: a
    post that is a list of links with a word on each (dn-R112) ends in items
    the model scores low one by one, and a list is one thing. Items already in
    an article, or that are no text (a copy, a caption, a labelled block),
    stop it."""
    taken = {i for span in spans for i in span.body}
    for span in spans:
        for step, edge in ((1, span.end), (-1, span.start)):
            parent = blocks[edge].parents[0]
            if blocks[edge].tag != "li" or parent < 0:
                continue
            added = []
            i = edge + step
            while (
                0 <= i < len(blocks) and blocks[i].tag == "li" and blocks[i].parents[0] == parent
                and may_be_body[i] and i not in taken
            ):
                added.append(i)
                i += step
            taken.update(added)
            if step == 1:
                span.body.extend(added)
            else:
                span.body[:0] = reversed(added)


def _is_table_of_data(block: Block, config: CleanerConfig) -> bool:
    """An HTML data table of DATA_TABLE_MIN_ROWS rows or more, most of which
    fill two cells or more with letters or digits (DATA_TABLE_MIN_WIDE_SHARE),
    and few links."""
    if block.tag != "table" or block.link_ratio > config.short_lines_max_link_ratio:
        return False
    rows = _filled_cells(block.text)
    wide = sum(1 for cells in rows if len(cells) >= 2)
    return len(rows) >= DATA_TABLE_MIN_ROWS and wide >= DATA_TABLE_MIN_WIDE_SHARE * len(rows)


def is_table_of_lines(block: Block) -> bool:
    """An HTML table that lays out a list of lines (headlines, links, a menu),
    one filled cell a row, with no sentences: no article text, whatever its
    score (the model reads its rows as one long block of prose)."""
    if block.tag != "table":
        return False
    rows = _filled_cells(block.text)
    single = sum(1 for cells in rows if len(cells) <= 1)
    sentences = sum(1 for cells in rows if cells and cells[-1].endswith(SENTENCE_END_CHARS))
    return (
        len(rows) >= DATA_TABLE_MIN_ROWS and single >= TABLE_OF_LINES_MIN_SINGLE_SHARE * len(rows)
        and sentences <= TABLE_OF_LINES_MAX_SENTENCE_SHARE * len(rows)
    )


def _filled_cells(table: str) -> list[list[str]]:
    """Each row of a Markdown table (its header's rule left out): its cells
    that hold a letter or a digit, stripped."""
    return [
        [cell.strip() for cell in CELL_BORDER.split(row.strip("|")) if HAS_WORD.search(cell)]
        for row in table.split("\n") if not row.startswith("| ---")
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
        trim_end(run, blocks)
    runs[:] = [r for r in runs if r.body]


def trim_end(run: Span, blocks: list[Block], keep: int = 0) -> None:
    """The labels at the end of a body leave it (trim_runs), all but its first keep lines."""
    while len(run.body) > keep and _is_edge_label(blocks[run.body[-1]]):
        blocks[run.body.pop()].reason = EDGE_LABEL_REASON


def _is_edge_label(block: Block) -> bool:
    return len(block.text) <= EDGE_LABEL_MAX_CHARS and not block.text.endswith(SENTENCE_END_CHARS)


def span_chars(span: Span, blocks: list[Block]) -> int:
    return sum(len(blocks[i].text) for i in span.body)


# Is there a page boundary in this gap between an article's body and the next
# body lines? (boundary.Gap: where, and how much text each side holds.)
Boundary = Callable[[Gap], bool]


def far_apart(config: CleanerConfig) -> Boundary:
    """The boundary rule for an HTML page (one page, never several strung
    together, so the boundary model learned on text dumps is not asked): two
    bodies far apart are two articles."""
    return lambda gap: gap.start - gap.end > config.split_min_gap_blocks


def learned_boundary(blocks: list[Block], config: CleanerConfig, edges: EdgeColumns | None = None) -> Boundary:
    """The learned boundary model's answer (boundary.py) at a gap of blocks.
    Its features read the whole page (how rare each word is on it) once, when
    first asked: one for all the pages of a dump. edges: every block's P(head)
    and P(foot), if read already."""
    features = GapFeatures(blocks, config.edge_model, edges)

    def boundary(gap: Gap) -> bool:
        return is_boundary(gap, features, config.boundary_model, config.split_min_probability)

    return boundary


def split_articles(
    runs: list[Span], blocks: list[Block], config: CleanerConfig, boundary: Boundary | None = None
) -> list[Span]:
    """Body runs -> articles. boundary answers where both sides of a gap are big
    enough to be articles; by default the learned boundary model (boundary.py)."""
    if boundary is None:
        boundary = learned_boundary(blocks, config)
    articles: list[Span] = []
    chars: list[int] = []  # each article's characters so far
    for run in runs:
        if not _is_body_sized(run, blocks, config):
            continue
        decision = _next_run_decision(articles[-1], chars[-1], run, blocks, config, boundary) if articles else "new"
        if decision == "drop":
            continue
        if decision == "new":
            articles.append(Span([]))
            chars.append(0)
        _take_run(articles, chars, run, blocks, config, boundary)
    if not articles:
        fallback = fallback_run(runs, blocks, config)
        if fallback is not None:
            articles.append(Span([]))
            chars.append(0)
            _take_run(articles, chars, fallback, blocks, config, boundary)
    return articles


def _take_run(
    articles: list[Span], chars: list[int], run: Span, blocks: list[Block], config: CleanerConfig, boundary: Boundary
) -> None:
    """The run's blocks go to the last article, or open the next one: at a
    dateline (the next story of an agency feed), at another <article> element,
    or at a line the boundary model calls a page start (two pages strung
    together with little or nothing between them)."""
    left = span_chars(run, blocks)  # the run's characters from block i on
    previous = -1
    for i in run.body:
        size = len(blocks[i].text)
        if previous >= 0 and chars[-1] >= config.min_article_chars:
            opens = _opens_story(blocks, articles[-1], chars[-1], i, config) or (
                blocks[i].container != blocks[previous].container >= 0
            )
            if not opens and left >= config.min_article_chars:
                opens = boundary(Gap(previous, i, chars[-1], left))
            if opens:
                articles.append(Span([]))
                chars.append(0)
        articles[-1].body.append(i)
        chars[-1] += size
        left -= size
        previous = i


def _opens_story(blocks: list[Block], article: Span, chars: int, i: int, config: CleanerConfig) -> bool:
    """Whether line i (inside a body run, or opening the next run), a
    dateline ("DUBAI (Reuters) — …") opening a paragraph (at least
    min_longest_line_chars long: "Austin, TX – The Alamo (Tickets)" is a
    list's item), opens the next story of an agency feed: the story so far
    opened with a dateline too, or holds DATELINE_STORY_MIN_ARTICLES
    articles' worth of text. A box of key points above an article's own
    dateline is not a story of its own."""
    if len(blocks[i].text) < config.min_longest_line_chars or dateline_of(blocks[i].text) is None:
        return False
    return (
        chars >= DATELINE_STORY_MIN_ARTICLES * config.min_article_chars
        or dateline_of(blocks[article.body[0]].text) is not None
    )


def fallback_run(runs: list[Span], blocks: list[Block], config: CleanerConfig) -> Span | None:
    """A page where no run is body-sized only because no line of it is long (a
    body of short lines: a list of steps, an address, a poem, text wrapped at
    72 characters) still has an article: its run with the most likely text,
    when that run is long enough and mostly sentences, not a list of headlines
    or links."""
    candidates = [run for run in _long_enough(runs, blocks, config) if _reads_as_text(run, blocks, config)]
    return _likeliest(candidates, blocks)


def likeliest_run(runs: list[Span], blocks: list[Block], config: CleanerConfig) -> Span | None:
    """The run of at least min_body_chars with the most likely text, whatever it is."""
    return _likeliest(_long_enough(runs, blocks, config), blocks)


def likeliest_paragraph(blocks: list[Block], may_be_body: list[bool], config: CleanerConfig) -> Span | None:
    """The last answer for a page with no run of text at all: its likeliest
    paragraph (a line of at least min_longest_line_chars, mostly sentences,
    few links) whatever its score. A short post at the foot of a page of
    menus and archives scores low beside them, and is still its article."""
    candidates = [
        Span([b.index]) for b in blocks
        if may_be_body[b.index] and len(b.text) >= config.min_longest_line_chars
    ]
    return _likeliest([run for run in candidates if _reads_as_text(run, blocks, config)], blocks)


def under_named_headline(
    spans: list[Span], blocks: list[Block], may_be_body: list[bool], titles: tuple[str | None, ...],
    config: CleanerConfig,
) -> list[Span]:
    """The articles found, or the text under the headline the page's titles
    name when it outweighs them enough (TITLE_SECTION_MIN_SHARE) and none of
    them holds a line of it: its lines that may be article text and score at
    least fallback_min_score, up to the first gap of more than max_gap_blocks."""
    chosen = {i for span in spans for i in span.body}
    floor = config.fallback_min_score
    # the most the section can hold: the likely lines outside the articles (most
    # pages have too little of it, and the section is not looked for: classify
    # made it for the model already, and finding it again costs a pass)
    outside = [
        i for i in compress(range(len(blocks)), may_be_body) if i not in chosen and blocks[i].content_score >= floor
    ]
    least = TITLE_SECTION_MIN_SHARE * sum(_mass(span.body, blocks) for span in spans)
    if not outside or _mass(outside, blocks) < least:
        return spans
    section = [i for i, inside in enumerate(title_features(blocks, titles)[0]) if inside]
    if not section or not chosen.isdisjoint(section):
        return spans
    run: list[int] = []
    for i in section:
        if may_be_body[i] and blocks[i].content_score >= floor:
            if run and i - run[-1] > config.max_gap_blocks:
                break
            run.append(i)
    if not run or _mass(run, blocks) < least:
        return spans
    return [Span(run)]


def _mass(lines: list[int], blocks: list[Block]) -> float:
    """The likely text of these lines: their scores by their lengths."""
    return sum(blocks[i].content_score * len(blocks[i].text) for i in lines)


def _long_enough(runs: list[Span], blocks: list[Block], config: CleanerConfig) -> list[Span]:
    return [run for run in runs if span_chars(run, blocks) >= config.min_body_chars]


def _reads_as_text(run: Span, blocks: list[Block], config: CleanerConfig) -> bool:
    """Mostly sentences, and few links."""
    texts = [blocks[i].text for i in run.body]
    chars = sum(map(len, texts))
    links = sum(len(blocks[i].text) * blocks[i].link_ratio for i in run.body)
    return (
        _sentence_chars(texts) >= config.fallback_min_sentence_ratio * chars
        and links <= config.short_lines_max_link_ratio * chars
    )


def _likeliest(runs: list[Span], blocks: list[Block]) -> Span | None:
    """The run with the most likely text (its lines' scores by their lengths;
    the first of equals), if any has some."""
    best, best_mass = None, 0.0
    for run in runs:
        mass = _mass(run.body, blocks)
        if mass > best_mass:
            best, best_mass = run, mass
    return best


def _sentence_chars(lines: list[str]) -> int:
    """The characters of these lines, read as one text, that are in sentences:
    pieces ending with a full stop, ! or ?, of at most SENTENCE_MAX_WORDS words
    (lines wrapped mid-sentence are read on; a list of headlines read on is
    one endless "sentence")."""
    sentences = 0
    for piece in SENTENCE_PIECE.findall(" ".join(lines)):
        if piece.rstrip().endswith(SENTENCE_END_CHARS) and piece.count(" ") < SENTENCE_MAX_WORDS:
            sentences += len(piece)
    return sentences


def _is_body_sized(run: Span, blocks: list[Block], config: CleanerConfig) -> bool:
    return span_chars(run, blocks) >= config.min_body_chars and (
        max(len(blocks[i].text) for i in run.body) >= config.min_longest_line_chars
        or _carries_on_sentences(run, blocks)
        # HTML: short lines that are not links (a calendar, a recipe's steps) are text
        or all(blocks[i].tag and blocks[i].link_ratio <= config.short_lines_max_link_ratio for i in run.body)
    )


def _carries_on_sentences(run: Span, blocks: list[Block]) -> bool:
    """Whether the run's lines read as paragraphs broken into lines: enough of
    them open with a lower-case word (RUN_WRAP_MIN_LOWER_SHARE)."""
    if len(run.body) < WRAPPED_RUN_MIN_LINES:
        return False
    continued = sum(map(_opens_in_lower_case, (blocks[i].text for i in run.body[1:])))
    return continued >= RUN_WRAP_MIN_LOWER_SHARE * (len(run.body) - 1)


def _opens_in_lower_case(line: str) -> bool:
    word = line.split(" ", 1)[0]
    return len(word) >= 2 and word.isalpha() and word.islower()


def _next_run_decision(
    current: Span, current_chars: int, run: Span, blocks: list[Block], config: CleanerConfig, boundary: Boundary
) -> str:
    """Does a body run continue the current article ("join"), start a new one
    ("new"), or stand too far away and too small to be either ("drop")? Where
    both are big enough to be articles, the boundary model says."""
    run_chars = span_chars(run, blocks)
    big_enough = run_chars >= config.min_article_chars
    if current_chars >= config.min_article_chars and _opens_story(blocks, current, current_chars, run.start, config):
        return "new"
    far = run.start - current.end > config.split_min_gap_blocks
    if not big_enough:
        return "drop" if far else "join"
    if current_chars < config.min_article_chars:
        return "new" if far else "join"
    before, after = blocks[current.end].container, blocks[run.start].container
    if before != after and after >= 0:
        return "new"  # HTML: another <article> element
    return "new" if boundary(Gap(current.end, run.start, current_chars, run_chars)) else "join"
