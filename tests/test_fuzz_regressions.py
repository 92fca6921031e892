"""Inputs the fuzz target (fuzz/fuzz_clean.py) found breaking an invariant, kept
as regression tests: each goes through the same checks as the fuzz target."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from cleaner import CleanerError, clean
from cleaner.check import check_document
from cleaner.model import Document, InputKind
from cleaner.read import read_input
from cleaner.render import article_dict, has_layout_marks, render_json, render_markdown

DATA = Path(__file__).resolve().parent / "data" / "fuzz"
CASES = sorted(DATA.iterdir())
# Which target found each input: the decoding path ("auto") or the HTML path.
INPUT_FORMATS = {".html": "html"}
# Findings not fixed yet (strict: a fix shows up), with what breaks.
OPEN: dict[str, str] = {}


def _articles(document: Document) -> list[dict[str, object]]:
    return [article_dict(a) for a in document.articles]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=OPEN[p.name])) if p.name in OPEN else p
        for p in CASES
    ],
    ids=[p.name for p in CASES],
)
def test_fuzz_finding_holds_every_invariant(path: Path) -> None:
    data = path.read_bytes()
    input_format = INPUT_FORMATS.get(path.suffix, "auto")
    try:
        document = clean(data, input_format=input_format)
    except CleanerError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert check_document(document, data, input_format) == []
    again = clean(data, input_format=input_format)
    assert render_json([document], explain=True) == render_json([again], explain=True)
    if has_layout_marks(document) and read_input(data, input_format=input_format).kind is InputKind.TEXT:
        assert _articles(clean(render_markdown([document], captions=True))) == _articles(document)


def test_a_paragraph_shaped_like_a_metadata_line_reads_back_as_a_paragraph() -> None:
    # markdown-paragraph-like-metadata-line.md: under a heading, a kept paragraph
    # "_2012-12-07T16:42 · Zachary Roth, @zackroth_" was read back as the metadata
    # line; render now escapes it ("\_2012…") and the reader takes the backslash off.
    # (The paragraph is put first in the article here: whether the text model
    # keeps such a line is its judgement, not this test's.)
    document = clean((DATA / "markdown-paragraph-like-metadata-line.md").read_bytes())
    paragraph = "_2012-12-07T16:42 · Zachary Roth, @zackroth_"
    article = document.articles[0] = replace(
        document.articles[0], paragraphs=[paragraph, *(p for p in document.articles[0].paragraphs if p != paragraph)],
        formatted=[], formatted_links=[],
    )
    markdown = render_markdown([document])
    assert "\n\\" + paragraph + "\n" in markdown
    again = clean(markdown).articles[0]
    assert (again.published, again.updated, again.byline) == (article.published, article.updated, article.byline)
    assert not any(p.startswith("\\") for p in again.paragraphs)


def test_a_top_level_heading_kept_in_a_body_is_written_one_level_down() -> None:
    # markdown-heading-line-kept-in-body.txt: a "# …" line of a text dump kept as
    # a body paragraph was written as "# …", which starts an article when read back
    document = clean((DATA / "markdown-heading-line-kept-in-body.txt").read_bytes())
    assert "People don’t understand the fiscal cliff" in document.articles[0].paragraphs
    assert "\n## People don’t understand the fiscal cliff\n" in render_markdown([document])


RECORD_CASES = sorted((DATA.parent / "fuzz-records").iterdir())


@pytest.mark.parametrize("path", RECORD_CASES, ids=[p.name for p in RECORD_CASES])
def test_fuzz_finding_in_a_record_stream_is_read_or_refused_in_one_line(path: Path) -> None:
    """fuzz_clean.py --target records: the first byte picks the stream's suffix."""
    sys.path.insert(0, str(DATA.parents[2] / "fuzz"))
    try:
        from record_checks import check_records
    finally:
        sys.path.pop(0)
    check_records(path.read_bytes())
