"""Batch mode: a folder (or a list of files) of pages into a folder of results.

Made for cron over folders that grow every night:

- **Incremental.** DEST holds a manifest (SQLite) of every input: size, mtime,
  content hash, and a digest of the settings and version that produced its
  output. An input whose content and settings are unchanged is skipped without
  writing anything; a changed setting redoes what it affects; ``force`` redoes all.
- **Atomic.** Each output is written to a temporary file in its folder, synced,
  and renamed into place; the manifest records an input only after the rename.
  A run killed at any moment leaves finished outputs and temporary files only;
  the next run removes the temporary files and finishes the job.
- **Exclusive.** A lock file in DEST (``flock``) makes a second overlapping run
  stop at once with its own exit code.
- **Parallel and deterministic.** Work is spread over a process pool with plain
  top-level functions (``clean_one`` is what an engine such as Dask can map);
  results are gathered in input order, so the manifest and the report do not
  depend on the number of jobs.

Inputs are never modified, moved or deleted.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from . import __version__
from .config import CleanerConfig
from .model import CleanerError, Document
from .pipeline import clean, page_fingerprints
from .records import Record, RecordFields, is_stream, read_records
from .sitemodel import SiteModel, boilerplate_digest, load_model, merge_counts, merge_models, save_model, site_of

T = TypeVar("T")

MANIFEST_NAME = ".cleaner-manifest.sqlite"
SITE_MODEL_NAME = ".cleaner-site-model.json"
LOCK_NAME = ".cleaner.lock"
TEMP_PREFIX = ".cleaner-tmp-"
EXTENSIONS = {"markdown": ".md", "json": ".json", "jsonl": ".jsonl", "text": ".txt"}
# Files read whole are hashed in chunks of this size.
HASH_CHUNK_BYTES = 1 << 20
# Input suffixes replaced by the output extension ("a.html.gz" -> "a.json").
FORMAT_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".text", ".jsonl", ".warc", ".wet", ".md")


class LockedError(CleanerError):
    """Another batch run holds DEST's lock."""


class DestinationError(CleanerError):
    """DEST cannot be written (read-only, full disk): the run stops."""


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


@dataclass(frozen=True)
class Task:
    """One input for a worker: where it is, where its output goes, what is known of it."""

    source: str  # absolute path
    relative: str  # path under SRC, with "/" separators
    output: str  # absolute path of the output file
    settings: str  # settings digest
    known_hash: str | None  # content hash in the manifest, if any
    boilerplate: frozenset[int] = frozenset()  # its site's boilerplate fingerprints
    site_sets: tuple[tuple[str, frozenset[int]], ...] = ()  # record streams: every site's


@dataclass(frozen=True)
class Outcome:
    relative: str
    status: str  # "cleaned", "unchanged" or "failed"
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    output: str = ""
    error: str = ""
    articles: int = 0


@dataclass
class BatchResult:
    cleaned: int = 0
    skipped: int = 0
    failed: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"cleaned {self.cleaned:,}, skipped {self.skipped:,}, failed {len(self.failed):,} "
            f"in {self.seconds:.0f} s"
        )

    def report(self) -> dict[str, object]:
        return {
            "cleaned": self.cleaned,
            "skipped": self.skipped,
            "failed": [{"input": o.relative, "error": o.error} for o in self.failed],
            "seconds": round(self.seconds, 3),
        }


def list_inputs(src: str, pattern: str, dest: str) -> list[tuple[str, str]]:
    """(absolute path, relative path) of every input file under src, sorted; DEST,
    hidden files and folders are left out."""
    src, dest = os.path.abspath(src), os.path.abspath(dest)
    found = []
    for folder, folders, files in os.walk(src):
        folders[:] = sorted(
            d for d in folders if not d.startswith(".") and os.path.join(folder, d) != dest
        )
        for name in files:
            if name.startswith(".") or not fnmatch.fnmatch(name, pattern):
                continue
            path = os.path.join(folder, name)
            found.append((path, os.path.relpath(path, src).replace(os.sep, "/")))
    return sorted(found, key=lambda item: item[1])


def output_name(relative: str, output_format: str) -> str:
    """a/b/page.html -> a/b/page.json, page.html.gz -> page.json, crawl.warc.gz ->
    crawl.jsonl, crawl.warc.wet.gz -> crawl.warc.jsonl (a record stream always
    gives JSONL): one compression suffix and one format suffix are replaced."""
    extension = ".jsonl" if is_stream(relative) else EXTENSIONS[output_format]
    stem = relative
    for suffixes in ((".gz",), FORMAT_SUFFIXES):
        suffix = next((s for s in suffixes if stem.lower().endswith(s) and len(stem) > len(s)), None)
        if suffix is not None:
            stem = stem[: -len(suffix)]
    return stem + extension


