"""CleanerConfig: every tunable number of the pipeline, named and documented.

Numbers marked "tuned on dev" were chosen by looking at the cross-validated F1 of
``bench/quality.py`` on ``../shared/eval/dev/text`` and the article counts on
``dev/multi``; see the README for the figures.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from dataclasses import Field


class _DataclassFields:
    """CleanerConfig.__dataclass_fields__, made on first use (by dataclasses.fields,
    replace, asdict or is_dataclass): the fields of a frozen dataclass of the same
    names, types and defaults, made by make_dataclass then and only then."""

    def __get__(self, instance: object, owner: type) -> dict[str, Any]:
        from dataclasses import make_dataclass

        twin = make_dataclass(owner.__name__, [(name, owner.__annotations__[name], _DEFAULTS[name])
                                               for name in _FIELD_NAMES], frozen=True)
        fields: dict[str, Any] = twin.__dataclass_fields__  # type: ignore[attr-defined]
        type.__setattr__(owner, "__dataclass_fields__", fields)  # made once
        return fields


class CleanerConfig:
    """Every threshold of the pipeline, each field documented where it is set.

    It behaves as the frozen dataclass it was: fields given by keyword (or in
    order), repr, == and hash made from them, assignment refused
    (dataclasses.FrozenInstanceError), and dataclasses.fields, replace and
    asdict take it. (A plain class: a dataclass compiles its __init__ and the
    rest anew at every start-up, 13 M instructions for these 43 fields, of a
    one-page clean's 310 M; dataclasses' own Field objects are made
    when first asked for, see _DataclassFields.)"""

    # --- dedupe (rapidfuzz) -------------------------------------------------
    # Two lines are near-duplicates when fuzz.ratio of their match keys (casefolded,
    # punctuation removed) reaches this score (0-100). 90 lets a caption with a
    # typo or a missing word match its twin while distinct sentences stay apart.
    duplicate_min_score: float = 90.0
    # ...and when at most this many words differ between them (counted both ways:
    # one word replaced is 2): a typo, not a changed phrase.
    duplicate_max_changed_words: int = 2
    # A block of at least this many words whose word 4-grams come, at this share
    # (0-1) or more, from two or more earlier blocks repeats them (a hidden
    # full-text copy of the article, a summary strung from its paragraphs).
    concatenation_min_words: int = 40
    concatenation_min_ratio: float = 0.8
    # Lines whose match key is shorter than this are matched exactly only: on short
    # lines one changed word is a different line ("News" vs "Newsletter").
    fuzzy_min_chars: int = 24
    # Near-duplicate candidates are found through each line's rarest tokens
    # (blocking), so the cost stays close to linear instead of comparing all pairs.
    blocking_tokens: int = 4
    # A token shared by more lines than this is not rare enough to block on.
    blocking_max_lines: int = 40

    # --- content judgement ----------------------------------------------------
    # A block is article text when the line model's probability reaches this (0-1).
    # Chosen by bench/thresholds.py on the eval pool (dev + train, fold models):
    # chosen fold by fold on the other folds' pages, the innerText dumps took 0.55
    # and the get_text dumps 0.45 in every fold. 0.45 (text 0.887, bs4 0.881,
    # HTML 0.927): 0.5 gave text 0.890 but 8 pages of 1,112 with an article that
    # give none, against 5.
    content_min_score: float = 0.45
    # Between two article lines of one body, a line needs only this score (0-1):
    # kept 0.05 below content_min_score.
    content_inside_min_score: float = 0.4
    # Paths to the line models' weights (JSON) for text and for HTML input; None
    # uses the packaged models.
    line_model: str | None = None
    html_model: str | None = None

    # HTML: a page whose article text outside its comment regions (class or id
    # "comment", "disqus", "respond"…) and outside <article>s nested in another
    # (by HTML's spec: comments, related posts) reaches comments_article_min_chars
    # (characters) is an article with such replies around it: they are dropped.
    # A page that is all comments (a forum thread) keeps them. keep_comments
    # keeps them always. 200: a short post with a long thread below it still
    # counts as the article (dev sh, cpe).
    keep_comments: bool = False
    comments_article_min_chars: int = 200

    # --- site boilerplate (sitemodel) -----------------------------------------
    # A line is a site's boilerplate when it occurs on at least this many of its
    # pages... (3: two articles quoting the same sentence keep it)
    site_min_pages: int = 3
    # ...and on at least this share of them (0-1). Tuned on dev cpe (4 sites).
    site_min_share: float = 0.3

    # --- segments ---------------------------------------------------------------
    # Inside one body, up to this many non-article lines may stand between two
    # article lines (a subscribe box, an inline ad) without ending the body.
    max_gap_blocks: int = 12
    # A body shorter than this (characters) standing alone is dropped as stray
    # text; it may still join a neighbouring body. Tuned on dev.
    min_body_chars: int = 150
    # ...and a body needs at least one line this long (characters): a list of
    # short teasers or links is not an article, however long. Tuned on dev.
    # (Or lines that carry on each other's sentences: segments/runs.py,
    # WRAPPED_RUN_MIN_LINES.)
    min_longest_line_chars: int = 100
    # ...unless (HTML) no line of it is more than this share links (0-1): the
    # rule is there for teaser and link lists, and a calendar or a list of
    # steps is text. 0.1: a word or two linked in a line (dev sh).
    short_lines_max_link_ratio: float = 0.1
    # A page with no body-sized run still gets its article from its most likely
    # run of at least min_body_chars, when at least this share (0-1) of that
    # run's characters, read as one text, are in sentences (a body of short or
    # wrapped lines; a list of headlines or links has few) and few are links.
    # 0.5: a plain majority, not tuned.
    fallback_min_sentence_ratio: float = 0.5
    # A page that still has no article looks once more, taking lines that
    # score at least this (0-1) as article text, and keeps what the rule above
    # accepts: a short article on a busy page scores lower than a long one.
    fallback_min_score: float = 0.25
    # The same for a text dump. Chosen on the pool's cross-validated figures
    # (0.25, 0.15 and 0.1 tried; docs/quality.md): 0.15 leaves the fewest text
    # dumps with an article empty (get_text: 6 -> 2 of 1,112) at the same F1.
    # Not for HTML: there it gave an index page's teasers as an article.
    text_fallback_min_score: float = 0.15
    # ...and if it has none still, keeps the likeliest of those runs whatever
    # it is (of at least min_body_chars): an index page's list of headlines or
    # links is its main content, and nothing at all is the worst answer. A text
    # dump with none of those keeps its likeliest paragraph, whatever its score.
    fallback_any_text: bool = True
    # ...and an HTML page that has none either, where no line scores
    # fallback_min_score (the model finds the page unlike any it learned
    # from), reads its runs once more with lines scoring at least this share
    # (0-1) of its likeliest line's score (0: it does not). 0.5: half, set
    # before measuring, not tuned. Measured with every model trained without the
    # page's corpus (docs/quality.md, forty-third session): 15 -> 5 HTML pages
    # with an article left empty.
    fallback_relative_share: float = 0.5
    # A new article starts only where both sides have at least this much text.
    min_article_chars: int = 400
    # A later article with no headline, date or byline of its own and less
    # text than this (characters) joins the article before it: an article's last
    # paragraphs split off past a video's caption, a promotion under it. Chosen
    # on the multi dumps' count, fold by fold on the other folds (400-2,400
    # tried; docs/quality.md): 800 in four folds of five.
    untitled_article_min_chars: int = 800
    # A headline is a short line without a final full stop: bounds in characters.
    title_min_chars: int = 10
    title_max_chars: int = 250
    # A headline is looked for among this many lines above the body's first line.
    title_search_blocks: int = 25
    # Path to the headline model's weights (JSON: segments/headline.py, learned
    # from the pool's pages whose gold opens with their headline); None uses the
    # packaged one.
    title_model: str | None = None
    # Lines of at most this many words may be date lines or bylines.
    meta_max_words: int = 14
    # A small body run further than this many lines from the article is stray
    # text of another part of the page, dropped (a big one is judged by the
    # boundary model).
    split_min_gap_blocks: int = 40
    # Two body runs, each big enough to be an article, are two articles when the
    # boundary model (segments/boundary.py: learned from multi-article dumps)
    # gives a page boundary between them at least this probability (0-1).
    split_min_probability: float = 0.5
    # Path to the boundary model's weights (JSON); None uses the packaged one.
    boundary_model: str | None = None
    # Path to the page-edge line model (segments/edges.py, read by the boundary
    # model); None uses the packaged one.
    edge_model: str | None = None
    # An article's body ends where the ends model (segments/ends.py: learned
    # from single pages; HTML pages have their own) finds the rest of it reads
    # past the article's end (comments, an author's box, related stories), and
    # the rest leaves it; and after its first paragraph, at a link to the
    # previous or next post, an author's box's heading, the post's topics line
    # ("Tags: …") or its footer ("This entry was posted …"), and after a news
    # story's credit line. A text dump's article starts likewise (teasers above
    # it leave); an HTML page's where its markup puts it.
    cut_ends: bool = True
    # Paths to the ends models' weights (JSON), text dumps' and HTML pages';
    # None uses the packaged one.
    ends_model: str | None = None
    html_ends_model: str | None = None
    # Text dumps: where the seam model (seams.py: learned from multi-article
    # dumps and single pages) finds that one page of a dump ends and the next
    # begins, each page's lines are judged in their own page and no article
    # runs across.
    find_seams: bool = True
    # Path to the seam model's weights (JSON); None uses the packaged one.
    seam_model: str | None = None

    # --- the same story twice: duplicate articles across pages (dupindex) ------
    # Chosen together by bench/dup_articles.py on the stories of three of its
    # five site folds (the highest recall at precision 0.99 or more) and scored
    # on the other two: precision 0.994, recall 0.974 (docs/batch.md). An
    # article repeats an earlier one (a candidate from the index's MinHash
    # bands) when the longest common subsequence of their word 3-grams covers
    # at least article_duplicate_min_score (0-100) of the shorter one's: a
    # story under another template, cut in half, with a paragraph added or
    # removed or a correction line keeps 80-100 of it (what the cleaner keeps
    # of the pages around it takes the rest); two stories sharing a quote keep
    # the quote's share...
    article_duplicate_min_score: float = 65.0
    # ...and the shorter has at least this share (0-1) of the longer's words: a
    # brief is not the story of a long feature that quotes it, nor a story the
    # page's comments taken for an article.
    article_duplicate_min_length_ratio: float = 0.4
    # Articles of fewer words are not fingerprinted: too short to tell a story
    # from a shared quote (the bench's stories have 80 words or more).
    article_duplicate_min_words: int = 30

    # --- limits on hostile and oversized input (limits.py) --------------------
    # Scraped pages are untrusted: each limit bounds what one page may cost, so a
    # gzip bomb or a runaway dump is refused (or cut) instead of taking the
    # machine. Peak memory is about 1.5 KB per line (README, "Memory"), so the
    # defaults keep one page to a few hundred MB; they are far above every real
    # page seen (dev: largest dump 123 KB and 1,448 lines, largest HTML page
    # 1.5 MB, longest line 5,054 characters) and take the 20 MB HTML page and the
    # 50 MB one-line dump of the tests (test_html, test_cli).
    # The largest page, in bytes after gunzip (a .gz stops unpacking here);
    # larger is refused (--max-page-bytes).
    max_page_bytes: int = 64 * 2**20
    # The largest record of a stream (a JSONL line, a WARC/WET record's content),
    # in bytes; a larger record is refused and the stream goes on (--max-record-bytes).
    max_record_bytes: int = 64 * 2**20
    # The most non-blank lines (text) or blocks (HTML) a page may have; more is
    # refused (--max-page-lines). 100,000 lines cost about 150 MB.
    max_page_lines: int = 100_000
    # A longer line (or HTML block) is cut to this many characters, with a
    # warning (--max-line-chars): fuzzy matching costs the square of a line's length.
    max_line_chars: int = 100_000

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]] = _DataclassFields()  # type: ignore[assignment]

    def __init__(self, *values: Any, **changes: Any) -> None:
        if len(values) > len(_FIELD_NAMES):
            raise TypeError(f"CleanerConfig() takes {len(_FIELD_NAMES)} fields but {len(values)} were given")
        given = dict(zip(_FIELD_NAMES, values))
        for name in changes:
            if name not in _DEFAULTS:
                raise TypeError(f"CleanerConfig.__init__() got an unexpected keyword argument {name!r}")
            if name in given:
                raise TypeError(f"CleanerConfig.__init__() got multiple values for argument {name!r}")
        self.__dict__.update(_DEFAULTS, **given, **changes)

    def __setattr__(self, name: str, value: Any) -> None:
        if type(self) is not CleanerConfig and name not in _DEFAULTS:  # as a frozen dataclass does
            return super().__setattr__(name, value)
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        if type(self) is not CleanerConfig and name not in _DEFAULTS:
            return super().__delattr__(name)
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}" for name, value in zip(_FIELD_NAMES, _field_values(self)))
        return f"{self.__class__.__qualname__}({values})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(_field_values(self) == _field_values(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_field_values(self))


_FIELD_NAMES = tuple(name for name in CleanerConfig.__annotations__ if name != "__dataclass_fields__")  # in order
_DEFAULTS = {name: getattr(CleanerConfig, name) for name in _FIELD_NAMES}
_field_values = attrgetter(*_FIELD_NAMES)  # the fields' values, in order, as a tuple
type.__setattr__(CleanerConfig, "__match_args__", _FIELD_NAMES)


# How a batch runs, not what it outputs: kept out of CleanerConfig, whose every
# field goes into the batch settings digest (changing it would redo all outputs).
# --connect-timeout: seconds to wait for a Dask scheduler to answer before
# exiting with a clear error (10: a scheduler on a LAN answers in well under 1 s).
DASK_CONNECT_SECONDS = 10.0
# --page-seconds: cleaner batch gives up on a page (or a stream's record) that
# takes longer than this, and records the input as failed. The largest dev page
# takes well under a second; 60 s leaves room for a slow, busy machine.
PAGE_SECONDS = 60.0
