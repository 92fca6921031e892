"""Stage 1: raw bytes (or str) -> decoded, normalised text, and whether it is HTML.

Decoding order: byte-order mark, strict UTF-8, then bs4's UnicodeDammit (declared
charset, then windows-1252 and friends) with a warning. Bytes that are mostly
control characters are refused as binary. Newlines become ``\\n``; non-breaking
spaces become spaces; zero-width spaces and stray BOMs are removed. A text
dump's HTML character references ("&amp;", "&#8217;") are read as the
characters they name (an HTML page's are its parser's).
"""

from __future__ import annotations

import codecs
import re

from .model import Decoded, InputError, InputKind
from .text import SPACE_LIKE, SPACE_LIKE_CHARACTERS, ZERO_WIDTH, ZERO_WIDTH_CHARACTERS

# Byte-order marks, longest first so UTF-32 LE is not taken for UTF-16 LE.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# How much of the input the binary and HTML sniffers look at.
SNIFF_BYTES = 8192
# Share of control characters (other than tab/newline/CR/form feed) above which
# decoded text is taken for binary data: real text has next to none.
MAX_CONTROL_RATIO = 0.05
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
CONTROL_CHARACTERS = "".join(map(chr, (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F)))  # what CONTROL_CHARS matches
# Markup that only HTML has near its start; two distinct tags make it HTML.
HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
HTML_TAG = re.compile(
    r"<(html|head|body|div|p|span|meta|title|script|style|link|a\s+href|br|table|article)\b", re.I
)
MIN_HTML_TAGS = 3
# ... or this many distinct elements of a page's body (HTML_ELEMENT) each
# closed as well as opened: a fragment (a body without its page: <h3>, <p>,
# <pre>). A list of the tags a comment form allows ("<ul> <ol> <li>") opens
# each and closes none.
HTML_ELEMENT = re.compile(
    r"<(/?)(p|div|span|a|h[1-6]|pre|ul|ol|li|table|tr|td|blockquote|section|article|header|footer|nav|form"
    r"|figure|strong|em|b|i)\b",
    re.I,
)
MIN_HTML_ELEMENTS = 3
# Input with valid multi-byte UTF-8 and at most this share of broken bytes is
# UTF-8 with damage, not another encoding: the broken bytes are replaced.
MAX_STRAY_BYTES_RATIO = 0.01
UTF8_MULTIBYTE = re.compile(r"[^\x00-\x7f\ufffd]")
NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
CRLF = "\r\n"  # NEWLINES' one match of two characters
# What read_input replaces (_normalised), each pattern with every character a match of it
# starts with: a text holding none of them is not scanned by the regex
# (looking for a character is far cheaper).
NORMALISATIONS = (
    (NEWLINES, "\n", "\r\u2028\u2029\x85"),
    (SPACE_LIKE, " ", SPACE_LIKE_CHARACTERS),
    (ZERO_WIDTH, "", ZERO_WIDTH_CHARACTERS),
    (CONTROL_CHARS, "", CONTROL_CHARACTERS),
)
# A character reference as HTML writes one, with its semicolon ("&amp;",
# "&#8217;", "&#x2019;", "&rsquo;"): text made by taking a page's tags away (a
# regex, sed) keeps them, as does a page that escaped its text twice. A text
# dump's are read as the characters they name; one that names none
# ("&bogus;") stays as written.
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# ... but one that names a line break is read as a space: a line of the text
# is the line of the input it came from.
LINE_BREAK_CHARACTERS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# A text read as UTF-8 at least this big is normalised as bytes and decoded
# again (_normalised_as_bytes): a copy of its bytes is a quarter of a copy of
# its str where it holds an emoji (4 bytes a character). Smaller texts are
# normalised as str: a second decode costs more than their copies.
BYTES_NORMALISED_MIN_BYTES = 2**20
# Files that hold many pages, read by cleaner.records.
STREAM_SUFFIXES = (".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".warc.wet", ".warc.wet.gz", ".wet", ".wet.gz")


def is_stream(name: str) -> bool:
    """Whether a file name is a record stream's (cleaner.records reads it)."""
    return name.lower().endswith(STREAM_SUFFIXES)


def read_input(data: bytes | str, *, input_format: str = "auto") -> Decoded:
    """Decode and normalise one input; raise InputError for binary data."""
    warnings: tuple[str, ...] = ()
    if isinstance(data, str):
        text, encoding = data, "str"
    else:
        text, encoding, warnings = _decode(data)
    _refuse_binary(text)
    if input_format == "auto":
        kind = InputKind.HTML if _looks_like_html(text) else InputKind.TEXT
    else:
        kind = InputKind(input_format)
    if kind is InputKind.TEXT:  # HTML is normalised block by block, after parsing
        if isinstance(data, bytes) and _normalised_as_bytes(data, text, encoding, warnings):
            # the bytes normalised, then decoded again: a big text is not copied as str
            del text
            text = _normalised_bytes(data).decode("utf-8")
        # here, not in a function of its own: its caller would hold the text as read, a third copy
        for replacements in NORMALISATIONS:
            text = _normalised(text, *replacements)
        if "&" in text and CHARACTER_REFERENCE.search(text) is not None:
            text = _references_read(text)
    utf8 = None
    if kind is InputKind.HTML and isinstance(data, bytes) and encoding == "utf-8" and not warnings:
        utf8 = None if data.startswith(codecs.BOM_UTF8) else data
    return Decoded(text=text, kind=kind, encoding=encoding, warnings=warnings, utf8=utf8)


def _normalised_as_bytes(data: bytes, text: str, encoding: str, warnings: tuple[str, ...]) -> bool:
    """Whether a text read as UTF-8 (no byte-order mark, nothing replaced) is
    big enough, and needs normalising, to be normalised as bytes: as UTF-8,
    each of NORMALISATIONS' characters replaced in the bytes gives the text
    with it replaced in the str (no character's bytes start inside another's)."""
    if len(data) < BYTES_NORMALISED_MIN_BYTES or encoding != "utf-8" or warnings or data.startswith(codecs.BOM_UTF8):
        return False
    return CRLF in text or any(character in text for _, _, characters in NORMALISATIONS for character in characters)


def _normalised_bytes(data: bytes) -> bytes:
    """_normalised of every one of NORMALISATIONS, on UTF-8 bytes."""
    for pattern, replacement, characters in NORMALISATIONS:
        new = replacement.encode()
        if pattern is NEWLINES and CRLF.encode() in data:
            data = data.replace(CRLF.encode(), new)
        for character in characters:
            old = character.encode()
            if old in data:
                data = data.replace(old, new)
    return data


def _decode(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding, ()
            except UnicodeDecodeError as exc:
                raise InputError(f"input starts with a {encoding} byte-order mark but is not {encoding}") from exc
    head = data[:SNIFF_BYTES]
    if head.count(0) > len(head) // 4:
        utf16 = _guess_utf16(data)
        if utf16 is not None:
            return utf16
        raise InputError("input looks like binary data (many NUL bytes), not text or HTML")
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())
    if UTF8_MULTIBYTE.search(text) and stray <= MAX_STRAY_BYTES_RATIO * len(text):
        # real UTF-8 (it has valid multi-byte characters) with a few broken bytes
        return text, "utf-8", (f"{stray} invalid UTF-8 byte sequence(s) replaced with U+FFFD",)
    import logging

    from bs4.dammit import UnicodeDammit  # lazy: only non-UTF-8 input pays for bs4

    logging.getLogger("bs4.dammit").setLevel(logging.ERROR)  # we report decoding ourselves

    dammit = UnicodeDammit(data, ["utf-8", "windows-1252"], is_html=b"<" in head)
    if dammit.unicode_markup is None:
        raise InputError("input could not be decoded in any known text encoding")
    encoding = dammit.original_encoding or "unknown"
    return dammit.unicode_markup, encoding, (f"input is not valid UTF-8; decoded as {encoding}",)


def _guess_utf16(data: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    """UTF-16 without a BOM: ASCII-range text puts its NUL bytes all on one side."""
    head = data[: SNIFF_BYTES & ~1]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    encoding = "utf-16-be" if even > 3 * odd else "utf-16-le" if odd > 3 * even else None
    if encoding is None:
        return None
    try:
        return data.decode(encoding), encoding, (f"input had no byte-order mark; decoded as {encoding}",)
    except UnicodeDecodeError:
        return None


def _refuse_binary(text: str) -> None:
    head = text[:SNIFF_BYTES]
    if head and len(CONTROL_CHARS.findall(head)) > MAX_CONTROL_RATIO * len(head):
        raise InputError("input looks like binary data (control characters), not text or HTML")


def _normalised(text: str, pattern: re.Pattern[str], replacement: str, characters: str) -> str:
    """pattern.sub(replacement, text), by str.replace of each of the characters
    its matches start with that text holds (most hold none): the regex would
    hold a big text's pieces as well as its copy, and a scan for a character
    is much cheaper than a rewrite. Every match is one of the characters, but
    NEWLINES' "\r\n", replaced first."""
    if pattern is NEWLINES and CRLF in text:
        text = text.replace(CRLF, replacement)
    for character in characters:
        if character in text:
            text = text.replace(character, replacement)
    return text


def _references_read(text: str) -> str:
    """text with each of its CHARACTER_REFERENCEs replaced by the character it
    names (HTML's rules: "&#146;" is the windows-1252 quote it meant), a line
    break by a space, and normalised as the text around it was (NORMALISATIONS:
    "&nbsp;" is a space)."""
    from html import unescape  # its table of names is loaded only for a text that needs it

    def character(match: re.Match[str]) -> str:
        read = unescape(match.group())
        if len(read) == 1 and read in LINE_BREAK_CHARACTERS:
            return " "
        for replacements in NORMALISATIONS:  # only the reference's own characters: the rest is done
            read = _normalised(read, *replacements)
        return read

    return CHARACTER_REFERENCE.sub(character, text)


def _looks_like_html(text: str) -> bool:
    head = text[:SNIFF_BYTES]
    if HTML_START.match(head):
        return True
    if len({m.group(1).lower() for m in HTML_TAG.finditer(head)}) >= MIN_HTML_TAGS:
        return True
    opened: set[str] = set()
    closed: set[str] = set()
    for closing, name in HTML_ELEMENT.findall(head):
        (closed if closing else opened).add(name.lower())
    return len(opened & closed) >= MIN_HTML_ELEMENTS
