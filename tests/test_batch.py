"""cleaner batch through the real CLI: incremental runs, crash safety, the lock, exit codes."""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.batch import LOCK_NAME, MANIFEST_NAME, TEMP_PREFIX
from cleaner.cli import EXIT_DESTINATION, EXIT_LOCKED, main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCES = sorted(FIXTURES.glob("*/input.txt"))


def make_pages(folder: Path, count: int) -> None:
    """count pages in nested folders, each a fixture dump with its own first line."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in SOURCES]
    for n in range(count):
        page = folder / f"site{n % 5}" / f"page{n:04d}.txt"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"Page number {n} of the test set\n\n" + texts[n % len(texts)], encoding="utf-8")


def batch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "batch", *args], capture_output=True, text=True, timeout=600
    )


def outputs(dest: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(dest)): p.read_bytes()
        for p in sorted(dest.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def manifest_rows(dest: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(dest / MANIFEST_NAME) as db:
        return list(db.execute("SELECT path, output FROM inputs ORDER BY path"))


def test_outputs_mirror_the_source_tree(tmp_path: Path) -> None:
    make_pages(tmp_path / "src", 6)
    result = batch(str(tmp_path / "src"), str(tmp_path / "dest"), "-f", "json", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert sorted(outputs(tmp_path / "dest")) == sorted(
        f"site{n % 5}/page{n:04d}.json" for n in range(6)
    )
    assert result.stdout == ""
    assert result.stderr.strip().startswith("cleaner: cleaned 6, skipped 0, failed 0")


def test_file_list_on_stdin_with_dest_alone(tmp_path: Path) -> None:
    # find SRC -name '*.txt' | cleaner batch --files-from - DEST
    make_pages(tmp_path / "src", 4)
    listed = "".join(f"{p}\n" for p in sorted((tmp_path / "src").rglob("*.txt"))[:3])
    result = subprocess.run(
        [sys.executable, "-m", "cleaner", "batch", "--files-from", "-", str(tmp_path / "dest"), "--jobs", "1"],
        input=listed, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert len(outputs(tmp_path / "dest")) == 3
    assert batch(str(tmp_path / "dest")).returncode == 2  # DEST alone, without --files-from: usage error


def test_second_run_writes_nothing(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    make_pages(src, 10)
    assert batch(str(src), str(dest), "--jobs", "1").returncode == 0
    before = {p: p.stat().st_mtime_ns for p in dest.rglob("*.json")}
    time.sleep(0.05)
    second = batch(str(src), str(dest), "--jobs", "1")
    assert second.returncode == 0
    assert "cleaned 0, skipped 10" in second.stderr
    assert {p: p.stat().st_mtime_ns for p in dest.rglob("*.json")} == before


def test_changed_input_and_changed_setting_are_redone(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    make_pages(src, 4)
    assert batch(str(src), str(dest), "--jobs", "1").returncode == 0
    page = src / "site1" / "page0001.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new closing line that was not there before.\n")
    assert "cleaned 1, skipped 3" in batch(str(src), str(dest), "--jobs", "1").stderr
    touched = src / "site2" / "page0002.txt"
    os.utime(touched, ns=(time.time_ns(), time.time_ns()))  # same content, new mtime
    assert "cleaned 0, skipped 4" in batch(str(src), str(dest), "--jobs", "1").stderr
    assert "cleaned 4, skipped 0" in batch(str(src), str(dest), "--jobs", "1", "--captions").stderr
    assert "cleaned 4, skipped 0" in batch(str(src), str(dest), "--jobs", "1", "--captions", "--force").stderr


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    make_pages(src, 5)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.rglob("*") if p.is_file()}
    assert batch(str(src), str(dest), "--jobs", "2").returncode == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.rglob("*") if p.is_file()} == before


def test_same_outputs_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_pages(src, 12)
    assert batch(str(src), str(tmp_path / "one"), "--jobs", "1").returncode == 0
    assert batch(str(src), str(tmp_path / "two"), "--jobs", "2").returncode == 0
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
    assert [r[0] for r in manifest_rows(tmp_path / "one")] == [r[0] for r in manifest_rows(tmp_path / "two")]


def test_bad_file_in_the_middle_is_reported_and_the_rest_cleaned(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    make_pages(src, 6)
    (src / "site0" / "page0002b.txt").write_bytes(b"\x00\x01\x02binary" * 500)
    report = tmp_path / "report.json"
    result = batch(str(src), str(dest), "--jobs", "2", "--report", str(report))
    assert result.returncode == 1
    assert len(outputs(dest)) == 6
    assert "site0/page0002b.txt" in result.stderr and "Traceback" not in result.stderr
    assert '"input": "site0/page0002b.txt"' in report.read_text()


def test_lock_held_by_another_run(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    make_pages(src, 2)
    dest.mkdir()
    with open(dest / LOCK_NAME, "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = CliRunner().invoke(main, ["batch", str(src), str(dest)])
    assert result.exit_code == EXIT_LOCKED
    assert "another cleaner batch is running" in result.stderr


def test_unwritable_destination(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_pages(src, 2)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = CliRunner().invoke(main, ["batch", str(src), str(not_a_folder / "dest")])
    assert result.exit_code == EXIT_DESTINATION
    assert result.stderr.startswith("cleaner: error: cannot create")


def test_read_only_destination(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    make_pages(src, 2)
    dest.mkdir()
    with read_only(dest):
        result = CliRunner().invoke(main, ["batch", str(src), str(dest)])
        assert list(dest.iterdir()) == []
    assert result.exit_code == EXIT_DESTINATION
    assert result.stderr.startswith("cleaner: error: cannot write")


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """folder takes no new file while inside. Root writes through permission
    bits (as CI runs), so for root the folder is made immutable (chattr +i)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here: root cannot be kept from writing")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["batch", str(tmp_path / "missing"), str(tmp_path / "dest")]).exit_code == 2
    assert runner.invoke(main, ["batch", str(tmp_path / "dest")]).exit_code == 2
    assert runner.invoke(main, ["batch", str(tmp_path), str(tmp_path / "d"), "-f", "pdf"]).exit_code == 2


def test_killed_run_is_finished_by_the_next_one(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_pages(src, 300)
    reference = tmp_path / "reference"
    assert batch(str(src), str(reference), "--jobs", "2").returncode == 0
    dest = tmp_path / "dest"
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "batch", str(src), str(dest), "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while len(list(dest.rglob("*.json"))) < 40 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, mid-way
    process.wait()
    assert 0 < len(list(dest.rglob("*.json"))) < 300, "the kill should land mid-run"
    finished = batch(str(src), str(dest), "--jobs", "2")
    assert finished.returncode == 0, finished.stderr
    assert outputs(dest) == outputs(reference)
    assert not [p for p in dest.rglob("*") if p.name.startswith(TEMP_PREFIX)]
    rows = manifest_rows(dest)
    assert len(rows) == 300 and all(Path(output).exists() for _, output in rows)