def settings_digest(options: BatchOptions, config: CleanerConfig) -> str:
    """Everything that changes an output: version, output options, thresholds, models."""
    shaping = {
        "version": __version__,
        "format": options.output_format,
        "captions": options.captions,
        "links": options.links,
        "input_format": options.input_format,
        "fields": asdict(options.fields),
        "config": asdict(config),
        "models": _model_digest(),
    }
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:16]


def run_batch(
    inputs: list[tuple[str, str]],
    dest: str,
    options: BatchOptions,
    config: CleanerConfig = CleanerConfig(),
    progress: Callable[[BatchResult, int], None] | None = None,
) -> BatchResult:
    """Clean every input into dest. Raises LockedError or DestinationError.

    With options.learn_sites, a first pass fingerprints the new and changed
    inputs and adds them to the site model kept in DEST; the second pass cleans
    with each site's boilerplate, and an output made with another boilerplate
    set than its site's current one is made again.
    """
    started = time.monotonic()
    dest = os.path.abspath(dest)
    try:
        os.makedirs(dest, exist_ok=True)
    except OSError as exc:
        raise DestinationError(f"cannot create {dest}: {exc.strerror or exc}") from None
    with _Lock(dest), _Manifest(os.path.join(dest, MANIFEST_NAME)) as manifest:
        _remove_stale_temporaries(dest)
        planned = _plan(inputs, dest, options, manifest)
        model = _learn_sites(planned, dest, options, config) if options.learn_sites else None
        base = settings_digest(options, config)
        result = BatchResult()
        tasks = []
        per_site: dict[str, tuple[frozenset[int], tuple[tuple[str, frozenset[int]], ...], str]] = {}
        for source, relative, output, row in planned:
            key = "\0stream" if is_stream(source) else site_of(None, source)
            if key not in per_site:  # once per site: a set from counts, and its digest
                boilerplate, site_sets = _boilerplate_for(model, source, config)
                per_site[key] = (boilerplate, site_sets, _task_settings(base, boilerplate, site_sets))
            boilerplate, site_sets, settings = per_site[key]
            if not options.force and row is not None and _unchanged(source, output, settings, row):
                result.skipped += 1
                continue
            same = row is not None and row["settings"] == settings and os.path.exists(output)
            known = row["sha256"] if same and not options.force else None
            tasks.append(Task(source, relative, output, settings, known, boilerplate, site_sets))
        for task, outcome in zip(tasks, _map(clean_one, tasks, options, config)):
            if outcome.status == "failed":
                result.failed.append(outcome)
            else:
                manifest.put(outcome, task.settings)
                if outcome.status == "cleaned":
                    result.cleaned += 1
                else:
                    result.skipped += 1
            if progress is not None:
                progress(result, len(tasks))
        result.seconds = time.monotonic() - started
        return result


def _plan(
    inputs: list[tuple[str, str]], dest: str, options: BatchOptions, manifest: _Manifest
) -> list[tuple[str, str, str, sqlite3.Row | None]]:
    """(source, relative, output, manifest row) of every input."""
    planned = []
    taken: set[str] = set()
    for source, relative in inputs:
        name = output_name(relative, options.output_format)
        if name in taken:  # page.html and page.txt: the second keeps its whole name
            name = relative + os.path.splitext(name)[1]
        taken.add(name)
        planned.append((source, relative, os.path.join(dest, name), manifest.get(relative)))
    return planned


def _learn_sites(
    planned: list[tuple[str, str, str, sqlite3.Row | None]], dest: str, options: BatchOptions,
    config: CleanerConfig,
) -> SiteModel:
    """Pass 1: add the new and changed inputs' fingerprints to DEST's site model."""
    path = os.path.join(dest, SITE_MODEL_NAME)
    model = load_model(path) if os.path.exists(path) else SiteModel()
    tasks = [
        Task(source, relative, output, "", model.counted.get(relative))
        for source, relative, output, row in planned
        if row is None or row["sha256"] != model.counted.get(relative) or not _same_file(source, row)
    ]
    changed = False
    for task, (digest, counts) in zip(tasks, _map(fingerprint_one, tasks, options, config)):
        if counts is not None:
            merge_models(model, counts)
            model.counted[task.relative] = digest
            changed = True
    if changed:  # the counts and the list of counted inputs are saved together, atomically
        try:
            save_model(model, path)
        except OSError as exc:
            raise DestinationError(f"cannot write {path}: {exc.strerror or exc}") from None
    return model


