"""Stage 4: judge every block: how likely is it article text (0-1)?

A small logistic model over features of each line and of its neighbourhood:
length, sentence punctuation, function-word ratio, capitalisation, symbols,
paragraph margins, repetition, caption/date/byline hints, and where the line
sits relative to the page's mass of prose. A second model of the same kind then
reads the first one's scores in a window around each line, so a short
sub-heading inside a body is kept and a lone sentence in a footer is not.

The weights are trained by ``bench/train_model.py`` on the dev gold (by site,
cross-validated) and shipped as ``cleaner/data/line_model.json``.
"""

from __future__ import annotations

import base64
import importlib
import json
import math
import operator
import os
import re
import struct
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from functools import lru_cache, partial, reduce
from itertools import accumulate, chain, compress, islice, repeat
from types import ModuleType
from typing import Any, cast

from .config import CleanerConfig
from .model import Block, BlockKind, Landmark, block_text
from .speedups import compiled
from .text import IGNORECASE_ODD_LETTERS, TEXTS_BATCH, TITLE_SEPARATORS, match_key, words_of

# Features are computed on at most this many characters of a line: every feature
# is a ratio or a capped count, and a 50 MB line must not cost 50 MB of tokens.
FEATURE_SAMPLE_CHARS = 5000
# A line at least this long is "prose-sized" for the distance feature.
LONG_LINE_CHARS = 120
# Window half-widths (in blocks) for neighbourhood features.
NEAR_WINDOW = 3
WIDE_WINDOW = 8
FAR_WINDOW = 25
# Cap for the "distance to the nearest long line" feature (blocks).
MAX_DISTANCE = 30
# A line before (after) less than this share of the page's prose is in the
# page's head (tail) zone: menus above, footers below.
EDGE_MASS_RATIO = 0.02
# Stage 2 weighs each neighbour's score by its length, capped here (characters).
MASS_CAP_CHARS = 1000
# Only lines this long count towards a region's prose (menus do not).
REGION_MIN_CHARS = 80
# Length bins (characters): nav items, headings, short sentences, paragraphs.
LENGTH_BINS = (20, 50, 100, 200, 400)
# The len_ge_* flags of a line that reaches k of the bins, for every k.
LENGTH_FLAGS = tuple((1.0,) * k + (0.0,) * (len(LENGTH_BINS) - k) for k in range(len(LENGTH_BINS) + 1))

SENTENCE_END = re.compile(r"""[.!?…。！？][\"'”’»)\]]*$""")
# SENTENCE_END is looked for in this many last characters only.
SENTENCE_END_TAIL = 6
SENTENCE_MARK = re.compile(r"[.!?;…。！？](?:\s|$)")
SEPARATORS = re.compile(r"[|•›»·«‹>/]|\s[-–—]\s")
# SEPARATORS' two halves, counted apart (_count_separators): the characters
# with str.count, the spaced dashes only in lines that hold a dash.
SEPARATOR_CHARACTERS = "|•›»·«‹>/"
SPACED_DASH = re.compile(r"\s[-–—]\s")
DASHES = ("-", "–", "—")
ASCII_SEPARATOR_CHARACTERS = "".join(c for c in SEPARATOR_CHARACTERS if c.isascii())
ASCII_DASHES = tuple(d for d in DASHES if d.isascii())
BULLET_START = re.compile(r"^[\W_]")
URLISH = re.compile(r"https?://|www\.|\S@\S|@\w")
COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.I)
# What COPYRIGHT matches, in lower case: text without IGNORECASE_ODD_LETTERS
# is lowered and searched with `in`, much faster than with re.I.
COPYRIGHT_PHRASES = ("©", "(c)", "copyright", "all rights reserved")
DIGIT = re.compile(r"\d")

# Readers' comments in a text dump: a heading ("27 Comments", "Leave a Reply",
# "12 Responses to …"), then every few lines a stamp, a short line with a clock
# time or an age ("Posted by: Ann at May 3, 2012 1:56 PM", "2 hours ago",
# "Reply", "Ann said,"). Article bodies rarely hold clock times line after line.
# A heading may stand in brackets ("{ 167 comments }"), count its writers
# ("45 users responded to …"), say a word of its count ("8 appreciated
# comments on …") and spell it ("One Response to “…”", "2 thoughts on “…”").
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
COMMENTS_HEADING = re.compile(
    rf"^[^\w\s]*\s*(?:{_COUNT}\s+(?:[^\W\d_]+\s+)?)?(?:(?:readers?|users?|people)\s+)?"
    r"(?:comments?|responses?|responded|replies|reactions|discussion|trackbacks?"
    # the other languages of STOPWORDS: "Kommentare (3)", "12 commentaires", "Comentários"; the
    # singular with a count only ("1 Kommentar"): alone it heads an opinion piece, as "Commentary" does
    r"|kommentare|commentaires|comentários|comentarios|commenti|reacties)\b"
    r"|^[^\w\s]*\s*\d+\s+(?:kommentar|commentaire|comentário|comentario|commento|reactie)\b"
    rf"|^[^\w\s]*\s*{_COUNT}\s+thoughts?\s+on\b"
    r"|^(?:leave|post|add|write|submit|join)\s+(?:a\s+|your\s+|the\s+)?(?:comment|reply|response|discussion)"
    r"|^(?:schreibe|hinterlasse|verfasse)\s+(?:einen|deinen|ihren)\s+kommentar"
    r"|^(?:laisser|laissez|ajouter|écrire)\s+un\s+commentaire"
    r"|^(?:deja|dejar|escribe|escribir|añadir|agregar|deixe|deixar|escreva|adicione)\s+(?:un|tu|um|seu)\s+comentári?o"
    r"|^(?:lascia|lasciare|scrivi|aggiungi)\s+un\s+commento"
    r"|^(?:geef|laat|plaats)\s+(?:een|je)\s+(?:reactie|commentaar)",
    re.I,
)
COMMENTS_HEADING_MAX_CHARS = 80
# A heading that counts no comments ("Comments (0)", "0 Responses"), in a blog's
# list of posts under each one's stamp, opens no section.
NO_COMMENTS_COUNT = re.compile(r"^\W*0\s|\(0\)")
# ...nor does a heading a list of posts prints under each: the same words
# counting different numbers at least this many times on the page
# ("comments (3)", "comments (1)"; a get_text dump puts each on its own line,
# where a browser writes "May 3, 2006 | permalink | comments (3)"). One post's
# count printed again above and below its article is the same text each time.
COMMENT_LIST_MIN_POSTS = 3
DIGITS = re.compile(r"\d+")
COMMENT_STAMP = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\b|uhr\b)?"
    r"|\b\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"
    r"|^(?:reply|report(?: abuse)?|permalink|quote|flag|like|recommend)$"
    r"|\b(?:says|said|wrote)\s*[:,]\s*$",
    re.I,
)
# A stamp is a short line: at most this many words.
COMMENT_STAMP_MAX_WORDS = 25
# Every line COMMENT_STAMP finds holds a colon or "ago" (in any case), ends
# with a comma, or is one of its words alone, of at most this many characters:
# only such lines are searched (most prose lines are not). Keep the two in step: tests/test_classify.py
# checks them on the dev dumps.
COMMENT_STAMP_WORD_MAX_CHARS = 12
# ...and those words all start with one of these letters (in either case).
COMMENT_STAMP_WORD_FIRST_LETTERS = "rpqflRPQFL"
# Every comments heading opens with a digit, an ASCII punctuation mark or one of
# these letters (in either case): the C helper asks COMMENTS_HEADING only of such
# lines. Keep them in step.
COMMENTS_HEADING_FIRST_LETTERS = "rucdtlpawsjofenkhvg"
# comment_candidates' bits: a line COMMENT_STAMP, COMMENTS_HEADING may match
_STAMP_BIT = bytes(b & 1 for b in range(256))
_HEADING_BIT = bytes(b >> 1 & 1 for b in range(256))
# A comments heading opens a section when stamps follow it (_CommentLines.sections):
# the first within COMMENT_FIRST_REACH lines (a comment of a few paragraphs
# with its stamp under it: "Posted by Ann on May 3, 2012 at 7:56 am | Reply"),
# COMMENT_MIN_STAMPS within COMMENT_OPEN_REACH (a "Comments" link in a share
# bar above an article is followed by its one "Posted … at 7:05 am"). A
# section goes on while the next stamp is within COMMENT_STAMP_REACH lines of
# the last (a long comment).
COMMENT_FIRST_REACH = 6
COMMENT_OPEN_REACH = 20
COMMENT_STAMP_REACH = 40
COMMENT_MIN_STAMPS = 2
# A heading that counts at least COMMENT_MIN_NAMES comments ("{ 167 comments }")
# also opens a section whose comments are signed by name alone: a name line
# (COMMENT_NAME_MAX_WORDS words of letters at most, each opening with a
# capital, no longer than COMMENT_NAME_MAX_CHARS) with prose under it
# (COMMENT_TEXT_MIN_WORDS words or more), the first right under the heading
# (within COMMENT_NAME_FIRST_REACH lines: an article's subheadings read the
# same way, under the count its top shows) and COMMENT_MIN_NAMES within
# COMMENT_OPEN_REACH.
COMMENT_NAME_MAX_WORDS = 3
COMMENT_NAME_MAX_CHARS = 30
# A text browser writes a comment's avatar before its writer's name as an
# image's mark: "[IMG] Ann Lee" (links, lynx), "[avatar] Ann Lee" (its alt text).
IMAGE_MARK = re.compile(r"^\[[^\]]{1,20}\] ")
COMMENT_MIN_NAMES = 3
COMMENT_NAME_FIRST_REACH = 2
# A comments heading followed by lines that carry a date and little else
# ("1. Ann - August 8, 2012", "written by Ann, October 18, 2012": blocks.py's
# date lines) opens a section too, when COMMENT_MIN_DATED of them follow it
# closely: each within COMMENT_FIRST_REACH lines of the one before. A date is
# weaker evidence than a clock time: an article's own date line stands right
# under a "Comments" link in its menu, with the comments' dates far below.
COMMENT_MIN_DATED = 3
COUNTS_COMMENTS = re.compile(
    r"\b([1-9]\d*)\s+(?:comments?|responses?|replies)\b"
    r"|\b(?:comments?|responses?|replies)\s*\(\s*([1-9]\d*)\s*\)",
    re.I,
)
# ...and the comment under a name is prose: at least this many words.
COMMENT_TEXT_MIN_WORDS = 6
# Lines a comment section runs past its last stamp (that comment's text, when
# the stamp stands above it).
COMMENT_TAIL_BLOCKS = 10
# An HTML page is all comments (a forum thread) when the text outside its
# comment regions that stage 1 finds at least this likely (0-1) is under
# comments_article_min_chars.
LIKELY_SCORE = 0.5
FIRST_CHARACTER = operator.itemgetter(0)
SYMBOL = re.compile(r"[^\w\s]")

