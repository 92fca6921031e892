"""Command line: click declarations, config, I/O and exit codes only.

stdout carries only the result; every message goes to stderr as one line.
Exit codes: 0 success (also when a page has no article), 1 an input could not
be read or cleaned (also: over a limit), 2 usage error (also: --engine dask
without dask installed), 3 another run holds the lock, 4 DEST cannot be
written, 5 the engine failed (no Dask scheduler answered within
--connect-timeout, or the cluster was lost), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from . import __version__
from .atomic import AtomicFile, write_atomic
from .config import DASK_CONNECT_SECONDS, PAGE_SECONDS, CleanerConfig
from .model import Block, CleanerError, Document, InputError, Role
from .pipeline import clean

if TYPE_CHECKING:
    from .batch.run import BatchResult

T = TypeVar("T")
FORMATS = ("markdown", "json", "jsonl", "text")
INPUT_FORMATS = ("auto", "text", "html")
EXIT_INPUT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3  # cleaner batch: another run holds DEST's lock
EXIT_DESTINATION = 4  # cleaner batch: DEST cannot be written (read-only, disk full)
EXIT_ENGINE = 5  # cleaner batch/learn: no Dask scheduler answered, or the cluster was lost
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as a shell reports it)
# An interrupted run waits this long at most for the threads it leaves to end (see _exit_interrupted).
EXIT_THREADS_SECONDS = 5.0
# The limits on one input (CleanerConfig fields), each an option of clean, batch and learn.
LIMITS = {
    "max_page_bytes": "Refuse a page larger than this, in bytes after gunzip (a .gz is unpacked no further).",
    "max_record_bytes": "Refuse a stream record (JSONL line, WARC/WET record) larger than this, in bytes.",
    "max_page_lines": "Refuse a page of more non-blank lines (text) or blocks (HTML) than this.",
    "max_line_chars": "Cut a longer line (or HTML block) to this many characters, with a warning.",
}
ENGINES = ("local", "dask")
# Set to print the main process's own CPU seconds after a batch (how much the
# workers leave to it: planning, merging, the manifest), and what each pass read.
DEBUG_CPU_VARIABLE = "CLEANER_DEBUG_CPU"
USAGE_HINT = (
    "no input: pipe a page in (cat page.txt | cleaner clean) or name files (cleaner clean page.txt); "
    "see cleaner clean --help"
)
FIELDS_HELP = (
    "JSONL field names, as KEY=NAME pairs: html, text, url, id, date "
    "[default: html=html,text=text,url=url,id=id,date=date]."
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


def _examples(*commands: str) -> str:
    """A help text's closing examples (click keeps a paragraph after \\b as written);
    tests/test_docs.py runs every one of them."""
    return "\b\nExamples:\n" + "\n".join(f"  {command}" for command in commands)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=_examples(
    "cleaner clean page.txt                  # the articles of a page, as Markdown",
    "cleaner batch data/raw data/clean       # a folder, incrementally (cron)",
    "cleaner explain page.txt | less -R      # what happened to every line",
))
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Clean scraped page dumps (text or HTML) into articles."""
    # What start-up made (modules, classes, click's commands) lives until the
    # process exits: the cycle collector need not walk it again, in the run or
    # in the three full collections of the interpreter's exit (a one-page
    # clean: 23 M of its 333 M instructions). What the run makes is collected
    # as usual, and a batch's forked workers do not walk it either.
    gc.freeze()


def _limit_options(command: Callable[..., None]) -> Callable[..., None]:
    """--max-page-bytes and the other limits (CleanerConfig fields), shared by clean, batch and learn."""
    defaults = CleanerConfig()
    for name, text in reversed(LIMITS.items()):
        command = click.option(
            "--" + name.replace("_", "-"), name, type=click.IntRange(min=1), default=getattr(defaults, name),
            show_default=True, help=text,
        )(command)
    return command


