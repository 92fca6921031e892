"""cleaner._speedups, the optional C helper: each line's row is the one the
Python code makes, byte for byte, and CLEANER_PURE_PYTHON turns it off.
(The suite runs both ways in .ci/run: CLEANER_PURE_PYTHON=1 python3 -m pytest.)"""

from __future__ import annotations

import functools
import gzip
import json
import os
import random
import re
from array import array
from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import CleanerConfig, classify, clean, dedupe
from cleaner import blocks as split_stage
from cleaner import text as text_utils
from cleaner.blocks import split_blocks
from cleaner.classify import FEATURE_SAMPLE_CHARS, LOG1P_TABLE_SIZE, _TEXT_ROW_BYTES, score_blocks
from cleaner.dedupe import mark_duplicates
from cleaner.html_blocks import regions
from cleaner.model import Block, BlockKind
from cleaner.read import read_input
from cleaner.render import render_json
from cleaner.speedups import PURE_PYTHON_VARIABLE
from cleaner.text import match_keys

ROOT = Path(__file__).resolve().parent.parent
DEV_TEXT = ROOT.parent / "shared" / "eval" / "dev" / "text"
CONFIG = CleanerConfig()
# Lines at the edges of each feature: empty, one letter, capitals, spaced
# dashes that overlap, "@" in every position, sentence ends behind brackets,
# copyright in any case, URLs, past the log1p table and the sample, not ASCII.
EDGE_LINES = [
    "", "a", "A", "I", "AB", "A1", "_", "__init__", "a - - b", " - ", " -- ", "x@y", "@x", "a @ b", "a@ ", "@", "x@",
    "End.", 'End.")', "x.)]'\"", "Hi!  ", "(C) 2020", "COPYRIGHT", "All Rights Reserved.", "http://x", "https:/",
    "www.x", "1,2,3", "a|b>c/d", "Ab Cd EF gh 12 _x", "a;b; c. d! e? ", "~!#$%^&*()", "    indented code",
    "Ends with a colon:", "x" * (LOG1P_TABLE_SIZE + 1), "y" * FEATURE_SAMPLE_CHARS + " tail.",
    "The " * FEATURE_SAMPLE_CHARS, "tab\there", "line\nbreak", "café, naïve.", "\x7f", "Über alles",
    # the symbols past ASCII that the helper reads itself
    "Wait…", "“Quoted.”", "It’s over.’", "End…»", "a » b › c", "x • y · z", "«a» ‹b›", "a – b — c", "a –– b", "–",
    "© 2024 News", "50 € or £40", "x@’", "’@x", "1° ± 2 × 3 ÷ 4 § ¶ ™ ® ¢ ¥ ► ‘", "Hello…world", "… ",
]
# What the helper reads past ASCII (cleaner/_speedups.c, symbol_of): a text
# of printable ASCII and these is its; any other is left to Python.
HELPER_SYMBOLS = frozenset("…”’»•›·«‹–—©“‘►®£€¢¥°±×÷§¶™")


def compiled_module() -> Any:
    module = classify._speedups()
    if module is None:
        pytest.skip("cleaner._speedups is not built here, or CLEANER_PURE_PYTHON is set")
    return module


def dev_lines() -> Iterator[str]:
    for path in sorted(DEV_TEXT.glob("*.txt"))[:60]:
        yield from (line.strip() for line in path.read_text("utf-8", "replace").split("\n"))
    for path in sorted((ROOT / "fixtures").glob("*/input.*")):
        yield from path.read_text("utf-8", "replace").split("\n")


@pytest.mark.parametrize("source", ["edges", "dev"])
def test_each_row_is_the_python_row(source: str) -> None:
    module = compiled_module()
    texts = sorted(set(EDGE_LINES if source == "edges" else dev_lines()))
    rows, others = module.text_rows(texts, FEATURE_SAMPLE_CHARS)
    python = b"".join(classify._python_text_rows(texts))
    assert len(rows) == len(python) == len(texts) * _TEXT_ROW_BYTES
    left = set(others)
    for i, text in enumerate(texts):
        if i not in left:
            assert rows[i * _TEXT_ROW_BYTES: (i + 1) * _TEXT_ROW_BYTES] == python[
                i * _TEXT_ROW_BYTES: (i + 1) * _TEXT_ROW_BYTES], text[:80]
    # what is not printable ASCII or the helper's symbols is left to Python
    assert {texts[i] for i in others} == {t for t in texts if not is_helpers(t[:FEATURE_SAMPLE_CHARS])}


def is_helpers(sample: str) -> bool:
    return all((c.isascii() and c.isprintable()) or c in HELPER_SYMBOLS for c in sample)


def test_the_helpers_symbols_are_neither_words_nor_spaces() -> None:
    # its symbols count as Python's code counts them only if none is a word
    # character, a space, or a letter that lower() changes
    for c in HELPER_SYMBOLS:
        assert not re.match(r"[\w\s]", c) and c.isprintable() and c.lower() == c, c