# The most frequent function words of the languages most common on the web. A
# prose line is full of them in any of these languages; menus and names are not.
STOPWORDS = frozenset(
    # English
    "the of and to a in is that for it was on with as he she be by at are this have from or an "
    "but not they his her which you we were their been has had will would there who what when "
    "its our can all more also if about into than after over said one so up out them"
    # German, Dutch
    " der die das und ist nicht ein eine zu den mit sich des auf für von dem im auch es "
    "het een van en niet dat op te zijn voor met als ook maar"
    # French, Spanish, Portuguese, Italian
    " le la les et est une un du dans pour qui que pas sur au avec il elle ce sont "
    "el los las y es en por con para una del se lo como más pero su al "
    "o os e da do em um uma para com não por mais na no "
    "il di che è per con non una sono della nel anche gli alla"
    # Russian, Indonesian
    " и в не на что с по это как он она но из к о за от же то для "
    "yang dan di ini itu dengan untuk dari dalam tidak ke akan pada"
    .split()
)

OWN_FEATURES = (
    "log_chars", "log_words", "ends_sentence", "ends_colon", "sentence_marks", "commas",
    "stopwords", "titlecase", "uppercase", "digits", "symbols", "bullet_start", "separators",
    "blank_before", "blank_after", "log_copies", "is_repeat", "caption_hint", "date_hint",
    "byline_hint", "promo_hint", "urlish", "copyright", "position",
) + tuple(f"len_ge_{n}" for n in LENGTH_BINS)
CONTEXT_FEATURES = (
    "near_log_chars", "near_ends_sentence", "near_stopwords", "near_blank_before",
    "wide_log_chars", "wide_ends_sentence", "log_distance_long", "mass_before", "mass_after",
    "head_zone", "tail_zone",
)
# Text dumps add where a line stands towards a page's comments (an HTML page
# knows its comment regions from the markup instead).
TEXT_FEATURES = ("stamp_near", "stamp_wide", "after_comments_heading")
FEATURE_NAMES = OWN_FEATURES + CONTEXT_FEATURES + TEXT_FEATURES
# HTML pages add what the markup says: the element, links, regions.
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
HTML_TAG_GROUPS = (
    ("tag_p", frozenset({"p"})),
    ("tag_heading", HEADING_TAGS),
    ("tag_li", frozenset({"li", "dd", "dt"})),
    ("tag_cell", frozenset({"td", "th"})),
    ("tag_div", frozenset({"div", "section", "article", "main", "body", "center"})),
    ("tag_quote_pre", frozenset({"blockquote", "pre"})),
    ("tag_figure", frozenset({"figure", "figcaption", "caption"})),
)
HTML_LANDMARKS = tuple(m for m in Landmark if m is not Landmark.NONE)
HTML_LANDMARK_BITS = tuple(int(m) for m in HTML_LANDMARKS)
HTML_FEATURES = (
    ("link_ratio", "link_ratio_near", "in_article_element", "parent_share", "parent_top",
     "grandparent_share", "grandparent_top", "title_section", "title_element")
    + tuple(name for name, _ in HTML_TAG_GROUPS)
    + tuple(f"in_{m.name.lower()}" for m in HTML_LANDMARKS)  # type: ignore[union-attr]
)
HTML_FEATURE_NAMES = OWN_FEATURES + CONTEXT_FEATURES + HTML_FEATURES
STAGE2_CONTEXT = (
    "logit", "near_mean", "wide_mean", "prev", "next", "near_max", "run_mass",
    "before_mean", "after_mean", "far_mean",
)


# HTML: a block whose stage-1 score is below this keeps it, stage 2 is not
# asked (and bench/train_model.py trains stage 2 on the other blocks only).
# Half the blocks of the dev pages (menus, link lists) are below it; of those
# 26,647, a stage 2 trained on all blocks lifted 15 to article level, 2 of
# them in the gold. Part of the model, not a setting: it is not in CleanerConfig.
HTML_STAGE2_MIN_FIRST = 0.01

STAGE2_HTML_CONTEXT = (
    "parent_likely_share", "grandparent_likely_share", "article_likely_share", "parent_likely_mean",
    "grandparent_likely_mean",
)

# A row is packed doubles, made of pieces in OWN_FEATURES' order: what the
# line's text says (the features up to "separators"; "urlish" and "copyright";
# the len_ge_* flags), packed once per distinct text; its margins, repeats and
# kind (from "blank_before" to "promo_hint"), packed once per page for each
# combination; its position; then the context, text or HTML features. Joining
# the pieces and making the row's array loop in C.
TEXT_HEAD = OWN_FEATURES[: OWN_FEATURES.index("separators") + 1]
BLOCK_PART = OWN_FEATURES[OWN_FEATURES.index("blank_before"): OWN_FEATURES.index("promo_hint") + 1]
TEXT_MIDDLE = ("urlish", "copyright")
_HEAD = struct.Struct(f"{len(TEXT_HEAD)}d")
_BLOCK_PART = struct.Struct(f"{len(BLOCK_PART)}d")
_TEXT_MIDDLE = struct.Struct(f"{len(TEXT_MIDDLE)}d")
_POSITION = struct.Struct("d")
_CONTEXT = struct.Struct(f"{len(CONTEXT_FEATURES)}d")
_TEXT_EXTRA = struct.Struct(f"{len(TEXT_FEATURES)}d")
_HTML_EXTRA = struct.Struct(f"{len(HTML_FEATURES) - len(HTML_TAG_GROUPS) - len(HTML_LANDMARKS)}d")
_LENGTH_FLAGS = tuple(struct.pack(f"{len(flags)}d", *flags) for flags in LENGTH_FLAGS)
_ROW = cast(Callable[[bytes], "array[float]"], partial(array, "d"))  # a row from its packed doubles
# What a distinct text says, packed: TEXT_HEAD, TEXT_MIDDLE and the len_ge_*
# flags, one after another (a page's texts in one table, _Rows.texts). The
# context features average three of TEXT_HEAD's over neighbours.
_TEXT_ROW_DOUBLES = len(TEXT_HEAD) + len(TEXT_MIDDLE) + len(LENGTH_BINS)
_TEXT_ROW_BYTES = 8 * _TEXT_ROW_DOUBLES
_MIDDLE_START = _HEAD.size
_FLAGS_START = _HEAD.size + _TEXT_MIDDLE.size
_AVERAGED = tuple(TEXT_HEAD.index(name) for name in ("log_chars", "ends_sentence", "stopwords"))
# cleaner._speedups reads math.log1p of a line's length (and of its word count)
# from a table of this many, and asks math.log1p for a longer line's.
LOG1P_TABLE_SIZE = 4096
# Packed rows are joined into one byte string this many at a time (a list of a
# big page's rows would take more room than the string).
PACK_BATCH = 16384


