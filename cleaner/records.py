"""Record streams: one file holding many pages (JSONL, WARC, WET), read lazily.

Each record becomes a ``Record`` (its bytes, whether they are HTML or text, and
its URL, date and id when the stream says them). Nothing is loaded whole: JSONL
is read line by line, WARC and WET record by record with warcio, so memory stays
bounded by the largest single record, however large the file.

- ``.jsonl`` / ``.jsonl.gz``: one JSON object per line with an ``html`` or
  ``text`` field and optional ``url`` / ``id`` / ``date`` fields (names
  configurable).
- ``.warc`` / ``.warc.gz``: the HTML ``response`` records.
- ``.warc.wet`` / ``.warc.wet.gz`` / ``.wet.gz``: the plain-text ``conversion`` records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from .model import InputError

STREAM_SUFFIXES = (".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".warc.wet", ".warc.wet.gz", ".wet", ".wet.gz")
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


def is_stream(name: str) -> bool:
    return name.lower().endswith(STREAM_SUFFIXES)


def read_records(path: str, fields: RecordFields = RecordFields()) -> Iterator[Record]:
    """Records of a stream file, one at a time. Raises InputError on a broken stream."""
    lower = path.lower()
    if lower.endswith((".jsonl", ".jsonl.gz")):
        yield from _jsonl_records(path, fields)
    else:
        yield from _warc_records(path, wet=".wet" in lower)


def _jsonl_records(path: str, fields: RecordFields) -> Iterator[Record]:
    import gzip  # here: a single page never needs it

    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                yield Record(b"", "text", record_id=str(number), error=f"line {number} is not JSON ({exc})")
                continue
            if not isinstance(item, dict):
                yield Record(b"", "text", record_id=str(number), error=f"line {number} is not a JSON object")
                continue
            html, text = item.get(fields.html), item.get(fields.text)
            body, kind = (html, "html") if isinstance(html, str) else (text, "text")
            if not isinstance(body, str):
                error = f"line {number} has neither a '{fields.html}' nor a '{fields.text}' string"
                yield Record(b"", "text", record_id=str(number), error=error)
                continue
            yield Record(
                data=body.encode("utf-8"),
                input_format=kind,
                url=_str_or_none(item.get(fields.url)),
                date=_str_or_none(item.get(fields.date)),
                record_id=_str_or_none(item.get(fields.id)) or str(number),
            )


def _warc_records(path: str, wet: bool) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator  # lazy: only streams need warcio
    from warcio.exceptions import ArchiveLoadFailed

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
                yield Record(
                    data=record.content_stream().read(),
                    input_format="text" if wet else "html",
                    url=headers.get_header("WARC-Target-URI"),
                    date=headers.get_header("WARC-Date"),
                    record_id=headers.get_header("WARC-Record-ID"),
                )
        except ArchiveLoadFailed as exc:
            raise InputError(f"not a valid WARC file ({exc})") from None


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)