def _dedupe_options(index_help: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """--drop-duplicate-articles, --no-dedupe and --dedupe-index, shared by clean (streams) and batch."""
    def add(command: Callable[..., None]) -> Callable[..., None]:
        for option in reversed([
            click.option("--drop-duplicate-articles", "drop_duplicates", is_flag=True,
                         help="Leave out an article that repeats an earlier one (instead of naming it in "
                         "duplicate_of)."),
            click.option("--no-dedupe", "no_dedupe", is_flag=True,
                         help="Do not look for articles that repeat earlier ones (no fingerprints, no index)."),
            click.option("--dedupe-index", "dedupe_index", type=click.Path(dir_okay=False), metavar="PATH",
                         help=f"Check the articles against this index of earlier ones and add them to it: {index_help}."),
        ]):
            command = option(command)
        return command

    return add


def _duplicates_mode(drop: bool, off: bool, index: str | None) -> str:
    """BatchOptions.duplicates from the options."""
    if off and (drop or index):
        _fail("--no-dedupe excludes --drop-duplicate-articles and --dedupe-index", EXIT_USAGE)
    if index and os.path.isdir(index):
        _fail(f"{index}: is a folder; give the index file's path", EXIT_USAGE)
    return "off" if off else "drop" if drop else "mark"


@main.command("clean", epilog=_examples(
    "cleaner clean page.txt -o page.md",
    "curl -s https://example.org/a | cleaner clean -f json | jq -r '.articles[0].title'",
    "cleaner clean pages.jsonl > articles.jsonl        # one article a line, with its url",
))
@click.argument("inputs", nargs=-1)
@click.option("-f", "--format", "output_format", type=click.Choice(FORMATS), default="markdown",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write here (whole or not at all) instead of stdout.")
@click.option("--captions", is_flag=True, help="List photo captions in Markdown and text output.")
@click.option("--links", is_flag=True, help="Markdown of HTML input: keep links as [text](url).")
@click.option("--explain", is_flag=True, help="JSON/JSONL: add every dropped line with its reason.")
@click.option("--comments", is_flag=True,
              help="HTML: keep comment sections and nested <article>s (dropped by default).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True,
              help="How to read the inputs.")
@click.option("--site-model", "site_model_path", type=click.Path(dir_okay=False),
              help="Drop the boilerplate learned by cleaner batch or learn (DEST/.cleaner-site-model.bin).")
@click.option("--site", help="With --site-model: the site of the inputs [default: a record's host, "
              "else the input's folder name].")
@click.option("--fields", "fields_spec", default="", help=FIELDS_HELP)
@click.option("--check", is_flag=True, help="Verify that every input line is accounted for exactly once "
              "(kept, title, metadata, caption or dropped with a reason); exit 1 if not.")
@_dedupe_options("record streams only [default: none; the streams given are checked against each other]")
@_limit_options
def clean_command(
    inputs: tuple[str, ...], output_format: str, output: str | None, captions: bool, links: bool,
    explain: bool, comments: bool, input_format: str, site_model_path: str | None, site: str | None,
    fields_spec: str, check: bool, drop_duplicates: bool, no_dedupe: bool, dedupe_index: str | None,
    **limits: int,
) -> None:
    """Clean INPUT files (or stdin, as - or when none are given) into articles.

    Record streams (.jsonl, .warc[.gz], .warc.wet[.gz]) are cleaned record by
    record into JSONL, one article a line with its record's url, date and id;
    an article that repeats an earlier record's gets "duplicate_of".
    """
    names = _input_names(inputs)
    config = _config(limits, keep_comments=comments)
    from .read import is_stream

    site_model = None
    if site_model_path:
        from .sitemodel import load_model

        try:
            site_model = load_model(site_model_path)
        except CleanerError as exc:
            _fail(str(exc), EXIT_USAGE)
    streams = [name for name in names if name != "-" and is_stream(name)]
    if streams:
        if len(streams) != len(names):
            _fail("record streams (.jsonl, .warc, .wet) cannot be mixed with single pages", EXIT_USAGE)
        duplicates = _duplicates_mode(drop_duplicates, no_dedupe, dedupe_index)
        _clean_streams(streams, output, input_format, config, site_model, site, _fields(fields_spec), duplicates,
                       dedupe_index)
        return
    if drop_duplicates or dedupe_index:
        _fail("--drop-duplicate-articles and --dedupe-index are for record streams "
              "(.jsonl, .warc, .wet); for folders of pages use cleaner batch", EXIT_USAGE)
    documents, failed = [], 0
    for name in names:
        boilerplate: frozenset[int] = frozenset()
        if site_model is not None:
            from .sitemodel import site_of

            boilerplate = site_model.boilerplate(site or site_of(None, name), config)
        try:
            # the bytes are held here only for --check: clean() lets go of them once
            # decoded (a big dump's: 48 MiB of a 50 MB one), and lists the dropped
            # lines only for an output or a check that reads them
            data = _read_bytes(name, config.max_page_bytes) if check else None
            document = clean(
                _read_bytes(name, config.max_page_bytes) if data is None else data, source=name, config=config,
                input_format=input_format, site_boilerplate=boilerplate, dropped=explain or check,
            )
        except CleanerError as exc:
            text = str(exc)
            _message(f"error: {text}" if text.startswith(f"{name}: ") else f"error: {name}: {text}")
            failed += 1
            continue
        except MemoryError:
            _message(f"error: {name}: out of memory while cleaning it (lower the limits, e.g. --max-page-bytes)")
            failed += 1
            continue
        if data is not None:  # --check
            from .check import check_document

            problems = check_document(document, data, input_format)
            for problem in problems:
                _message(f"check: {name}: {problem}")
            failed += bool(problems)
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


def _clean_streams(
    names: list[str], output: str | None, input_format: str, config: CleanerConfig,
    site_model: object, site: str | None, fields: object, duplicates: str, index: str | None,
) -> None:
    """Record streams to JSONL lines, written as they come (memory stays flat)."""
    from contextlib import ExitStack, nullcontext

    from . import batch
    from .batch.duplicates import RecordChecks
    from .sitemodel import SiteModel, site_of

    options = batch.BatchOptions(output_format="jsonl", input_format=input_format, fields=fields,  # type: ignore[arg-type]
                                 duplicates=duplicates)
    failed = 0
    checking = RecordChecks(index, options, config) if duplicates != "off" else nullcontext(None)
    with ExitStack() as stack:
        checks = _engine_errors(lambda: stack.enter_context(checking))  # a locked or unreadable index: its exit code
        out: AtomicFile | _Stdout = AtomicFile(output) if output else _Stdout()
        stack.enter_context(out)  # both return themselves
        for name in names:
            if checks is not None:
                checks.start(name)
            try:
                for record in batch.read_records(name, options.fields, config.max_record_bytes):
                    boilerplate: frozenset[int] = frozenset()
                    if isinstance(site_model, SiteModel):
                        boilerplate = site_model.boilerplate(site or site_of(record.url, name), config)
                    lines, error, articles = batch.clean_record_articles(record, name, options, config, boilerplate)
                    if checks is not None:
                        lines = checks.lines(record.url, lines, articles)
                    for line in lines:
                        out.write(line)
                    if error is not None:
                        _message(f"error: {name}: record {record.record_id}: {error}")
                        failed += 1
            except CleanerError as exc:
                _message(f"error: {name}: {exc}")
                failed += 1
            except OSError as exc:
                _message(f"error: {name}: cannot read ({exc.strerror or exc})")
                failed += 1
    if failed:
        sys.exit(EXIT_INPUT_ERROR)


class _Stdout:
    """stdout as a binary sink that goes quiet when the reader hangs up."""

    def __enter__(self) -> _Stdout:
        return self

    def write(self, data: bytes) -> None:
        try:
            sys.stdout.buffer.write(data)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    def __exit__(self, *exc: object) -> None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _config(limits: dict[str, Any], keep_comments: bool = False) -> CleanerConfig:
    return CleanerConfig(keep_comments=keep_comments, **limits)


def _engine_options(command: Callable[..., None]) -> Callable[..., None]:
    """--engine, --scheduler, --connect-timeout and --jobs, shared by batch and learn."""
    for option in reversed([
        click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="local: a process pool here; dask: a Dask cluster (needs the dask extra)."),
        click.option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS", metavar="ADDRESS",
                     help="--engine dask: the scheduler of an existing cluster, e.g. tcp://host:8786 "
                     "[env DASK_SCHEDULER_ADDRESS; default: a LocalCluster of --jobs workers]."),
        click.option("--connect-timeout", type=click.FloatRange(min=0.1), default=DASK_CONNECT_SECONDS,
                     show_default=True, help="--scheduler: seconds to wait for it to answer."),
        click.option("--jobs", type=click.IntRange(min=1), default=None,
                     help="Worker processes (local pool or LocalCluster) [default: all cores]."),
        click.option("--page-seconds", type=click.FloatRange(min=0.1), default=PAGE_SECONDS, show_default=True,
                     help="Give up on a page (or a stream's record) that takes longer: it is reported as failed."),
    ]):
        command = option(command)
    return command