@pytest.fixture(scope="module")
def logistic_text_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A text model whose stage 2 is logistic: the shipped stage 1, and stage-2
    weights drawn at random (the shipped stage 2 is a tree ensemble)."""
    model = json.loads(classify._model_data(None, False))
    names = model["stage2_features"]
    pick = random.Random(3)
    model["stage2"] = {
        "intercept": [-0.5], "coef": [pick.uniform(-2.0, 2.0) for _ in names],
        "mean": [pick.uniform(-1.0, 1.0) for _ in names], "scale": [pick.uniform(0.5, 2.0) for _ in names],
    }
    path = tmp_path_factory.mktemp("model") / "logistic_text_model.json"
    path.write_text(json.dumps(model))
    return str(path)


# A text dump that kept its scripts' text (a textContent dump): its lines
# marked CODE count for nothing in the page's prose, in both stages, in C and
# in Python alike.
SCRIPT_PAGE = "\n\n".join([
    "Library to close",
    *(f"The council voted on Monday to close the old library on Station Road after a year of debate about "
      f"its roof, its rent and its readers, paragraph {n} of the story." for n in range(3)),
    'var slots = googletag.defineSlot("/1234/news", [[300, 250], [728, 90]], "ad-top").addService(googletag.pubads());',
    "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());",
    "if (window.innerWidth > 780) { document.getElementById('menu').style.display = 'block'; }",
    *(f"The library's books go to the school on Mill Lane, where a reading room opens in the spring, "
      f"paragraph {n} of the story." for n in range(3, 6)),
])


@pytest.mark.parametrize(("kind", "comments", "stage2"), [
    ("text", False, "trees"), ("multi", False, "trees"), ("text", True, "trees"), ("text", False, "logistic"),
    ("multi", True, "logistic"),
])
def test_page_scores_are_the_python_scores(
    kind: str, comments: bool, stage2: str, logistic_text_model: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """text_tree_scores and linear_scores (a text page's two stages in C, the
    second a tree ensemble or logistic) give the scores, to the last bit,
    that the Python code gives."""
    compiled_module()
    config = CleanerConfig(keep_comments=comments, line_model=logistic_text_model if stage2 == "logistic" else None)
    assert (classify._tree_table(config.line_model, False) is None) == (stage2 == "logistic")
    paths = sorted((DEV_TEXT.parent / kind).glob("*.txt"))[:40] + sorted((ROOT / "fixtures").glob("*/input.txt"))
    pages = [(path.name, path.read_bytes()) for path in paths] + [("SCRIPT_PAGE", SCRIPT_PAGE.encode())]
    for name, page in pages:
        blocks = mark_duplicates(split_blocks(read_input(page), config)[0], config)
        assert name != "SCRIPT_PAGE" or any(b.kind is BlockKind.CODE for b in blocks)
        with_helper = [(b.content_score, b.landmarks) for b in score_blocks(blocks, config)]
        monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
        classify._speedups.cache_clear()
        try:
            python = [(b.content_score, b.landmarks) for b in score_blocks(blocks, config)]
        finally:
            monkeypatch.delenv(PURE_PYTHON_VARIABLE)
            classify._speedups.cache_clear()
        assert with_helper == python, name


@pytest.mark.parametrize(("comments", "min_chars"), [(False, 200), (True, 200), (False, 100_000)])
def test_html_page_scores_are_the_python_scores(comments: bool, min_chars: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """html_first_scores and html_second_scores (an HTML page's logistic stage
    and tree ensemble, in C) give the scores, to the last bit, that the Python
    code gives; min_chars 100,000 makes every page with comment regions all
    comments (the first stage is asked again)."""
    compiled_module()
    config = CleanerConfig(keep_comments=comments, comments_article_min_chars=min_chars)
    html = DEV_TEXT.parent / "html"
    paths = [path for prefix in ("sh", "ced", "cpe") for path in sorted(html.glob(f"{prefix}-*.html.gz"))[:12]]
    inputs = [gzip.decompress(path.read_bytes()) for path in paths]
    inputs += [path.read_bytes() for path in sorted((ROOT / "fixtures").glob("*/input.html"))]
    for number, data in enumerate(inputs):
        blocks = mark_duplicates(split_blocks(read_input(data), config)[0], config)
        if not blocks:
            continue
        with_helper = [b.content_score for b in score_blocks(blocks, config, html=True)]
        monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
        classify._speedups.cache_clear()
        try:
            python = [b.content_score for b in score_blocks(blocks, config, html=True)]
        finally:
            monkeypatch.delenv(PURE_PYTHON_VARIABLE)
            classify._speedups.cache_clear()
        assert with_helper == python, number


def test_html_second_scores_refuses_trees_out_of_range() -> None:
    module = compiled_module()
    rows, _ = module.text_rows(["One line."], FEATURE_SAMPLE_CHARS)
    ints, part, one, length, extra = array("i", [0]), [bytes(8 * 8)], b"\x01", array("l", [9]), bytes(8 * 4)
    page = (rows, ints, part, ints, one, length, extra)
    first = module.html_first_scores(*page, bytes(8 * 44), 0.0)  # 29 own, 11 context, 4 extra
    parents, roots = array("i", [-1, -1]), array("i", [0])
    leaf = array("d", [-1.0, 0.0, 0.0, 0.0, 0.5])
    assert len(module.html_second_scores(*page, first, 0.0, parents, ints, leaf, roots, 0.0)) == 8
    for node in ([99.0, 0.0, 1.0, 2.0, 0.0], [0.0, 0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 1.0, 3.0, 0.0]):
        with pytest.raises(ValueError):  # a feature past the row, a child not after its node or past the nodes
            module.html_second_scores(*page, first, 0.0, parents, ints, array("d", node) + leaf + leaf, roots, 0.0)
    with pytest.raises(ValueError):  # one parent for one line
        module.html_second_scores(*page, first, 0.0, array("i", [-1]), ints, leaf, roots, 0.0)
    with pytest.raises(ValueError):  # extra features of another width than the weights
        module.html_first_scores(*page[:-1], bytes(8 * 5), bytes(8 * 44), 0.0)


REGION_VALUES = [
    "site-nav", "commentary", "Commentary-box", "banner-ad", "ads", "ad", "x-ad-y", "bad", "ads_", "ad-s", "adss",
    "AD", "Ads sidebar", "read-next", "READ-NEXT", "é-nav", "post-body", "most-read", "_ad", " ads ", "", "ad s",
]


def test_region_bits_are_the_python_bits() -> None:
    """region_bits finds in a class or id value of ASCII the regions the
    Python code finds (the longest word at each place, "ad" as a word), and
    leaves other values to it."""
    module = compiled_module()
    helper = regions._region_helper()
    assert helper is not None
    words = list(regions.REGION_WORD_BITS)
    pick = random.Random(12)
    values = REGION_VALUES + ["".join(pick.choice("adsnvmcoeirtb-_ 0A") for _ in range(pick.randint(0, 12)))
                              for _ in range(20_000)]
    values += [pick.choice(["", " ", "-", "x", "_"]) + pick.choice(words) + pick.choice(["", "s", "-", "ad", "x", " "])
               + pick.choice(words)[:pick.randint(0, 8)] for _ in range(20_000)]
    for value in values:
        found = module.region_bits(helper[1], value)
        assert found == (None if not value.isascii() else regions._python_named_landmarks(value)), value


def test_text_tree_scores_refuses_trees_out_of_range() -> None:
    module = compiled_module()
    rows, _ = module.text_rows(["One line."], FEATURE_SAMPLE_CHARS)
    ints, part, one, length = array("i", [0]), [bytes(8 * 8)], b"\x01", array("l", [9])
    page = (rows, ints, part, ints, one, one, one, length, bytes(8 * 43), 0.0)
    leaf, roots = array("d", [-1.0, 0.0, 0.0, 0.0, 0.5]), array("i", [0])
    assert len(module.text_tree_scores(*page, leaf, roots, 0.0)) == 8
    for node in ([99.0, 0.0, 1.0, 2.0, 0.0], [0.0, 0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 1.0, 3.0, 0.0]):
        with pytest.raises(ValueError):  # a feature past the row, a child not after its node or past the nodes
            module.text_tree_scores(*page, array("d", node) + leaf + leaf, roots, 0.0)
    with pytest.raises(ValueError):  # no tree
        module.text_tree_scores(*page, leaf, array("i"), 0.0)
    with pytest.raises(ValueError):  # a root past the nodes
        module.text_tree_scores(*page, leaf, array("i", [1]), 0.0)
    with pytest.raises(ValueError):  # stage-1 weights of another width
        module.text_tree_scores(*page[:-2], bytes(8), 0.0, leaf, roots, 0.0)


def test_linear_scores_refuses_pieces_of_other_widths() -> None:
    module = compiled_module()
    rows, _ = module.text_rows(["One line."], FEATURE_SAMPLE_CHARS)
    ints, part, one, length = array("i", [0]), [bytes(8 * 8)], b"\x01", array("l", [9])
    with pytest.raises(ValueError):  # weights of another width
        module.linear_scores(rows, ints, part, ints, one, one, one, length, bytes(8), 0.0, bytes(8), 0.0)
    with pytest.raises(ValueError):  # two margins for one line
        module.linear_scores(rows, ints, part, ints, one * 2, one, one, length, bytes(8 * 43), 0.0, bytes(8 * 53), 0.0)
    with pytest.raises(ValueError):  # comments flags for two lines
        module.linear_scores(rows, ints, part, ints, one, one, one * 2, length, bytes(8 * 43), 0.0, bytes(8 * 53), 0.0)
    with pytest.raises(IndexError):
        module.linear_scores(rows, array("i", [1]), part, ints, one, one, one, length, bytes(8 * 43), 0.0,
                             bytes(8 * 53), 0.0)
    assert len(module.linear_scores(rows, ints, part, ints, one, one, one, length, bytes(8 * 43), 0.0,
                                    bytes(8 * 53), 0.0)) == 8


def test_the_environment_variable_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
    classify._speedups.cache_clear()
    try:
        assert classify._speedups() is None
        table = classify._text_table(EDGE_LINES)
        assert bytes(table) == b"".join(classify._python_text_rows(EDGE_LINES))
    finally:
        classify._speedups.cache_clear()  # asked again once the environment is as it was


# --- an article's band keys (dupindex.sketch) ---

# Words whose shingles fill BLAKE2b's 128-byte block to its edges (127, 128,
# 129 bytes and several blocks), one shingle of fewer words than SHINGLE_WORDS,
# characters of two, three and four UTF-8 bytes, and the dev text's own words.
SKETCH_WORD_LISTS = [
    ["a"], ["a", "b"], ["one", "two", "three", "four", "five"], ["x" * 123, "y"], ["x" * 122, "y", "z"],
    ["x" * 124, "y"], ["x" * 300] * 7, ["café", "naïve", "中文", "😀", "Über", "alles"],
    ["same"] * 40, [""] * 6, [str(n) for n in range(500)],
]


def test_band_keys_are_the_python_ones() -> None:
    from cleaner.dupindex import sketch

    module = compiled_module()
    words = " ".join(dev_lines()).split()
    runs = [words[start: start + size] for start, size in zip(range(0, 20_000, 997), range(1, 2000, 97))]
    for word_list in SKETCH_WORD_LISTS + runs:
        keys = module.band_keys(word_list, sketch.SHINGLE_WORDS, sketch.BANDS, sketch.ROWS)
        assert keys == sketch._python_band_keys(word_list), word_list[:5]
    # a word that is not UTF-8 (a lone surrogate) is left to the Python code, which says so
    assert module.band_keys(["a\ud800"], sketch.SHINGLE_WORDS, sketch.BANDS, sketch.ROWS) is None


def test_line_fingerprints_are_the_python_ones() -> None:
    from cleaner import sitemodel

    module = compiled_module()
    keys = sorted(set(EDGE_LINES) | set(dev_lines()) | {"x" * n for n in (127, 128, 129, 256, 1000)})
    assert module.line_fingerprints(keys) == list(sitemodel._python_fingerprints(keys))
    assert module.line_fingerprints(["a\ud800"]) is None  # left to the Python code, which says so
@pytest.mark.parametrize("kind", ["text", "multi"])
def test_near_duplicate_candidates_are_the_python_ones(kind: str) -> None:
    """near_candidates (dedupe's blocking in C) finds each line's candidates,
    in the order the Python code finds them."""
    module = compiled_module()
    paths = sorted((DEV_TEXT.parent / kind).glob("*.txt"))[:60] + sorted((ROOT / "fixtures").glob("*/input.txt"))
    for path in paths:
        blocks = mark_duplicates(split_blocks(read_input(path.read_bytes()), CONFIG)[0], CONFIG)
        candidates = [b for b in blocks if len(b.norm) >= CONFIG.fuzzy_min_chars]
        python = [(b.index, others) for b, others in dedupe._python_candidates(candidates, CONFIG)]
        assert [(b.index, others) for b, others in dedupe._candidates(candidates, CONFIG)] == python, path.name
    # tokens past ASCII, tokens too short, a line of tokens no other line holds, repeats
    keys = ["naïve café über", "café über naïve", "ab cd ef", "ab cd ef", "solo tokens only", "zzz yyy café",
            "", "  double  spaces  café", "über über über"]
    starts, found = (list(memoryview(x).cast("i")) for x in module.near_candidates(keys, 3, 4, 40))
    expected = {j: others for j, others in _python_candidate_positions(keys)}
    assert {j: found[starts[j]: starts[j + 1]] for j in range(len(keys)) if starts[j] < starts[j + 1]} == expected


def _python_candidate_positions(keys: list[str]) -> Iterator[tuple[int, list[int]]]:
    blocks = [Block(index=i, text=key, line=i + 1) for i, key in enumerate(keys)]
    for block in blocks:
        block.norm = block.text
    for block, others in dedupe._python_candidates(blocks, CONFIG):
        yield block.index, others


@pytest.mark.parametrize("min_ratio", [0.8, 0.5, 0.2])
def test_concatenation_candidates_are_the_python_ones(min_ratio: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """concatenation_candidates (which long lines may be made of earlier ones,
    in C) gives the Python code's lines, at any ratio."""
    compiled_module()
    config = CleanerConfig(concatenation_min_words=10, concatenation_min_ratio=min_ratio)
    for path in sorted(DEV_TEXT.glob("*.txt"))[:40] + sorted((ROOT / "fixtures").glob("*/input.txt")):
        blocks = split_blocks(read_input(path.read_bytes()), CONFIG)[0]
        for block, key in zip(blocks, match_keys([b.text for b in blocks])):
            block.norm = key
        with_helper = dedupe._concatenation_candidates(blocks, config)
        monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
        python = dedupe._concatenation_candidates(blocks, config)
        monkeypatch.delenv(PURE_PYTHON_VARIABLE)
        assert with_helper == python, path.name


def all_lines() -> list[str]:
    folders = (DEV_TEXT, DEV_TEXT.parent / "multi", DEV_TEXT.parent.parent / "train" / "text")
    lines = {line.strip() for folder in folders for path in sorted(folder.glob("*.txt"))
             for line in path.read_text("utf-8", "replace").splitlines()}
    return sorted(lines) + [
        "", "Skip to content", "RELATED: x", "Don't miss this", "Published Dec. 3, 2024", "© 2024 News", "By", "by:",
        "COPYRIGHT 2019 CNBC", "In this Dec. 12, 2006, file photo, a man", "A view (Image credit: NASA)",
        "Zachary Roth, @zackroth", "Flames rise. Photo: John Smith", "x" * 1200 + " (AP Photo)", "2 hours ago",
        "Reply", "REPORT ABUSE", "Ann says:", "27 Comments", "Leave a Reply", "12 Responses to x", "\x00 odd",
        "Kommentare (3)", "Hinterlasse einen Kommentar", "Geef een reactie", "Lesen Sie auch: x", "Lire aussi",
        "Teilen", "Veja também", "Publiziert am 30. Juli 2018",
    ]


@pytest.mark.skipif(not DEV_TEXT.exists(), reason="needs ../shared/eval/dev")
def test_hint_candidates_hold_every_line_a_hint_is_given() -> None:
    """hint_candidates leaves out only lines blocks._kind_hint gives no kind."""
    module = compiled_module()
    lines = all_lines()
    asked = module.hint_candidates(
        lines, split_stage.MAX_HINT_CHARS, text_utils.CAPTION_TAIL_CHARS, CONFIG.meta_max_words,
        text_utils.HINT_OPENINGS, text_utils.BYLINE_OPENINGS, text_utils.CAPTION_CREDIT_ENDINGS, text_utils.CAPTION_CREDIT_LABELS,
        text_utils.YEAR_STARTS, text_utils.COPYRIGHT_NOTICE_PHRASE,
    )
    left = [line for line, may in zip(lines, asked) if not may]
    assert len(left) > len(lines) // 2  # most lines are not asked
    assert [line for line in left if split_stage._kind_hint(line, CONFIG) is not BlockKind.TEXT] == []
    assert any(split_stage._kind_hint(line, CONFIG) is not BlockKind.TEXT for line in lines[-24:])


@pytest.mark.skipif(not DEV_TEXT.exists(), reason="needs ../shared/eval/dev")
def test_comment_candidates_hold_every_stamp_and_heading() -> None:
    module = compiled_module()
    lines = all_lines()
    may = module.comment_candidates(
        lines, classify.COMMENT_STAMP_MAX_WORDS, classify.COMMENT_STAMP_WORD_MAX_CHARS,
        classify.COMMENT_STAMP_WORD_FIRST_LETTERS, classify.COMMENTS_HEADING_MAX_CHARS,
        classify.COMMENTS_HEADING_FIRST_LETTERS,
    )
    stamps = [line for line, bits in zip(lines, may) if classify._is_comment_stamp(line)]
    headings = [line for line, bits in zip(lines, may) if classify.is_comments_heading(line)]
    assert len(stamps) > 100 and len(headings) > 10
    assert [line for line, bits in zip(lines, may) if not bits & 1 and classify._is_comment_stamp(line)] == []
    assert [line for line, bits in zip(lines, may) if not bits & 2 and classify.is_comments_heading(line)] == []


def test_split_lines_makes_the_python_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """split_lines (a text dump's lines into blocks, in C) makes the blocks
    the Python code makes, margins, line numbers and joined lines too."""
    compiled_module()
    texts = [path.read_text("utf-8", "replace") for path in sorted(DEV_TEXT.glob("*.txt"))[:60]]
    texts += [
        "", "\n\n", "a", "a  \n", "  a  b  \n\tcode\n    indented\nlower\n", "x\n, y\n. z\n» w\nlower\n",
        "End.\nlower\nA:\nlower\nB|\nlower\nC…\nlower\n", "\u1680 a \u1680\n\n", "é\nà\nÉ\nß\n", "😀  x  😀\n😀y\n",
        "one\r\ntwo\n\n\nthree", "a\n\n\n", "para one\n(cont) x\n)cont\n%cont\n",
        "the blogger behind the\nPhysician on FIRE, he\nSaid\nApples,\nPears\n", "of\nX\n the\nY\nx THE\nY\n",
        "talks the\nplaybook\nin\nThe Post\nof\nX\n",
        "said\nJohn\n, and\nx\nY\n,\tz\nx\nY\n,Z\nx\nY\n..\nx\nY\n. .\nx:\nY\n;\nx\n    Y\n;\n",
        "x\n\tY z w\n)\nx\nǅ\n%\nx\nY\n,",
        "x\nY\n\n;\nx\nY\n  ;\nx\nY\n, \nx\nÉ\n, é\nx\nY\n.Z\nx\nY\n.9\nx\nY\n.é\nx\nY\n. Z\nx\nY\n.",
        "a li\u212ae\nB\nan İ\nC\nsee behindx\nD\nx without\nE\n,\nF\nx ,\nG\nSmith (\nTwitter\n/\nApp\nx —\nY\n“\nZ\n",
    ]
    for text in texts:
        with_helper = split_stage._split_lines(text, CONFIG)
        monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
        python = split_stage._split_lines(text, CONFIG)
        monkeypatch.delenv(PURE_PYTHON_VARIABLE)
        assert with_helper == python, text[:80]


def test_ascii_match_keys_are_the_python_keys() -> None:
    """ascii_match_keys gives the texts of ASCII the keys the Python code gives,
    and None to the others (left to Python)."""
    module = compiled_module()
    texts = all_lines() + [
        " ", "a\nb", "__init__", "A_B-C d", "ABC  DEF", "!!!" * 900, "x" * 2500, "a" * 2000, "b" * 2001,
        "y" * 1999 + "é", "é" + "z" * 2500, "ſ", "K", "Straße",
    ]
    keys = module.ascii_match_keys(texts, text_utils.MAX_KEY_CHARS)
    python = text_utils._python_match_keys(texts)
    for text, key, expected in zip(texts, keys, python):
        if key is None:
            assert not text[: text_utils.MAX_KEY_CHARS].isascii(), text[:80]
        else:
            assert key == expected, text[:80]
    assert text_utils.match_keys(texts) == python


# Pieces of text at the edges of what the helper reads: spaces and margins,
# the symbols it reads past ASCII and characters it leaves to Python (letters
# that re.I or str.lower() treat apart, an emoji, spaces past ASCII), openings
# and endings of the kind hints and comment stamps.
PIECES = [
    *"abcXYZ019 .,:;!?()[]|/@-_'\"\n\t", *"’”“—–…»•©‘►·«£›®é😀\u1680\xa0\u200bſKİı", "\n\n", "  ", "    ",
    "By ", "Photo: ", "(AP Photo/X)", "2 hours ago", "Reply", "27 Comments", "19", "20", "Copyright 2020",
    "all rights reserved", " - ", "http://", "www.", "The council said on Monday that ", " the", " Of", ",",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=300))
