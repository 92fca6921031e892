"""Atomic writes whose sync and rename a thread does (atomic.Syncs): every file is
in place when the block ends, a failure is raised there, and no temporary file stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.atomic import TEMP_PREFIX, Syncs, write_atomic


def test_files_are_in_place_when_the_block_ends(tmp_path: Path) -> None:
    with Syncs() as syncs:
        for n in range(20):
            write_atomic(str(tmp_path / f"out{n}.json"), f"page {n}\n".encode(), syncs)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"out{n}.json" for n in range(20))
    assert (tmp_path / "out7.json").read_text() == "page 7\n"


def test_a_failed_rename_is_raised_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "inside").write_text("x")  # a folder that is not empty: no file can replace it
    with pytest.raises(OSError):
        with Syncs() as syncs:
            write_atomic(str(tmp_path / "good.json"), b"good\n", syncs)
            write_atomic(str(tmp_path / "taken"), b"bad\n", syncs)
    assert (tmp_path / "good.json").read_bytes() == b"good\n"
    assert not list(tmp_path.glob(TEMP_PREFIX + "*"))
