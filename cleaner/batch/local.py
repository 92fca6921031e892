"""The local engine: a process pool on this machine (``--jobs N``), or this
process alone when N is 1. It maps tasks.py's functions over the partitions;
pass 1's partials, already aggregated per partition, are merged here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from typing import TypeVar

from ..config import CleanerConfig
from .engine import EngineError, LearnedCounts, combine_partials
from .tasks import BatchOptions, Outcome, Task, clean_partition, count_partition

R = TypeVar("R")


class LocalEngine:
    """One pool for both passes (its workers start once); a context manager."""

    def __init__(self, jobs: int) -> None:
        self.workers = max(1, jobs)
        self.in_process = self.workers == 1  # both passes run in this process
        self.pool: Executor | None = None

    def __enter__(self) -> LocalEngine:
        if self.workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def learn(self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig) -> LearnedCounts:
        return combine_partials(self._map(count_partition, partitions, options, config))

    def clean(
        self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig
    ) -> Iterator[list[Outcome]]:
        return self._map(clean_partition, partitions, options, config)

    def _map(
        self, work: Callable[[list[Task], BatchOptions, CleanerConfig], R], partitions: list[list[Task]],
        options: BatchOptions, config: CleanerConfig,
    ) -> Iterator[R]:
        if self.pool is None or len(partitions) <= 1:
            for partition in partitions:
                yield work(partition, options, config)
            return
        from concurrent.futures.process import BrokenProcessPool

        count = len(partitions)
        try:
            yield from self.pool.map(work, partitions, [options] * count, [config] * count)
        except BrokenProcessPool:
            raise EngineError("a worker process died (killed, or out of memory); run again to finish") from None
