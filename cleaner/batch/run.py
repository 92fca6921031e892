"""A batch run: plan, learn the sites (pass 1), clean (pass 2), record.

The main process only plans, merges what the engine returns and writes the
manifest; every input is read and cleaned by the engine's workers. The engine
is started only when there is work, so a run with nothing changed stays cheap.
cleaner learn (learn_sites) is pass 1 alone, and with an article index, a
pass 2 that writes no output and only indexes the articles.
"""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..atomic import TEMP_PREFIX
from ..config import CleanerConfig
from ..model import CleanerError
from ..sitemodel import SiteModel, load_model, save_model
from .engine import Engine, partitions_of
from .files import LOCK_NAME, DestinationError, Lock, remove_stale_temporaries
from .kept import SPILL_PREFIX, Keep, Ticket, forget_run
from .local import LocalEngine
from .manifest import MANIFEST_NAME, Manifest, failed_before, same_file, unchanged
from .plan import output_paths, settings_digest, task_settings
from .tasks import BatchOptions, Outcome, Task, learn_model, site_boilerplate, site_key, unpack_prints

if TYPE_CHECKING:
    from .duplicates import ArticleChecks

SITE_MODEL_NAME = ".cleaner-site-model.bin"
# The JSON model of cleaner 0.1's batch: read once, saved anew, removed.
LEGACY_SITE_MODEL_NAME = ".cleaner-site-model.json"


@dataclass
class BatchResult:
    """What a run did; filled as it goes, so that a run stopped early (DEST
    unwritable, the cluster lost, Ctrl-C) still says what was done and what not."""

    cleaned: int = 0
    skipped: int = 0
    failed: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    stopped: str | None = None  # why the run stopped early
    not_reached: list[str] = field(default_factory=list)  # inputs a stopped run did not get to
    done: set[str] = field(default_factory=set, repr=False)  # inputs accounted for so far
    # not in the summary or the report: what each pass read (cleaner batch
    # prints them with CLEANER_DEBUG_CPU set)
    # each article that repeats an earlier one: input, article number, duplicate_of
    duplicates: list[dict[str, object]] = field(default_factory=list)
    learned: int = 0  # inputs read and fingerprinted by pass 1
    parsed: int = 0  # inputs pass 2 read and parsed again (the rest it finished from pass 1's pages)

    def summary(self) -> str:
        known = sum(1 for o in self.failed if not o.retried)
        before = f" ({known:,} unchanged since they failed: not retried)" if known else ""
        line = (
            f"cleaned {self.cleaned:,}, skipped {self.skipped:,}, failed {len(self.failed):,}{before} "
            f"in {self.seconds:.0f} s"
        )
        if self.duplicates:
            line += f"; {len(self.duplicates):,} articles repeat earlier ones"
        if self.stopped is not None:
            line += f"; stopped early, {len(self.not_reached):,} inputs not reached"
        return line

    def report(self) -> dict[str, object]:
        return {
            "cleaned": self.cleaned,
            "skipped": self.skipped,
            "failed": [{"input": o.relative, "error": o.error, "retried": o.retried} for o in self.failed],
            "seconds": round(self.seconds, 3),
            "stopped": self.stopped,
            "not_reached": self.not_reached,
            "duplicates": self.duplicates,
        }

    def stop(self, planned: list[str], reason: str) -> None:
        self.stopped = reason
        self.not_reached = [relative for relative in planned if relative not in self.done]


class _LazyEngine:
    """The engine, started on first use and stopped with the run."""

    def __init__(self, engine: Engine, stack: ExitStack) -> None:
        self.engine, self.stack, self.started = engine, stack, False

    def __call__(self) -> Engine:
        if not self.started:
            self.stack.enter_context(self.engine)  # type: ignore[arg-type]
            self.started = True
        return self.engine


