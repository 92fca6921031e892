"""The README's PySpark recipe runs, against a small stand-in for Spark's RDD
(pyspark itself is not a dependency), and gives the batch's outputs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import reduce
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from test_batch import make_pages, outputs

README = Path(__file__).resolve().parent.parent / "README.md"


class FakeRDD:
    """The RDD methods the recipe uses, on lists, partition by partition."""

    def __init__(self, partitions: list[list[Any]]) -> None:
        self.partitions = partitions

    def mapPartitions(self, work: Callable[[Iterator[Any]], Iterable[Any]]) -> FakeRDD:  # noqa: N802
        return FakeRDD([list(work(iter(part))) for part in self.partitions])

    def flatMap(self, work: Callable[[Any], Iterable[Any]]) -> FakeRDD:  # noqa: N802
        return FakeRDD([[y for x in part for y in work(x)] for part in self.partitions])

    def map(self, work: Callable[[Any], Any]) -> FakeRDD:
        return FakeRDD([[work(x) for x in part] for part in self.partitions])

    def reduceByKey(self, work: Callable[[Any, Any], Any]) -> FakeRDD:  # noqa: N802
        merged: dict[Any, Any] = {}
        for key, value in self.collect():
            merged[key] = work(merged[key], value) if key in merged else value
        return FakeRDD([list(merged.items())])

    def values(self) -> FakeRDD:
        return self.map(lambda kv: kv[1])

    def reduce(self, work: Callable[[Any, Any], Any]) -> Any:
        return reduce(work, self.collect())

    def cache(self) -> FakeRDD:
        return self

    def collect(self) -> list[Any]:
        return [x for part in self.partitions for x in part]


class FakeContext:
    def parallelize(self, items: list[Any], slices: int) -> FakeRDD:
        return FakeRDD([items[n::slices] for n in range(slices) if items[n::slices]])

    def broadcast(self, value: Any) -> Any:
        return type("Broadcast", (), {"value": value})()


def test_the_spark_recipe_gives_the_batch_outputs(tmp_path: Path) -> None:
    code = re.search(r"```python\n(import hashlib.*?)```", README.read_text(), re.S)
    assert code, "the PySpark recipe is missing from the README"
    src, dest, reference = tmp_path / "raw", tmp_path / "clean", tmp_path / "reference"
    make_pages(src, 30)
    recipe = code.group(1).replace('"/shared/raw"', repr(str(src))).replace('"/shared/clean"', repr(str(dest)))
    scope: dict[str, Any] = {"sc": FakeContext()}
    exec(recipe, scope)  # noqa: S102
    assert {o.status for o in scope["outcomes"]} == {"cleaned"} and len(scope["outcomes"]) == 30
    assert CliRunner().invoke(main, ["batch", str(src), str(reference), "--jobs", "1"]).exit_code == 0
    assert {k: v for k, v in outputs(dest).items() if k != "site.model"} == outputs(reference)


def test_every_subpackage_is_in_the_packaging() -> None:
    """A wheel holds only the packages pyproject.toml lists: a new subpackage missing
    there works in an editable install and breaks a real one."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in (root / "cleaner").rglob("__init__.py")}
    assert found == listed
