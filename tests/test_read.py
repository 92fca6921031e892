"""Stage 1: read_input() decodes bytes, normalises the text and tells HTML from text."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.model import InputError, InputKind
from cleaner.read import read_input

SAMPLE = "Crème brûlée — “quoted” naïve café\n"


def test_utf8_decodes_without_warning() -> None:
    decoded = read_input(SAMPLE.encode("utf-8"))
    assert decoded.text == SAMPLE
    assert decoded.encoding == "utf-8"
    assert decoded.warnings == ()


def test_utf8_bom_is_removed() -> None:
    decoded = read_input(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert decoded.text == SAMPLE
    assert decoded.warnings == ()


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["le", "be"],
)
def test_utf16_with_bom(bom: bytes, codec: str) -> None:
    decoded = read_input(bom + SAMPLE.encode(codec))
    assert decoded.text == SAMPLE
    assert decoded.encoding == codec


def test_windows_1252_decodes_with_warning() -> None:
    decoded = read_input(SAMPLE.encode("windows-1252"))
    assert decoded.text == SAMPLE
    assert len(decoded.warnings) == 1
    assert "UTF-8" in decoded.warnings[0]


def test_latin1_decodes_with_warning() -> None:
    text = "Façade, naïve, 25 °C, señor.\n"
    decoded = read_input(text.encode("latin-1"))
    assert decoded.text == text
    assert decoded.warnings


def test_stray_invalid_bytes_in_utf8_still_decode_with_warning() -> None:
    data = "Grüße aus Köln. ".encode("utf-8") * 20 + b"\xff broken \xfe" + " Ende.".encode("utf-8")
    decoded = read_input(data)
    assert "broken" in decoded.text and "Ende." in decoded.text
    assert decoded.warnings


def test_stray_invalid_bytes_keep_valid_utf8_characters() -> None:
    data = "Grüße aus Köln. ".encode("utf-8") * 20 + b"\xff broken \xfe" + " Ende.".encode("utf-8")
    assert "Grüße aus Köln." in read_input(data).text


def test_crlf_and_lone_cr_become_newlines() -> None:
    assert read_input(b"one\r\ntwo\rthree\n").text == "one\ntwo\nthree\n"


def test_nbsp_and_narrow_nbsp_become_spaces() -> None:
    assert read_input("10\u00a0km and 5\u202f%").text == "10 km and 5 %"


def test_zero_width_spaces_are_removed() -> None:
    assert read_input("zero\u200bwidth".encode("utf-8")).text == "zerowidth"


def test_a_text_dumps_character_references_are_read_as_their_characters() -> None:
    # text made by taking a page's tags away keeps the page's references
    stripped = "Don&#8217;t&nbsp;stop &ndash; AT&amp;T&#x2019;s &quot;plan&quot;: &#146;96\n"
    assert read_input(stripped).text == "Don’t stop – AT&T’s \"plan\": ’96\n"
    # each read once; a name HTML does not know, or one without its semicolon, stays as written
    assert read_input("&amp;amp; &bogus; &copy 2012 AT&T R&D").text == "&amp; &bogus; &copy 2012 AT&T R&D"
    # a reference to a line break or a zero-width space leaves the lines as they were
    assert read_input("one&#10;two&#13;three&#8203;four\nfive").text == "one two threefour\nfive"


def test_an_html_pages_references_are_the_parsers() -> None:
    page = "<html><head><title>T</title></head><body><p>Don&#8217;t &amp;amp; stop.</p></body></html>"
    assert read_input(page).text == page  # HTML is read by the parser, which reads them once


def test_png_header_with_random_bytes_is_refused() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(0).randbytes(4096)
    with pytest.raises(InputError):
        read_input(data)


def test_random_bytes_are_refused() -> None:
    with pytest.raises(InputError):
        read_input(random.Random(0).randbytes(4096))


def test_mostly_nul_bytes_are_refused() -> None:
    with pytest.raises(InputError):
        read_input(b"\x00" * 1000 + b"abc" + b"\x00" * 1000)


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html>\n<title>x</title>\nHello",
        "<html><body>Hello</body></html>",
        "<div><p>Hello there.</p><span>More.</span></div>",
        "\n<h3>A manifesto</h3>\n<pre>\n  Why we write free software.\n</pre>\n<ul><li>One</li></ul>\n",
    ],
    ids=["doctype", "html-tag", "fragment", "body-fragment"],
)
def test_html_is_detected(page: str) -> None:
    assert read_input(page.encode("utf-8")).kind is InputKind.HTML


def test_prose_mentioning_a_tag_once_is_text() -> None:
    prose = "Wrap the word in <b> to make it bold. Browsers have done so since 1993.\n"
    assert read_input(prose.encode("utf-8")).kind is InputKind.TEXT


def test_a_comment_form_s_list_of_allowed_tags_is_text() -> None:
    dump = (
        "Leave a comment\n\nAllowed HTML: <a href=\"URL\"> <em> <strong> <ul> <ol> <li> <blockquote> <pre>\n\n"
        "Powered by a blog engine\n"
    )
    assert read_input(dump.encode("utf-8")).kind is InputKind.TEXT


def test_input_format_text_overrides_html_detection() -> None:
    assert read_input("<html><body>Hi</body></html>", input_format="text").kind is InputKind.TEXT


def test_input_format_html_overrides_text_detection() -> None:
    assert read_input("Just a sentence.", input_format="html").kind is InputKind.HTML


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters="\r\n")))
def test_no_carriage_returns_or_nbsp_survive(text: str) -> None:
    out = read_input(text).text
    assert "\r" not in out and "\u00a0" not in out and "\u200b" not in out


def test_each_normalisation_lists_every_character_its_pattern_starts_with() -> None:
    # _normalised replaces these characters (and "\r\n") instead of asking the pattern
    import sys

    from cleaner.read import NORMALISATIONS

    for pattern, _, characters in NORMALISATIONS:
        starts = {chr(c) for c in range(sys.maxunicode + 1) if pattern.match(chr(c) + "x")}
        assert starts == set(characters), pattern.pattern


@given(st.text(alphabet="ab \r\n\u2028\u2029\x85\u00a0\u2003\t\x0b\x0c\u200b\ufeff\u00ad\x00\x1f\x7f"))
def test_each_normalisation_is_its_patterns_sub(text: str) -> None:
    from cleaner.read import NORMALISATIONS, _normalised

    for pattern, replacement, characters in NORMALISATIONS:
        assert _normalised(text, pattern, replacement, characters) == pattern.sub(replacement, text)


def test_a_big_utf8_text_normalised_as_bytes_is_the_text_normalised_as_str() -> None:
    from cleaner.read import BYTES_NORMALISED_MIN_BYTES, NORMALISATIONS

    odd = "".join(character for _, _, characters in NORMALISATIONS for character in characters)
    line = "Line\r\nwith\rbreaks\u2028and 😀 spaces\xa0\u2003zero\u200bwidth\ufeff\xad ctrl\x01\x7f nel\x85 end\n"
    text = "Title\n\n" + line * (BYTES_NORMALISED_MIN_BYTES // len(line.encode()) + 1) + odd
    data = text.encode()
    assert len(data) >= BYTES_NORMALISED_MIN_BYTES
    assert read_input(data).text == read_input(text).text
    assert "\r" not in read_input(data).text and "\xa0" not in read_input(data).text