def run_batch(
    inputs: list[tuple[str, str]],
    dest: str,
    options: BatchOptions,
    config: CleanerConfig = CleanerConfig(),
    progress: Callable[[BatchResult, int], None] | None = None,
    engine: Engine | None = None,
    site_model: str | None = None,
    result: BatchResult | None = None,
    article_index: str | None = None,
) -> BatchResult:
    """Clean every input into dest. Raises LockedError, DestinationError, EngineError.

    With options.learn_sites, a first pass fingerprints the new and changed
    inputs and adds them to the site model kept in DEST; with site_model (a
    model file), that model is used as it is. The second pass cleans with each
    site's boilerplate; an output made with another boilerplate set than its
    site's current one is made again. engine: LocalEngine(options.jobs) if None.
    result: filled as the run goes (give one to read it after an exception).
    Unless options.duplicates is "off", every article is checked against the
    article index (article_index, else DEST/.cleaner-articles.sqlite) and added
    to it (duplicates.py).
    """
    started = time.monotonic()
    result = result if result is not None else BatchResult()
    try:
        return _run(inputs, dest, options, config, progress, engine, site_model, result, article_index)
    except BaseException as exc:  # DEST unwritable, the engine lost, Ctrl-C: say what was not done
        reason = str(exc) if isinstance(exc, CleanerError) else "interrupted" if isinstance(
            exc, KeyboardInterrupt) else type(exc).__name__
        result.stop([relative for _, relative in inputs], reason)
        raise
    finally:
        result.seconds = time.monotonic() - started


def _run(
    inputs: list[tuple[str, str]], dest: str, options: BatchOptions, config: CleanerConfig,
    progress: Callable[[BatchResult, int], None] | None, engine: Engine | None, site_model: str | None,
    result: BatchResult, article_index: str | None = None,
) -> BatchResult:
    dest = os.path.abspath(dest)
    try:
        os.makedirs(dest, exist_ok=True)
    except OSError as exc:
        raise DestinationError(f"cannot create {dest}: {exc.strerror or exc}") from None
    with ExitStack() as stack:
        stack.enter_context(Lock(os.path.join(dest, LOCK_NAME), f"another cleaner batch is running on {dest}"))
        manifest = stack.enter_context(Manifest(os.path.join(dest, MANIFEST_NAME)))
        workers = _LazyEngine(engine or LocalEngine(options.jobs), stack)
        remove_stale_temporaries(dest)
        # on the way out, also when the run stops, once the engine is stopped (run
        # after its exit): what a worker that died or was killed mid-write left
        stack.callback(_remove_temporaries, dest, workers)
        rows = manifest.rows()
        planned = [
            (source, relative, output, rows.get(relative))
            for (source, relative), output in zip(inputs, output_paths(inputs, dest, options.output_format))
        ]
        model_path = os.path.abspath(site_model) if site_model else None
        kept: dict[str, Ticket] = {}
        keep = Keep(os.path.join(dest, SPILL_PREFIX + secrets.token_hex(4)), getattr(workers.engine, "in_process", False))
        stack.callback(forget_run, keep.prefix)
        before: dict[str, frozenset[int]] | None = None  # each site's boilerplate before this run learned
        if options.learn_sites and not site_model:
            model_path, result.learned, before = _learn_batch(planned, dest, options, config, workers, keep, kept)
        tasks = _clean_tasks(planned, model_path, options, config, result, kept, before, manifest)
        if tasks:
            checks = _article_checks(dest, article_index, options, config, stack)
            partitions = partitions_of(tasks, workers().workers)
            for partition, outcomes in zip(partitions, workers().clean(partitions, options, config)):
                if checks is not None:  # outputs final and the index committed before the manifest has them
                    result.duplicates += checks.check_partition(outcomes)
                with _interrupts_held():  # a partition's inputs are recorded all, or none: the report adds up
                    for task, outcome in zip(partition, outcomes):
                        _record(outcome, task.settings, manifest, result)
                if progress is not None:
                    progress(result, len(tasks))
        return result


def _remove_temporaries(dest: str, workers: _LazyEngine) -> None:
    if workers.started:  # (and pass 1's spill files)
        remove_stale_temporaries(dest)


