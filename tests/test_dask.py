"""The Dask engine against the local pool, a real scheduler and worker, and failures.

Every test here runs a real Dask cluster (a LocalCluster, or `dask scheduler`
and `dask worker` processes on 127.0.0.1); dask[distributed] is in the test extra.
"""

from __future__ import annotations

import importlib.metadata
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.batch import MANIFEST_NAME, SITE_MODEL_NAME, TEMP_PREFIX
from cleaner.cli import EXIT_ENGINE, EXIT_USAGE, main
from cleaner.distribution import DISTRIBUTION_NAME
from test_batch import make_pages, outputs

# Hang guard for every wait below (seconds): far above what any step needs.
HANG_SECONDS = 120
# Pages in the test folder: enough for a kill to land mid-run, few for a quick suite.
PAGES = 100


def cleaner(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, timeout=HANG_SECONDS * 3
    )


def manifest_rows(dest: Path) -> list[tuple[object, ...]]:
    """Every manifest row, the output's path made relative to DEST."""
    with sqlite3.connect(dest / MANIFEST_NAME) as db:
        rows = db.execute("SELECT path, size, mtime_ns, sha256, settings, output FROM inputs ORDER BY path")
        return [(*row[:5], os.path.relpath(row[5], dest)) for row in rows]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + HANG_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A folder of pages and its reference batch (report in reference.json), made
    with the local pool."""
    root = tmp_path_factory.mktemp("dask")
    make_pages(root / "src", PAGES)
    reference = root / "reference"
    result = cleaner("batch", str(root / "src"), str(reference), "--jobs", "2", "--engine", "local",
                     "--report", str(root / "reference.json"))
    assert result.returncode == 0, result.stderr
    return root / "src", reference


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A real `dask scheduler` and a `dask worker` (2 processes, 1 thread each) on 127.0.0.1."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{free_port()}"
    spawned = [
        subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                          "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True),
    ]
    try:
        spawned.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "2", "--nthreads", "1",
             "--no-dashboard", "--host", "127.0.0.1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        ))
        with Client(address, timeout=HANG_SECONDS) as client:
            client.wait_for_workers(2, timeout=HANG_SECONDS)
        yield address
    finally:
        for process in reversed(spawned):
            os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(spawned):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_local_pool_and_dask_local_cluster_make_the_same_bytes(pages: tuple[Path, Path], tmp_path: Path) -> None:
    src, reference = pages
    dest, report = tmp_path / "dask", tmp_path / "dask.json"
    result = cleaner("batch", str(src), str(dest), "--engine", "dask", "--jobs", "2", "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert "cleaned 100, skipped 0, failed 0" in result.stderr
    assert outputs(dest) == outputs(reference) and len(outputs(dest)) == PAGES
    assert (dest / SITE_MODEL_NAME).read_bytes() == (reference / SITE_MODEL_NAME).read_bytes()
    assert manifest_rows(dest) == manifest_rows(reference)
    drop_seconds = lambda text: [line for line in text.splitlines() if '"seconds"' not in line]  # noqa: E731
    assert drop_seconds(report.read_text()) == drop_seconds((reference.parent / "reference.json").read_text())


def test_learn_then_clean_with_the_model(pages: tuple[Path, Path], scheduler: str, tmp_path: Path) -> None:
    """cleaner learn on a cluster named by DASK_SCHEDULER_ADDRESS (pass 1), then
    batch --site-model (pass 2): what one batch run gives."""
    src, reference = pages
    model = tmp_path / "weekly.model"
    learned = subprocess.run(
        [sys.executable, "-m", "cleaner", "learn", str(src), str(model), "--engine", "dask"],
        capture_output=True, text=True, timeout=HANG_SECONDS * 3, env={**os.environ, "DASK_SCHEDULER_ADDRESS": scheduler},
    )
    assert learned.returncode == 0, learned.stderr
    assert model.read_bytes() == (reference / SITE_MODEL_NAME).read_bytes()
    dest = tmp_path / "daily"
    cleaned = cleaner("batch", str(src), str(dest), "--site-model", str(model), "--jobs", "2")
    assert cleaned.returncode == 0, cleaned.stderr
    assert outputs(dest) == outputs(reference)
    assert not (dest / SITE_MODEL_NAME).exists()
    again = cleaner("learn", str(src), str(model), "--jobs", "1")
    assert f"learned 0 new or changed inputs of {PAGES}" in again.stderr


def test_batch_on_a_running_scheduler_and_worker(pages: tuple[Path, Path], scheduler: str, tmp_path: Path) -> None:
    src, reference = pages
    dest = tmp_path / "dest"
    result = cleaner("batch", str(src), str(dest), "--engine", "dask", "--scheduler", scheduler)
    assert result.returncode == 0, result.stderr
    assert outputs(dest) == outputs(reference)
    assert manifest_rows(dest) == manifest_rows(reference)


def test_no_scheduler_at_the_address(tmp_path: Path) -> None:
    make_pages(tmp_path / "src", 3)
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    result = cleaner("batch", str(tmp_path / "src"), str(tmp_path / "dest"), "--engine", "dask",
                     "--scheduler", address, "--connect-timeout", "2")
    elapsed = time.monotonic() - started
    assert result.returncode == EXIT_ENGINE
    assert result.stderr.startswith(f"cleaner: error: no Dask scheduler answered at {address} within 2 s")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert elapsed < 2 + HANG_SECONDS / 4, "it should give up after the connect timeout, not hang"
    assert not list((tmp_path / "dest").rglob("*.json"))


def test_scheduler_without_workers(tmp_path: Path) -> None:
    from distributed import Client

    make_pages(tmp_path / "src", 2)
    address = f"tcp://127.0.0.1:{free_port()}"
    alone = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        with Client(address, timeout=HANG_SECONDS):  # it answers: the run below meets no timeout but its own
            pass
        result = cleaner("batch", str(tmp_path / "src"), str(tmp_path / "dest"), "--engine", "dask",
                         "--scheduler", address, "--connect-timeout", "2")
    finally:
        os.killpg(alone.pid, signal.SIGKILL)
        alone.wait()
    assert result.returncode == EXIT_ENGINE
    assert result.stderr.startswith(f"cleaner: error: the Dask scheduler at {address} has no workers (waited 2 s)")
    assert "Traceback" not in result.stderr


def test_killed_worker_loses_and_duplicates_nothing(pages: tuple[Path, Path], scheduler: str, tmp_path: Path) -> None:
    from distributed import Client

    src, reference = pages
    dest = tmp_path / "dest"
    with Client(scheduler, timeout=HANG_SECONDS) as client:
        pids = client.run(os.getpid)
        run = subprocess.Popen(
            [sys.executable, "-m", "cleaner", "batch", str(src), str(dest), "--engine", "dask", "--scheduler", scheduler],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        wait_for(lambda: len(list(dest.rglob("*.json"))) >= 10 or run.poll() is not None, "the first outputs")
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)  # one worker process, mid-run; its nanny starts another
        written_at_kill = len(list(dest.rglob("*.json")))
        _, stderr = run.communicate(timeout=HANG_SECONDS * 3)
        assert written_at_kill < PAGES, "the kill should land mid-run"
        assert run.returncode in (0, EXIT_ENGINE), stderr
        assert "Traceback" not in stderr
        client.wait_for_workers(2, timeout=HANG_SECONDS)  # the nanny's new worker, for the tests after this one
    again = cleaner("batch", str(src), str(dest), "--engine", "dask", "--scheduler", scheduler)
    assert again.returncode == 0, again.stderr
    assert outputs(dest) == outputs(reference)  # every output once, the same bytes
    assert not [p for p in dest.rglob("*") if p.name.startswith(TEMP_PREFIX)]
    rows = manifest_rows(dest)
    assert len(rows) == PAGES and all((dest / output).is_file() for *_, output in rows)


def test_without_dask_installed_it_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_pages(tmp_path / "src", 2)
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "src"), str(tmp_path / "dest"), "--engine", "dask"])
    assert result.exit_code == EXIT_USAGE
    installed = importlib.metadata.packages_distributions()["cleaner"]  # what pip installed cleaner as
    assert DISTRIBUTION_NAME in installed  # not "cleaner": that name on the index is another project
    assert importlib.metadata.distribution(DISTRIBUTION_NAME).metadata["Name"] == DISTRIBUTION_NAME
    assert f'pip install "{DISTRIBUTION_NAME}[dask]"' in result.stderr


def test_clean_never_imports_dask(tmp_path: Path) -> None:
    make_pages(tmp_path / "src", 1)
    page = next((tmp_path / "src").rglob("*.txt"))
    probe = (
        "import sys; from click.testing import CliRunner; from cleaner.cli import main; "
        f"result = CliRunner().invoke(main, ['clean', {str(page)!r}]); "
        "print(result.exit_code, sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed'}))"
    )
    checked = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=HANG_SECONDS)
    assert checked.stdout.split(None, 1) == ["0", "[]\n"], checked.stderr
