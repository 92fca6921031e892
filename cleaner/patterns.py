"""Start-up: the regular expressions of cleaner's modules, made without being parsed again.

Python's ``re.compile`` parses and compiles a pattern in Python code, which for
cleaner's fifty-odd patterns (dates, bylines, captions, sentence ends) is a
good part of a one-page run's start-up; so are the twenty-odd that the other
modules a one-page run imports compile when they are imported (click, json,
platform, tokenize, gettext), which the file holds too. ``patterns_code`` (made by
``bench/regex_code.py``) holds each pattern's compiled form as CPython's
regex engine takes it; ``load_compiled_patterns`` hands those to the engine
and puts them in ``re``'s own cache, where the modules' ``re.compile`` calls
then find them. Only on the CPython version and regex engine the file was made
with; elsewhere it does nothing and every pattern is compiled as usual. A
pattern not in the file (a new one) is compiled as usual too: the file can be
out of date, never wrong (a pattern is found by its text and flags, and
tests/test_patterns.py checks that each one compiles to what ``re`` makes).
"""

from __future__ import annotations

import re
import sys
from array import array
from typing import Any

# The engine's code words are 4-byte unsigned integers (CPython's SRE_CODE).
CODE_TYPE = "I"


def load_compiled_patterns() -> None:
    """Put the patterns of patterns_code in re's cache, where this Python can take them."""
    try:
        import _sre  # type: ignore[import-not-found]  # CPython's regex engine

        from . import patterns_code
    except ImportError:
        return
    cache: Any = getattr(re, "_cache", None)
    if (
        sys.implementation.name != "cpython"
        or tuple(sys.version_info[:2]) != patterns_code.PYTHON
        or _sre.MAGIC != patterns_code.MAGIC
        or not isinstance(cache, dict)
        or array(CODE_TYPE).itemsize != _sre.CODESIZE
    ):
        return
    for pattern, flags, compiled_flags, code, groups, groupindex, indexgroup in patterns_code.PATTERNS:
        cache.setdefault(
            (type(pattern), pattern, flags),
            _sre.compile(pattern, compiled_flags, code_words(code), groups, dict(groupindex), indexgroup),
        )


def code_words(code: bytes) -> list[int]:
    """The engine's code of a pattern from its bytes (4-byte words, little-endian)."""
    words = array(CODE_TYPE, code)
    if sys.byteorder == "big":
        words.byteswap()
    return words.tolist()


def compiled_form(pattern: str | bytes, flags: int) -> tuple[Any, ...]:
    """A pattern as patterns_code keeps it: what re's compiler hands to the engine
    (its code as bytes: a module of them is quicker to load than one of numbers)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (
        pattern, flags, int(flags | parsed.state.flags), _code_bytes(code), parsed.state.groups - 1,
        tuple(groupindex.items()), tuple(indexgroup),
    )


def _code_bytes(code: list[int]) -> bytes:
    words = array(CODE_TYPE, map(int, code))
    if sys.byteorder == "big":
        words.byteswap()
    return words.tobytes()