Planned = list[tuple[str, str, str, "sqlite3.Row | None"]]  # source, relative, output, manifest row


def _article_checks(
    dest: str | None, article_index: str | None, options: BatchOptions, config: CleanerConfig, stack: ExitStack
) -> ArticleChecks | None:
    """The run's article index (article_index, else DEST's), opened when there
    is something to check (index module loaded then); None without one
    (duplicates off, or cleaner learn without an index: dest None)."""
    if options.duplicates == "off" or not (dest or article_index):
        return None
    from .duplicates import ArticleChecks, index_path

    try:
        return stack.enter_context(ArticleChecks(index_path(dest, article_index), dest, options, config))
    except OSError as exc:
        raise DestinationError(f"cannot write the article index: {exc.strerror or exc}") from None


def _learn_batch(
    planned: Planned, dest: str, options: BatchOptions, config: CleanerConfig, workers: Callable[[], Engine],
    keep: Keep, kept: dict[str, Ticket],
) -> tuple[str | None, int, dict[str, frozenset[int]]]:
    """Pass 1: add the new and changed inputs' counts to DEST's site model; its
    path, how many inputs were counted, and each site's boilerplate before. The
    pages it prepares are kept for pass 2: their tickets go into kept."""
    path, legacy = os.path.join(dest, SITE_MODEL_NAME), os.path.join(dest, LEGACY_SITE_MODEL_NAME)
    migrate = not os.path.exists(path) and os.path.exists(legacy)
    model = load_model(path if not migrate else legacy) if migrate or os.path.exists(path) else SiteModel()
    before = {site: model.boilerplate(site, config) for site in model.sites}
    tasks = [
        Task(source, relative, output, "", model.counted.get(relative), keep=keep)
        for source, relative, output, row in planned
        if row is None or not same_file(source, row)
        or (row["sha256"] != model.counted.get(relative) and (options.force or not row["error"]))
    ]
    counted = _learn(tasks, model, options, config, workers, kept)
    save_model_or_stop(model, path, config, bool(counted) or migrate)
    if migrate:
        os.unlink(legacy)
    return (path if os.path.exists(path) else None), counted, before


@dataclass
class LearnResult:
    """What cleaner learn did; filled as it goes, so that a run stopped while
    it indexes (Ctrl-C, the cluster lost) still says what was done."""

    counted: int = 0  # new or changed inputs added to the model
    sites: int = 0  # sites in the model
    learned: bool = False  # pass 1 done and the model saved (a run stopped before: the model unchanged)
    # with an article index: the inputs cleaned and indexed, the articles added,
    # how many of those repeat earlier ones, and the inputs that could not be cleaned
    indexed: int = 0
    articles: int = 0
    duplicates: int = 0
    failed: list[Outcome] = field(default_factory=list)

    def summary(self, inputs: int, model: str, index: str | None) -> str:
        line = f"learned {self.counted:,} new or changed inputs of {inputs:,}; {self.sites:,} sites in {model}"
        if index is not None:
            line += (f"; indexed {self.articles:,} articles of {self.indexed:,} inputs in {index}, "
                     f"{self.duplicates:,} repeat earlier ones")
        if self.failed:
            line += f"; {len(self.failed):,} inputs failed"
        return line


