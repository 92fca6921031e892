"""The invariants of the ``records`` fuzz target (fuzz_clean.py), without atheris,
so that tests/test_fuzz_regressions.py replays its findings.

The first byte of an input picks the stream format (JSONL, JSONL.gz, WARC,
WARC.gz, WET), the rest is the file. It is read record by record and each record
cleaned as ``cleaner clean`` does, with small limits so that the over-the-limit
paths are taken too. Reading either yields records or raises ``InputError``
with a one-line message; each record's error is one line; every output line is
a JSON object.
"""

from __future__ import annotations

import json
import os
import tempfile

from cleaner import CleanerConfig, InputError
from cleaner.batch import BatchOptions, clean_record
from cleaner.records import read_records

# The first byte of an input picks the stream's file name suffix.
STREAM_SUFFIXES = (".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".warc.wet")
# Limits small enough for a fuzzed input to pass them.
RECORD_CONFIG = CleanerConfig(max_record_bytes=2048, max_page_bytes=2048, max_page_lines=40, max_line_chars=200)
# Stream files are written here (memory, where there is a /dev/shm).
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()


def check_records(data: bytes) -> None:
    """The invariants of reading and cleaning a record stream."""
    if not data:
        return
    suffix = STREAM_SUFFIXES[data[0] % len(STREAM_SUFFIXES)]
    handle, path = tempfile.mkstemp(suffix=suffix, dir=SCRATCH)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data[1:])
        options = BatchOptions(output_format="jsonl")
        try:
            for record in read_records(path, options.fields, RECORD_CONFIG.max_record_bytes):
                assert record.error is None or (record.error and "\n" not in record.error), record.error
                lines, error = clean_record(record, "fuzz", options, RECORD_CONFIG)
                assert error is None or (error and "\n" not in error), f"unclear error: {error!r}"
                for line in lines:
                    assert line.endswith(b"\n") and isinstance(json.loads(line), dict)
        except InputError as exc:
            message = str(exc)
            assert message and "\n" not in message, f"unclear error: {message!r}"
    finally:
        os.unlink(path)