def score_blocks(
    blocks: list[Block], config: CleanerConfig, *, html: bool = False, titles: Sequence[str | None] = ()
) -> list[Block]:
    """Set content_score on every block (HTML pages have a model of their own;
    titles: what an HTML page calls itself, its <title> and og:title, which
    find its headline's block: see title_features)."""
    if not blocks:
        return blocks
    path = config.html_model if html else config.line_model
    comments = None if html else _CommentLines(blocks)
    compiled = _speedups()
    if compiled is not None:
        stage1, stage2 = _stages(path, html)
        trees = _tree_table(path, html)
        if comments is not None:
            _text_scores(compiled, blocks, config, comments, stage1, stage2, trees)
            return blocks
        if trees is not None:
            _html_scores(compiled, blocks, config, stage1, trees, titles)
            return blocks
    stage1, predict = _load_model(path, html)
    # --comments: a page's comments are its content, judged as any other text
    rows = _line_features(blocks, html, config.keep_comments, comments, titles)
    first = list(map(partial(_predict, stage1), rows))
    if html and not config.keep_comments and _all_comments(blocks, first, config.comments_article_min_chars):
        # a page that is all comments (a forum thread): they are its content
        rows = _line_features(blocks, html, True, comments, titles)
        first = list(map(partial(_predict, stage1), rows))
    floor = HTML_STAGE2_MIN_FIRST if html else 0.0
    for block, p in zip(blocks, first):
        block.content_score = p  # kept where stage 2 is not asked
    for i, row in _stage2_rows(blocks, first, rows, html, floor=floor):
        blocks[i].content_score = predict(row)
    if comments is not None:
        _mark_text_comments(blocks, comments)
    return blocks


def _text_scores(
    compiled: ModuleType, blocks: list[Block], config: CleanerConfig, comments: _CommentLines,
    stage1: tuple[float, list[float]], stage2: tuple[float, list[float]] | dict[str, Any], trees: _TreeTable | None,
) -> None:
    """score_blocks on a text page, by cleaner._speedups: each line's row is
    made there from what it is made of (its text's features, its part, its
    margin, the comment stamps, its length), one at a time, with the numbers
    the Python code makes; stage 2 is logistic or, where trees are given
    (the model's stage 2 is a tree ensemble), those trees."""
    table, of_text = _text_rows(blocks)
    parts, of_part = _block_parts(blocks)
    page = (
        table, of_text, parts, of_part, bytes(map(_BLANK_BEFORE, blocks)), bytes(map(int, comments.stamps)),
        _after_comments(comments, config.keep_comments), array("l", _prose_lengths(blocks)),
        _weights(stage1), stage1[0],
    )
    if trees is not None:
        scores = compiled.text_tree_scores(*page, *trees)
    else:
        assert isinstance(stage2, tuple)
        scores = compiled.linear_scores(*page, _weights(stage2), stage2[0])
    del table, of_text, parts, of_part, page
    for block, p in zip(blocks, memoryview(scores).cast("d").tolist()):
        block.content_score = p
    _mark_text_comments(blocks, comments)


def _html_scores(
    compiled: ModuleType, blocks: list[Block], config: CleanerConfig, stage1: tuple[float, list[float]],
    trees: _TreeTable, titles: Sequence[str | None],
) -> None:
    """score_blocks on an HTML page whose stage 2 is a tree ensemble, by
    cleaner._speedups: each line's stage-1 row is made there from its text's
    features, its part, its margin and its HTML_FEATURES (made here), and
    stage 2's row from stage 1's scores around it, in its elements, and its
    own row, with the numbers the Python code makes."""
    table, of_text = _text_rows(blocks)
    parts, of_part = _block_parts(blocks)
    page = (table, of_text, parts, of_part, bytes(map(_BLANK_BEFORE, blocks)), array("l", _prose_lengths(blocks)))
    weights = _weights(stage1)
    comments_mask = ~int(Landmark.COMMENTS)
    extra = b"".join(_html_features(blocks, comments_mask if config.keep_comments else -1, titles))
    first = compiled.html_first_scores(*page, extra, weights, stage1[0])
    if not config.keep_comments and _all_comments(
        blocks, memoryview(first).cast("d").tolist(), config.comments_article_min_chars
    ):
        # a page that is all comments (a forum thread): they are its content
        extra = b"".join(_html_features(blocks, comments_mask, titles))
        first = compiled.html_first_scores(*page, extra, weights, stage1[0])
    scores = compiled.html_second_scores(
        *page, extra, first, HTML_STAGE2_MIN_FIRST, array("i", chain.from_iterable(map(_PARENTS, blocks))),
        array("i", map(_CONTAINER, blocks)), *trees,
    )
    for block, p in zip(blocks, memoryview(scores).cast("d").tolist()):
        block.content_score = p


def _weights(model: tuple[float, list[float]]) -> array[float]:
    return array("d", model[1])


class _Memo(dict[Hashable, Any]):
    """make(key) for each key asked, made on the first ask: a page repeats its
    lines, and looking them up with map(memo.__getitem__, keys) loops in C."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Hashable) -> Any:
        value = self[key] = self.make(key)
        return value


class _CommentLines:
    """A text dump's comment stamps (1.0 or 0.0 a line) and the lines that are
    comments headings, each text looked at once."""

    def __init__(self, blocks: list[Block]) -> None:
        texts = [b.text for b in blocks]
        self.blocks = blocks
        self._signatures: list[float] | None = None
        self._dated: list[float] | None = None
        module = compiled()
        if module is None:
            self.stamps: list[float] = list(map(_Memo(_stamp_value).__getitem__, texts))
            heading = _Memo(is_comments_heading).__getitem__
            self.headings = [i for i, text in enumerate(texts) if heading(text)]
            return
        # cleaner._speedups says which lines the patterns may match (most lines: none)
        may = module.comment_candidates(
            texts, COMMENT_STAMP_MAX_WORDS, COMMENT_STAMP_WORD_MAX_CHARS, COMMENT_STAMP_WORD_FIRST_LETTERS,
            COMMENTS_HEADING_MAX_CHARS, COMMENTS_HEADING_FIRST_LETTERS,
        )
        self.stamps = [0.0] * len(texts)
        stamp = _Memo(_stamp_value).__getitem__
        for i in compress(range(len(texts)), may.translate(_STAMP_BIT)):
            self.stamps[i] = stamp(texts[i])
        heading = _Memo(is_comments_heading).__getitem__
        self.headings = [i for i in compress(range(len(texts)), may.translate(_HEADING_BIT)) if heading(texts[i])]

    def ends(self) -> list[int]:
        """The copyright lines: a page's foot, where its comments have ended."""
        notice = BlockKind.NOTICE
        return [i for i, b in enumerate(self.blocks) if b.kind is notice]

    def sections(self) -> Iterator[tuple[int, list[float]]]:
        """The lines that open a comment section, each with the marks it runs
        on: a comments heading followed by a stamp within COMMENT_FIRST_REACH
        lines and COMMENT_MIN_STAMPS within COMMENT_OPEN_REACH (a "Comments"
        link in a menu at the top of the page is followed at most by the
        article's own date and time); or followed closely by COMMENT_MIN_DATED
        date lines (its marks: those dates); or a heading that counts the
        comments followed so by names that sign them (its marks: those names)."""
        stamps = self.stamps
        listed = post_count_lines([self.blocks[i].text for i in self.headings])
        for k, i in enumerate(self.headings):
            heading = self.blocks[i].text
            if NO_COMMENTS_COUNT.search(heading) or k in listed:
                continue
            if _marks_follow(stamps, i, COMMENT_FIRST_REACH, COMMENT_MIN_STAMPS):
                yield i, stamps
            elif _close_marks(self.dated(), i, COMMENT_MIN_DATED, COMMENT_FIRST_REACH):
                yield i, self.dated()
            elif _comments_counted(heading) >= COMMENT_MIN_NAMES and _marks_follow(
                self.signatures(), i, COMMENT_NAME_FIRST_REACH, COMMENT_MIN_NAMES
            ):
                yield i, self.signatures()

    def dated(self) -> list[float]:
        """1.0 for each date line (blocks.py: a date and a few words, a
        comment's stamp without a clock time), 0.0 for the others: made once
        a page, when a comments heading asks."""
        if self._dated is None:
            date = BlockKind.DATE
            self._dated = [1.0 if b.kind is date else 0.0 for b in self.blocks]
        return self._dated

    def signatures(self) -> list[float]:
        """1.0 for each line that signs a comment by a name alone (a name line
        with prose under it), 0.0 for the others: made once a page, when a
        heading that counts comments asks (most pages have none)."""
        if self._signatures is None:
            texts = [b.text for b in self.blocks]
            self._signatures = [
                1.0 if _is_name_line(text) and below.count(" ") + 1 >= COMMENT_TEXT_MIN_WORDS else 0.0
                for text, below in zip(texts, texts[1:] + [""])
            ]
        return self._signatures