def test_a_page_cleans_to_the_same_bytes_with_and_without_the_helper(pieces: list[str]) -> None:
    compiled_module()
    page = "".join(pieces)
    with_helper = render_json([clean(page)], explain=True)
    os.environ[PURE_PYTHON_VARIABLE] = "1"
    classify._speedups.cache_clear()
    try:
        python = render_json([clean(page)], explain=True)
    finally:
        del os.environ[PURE_PYTHON_VARIABLE]
        classify._speedups.cache_clear()
    assert with_helper == python


# --- a line's P(head) and P(foot) (segments/edges.py, EdgeModel.probabilities_of) ---

EVAL = DEV_TEXT.parent.parent
# Lines that Unicode reads in its own way: a dotted capital I that lowers to two
# characters (one not a letter), sharp s and its capital, digits that are not
# decimal (superscripts, a fraction: letters to [^\W\d_]) and the decimal digits
# of other scripts, emoji, title case, final sigma, ligatures, a non-breaking
# space around a bar; the bars and the copyright and address marks at the start,
# inside and across the edge of the EDGE_MAX_CHARS read, words cut there.
ODD_EDGE_LINES = [
    "İstanbul İİ", "İ" * 250, "a" * 199 + "İx", "STRASSE ß ẞ straße", "x² ³ ¹ ½ km²", "٣ ৩ ௫ 1", "emoji 😀 a😀b 😀",
    "ǅungla ǆ ǈ", "ΣΑΣ ΌΣΟΣ σς", "ﬃ ﬁne ŉ", "a_b c1d e١f", "| a", "|a", "» b", "/ no", "· dot", "• first", " > b",
    "a / b", "a\u00a0/\u00a0b", "a\u3000|\u3000b", "a\t•\nb", "a /b", "(C) ©2024", "(c)", "(ç) (Ｃ)", "(c", "http:x",
    "https:/", "HTTP://X", "www.a", "wwwx", "a@b", "Done.", "“Quoted.”", "end。", "end！", "It’s over.’", "",
    " ", "  ", "a" * 300, ("word " * 80).strip(), "Ω" * 250 + " tail.", "x" * 199 + " @", "x" * 197 + "(c)",
    "x" * 198 + "(c)", "x" * 198 + " | b", "x" * 197 + " | b", "a\ud800b", "ĲSSEL ĳ", "Kelvin K Å", "ÀÉÎÕÜ àéîõü",
]


