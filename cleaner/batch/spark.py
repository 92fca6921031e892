"""The Spark engine: `cleaner batch` run by a Spark job, from PySpark.

    from cleaner.batch.spark import run_spark
    result = run_spark(spark.sparkContext, "/shared/raw", "/shared/clean")

``run_spark`` is ``cleaner batch SRC DEST`` with its work done by Spark
executors: the same plan, manifest, lock and report (kept by this driver
process), the same tasks.py functions, so the outputs, the manifest and the
site model are the same bytes as a local or Dask run. Pass 1 maps
``count_partition`` over an RDD of partitions, spreads each partial's hash
buckets and merges each bucket on an executor (``reduceByKey``); pass 2 maps
``clean_partition``. Executors read the inputs, write the outputs into DEST
and read the site model from DEST, so SRC and DEST must be on a file system
every executor sees at the same paths, with cleaner installed on each.

pyspark is not a dependency of cleaner (the ``spark`` extra installs it); it is
imported only here, when a Spark user calls this.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from ..config import CleanerConfig
from .engine import EngineError, LearnedCounts
from .files import DestinationError
from .kept import Ticket
from .plan import list_inputs
from .run import BatchResult, run_batch
from .tasks import (
    N_BUCKETS, BatchOptions, BucketCounts, Outcome, PartialCounts, Task, clean_partition, count_partition,
)


class SparkEngine:
    """An engine (engine.py's protocol) over a SparkContext the caller owns."""

    def __init__(self, spark_context: Any) -> None:
        self.context = spark_context
        self.workers = max(1, int(spark_context.defaultParallelism))
        self.in_process = False  # pages pass 1 keeps go to spill files in DEST, which executors see

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        """The SparkContext is the caller's: left running."""

    def learn(self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig) -> LearnedCounts:
        rdd = self.context.parallelize(partitions, len(partitions))
        partials = rdd.map(lambda tasks: count_partition(tasks, options, config)).cache()
        try:
            heads = _run(partials.map(_head).collect)
            buckets = partials.flatMap(_buckets).reduceByKey(_merge_into, min(N_BUCKETS, self.workers))
            merged = [bucket for _, bucket in sorted(_run(buckets.collect), key=lambda kv: kv[0])]
        finally:
            partials.unpersist()
        counted: list[tuple[str, str]] = []
        pages: Counter[str] = Counter()
        kept: list[Ticket] = []
        for part_counted, part_pages, part_kept in heads:
            counted += part_counted
            pages.update(part_pages)
            kept += part_kept
        return LearnedCounts(counted, pages, merged, kept)

    def clean(
        self, partitions: list[list[Task]], options: BatchOptions, config: CleanerConfig
    ) -> Iterator[list[Outcome]]:
        rdd = self.context.parallelize(partitions, len(partitions))
        results = _run(rdd.map(lambda tasks: _clean_or_stop(tasks, options, config)).collect)
        for result in results:  # in input order, as collect() keeps it
            if isinstance(result, DestinationError):
                raise result
            yield result


def run_spark(
    spark_context: Any, src: str, dest: str, options: BatchOptions | None = None,
    config: CleanerConfig | None = None, site_model: str | None = None,
) -> BatchResult:
    """`cleaner batch SRC DEST` on Spark (options: BatchOptions, e.g.
    BatchOptions(output_format="markdown"); options.jobs is ignored: Spark's
    default parallelism sets the partitions). Raises LockedError,
    DestinationError, EngineError like run_batch."""
    options = options or BatchOptions()
    inputs = list_inputs(src, options.pattern, dest)
    return run_batch(inputs, dest, options, config or CleanerConfig(), engine=SparkEngine(spark_context),
                     site_model=site_model)


def _run(action: Callable[[], list[Any]]) -> list[Any]:
    """A Spark action, its failures (an executor's exception, a lost executor)
    turned into EngineError with their first line."""
    try:
        return action()
    except Exception as exc:  # Py4JJavaError, pyspark's PythonException: no common base but Exception
        if type(exc).__module__.split(".")[0] not in ("py4j", "pyspark"):
            raise
        lines = [line for line in str(exc).splitlines() if line.strip()]
        raise EngineError(f"the Spark job failed ({lines[-1] if lines else type(exc).__name__}); "
                          "run again to finish") from None


def _head(partial: PartialCounts) -> tuple[list[tuple[str, str]], Counter[str], list[Ticket]]:
    return partial.counted, partial.pages, partial.kept


def _buckets(partial: PartialCounts) -> list[tuple[int, BucketCounts]]:
    return list(enumerate(partial.buckets))


def _merge_into(one: BucketCounts, other: BucketCounts) -> BucketCounts:
    """other's counts added to one, in place: reduceByKey's values are unpickled
    copies, and a new bucket per merge would copy the growing sum each time."""
    for site, counts in other.items():
        mine = one.get(site)
        if mine is None:
            one[site] = counts
        else:
            mine.update(counts)
    return one


def _clean_or_stop(tasks: list[Task], options: BatchOptions, config: CleanerConfig) -> list[Outcome] | DestinationError:
    """clean_partition, with DEST's failure sent back as a value: the driver
    raises it as it is (exit code 4), not as a failed Spark job."""
    try:
        return clean_partition(tasks, options, config)
    except DestinationError as exc:
        return exc