def learn_sites(
    inputs: list[tuple[str, str]], model_path: str, options: BatchOptions, config: CleanerConfig = CleanerConfig(),
    engine: Engine | None = None, article_index: str | None = None, result: LearnResult | None = None,
) -> LearnResult:
    """`cleaner learn`: pass 1 alone, into the model file at model_path (added to
    it when it exists; inputs counted before with the same content are not read
    again). Raises LockedError, DestinationError, EngineError.

    With article_index (a path), the model saved, the inputs not indexed with
    their current content (the new and changed ones, and any the index lacks)
    are then cleaned with it as cleaner batch --site-model would, with no
    output, and their articles added to that index in input order
    (_index_learned). result: filled as the run goes.
    """
    model_path = os.path.abspath(model_path)
    result = result if result is not None else LearnResult()
    with ExitStack() as stack:
        stack.enter_context(Lock(model_path + ".lock", f"another cleaner learn is writing {model_path}"))
        if article_index:  # pass 2 writes no output; the index is opened first: a locked or unreadable one stops the run
            options = replace(options, write_outputs=False, sketch_prefix=_sketch_prefix(model_path))
        checks = _article_checks(None, article_index, options, config, stack)
        if checks is not None:
            _remove_sketches(options.sketch_prefix)  # a killed run's: this model's lock is ours
            stack.callback(_remove_sketches, options.sketch_prefix)  # once the engine has stopped
        workers = _LazyEngine(engine or LocalEngine(options.jobs), stack)
        model = load_model(model_path) if os.path.exists(model_path) else SiteModel()
        tasks = [Task(source, relative, "", "", model.counted.get(relative)) for source, relative in inputs]
        before = dict(model.counted)
        counted = _learn(tasks, model, options, config, workers)
        save_model_or_stop(model, model_path, config, bool(counted) or not os.path.exists(model_path))
        result.counted = sum(1 for k, v in model.counted.items() if before.get(k) != v)
        result.sites, result.learned = len(model.sites), True
        if checks is not None:
            _index_learned(inputs, model, model_path, options, config, workers, checks, result)
        return result


def _index_learned(
    inputs: list[tuple[str, str]], model: SiteModel, model_path: str, options: BatchOptions,
    config: CleanerConfig, workers: Callable[[], Engine], checks: ArticleChecks, result: LearnResult,
) -> None:
    """cleaner learn's articles into the index: each input whose content (as
    pass 1 just hashed it: model.counted) is not what its articles were indexed
    from, or that pass 1 could not read (cleaning it says why), is cleaned by
    the engine with no output; the index is committed after each partition, as
    in a batch, so a run stopped mid-way keeps whole partitions and the next
    run cleans the rest."""
    tasks = [
        Task(source, relative, "", "", None, site_key(source), model_path)
        for source, relative in inputs
        if model.counted.get(relative) is None or checks.index.indexed_content(relative) != model.counted[relative]
    ]
    if not tasks:
        return
    engine = workers()
    for outcomes in engine.clean(partitions_of(tasks, engine.workers), options, config):
        result.duplicates += len(checks.check_partition(outcomes))
        result.articles = checks.added
        result.indexed += sum(1 for outcome in outcomes if outcome.status == "cleaned")
        result.failed += [outcome for outcome in outcomes if outcome.status == "failed"]


def _sketch_prefix(model_path: str) -> str:
    """Where cleaner learn's workers spill a record stream's sketches: beside
    the model, which every worker reads (a hidden temporary name of this model's)."""
    folder, name = os.path.split(model_path)
    return os.path.join(folder, f"{TEMP_PREFIX}sketches-{name}-")


def _remove_sketches(prefix: str) -> None:
    folder, name = os.path.split(prefix)
    for entry in os.listdir(folder):
        if entry.startswith(name):
            try:
                os.unlink(os.path.join(folder, entry))
            except FileNotFoundError:
                pass


def _learn(
    tasks: list[Task], model: SiteModel, options: BatchOptions, config: CleanerConfig,
    workers: Callable[[], Engine], kept: dict[str, Ticket] | None = None,
) -> int:
    """Pass 1 of tasks added to model; how many inputs were counted."""
    if not tasks:
        return 0
    engine = workers()
    learned = engine.learn(partitions_of(tasks, engine.workers), options, config)
    if kept is not None:
        kept.update((ticket.relative, ticket) for ticket in learned.kept)
    learn_model(model, learned.counted, learned.pages, learned.buckets)
    return len(learned.counted)


def save_model_or_stop(model: SiteModel, path: str, config: CleanerConfig, needed: bool) -> None:
    """The counts and the list of counted inputs are saved together, atomically."""
    if not needed:
        return
    try:
        save_model(model, path, config)
    except OSError as exc:
        raise DestinationError(f"cannot write {path}: {exc.strerror or exc}") from None


