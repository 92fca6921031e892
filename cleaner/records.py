"""Record streams: one file holding many pages (JSONL, WARC, WET), read lazily.

Each record becomes a ``Record`` (its bytes, whether they are HTML or text, and
its URL, date and id when the stream says them). Nothing is loaded whole: JSONL
is read line by line, WARC and WET record by record with warcio, so memory stays
bounded by the largest single record, however large the file. A record larger
than ``max_record_bytes`` (CleanerConfig) is not held: it becomes an error
record and the stream goes on (a JSONL line is skipped to its end, a WARC
record's rest is read past, unpacked and dropped piece by piece).

- ``.jsonl`` / ``.jsonl.gz``: one JSON object per line with an ``html`` or
  ``text`` field and optional ``url`` / ``id`` / ``date`` fields (names
  configurable).
- ``.warc`` / ``.warc.gz``: the HTML ``response`` records.
- ``.warc.wet`` / ``.warc.wet.gz`` / ``.wet.gz``: the plain-text ``conversion`` records.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import IO
from dataclasses import dataclass

from .config import CleanerConfig
from .limits import option_name, size_text
from .model import InputError
from .read import is_stream as is_stream  # re-exported: it lives in read, which the CLI loads anyway

# An oversized JSONL line is skipped in reads of this many bytes.
SKIP_CHUNK_BYTES = 1 << 20
# Response records whose Content-Type says one of these hold a page.
HTML_CONTENT_TYPES = ("text/html", "application/xhtml")


@dataclass(frozen=True)
class RecordFields:
    """Names of the JSONL fields that hold the page and its identity."""

    html: str = "html"
    text: str = "text"
    url: str = "url"
    id: str = "id"
    date: str = "date"


@dataclass(frozen=True)
class Record:
    """One page of a record stream: its bytes, how to read them, and what the record says of it."""

    data: bytes
    input_format: str  # "html" or "text"
    url: str | None = None
    date: str | None = None
    record_id: str | None = None
    error: str | None = None  # a broken record: reported, and the stream goes on


def parse_fields(spec: str) -> RecordFields:
    """"html=content,url=link" -> RecordFields(html="content", url="link")."""
    from dataclasses import fields as dataclass_fields, replace

    known = {f.name for f in dataclass_fields(RecordFields)}
    values = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, _, name = item.partition("=")
        if key not in known or not name:
            raise InputError(f"bad field mapping {item!r}: use KEY=NAME with KEY one of {', '.join(sorted(known))}")
        values[key] = name
    return replace(RecordFields(), **values)


def read_records(
    path: str, fields: RecordFields = RecordFields(), max_record_bytes: int = CleanerConfig.max_record_bytes
) -> Iterator[Record]:
    """Records of a stream file, one at a time, none held past max_record_bytes.
    Raises InputError on a broken stream."""
    lower = path.lower()
    if lower.endswith((".jsonl", ".jsonl.gz")):
        yield from _jsonl_records(path, fields, max_record_bytes)
    else:
        yield from _warc_records(path, ".wet" in lower, max_record_bytes)


def _too_big(max_record_bytes: int) -> str:
    return (f"record over the limit of {size_text(max_record_bytes)} "
            f"(raise it with {option_name('max_record_bytes')})")


def _bounded_lines(handle: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """The lines of handle, each read only up to max_bytes (+1): None for a longer
    line, whose rest is read past in chunks."""
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        while True:
            rest = handle.readline(SKIP_CHUNK_BYTES)
            if not rest or rest.endswith(b"\n"):
                break
        yield None


def _jsonl_records(path: str, fields: RecordFields, max_record_bytes: int) -> Iterator[Record]:
    import gzip  # here: a single page never needs it

    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        try:
            for number, line in enumerate(_bounded_lines(handle, max_record_bytes), start=1):  # type: ignore[arg-type]
                if line is None:
                    error = f"line {number}: {_too_big(max_record_bytes)}"
                    yield Record(b"", "text", record_id=str(number), error=error)
                elif line.strip():
                    yield _jsonl_record(number, line, fields)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise InputError(f"not a valid gzip file ({_one_line(exc)})") from None


def _jsonl_record(number: int, line: bytes, fields: RecordFields) -> Record:
    try:
        item = json.loads(line)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        return Record(b"", "text", record_id=str(number), error=f"line {number} is not JSON ({_one_line(exc)})")
    if not isinstance(item, dict):
        return Record(b"", "text", record_id=str(number), error=f"line {number} is not a JSON object")
    html, text = item.get(fields.html), item.get(fields.text)
    body, kind = (html, "html") if isinstance(html, str) else (text, "text")
    if not isinstance(body, str):
        error = f"line {number} has neither a '{fields.html}' nor a '{fields.text}' string"
        return Record(b"", "text", record_id=str(number), error=error)
    return Record(
        data=body.encode("utf-8", "replace"),  # "replace": a lone surrogate escaped in the JSON ("\\ud800")
        input_format=kind,
        url=_str_or_none(item.get(fields.url)),
        date=_str_or_none(item.get(fields.date)),
        record_id=_str_or_none(item.get(fields.id)) or str(number),
    )


def _warc_records(path: str, wet: bool, max_record_bytes: int) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator  # lazy: only streams need warcio

    wanted = "conversion" if wet else "response"
    with open(path, "rb") as handle:
        try:
            for record in ArchiveIterator(handle):
                if record.rec_type != wanted:
                    continue
                if not wet:
                    content_type = (record.http_headers.get_header("Content-Type") or "").lower() if record.http_headers else ""
                    if not content_type.startswith(HTML_CONTENT_TYPES):
                        continue
                headers = record.rec_headers
                data = record.content_stream().read(max_record_bytes + 1)
                too_big = len(data) > max_record_bytes
                yield Record(
                    data=b"" if too_big else data,
                    input_format="text" if wet else "html",
                    url=headers.get_header("WARC-Target-URI"),
                    date=headers.get_header("WARC-Date"),
                    record_id=headers.get_header("WARC-Record-ID"),
                    error=_too_big(max_record_bytes) if too_big else None,
                )
                del data
        except MemoryError:
            raise
        except Exception as exc:  # warcio meets broken input with any exception (AttributeError too)
            raise InputError(f"not a valid WARC file ({_one_line(exc)})") from None


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (warcio's quote the lines they choke on)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)