def _marks_follow(marks: list[float], start: int, first_reach: int, count: int) -> bool:
    """Whether a marked line follows line start within first_reach lines, and
    count of them within COMMENT_OPEN_REACH."""
    return any(marks[start + 1: start + 1 + first_reach]) and sum(
        marks[start + 1: start + 1 + COMMENT_OPEN_REACH]
    ) >= count


def _close_marks(marks: list[float], start: int, count: int, reach: int) -> bool:
    """Whether count marked lines follow line start, each within reach lines
    of the one before (the first, of start)."""
    at = start
    for _ in range(count):
        following = marks[at + 1: at + 1 + reach]
        if not any(following):
            return False
        at += 1 + following.index(1.0)
    return True


def _count_shape(heading: str) -> str:
    """A heading's words with its numbers blanked: "Comments (12)" -> "comments (#)"."""
    return DIGITS.sub("#", heading.lower())


def post_count_lines(headings: Sequence[str]) -> set[int]:
    """Which of a page's comments headings (their texts, in order) a list of
    posts prints under each post to count its comments: those of one shape,
    COMMENT_LIST_MIN_POSTS of them or more, counting at least two different
    numbers ("comments (3)", "comments (1)", ...). Each stands between two
    posts: it opens no comment section, and it is not the end of an article."""
    counted: dict[str, list[str]] = {}  # shape -> the headings of that shape that count something
    shapes = [_count_shape(heading) for heading in headings]
    for heading, shape in zip(headings, shapes):
        if shape != heading.lower():
            counted.setdefault(shape, []).append(heading)
    listed = {shape for shape, same in counted.items() if len(same) >= COMMENT_LIST_MIN_POSTS and len(set(same)) > 1}
    return {k for k, shape in enumerate(shapes) if shape in listed} if listed else set()


def _comments_counted(heading: str) -> int:
    """How many comments a heading counts ("{ 167 comments }", "Comments (12)"), 0 if none."""
    found = COUNTS_COMMENTS.search(heading)
    return int(found.group(1) or found.group(2)) if found else 0


def _is_name_line(text: str) -> bool:
    if text.startswith("["):  # a text browser's mark of the avatar before the name: "[IMG] Ann Lee"
        text = IMAGE_MARK.sub("", text, count=1)
    if len(text) > COMMENT_NAME_MAX_CHARS:
        return False
    words = text.split(" ")
    return len(words) <= COMMENT_NAME_MAX_WORDS and all(
        word[:1].isupper() and word.replace("'", "").replace("’", "").replace("-", "").replace(".", "").isalpha()
        for word in words
    )


def _stamp_value(text: str) -> float:
    return 1.0 if _is_comment_stamp(text) else 0.0


def _mark_text_comments(blocks: list[Block], comments: _CommentLines) -> None:
    """A text dump's comment sections get the COMMENTS region, as an HTML page's
    comment elements do: below an article they leave it (segments.drop_replies,
    unless --comments). A section runs from its heading through the stamps (or
    the names that sign its comments) that follow each other within
    COMMENT_STAMP_REACH lines, and COMMENT_TAIL_BLOCKS past the last, but
    never past a copyright line: the page's foot ends its comments (in a dump
    of several pages, stamps below it are another page's)."""
    end = 0
    for i, stamps in comments.sections():
        if i < end:
            continue  # inside the section already marked
        last, stop = i, len(blocks)
        for j in range(i + 1, len(blocks)):
            if j - last > COMMENT_STAMP_REACH:
                break
            if blocks[j].kind is BlockKind.NOTICE:
                stop = j
                break
            if stamps[j]:
                last = j
        end = min(stop, last + COMMENT_TAIL_BLOCKS + 1)
        for block in blocks[i:end]:
            block.landmarks |= Landmark.COMMENTS


def _all_comments(blocks: list[Block], first: Sequence[float], min_chars: int) -> bool:
    """Whether a page with comment regions has less than min_chars of likely
    article text (stage 1 at least even) outside them."""
    comments = int(Landmark.COMMENTS)
    if not any(int(b.landmarks) & comments for b in blocks):
        return False
    outside = sum(len(b.text) for b, p in zip(blocks, first) if p >= LIKELY_SCORE and not int(b.landmarks) & comments)
    return outside < min_chars


def line_features(
    blocks: list[Block], *, html: bool = False, comments_are_content: bool = False, titles: Sequence[str | None] = ()
) -> list[array[float]]:
    """Every block's stage-1 row: FEATURE_NAMES (HTML_FEATURE_NAMES on HTML pages)."""
    return list(_line_features(blocks, html, comments_are_content, None if html else _CommentLines(blocks), titles))


class _Rows:
    """A page's stage-1 rows, held as what they are made of (43 doubles a line
    held as arrays are most of a big dump's memory): each distinct text's
    _TEXT_ROW_BYTES in one table, each line's margins, repeats and kind as one
    of a few packed pieces, and its context and extra features in two byte
    strings of fixed width a line. Rows are made PACK_BATCH at a time when
    read, in order; the last batch made is kept (stage 2 reads a page of one
    batch again)."""

    __slots__ = ("texts", "of_text", "parts", "of_part", "context", "extra", "extra_width", "last", "_batch")

    def __init__(
        self, texts: bytearray, of_text: array[int], parts: list[bytes], of_part: array[int],
        context: bytearray, extra: bytearray,
    ) -> None:
        self.texts, self.of_text, self.parts, self.of_part = texts, of_text, parts, of_part
        self.context, self.extra = context, extra
        n = len(of_text)
        self.extra_width = len(extra) // n if n else 0
        self.last = max(1, n - 1)  # a line's position is its index over this
        self._batch: tuple[int, list[array[float]]] = (0, [])

    def __len__(self) -> int:
        return len(self.of_text)

    def __iter__(self) -> Iterator[array[float]]:
        return chain.from_iterable(map(self._rows, range(0, len(self.of_text), PACK_BATCH)))

    def __getitem__(self, i: int) -> array[float]:
        start = i - i % PACK_BATCH
        return self._rows(start)[i - start]

    def _rows(self, start: int) -> list[array[float]]:
        """The rows from start on, PACK_BATCH of them (fewer at the page's end),
        made by maps: they loop in C."""
        if self._batch[0] == start and self._batch[1]:
            return self._batch[1]
        stop = min(len(self.of_text), start + PACK_BATCH)
        texts, width, size = self.texts, self.extra_width, _CONTEXT.size
        at = list(map(operator.mul, self.of_text[start:stop], repeat(_TEXT_ROW_BYTES)))
        middles, flags, ends = ([o + k for o in at] for k in (_MIDDLE_START, _FLAGS_START, _TEXT_ROW_BYTES))
        pieces = zip(
            map(texts.__getitem__, map(slice, at, middles)),
            map(self.parts.__getitem__, self.of_part[start:stop]),
            map(texts.__getitem__, map(slice, middles, flags)),
            map(_POSITION.pack, map(operator.truediv, range(start, stop), repeat(self.last))),
            map(texts.__getitem__, map(slice, flags, ends)),
            map(self.context.__getitem__, map(slice, range(start * size, stop * size, size),
                                              range((start + 1) * size, (stop + 1) * size, size))),
            map(self.extra.__getitem__, map(slice, range(start * width, stop * width, width or 1),
                                            range((start + 1) * width, (stop + 1) * width, width))),
        )
        rows = list(map(_ROW, map(b"".join, pieces)))
        self._batch = start, rows
        return rows