def edge_blocks(texts: list[str]) -> list[Block]:
    """A block of each text; every fifth a repeat (~repeat)."""
    return [Block(i, text, i, duplicate_of=0 if i % 5 == 4 else None) for i, text in enumerate(texts)]


def eval_lines() -> list[str]:
    """Lines of every fourth dump of each rendering of the eval pages (both
    sets), each as it is and stripped: many lines of many scripts."""
    lines = []
    for folder in sorted(EVAL.glob("*/text*")):
        for path in sorted(folder.glob("*.txt"))[::4]:
            for line in path.read_text("utf-8", "replace").split("\n"):
                lines += [line, line.strip()]
    return lines


def test_edge_probabilities_are_the_python_ones() -> None:
    """edge_probabilities gives each line the P(head) and P(foot) of
    EdgeModel.probabilities, to the last bit."""
    from cleaner.segments.edges import load_edge_model

    compiled_module()
    model = load_edge_model(None)
    lines = eval_lines()
    if not lines:
        pytest.skip(f"no eval dumps in {EVAL}")
    blocks = edge_blocks(lines + ODD_EDGE_LINES + EDGE_LINES)
    found = model.probabilities_of(blocks)
    assert found == [model.probabilities(block) for block in blocks]


def test_edge_tokens_are_found_as_the_python_code_finds_them() -> None:
    """The packaged model's words are ASCII: a model of the lines' own tokens
    (words of every script), each weighing enough to move the sums' last bits
    (and at many scales, for fsum), shows a token missed, split elsewhere or
    taken twice. Lines of every 13th code point (and every
    one below U+3000) as a letter, a digit, a bar, in parentheses."""
    from cleaner.segments.edges import EdgeModel, edge_tokens

    compiled_module()
    points = [*range(0x3000), *range(0x3000, 0x110000, 13)]
    texts = [f"Ab{c}cd {c}x ({c}) {c}{c.upper()}Q {c} | z" for c in map(chr, points)] + ODD_EDGE_LINES
    blocks = edge_blocks(texts)
    vocabulary = sorted(set().union(*map(edge_tokens, blocks)))
    draw = random.Random(12)

    def weight() -> float:
        return draw.choice((1.0, -1.0)) * (0.5 + draw.random()) * 10.0 ** draw.randint(-6, 0)

    for _ in range(2):
        weights = {token: (weight(), weight()) for token in vocabulary if draw.random() < 0.9}
        model = EdgeModel((weight(), weight()), weights)
        assert model.probabilities_of(blocks) == [model.probabilities(block) for block in blocks]


