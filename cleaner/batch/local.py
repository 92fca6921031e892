"""The local engine: a process pool on this machine (``--jobs N``). It maps
tasks.py's functions over the partitions; pass 1's partials, already
aggregated per partition, are merged here.

A worker that dies (the out-of-memory killer, a crash in a C library, a
signal) breaks the pool and every partition in it. The pool is then replaced
and the rest goes on: partitions already finished are kept, the others are run
again, and a partition that was in the broken pool is run input by input, each
in a child process of its own, so the one input that kills its process is found,
reported as failed (``dead_outcome``) and not retried in this run.

``--page-seconds`` is enforced in the worker (SIGALRM), which a call stuck in C
code does not see; as a backstop, a partition of pages that runs past
HARD_LIMIT_PAGES times its pages' limits has its workers killed, and the page
that hangs is found the same way.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout  # not the built-in one before Python 3.11
from dataclasses import replace
from typing import Any, TypeVar

from ..config import CleanerConfig
from .engine import LearnedCounts, combine_partials
from ..records import is_stream
from .tasks import BatchOptions, Outcome, PartialCounts, Task, clean_partition, count_partition, dead_outcome

R = TypeVar("R")
# The backstop: a partition of n pages may run (n * HARD_LIMIT_PAGES + 1) times
# --page-seconds before its workers are killed (the worker's own timer fires
# first on any page that returns to Python now and then). A record stream has
# no such bound: it may rightly run for hours, each record under the timer.
Work = Callable[[list[Task], BatchOptions, CleanerConfig], R]
HARD_LIMIT_PAGES = 2
# Workers killed when a run stops are waited for this long at most (SIGKILL ends
# them at once, unless the kernel holds them in a disk wait).
KILLED_WORKERS_SECONDS = 10.0


class LocalEngine:
    """One pool for both passes (its workers start once), replaced when a worker dies; a context manager."""

    def __init__(self, jobs: int) -> None:
        self.workers = max(1, jobs)
        # Both passes run in one process, the pool's one worker: pass 1 keeps the
        # pages it prepares in that worker's memory for pass 2. (A worker that
        # replaces a dead one has none of them: pass 2 parses those pages again.)
        self.in_process = self.workers == 1
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if self.pool is None:
            return
        if kind is None:
            self.pool.shutdown()
        else:  # Ctrl-C, or the run stops: its workers killed, and nothing waited for (see _abandon)
            _abandon(self.pool)
        self.pool = None

    def learn(self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig) -> LearnedCounts:
        pieces = self._map(count_partition, partitions, options, config, lambda task, reason: PartialCounts())
        return combine_partials(partial for parts in pieces for partial in parts)

    def clean(
        self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig
    ) -> Iterator[list[Outcome]]:
        pieces = self._map(clean_partition, partitions, options, config, lambda task, reason: [dead_outcome(task, reason)])
        return ([outcome for part in parts for outcome in part] for parts in pieces)

    def _new_pool(self) -> ProcessPoolExecutor:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_ignore_interrupt)
        return self.pool

    def _map(
        self, work: Work[R], partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig,
        dead: Callable[[Task, str], R],
    ) -> Iterator[list[R]]:
        """Each partition's results in order: [result], or after its worker died,
        one result per input (dead(task, reason) for the input that kills)."""
        from concurrent.futures.process import BrokenProcessPool

        pool = self.pool or self._new_pool()
        futures: list[Future[R]] = [pool.submit(work, p, options, config) for p in partitions]
        for number, partition in enumerate(partitions):
            try:
                yield [futures[number].result(timeout=_hard_limit(partition, options))]
                futures[number] = _DONE
                continue
            except (BrokenProcessPool, MemoryError):
                pass
            except FutureTimeout:  # stuck where the worker's timer cannot stop it
                _kill_workers(pool)
            pool = self._new_pool()  # the rest goes to a new pool; what finished is kept
            for later in range(number + 1, len(partitions)):
                if not _finished(futures[later]):
                    futures[later] = pool.submit(work, partitions[later], options, config)
            yield [_alone(work, [_spilling(task)], options, config, dead, _hard_limit([task], options))
                   for task in partition]


_DONE: Future[Any] = Future()


def _spilling(task: Task) -> Task:
    """A pass-1 task run in a child process of its own keeps its page in a spill
    file, not in the child's memory, which ends with it."""
    if task.keep is None or not task.keep.here:
        return task
    return replace(task, keep=replace(task.keep, here=False))