def _line_features(
    blocks: list[Block], html: bool, comments_are_content: bool, comments: _CommentLines | None,
    titles: Sequence[str | None] = (),
) -> _Rows:
    table, of_text = _text_rows(blocks)
    context = _packed(_context_features(blocks, table, of_text))
    extra: Iterable[bytes]
    if html:
        extra = _html_features(blocks, ~int(Landmark.COMMENTS) if comments_are_content else -1, titles)
    else:
        assert comments is not None
        extra = _text_extra_features(comments, comments_are_content)
    parts, of_part = _block_parts(blocks)
    return _Rows(table, of_text, parts, of_part, context, _packed(iter(extra)))


def _text_rows(blocks: list[Block]) -> tuple[bytearray, array[int]]:
    """Each distinct text's _TEXT_ROW_BYTES (_text_table), and which is each block's."""
    texts = [b.text for b in blocks]
    # pages repeat lines (menus, captions): what a text says is worked out once
    index_of = dict.fromkeys(texts, 0)
    distinct = list(index_of)
    index_of.update(zip(distinct, range(len(distinct))))
    of_text = array("i", map(index_of.__getitem__, texts))
    del texts, index_of
    return _text_table(distinct), of_text


def _block_parts(blocks: list[Block]) -> tuple[list[bytes], array[int]]:
    """The page's distinct BLOCK_PARTs, packed, and which is each block's."""
    part_of: dict[tuple[bool, bool, int, int | None, BlockKind], int] = {}
    of_part = array("i", (part_of.setdefault(key, len(part_of)) for key in map(_BLOCK_KEY, blocks)))
    return list(map(_block_part, part_of)), of_part


def _text_table(distinct: list[str]) -> bytearray:
    """_TEXT_ROW_BYTES of each text, one after another: by cleaner._speedups
    where it is built (for the texts of printable ASCII), else in Python."""
    table = bytearray()
    compiled = _speedups()
    for start in range(0, len(distinct), TEXTS_BATCH):
        batch = distinct[start: start + TEXTS_BATCH]
        if compiled is None:
            table += b"".join(_python_text_rows(batch))
            continue
        at = len(table)
        rows, others = compiled.text_rows(batch, FEATURE_SAMPLE_CHARS)
        table += rows
        for i, row in zip(others, _python_text_rows([batch[i] for i in others])):
            table[at + i * _TEXT_ROW_BYTES: at + (i + 1) * _TEXT_ROW_BYTES] = row
    return table


def _python_text_rows(texts: list[str]) -> Iterator[bytes]:
    samples = [text[:FEATURE_SAMPLE_CHARS] for text in texts]
    return map(_text_features, texts, samples, words_of(samples))


@lru_cache(maxsize=1)
def _speedups() -> ModuleType | None:
    """cleaner._speedups, set up, where it was built and CLEANER_PURE_PYTHON
    is not set; else None (the Python code gives the same rows)."""
    _speedups = compiled()
    if _speedups is None:
        return None
    _speedups.setup(sorted(STOPWORDS), list(map(math.log1p, range(LOG1P_TABLE_SIZE))), LENGTH_BINS, math.log1p)
    return _speedups


def _packed(rows: Iterator[bytes]) -> bytearray:
    """The rows joined, PACK_BATCH at a time."""
    packed = bytearray()
    while chunk := b"".join(islice(rows, PACK_BATCH)):
        packed += chunk
    return packed


def _context_features(blocks: list[Block], table: bytearray, of_text: array[int]) -> Iterator[bytes]:
    """CONTEXT_FEATURES of every block, packed: its neighbours' lengths, sentence
    ends, function words and margins, and where it stands towards the page's
    prose. table holds each distinct text's features, of_text says which is
    each block's."""
    n = len(blocks)
    said = memoryview(table).cast("d")
    log_chars, ends, stops = (list(map(said[k::_TEXT_ROW_DOUBLES].tolist().__getitem__, of_text)) for k in _AVERAGED)
    blanks = [1.0 if b.blank_before else 0.0 for b in blocks]
    columns = [
        _column(_window_means(log_chars, NEAR_WINDOW)),
        _column(_window_means(ends, NEAR_WINDOW)),
        _column(_window_means(stops, NEAR_WINDOW)),
        _column(_window_means(blanks, NEAR_WINDOW)),
        _column(_window_means(log_chars, WIDE_WINDOW)),
        _column(_window_means(ends, WIDE_WINDOW)),
    ]
    del log_chars, ends, stops, blanks, said  # a big page's columns are let go as soon as they are used
    lengths = _prose_lengths(blocks)
    prose_mass = [float(chars) if chars >= LONG_LINE_CHARS else 0.0 for chars in lengths]
    total_mass = sum(prose_mass) or 1.0
    before = _prefix_sums(prose_mass)
    del prose_mass

    def mass_before() -> Iterator[float]:
        return map(operator.truediv, islice(before, n), repeat(total_mass))

    def mass_after() -> Iterator[float]:
        return map(operator.truediv, map(operator.sub, repeat(total_mass), islice(before, 1, None)), repeat(total_mass))

    return map(
        _CONTEXT.pack,
        *columns,
        map(math.log1p, map(min, _distance_to_long(lengths), repeat(MAX_DISTANCE))),
        mass_before(),
        mass_after(),
        map(float, map(operator.lt, mass_before(), repeat(EDGE_MASS_RATIO))),
        map(float, map(operator.lt, mass_after(), repeat(EDGE_MASS_RATIO))),
    )


def _text_extra_features(comments: _CommentLines, comments_are_content: bool = False) -> Iterator[bytes]:
    """TEXT_FEATURES, packed: the comment stamps near a line, and whether it
    follows a comments heading with no copyright line between (a page's foot
    ends its comments: what follows is more of the page's foot, or the next
    page of a dump of several); with comments_are_content no line does."""
    stamps = comments.stamps
    return map(
        _TEXT_EXTRA.pack, _window_means(stamps, NEAR_WINDOW), _window_means(stamps, WIDE_WINDOW),
        map(float, _after_comments(comments, comments_are_content)),
    )


def _after_comments(comments: _CommentLines, comments_are_content: bool) -> bytearray:
    """after_comments_heading of every line, a byte a line (1 or 0): it follows
    a comment section's heading with no copyright line between. The copyright
    lines are looked for only on a page with a comment section (most have none)."""
    n = len(comments.stamps)
    after = bytearray(n)
    sections = [] if comments_are_content else [i for i, _ in comments.sections()]
    if sections:
        events = sorted([(i, 1) for i in sections] + [(i, 0) for i in comments.ends()])
        for (i, value), (j, _) in zip(events, events[1:] + [(n - 1, 0)]):
            after[i + 1: j + 1] = bytes([value]) * (j - i)
    return after


def _is_comment_stamp(text: str) -> bool:
    return (
        text.count(" ") < COMMENT_STAMP_MAX_WORDS
        and (
            ":" in text
            or (len(text) <= COMMENT_STAMP_WORD_MAX_CHARS and text[:1] in COMMENT_STAMP_WORD_FIRST_LETTERS)
            or "ago" in text.lower()
            or text.endswith(",")
        )
        and COMMENT_STAMP.search(text) is not None
    )


def is_comments_heading(text: str) -> bool:
    return len(text) <= COMMENTS_HEADING_MAX_CHARS and COMMENTS_HEADING.match(text) is not None


