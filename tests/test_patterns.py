"""cleaner/patterns_code.py (made by bench/regex_code.py): each pattern it holds
compiles to what re itself makes of it, so a module that finds it there gets
the same pattern (patterns.py)."""

from __future__ import annotations

import re
import sys

import pytest

from cleaner import patterns_code
from cleaner.patterns import compiled_form


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or tuple(sys.version_info[:2]) != patterns_code.PYTHON,
    reason="the file is used only by the Python it was made with",
)
@pytest.mark.parametrize("row", patterns_code.PATTERNS, ids=lambda row: repr(row[0])[:40])
def test_a_kept_pattern_is_what_re_makes(row: tuple[object, ...]) -> None:
    pattern, flags = row[0], row[1]
    assert isinstance(pattern, (str, bytes)) and isinstance(flags, int)
    assert compiled_form(pattern, flags) == row
    assert re.compile(pattern, flags).pattern == pattern


def test_the_modules_patterns_come_from_the_cache() -> None:
    from cleaner import text

    row = next(row for row in patterns_code.PATTERNS if row[0] == text.BYLINE.pattern)
    assert re.compile(row[0], row[1]) is text.BYLINE  # re's cache gave the module the loaded pattern