def _make_engine(engine: str, scheduler: str | None, connect_timeout: float, jobs: int):  # type: ignore[no-untyped-def]
    from .batch import LocalEngine

    if engine == "local":
        if scheduler:
            _fail("--scheduler needs --engine dask", EXIT_USAGE)
        return LocalEngine(jobs)
    from .batch.dask import DaskEngine

    return DaskEngine(jobs, scheduler, connect_timeout)


def _engine_errors(run: Callable[[], T]) -> T:
    """run() with the batch errors turned into their exit codes."""
    from . import batch

    try:
        return run()
    except batch.LockedError as exc:
        _fail(str(exc), EXIT_LOCKED)
    except batch.DestinationError as exc:
        _fail(str(exc), EXIT_DESTINATION)
    except batch.EngineMissing as exc:
        _fail(str(exc), EXIT_USAGE)
    except batch.EngineError as exc:
        _fail(str(exc), EXIT_ENGINE)
    except CleanerError as exc:  # a site model that cannot be read
        _fail(str(exc), EXIT_USAGE)


def _source_and_target(paths: tuple[str, ...], files_from: object, target: str) -> tuple[str | None, str]:
    """SRC and DEST (or MODEL) from the arguments: with --files-from, the one
    argument is the target (click alone would take it for SRC)."""
    wanted = 1 if files_from is not None else 2
    if len(paths) != wanted:
        usage = f"--files-from FILE {target}" if files_from is not None else f"SRC {target}"
        _fail(f"expected {usage} (see --help)", EXIT_USAGE)
    return (None, paths[0]) if files_from is not None else (paths[0], paths[1])


