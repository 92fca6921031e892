"""cleaner._speedups, the optional C helper: each line's row is the one the
Python code makes, byte for byte, and CLEANER_PURE_PYTHON turns it off.
(The suite runs both ways in .ci/run: CLEANER_PURE_PYTHON=1 python3 -m pytest.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest

from cleaner import classify
from cleaner.classify import FEATURE_SAMPLE_CHARS, LOG1P_TABLE_SIZE, PURE_PYTHON_VARIABLE, _TEXT_ROW_BYTES

ROOT = Path(__file__).resolve().parent.parent
DEV_TEXT = ROOT.parent / "shared" / "eval" / "dev" / "text"
# Lines at the edges of each feature: empty, one letter, capitals, spaced
# dashes that overlap, "@" in every position, sentence ends behind brackets,
# copyright in any case, URLs, past the log1p table and the sample, not ASCII.
EDGE_LINES = [
    "", "a", "A", "I", "AB", "A1", "_", "__init__", "a - - b", " - ", " -- ", "x@y", "@x", "a @ b", "a@ ", "@", "x@",
    "End.", 'End.")', "x.)]'\"", "Hi!  ", "(C) 2020", "COPYRIGHT", "All Rights Reserved.", "http://x", "https:/",
    "www.x", "1,2,3", "a|b>c/d", "Ab Cd EF gh 12 _x", "a;b; c. d! e? ", "~!#$%^&*()", "    indented code",
    "Ends with a colon:", "x" * (LOG1P_TABLE_SIZE + 1), "y" * FEATURE_SAMPLE_CHARS + " tail.",
    "The " * FEATURE_SAMPLE_CHARS, "tab\there", "line\nbreak", "café, naïve.", "\x7f", "Über alles",
]


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
    # what is not printable ASCII is left to Python
    assert {texts[i] for i in others} == {t for t in texts if not (t[:FEATURE_SAMPLE_CHARS].isascii()
                                                                   and t[:FEATURE_SAMPLE_CHARS].isprintable())}


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
