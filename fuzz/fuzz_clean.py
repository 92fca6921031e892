"""Fuzz target (atheris / libFuzzer) for the decoding and HTML paths of clean().

Two targets over the same invariants:

- ``decode``: the bytes as a file would hold them: detect encoding and kind, clean;
- ``html``: the bytes forced through the HTML path (``input_format="html"``).

On any input, cleaning either returns a document or raises cleaner's own
``CleanerError`` with a one-line message; the document passes the accounting
check (every block in exactly one place, and for text nothing that is not a
piece of the normalised input); cleaning again gives the same output; and when
its Markdown shows cleaner's layout (and the input is text), cleaning that
Markdown gives the same articles. Anything
else is a crash that libFuzzer saves as ``crash-<sha1>``.

    python3 -m pip install -e ".[fuzz]"
    python3 fuzz/fuzz_clean.py --target decode --seed-corpus fuzz/corpus-decode \\
        -max_total_time=300 -workers=1 -max_len=16384 -timeout=20 fuzz/corpus-decode
    python3 fuzz/fuzz_clean.py --target html --seed-corpus fuzz/corpus-html \\
        -max_total_time=300 -workers=1 -max_len=16384 -timeout=20 fuzz/corpus-html

``--seed-corpus DIR`` fills DIR (when it is empty) with the first few KB of the
fixtures and of a few dev pages. A crash replays with
``python3 fuzz/fuzz_clean.py --target … crash-<sha1>``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["cleaner"]):
    from cleaner import CleanerError, clean
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
INPUT_FORMATS = {"decode": "auto", "html": "html"}


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


def write_seeds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        return
    for seed in _seeds():
        (folder / hashlib.sha1(seed).hexdigest()).write_bytes(seed)


def main() -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--target", choices=sorted(INPUT_FORMATS), default="decode")
    parser.add_argument("--seed-corpus", type=Path)
    options, libfuzzer_args = parser.parse_known_args()
    if options.seed_corpus:
        write_seeds(options.seed_corpus)
    input_format = INPUT_FORMATS[options.target]
    atheris.Setup([sys.argv[0], *libfuzzer_args], lambda data: check_one(data, input_format))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
