"""The Dask engine: the same tasks.py functions, mapped on a Dask cluster.

With a scheduler address (``--scheduler`` or ``DASK_SCHEDULER_ADDRESS``) it
joins that cluster; without one it starts a LocalCluster of ``jobs`` worker
processes, one thread each. Pass 1 maps ``count_partition`` over the
partitions, splits each partial into its hash buckets and merges every bucket
on a worker (``merge_bucket``); only the merged buckets come back. Pass 2 maps
``clean_partition``; each task names the site model file, which workers read
from disk (DEST must be on a file system every worker sees). Dask retries the
partitions of a worker that dies, up to allowed-failures times (1 on a
LocalCluster; a given cluster keeps its own setting); a partition that still
kills its worker is run input by input, and the input that kills is reported as
failed (``dead_outcome``), as with the local pool. Losing the cluster stops the
run (EngineError); the next run finishes the job.

dask is imported only when this engine starts (the ``dask`` extra: the error
message without it names the install command, from distribution.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..config import DASK_CONNECT_SECONDS, CleanerConfig
from ..distribution import install_command
from .engine import EngineError, EngineMissing, LearnedCounts
from .kept import Ticket
from .tasks import (
    N_BUCKETS, BatchOptions, BucketCounts, Outcome, PartialCounts, Task, clean_partition, count_partition,
    dead_outcome, merge_bucket,
)

# While waiting for a task, check this often (seconds) that the LocalCluster still has workers.
WORKER_CHECK_SECONDS = 5.0
# A LocalCluster started for one batch runs without Dask's live diagnostics: the
# statistical profiler samples every worker's stack every 10 ms, and event-loop
# and system monitors tick every 20-500 ms in every process. Together they took
# about a tenth of the CPU of a 2-worker batch here, on work that never looks
# at them. (A cluster given by --scheduler keeps its own configuration.)
# Timeouts of Dask's calls: asyncio's TimeoutError is the built-in one only
# from Python 3.11; on 3.10 it is a class of its own (found by CI on 3.10).
TIMEOUTS = (TimeoutError, asyncio.TimeoutError)
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    # A task is given up after killing this many workers (Dask's default is 3:
    # each death costs a worker restart).
    "distributed.scheduler.allowed-failures": 1,
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
            raise EngineMissing(f"the Dask engine needs dask: {install_command('dask')}") from None
        quiet = logging.ERROR  # cron: errors only (a restarted worker is not one)
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(quiet)
        if self.address:
            try:
                self.client = Client(  # type: ignore[no-untyped-call]
                    self.address, timeout=self.connect_seconds, set_as_default=False
                )
            except (OSError, *TIMEOUTS) as exc:
                raise EngineError(
                    f"no Dask scheduler answered at {self.address} within {self.connect_seconds:g} s ({exc})"
                ) from None
            try:  # a scheduler without workers would leave the run waiting for ever
                self.client.wait_for_workers(1, timeout=self.connect_seconds)
            except TIMEOUTS:  # distributed's WorkerStartTimeoutError
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
                    # no dashboard, and its HTTP server on a free port: none of
                    # "Port 8787 is already in use" when another cluster holds it
                    scheduler_kwargs={"dashboard_address": ":0"},
                    silence_logs=quiet,
                )
                self.client = Client(self.cluster, set_as_default=False)  # type: ignore[no-untyped-call]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None and self.cluster is not None:
            # Our LocalCluster's workers, shut down with it, can race its scheduler
            # and log a heartbeat error with a traceback into cron's mail (seen on
            # Python 3.13 under load): the run's own errors came through its futures.
            try:
                self.client.run(_silence_logs)
            except (OSError, *TIMEOUTS):
                pass  # workers already gone: nothing left to say
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def learn(self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig) -> LearnedCounts:
        client = self.client
        partials = client.map(count_partition, partitions, options=options, config=config, pure=False)
        partials = self._without_killers(partials, partitions, options, config)
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
        for partition in partitions:  # in order; each result let go once read
            future = futures.pop()
            yield self._result(future) if not self._killed(future) else self._one_by_one(partition, options, config)

    def _killed(self, future: Any) -> bool:
        """The future's task kept killing its workers (KilledWorker)."""
        from distributed import KilledWorker

        try:
            self._wait(future)
            return isinstance(future.exception(), KilledWorker)
        except OSError:  # the cluster is lost: _result says so
            return False

    def _wait(self, future: Any) -> None:
        """Wait for future. A nanny does not restart a worker that dies while it
        starts (a task that kills it at once, on a busy machine): a LocalCluster
        left without workers for two checks in a row gets new ones."""
        empty = 0
        while True:
            try:
                future.exception(timeout=WORKER_CHECK_SECONDS)
                return
            except TIMEOUTS:
                pass
            empty = empty + 1 if self.cluster is not None and not self.client.nthreads() else 0
            if empty >= 2:
                self.cluster.scale(0)
                self.cluster.scale(self.workers)
                empty = 0

    def _one_by_one(self, partition: list[Task], options: BatchOptions, config: CleanerConfig) -> list[Outcome]:
        """A partition that killed its workers, one input a task: the input that
        kills is failed, the others are cleaned."""
        futures = self.client.map(clean_partition, [[task] for task in partition], options=options, config=config,
                                  pure=False)
        outcomes: list[Outcome] = []
        for task, future in zip(partition, futures):
            if self._killed(future):
                outcomes.append(dead_outcome(task, DEAD_WORKER))
            else:
                outcomes += self._result(future)
        return outcomes

    def _without_killers(
        self, partials: list[Any], partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig,
    ) -> list[Any]:
        """Pass 1's futures, with each partition that killed its workers counted
        again input by input, leaving out the input that kills (pass 2 reports it)."""
        fixed = []
        for future, partition in zip(partials, partitions):
            if not self._killed(future):
                fixed.append(future)
                continue
            pieces = self.client.map(count_partition, [[task] for task in partition], options=options, config=config,
                                     pure=False)
            fixed += [piece if not self._killed(piece) else self.client.submit(PartialCounts, pure=False)
                      for piece in pieces]
        return fixed

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


def _silence_logs() -> None:
    """In a worker about to be shut down: no more log lines."""
    for name in ("distributed", "dask", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


DEAD_WORKER = (
    "the Dask worker cleaning it died, again on retry: out of memory, or a crash"
)


def _head(partial: PartialCounts) -> tuple[list[tuple[str, str]], Counter[str], list[Ticket]]:
    return partial.counted, partial.pages, partial.kept


def _bucket(partial: PartialCounts, number: int) -> BucketCounts:
    return partial.buckets[number]
