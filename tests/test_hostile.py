"""Hostile and oversized input through the real CLI, each child under a memory limit.

Every command runs in a subprocess whose address space is capped (RLIMIT_AS,
set in preexec_fn, inherited by its workers), so a regression fails the test
with a MemoryError instead of taking the machine. The big inputs are written
cheaply: a gzip bomb is one compressed chunk written again and again (a
multi-member gzip stream), so 200 MB of text costs well under a MB of disk.
"""

from __future__ import annotations

import fcntl
import gzip
import io
import json
import os
import resource
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import termios
import time
import zlib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import IO, Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.atomic import TEMP_PREFIX
from cleaner.batch import MANIFEST_NAME
from cleaner.batch.engine import MAX_PARTITION_INPUTS
from cleaner.batch.tasks import DIE_ON_VARIABLE, HANG_ON_VARIABLE
from cleaner.cli import EXIT_DESTINATION, EXIT_ENGINE, EXIT_INPUT_ERROR, EXIT_INTERRUPTED
from cleaner.dupindex import INDEX_NAME
from test_html import PARAGRAPH

# Address space of each child process (and of each of its workers). Cleaning
# the small pages here takes a few hundred MB; the 200 MB bomb, read whole as
# before, took about 6 GB.
MEMORY_LIMIT = 1 << 30
# A Dask worker process maps more (threads, its event loop) before it does anything.
DASK_MEMORY_LIMIT = 4 << 30
# An interrupted run that has not ended after this long hangs (it ends in a second or two).
HANG_SECONDS = 120
SENTENCE = b"The committee met again on Tuesday to discuss the budget for next year.\n"
CHUNK_BYTES = 8 << 20
TEXT = "Bridge approved\n\n" + "\n\n".join(f"{PARAGRAPH}This is paragraph {n} of the report." for n in range(6))
PAGE = "<html><body><article><h1>Bridge approved</h1>" + "".join(
    f"<p>{PARAGRAPH}This is paragraph {n} of the report.</p>" for n in range(6)
) + "</article></body></html>"


def _limit_memory(limit: int = MEMORY_LIMIT) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def cleaner(*args: str, env: dict[str, str] | None = None, memory: int = MEMORY_LIMIT) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", *args], capture_output=True, timeout=600,
        preexec_fn=lambda: _limit_memory(memory),
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    out = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())
    assert "Traceback" not in out.stderr and "MemoryError" not in out.stderr, out.stderr[-2000:]
    return out