@pytest.mark.parametrize(("weights", "error"), [
    ({"a": (1e308, 0.0), "b": (1e308, 0.0)}, OverflowError),  # math.fsum: intermediate overflow
    ({"a": (float("inf"), 0.0), "b": (float("-inf"), 0.0)}, ValueError),  # -inf + inf
    ({"a": (float("inf"), float("nan")), "b": (1.0, 2.0)}, None),
    ({"a": (1, 2), 3: (5.0, 5.0), "b": (-600, 600)}, None),  # ints; a key no line has; sums past the sigmoid's ends
])
def test_edge_sums_are_math_fsums(weights: dict[Any, tuple[float, float]], error: type[Exception] | None) -> None:
    from cleaner.segments.edges import EdgeModel

    compiled_module()
    model = EdgeModel((0.0, 0.0), weights)
    blocks = edge_blocks(["a", "b", "a b", "b a b", "c"])
    if error is None:
        assert model.probabilities_of(blocks) == [model.probabilities(block) for block in blocks]
    else:
        with pytest.raises(error):
            model.probabilities_of(blocks)
        with pytest.raises(error):
            [model.probabilities(block) for block in blocks]


def test_edge_probabilities_without_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.segments.edges import load_edge_model

    monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
    model = load_edge_model(None)
    blocks = edge_blocks(ODD_EDGE_LINES + EDGE_LINES)
    assert model.probabilities_of(blocks) == [model.probabilities(block) for block in blocks]