def _clean_tasks(
    planned: Planned, model_path: str | None, options: BatchOptions, config: CleanerConfig, result: BatchResult,
    kept: dict[str, Ticket], before: dict[str, frozenset[int]] | None, manifest: Manifest,
) -> list[Task]:
    """Pass 2's tasks: every input not skipped (those are counted in result),
    with the ticket of its page if pass 1 kept it.

    A page whose site's boilerplate changed in this run's learning (before: the
    sets before) is skipped too when its output would not change: same input,
    output made with the old set, and the same of its own lines (its fingerprints,
    kept in the manifest) in the old and the new set. Its manifest row takes the
    new settings; nothing is read or written."""
    sites = site_boilerplate(model_path, config)
    base = settings_digest(options, config)
    per_site: dict[str, str] = {}
    old_per_site: dict[str, str | None] = {}  # the site's settings before, if its boilerplate changed
    tasks = []
    for source, relative, output, row in planned:
        site = site_key(source)
        if site not in per_site:  # once per site ("" for streams): the digest of its boilerplate
            per_site[site] = task_settings(base, source, site, sites)
            changed = before is not None and site and before.get(site, frozenset()) != sites.get(site, frozenset())
            old_per_site[site] = task_settings(base, source, site, before) if changed and before is not None else None
        settings = per_site[site]
        if not options.force and row is not None and unchanged(source, output, settings, row):
            result.skipped += 1
            result.done.add(relative)
            continue
        if not options.force and row is not None and failed_before(source, settings, row):
            result.failed.append(Outcome(relative, "failed", error=row["error"], retried=False))
            result.done.add(relative)
            continue
        old = old_per_site[site]
        if (not options.force and old is not None and before is not None and row is not None
                and unchanged(source, output, old, row)
                and _same_lines(manifest.prints(relative, row["sha256"]), before.get(site), sites.get(site))):
            manifest.put(Outcome(relative, "unchanged", row["size"], row["mtime_ns"], row["sha256"], output), settings)
            result.skipped += 1
            result.done.add(relative)
            continue
        same = row is not None and row["settings"] == settings and os.path.exists(output)
        known = row["sha256"] if row is not None and same and not options.force else None
        tasks.append(Task(source, relative, output, settings, known, site, model_path, kept=kept.get(relative)))
    return tasks


def _same_lines(prints: bytes | None, old: frozenset[int] | None, new: frozenset[int] | None) -> bool:
    """Whether a page (its packed fingerprints) has the same lines in two boilerplate sets."""
    if prints is None:
        return False  # not known (cleaned by an older cleaner): cleaned again
    lines = unpack_prints(prints)
    return lines & (old or frozenset()) == lines & (new or frozenset())


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C (and SIGTERM, which the CLI turns into one) held back until the
    block is done, for a few quick steps of bookkeeping; a KeyboardInterrupt
    landing between two of them would leave an input neither recorded nor
    not reached. Only where signal handlers can be set: the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[tuple[int, Any]] = []
    handlers: dict[signal.Signals, Any] = {}
    try:
        for number in (signal.SIGINT, signal.SIGTERM):
            if callable(handler := signal.getsignal(number)):
                handlers[number] = handler
                signal.signal(number, lambda signum, frame: held.append((signum, frame)))
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for signum, frame in held[:1]:
            handlers[signal.Signals(signum)](signum, frame)  # raises KeyboardInterrupt, now


def _record(outcome: Outcome, settings: str, manifest: Manifest, result: BatchResult) -> None:
    result.done.add(outcome.relative)
    if outcome.status == "failed":
        result.failed.append(outcome)
        if outcome.sha256:  # known content: not tried again until it changes (or --force)
            manifest.put(outcome, settings)
        return
    manifest.put(outcome, settings)
    if outcome.status == "cleaned":
        result.cleaned += 1
        result.parsed += outcome.parsed
    else:
        result.skipped += 1
