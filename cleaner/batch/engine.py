"""What an engine does for a batch run, and how inputs are cut into partitions.

An engine runs the two passes of tasks.py over partitions (lists of inputs):
``learn`` returns pass 1's merged counts, ``clean`` yields pass 2's outcomes
partition by partition in input order. ``LocalEngine`` (local.py) is a process
pool; ``DaskEngine`` (dask.py) a Dask cluster. Neither computes anything
itself, so their outputs are the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import NamedTuple, Protocol

from ..config import CleanerConfig
from ..model import CleanerError
from ..records import is_stream
from .kept import Ticket
from .tasks import BatchOptions, BucketCounts, Outcome, PartialCounts, Task, merge_bucket, N_BUCKETS

# Single pages are grouped into partitions of at most this many inputs (a
# record stream is a partition of its own): one task per page costs more to
# schedule than to run, and a partition this small still balances the load.
MAX_PARTITION_INPUTS = 64
# ... and into at least this many partitions per worker, for the load balance.
PARTITIONS_PER_WORKER = 8



class LearnedCounts(NamedTuple):
    """Pass 1's result: the inputs counted (relative path, content hash), pages
    per site, the merged counts of each bucket, and the tickets of the prepared
    pages kept for pass 2."""

    counted: list[tuple[str, str]]
    pages: Counter[str]
    buckets: list[BucketCounts]
    kept: list[Ticket]


class EngineError(CleanerError):
    """The engine cannot run the batch: no scheduler answers, workers keep dying."""


class EngineMissing(CleanerError):
    """The engine's library is not installed."""


class Engine(Protocol):
    workers: int
    in_process: bool  # both passes run in this process (pass 1 may keep pages in memory for pass 2)

    def learn(self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig) -> LearnedCounts:
        ...

    def clean(
        self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig
    ) -> Iterator[list[Outcome]]:
        ...


def partitions_of(tasks: list[Task], workers: int) -> list[list[Task]]:
    """tasks cut into partitions, in order."""
    size = max(1, min(MAX_PARTITION_INPUTS, len(tasks) // (max(workers, 1) * PARTITIONS_PER_WORKER)))
    found: list[list[Task]] = []
    pages: list[Task] = []
    for task in tasks:
        if is_stream(task.source):
            found += [pages, [task]] if pages else [[task]]
            pages = []
            continue
        pages.append(task)
        if len(pages) == size:
            found.append(pages)
            pages = []
    return found + [pages] if pages else found


def combine_partials(partials: Iterable[PartialCounts]) -> LearnedCounts:
    """Pass 1's partials merged in this process (the local engine's reduction)."""
    counted: list[tuple[str, str]] = []
    pages: Counter[str] = Counter()
    buckets: list[list[BucketCounts]] = [[] for _ in range(N_BUCKETS)]
    kept: list[Ticket] = []
    for partial in partials:
        counted += partial.counted
        pages.update(partial.pages)
        kept += partial.kept
        for number, bucket in enumerate(partial.buckets):
            buckets[number].append(bucket)
    return LearnedCounts(counted, pages, [merge_bucket(parts) for parts in buckets], kept)