def gzip_bomb(path: Path, unpacked_bytes: int, line: bytes = SENTENCE, head: bytes = b"", tail: bytes = b"") -> None:
    """A gzip file that unpacks to about unpacked_bytes: one compressed chunk written again and again."""
    chunk = line * (CHUNK_BYTES // len(line))
    member = gzip.compress(chunk, compresslevel=9)
    with open(path, "wb") as out:
        if head:
            out.write(gzip.compress(head))
        for _ in range(max(1, unpacked_bytes // len(chunk))):
            out.write(member)
        if tail:
            out.write(gzip.compress(tail))


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("cleaner: error: ")]


def stream_without_its_middle_record(path: Path, named: str) -> list[dict[str, object]]:
    """Clean a stream whose middle record is over the limit: refused, named, the others cleaned."""
    result = cleaner("clean", str(path))
    assert result.returncode == EXIT_INPUT_ERROR
    [line] = error_lines(result.stderr)
    assert named in line and "--max-record-bytes" in line
    rows = [json.loads(row) for row in result.stdout.splitlines()]
    assert {row["url"] for row in rows if "error" not in row} == {"https://example.test/0", "https://example.test/2"}
    return rows


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_gzip_bomb_is_refused_without_unpacking_it_and_the_other_input_is_cleaned(tmp_path: Path, good: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    gzip_bomb(bomb, 200 << 20)
    assert bomb.stat().st_size < 1 << 20
    result = cleaner("clean", str(good), str(bomb), "-f", "json")
    assert result.returncode == EXIT_INPUT_ERROR
    [line] = error_lines(result.stderr)
    assert line.startswith(f"cleaner: error: {bomb}: ") and "--max-page-bytes" in line
    [document] = json.loads(result.stdout)  # the good page, cleaned and written
    assert document["source"] == str(good) and document["articles"]


def test_gzip_bomb_inside_a_warc_record(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as out:
        _warc_page(out, 0)
        out.write(_warc_bomb_member(100 << 20))
        _warc_page(out, 2)
    rows = stream_without_its_middle_record(path, "urn:uuid:bomb")
    assert [row["record_id"] for row in rows if "error" in row] == ["<urn:uuid:bomb>"]


def _warc_page(out: io.BufferedWriter, number: int) -> None:
    writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    page = PAGE.replace("report", f"report {number}").encode()
    writer.write_record(writer.create_warc_record(f"https://example.test/{number}", "response",
                                                  payload=io.BytesIO(page), http_headers=http))


def _warc_bomb_member(payload_bytes: int) -> bytes:
    """One gzip member holding a WARC response record of payload_bytes of HTML."""
    chunk = b"<p>" + SENTENCE * (CHUNK_BYTES // len(SENTENCE)) + b"</p>"
    count = max(1, payload_bytes // len(chunk))
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {count * len(chunk)}\r\n\r\n".encode()
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.test/bomb\r\n"
        "WARC-Date: 2024-12-03T22:15:00Z\r\nWARC-Record-ID: <urn:uuid:bomb>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http) + count * len(chunk)}\r\n\r\n"
    ).encode()
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    parts = [packer.compress(header + http)]
    parts += [packer.compress(chunk) for _ in range(count)]
    return b"".join(parts + [packer.compress(b"\r\n\r\n"), packer.flush()])


def test_jsonl_record_of_500_mb_is_refused_and_the_stream_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl.gz"
    before = json.dumps({"url": "https://example.test/0", "text": TEXT}) + "\n"
    after = json.dumps({"url": "https://example.test/2", "text": TEXT.replace("report", "report 2")}) + "\n"
    gzip_bomb(path, 500 << 20, line=b"a", head=(before + '{"url": "https://example.test/1", "text": "').encode(),
              tail=('"}\n' + after).encode())
    stream_without_its_middle_record(path, "record 2")


def test_ten_million_lines_are_refused(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "lines.txt"
    with open(path, "wb") as out:
        for _ in range(10):
            out.write(b"x\n" * 1_000_000)
    result = cleaner("clean", str(path), str(good))
    assert result.returncode == EXIT_INPUT_ERROR
    [line] = error_lines(result.stderr)
    assert line.startswith(f"cleaner: error: {path}: ") and "--max-page-lines" in line
    assert result.stdout.startswith("# Bridge approved")


def test_a_100_mb_line_is_refused_as_it_is_and_cut_when_the_page_limit_is_raised(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    words = b"word " * (CHUNK_BYTES // 5)
    with open(path, "wb") as out:
        out.write(TEXT.encode() + b"\n\n")
        for _ in range((100 << 20) // len(words)):
            out.write(words)
    refused = cleaner("clean", str(path))
    assert refused.returncode == EXIT_INPUT_ERROR and "--max-page-bytes" in error_lines(refused.stderr)[0]
    cut = cleaner("clean", str(path), "--max-page-bytes", str(200 << 20), "-f", "json", "--explain")
    assert cut.returncode == 0, cut.stderr
    assert "cut to that length (raise it with --max-line-chars)" in cut.stderr
    document = json.loads(cut.stdout)
    longest = max(len(d["text"]) for d in document["dropped"] + [{"text": p} for a in document["articles"]
                                                                  for p in a["paragraphs"]])
    assert longest <= 100_000


def _pages(src: Path, count: int) -> None:
    for n in range(count):
        folder = src / f"site{n % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page{n}.txt").write_text(TEXT.replace("report", f"report {n}"), encoding="utf-8")


def _report(path: Path) -> dict[str, object]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_killed_by_one_input_fails_that_input_only(tmp_path: Path, jobs: str) -> None:
    src, dest, report = tmp_path / "src", tmp_path / "dest", tmp_path / "report.json"
    _pages(src, 6)
    (src / "site1" / "killer.txt").write_text(TEXT.replace("report", "report k"), encoding="utf-8")
    env = {DIE_ON_VARIABLE: "killer.txt"}
    result = cleaner("batch", str(src), str(dest), "--jobs", jobs, "--report", str(report), env=env)
    assert result.returncode == EXIT_INPUT_ERROR
    [line] = error_lines(result.stderr)
    assert line.startswith("cleaner: error: site1/killer.txt: ") and "SIGKILL" in line
    assert len(list(dest.rglob("page*.json"))) == 6 and not list(dest.rglob("killer*"))
    failed = _report(report)["failed"]
    assert failed == [{"input": "site1/killer.txt", "error": failed[0]["error"], "retried": True}]  # type: ignore[index]
    with sqlite3.connect(dest / MANIFEST_NAME) as db:
        assert db.execute("SELECT error FROM inputs WHERE path = 'site1/killer.txt'").fetchone()[0]

    again = cleaner("batch", str(src), str(dest), "--jobs", jobs, "--report", str(report), env=env)
    assert again.returncode == EXIT_INPUT_ERROR and "not retried" in again.stderr
    assert _report(report)["failed"][0]["retried"] is False  # type: ignore[index]
    fixed = cleaner("batch", str(src), str(dest), "--jobs", jobs, "--force", "--report", str(report))
    assert fixed.returncode == 0, fixed.stderr
    assert (dest / "site1" / "killer.json").exists()


def test_batch_with_a_bomb_cleans_the_rest_and_writes_the_report(tmp_path: Path) -> None:
    src, dest, report = tmp_path / "src", tmp_path / "dest", tmp_path / "report.json"
    _pages(src, 4)
    gzip_bomb(src / "site0" / "bomb.txt.gz", 200 << 20)
    result = cleaner("batch", str(src), str(dest), "--jobs", "2", "--report", str(report))
    assert result.returncode == EXIT_INPUT_ERROR
    assert len(list(dest.rglob("page*.json"))) == 4
    [failure] = _report(report)["failed"]  # type: ignore[misc]
    assert failure["input"] == "site0/bomb.txt.gz" and "--max-page-bytes" in failure["error"]


def _interruptible() -> None:
    """A child that takes Ctrl-C as a terminal's would, however pytest was started: a
    process started in the background of a script inherits SIGINT ignored, and Python
    then never installs its handler (seen: a run that went on after the test's SIGINT)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _limit_memory()


def _batch(*args: str, **popen: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cleaner", "batch", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, preexec_fn=_interruptible, **popen)


def _indexed(dest: Path) -> int:
    """How many inputs the run has committed to DEST's article index (0 before it has one)."""
    try:
        with closing(sqlite3.connect(f"file:{dest / INDEX_NAME}?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT count(*) FROM indexed").fetchone()[0])
    except sqlite3.Error:
        return 0


def _stuck(pid: int) -> bool:
    """Whether a child of pid is in the hang hook: SIGALRM blocked, and no other signal (a
    process that subprocess is starting blocks them all for a moment)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != pid:
                continue
            blocked = next(line for line in (stat.parent / "status").read_text().splitlines()
                           if line.startswith("SigBlk:"))
        except (OSError, IndexError, StopIteration):  # it ended meanwhile
            continue
        if int(blocked.split()[1], 16) == 1 << (signal.SIGALRM - 1):
            return True
    return False


def _wait_for(ready: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + HANG_SECONDS
    while not ready() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    assert process.poll() is None and ready(), "the run never got to the point to interrupt"


def _interrupted(process: subprocess.Popen[bytes], how: signal.Signals = signal.SIGINT) -> str:
    """Send how (Ctrl-C, or a cron timeout's SIGTERM); the run must stop, with exit 130, or the test fails here."""
    process.send_signal(how)
    _, stderr = process.communicate(timeout=HANG_SECONDS)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr.decode() and "Aborted" not in stderr.decode(), stderr
    assert error_lines(stderr.decode())[-1] == "cleaner: error: interrupted; finished outputs are kept: run again to finish"
    return stderr.decode()


def test_report_is_written_when_the_run_is_interrupted(tmp_path: Path) -> None:
    src, dest, report = tmp_path / "src", tmp_path / "dest", tmp_path / "report.json"
    pages = 1000
    _pages(src, pages)
    # the run stops at site1/page1.txt, after site0's 500 pages, until the Ctrl-C
    # lands: the interrupt is mid-run however fast the pages are cleaned
    process = _batch(str(src), str(dest), "--jobs", "1", "--no-site-model", "--report", str(report),
                     env={**os.environ, HANG_ON_VARIABLE: "page1.txt"})
    # partitions are indexed one after the other, each after the one before it is
    # recorded: with more inputs indexed than one partition holds, one is recorded
    _wait_for(lambda: _indexed(dest) > MAX_PARTITION_INPUTS, process)
    _interrupted(process)
    written = _report(report)
    assert written["stopped"] == "interrupted"
    not_reached = written["not_reached"]
    assert isinstance(not_reached, list) and 0 < len(not_reached) < pages, "the interrupt should land mid-run"
    assert written["cleaned"] + len(not_reached) == pages  # type: ignore[operator]
    assert not list(dest.rglob(TEMP_PREFIX + "*"))


def test_an_interrupt_stops_a_child_stuck_on_its_own(tmp_path: Path) -> None:
    """A worker dies, its partition is cleaned input by input in a child each, and one of those hangs:
    Ctrl-C kills it (it ignores SIGINT and blocks SIGALRM) instead of waiting for it."""
    src, dest, report = tmp_path / "src", tmp_path / "dest", tmp_path / "report.json"
    _pages(src, 200)
    (src / "site1" / "killer.txt").write_text(TEXT.replace("report", "report k"), encoding="utf-8")
    # killer.txt and page1.txt, first in site1, are in one partition, killer.txt first
    process = _batch(str(src), str(dest), "--jobs", "1", "--no-site-model", "--report", str(report),
                     env={**os.environ, DIE_ON_VARIABLE: "killer.txt", HANG_ON_VARIABLE: "page1.txt"})
    _wait_for(lambda: _stuck(process.pid), process)
    _interrupted(process)
    assert _report(report)["stopped"] == "interrupted"


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_before_the_run_begins_is_one_too(tmp_path: Path, how: signal.Signals) -> None:
    """Ctrl-C while the inputs are still being listed: exit 130 and the one line, as later (not
    click's "Aborted!" and exit 1), and the report says the run was interrupted."""
    dest, report = tmp_path / "dest", tmp_path / "report.json"
    process = _batch("--files-from", "-", str(dest), "--report", str(report), stdin=subprocess.PIPE)
    stdin = process.stdin
    assert stdin is not None
    stdin.write(b"a.txt\n")  # and the list goes on: the run waits for the rest of it
    stdin.flush()
    _wait_for(lambda: _unread(stdin) == 0, process)  # the list is being read
    stderr = _interrupted(process, how)
    assert error_lines(stderr) == [stderr.strip()]
    written = _report(report)
    assert written["stopped"] == "interrupted" and written["cleaned"] == 0


def _unread(pipe: IO[bytes]) -> int:
    """Bytes written to a pipe and not yet read from it."""
    return struct.unpack("i", fcntl.ioctl(pipe.fileno(), termios.FIONREAD, b"\0" * 4))[0]  # type: ignore[no-any-return]


def test_dask_worker_killed_by_one_input_fails_that_input_only(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    src, dest, report = tmp_path / "src", tmp_path / "dest", tmp_path / "report.json"
    _pages(src, 6)
    (src / "site1" / "killer.txt").write_text(TEXT.replace("report", "report k"), encoding="utf-8")
    result = cleaner("batch", str(src), str(dest), "--engine", "dask", "--jobs", "2", "--report", str(report),
                     env={DIE_ON_VARIABLE: "killer.txt"}, memory=DASK_MEMORY_LIMIT)
    assert result.returncode == EXIT_INPUT_ERROR, result.stderr
    assert error_lines(result.stderr) == [line for line in error_lines(result.stderr) if "site1/killer.txt" in line]
    assert len(list(dest.rglob("page*.json"))) == 6 and not list(dest.rglob("killer*"))
    assert [f["input"] for f in _report(report)["failed"]] == ["site1/killer.txt"]  # type: ignore[attr-defined]


def test_a_page_past_the_time_limit_fails_and_the_rest_is_cleaned(tmp_path: Path) -> None:
    src, dest, report = tmp_path / "src", tmp_path / "dest", tmp_path / "report.json"
    _pages(src, 3)
    # 60,000 distinct lines take 2-4 s to clean here (one CPU second at the
    # very least on a machine twice as fast); a small page, a few hundredths
    slow = "\n".join(f"Line {n} of a long page, with words enough to look like a sentence." for n in range(60_000))
    (src / "site0" / "slow.txt").write_text(slow, encoding="utf-8")
    result = cleaner("batch", str(src), str(dest), "--jobs", "1", "--page-seconds", "0.5", "--no-site-model",
                     "--report", str(report))
    assert result.returncode == EXIT_INPUT_ERROR
    [line] = error_lines(result.stderr)
    assert line.startswith("cleaner: error: site0/slow.txt: ") and "--page-seconds" in line
    assert len(list(dest.rglob("page*.json"))) == 3


@pytest.mark.parametrize("stop", ["destination", "engine"])
def test_report_is_written_when_the_run_stops_early(tmp_path: Path, stop: str) -> None:
    src, report = tmp_path / "src", tmp_path / "report.json"
    _pages(src, 2)
    if stop == "destination":  # DEST cannot be made: exit 4
        (tmp_path / "file").write_text("x")
        args, code = [str(tmp_path / "file" / "dest")], EXIT_DESTINATION
    else:  # no Dask scheduler answers: exit 5
        pytest.importorskip("distributed")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        args = [str(tmp_path / "dest"), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}",
                "--connect-timeout", "1"]
        code = EXIT_ENGINE
    result = cleaner("batch", str(src), *args, "--report", str(report), memory=DASK_MEMORY_LIMIT)
    assert result.returncode == code
    assert len(error_lines(result.stderr)) == 1
    written = _report(report)
    assert written["stopped"] and written["cleaned"] == 0
    assert written["not_reached"] == ["site0/page0.txt", "site1/page1.txt"]


def test_a_page_stuck_where_the_timer_cannot_stop_it_is_killed(tmp_path: Path) -> None:
    src, dest, report = tmp_path / "src", tmp_path / "dest", tmp_path / "report.json"
    _pages(src, 3)
    (src / "site1" / "stuck.txt").write_text(TEXT.replace("report", "report s"), encoding="utf-8")
    result = cleaner("batch", str(src), str(dest), "--jobs", "2", "--page-seconds", "1", "--no-site-model",
                     "--report", str(report), env={HANG_ON_VARIABLE: "stuck.txt"})
    assert result.returncode == EXIT_INPUT_ERROR
    [line] = error_lines(result.stderr)
    assert line.startswith("cleaner: error: site1/stuck.txt: ") and "its process was killed" in line
    assert len(list(dest.rglob("page*.json"))) == 3