@functools.lru_cache(maxsize=1)
def seam_dumps() -> tuple[list[Block], ...]:
    """The blocks of every third dump of the eval pages' text renderings and
    multi-article dumps (both sets), as prepare() marks them (duplicate_of)."""
    from cleaner.pipeline import prepare

    folders = sorted([*EVAL.glob("*/text*"), *EVAL.glob("*/multi")])
    paths = [path for folder in folders for path in sorted(folder.glob("*.txt"))[::3]]
    return tuple(prepare(path.read_text("utf-8", "replace")).blocks for path in paths)


def all_candidates(blocks: list[Block], chunk: int, intercept: float, weights: list[float]) -> Iterator[
    tuple[list[tuple[float, int]], list[tuple[float, int]]]
]:
    """The C and the Python candidates of each chunk of lines find_seams asks of a dump."""
    from cleaner.seams import MIN_PAGE_BLOCKS, _candidates, seam_candidates
    from cleaner.segments.edges import load_edge_model

    edges = load_edge_model(None).columns(blocks)
    last = len(blocks) - MIN_PAGE_BLOCKS + 1
    for start in range(MIN_PAGE_BLOCKS, last, chunk):
        stop = min(last, start + chunk)
        args = (blocks, edges, start, stop, intercept, weights)
        yield seam_candidates(*args), _candidates(*args)


