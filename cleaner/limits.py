"""Limits on one page: bounded reading (gunzip included), size, line count, line length.

Scraped pages are untrusted input, and one page must not take the machine: a
594 KB ``.txt.gz`` can unpack to 200 MB and 4 million lines, which the later
stages would hold at about 1.5 KB a line. Files are read, and ``.gz`` files
unpacked, only up to ``CleanerConfig.max_page_bytes`` (plus one byte, to know
that there was more): a gzip bomb costs what the limit allows and no more. A
page over a limit is refused with a ``LimitError`` that names the limit and
the option that raises it; a line longer than ``max_line_chars`` is cut to
that length, with a warning (the rest of the page is worth cleaning).
"""

from __future__ import annotations

import os
import re
import zlib
from typing import Protocol

from .config import CleanerConfig
from .model import Block, InputError

# A non-blank line of normalised text (counted before any block is made).
NON_BLANK_LINE = re.compile(r"^[^\S\n]*\S", re.MULTILINE)


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class LimitError(InputError):
    """An input is over one of CleanerConfig's limits (max_page_bytes, ...)."""


def size_text(count: int) -> str:
    """16777216 -> '16 MiB'; 5000 -> '5,000 bytes'."""
    return f"{count / 2**20:g} MiB" if count >= 2**20 else f"{count:,} bytes"


def option_name(field: str) -> str:
    """The command-line option of a CleanerConfig field: max_page_bytes -> --max-page-bytes."""
    return "--" + field.replace("_", "-")


def over_limit(what: str, limit: str, field: str) -> LimitError:
    return LimitError(f"{what} over the limit of {limit} (raise it with {option_name(field)})")


def read_page_file(path: str, max_bytes: int) -> bytes:
    """A page file's bytes, gunzipped when its name ends in .gz. At most
    max_bytes are read or unpacked: LimitError past them, InputError for a
    broken .gz, OSError when the file cannot be read."""
    with open(path, "rb") as handle:
        if not path.lower().endswith(".gz"):
            if os.fstat(handle.fileno()).st_size > max_bytes:
                raise over_limit("page is", size_text(max_bytes), "max_page_bytes")
            return read_bounded(handle, max_bytes, "page is")
        import gzip

        try:
            return read_bounded(gzip.GzipFile(fileobj=handle, mode="rb"), max_bytes, "page unpacks to")
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise InputError(f"not a valid gzip file ({exc})") from None


def unpack_page(path: str, data: bytes, max_bytes: int) -> bytes:
    """read_page_file's result from the bytes stored at path, already read
    (a batch's pass 1 hashes and parses the same bytes)."""
    if not path.lower().endswith(".gz"):
        if len(data) > max_bytes:
            raise over_limit("page is", size_text(max_bytes), "max_page_bytes")
        return data
    import gzip
    import io

    try:
        return read_bounded(gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb"), max_bytes, "page unpacks to")
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise InputError(f"not a valid gzip file ({exc})") from None


def read_bounded(handle: Readable, max_bytes: int, what: str = "page is") -> bytes:
    """At most max_bytes of handle; LimitError when there is more (nothing more is read)."""
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise over_limit(what, size_text(max_bytes), "max_page_bytes")
    return data


def check_page_size(data: bytes | str, config: CleanerConfig) -> None:
    """A page given whole (bytes, or str in characters) must be within max_page_bytes."""
    if len(data) > config.max_page_bytes:
        raise over_limit("page is", size_text(config.max_page_bytes), "max_page_bytes")


def check_line_count(text: str, config: CleanerConfig) -> None:
    """Normalised text: at most max_page_lines non-blank lines (counted without
    making them blocks: a page of 10 million lines is refused in a second)."""
    limit = config.max_page_lines
    if text.count("\n") < limit:
        return
    for count, _ in enumerate(NON_BLANK_LINE.finditer(text), start=1):
        if count > limit:
            raise over_limit("page has", f"{limit:,} lines", "max_page_lines")


def limit_blocks(blocks: list[Block], config: CleanerConfig) -> tuple[str, ...]:
    """Refuse a page of more than max_page_lines blocks; cut blocks longer than
    max_line_chars (in place). The warning, if any were cut."""
    if len(blocks) > config.max_page_lines:
        raise over_limit("page has", f"{config.max_page_lines:,} blocks", "max_page_lines")
    limit, cut = config.max_line_chars, 0
    for block in blocks:
        if len(block.text) > limit:
            block.text = block.text[:limit].rstrip()
            block.markup, block.markdown, block.markdown_links = None, "", ""  # its Markdown is its cut text
            cut += 1
    if not cut:
        return ()
    return (f"{cut} line(s) longer than {limit:,} characters cut to that length "
            f"(raise it with {option_name('max_line_chars')})",)