def _inputs(src: str | None, files_from: object, pattern: str, dest: str) -> list[tuple[str, str]]:
    from . import batch

    if src is not None and not os.path.isdir(src):
        _fail(f"{src}: not a folder", EXIT_USAGE)
    if files_from is not None:
        return batch.read_file_list(files_from)  # type: ignore[arg-type]
    return batch.list_inputs(src, pattern, dest)  # type: ignore[arg-type]


@main.command("batch", epilog=_examples(
    "cleaner batch data/raw data/clean -f json          # run it again: only what changed is redone",
    "find data/raw -name '*.txt' | cleaner batch --files-from - data/clean",
    "cleaner batch data/raw data/clean --report data/report.json --jobs 2",
))
@click.argument("paths", nargs=-1, metavar="[SRC] DEST")
@click.option("-f", "--format", "output_format", type=click.Choice(FORMATS), default="json", show_default=True,
              help="Output format (record streams always give JSONL).")
@click.option("--glob", "pattern", default="*", show_default=True, help="Only files whose name matches.")
@click.option("--files-from", type=click.File("r"), help="Read the input paths from this file (- for stdin).")
@click.option("--force", is_flag=True, help="Clean every input again, changed or not.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write a JSON report of the run here.")
@click.option("--captions", is_flag=True, help="Markdown and text: list photo captions.")
@click.option("--links", is_flag=True, help="Markdown of HTML input: keep links.")
@click.option("--comments", is_flag=True,
              help="HTML: keep comment sections and nested <article>s (dropped by default).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True)
@click.option("--site-model", "site_model", type=click.Path(dir_okay=False), metavar="MODEL",
              help="Clean with this site model (made by cleaner learn) instead of learning one in DEST.")
@click.option("--no-site-model", "no_site_model", is_flag=True,
              help="Do not learn the sites' boilerplate across their pages.")
@click.option("--fields", "fields_spec", default="", help=FIELDS_HELP)
@_dedupe_options("the article index [default: DEST/.cleaner-articles.sqlite]")
@_engine_options
@_limit_options
def batch_command(
    paths: tuple[str, ...], output_format: str, jobs: int | None, pattern: str, files_from: object,
    force: bool, report: str | None, captions: bool, links: bool, comments: bool, input_format: str,
    site_model: str | None, no_site_model: bool, fields_spec: str, engine: str, scheduler: str | None,
    connect_timeout: float, page_seconds: float, drop_duplicates: bool, no_dedupe: bool,
    dedupe_index: str | None, **limits: int,
) -> None:
    """Clean every file under SRC (or listed by --files-from) into DEST.

    Outputs mirror SRC's paths with the format's extension; a manifest in DEST
    makes re-runs skip what has not changed. Each site's boilerplate is learned
    across its pages into DEST/.cleaner-site-model.bin (pass 1), then used to
    clean (pass 2). Every article is looked up in an index of the articles
    seen in this run and earlier ones (DEST/.cleaner-articles.sqlite): one
    that repeats an earlier one gets "duplicate_of" in JSON and JSONL and a
    line in --report, or is left out with --drop-duplicate-articles.
    Exit codes: 0 all cleaned, 1 some inputs failed (listed on
    stderr and in --report), 2 usage error, 3 another run holds DEST's lock,
    4 DEST cannot be written, 5 the Dask engine failed (no scheduler answered
    within --connect-timeout, or the cluster was lost: run again to finish),
    130 interrupted. The --report is written in every case.
    """
    _interrupt_on_terminate()
    result: BatchResult | None = None
    inputs: list[tuple[str, str]] = []
    try:  # from the first line: a Ctrl-C while the inputs are listed is an interrupt too, not click's "Aborted!"
        from . import batch

        result = batch.BatchResult()
        src, dest = _source_and_target(paths, files_from, "DEST")
        if site_model and no_site_model:
            _fail("--site-model and --no-site-model exclude each other", EXIT_USAGE)
        if site_model and not os.path.isfile(site_model):
            _fail(f"{site_model}: no such site model", EXIT_USAGE)
        inputs = _inputs(src, files_from, pattern, dest)
        options = batch.BatchOptions(
            output_format=output_format, captions=captions, links=links, input_format=input_format,
            pattern=pattern, force=force, jobs=jobs or os.cpu_count() or 1, learn_sites=not no_site_model,
            fields=_fields(fields_spec), page_seconds=page_seconds,
            duplicates=_duplicates_mode(drop_duplicates, no_dedupe, dedupe_index),
        )
        workers = _make_engine(engine, scheduler, connect_timeout, options.jobs)
        try:
            _engine_errors(lambda: batch.run_batch(
                inputs, dest, options, _config(limits, keep_comments=comments), progress=_progress_printer(),
                engine=workers, site_model=site_model, result=result, article_index=dedupe_index,
            ))
        finally:  # also when the run stops early: what was done, what failed, what was not reached
            _finish_batch(result, report)
    except KeyboardInterrupt:
        if result is None or result.stopped is None:  # before the run began: nothing done, as the report says
            from .batch import BatchResult

            result = result or BatchResult()
            result.stop([relative for _, relative in inputs], "interrupted")
            _finish_batch(result, report)
        _exit_interrupted("interrupted; finished outputs are kept: run again to finish")
    if result.failed:
        sys.exit(EXIT_INPUT_ERROR)


def _exit_interrupted(text: str) -> NoReturn:
    """Ctrl-C (or SIGTERM): the one line, then exit 130. The run has stopped by
    now: workers killed, outputs whole, report written, locks released.

    Python's exit joins the threads left (a process pool's manager thread
    among them). A KeyboardInterrupt that lands inside the standard library's
    thread and pool code can leave one of them waiting for good (seen: a run
    stuck in concurrent.futures.thread._python_exit after this line was
    printed); one still there after EXIT_THREADS_SECONDS is not waited for:
    the process ends at once."""
    import threading
    import time

    _message(f"error: {text}")
    deadline = time.monotonic() + EXIT_THREADS_SECONDS
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_INTERRUPTED)


