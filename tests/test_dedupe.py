"""Stage 3: mark_duplicates() points every repeated line at its first occurrence."""

from __future__ import annotations

import random
from typing import Any

import pytest

import cleaner.dedupe
from cleaner.config import CleanerConfig
from cleaner.dedupe import mark_duplicates
from cleaner.model import Block

CONFIG = CleanerConfig()
LONG = (
    "NATO Secretary General Mark Rutte speaks during a media conference prior to a meeting "
    "of NATO foreign ministers at NATO headquarters in Brussels."
)
OTHER = "The weather in the mountains will stay cold and wet for the rest of the week, forecasters said."


def marked(*lines: str) -> list[Block]:
    blocks = [Block(index=i, text=line, line=i + 1) for i, line in enumerate(lines)]
    return mark_duplicates(blocks, CONFIG)


def links(blocks: list[Block]) -> list[tuple[int | None, float | None]]:
    return [(b.duplicate_of, b.duplicate_score) for b in blocks]


def test_exact_repeats_point_to_the_first_with_score_100() -> None:
    blocks = marked("Hello, World!", "Something else entirely", "hello world", "HELLO -- WORLD")
    assert links(blocks) == [(None, None), (None, None), (0, 100.0), (0, 100.0)]


def test_one_word_change_in_a_long_line_is_a_near_duplicate() -> None:
    changed = LONG.replace("speaks", "talks")
    blocks = marked(LONG, OTHER, changed)
    assert blocks[2].duplicate_of == 0
    assert blocks[2].duplicate_score is not None
    assert CONFIG.duplicate_min_score <= blocks[2].duplicate_score < 100.0


def test_different_sentences_are_not_matched() -> None:
    blocks = marked(
        "The council approved the budget for the new school year on Monday evening.",
        "The council rejected the budget for the new swimming pool on Tuesday morning.",
    )
    assert links(blocks) == [(None, None), (None, None)]


def test_short_lines_are_matched_exactly_only() -> None:
    blocks = marked("News", "Newsletter", "Sports news today", "Sports news todays", "News")
    assert links(blocks) == [(None, None), (None, None), (None, None), (None, None), (0, 100.0)]


def test_copies_counts_the_whole_group() -> None:
    blocks = marked(LONG, OTHER, LONG.upper(), LONG.replace("speaks", "talks"))
    assert [b.copies for b in blocks] == [3, 1, 3, 3]


def test_first_occurrence_decides() -> None:
    # the third line is too far from the first, but near the second: one group, led by the first
    second = LONG.replace("speaks", "talks")
    third = second.replace("Brussels", "Brussel")
    blocks = marked(LONG, second, third)
    assert [b.duplicate_of for b in blocks] == [None, 0, 1]
    assert [b.group for b in blocks] == [0, 0, 0]


def test_same_input_gives_same_marks() -> None:
    lines = (LONG, OTHER, LONG.replace("speaks", "talks"), OTHER.upper(), "News", "News")
    assert links(marked(*lines)) == links(marked(*lines))


def letters(n: int) -> str:
    """n written in letters (a, b, …, ba, bb, …): tokens without digits, since
    lines with different numbers are never compared."""
    out = ""
    while True:
        n, digit = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[digit] + out
        if n == 0:
            return out


def generated_lines(count: int) -> list[str]:
    """Distinct lines: common words, mid-frequency words (so some blocking happens), a unique token."""
    rng = random.Random(20240312)
    common = [f"word{letters(n)}" for n in range(30)]
    middling = [f"topic{letters(n)}" for n in range(800)]
    return [
        " ".join(rng.choices(common, k=8) + rng.choices(middling, k=2) + [f"unique{letters(n)}"])
        for n in range(count)
    ]


def test_comparisons_stay_within_the_blocking_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # the pairs blocking lets through to be scored (most fail there before the ratio)
    real, calls = cleaner.dedupe._PairScorer.score, []

    def counting(*args: Any) -> float:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(cleaner.dedupe._PairScorer, "score", counting)
    lines = generated_lines(20_000)
    marked(*lines)
    assert len(calls) > 0
    assert len(calls) <= len(lines) * CONFIG.blocking_tokens * CONFIG.blocking_max_lines


