"""cleaner.batch.spark: the README's Spark recipe run on real Spark (local[2],
when pyspark and Java are installed: pip install -e ".[spark]"), and the same
engine on a stand-in for Spark's RDD (always), each against `cleaner batch`
with the local pool: outputs, site model and manifest the same bytes."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner.batch import MANIFEST_NAME, SITE_MODEL_NAME, DestinationError
from cleaner.batch.spark import run_spark
from cleaner.cli import main
from test_batch import make_pages, outputs, read_only

README = Path(__file__).resolve().parent.parent / "README.md"
PAGES = 30


def everything(dest: Path) -> dict[str, Any]:
    """What a batch leaves in dest: outputs, the site model's bytes, the manifest's rows."""
    with sqlite3.connect(dest / MANIFEST_NAME) as db:
        rows = [
            (*row[:5], os.path.relpath(row[5], dest))
            for row in db.execute("SELECT path, size, mtime_ns, sha256, settings, output FROM inputs ORDER BY path")
        ]
    return {"outputs": outputs(dest), "model": (dest / SITE_MODEL_NAME).read_bytes(), "manifest": rows}


def local_batch(src: Path, dest: Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["batch", str(src), str(dest), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return everything(dest)


def readme_recipe() -> str:
    code = re.search(r"```python\n([^`]*run_spark[^`]*)```", README.read_text("utf-8"))
    assert code, "the Spark recipe is missing from the README"
    return code.group(1)


@pytest.fixture(scope="module")
def spark_context() -> Iterator[Any]:
    pyspark = pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors import this cleaner
    conf = pyspark.SparkConf().setMaster("local[2]").setAppName("cleaner-tests").setAll(
        [("spark.ui.enabled", "false"), ("spark.ui.showConsoleProgress", "false")]
    )
    context = pyspark.SparkContext(conf=conf)
    context.setLogLevel("ERROR")
    yield context
    context.stop()


def test_the_readme_spark_recipe_on_spark_gives_the_batch_bytes(tmp_path: Path, spark_context: Any) -> None:
    src, dest = tmp_path / "raw", tmp_path / "clean"
    make_pages(src, PAGES)
    recipe = readme_recipe().replace('"/shared/raw"', repr(str(src))).replace('"/shared/clean"', repr(str(dest)))
    scope: dict[str, Any] = {"sc": spark_context}
    exec(recipe, scope)  # noqa: S102
    assert (scope["result"].cleaned, scope["result"].failed) == (PAGES, [])
    assert everything(dest) == local_batch(src, tmp_path / "reference")
    again = run_spark(spark_context, str(src), str(dest))  # nothing changed: nothing done
    assert (again.cleaned, again.skipped) == (0, PAGES)


class FakeRDD:
    """The RDD methods the Spark engine uses, on lists, partition by partition."""

    def __init__(self, partitions: list[list[Any]]) -> None:
        self.partitions = partitions

    def map(self, work: Callable[[Any], Any]) -> FakeRDD:
        return FakeRDD([[work(x) for x in part] for part in self.partitions])

    def flatMap(self, work: Callable[[Any], Iterable[Any]]) -> FakeRDD:  # noqa: N802
        return FakeRDD([[y for x in part for y in work(x)] for part in self.partitions])

    def reduceByKey(self, work: Callable[[Any, Any], Any], partitions: int) -> FakeRDD:  # noqa: N802
        merged: dict[Any, Any] = {}
        for key, value in reversed(self.collect()):  # another order than the pool's: sums do not care
            merged[key] = work(merged[key], value) if key in merged else value
        return FakeRDD([list(merged.items())[n::partitions] for n in range(partitions)])

    def cache(self) -> FakeRDD:
        return self

    def unpersist(self) -> None:
        pass

    def collect(self) -> list[Any]:
        return [x for part in self.partitions for x in part]


class FakeContext:
    defaultParallelism = 2  # noqa: N815

    def parallelize(self, items: list[Any], slices: int) -> FakeRDD:
        size = -(-len(items) // slices)
        return FakeRDD([items[n:n + size] for n in range(0, len(items), size)])


def test_the_spark_engine_on_a_stand_in_gives_the_batch_bytes(tmp_path: Path) -> None:
    src = tmp_path / "raw"
    make_pages(src, PAGES)
    result = run_spark(FakeContext(), str(src), str(tmp_path / "clean"))
    assert (result.cleaned, result.failed) == (PAGES, [])
    assert everything(tmp_path / "clean") == local_batch(src, tmp_path / "reference")


def test_a_destination_that_takes_no_output_stops_the_spark_run(tmp_path: Path) -> None:
    """An executor's DestinationError comes back as a value and is raised as it is
    (cleaner's exit code 4), not as a failed Spark job."""
    src, dest = tmp_path / "raw", tmp_path / "clean"
    make_pages(src, 10)
    (dest / "site0").mkdir(parents=True)
    with read_only(dest / "site0"), pytest.raises(DestinationError, match="cannot write"):
        run_spark(FakeContext(), str(src), str(dest))
