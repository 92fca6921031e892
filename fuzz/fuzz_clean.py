"""Fuzz targets (atheris / libFuzzer) for the decoding and HTML paths of clean(),
and for record streams.

Two targets over the same invariants (below):

- ``decode``: the bytes as a file would hold them: detect encoding and kind, clean;
- ``html``: the bytes forced through the HTML path (``input_format="html"``).

On any input, cleaning either returns a document or raises cleaner's own
``CleanerError`` with a one-line message; the document passes the accounting
check (every block in exactly one place, and for text nothing that is not a
piece of the normalised input); cleaning again gives the same output; and when
its Markdown shows cleaner's layout (and the input is text), cleaning that
Markdown gives the same articles. Anything
else is a crash that libFuzzer saves as ``crash-<sha1>``.

A third target, ``records``: the first byte picks the stream format (JSONL,
JSONL.gz, WARC, WARC.gz, WET), the rest is the file; it is read record by record
and each record cleaned as ``cleaner clean`` does, with small limits; reading
yields records or raises a one-line ``InputError``, and every output line is a
JSON object (``record_checks.py``, which tests/test_fuzz_regressions.py replays
without atheris). Each target runs 10 minutes (one core):

    python3 -m pip install -e ".[fuzz]"
    python3 fuzz/fuzz_clean.py --target decode --seed-corpus fuzz/corpus-decode \\
        -max_total_time=600 -workers=1 -max_len=3000 -timeout=20 fuzz/corpus-decode
    python3 fuzz/fuzz_clean.py --target html --seed-corpus fuzz/corpus-html \\
        -max_total_time=600 -workers=1 -max_len=3000 -timeout=20 fuzz/corpus-html
    python3 fuzz/fuzz_clean.py --target records --seed-corpus fuzz/corpus-records \\
        -max_total_time=600 -workers=1 -max_len=16384 -timeout=20 fuzz/corpus-records

``--seed-corpus DIR`` fills DIR (when it is empty) with the first few KB of the
fixtures and of a few dev pages (records: small streams of each kind). A crash replays with
``python3 fuzz/fuzz_clean.py --target … crash-<sha1>``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["cleaner"]):
    from cleaner import CleanerError, clean
    from record_checks import check_records
    from cleaner.check import check_document
    from cleaner.model import Document, InputKind
    from cleaner.read import read_input
    from cleaner.render import article_dict, has_layout_marks, render_json, render_markdown

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"
# Seeds are cut to this many bytes: small inputs keep executions fast, and
# libFuzzer grows them where coverage rewards it.
SEED_BYTES = 6000
# How many dev pages of each kind join the fixtures as seeds.
DEV_SEEDS = 12
INPUT_FORMATS = {"decode": "auto", "html": "html", "records": "auto"}


def check_one(data: bytes, input_format: str) -> None:
    """The invariants every input must satisfy; AssertionError when one breaks."""
    try:
        document = clean(data, input_format=input_format)
    except CleanerError as exc:
        message = str(exc)
        assert message and "\n" not in message, f"unclear error: {message!r}"
        return
    problems = check_document(document, data, input_format)
    assert not problems, problems[:3]
    again = clean(data, input_format=input_format)
    assert render_json([document], explain=True) == render_json([again], explain=True), "not deterministic"
    markdown = render_markdown([document], captions=True)
    assert markdown == render_markdown([again], captions=True), "not deterministic"
    # HTML paragraphs are written with their Markdown marks ("## ", "- "), which
    # a text dump's paragraphs may hold as text: only text reads back exactly
    if has_layout_marks(document) and read_input(data, input_format=input_format).kind is InputKind.TEXT:
        assert _articles(clean(markdown)) == _articles(document), "Markdown not read back as the same articles"


def _record_seeds() -> list[bytes]:
    """A few small streams of each kind, with the format byte in front."""
    page = (ROOT / "fixtures").glob("*/input.html")
    html = next(iter(sorted(page))).read_bytes()[:1500].decode("utf-8", "replace")
    text = "Bridge approved\n\nThe council voted on Monday to approve the bridge, after a long debate.\n"
    jsonl = "\n".join([json.dumps({"url": "https://a.test/1", "html": html, "id": 1}), "not json",
                       json.dumps({"text": text, "date": "2024-12-03"}), json.dumps([1, 2])]).encode() + b"\n"
    seeds = [bytes([0]) + jsonl, bytes([1]) + gzip.compress(jsonl)]
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    for number, compress in ((2, False), (3, True)):
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=compress)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://a.test/", "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=http))
        seeds.append(bytes([number]) + out.getvalue())
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    writer.write_record(writer.create_warc_record("https://a.test/", "conversion", payload=io.BytesIO(text.encode()),
                                                  warc_content_type="text/plain"))
    return seeds + [bytes([4]) + out.getvalue()]


def _articles(document: Document) -> list[dict[str, object]]:
    return [article_dict(a) for a in document.articles]


def _seeds() -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted((ROOT / "fixtures").glob("*/input.*"))]
    seeds += [p.read_bytes() for p in sorted((ROOT / "fixtures").glob("*/expected.md"))]  # cleaner's own layout
    if DEV.exists():
        seeds += [p.read_bytes() for p in sorted((DEV / "text").glob("*.txt"))[:DEV_SEEDS]]
        seeds += [p.read_bytes() for p in sorted((DEV / "multi").glob("*.txt"))[:DEV_SEEDS // 2]]
        seeds += [gzip.decompress(p.read_bytes()) for p in sorted((DEV / "html").glob("*.html.gz"))[:DEV_SEEDS]]
    text = "Ünïcödé line — “quoted”, 2024-12-03 22:15\nBRUSSELS (AP) — A dateline.\n"
    seeds += [text.encode(encoding) for encoding in ("utf-16", "utf-16-le", "utf-8-sig", "cp1252", "utf-32")]
    return [seed[:SEED_BYTES] for seed in seeds]


def write_seeds(folder: Path, target: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        return
    for seed in _record_seeds() if target == "records" else _seeds():
        (folder / hashlib.sha1(seed).hexdigest()).write_bytes(seed)


def main() -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--target", choices=sorted(INPUT_FORMATS), default="decode")
    parser.add_argument("--seed-corpus", type=Path)
    options, libfuzzer_args = parser.parse_known_args()
    if options.seed_corpus:
        write_seeds(options.seed_corpus, options.target)
    input_format = INPUT_FORMATS[options.target]
    if options.target == "records":
        atheris.Setup([sys.argv[0], *libfuzzer_args], check_records)
    else:
        atheris.Setup([sys.argv[0], *libfuzzer_args], lambda data: check_one(data, input_format))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