def _html_features(blocks: list[Block], region_mask: int = -1, titles: Sequence[str | None] = ()) -> list[bytes]:
    """The markup features, packed; regions outside region_mask (a bit mask of
    Landmark) are not told to the model."""
    links_near = _window_means([b.link_ratio for b in blocks], NEAR_WINDOW)
    title_section, title_element = title_features(blocks, titles)
    (parent_shares, parent_top), (grandparent_shares, grandparent_top) = (
        _region_shares(blocks, level) for level in (0, 1)
    )
    # a page has a few tags and region sets: the flags of each pair are made once
    flags_of: dict[tuple[str, Landmark], bytes] = {}
    rows = []
    for block, near, section, shares in zip(blocks, links_near, title_section, title_element):
        parent, grandparent = block.parents
        key = (block.tag, block.landmarks)
        flags = flags_of.get(key)
        if flags is None:
            bits = int(block.landmarks) & region_mask
            values = (
                [1.0 if block.tag in tags else 0.0 for _, tags in HTML_TAG_GROUPS]
                + [1.0 if bits & m else 0.0 for m in HTML_LANDMARK_BITS]
            )
            flags = flags_of[key] = struct.pack(f"{len(values)}d", *values)
        rows.append(_HTML_EXTRA.pack(
            block.link_ratio,
            near,
            1.0 if block.container >= 0 else 0.0,
            parent_shares.get(parent, 0.0),
            1.0 if parent == parent_top and parent >= 0 else 0.0,
            grandparent_shares.get(grandparent, 0.0),
            1.0 if grandparent == grandparent_top and grandparent >= 0 else 0.0,
            section,
            shares,
        ) + flags)
    return rows


# A block that names the page is its headline: it is at most this long, and
# its text (match_key) is the whole of one of the page's titles or one part of
# it, cut at TITLE_SEPARATORS ("Site: Headline", "Headline | Site").
TITLE_BLOCK_MAX_CHARS = 300


def title_features(blocks: list[Block], titles: Sequence[str | None]) -> tuple[list[float], list[float]]:
    """Where each block stands towards the nearest headline above it (a block
    that names the page, not in its navigation): 1.0 in the headline's
    section (after it, no heading between), and 1.0 where the block shares an
    element (its parent or grandparent) with that headline. A short post's
    text is the block under its headline, whatever else on the page reads as
    prose."""
    names = set()
    for title in filter(None, titles):
        names.add(match_key(title))
        names.update(match_key(part) for part in TITLE_SEPARATORS.split(title))
    names.discard("")
    section = [0.0] * len(blocks)
    shares = [0.0] * len(blocks)
    if not names:
        return section, shares
    nav = int(Landmark.NAV)
    last = -1
    in_section = False
    elements: set[int] = set()
    for i, block in enumerate(blocks):
        if (block.norm in names and len(block.text) <= TITLE_BLOCK_MAX_CHARS
                and not int(block.landmarks) & nav):
            last = i
            in_section = True
            elements = {e for e in block.parents if e >= 0}
            continue
        if block.tag in HEADING_TAGS:
            in_section = False
        if last >= 0:
            section[i] = 1.0 if in_section else 0.0
            shares[i] = 1.0 if elements.intersection(block.parents) else 0.0
    return section, shares


def _region_shares(blocks: list[Block], level: int) -> tuple[dict[int, float], int]:
    """Share of the page's unlinked prose held by each element that wraps blocks
    (the parent, level 0, or grandparent, level 1), and the element holding most:
    the article's paragraphs are siblings in one such element."""
    mass: dict[int, float] = {}
    for block in blocks:
        if len(block.text) >= REGION_MIN_CHARS:
            region = block.parents[level]
            mass[region] = mass.get(region, 0.0) + len(block.text) * (1.0 - block.link_ratio)
    total = sum(mass.values()) or 1.0
    top = max(mass, key=lambda r: (mass[r], -r)) if mass else -1
    return {region: value / total for region, value in mass.items()}, top


def stage2_features(
    blocks: list[Block], first: list[float], own: list[array[float]], *, html: bool = False
) -> list[list[float]]:
    """Stage 1's scores around each line (on HTML pages, also in the elements
    around it), then the line's own stage-1 features."""
    return [list(row) for _, row in _stage2_rows(blocks, first, own, html)]


def _stage2_rows(
    blocks: list[Block], first: list[float], own: Iterable[array[float]], html: bool, floor: float = 0.0,
) -> Iterator[tuple[int, Iterable[float]]]:
    """stage2_features one row at a time, with the line's index, for the lines
    whose stage-1 score reaches floor. A row is an iterator (the logistic
    model sums it as it goes), read once."""
    n = len(first)
    regions = _likely_regions(blocks, first, floor) if html else None
    near_mean = _column(_window_means(first, NEAR_WINDOW))
    wide_mean = _column(_window_means(first, WIDE_WINDOW))
    far_mean = _column(_window_means(first, FAR_WINDOW))
    # a line's mass as the page's prose counts it: a script's code none (the C helper's page lengths)
    weighted = [p * min(chars, MASS_CAP_CHARS) for p, chars in zip(first, _prose_lengths(blocks))]
    wide_mass = _column(_window_means(weighted, WIDE_WINDOW))
    del weighted
    # the context features as columns, made by maps (they loop in C): a line
    # at the page's edge has 0.0 for each missing neighbour, which leaves the
    # previous, next, max and sums as they were (scores are never negative)
    padded = [0.0] * NEAR_WINDOW + first + [0.0] * NEAR_WINDOW
    before, after = _neighbours(padded, n, NEAR_WINDOW)
    all_before, all_after = _neighbours(padded, n, NEAR_WINDOW)
    sum_before, sum_after = _neighbours(padded, n, NEAR_WINDOW)
    windows = map(operator.sub, map(min, repeat(n), range(WIDE_WINDOW + 1, n + WIDE_WINDOW + 1)),
                  map(max, repeat(0), range(-WIDE_WINDOW, n - WIDE_WINDOW)))
    context = zip(
        _logits(first),
        near_mean,
        wide_mean,
        before[-1],
        after[0],
        map(max, *all_before, *all_after),
        map(math.log1p, map(operator.mul, wide_mass, windows)),
        map(operator.truediv, reduce(partial(map, operator.add), sum_before), repeat(NEAR_WINDOW)),
        map(operator.truediv, reduce(partial(map, operator.add), sum_after), repeat(NEAR_WINDOW)),
        far_mean,
    )
    for i, (p, features, row) in enumerate(zip(first, context, own)):
        if p < floor:
            continue
        yield i, chain(features, regions[i], row) if regions is not None else chain(features, row)


def _likely_regions(blocks: list[Block], first: list[float], floor: float = 0.0) -> list[tuple[float, ...]]:
    """STAGE2_HTML_CONTEXT of every block: for its parent, its grandparent and its
    <article>, the share of the page's likely-article mass (stage-1 score times
    length) they hold, and for the first two the mean stage-1 score of their text
    (weighted by length). An article's paragraphs share their elements, and the
    element holding most of the likely text vouches for its weaker lines.
    A block whose stage-1 score is below floor gets () (stage 2 is not asked)."""
    # the parent's, grandparent's and <article>'s sums, each in a dict of its own
    likely_parent: dict[int, float] = {}
    likely_grandparent: dict[int, float] = {}
    likely_article: dict[int, float] = {}
    length_parent: dict[int, float] = {}
    length_grandparent: dict[int, float] = {}
    total = 0.0
    for block, p in zip(blocks, first):
        chars = min(len(block.text), MASS_CAP_CHARS)
        mass = p * chars
        total += mass
        parent, grandparent = block.parents
        likely_parent[parent] = likely_parent.get(parent, 0.0) + mass
        likely_grandparent[grandparent] = likely_grandparent.get(grandparent, 0.0) + mass
        likely_article[block.container] = likely_article.get(block.container, 0.0) + mass
        length_parent[parent] = length_parent.get(parent, 0.0) + chars
        length_grandparent[grandparent] = length_grandparent.get(grandparent, 0.0) + chars
    total = total or 1.0
    rows: list[tuple[float, ...]] = []
    for block, p in zip(blocks, first):
        if p < floor:
            rows.append(())
            continue
        parent, grandparent = block.parents
        article = block.container
        rows.append((
            likely_parent[parent] / total if parent >= 0 else 0.0,
            likely_grandparent[grandparent] / total if grandparent >= 0 else 0.0,
            likely_article[article] / total if article >= 0 else 0.0,
            likely_parent[parent] / (length_parent[parent] or 1.0),
            likely_grandparent[grandparent] / (length_grandparent[grandparent] or 1.0),
        ))
    return rows