def fingerprint_one(task: Task, options: BatchOptions, config: CleanerConfig) -> tuple[str, SiteModel | None]:
    """Pass 1 for one input: its content hash and the site counts of its pages
    (a stream's records are counted as they are read, so memory stays bounded);
    no counts when that content was counted already (task.known_hash) or cannot
    be read (pass 2 reports it). A plain top-level function, like clean_one."""
    try:
        digest = _file_hash(task.source)
        if digest == task.known_hash:
            return digest, None
        if is_stream(task.source):
            pages = (
                (site_of(r.url, task.source), page_fingerprints(r.data, config=config, input_format=r.input_format))
                for r in read_records(task.source, options.fields)
                if r.error is None
            )
        else:
            prints = page_fingerprints(_read_page(task.source), config=config, input_format=options.input_format)
            pages = iter([(site_of(None, task.source), prints)])
        return digest, merge_counts(SiteModel(), pages)
    except (CleanerError, OSError):
        return "", None


def _boilerplate_for(
    model: SiteModel | None, source: str, config: CleanerConfig
) -> tuple[frozenset[int], tuple[tuple[str, frozenset[int]], ...]]:
    """A page's site boilerplate; for a record stream, every site's."""
    if model is None:
        return frozenset(), ()
    if is_stream(source):
        return frozenset(), tuple((site, model.boilerplate(site, config)) for site in sorted(model.sites))
    return model.boilerplate(site_of(None, source), config), ()


def _task_settings(base: str, boilerplate: frozenset[int], site_sets: tuple[tuple[str, frozenset[int]], ...]) -> str:
    if not boilerplate and not site_sets:
        return base
    parts = [base, boilerplate_digest(boilerplate)] + [f"{s}:{boilerplate_digest(b)}" for s, b in site_sets]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def clean_one(task: Task, options: BatchOptions, config: CleanerConfig) -> Outcome:
    """Clean one input file into its output (written atomically). A plain,
    picklable top-level function: what a process pool or Dask maps."""
    try:
        stat = os.stat(task.source)
        digest = _file_hash(task.source)
    except OSError as exc:
        return Outcome(task.relative, "failed", error=f"cannot read: {exc.strerror or exc}")
    common = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest, "output": task.output}
    if task.known_hash == digest:
        return Outcome(task.relative, "unchanged", **common)  # type: ignore[arg-type]
    try:
        if is_stream(task.source):
            articles = _clean_stream(task, options, config)
        else:
            articles = _clean_page(task, options, config)
    except CleanerError as exc:
        return Outcome(task.relative, "failed", error=str(exc))
    except OSError as exc:
        if _is_destination_error(exc):
            raise DestinationError(f"cannot write {task.output}: {exc.strerror or exc}") from None
        return Outcome(task.relative, "failed", error=f"cannot read: {exc.strerror or exc}")
    return Outcome(task.relative, "cleaned", articles=articles, **common)  # type: ignore[arg-type]


def _read_page(path: str) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read()
    if path.lower().endswith(".gz"):
        import gzip

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise CleanerError(f"not a valid gzip file ({exc})") from None
    return data


def _clean_page(task: Task, options: BatchOptions, config: CleanerConfig) -> int:
    from .render import render_json, render_jsonl, render_markdown, render_text

    document = clean(
        _read_page(task.source), source=task.relative, config=config, input_format=options.input_format,
        site_boilerplate=task.boilerplate,
    )
    renderers: dict[str, Callable[[list[Document]], str]] = {
        "json": lambda docs: render_json(docs),
        "jsonl": lambda docs: render_jsonl(docs),
        "markdown": lambda docs: render_markdown(docs, captions=options.captions, links=options.links),
        "text": lambda docs: render_text(docs, captions=options.captions),
    }
    write_atomic(task.output, renderers[options.output_format]([document]).encode("utf-8"))
    return len(document.articles)


def _clean_stream(task: Task, options: BatchOptions, config: CleanerConfig) -> int:
    """Clean a record stream record by record into one JSONL file, streaming."""
    count = 0
    sites = dict(task.site_sets)
    with AtomicFile(task.output) as out:
        for record in read_records(task.source, options.fields):
            boilerplate = sites.get(site_of(record.url, task.source), frozenset())
            lines, _ = clean_record(record, task.relative, options, config, boilerplate)
            for line in lines:
                out.write(line)
            count += len(lines)
    return count