def edited(rng: random.Random, text: str, alphabet: str) -> str:
    characters = list(text)
    for _ in range(rng.randrange(6)):
        at = rng.randrange(len(characters) + 1)
        if rng.random() < 0.5 and at < len(characters):
            del characters[at]
        else:
            characters.insert(at, rng.choice(alphabet))
    return "".join(characters)


def test_the_python_ratio_is_rapidfuzz_s_to_the_last_bit() -> None:
    fuzz = cleaner.dedupe._fuzz()
    rng = random.Random(7)
    pairs = [("a" * 9 + "b", "a" * 9 + "c"), ("", ""), ("abc", ""), (LONG, LONG.replace("speaks", "talks"))]
    for _ in range(3000):
        alphabet = "ab cdéf"[: rng.randrange(2, 8)]
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 80)))
        pairs.append((text, edited(rng, text, alphabet)))
    for a, b in pairs:
        for cutoff in (0.0, 90.0):
            assert cleaner.dedupe.indel_ratio(a, b, cutoff) == fuzz.ratio(a, b, processor=None, score_cutoff=cutoff)


def marks_scored_by(monkeypatch: pytest.MonkeyPatch, python: bool, lines: list[str]) -> list[tuple[int | None, float | None]]:
    """Marks with every pair's ratio from indel_ratio (python) or from rapidfuzz."""
    monkeypatch.setattr(cleaner.dedupe, "PYTHON_RATIO_PAIRS", 10**9 if python else 0)
    monkeypatch.setattr(cleaner.dedupe, "PYTHON_RATIO_MAX_CHARS", 10**9)
    monkeypatch.setattr(cleaner.dedupe, "_rapidfuzz_loaded", lambda: False)
    return links(marked(*lines))


def test_same_marks_with_either_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    lines = generated_lines(300)
    lines += [edited(rng, line, "xyz") for line in lines[::3]] + [LONG, LONG.replace("speaks", "talks"), OTHER]
    found = marks_scored_by(monkeypatch, True, lines)
    assert sum(1 for duplicate_of, _ in found if duplicate_of is not None) > 20
    assert found == marks_scored_by(monkeypatch, False, lines)


FIRST_PARAGRAPH = (
    "The city council met on Tuesday evening to debate the new budget for the coming year, and members spent "
    "most of the session arguing over money for roads, schools and the long delayed repairs to the harbour wall."
)
SECOND_PARAGRAPH = (
    "Residents who packed the public gallery cheered when the mayor promised that the library would stay open, "
    "although several councillors warned that the savings would have to be found somewhere else before spring."
)


def test_a_block_strung_from_earlier_paragraphs_repeats_them() -> None:
    blocks = marked(FIRST_PARAGRAPH, "Menu", SECOND_PARAGRAPH, f"{FIRST_PARAGRAPH} {SECOND_PARAGRAPH}")
    assert blocks[3].duplicate_of in (0, 2) and blocks[3].duplicate_score is not None
    assert links(blocks)[:3] == [(None, None)] * 3


def test_paragraphs_of_their_own_are_no_concatenations_and_not_looked_at_for_4_grams() -> None:
    blocks = marked(FIRST_PARAGRAPH, SECOND_PARAGRAPH, f"{SECOND_PARAGRAPH} {LONG}")
    assert links(blocks) == [(None, None)] * 3
    # the cheap bound rules each long block out: too few of its 4-grams are made of earlier words
    assert cleaner.dedupe._may_be_concatenations(blocks, [0, 1, 2], CONFIG.concatenation_min_ratio) == []
    strung = marked(FIRST_PARAGRAPH, SECOND_PARAGRAPH, f"{FIRST_PARAGRAPH} {SECOND_PARAGRAPH}")
    assert cleaner.dedupe._may_be_concatenations(strung, [0, 1, 2], CONFIG.concatenation_min_ratio) == [2]