def _hard_limit(partition: list[Task], options: BatchOptions) -> float | None:
    if not options.page_seconds or any(is_stream(task.source) for task in partition):
        return None
    return options.page_seconds * (len(partition) * HARD_LIMIT_PAGES + 1)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def _abandon(pool: ProcessPoolExecutor) -> None:
    """A pool left mid-run: its workers killed (they ignore Ctrl-C, and one may
    be stuck where no signal but SIGKILL ends it), its pool not shut down.
    shutdown() waits for the pool's manager thread, or (cancel_futures, or
    Python 3.12+) for a lock that thread takes; a Ctrl-C that lands inside
    the executor's own code in this thread (in Future.result) can leave that
    thread blocked for good. Seeing its workers dead, the thread ends by itself.
    The pool is kept (_ABANDONED): collected, it would take that lock too.
    Returns once the workers are gone (or after KILLED_WORKERS_SECONDS): none
    writes a temporary file after the run has removed them."""
    from multiprocessing.connection import wait

    workers = list((getattr(pool, "_processes", None) or {}).values())
    _kill_workers(pool)
    _ABANDONED.append(pool)
    try:
        deadline = time.monotonic() + KILLED_WORKERS_SECONDS
        while workers and time.monotonic() < deadline:
            ended = wait([worker.sentinel for worker in workers], deadline - time.monotonic())
            workers = [worker for worker in workers if worker.sentinel not in ended]
    except (OSError, ValueError):  # a sentinel the pool's thread closed: that worker was joined
        pass


# Pools left mid-run, kept for the process's life (see _abandon).
_ABANDONED: list[ProcessPoolExecutor] = []


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the main process, which stops them (SIGTERM: they just end)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _finished(future: Future[Any]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _alone(
    work: Work[R], tasks: list[Task], options: BatchOptions, config: CleanerConfig, dead: Callable[[Task, str], R],
    seconds: float | None,
) -> R:
    """work(tasks) in a child process of its own; dead(task, reason) if that
    process dies, or is killed after seconds."""
    import multiprocessing

    reader, writer = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=_child, args=(writer, work, tasks, options, config), daemon=True)
    process.start()
    writer.close()
    ok: bool | None = None  # None: no answer (the process died)
    value: Any = None
    hung = False
    try:
        hung = not reader.poll(seconds)
        if hung:
            process.kill()
        else:
            ok, value = reader.recv()
    except EOFError:
        pass
    except BaseException:  # Ctrl-C: the child ignores it, and may be stuck (the join below would wait for it)
        process.kill()
        raise
    finally:
        reader.close()
        process.join()
    if hung:
        return dead(tasks[0], f"took longer than {seconds:g} s and did not stop at --page-seconds "
                              "(stuck in a C library?): its process was killed")
    if ok is None:
        return dead(tasks[0], _death(process.exitcode))
    if not ok:
        raise value  # DestinationError: the run stops
    return value  # type: ignore[no-any-return]


def _child(writer: Any, work: Work[Any], tasks: list[Task], options: BatchOptions, config: CleanerConfig) -> None:
    _ignore_interrupt()
    try:
        result = (True, work(tasks, options, config))
    except BaseException as exc:  # sent to the parent, which raises it
        result = (False, exc)
    writer.send(result)
    writer.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        how = f"was killed by {name}"
    else:
        how = f"died (exit status {exitcode})"
    return f"the worker process cleaning it {how}: out of memory, or a crash"
