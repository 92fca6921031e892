"""Every fixtures/<slug>/ through clean(): Markdown and JSON must match exactly.

A fixture folder holds input.txt or input.html, expected.md (rendered with
captions) and expected.json. A file named `xfail` in the folder marks a known
failure (its text is the reason); such a case must keep failing (strict).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.render import render_json, render_markdown

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
# A text fixture with its blank lines taken out gives articles this close to its own.
NO_BLANKS_MIN_F1 = 0.97


def _input(case: Path) -> Path:
    return next(case / name for name in ("input.txt", "input.html") if (case / name).exists())


def _params() -> list:  # type: ignore[type-arg]
    params = []
    for case in CASES:
        marks = []
        if (case / "xfail").exists():
            marks.append(pytest.mark.xfail(strict=True, reason=(case / "xfail").read_text().strip()))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_golden(case: Path, update_golden: bool) -> None:
    source = _input(case)
    document = clean(source.read_bytes(), source=source.name)
    outputs = {
        "expected.md": render_markdown([document], captions=True),
        "expected.json": render_json([document]),
    }
    for name, actual in outputs.items():
        expected_path = case / name
        if update_golden and not (case / "xfail").exists():  # a known failure keeps its true expectation
            expected_path.write_text(actual, encoding="utf-8")
            continue
        assert expected_path.exists(), f"{expected_path} missing: run pytest --update-golden"
        assert actual == expected_path.read_text(encoding="utf-8"), f"{case.name}/{name} differs"


def test_there_are_enough_fixtures() -> None:
    assert len(CASES) >= 11


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    words = re.findall(r"\w+", text)
    return Counter(zip(*(words[i:] for i in range(4))))


@pytest.mark.parametrize("case", [c for c in CASES if (c / "input.txt").exists()], ids=lambda c: c.name)
def test_a_text_dump_without_its_blank_lines_gives_the_same_articles(case: Path) -> None:
    """Common Crawl's WET text and get_text() joined line by line have no blank
    lines: the page's articles come out all the same (their word 4-grams, F1
    at least NO_BLANKS_MIN_F1; the layout is the renderer's, not the page's)."""
    data = (case / "input.txt").read_bytes()
    without = b"\n".join(line for line in data.splitlines() if line.strip()) + b"\n"
    expected, found = (
        _shingles("\n\n".join(p for a in clean(d).articles for p in a.paragraphs)) for d in (data, without)
    )
    both = sum((expected & found).values())
    assert 2 * both / (sum(expected.values()) + sum(found.values())) >= NO_BLANKS_MIN_F1