# The kinds that are features, as plain names: in Python 3.11 reading a
# member from its enum class (BlockKind.CAPTION) costs about ten times as much.
CAPTION_KIND, DATE_KIND, BYLINE_KIND, PROMO_KIND = BlockKind.CAPTION, BlockKind.DATE, BlockKind.BYLINE, BlockKind.PROMO
_KIND = operator.attrgetter("kind")
_BLANK_BEFORE = operator.attrgetter("blank_before")
_PARENTS = operator.attrgetter("parents")
_CONTAINER = operator.attrgetter("container")
# What BLOCK_PART is made from: a page has few combinations, each packed once.
_BLOCK_KEY = operator.attrgetter("blank_before", "blank_after", "copies", "duplicate_of", "kind")


def _block_part(key: tuple[bool, bool, int, int | None, BlockKind]) -> bytes:
    """BLOCK_PART, packed: a line's margins, its copies and kind."""
    blank_before, blank_after, copies, duplicate_of, kind = key
    return _BLOCK_PART.pack(
        1.0 if blank_before else 0.0,
        1.0 if blank_after else 0.0,
        math.log(copies),
        1.0 if duplicate_of is not None else 0.0,
        1.0 if kind is CAPTION_KIND else 0.0,
        1.0 if kind is DATE_KIND else 0.0,
        1.0 if kind is BYLINE_KIND else 0.0,
        1.0 if kind is PROMO_KIND else 0.0,
    )


def _text_features(full_text: str, text: str, tokens: list[str]) -> bytes:
    """What full_text says (_TEXT_ROW_BYTES), read from text, its first
    FEATURE_SAMPLE_CHARS, and tokens, the words of text."""
    n_words = max(1, len(tokens))
    n_chars = max(1, len(text))
    # counted with map(), which loops in C: a generator per token costs far more
    stopwords = sum(map(STOPWORDS.__contains__, map(str.lower, tokens)))
    titled = sum(map(str.isupper, map(FIRST_CHARACTER, tokens)))
    # words in capitals, one letter long ("A", "I") left out: looked for only
    # when any token is in capitals (most lines have none)
    upper = sum(map(str.isupper, tokens))
    if upper:
        upper = sum(map(str.isupper, [t for t in tokens if len(t) > 1]))
    full_length = len(full_text)
    word_characters = "".join(tokens)
    symbols = _count_symbols(text, len(word_characters))
    # sentence ends, marks, commas, separators and URLs are all made of symbols,
    # and most lines (menu items, names) have none: they are looked for only if any
    ends_sentence = ends_colon = sentence_marks = commas = separators = urlish = 0.0
    if symbols:
        ends_sentence = 1.0 if SENTENCE_END.search(text[-SENTENCE_END_TAIL:]) else 0.0
        ends_colon = 1.0 if text.endswith(":") else 0.0
        sentence_marks = min(1.0, len(SENTENCE_MARK.findall(text)) / n_words * 5)
        commas = min(1.0, text.count(",") / n_words * 5)
        separators = min(1.0, _count_separators(text) / 3)
        urlish = 1.0 if _is_urlish(text) else 0.0
    log_chars = math.log1p(full_length)
    stopword_ratio = stopwords / n_words
    head = _HEAD.pack(
        log_chars,
        math.log1p(len(tokens)),
        ends_sentence,
        ends_colon,
        sentence_marks,
        commas,
        stopword_ratio,
        titled / n_words,
        upper / n_words,
        _count_digits(text, word_characters) / n_chars,
        symbols / n_chars,
        1.0 if BULLET_START.match(text) else 0.0,
        separators,
    )
    middle = _TEXT_MIDDLE.pack(urlish, 1.0 if _has_copyright(text) else 0.0)
    return head + middle + _LENGTH_FLAGS[bisect_right(LENGTH_BINS, full_length)]


def _count_symbols(text: str, word_characters: int) -> int:
    """len(SYMBOL.findall(text)), without the regex where it can: a character is
    a word character (text has word_characters of them), a space or a symbol,
    and in printable text every space is " " (the others are separators or controls)."""
    if text.isprintable():
        return len(text) - word_characters - text.count(" ")
    return len(SYMBOL.findall(text))


def _count_separators(text: str) -> int:
    """len(SEPARATORS.findall(text)): no match of one half holds a character
    of the other's, so the two are counted apart (str.count is far cheaper
    than a regex scan); ASCII text (most) is looked at for ASCII characters only."""
    characters, dashes = (ASCII_SEPARATOR_CHARACTERS, ASCII_DASHES) if text.isascii() else (SEPARATOR_CHARACTERS, DASHES)
    count = sum(map(text.count, characters))
    if any(map(text.__contains__, dashes)):
        count += len(SPACED_DASH.findall(text))
    return count


def _count_digits(text: str, word_characters: str) -> int:
    """len(DIGIT.findall(text)): digits are word characters, so when text's
    (word_characters) are all letters (most lines) there are none."""
    if word_characters.isalpha():
        return 0
    return len(DIGIT.findall(text))


def _is_urlish(text: str) -> bool:
    # URLISH needs one of these: most lines have none, and `in` is much cheaper
    return ("@" in text or "http" in text or "www." in text) and URLISH.search(text) is not None


def _has_copyright(text: str) -> bool:
    if not text.isascii() and any(map(text.__contains__, IGNORECASE_ODD_LETTERS)):
        return COPYRIGHT.search(text) is not None
    return any(map(text.lower().__contains__, COPYRIGHT_PHRASES))


def _prefix_sums(values: Iterable[float]) -> list[float]:
    return list(accumulate(values, initial=0.0))


def _window_means(values: Sequence[float], half: int) -> list[float]:
    """Mean of values[i-half : i+half+1] for every i, in one pass."""
    n = len(values)
    sums = _prefix_sums(values)
    # window bounds: low = max(0, i - half), high = min(n, i + half + 1); the
    # sums at them are slices of sums, and (sums[high] - sums[low]) / (high - low)
    # is worked out in maps: they loop in C
    inner = max(0, n - half - 1)  # the windows that end before the page does
    highs = sums[half + 1: half + 1 + inner] + [sums[n]] * (n - inner)
    lows = [sums[0]] * min(n, half + 1) + sums[1: 1 + inner]
    return list(map(operator.truediv, map(operator.sub, highs, lows), _window_sizes(n, half)))


def _window_sizes(n: int, half: int) -> list[int]:
    """high - low of each of _window_means' windows: 2 * half + 1 but at the page's edges."""
    width = 2 * half + 1
    if n <= width:
        return [min(n, i + half + 1) - max(0, i - half) for i in range(n)]
    return [*range(half + 1, width), *[width] * (n - 2 * half), *range(width - 1, half, -1)]


def _neighbours(padded: list[float], n: int, half: int) -> tuple[list[Iterator[float]], list[Iterator[float]]]:
    """Of n values with half 0.0 on either side (padded), the values half,
    half - 1 … 1 places before each one, and 1 … half places after it, as
    columns: iterators, read once (lists would hold a big page's values 2 * half times)."""
    before: list[Iterator[float]] = [islice(padded, k, k + n) for k in range(half)]
    after: list[Iterator[float]] = [islice(padded, half + 1 + k, half + 1 + k + n) for k in range(half)]
    return before, after


def _column(values: list[float]) -> array[float]:
    """A column of a page's values as doubles: a big page's list of floats takes four times the room."""
    return array("d", values)


def _prose_lengths(blocks: list[Block]) -> list[int]:
    """Each block's length as the page's prose counts it: a script's code that
    a scraper kept as text (scripts.py) is none of it, however long."""
    lengths = list(map(len, map(block_text, blocks)))
    for i in compress(range(len(blocks)), map(operator.is_, map(_KIND, blocks), repeat(BlockKind.CODE))):
        lengths[i] = 0  # (found by maps: they loop in C, and most pages have no code)
    return lengths


def _distance_to_long(lengths: list[int]) -> list[int]:
    n = len(lengths)
    distance = [MAX_DISTANCE] * n
    last = -MAX_DISTANCE - 1
    for i in range(n):
        if lengths[i] >= LONG_LINE_CHARS:
            last = i
        distance[i] = min(distance[i], i - last)
    last = n + MAX_DISTANCE + 1
    for i in range(n - 1, -1, -1):
        if lengths[i] >= LONG_LINE_CHARS:
            last = i
        distance[i] = min(distance[i], last - i)
    return distance


