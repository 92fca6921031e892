"""Properties that hold on every input, checked on generated dumps (hypothesis).

Generated dumps look like real ones: prose paragraphs and menu lines taken from
the fixtures, exact and near-duplicate repeats, caption-like lines, random
Unicode, control characters, very long lines, and CRLF / CR newlines.
Cleaning the Markdown of a result again gives the same articles (idempotence).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from cleaner import InputError, clean
from cleaner.check import check_document
from cleaner.model import Document
from cleaner.render import article_dict, has_layout_marks, render_json, render_markdown

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LINES = [
    line.strip()
    for path in sorted(FIXTURES.glob("*/input.txt"))
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    if line.strip()
]
PROSE = [line for line in LINES if len(line) > 120][:400]
SHORT = [line for line in LINES if len(line) < 40][:400]
CREDITS = ["(AP Photo/Jane Doe)", "REUTERS/John Roe", "Photo: Getty Images", "(Laurent Gillieron/Keystone via AP)"]


@st.composite
def edited(draw: st.DrawFn, line: str) -> str:
    """A near-duplicate: one character changed, dropped or added."""
    if not line:
        return line
    at = draw(st.integers(0, len(line) - 1))
    kind = draw(st.sampled_from(["change", "drop", "add"]))
    letter = draw(st.characters(min_codepoint=97, max_codepoint=122))
    if kind == "change":
        return line[:at] + letter + line[at + 1:]
    if kind == "drop":
        return line[:at] + line[at + 1:]
    return line[:at] + letter + line[at:]


@st.composite
def dump_lines(draw: st.DrawFn) -> list[str]:
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(["prose", "prose", "prose", "short", "repeat", "near", "caption", "noise", "long"]))
        if kind == "prose":
            pieces.append(draw(st.sampled_from(PROSE)))
        elif kind == "short":
            pieces.append(draw(st.sampled_from(SHORT)))
        elif kind == "repeat" and pieces:
            pieces.append(draw(st.sampled_from(pieces)))
        elif kind == "near" and pieces:
            pieces.append(draw(edited(draw(st.sampled_from(pieces)))))
        elif kind == "caption":
            pieces.append(draw(st.sampled_from(PROSE))[:150] + " " + draw(st.sampled_from(CREDITS)))
        elif kind == "noise":
            pieces.append(draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)))
        elif kind == "long":
            pieces.append(" ".join(draw(st.lists(st.sampled_from(PROSE), min_size=5, max_size=30))))
    return pieces


@st.composite
def dumps(draw: st.DrawFn) -> bytes:
    lines = draw(dump_lines())
    newline = draw(st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\n \n"]))
    return newline.join(lines).encode("utf-8", errors="surrogatepass")


@given(dumps())
def test_every_line_is_accounted_for_and_nothing_invented(data: bytes) -> None:
    try:
        document = clean(data)
    except InputError:
        return  # refused with a clear error (random noise can look binary): allowed
    assert check_document(document, data) == []


@given(dumps())
def test_same_input_same_output(data: bytes) -> None:
    try:
        first, second = clean(data), clean(data)
    except InputError:
        return
    assert render_json([first], explain=True) == render_json([second], explain=True)
    assert render_markdown([first], captions=True) == render_markdown([second], captions=True)


@given(st.binary(max_size=4096))
def test_any_bytes_are_cleaned_or_refused(data: bytes) -> None:
    try:
        clean(data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)


@given(st.binary(max_size=2048))
def test_any_bytes_as_html_are_cleaned_or_refused(data: bytes) -> None:
    try:
        clean(b"<html><body>" + data + b"</body></html>", input_format="html")
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)


def _articles(document: Document) -> list[dict[str, object]]:
    return [article_dict(a) for a in document.articles]


@given(dumps())
def test_cleaning_the_markdown_again_gives_the_same_articles(data: bytes) -> None:
    try:
        document = clean(data)
    except InputError:
        return
    again = clean(render_markdown([document], captions=True))
    if not document.articles or has_layout_marks(document):
        event("layout marked")
        assert _articles(again) == _articles(document)
    else:
        event("a lone bare article")
