"""The engine-neutral functions: the learned model does not depend on how inputs
are partitioned, and the saved artifact gives workers the same boilerplate."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from cleaner import CleanerConfig
from cleaner.batch import BatchOptions, Task, count_partition
from cleaner.batch.engine import combine_partials, partitions_of
from cleaner.batch.tasks import learn_model, site_boilerplate
from cleaner.sitemodel import SiteModel, load_boilerplate, load_model, save_model
from test_batch import make_pages


def tasks_of(src: Path) -> list[Task]:
    return [
        Task(str(p), str(p.relative_to(src)), "", "", None)
        for p in sorted(src.rglob("*.txt"))
    ]


def learned(partitions: list[list[Task]]) -> SiteModel:
    model = SiteModel()
    options, config = BatchOptions(), CleanerConfig()
    counts = combine_partials(count_partition(p, options, config) for p in partitions)
    learn_model(model, counts.counted, counts.pages, counts.buckets)
    return model


def test_the_model_does_not_depend_on_the_partitions(tmp_path: Path) -> None:
    make_pages(tmp_path / "src", 30)
    tasks = tasks_of(tmp_path / "src")
    whole = learned([tasks])
    assert whole.sites and sum(s.pages for s in whole.sites.values()) == 30
    for partitions in (partitions_of(tasks, 1), [[t] for t in tasks], [tasks[::2], tasks[1::2]][::-1]):
        again = learned(partitions)
        assert again.sites == whole.sites
        assert sorted(again.counted.items()) == sorted(whole.counted.items())


def test_counted_inputs_are_not_counted_twice(tmp_path: Path) -> None:
    make_pages(tmp_path / "src", 6)
    model = learned([tasks_of(tmp_path / "src")])
    known = [
        Task(t.source, t.relative, "", "", model.counted[t.relative]) for t in tasks_of(tmp_path / "src")
    ]
    partial = count_partition(known, BatchOptions(), CleanerConfig())
    assert partial.counted == [] and not partial.pages


def test_workers_read_the_same_boilerplate_from_the_artifact(tmp_path: Path) -> None:
    make_pages(tmp_path / "src", 30)
    model = learned([tasks_of(tmp_path / "src")])
    config = CleanerConfig()
    path = str(tmp_path / "model.bin")
    save_model(model, path, config)
    expected = {site: model.boilerplate(site, config) for site in model.sites}
    assert any(expected.values())
    assert load_boilerplate(path, config) == expected
    assert site_boilerplate(path, config) == expected
    other = CleanerConfig(site_min_pages=2, site_min_share=0.1)  # not the saved thresholds: from the counts
    assert load_boilerplate(path, other) == {site: model.boilerplate(site, other) for site in model.sites}
    assert load_model(path).counted == model.counted


def test_outputs_are_made_with_the_usual_permissions(tmp_path: Path) -> None:
    """Not mkstemp's 0600: other users (cluster workers, readers) can read them as the umask allows."""
    from cleaner.batch import write_atomic

    mask = os.umask(0o027)
    try:
        write_atomic(str(tmp_path / "out.json"), b"{}")
    finally:
        os.umask(mask)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o640


def test_read_hashed_reads_a_page_once_within_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.batch import files

    page = tmp_path / "page.html"
    data = bytes(range(256)) * 4
    page.write_bytes(data)
    assert files.read_hashed(str(page), len(data)) == (data, hashlib.sha256(data).hexdigest())
    assert files.read_hashed(str(page), len(data) - 1) is None
    # a file that grew after its size was read: read on to the limit, as before
    real_fstat = os.fstat
    monkeypatch.setattr(files.os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    assert files.read_hashed(str(page), len(data)) == (data, hashlib.sha256(data).hexdigest())
    assert files.read_hashed(str(page), len(data) - 1) is None