def clean_record(
    record: Record, relative: str, options: BatchOptions, config: CleanerConfig,
    boilerplate: frozenset[int] = frozenset(),
) -> tuple[list[bytes], str | None]:
    """A record's JSONL lines (one per article, with its url, date and id), and
    its error, if it could not be cleaned (then the one line says so)."""
    from .render import article_dict

    identity = {"source": relative, "url": record.url, "date": record.date, "record_id": record.record_id}
    error = record.error
    if error is None:
        input_format = record.input_format if options.input_format == "auto" else options.input_format
        try:
            document = clean(
                record.data, source=relative, config=config, input_format=input_format, site_boilerplate=boilerplate
            )
        except CleanerError as exc:
            error = str(exc)
    if error is not None:
        return [(json.dumps({**identity, "error": error}, ensure_ascii=False) + "\n").encode("utf-8")], error
    lines = [
        (json.dumps({**identity, **article_dict(article)}, ensure_ascii=False) + "\n").encode("utf-8")
        for article in document.articles
    ]
    return lines, None


def _map(
    work: Callable[[Task, BatchOptions, CleanerConfig], T], tasks: list[Task], options: BatchOptions,
    config: CleanerConfig,
) -> Iterator[T]:
    """work(task) for every task, in task order, from a process pool when jobs > 1."""
    if options.jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield work(task, options, config)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(tasks) // (options.jobs * 8)))
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        yield from pool.map(work, tasks, [options] * len(tasks), [config] * len(tasks), chunksize=chunk)


def _unchanged(source: str, output: str, settings: str, row: sqlite3.Row) -> bool:
    """Same settings, output present, and same size and mtime: no need to read it."""
    return row["settings"] == settings and os.path.exists(output) and _same_file(source, row)


def _same_file(source: str, row: sqlite3.Row) -> bool:
    try:
        stat = os.stat(source)
    except OSError:
        return False
    return bool(stat.st_size == row["size"] and stat.st_mtime_ns == row["mtime_ns"])


def _file_hash(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(HASH_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _model_digest() -> str:
    folder = os.path.join(os.path.dirname(__file__), "data")
    digest = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:16]


def _is_destination_error(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT)


def write_atomic(target: str, data: bytes) -> None:
    """Write to a temporary file beside target, sync, then rename it into place."""
    with AtomicFile(target) as out:
        out.write(data)


class AtomicFile:
    """A file that appears at its path only whole: written under a temporary
    name in the same folder, then renamed; removed if anything goes wrong."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __enter__(self) -> AtomicFile:
        folder = os.path.dirname(self.target) or "."
        os.makedirs(folder, exist_ok=True)
        handle, self.temp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
        self.file = os.fdopen(handle, "wb")
        return self

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        try:
            if kind is None:
                self.file.flush()
                os.fsync(self.file.fileno())
            self.file.close()
            if kind is None:
                os.replace(self.temp, self.target)
        finally:
            if os.path.exists(self.temp):  # anything went wrong: no partial file stays
                os.unlink(self.temp)


def _remove_stale_temporaries(dest: str) -> None:
    """Temporary files of a run that was killed (we hold the lock: none is live)."""
    for folder, _, files in os.walk(dest):
        for name in files:
            if name.startswith(TEMP_PREFIX):
                os.unlink(os.path.join(folder, name))


class _Lock:
    def __init__(self, dest: str) -> None:
        self.path = os.path.join(dest, LOCK_NAME)

    def __enter__(self) -> _Lock:
        import fcntl

        try:
            self.handle = open(self.path, "a+b")
        except OSError as exc:
            raise DestinationError(f"cannot write in {os.path.dirname(self.path)}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise LockedError(f"another cleaner batch is running on {os.path.dirname(self.path)}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # closing releases the lock; the file stays for the next run


class _Manifest:
    """input path -> size, mtime, hash, settings, output; committed per input."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> _Manifest:
        try:
            self.db = sqlite3.connect(self.path)
        except sqlite3.Error as exc:
            raise DestinationError(f"cannot open the manifest {self.path}: {exc}") from None
        self.db.row_factory = sqlite3.Row
        # WAL: each input's commit is cheap, and a killed run keeps every commit it made
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
            " sha256 TEXT, settings TEXT, output TEXT)"
        )
        self.db.commit()
        return self

    def get(self, relative: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute("SELECT * FROM inputs WHERE path = ?", (relative,)).fetchone()
        return row

    def put(self, outcome: Outcome, settings: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?, ?, ?)",
            (outcome.relative, outcome.size, outcome.mtime_ns, outcome.sha256, settings, outcome.output),
        )
        self.db.commit()

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def read_file_list(lines: Iterable[str]) -> list[tuple[str, str]]:
    """--files-from: one path a line; each is its own relative path (absolute
    paths lose their leading '/')."""
    found = []
    for line in lines:
        path = line.strip()
        if path:
            found.append((os.path.abspath(path), os.path.normpath(path).lstrip("/").replace(os.sep, "/")))
    return found