def same_bits(found: list[tuple[float, int]], expected: list[tuple[float, int]]) -> bool:
    """== and the same repr (-0.0 is not 0.0)."""
    return found == expected and repr(found) == repr(expected)


@pytest.mark.parametrize("everything", [False, True])
def test_seam_candidates_are_the_python_ones(everything: bool) -> None:
    """seam_candidates gives the (-z, i) of seams._candidates on real dumps,
    to the last bit, in chunks as find_seams asks them and in chunks of 7
    lines; everything: an intercept that lets every line through, so that
    every line's logit is compared, not only the likely ones'."""
    from cleaner.seams import SEAM_CHUNK_LINES, _load

    compiled_module()
    intercept, weights = _load(None)
    intercept = 1e9 if everything else intercept
    dumps = seam_dumps()
    if not dumps:
        pytest.skip(f"no eval dumps in {EVAL}")
    compared = 0
    for blocks in dumps[:: 4 if everything else 1]:
        for chunk in (SEAM_CHUNK_LINES, 7):
            for found, expected in all_candidates(blocks, chunk, intercept, weights):
                assert same_bits(found, expected)
                compared += len(expected)
    assert compared > (10_000 if everything else 50)


def random_seam_dump(draw: random.Random, n: int) -> tuple[list[Block], Any]:
    """Blocks with duplicate_of of every kind the Python code reads (None,
    the opening lines in order, first lines, later ones, ints past 64 bits,
    bools), some opening as the first does, and edge columns with ties and signed zeros (max keeps the first)."""
    from cleaner.segments.edges import EdgeColumns

    duplicates = [None, None, None, 0, 1, 2, 3, 4, 29, 30, 31, 2**70, -(2**70), -1, True, False]
    # lines that open as the first one does (seams.replay_openings), where it is long enough
    opening = draw.choice(["#The Valley Courier » Feed", "line"])
    blocks = []
    for i in range(n):
        duplicate_of = draw.choice(duplicates) if draw.random() < 0.5 else (i % 5 if i % 11 < 5 else None)
        text = f"{opening} {i}" if i == 0 or draw.random() < 0.2 else f"line {i}"
        blocks.append(Block(i, text, i + 1, duplicate_of=duplicate_of))
    values = [0.0, -0.0, 0.5, 1.0, 1e-300, 0.1, 0.2, 0.3]

    def column() -> array[float]:
        return array("d", (draw.choice(values) if draw.random() < 0.5 else draw.random() for _ in range(n)))

    return blocks, EdgeColumns(column(), column())


def test_seam_candidates_of_odd_dumps_and_models_are_the_python_ones() -> None:
    """Random dumps of every length from 5 lines (shorter than two pages: the
    chunk seam_columns can read), each chunk start and stop, and models of
    random weights of many scales, fewer or more than SEAM_FEATURES (zip
    reads as many as both have), ints among them."""
    from cleaner.seams import EDGE_LINES, SEAM_FEATURES, _candidates, seam_candidates

    compiled_module()
    draw = random.Random(7)
    for n in [*range(5, 40), 57, 200]:
        blocks, edges = random_seam_dump(draw, n)
        for _ in range(20):
            count = draw.choice([len(SEAM_FEATURES), len(SEAM_FEATURES), 1, 4, 12])
            weights: list[Any] = [draw.uniform(-1, 1) * 10.0 ** draw.randint(-8, 3) for _ in range(count)]
            weights[draw.randrange(count)] = draw.randint(-3, 3)
            intercept = draw.choice([1e9, 0.0, draw.uniform(-5, 5)])
            start = draw.randint(EDGE_LINES, n - EDGE_LINES + 1)
            stop = draw.randint(start, n - EDGE_LINES + 1)
            args = (blocks, edges, start, stop, intercept, weights)
            assert same_bits(seam_candidates(*args), _candidates(*args))


