"""The Dask engine: the same tasks.py functions, mapped on a Dask cluster.

With a scheduler address (``--scheduler`` or ``DASK_SCHEDULER_ADDRESS``) it
joins that cluster; without one it starts a LocalCluster of ``jobs`` worker
processes, one thread each. Pass 1 maps ``count_partition`` over the
partitions, splits each partial into its hash buckets and merges every bucket
on a worker (``merge_bucket``); only the merged buckets come back. Pass 2 maps
``clean_partition``; each task names the site model file, which workers read
from disk (DEST must be on a file system every worker sees). Dask retries the
partitions of a worker that dies; a partition whose workers keep dying fails the
run (EngineError), and the next run finishes the job.

dask is imported only when this engine starts: ``pip install "cleaner[dask]"``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..config import DASK_CONNECT_SECONDS, CleanerConfig
from .engine import EngineError, EngineMissing, LearnedCounts
from .kept import Ticket
from .tasks import (
    N_BUCKETS, BatchOptions, BucketCounts, Outcome, PartialCounts, Task, clean_partition, count_partition,
    merge_bucket,
)

INSTALL_HINT = 'the Dask engine needs dask: pip install "cleaner[dask]"'
# A LocalCluster started for one batch runs without Dask's live diagnostics: the
# statistical profiler samples every worker's stack every 10 ms, and event-loop
# and system monitors tick every 20-500 ms in every process. Together they took
# about a tenth of the CPU of a 2-worker batch here, on work that never looks
# at them. (A cluster given by --scheduler keeps its own configuration.)
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


class DaskEngine:
    """A Dask client (and, without an address, its LocalCluster); a context manager."""

    def __init__(self, jobs: int, address: str | None = None, connect_seconds: float = DASK_CONNECT_SECONDS) -> None:
        self.workers = max(1, jobs)
        self.in_process = False  # pass 2 may run on another worker: kept pages go to spill files in DEST
        self.address = address
        self.connect_seconds = connect_seconds
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> DaskEngine:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise EngineMissing(INSTALL_HINT) from None
        quiet = logging.ERROR  # cron: errors only (a restarted worker is not one)
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(quiet)
        if self.address:
            try:
                self.client = Client(  # type: ignore[no-untyped-call]
                    self.address, timeout=self.connect_seconds, set_as_default=False
                )
            except (OSError, TimeoutError) as exc:
                raise EngineError(
                    f"no Dask scheduler answered at {self.address} within {self.connect_seconds:g} s ({exc})"
                ) from None
            try:  # a scheduler without workers would leave the run waiting for ever
                self.client.wait_for_workers(1, timeout=self.connect_seconds)
            except TimeoutError:
                self.client.close()
                raise EngineError(
                    f"the Dask scheduler at {self.address} has no workers (waited {self.connect_seconds:g} s)"
                ) from None
            self.workers = max(1, sum(self.client.nthreads().values()))
        else:
            import dask

            with dask.config.set(LOCAL_CLUSTER_CONFIG):
                self.cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                    silence_logs=quiet,
                )
                self.client = Client(self.cluster, set_as_default=False)  # type: ignore[no-untyped-call]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def learn(self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig) -> LearnedCounts:
        client = self.client
        partials = client.map(count_partition, partitions, options=options, config=config, pure=False)
        heads = client.map(_head, partials, pure=False)
        merged = [
            client.submit(merge_bucket, client.map(_bucket, partials, number=number, pure=False), pure=False)
            for number in range(N_BUCKETS)
        ]
        counted: list[tuple[str, str]] = []
        pages: Counter[str] = Counter()
        kept: list[Ticket] = []
        for part_counted, part_pages, part_kept in self._gather(heads):
            counted += part_counted
            pages.update(part_pages)
            kept += part_kept
        return LearnedCounts(counted, pages, self._gather(merged), kept)

    def clean(
        self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig
    ) -> Iterator[list[Outcome]]:
        futures = self.client.map(clean_partition, partitions, options=options, config=config, pure=False)
        futures.reverse()
        while futures:  # in order; each result let go once read
            yield self._result(futures.pop())

    def _gather(self, futures: list[Any]) -> list[Any]:
        return [self._result(future) for future in futures]

    def _result(self, future: Any) -> Any:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            raise EngineError(
                f"Dask workers kept dying while running a partition ({exc}); run again to finish"
            ) from None
        except OSError as exc:  # the scheduler went away (CommClosedError is an OSError)
            raise EngineError(f"lost the Dask cluster ({exc}); run again to finish") from None


def _head(partial: PartialCounts) -> tuple[list[tuple[str, str]], Counter[str], list[Ticket]]:
    return partial.counted, partial.pages, partial.kept


def _bucket(partial: PartialCounts, number: int) -> BucketCounts:
    return partial.buckets[number]
