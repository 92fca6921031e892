"""The engine-neutral core: plain, picklable, top-level functions that any engine maps.

An engine (the local process pool, Dask, or a Spark job written by hand) only
decides where these run; what they compute, and so every output byte, is the same:

- ``read_shard``: one input file into records (a page, or a JSONL/WARC/WET stream's).
- ``fingerprint_one``: pass 1 for one input, its content hash and per-site
  counts of its pages' line fingerprints.
- ``count_partition``: pass 1 for a partition (a list of inputs), pre-aggregated
  and split into N_BUCKETS hash buckets, so that ``merge_bucket`` can merge
  each bucket on a different worker; ``learn_model`` adds the merged buckets to
  a model (sitemodel saves it as a compact artifact on disk).
- ``clean_partition`` / ``clean_one``: pass 2, clean inputs with the model,
  each output written atomically (or, for ``cleaner learn --dedupe-index``,
  ``options.write_outputs`` False: no output, only the articles' sketches). A
  task names its site and the model's path; workers load the model from that
  file once and keep it (``site_boilerplate``).

Counts are plain sums, so the model does not depend on how inputs are grouped
into partitions or in which order partitions finish.

No input stops a batch: an input (or a stream's record) that is over a limit,
runs out of memory, runs past ``options.page_seconds`` or hits a bug is a failed
outcome with its reason; one that kills its worker outright is found and
reported by the engine (``dead_outcome``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import pickle
import signal
import sys
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..config import CleanerConfig
from ..limits import read_page_file, unpack_page
from ..model import Article, CleanerError, Document
from ..pipeline import Prepared, clean, finish, page_fingerprints, prepare
from ..records import Record, RecordFields, is_stream, read_records
from ..sitemodel import SiteCounts, SiteModel, load_boilerplate, merge_counts, page_lines, site_of
from ..atomic import AtomicFile, Syncs, write_atomic
from .files import DestinationError, file_hash, is_destination_error, read_hashed
from .kept import Keep, Keeper, Ticket, take_page

if TYPE_CHECKING:
    from ..dupindex.sketch import ArticleSketch

# Pass-1 counts are split by fingerprint into this many buckets, merged separately.
N_BUCKETS = 8

# A site's fingerprints -> pages, for one bucket.
BucketCounts = dict[str, Counter[int]]
# Test hook: a worker about to read the input of this file name kills itself
# with SIGKILL, as the out-of-memory killer would (tests/test_hostile.py).
DIE_ON_VARIABLE = "CLEANER_TEST_DIE_ON"
# ...and one about to read this one hangs where --page-seconds cannot stop it.
HANG_ON_VARIABLE = "CLEANER_TEST_HANG_ON"
# The first dies after this long, as a worker that fills its memory would: a
# Dask nanny does not restart a worker that dies while it is still starting up.
DIE_AFTER_SECONDS = 1.0


class PageTimeout(CleanerError):
    """A page took longer than options.page_seconds."""


@dataclass(frozen=True)
class BatchOptions:
    """What shapes the outputs (all of it goes into the settings digest) and how to run."""

    output_format: str = "json"
    captions: bool = False
    links: bool = False
    input_format: str = "auto"
    pattern: str = "*"
    force: bool = False
    jobs: int = 1
    learn_sites: bool = True
    fields: RecordFields = RecordFields()  # JSONL field names
    # Give up on a page (or a stream's record) after this many seconds (None: no
    # limit). Enforced with SIGALRM where the task runs in a process's main
    # thread (the local pool); not in a Dask worker's thread.
    page_seconds: float | None = None
    # Articles that repeat an earlier one (dupindex): "mark" them (duplicate_of
    # in JSON and JSONL), "drop" them from the output, or "off": no fingerprints.
    duplicates: str = "mark"
    # False (cleaner learn --dedupe-index): inputs are cleaned only to fingerprint
    # their articles, and no output is written (tasks have none); a record
    # stream's fingerprints are spilled to a file named sketch_prefix + the
    # worker's pid and a digest of the input's path.
    write_outputs: bool = True
    sketch_prefix: str = ""


@dataclass(frozen=True)
class Task:
    """One input for a worker: where it is, where its output goes, what is known of it."""

    source: str  # absolute path
    relative: str  # path under SRC, with "/" separators
    output: str  # absolute path of the output file ("" when options.write_outputs is False)
    settings: str  # settings digest
    known_hash: str | None  # content hash in the manifest (pass 2) or the model (pass 1), if any
    site: str = ""  # its site's key in the model ("" for a record stream: each record's host)
    model_path: str | None = None  # the site model artifact on disk, if any
    keep: Keep | None = None  # pass 1: keep the prepared page for pass 2 (kept.py)
    kept: Ticket | None = None  # pass 2: where pass 1 kept it


@dataclass(frozen=True)
class Outcome:
    """What became of one input of a batch run."""

    relative: str
    status: str  # "cleaned", "unchanged" or "failed"
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    output: str = ""
    error: str = ""
    articles: int = 0
    retried: bool = True  # False: it failed in an earlier run and is unchanged since (not read again)
    parsed: bool = False  # cleaned from its input read again, not from the page pass 1 kept
    # a single page's line fingerprints (pack_prints), which the manifest keeps: a later
    # run whose site boilerplate changes tells from them whether this output would change
    prints: bytes = b""
    # a single page's articles for the article index (None: too short), with
    # each one's length in bytes in a Markdown or text output (to drop it)
    sketches: tuple[ArticleSketch | None, ...] = ()
    article_bytes: tuple[int, ...] = ()
    # a record stream's sketches: a spill file in DEST (read_stream_sketches)
    sketch_file: str = ""


@dataclass
class PartialCounts:
    """Pass 1 of a partition: the inputs counted, pages per site, and the counts by bucket."""

    counted: list[tuple[str, str]] = field(default_factory=list)  # (relative, content hash)
    pages: Counter[str] = field(default_factory=Counter)
    buckets: list[BucketCounts] = field(default_factory=lambda: [{} for _ in range(N_BUCKETS)])
    kept: list[Ticket] = field(default_factory=list)  # the prepared pages kept for pass 2


def read_shard(task: Task, options: BatchOptions, config: CleanerConfig = CleanerConfig()) -> Iterator[Record]:
    """One input's records: a stream's, one by one; a single page as one record
    (read as options.input_format says: "auto", "html" or "text"), within the
    config's limits."""
    if is_stream(task.source):
        yield from read_records(task.source, options.fields, config.max_record_bytes)
    else:
        yield Record(read_page_file(task.source, config.max_page_bytes), options.input_format)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """PageTimeout when the block runs longer than seconds (SIGALRM), where that
    can be done: in a process's main thread; elsewhere no limit."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise PageTimeout(f"took longer than the limit of {seconds:g} s (raise it with --page-seconds)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _test_hook(task: Task) -> None:
    import time

    name = os.path.basename(task.source)
    if os.environ.get(DIE_ON_VARIABLE) == name:
        time.sleep(DIE_AFTER_SECONDS)
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(HANG_ON_VARIABLE) == name:  # as a call stuck in C code: no SIGALRM gets through
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)


def _unexpected(exc: BaseException) -> str:
    """The reason given for an input that failed other than by bad input."""
    if isinstance(exc, MemoryError):
        return "out of memory while cleaning it (lower the limits, e.g. --max-page-bytes, or give it more memory)"
    return f"internal error {type(exc).__name__}: {exc} (please report it with the input)"


def dead_outcome(task: Task, reason: str) -> Outcome:
    """The outcome of an input whose worker died: failed, with what the manifest
    needs to retry it only when it changes."""
    try:
        stat = os.stat(task.source)
        digest = file_hash(task.source)
    except OSError as exc:
        return Outcome(task.relative, "failed", error=f"cannot read: {exc.strerror or exc}")
    return Outcome(task.relative, "failed", size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=digest,
                   output=task.output, error=reason)


def fingerprint_one(task: Task, options: BatchOptions, config: CleanerConfig) -> tuple[str, SiteModel | None]:
    """Pass 1 for one input: its content hash and the site counts of its pages
    (a stream's records are counted as they are read, so memory stays bounded);
    no counts when that content was counted already (task.known_hash) or cannot
    be read (pass 2 reports it)."""
    digest, counts, _ = _count_one(task, options, config, None)
    return digest, counts


def _count_one(
    task: Task, options: BatchOptions, config: CleanerConfig, keeper: Keeper | None
) -> tuple[str, SiteModel | None, Ticket | None]:
    """fingerprint_one, and with a keeper, a single page is prepared whole
    (pipeline.prepare) and kept for pass 2: its ticket."""
    try:
        if keeper is not None and not is_stream(task.source):
            prepared = _prepared(task, options, config, keeper)
            if prepared is not None:
                return prepared
        digest = file_hash(task.source)
        if digest == task.known_hash:
            return digest, None, None
        _test_hook(task)
        return digest, merge_counts(SiteModel(), _fingerprints(task, options, config)), None
    except (CleanerError, OSError):
        return "", None, None
    except Exception:  # MemoryError, a bug: pass 2 meets it again and reports it
        return "", None, None


def _prepared(
    task: Task, options: BatchOptions, config: CleanerConfig, keeper: Keeper
) -> tuple[str, SiteModel | None, Ticket | None] | None:
    """_count_one of a single page read once (hashed, then parsed from the same
    bytes) and prepared whole; None for a file over max_page_bytes, which is
    not read whole here (_count_one hashes it apart and meets the limit)."""
    stat = os.stat(task.source)
    read = read_hashed(task.source, config.max_page_bytes)
    if read is None:
        return None
    stored, digest = read
    if digest == task.known_hash:
        return digest, None, None
    _test_hook(task)
    data = unpack_page(task.source, stored, config.max_page_bytes)
    del stored
    with time_limit(options.page_seconds):
        page = prepare(data, config=config, input_format=options.input_format)
    del data
    page.lines = page_lines(page.blocks)
    prints = frozenset(page.lines.values())
    counts = merge_counts(SiteModel(), [(site_of(None, task.source), prints)])
    return digest, counts, _keep(keeper, task, digest, stat, page, pack_prints(prints))


def _fingerprints(task: Task, options: BatchOptions, config: CleanerConfig) -> Iterator[tuple[str, frozenset[int]]]:
    for record in read_shard(task, options, config):
        if record.error is None:
            with time_limit(options.page_seconds):
                fingerprints = page_fingerprints(record.data, config=config, input_format=record.input_format)
            yield site_of(record.url, task.source), fingerprints


def pack_prints(prints: frozenset[int]) -> bytes:
    """A page's fingerprints, sorted, as little-endian 64-bit integers (as the manifest keeps them)."""
    items = array("Q", sorted(prints))
    if sys.byteorder == "big":
        items.byteswap()
    return items.tobytes()


def unpack_prints(data: bytes) -> frozenset[int]:
    items = array("Q")
    items.frombytes(data)
    if sys.byteorder == "big":
        items.byteswap()
    return frozenset(items)


def _keep(
    keeper: Keeper, task: Task, digest: str, stat: os.stat_result, page: Prepared, prints: bytes
) -> Ticket | None:
    """The page kept for pass 2, or no ticket if it cannot be (a full disk, a
    block that will not pickle): pass 2 then parses it again, with the same result."""
    try:
        return keeper.page(task.relative, digest, stat, page, prints)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return None


def count_partition(tasks: list[Task], options: BatchOptions, config: CleanerConfig) -> PartialCounts:
    """Pass 1 for a partition, pre-aggregated: one small result instead of one per page."""
    partial = PartialCounts()
    keep = next((task.keep for task in tasks if task.keep is not None), None)
    with Keeper(keep) if keep is not None else _NO_KEEPER as keeper:
        for task in tasks:
            digest, counts, ticket = _count_one(task, options, config, keeper)
            if counts is None:
                continue
            partial.counted.append((task.relative, digest))
            if ticket is not None:
                partial.kept.append(ticket)
            for site, stats in counts.sites.items():
                partial.pages[site] += stats.pages
                for fp, pages in stats.counts.items():
                    bucket = partial.buckets[fp % N_BUCKETS]
                    bucket.setdefault(site, Counter())[fp] += pages
    return partial


_NO_KEEPER = contextlib.nullcontext(None)


def merge_bucket(parts: Iterable[BucketCounts]) -> BucketCounts:
    """One bucket's counts of many partitions, summed."""
    merged: BucketCounts = {}
    for part in parts:
        for site, counts in part.items():
            mine = merged.get(site)
            if mine is None:
                merged[site] = Counter(counts)
            else:
                mine.update(counts)
    return merged


def learn_model(
    model: SiteModel, counted: Iterable[tuple[str, str]], pages: Counter[str], buckets: Iterable[BucketCounts]
) -> bool:
    """Add pass 1's merged counts to model; whether anything was added."""
    changed = False
    for relative, digest in counted:
        model.counted[relative] = digest
        changed = True
    for site, count in pages.items():
        model.sites.setdefault(site, SiteCounts()).pages += count
    for bucket in buckets:
        for site, counts in bucket.items():
            model.sites.setdefault(site, SiteCounts()).counts.update(counts)
    return changed


def site_key(source: str) -> str:
    """A task's site: the input's folder; "" for a record stream (each record's host)."""
    return "" if is_stream(source) else site_of(None, source)


def site_boilerplate(model_path: str | None, config: CleanerConfig) -> dict[str, frozenset[int]]:
    """Every site's boilerplate from the model on disk, loaded once per process
    (and again when the file changes)."""
    if model_path is None:
        return {}
    stat = os.stat(model_path)
    return _cached_boilerplate(model_path, stat.st_mtime_ns, stat.st_size, config)


# A worker keeps the models it was given (one, in practice): each is read once
# per process instead of once per task. Keyed by mtime and size, so a model
# learned again under the same path is read again.
@functools.lru_cache(maxsize=4)
def _cached_boilerplate(path: str, mtime_ns: int, size: int, config: CleanerConfig) -> dict[str, frozenset[int]]:
    return load_boilerplate(path, config)


def clean_partition(tasks: list[Task], options: BatchOptions, config: CleanerConfig) -> list[Outcome]:
    """Pass 2 for a partition: clean_one for each of its inputs, in order. Each
    page's output is synced and renamed into place by a thread while the next
    page is cleaned; the outcomes are returned once every output is in place."""
    try:
        with Syncs() as syncs:
            return [clean_one(task, options, config, syncs) for task in tasks]
    except OSError as exc:  # a sync or a rename failed: DEST cannot take the outputs
        raise DestinationError(f"cannot write the outputs: {exc.strerror or exc}") from None


def clean_one(task: Task, options: BatchOptions, config: CleanerConfig, syncs: Syncs | None = None) -> Outcome:
    """Clean one input file into its output (written atomically; with syncs, its
    sync and rename are left to that thread). Raises DestinationError when DEST
    cannot take it; any other failure is the outcome."""
    try:
        stat = os.stat(task.source)
        kept = task.kept
        if kept is not None and (kept.size, kept.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            digest = kept.sha256  # as pass 1 read it: the manifest trusts size and mtime the same way
        else:
            digest = file_hash(task.source)
    except OSError as exc:
        return Outcome(task.relative, "failed", error=f"cannot read: {exc.strerror or exc}")
    common = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest, "output": task.output}
    if task.known_hash == digest:
        return Outcome(task.relative, "unchanged", **common)  # type: ignore[arg-type]
    parsed, prints, found = True, b"", _Articles(0)
    try:
        _test_hook(task)
        sites = site_boilerplate(task.model_path, config)
        if is_stream(task.source):
            found = _clean_stream(task, options, config, sites)
        else:
            # the page pass 1 kept, if it still can be had (not in a worker
            # that died since, nor a spill file that failed): else parsed again
            taken = take_page(task.kept) if task.kept is not None and task.kept.sha256 == digest else None
            parsed = taken is None
            if taken is None:
                data = read_page_file(task.source, config.max_page_bytes)
                with time_limit(options.page_seconds):
                    page = prepare(data, config=config, input_format=options.input_format)
                del data
                page.lines = page_lines(page.blocks)
                prints = pack_prints(frozenset(page.lines.values()))
            else:
                page, prints = taken
            found = _clean_page(task, options, config, sites.get(task.site, frozenset()), page, syncs)
    except CleanerError as exc:
        return Outcome(task.relative, "failed", error=str(exc), **common)  # type: ignore[arg-type]
    except OSError as exc:
        if is_destination_error(exc):  # the output, or (with no output) a stream's sketch spill file
            raise DestinationError(f"cannot write {task.output or exc.filename}: {exc.strerror or exc}") from None
        return Outcome(task.relative, "failed", error=f"cannot read: {exc.strerror or exc}", **common)  # type: ignore[arg-type]
    except Exception as exc:  # MemoryError, a bug: this input fails, the batch goes on
        return Outcome(task.relative, "failed", error=_unexpected(exc), **common)  # type: ignore[arg-type]
    return Outcome(
        task.relative, "cleaned", articles=found.count, parsed=parsed, prints=prints, sketches=found.sketches,
        article_bytes=found.article_bytes, sketch_file=found.sketch_file, **common  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class _Articles:
    """What cleaning an input found: how many articles, and what the article
    index needs of them (Outcome's fields of the same names)."""

    count: int
    sketches: tuple[ArticleSketch | None, ...] = ()
    article_bytes: tuple[int, ...] = ()
    sketch_file: str = ""


def _clean_page(
    task: Task, options: BatchOptions, config: CleanerConfig, boilerplate: frozenset[int], page: Prepared,
    syncs: Syncs | None,
) -> _Articles:
    """Finish a prepared single page into its output (or only its articles' sketches: no output)."""
    from ..render import ARTICLE_JOINERS, render_json, render_jsonl, render_markdown, render_text

    with time_limit(options.page_seconds):
        document = finish(page, source=task.relative, config=config, site_boilerplate=boilerplate, dropped=False)
    if not options.write_outputs:
        return _Articles(len(document.articles), tuple(_sketch(a.paragraphs, config) for a in document.articles))
    renderers: dict[str, Callable[[list[Document]], str]] = {
        "json": lambda docs: render_json(docs),
        "jsonl": lambda docs: render_jsonl(docs),
        "markdown": lambda docs: render_markdown(docs, captions=options.captions, links=options.links),
        "text": lambda docs: render_text(docs, captions=options.captions),
    }
    render = renderers[options.output_format]
    if options.duplicates == "off" or not document.articles:
        write_atomic(task.output, render([document]).encode("utf-8"), syncs)
        return _Articles(len(document.articles))
    sketches = tuple(_sketch(article.paragraphs, config) for article in document.articles)
    sizes: tuple[int, ...] = ()
    if options.output_format in ARTICLE_JOINERS:  # each article's part of the output, to drop it
        parts = [render([Document(task.relative, [article])]).encode("utf-8") for article in document.articles]
        sizes = tuple(len(part) for part in parts)
        data = ARTICLE_JOINERS[options.output_format].encode("utf-8").join(parts)
    else:
        data = render([document]).encode("utf-8")
    write_atomic(task.output, data, syncs)
    return _Articles(len(document.articles), sketches, sizes)


def _sketch(paragraphs: list[str], config: CleanerConfig) -> ArticleSketch | None:
    from ..dupindex.sketch import sketch_article

    return sketch_article(paragraphs, config.article_duplicate_min_words)


def _clean_stream(
    task: Task, options: BatchOptions, config: CleanerConfig, sites: dict[str, frozenset[int]]
) -> _Articles:
    """Clean a record stream record by record into one JSONL file, streaming
    (none if options.write_outputs is False); its articles' sketches go to a
    spill file (SketchSpill)."""
    count = 0
    output = AtomicFile(task.output) if options.write_outputs else _NoOutput()
    with output as out, SketchSpill.for_task(task, options) as spill:
        lines_written = 0
        for record in read_records(task.source, options.fields, config.max_record_bytes):
            boilerplate = sites.get(site_of(record.url, task.source), frozenset())
            lines, _, articles = clean_record_articles(record, task.relative, options, config, boilerplate)
            for line, article in zip(lines, articles):
                out.write(line)
                if spill is not None:
                    spill.add(lines_written, count, record.url, _sketch(article.paragraphs, config))
                lines_written += 1
                count += 1
            for line in lines[len(articles):]:  # the error line of a record that failed
                out.write(line)
                lines_written += 1
    return _Articles(count, sketch_file=spill.path if spill is not None else "")


class _NoOutput:
    """In place of a stream's output file when none is written: takes the lines, keeps nothing."""

    def __enter__(self) -> _NoOutput:
        return self

    def write(self, data: bytes) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        pass


class SketchSpill:
    """A stream's article sketches, pickled one by one into a temporary file
    beside its output (every engine's workers write into DEST), or with no
    output at options.sketch_prefix: the main process reads them back in order
    (read_stream_sketches), and memory stays flat."""

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def for_task(cls, task: Task, options: BatchOptions) -> contextlib.AbstractContextManager[SketchSpill | None]:
        if options.duplicates == "off":
            return contextlib.nullcontext(None)
        if not options.write_outputs:
            import hashlib

            name = hashlib.sha256(task.relative.encode("utf-8")).hexdigest()[:16]
            return cls(f"{options.sketch_prefix}{os.getpid()}-{name}")
        from ..atomic import TEMP_PREFIX

        folder, name = os.path.split(task.output)
        return cls(os.path.join(folder, f"{TEMP_PREFIX}sketches-{os.getpid()}-{name}"))

    def __enter__(self) -> SketchSpill:
        self.handle = open(self.path, "wb")
        return self

    def add(self, line: int, number: int, url: str | None, sketch: ArticleSketch | None) -> None:
        pickle.dump((line, number, url, sketch), self.handle, protocol=pickle.HIGHEST_PROTOCOL)

    def __exit__(self, kind: object, *exc: object) -> None:
        self.handle.close()
        if kind is not None and os.path.exists(self.path):
            os.unlink(self.path)


def read_stream_sketches(path: str) -> Iterator[tuple[int, int, str | None, ArticleSketch | None]]:
    """A SketchSpill's entries in order: (output line, article number, url, sketch)."""
    with open(path, "rb") as handle:
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def clean_record(
    record: Record, relative: str, options: BatchOptions, config: CleanerConfig,
    boilerplate: frozenset[int] = frozenset(),
) -> tuple[list[bytes], str | None]:
    """A record's JSONL lines (one per article, with its url, date and id), and
    its error, if it could not be cleaned (then the one line says so)."""
    lines, error, _ = clean_record_articles(record, relative, options, config, boilerplate)
    return lines, error


def clean_record_articles(
    record: Record, relative: str, options: BatchOptions, config: CleanerConfig,
    boilerplate: frozenset[int] = frozenset(),
) -> tuple[list[bytes], str | None, list[Article]]:
    """clean_record, and the articles of its lines (none for an error line)."""
    from ..render import article_dict

    identity = {"source": relative, "url": record.url, "date": record.date, "record_id": record.record_id}
    error = record.error
    if error is None:
        input_format = record.input_format if options.input_format == "auto" else options.input_format
        try:
            with time_limit(options.page_seconds):
                document = clean(  # a record's lines show its articles only: no dropped lines listed
                    record.data, source=relative, config=config, input_format=input_format,
                    site_boilerplate=boilerplate, dropped=False,
                )
        except CleanerError as exc:
            error = str(exc)
        except Exception as exc:  # MemoryError, a bug: this record fails, the stream goes on
            error = _unexpected(exc)
    if error is not None:
        return [(json.dumps({**identity, "error": error}, ensure_ascii=False) + "\n").encode("utf-8")], error, []
    lines = [
        (json.dumps({**identity, **article_dict(article)}, ensure_ascii=False) + "\n").encode("utf-8")
        for article in document.articles
    ]
    return lines, None, document.articles