def test_find_seams_is_the_same_with_and_without_the_helper(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The seams of real dumps, of dumps shorter than two pages, read in
    chunks of 3 lines, and of a custom model, with the helper and without."""
    import json

    from cleaner.seams import MIN_PAGE_BLOCKS, SEAM_FEATURES, find_seams
    from cleaner.segments.edges import load_edge_model

    compiled_module()
    draw = random.Random(3)
    model = tmp_path / "seams.json"
    model.write_text(json.dumps({
        "features": list(SEAM_FEATURES), "intercept": [-1.0], "coef": [draw.uniform(-3, 3) for _ in SEAM_FEATURES],
        "mean": [draw.uniform(0, 1) for _ in SEAM_FEATURES], "scale": [draw.uniform(0.5, 2) for _ in SEAM_FEATURES],
    }))
    dumps = seam_dumps()[::10]
    short = [blocks[:n] for blocks in dumps[:20] for n in range(2 * MIN_PAGE_BLOCKS + 1)]
    cases = [(blocks, chunk, path) for blocks in dumps for chunk in (8192, 3) for path in (None, str(model))]
    cases += [(blocks, 8192, None) for blocks in short]
    seen = set()
    for blocks, chunk, path in cases:
        monkeypatch.setattr("cleaner.seams.SEAM_CHUNK_LINES", chunk)
        edges = load_edge_model(None).columns(blocks)
        found = find_seams(blocks, edges, path)
        monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
        assert find_seams(blocks, edges, path) == found
        monkeypatch.delenv(PURE_PYTHON_VARIABLE)
        seen.add(bool(found))
    assert seen == {True, False} or not dumps


def test_seam_candidates_refuses_bad_arguments() -> None:
    from cleaner.seams import EDGE_LINES, FIRST_LINES, OPENING_LINES, REPLAY_LINES, SIDE_LINES, _load

    module = compiled_module()
    draw = random.Random(5)
    blocks, edges = random_seam_dump(draw, 30)
    intercept, weights = _load(None)
    constants = (EDGE_LINES, SIDE_LINES, FIRST_LINES, OPENING_LINES, REPLAY_LINES)
    good = (blocks, edges.heads, edges.feet, 5, 26, weights, intercept, 0.0, constants)
    assert isinstance(module.seam_candidates(*good), list)

    def refused(error: type[Exception], at: int, value: Any) -> None:
        args = list(good)
        args[at] = value
        with pytest.raises(error):
            module.seam_candidates(*args)

    refused(ValueError, 1, edges.heads[:-1])  # not one a block
    assert isinstance(module.seam_candidates(*good, bytes(21)), list)
    assert module.seam_candidates(*good, None) == module.seam_candidates(*good)
    with pytest.raises(ValueError):
        module.seam_candidates(*good, bytes(20))  # not one a line asked
    with pytest.raises(TypeError):
        module.seam_candidates(*good, bytearray(21))
    refused(TypeError, 2, array("f", edges.feet))  # not doubles
    refused(TypeError, 2, [0.0] * 30)
    refused(ValueError, 3, EDGE_LINES - 1)  # start above the lines read
    refused(ValueError, 4, 30 - EDGE_LINES + 2)  # stop past them
    refused(ValueError, 4, 4)  # stop before start
    refused(ValueError, 5, [])
    refused(TypeError, 5, [1.0, "x"])
    refused(TypeError, 0, 42)
    refused(TypeError, 0, [*blocks[:10], Block(10, "x", 11, duplicate_of="3"), *blocks[11:]])  # type: ignore[arg-type]
    refused(AttributeError, 0, [*blocks[:10], "a line", *blocks[11:]])
    for k in (0, 1, 3, 4):
        refused(ValueError, 8, tuple(0 if j == k else c for j, c in enumerate(constants)))
    refused(ValueError, 8, (*constants[:4], SIDE_LINES + 1))  # it would read past the lines read
    refused(TypeError, 8, (1, 2, 3))
    with pytest.raises(TypeError):
        module.seam_candidates(*good[:-1])


def test_topic_words_are_the_python_ones() -> None:
    """boundary.page_topic_words: the helper's words are re's, on real lines, on
    every code point (each in a four-character word) and on random text of
    letters, digits and the characters whose case or class is odd."""
    from cleaner.segments import boundary

    module = compiled_module()
    everything = [
        " ".join(f"ab{chr(c)}c" for c in range(start, min(start + 256, 0x110000)) if not 0xD800 <= c < 0xE000)
        for start in range(0, 0x110000, 256)
    ]
    odd = "aZéÉßİıΣσςΑ_0٣²½Ⅻ\u0301\u0307 -’.\t😀"
    rng = random.Random(12)
    randoms = ["".join(rng.choice(odd) for _ in range(rng.randrange(0, 40))) for _ in range(3000)]
    texts = sorted(set(EDGE_LINES) | set(dev_lines())) + everything + randoms + ["", "Σ" * 5, "ΣΑΣ ΣΑΣΑ"]
    known: dict[str, str] = {}
    found = module.topic_words(texts, known, boundary.TOPIC_WORD_MIN_CHARS)
    python_known: dict[str, str] = {}
    assert found == [boundary._topic_words(text, python_known.setdefault) for text in texts]
    assert known == python_known and all(known[word] is word for words in found for word in words)
    with pytest.raises(TypeError):
        module.topic_words([b"bytes"], {}, 4)
    with pytest.raises(ValueError):
        module.topic_words(["text"], {}, 0)