def _interrupt_on_terminate() -> None:
    """SIGTERM (a cron job's timeout, a shutdown) stops the run as Ctrl-C does: report written, exit 130."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _finish_batch(result: BatchResult, report: str | None) -> None:
    """Each failure and the summary on stderr; the report, if asked for."""
    if sys.stderr.isatty():
        click.echo("", err=True)  # end the progress line
    if result.stopped is None or result.done:  # a run stopped before any input says only why
        for outcome in result.failed:
            again = "" if outcome.retried else " (unchanged since it failed: not retried; --force retries it)"
            _message(f"error: {outcome.relative}: {outcome.error}{again}")
        _message(result.summary())
    _debug_cpu(f"; pass 1 read {result.learned:,} inputs, pass 2 read {result.parsed:,} again")
    if report:
        import json

        try:
            write_atomic(report, (json.dumps(result.report(), indent=2) + "\n").encode("utf-8"))
        except OSError as exc:
            _fail(f"cannot write {report}: {exc.strerror or exc}", EXIT_DESTINATION)


@main.command("dedupe-index", epilog=_examples(
    "cleaner dedupe-index data/clean                   # what DEST's article index holds (JSON)",
    "cleaner dedupe-index data/clean | jq .articles",
    "cleaner dedupe-index data/clean --reset           # forget every article seen",
))
@click.argument("target", metavar="DEST|INDEX")
@click.option("--reset", is_flag=True, help="Remove the index: the next run starts from no article seen "
              "(run cleaner batch with --force to index DEST's inputs again).")
def dedupe_index_command(target: str, reset: bool) -> None:
    """Show what an article index holds, as JSON on stdout, or reset it.

    TARGET is a cleaner batch DEST (its .cleaner-articles.sqlite) or an index
    file given to --dedupe-index. Exit codes: 0 done, 2 no index there,
    3 a run is using it.
    """
    import json

    from .batch import LOCK_NAME, Lock
    from .dupindex import INDEX_NAME, ArticleIndex, remove_index

    folder = os.path.isdir(target)
    path = os.path.join(target, INDEX_NAME) if folder else target
    if not os.path.isfile(path):
        _fail(f"{target}: no article index there (cleaner batch makes one in DEST)", EXIT_USAGE)
    lock = os.path.join(target, LOCK_NAME) if folder else path + ".lock"

    def run() -> None:
        with Lock(lock, f"a cleaner run is using {path}: try again when it is done"):
            if reset:
                remove_index(path)
                _message(f"removed the article index {path}")
                return
            with ArticleIndex(path) as index:
                stats = index.stats()
        _write(json.dumps(stats, indent=2) + "\n", None)

    _engine_errors(run)


@main.command("learn", epilog=_examples(
    "cleaner learn data/raw data/site.model            # weekly",
    "cleaner batch data/raw data/clean --site-model data/site.model   # daily",
    "cleaner learn data/raw data/site.model --dedupe-index data/articles.sqlite   # and index the articles",
))
@click.argument("paths", nargs=-1, metavar="[SRC] MODEL")
@click.option("--glob", "pattern", default="*", show_default=True, help="Only files whose name matches.")
@click.option("--files-from", type=click.File("r"), help="Read the input paths from this file (- for stdin).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True)
@click.option("--fields", "fields_spec", default="", help=FIELDS_HELP)
@click.option("--dedupe-index", "dedupe_index", type=click.Path(dir_okay=False), metavar="PATH",
              help="Then clean the new and changed inputs with the model (writing no output) and add their "
              "articles to this article index, where cleaner batch --dedupe-index PATH finds them "
              "[default: none; pass 1 alone, which is faster].")
@_engine_options
@_limit_options
def learn_command(
    paths: tuple[str, ...], pattern: str, files_from: object, input_format: str, fields_spec: str,
    dedupe_index: str | None, engine: str, scheduler: str | None, connect_timeout: float, jobs: int | None,
    page_seconds: float, **limits: int,
) -> None:
    """Learn the sites' boilerplate from SRC's pages into MODEL (pass 1 alone).

    An existing MODEL is added to: inputs counted before with the same content
    are not read again. Clean with it: cleaner batch SRC DEST --site-model MODEL,
    or cleaner clean --site-model MODEL. With --dedupe-index PATH, the inputs
    not yet indexed with their current content are then cleaned with MODEL (no
    output: only the model and the index are written) and their articles added
    to PATH, so that a later cleaner batch --dedupe-index PATH marks what
    repeats them; an input that cannot be cleaned is named on stderr and left
    out. Exit codes as cleaner batch, except that an input that cannot be read
    or cleaned leaves the exit code 0.
    """
    from . import batch

    src, model = _source_and_target(paths, files_from, "MODEL")
    _duplicates_mode(False, False, dedupe_index)  # the usage checks of --dedupe-index
    ours = [os.path.abspath(path) for path in (model, dedupe_index) if path]  # and their lock and journal files
    inputs = [item for item in _inputs(src, files_from, pattern, model)
              if not any(item[0] == path or item[0].startswith((path + ".", path + "-")) for path in ours)]
    options = batch.BatchOptions(input_format=input_format, jobs=jobs or os.cpu_count() or 1,
                                 fields=_fields(fields_spec), page_seconds=page_seconds)
    workers = _make_engine(engine, scheduler, connect_timeout, options.jobs)
    config = _config(limits)
    result = batch.LearnResult()
    try:
        _engine_errors(lambda: batch.learn_sites(inputs, model, options, config, engine=workers,
                                                 article_index=dedupe_index, result=result))
    except KeyboardInterrupt:
        if result.learned and dedupe_index:
            _exit_interrupted(f"interrupted; the model is saved and the articles of {result.indexed:,} inputs "
                              "indexed: run again to index the rest")
        _exit_interrupted("interrupted; the model is unchanged")
    for outcome in result.failed:
        _message(f"error: {outcome.relative}: {outcome.error} (its articles are not indexed)")
    _message(result.summary(len(inputs), model, dedupe_index))
    _debug_cpu()


def _debug_cpu(more: str = "") -> None:
    if os.environ.get(DEBUG_CPU_VARIABLE):
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        _message(f"main process CPU {usage.ru_utime + usage.ru_stime:.2f} s{more}")


def _progress_printer() -> Callable[[BatchResult, int], None] | None:
    """A one-line progress display on a terminal; nothing in cron."""
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()

    def show(result: BatchResult, total: int) -> None:
        done = result.cleaned + result.skipped + len(result.failed)
        rate = done / max(time.monotonic() - started, 1e-9)
        click.echo(f"\r{done:,}/{total:,}  cleaned {result.cleaned:,}  failed {len(result.failed):,}  "
                   f"{rate:,.0f}/s ", nl=False, err=True)

    return show


@main.command("explain", epilog=_examples(
    "cleaner explain page.txt | less -R",
    "cleaner explain page.html | grep boilerplate",
    "cat page.txt | cleaner explain",
))
@click.argument("input_name", metavar="INPUT", default="-")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True)
def explain_command(input_name: str, input_format: str) -> None:
    """Print every line of INPUT with what happened to it."""
    names = _input_names((input_name,) if input_name != "-" else ())
    try:
        document = clean(_read_bytes(names[0], CleanerConfig.max_page_bytes), source=names[0],
                         input_format=input_format)
    except CleanerError as exc:
        _fail(str(exc), EXIT_INPUT_ERROR)
    lines = []
    for block in document.blocks:
        mark = _mark(block, document)
        lines.append(f"{block.line:>6} " + click.style(f"{mark:<{EXPLAIN_MARK_WIDTH}}", fg=ROLE_COLOURS[block.role]) + f" {block.text}")
    _write("\n".join(lines) + ("\n" if lines else ""), None)


def _mark(block: Block, document: Document) -> str:
    if block.role is Role.DUPLICATE and block.duplicate_of is not None:
        original = document.blocks[block.duplicate_of]
        return f"duplicate of {original.line} ({block.duplicate_score:.0f})"
    if block.role is Role.BODY:
        return "kept"
    return block.reason or str(block.role.value)


def _fields(spec: str):  # type: ignore[no-untyped-def]
    from .records import parse_fields

    try:
        return parse_fields(spec)
    except CleanerError as exc:
        _fail(str(exc), EXIT_USAGE)


def _input_names(inputs: tuple[str, ...]) -> list[str]:
    if not inputs:
        if sys.stdin is None or sys.stdin.isatty():
            _fail(USAGE_HINT, EXIT_USAGE)
        return ["-"]
    return list(inputs)


def _read_bytes(name: str, max_bytes: int) -> bytes:
    """An input's bytes (gunzipped for .gz), at most max_bytes read or unpacked."""
    from .limits import read_bounded, read_page_file

    try:
        if name == "-":
            return read_bounded(sys.stdin.buffer, max_bytes)
        if os.path.isdir(name):
            raise InputError(f"{name}: is a directory; give the files in it")
        return read_page_file(name, max_bytes)
    except InputError as exc:
        if str(exc).startswith(f"{name}: "):
            raise
        raise InputError(f"{name}: {exc}") from None
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


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


def _message(text: str) -> None:
    click.echo(f"cleaner: {text}", err=True)


def _fail(text: str, code: int) -> NoReturn:
    _message(f"error: {text}")
    sys.exit(code)
