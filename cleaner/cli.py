"""Command line: click declarations, config, I/O and exit codes only.

stdout carries only the result; every message goes to stderr as one line.
Exit codes: 0 success (also when a page has no article), 1 an input could not
be read or cleaned, 2 usage error.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from . import __version__
from .config import CleanerConfig
from .model import CleanerError, Document, InputError, Role
from .pipeline import clean

FORMATS = ("markdown", "json", "jsonl", "text")
INPUT_FORMATS = ("auto", "text", "html")
EXIT_INPUT_ERROR = 1
EXIT_USAGE = 2
USAGE_HINT = (
    "no input: pipe a page in (cat page.txt | cleaner clean) or name files (cleaner clean page.txt); "
    "see cleaner clean --help"
)
# `cleaner explain` pads its marks to this width so the texts line up.
EXPLAIN_MARK_WIDTH = 46
# Marks of `cleaner explain`, and their colour on a terminal.
ROLE_COLOURS = {
    Role.BODY: "green",
    Role.TITLE: "cyan",
    Role.META: "cyan",
    Role.CAPTION: "blue",
    Role.DUPLICATE: "yellow",
    Role.BOILERPLATE: "red",
}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Clean scraped page dumps (text or HTML) into articles."""


@main.command("clean")
@click.argument("inputs", nargs=-1)
@click.option("-f", "--format", "output_format", type=click.Choice(FORMATS), default="markdown",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write here (whole or not at all) instead of stdout.")
@click.option("--captions", is_flag=True, help="List photo captions in Markdown and text output.")
@click.option("--links", is_flag=True, help="Markdown of HTML input: keep links as [text](url).")
@click.option("--explain", is_flag=True, help="JSON/JSONL: add every dropped line with its reason.")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True,
              help="How to read the inputs.")
def clean_command(
    inputs: tuple[str, ...], output_format: str, output: str | None, captions: bool, links: bool,
    explain: bool, input_format: str,
) -> None:
    """Clean INPUT files (or stdin, as - or when none are given) into articles."""
    names = _input_names(inputs)
    config = CleanerConfig()
    documents, failed = [], 0
    for name in names:
        try:
            document = clean(_read_bytes(name), source=name, config=config, input_format=input_format)
        except CleanerError as exc:
            _message(f"error: {exc}")
            failed += 1
            continue
        for warning in document.warnings:
            _message(f"warning: {name}: {warning}")
        if not document.articles:
            _message(f"{name}: no article found")
        documents.append(document)
    if documents:
        rendered = _render(documents, output_format, captions, links, explain, single=len(names) == 1)
        _write(rendered, output)
    if failed:
        sys.exit(EXIT_INPUT_ERROR)


@main.command("explain")
@click.argument("input_name", metavar="INPUT", default="-")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True)
def explain_command(input_name: str, input_format: str) -> None:
    """Print every line of INPUT with what happened to it."""
    names = _input_names((input_name,) if input_name != "-" else ())
    try:
        document = clean(_read_bytes(names[0]), source=names[0], input_format=input_format)
    except CleanerError as exc:
        _fail(str(exc), EXIT_INPUT_ERROR)
    lines = []
    for block in document.blocks:
        mark = _mark(block, document)
        lines.append(f"{block.line:>6} " + click.style(f"{mark:<{EXPLAIN_MARK_WIDTH}}", fg=ROLE_COLOURS[block.role]) + f" {block.text}")
    _write("\n".join(lines) + ("\n" if lines else ""), None)


def _mark(block, document: Document) -> str:  # type: ignore[no-untyped-def]
    if block.role is Role.DUPLICATE and block.duplicate_of is not None:
        original = document.blocks[block.duplicate_of]
        return f"duplicate of {original.line} ({block.duplicate_score:.0f})"
    if block.role is Role.BODY:
        return "kept"
    return block.reason or block.role.value


def _input_names(inputs: tuple[str, ...]) -> list[str]:
    if not inputs:
        if sys.stdin is None or sys.stdin.isatty():
            _fail(USAGE_HINT, EXIT_USAGE)
        return ["-"]
    return list(inputs)


def _read_bytes(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        if os.path.isdir(name):
            raise InputError(f"{name}: is a directory; give the files in it")
        with open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if name.endswith(".gz"):
        import gzip

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{name}: not a valid gzip file ({exc})") from None
    return data


def _render(
    documents: list[Document], output_format: str, captions: bool, links: bool, explain: bool, single: bool
) -> str:
    from . import render  # the renderers load only when there is something to render

    if output_format == "json":
        return render.render_json(documents, explain=explain, single=single)
    if output_format == "jsonl":
        return render.render_jsonl(documents, explain=explain)
    if output_format == "text":
        return render.render_text(documents, captions=captions)
    return render.render_markdown(documents, captions=captions, links=links)


def _write(text: str, output: str | None) -> None:
    if output is None:
        try:
            click.echo(text, nl=False)
            sys.stdout.flush()
        except BrokenPipeError:  # `cleaner clean big.txt | head`: the reader has enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    try:
        write_atomic(output, text.encode("utf-8"))
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_INPUT_ERROR)


def write_atomic(target: str, data: bytes) -> None:
    """Write to a temporary file beside target, then rename it into place."""
    import tempfile

    folder, name = os.path.split(os.path.abspath(target))
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise


def _message(text: str) -> None:
    click.echo(f"cleaner: {text}", err=True)


def _fail(text: str, code: int) -> NoReturn:
    _message(f"error: {text}")
    sys.exit(code)