def _logits(values: list[float]) -> Iterator[float]:
    """The logit of each probability, kept 1e-6 from 0 and 1 (by maps: they loop in C)."""
    kept = list(map(min, map(max, values, repeat(1e-6)), repeat(1 - 1e-6)))
    return map(math.log, map(operator.truediv, kept, map(operator.sub, repeat(1), kept)))


def _predict(model: tuple[float, list[float]], row: Iterable[float]) -> float:
    intercept, weights = model
    z = intercept + sum(map(operator.mul, weights, row))
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def _fold_scaling(weights: dict[str, list[float]]) -> tuple[float, list[float]]:
    """Fold the standardisation into the weights: z = b + sum(w_j * x_j)."""
    slopes = [c / s for c, s in zip(weights["coef"], weights["scale"])]
    intercept = weights["intercept"][0] - sum(w * m for w, m in zip(slopes, weights["mean"]))
    return intercept, slopes


def _model_data(path: str | None, html: bool) -> bytes:
    """The model file's bytes: path, or the shipped model of HTML pages or text."""
    if path is None:
        name = "html_model.json" if html else "line_model.json"
        path = os.path.join(os.path.dirname(__file__), "data", name)
    with open(path, "rb") as handle:
        return handle.read()


@lru_cache(maxsize=8)
def _stages(
    path: str | None, html: bool = False
) -> tuple[tuple[float, list[float]], tuple[float, list[float]] | dict[str, Any]]:
    """Stage 1's weights (the standardisation folded in), and stage 2's, or
    its tree ensemble as the file holds it (pack_trees: a dict with "nodes")."""
    model = json.loads(_model_data(path, html))
    stage2 = model["stage2"]
    return _fold_scaling(model["stage1"]), stage2 if "nodes" in stage2 else _fold_scaling(stage2)


@lru_cache(maxsize=8)
def _load_model(
    path: str | None, html: bool = False
) -> tuple[tuple[float, list[float]], Callable[[Iterable[float]], float]]:
    """Stage 1's weights, and stage 2 as a function of a row (the Python
    code's): a logistic model, or an ensemble of regression trees compiled
    into one function (the shipped model's trees come compiled already, as
    html_trees.py and text_trees.py)."""
    stage1, stage2 = _stages(path, html)
    if isinstance(stage2, tuple):
        return stage1, partial(_predict, stage2)
    # the shipped trees, compiled once by Python and cached
    shipped = importlib.import_module(".html_trees" if html else ".text_trees", __package__)
    if shipped.MODEL_DIGEST == model_digest(_model_data(path, html)):
        return stage1, _sigmoid_of(shipped.raw)
    return stage1, compile_trees(stage2)


# A tree ensemble for cleaner._speedups (html_second_scores, text_tree_scores):
# its nodes (5 doubles each: feature, threshold, left, right, value, numbered
# among all the trees' nodes), each tree's first node (an int32 each), both as
# bytes, and base.
_TreeTable = tuple[bytes, bytes, float]


@lru_cache(maxsize=8)
def _tree_table(path: str | None, html: bool) -> _TreeTable | None:
    """Stage 2's trees (see pack_trees) for cleaner._speedups, or None when
    stage 2 is not a tree ensemble."""
    ensemble = _stages(path, html)[1]
    if isinstance(ensemble, tuple):
        return None
    nodes, roots = _packed_nodes(ensemble)
    return nodes.tobytes(), array("i", roots).tobytes(), float(ensemble["base"])


def model_digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()[:16]


def pack_trees(base: float, trees: list[list[list[float]]]) -> dict[str, Any]:
    """A tree ensemble as a model file holds it. A tree is a list of nodes
    [feature, threshold, left, right, value], its children numbered in the
    tree (a leaf has feature -1 and its value already scaled by the learning
    rate); a row goes left when row[feature] <= threshold. The file holds
    base, roots (each tree's first node) and nodes: 5 doubles a node (a leaf:
    -1, 0, 0, 0, value; a split: feature, threshold, left, right, 0, its
    children numbered among all the trees' nodes), as base64 of their bytes
    (little-endian): the text model's 2,240 nodes load in about half a
    millisecond, where as JSON numbers they took five, at every start-up."""
    nodes: array[float] = array("d")
    roots = []
    for tree in trees:
        start = len(nodes) // 5
        roots.append(start)
        for feature, threshold, left, right, value in tree:
            if int(feature) < 0:
                nodes.extend((-1.0, 0.0, 0.0, 0.0, float(value)))
            else:
                nodes.extend((float(int(feature)), float(threshold), float(start + int(left)),
                              float(start + int(right)), 0.0))
    if sys.byteorder != "little":
        nodes.byteswap()
    return {"base": float(base), "roots": roots, "nodes": base64.b64encode(nodes.tobytes()).decode("ascii")}


def _packed_nodes(ensemble: dict[str, Any]) -> tuple[array[float], list[int]]:
    """The nodes and roots of a packed ensemble (pack_trees), as they are
    (cleaner._speedups checks them itself)."""
    nodes = array("d", base64.b64decode(ensemble["nodes"], validate=True))
    if sys.byteorder != "little":
        nodes.byteswap()
    return nodes, [int(root) for root in ensemble["roots"]]


def _unpacked(ensemble: dict[str, Any]) -> tuple[array[float], list[int]]:
    """_packed_nodes, checked: every child after its node and among the
    nodes, every root among them."""
    nodes, roots = _packed_nodes(ensemble)
    count = len(nodes) // 5
    splits = ((k, nodes[5 * k + 2], nodes[5 * k + 3]) for k in range(count) if nodes[5 * k] >= 0)
    if len(nodes) % 5 or not all(0 <= root < count for root in roots) or not all(
        k < left < count and k < right < count for k, left, right in splits
    ):
        raise ValueError("a tree ensemble whose nodes do not fit together")
    return nodes, roots


def compile_trees(ensemble: dict[str, Any]) -> Callable[[Iterable[float]], float]:
    """A function of a feature row: the sigmoid of base + the sum of the
    leaves the row reaches in each tree (pack_trees). The trees become one
    nested conditional expression each, in Python source made from these
    numbers alone (each one passed through int() or float()), compiled once:
    far faster than walking node lists for every line. Compiling a few
    hundred trees takes a good part of a second, so the shipped models' trees
    also come as modules (trees_module_source), which Python compiles once and caches.
    """
    namespace: dict[str, Any] = {}
    exec(compile(trees_module_source(ensemble, "", "a model"), "<cleaner tree ensemble>", "exec"), namespace)  # noqa: S102
    return _sigmoid_of(namespace["raw"])


def trees_module_source(ensemble: dict[str, Any], digest: str, source: str) -> str:
    """A Python module with raw(x), the ensemble's sum, and MODEL_DIGEST, the
    digest of the model file it was made from (see _load_model). raw first
    reads each feature the trees split on into a local (x12 = x[12]): the
    nodes then compare locals, a good quarter faster than indexing the row
    at every node."""
    nodes, roots = _unpacked(ensemble)
    features = sorted({int(nodes[k]) for k in range(0, len(nodes), 5) if nodes[k] >= 0})
    reads = "".join(f"    x{feature} = x[{feature}]\n" for feature in features)
    terms = "\n".join(f"        + {_tree_source(nodes, root)}" for root in roots)
    return (
        f'"""Generated by bench/train_model.py from data/{source}: do not edit."""\n\n'
        f"MODEL_DIGEST = {str(digest)!r}\n\n\n"
        f"def raw(x):  # noqa: C901\n{reads}    return (\n        {float(ensemble['base'])!r}\n{terms}\n    )\n"
    )


def _sigmoid_of(raw: Callable[[list[float]], float]) -> Callable[[Iterable[float]], float]:
    def predict(row: Iterable[float]) -> float:
        z = raw(list(row))  # the trees read the features by index
        if z < -30:
            return 1e-13
        return 1.0 / (1.0 + math.exp(-min(z, 30.0)))

    return predict


def _tree_source(nodes: array[float], node: int) -> str:
    """One tree, from node down, as a Python expression over the features x0,
    x1… of the row x (recursive: the trees are shallow; bench/train_model.py
    sets their depth)."""
    feature, threshold, left, right, value = nodes[5 * node: 5 * node + 5]
    if feature < 0:
        return repr(value)
    return (
        f"({_tree_source(nodes, int(left))} if x{int(feature)} <= {threshold!r} "
        f"else {_tree_source(nodes, int(right))})"
    )
