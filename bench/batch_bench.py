"""Batch and stream benchmark: `cleaner batch` over a big folder, `cleaner clean` over a big JSONL.

    python bench/batch_bench.py                            # 10,000 files, 1000 MB JSONL (long: ~30 min)
    python bench/batch_bench.py --files 500 --jsonl-mb 20  # a quick check
    python bench/batch_bench.py --runs 3 --jsonl-mb 0      # batch only, median of 3
    python bench/batch_bench.py --json bench/out/batch_bench.json

1. Folder: --files files under WORK/src, the dev text dumps copied round-robin
   into --sites folders (site{k}/page{n}.txt). Each copy starts with a line
   "Copy n of <name>"; every 7th copy also drops or duplicates one line (seeded).
   No two files are identical.
2. Batch: `cleaner batch SRC DEST -f json --jobs 1` and `--jobs 2`, each into a
   fresh DEST; files/s and the speed-up of jobs 2 over jobs 1 (issue target
   >= 1.7x on 2 cores). Then a second, no-change run on the jobs-2 DEST: its time
   as a share of the first jobs-2 run (target < 10%), and how many output files'
   mtimes changed (should be 0). Each timed run is repeated --runs times (median).
3. Stream: a JSONL file of --jsonl-mb MB (MB = 1e6 bytes) of {"url", "text"}
   lines cycling through the dev dumps, written streaming, then
   `cleaner clean BIG.jsonl -o OUT.jsonl`: peak RSS of that process (wait4's
   ru_maxrss; target < 300 MiB), throughput in MB/s, and the RSS sampled from
   /proc as the input is read (flat if memory does not grow with the file).
   Run once; --jsonl-mb 0 skips it.

Figures only: no timing is ever asserted. Standard library plus cleaner.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_TEXT = (ROOT.parent / "shared" / "eval" / "dev" / "text").resolve()
# Every this-many copies also loses or repeats one of its lines.
VARY_EVERY = 7
RSS_SAMPLE_SECONDS = 1.0

sys.path.insert(0, str(ROOT))
from cleaner import __version__  # noqa: E402


@dataclass
class Run:
    command: list[str]
    seconds: float
    returncode: int
    cpu_seconds: float  # user + system of the process and the children it waited for
    max_rss_mib: float
    load_before: float = 0.0  # 1-minute load average when it started (other work on the machine)
    load_after: float = 0.0
    report: dict[str, object] = field(default_factory=dict)
    stderr_tail: str = ""


@dataclass
class BatchFigures:
    files: int
    megabytes: float
    distinct_files: int
    jobs1: list[Run]
    jobs2: list[Run]
    nochange: list[Run]
    jobs1_seconds: float
    jobs2_seconds: float
    nochange_seconds: float
    jobs1_files_per_second: float
    jobs2_files_per_second: float
    speedup_jobs2_over_jobs1: float
    nochange_share_of_first_run: float
    outputs: int
    changed_mtimes: int
    missing_or_new_outputs: int


@dataclass
class StreamFigures:
    megabytes: float
    records: int
    run: Run
    megabytes_per_second: float
    peak_rss_mib: float
    output_lines: int
    output_megabytes: float
    # (share of the input read, RSS MiB) at about 10%, 25%, 50%, 75%, 90% of the input
    rss_by_progress: list[tuple[float, float]]


# --- helpers -------------------------------------------------------------------


def cleaner_command() -> list[str]:
    """The console script beside this interpreter (not a pyenv shim), else python -m cleaner."""
    beside = Path(sys.executable).parent / "cleaner"
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "cleaner"]


def source_state() -> dict[str, object]:
    """The commit of the cleaner measured and whether cleaner/ has uncommitted edits
    (the console script runs the working tree of an editable install)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.rstrip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted": git("status", "--porcelain", "--", "cleaner").splitlines()}


def dev_dumps() -> list[tuple[str, bytes]]:
    files = sorted(DEV_TEXT.glob("*.txt"))
    if not files:
        sys.exit(f"batch_bench.py: no *.txt files in {DEV_TEXT}")
    return [(f.name, f.read_bytes()) for f in files]


def _proc_field(pid: int, name: str, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def run_timed(command: list[str], log: Path, sample: bool = False) -> tuple[Run, list[tuple[float, int, int]]]:
    """Run command with stdout and stderr to log; wall time and this child's own
    rusage (os.wait4, so earlier children do not count). With sample, also
    (seconds, bytes read, RSS kB) from /proc every RSS_SAMPLE_SECONDS."""
    samples: list[tuple[float, int, int]] = []
    load_before = os.getloadavg()[0]
    with open(log, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        done = threading.Event()

        def sampler() -> None:
            while not done.wait(RSS_SAMPLE_SECONDS):
                rss = _proc_field(process.pid, "status", "VmRSS:")
                read = _proc_field(process.pid, "io", "rchar:")
                if rss is not None and read is not None:
                    samples.append((time.perf_counter() - start, read, rss))

        thread = threading.Thread(target=sampler, daemon=True)
        if sample:
            thread.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
        if sample:
            thread.join()
    tail = log.read_bytes()[-2000:].decode("utf-8", "replace").strip().splitlines()
    return Run(
        command=command, seconds=seconds, returncode=process.returncode,
        cpu_seconds=usage.ru_utime + usage.ru_stime, max_rss_mib=usage.ru_maxrss / 1024,
        load_before=load_before, load_after=os.getloadavg()[0], stderr_tail="\n".join(tail[-5:]),
    ), samples


# --- 1. the folder ---------------------------------------------------------------


def build_folder(src: Path, dumps: list[tuple[str, bytes]], files: int, sites: int, seed: int) -> tuple[float, int]:
    """Write the test folder; (megabytes, number of distinct contents)."""
    if src.exists():
        shutil.rmtree(src)
    rng = random.Random(seed)
    digests = set()
    total = 0
    for n in range(files):
        name, data = dumps[n % len(dumps)]
        lines = data.splitlines(keepends=True)
        if n % VARY_EVERY == VARY_EVERY - 1 and len(lines) > 1:
            at = rng.randrange(len(lines))
            if rng.random() < 0.5:
                del lines[at]
            else:
                lines.insert(at, lines[at])
        body = f"Copy {n} of {name}\n".encode() + b"".join(lines)
        path = src / f"site{n % sites:02d}" / f"page{n:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        digests.add(hashlib.sha256(body).digest())
        total += len(body)
    return total / 1e6, len(digests)


# --- 2. batch --------------------------------------------------------------------


def batch_run(src: Path, dest: Path, jobs: int, work: Path, label: str, fresh: bool) -> Run:
    if fresh and dest.exists():
        shutil.rmtree(dest)
    report = work / f"{label}.report.json"
    if report.exists():
        report.unlink()
    command = cleaner_command() + ["batch", str(src), str(dest), "-f", "json", "--jobs", str(jobs),
                                   "--report", str(report)]
    run, _ = run_timed(command, work / f"{label}.log")
    if report.exists():
        run.report = json.loads(report.read_text("utf-8"))
        run.report["failed"] = len(run.report.get("failed", []))  # type: ignore[arg-type]
    print(f"  {label}: {run.seconds:.1f} s, exit {run.returncode}, {run.report or run.stderr_tail}", flush=True)
    return run


def output_mtimes(dest: Path) -> dict[str, int]:
    """mtime_ns of every output file (hidden files, the manifest and lock, left out)."""
    found = {}
    for folder, folders, files in os.walk(dest):
        folders[:] = [d for d in folders if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                path = os.path.join(folder, name)
                found[path] = os.stat(path).st_mtime_ns
    return found


def measure_batch(work: Path, dumps: list[tuple[str, bytes]], files: int, sites: int, seed: int,
                  runs: int) -> BatchFigures:
    src = work / "src"
    print(f"building {files:,} files in {src} ...", flush=True)
    megabytes, distinct = build_folder(src, dumps, files, sites, seed)
    print(f"  {megabytes:.1f} MB, {distinct:,} distinct", flush=True)
    jobs1, jobs2, nochange = [], [], []
    for r in range(runs):
        jobs1.append(batch_run(src, work / "dest-jobs1", 1, work, f"jobs1-run{r + 1}", fresh=True))
        jobs2.append(batch_run(src, work / "dest-jobs2", 2, work, f"jobs2-run{r + 1}", fresh=True))
    dest = work / "dest-jobs2"
    before = output_mtimes(dest)
    for r in range(runs):
        nochange.append(batch_run(src, dest, 2, work, f"nochange-run{r + 1}", fresh=False))
    after = output_mtimes(dest)
    changed = sum(1 for path, mtime in before.items() if path in after and after[path] != mtime)
    missing_or_new = len(set(before) ^ set(after))
    t1 = statistics.median(r.seconds for r in jobs1)
    t2 = statistics.median(r.seconds for r in jobs2)
    t0 = statistics.median(r.seconds for r in nochange)
    return BatchFigures(
        files=files, megabytes=megabytes, distinct_files=distinct, jobs1=jobs1, jobs2=jobs2, nochange=nochange,
        jobs1_seconds=t1, jobs2_seconds=t2, nochange_seconds=t0,
        jobs1_files_per_second=files / t1, jobs2_files_per_second=files / t2,
        speedup_jobs2_over_jobs1=t1 / t2, nochange_share_of_first_run=t0 / t2,
        outputs=len(after), changed_mtimes=changed, missing_or_new_outputs=missing_or_new,
    )


# --- 3. stream -------------------------------------------------------------------


def write_jsonl(path: Path, dumps: list[tuple[str, bytes]], megabytes: float) -> tuple[int, int]:
    """Stream {"url", "text"} lines until the file holds megabytes MB; (bytes, records)."""
    texts = [(name, data.decode("utf-8", "replace")) for name, data in dumps]
    limit = int(megabytes * 1e6)
    written = records = 0
    with open(path, "wb") as out:
        while written < limit:
            name, text = texts[records % len(texts)]
            line = json.dumps({"url": f"https://site{records % 50:02d}.example/{records}/{name}", "text": text},
                              ensure_ascii=False).encode("utf-8") + b"\n"
            out.write(line)
            written += len(line)
            records += 1
    return written, records


def measure_stream(work: Path, dumps: list[tuple[str, bytes]], megabytes: float) -> StreamFigures:
    big, out = work / "big.jsonl", work / "out.jsonl"
    print(f"writing {megabytes:,.0f} MB of JSONL to {big} ...", flush=True)
    size, records = write_jsonl(big, dumps, megabytes)
    if out.exists():
        out.unlink()
    print(f"  {size / 1e6:,.1f} MB, {records:,} records; cleaning ...", flush=True)
    command = cleaner_command() + ["clean", str(big), "-o", str(out)]
    run, samples = run_timed(command, work / "stream.log", sample=True)
    print(f"  {run.seconds:.0f} s, exit {run.returncode}, peak {run.max_rss_mib:.0f} MiB", flush=True)
    lines = 0
    if out.exists():
        with open(out, "rb") as handle:
            lines = sum(1 for _ in handle)
    by_progress = []
    for share in (0.1, 0.25, 0.5, 0.75, 0.9):
        hit = next((s for s in samples if s[1] >= share * size), None)
        if hit is not None:
            by_progress.append((share, round(hit[2] / 1024, 1)))
    return StreamFigures(
        megabytes=size / 1e6, records=records, run=run, megabytes_per_second=size / 1e6 / run.seconds,
        peak_rss_mib=run.max_rss_mib, output_lines=lines,
        output_megabytes=out.stat().st_size / 1e6 if out.exists() else 0.0, rss_by_progress=by_progress,
    )


# --- report ----------------------------------------------------------------------


def print_table(batch: BatchFigures | None, stream: StreamFigures | None, state: dict[str, object]) -> None:
    print()
    print(f"cleaner {__version__}, Python {platform.python_version()}, {os.cpu_count()} cores")
    dirty = state["uncommitted"]
    print(f"commit {state['commit']}" + (f", with uncommitted edits: {', '.join(dirty)}" if dirty else ""))  # type: ignore[arg-type]
    if state.get("changed_during_run"):
        print(f"warning: cleaner/ changed while this ran; at the end: {state['after']}")
    if batch is not None:
        runs = len(batch.jobs1)
        print(f"\nbatch: {batch.files:,} files ({batch.megabytes:.1f} MB, {batch.distinct_files:,} distinct), "
              f"median of {runs} run{'s' if runs > 1 else ''}")
        print(f"  {'run':<22}{'seconds':>9}{'files/s':>10}{'CPU s':>9}{'load':>11}  report")
        for label, rows, seconds in (("jobs 1, fresh DEST", batch.jobs1, batch.jobs1_seconds),
                                     ("jobs 2, fresh DEST", batch.jobs2, batch.jobs2_seconds),
                                     ("jobs 2, no change", batch.nochange, batch.nochange_seconds)):
            cpu = statistics.median(r.cpu_seconds for r in rows)
            load = f"{rows[-1].load_before:.1f}-{rows[-1].load_after:.1f}"
            report = rows[-1].report
            summary = (f"cleaned {report.get('cleaned')}, skipped {report.get('skipped')}, "
                       f"failed {report.get('failed')}, exit {rows[-1].returncode}") if report else \
                f"exit {rows[-1].returncode}: {rows[-1].stderr_tail}"
            print(f"  {label:<22}{seconds:>9.2f}{batch.files / seconds:>10.1f}{cpu:>9.1f}{load:>11}  {summary}")
        print(f"  speed-up jobs 2 / jobs 1:       {batch.speedup_jobs2_over_jobs1:.2f}x  (target >= 1.7x)")
        print(f"  no-change run / first run:      {batch.nochange_share_of_first_run:.1%}  (target < 10%)")
        print(f"  outputs with a changed mtime:   {batch.changed_mtimes:,} of {batch.outputs:,}"
              f" (missing or new: {batch.missing_or_new_outputs})")
    if stream is not None:
        print(f"\nstream: cleaner clean BIG.jsonl -o OUT.jsonl, {stream.megabytes:,.1f} MB, {stream.records:,} records")
        print(f"  seconds {stream.run.seconds:,.1f}, {stream.megabytes_per_second:.2f} MB/s, exit {stream.run.returncode}"
              f", {stream.output_lines:,} output lines ({stream.output_megabytes:,.1f} MB)")
        print(f"  CPU s {stream.run.cpu_seconds:,.1f}, load {stream.run.load_before:.1f}-{stream.run.load_after:.1f}")
        print(f"  peak RSS:                       {stream.peak_rss_mib:.0f} MiB  (target < 300)")
        progress = ", ".join(f"{share:.0%}: {rss:.0f}" for share, rss in stream.rss_by_progress)
        print(f"  RSS MiB by share of input read: {progress or 'no samples'}")
        if stream.run.returncode != 0:
            print(f"  stderr: {stream.run.stderr_tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="files in the test folder [10000]")
    parser.add_argument("--sites", type=int, default=50, help="site folders [50]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cleaner-batch-bench"), help="work dir")
    parser.add_argument("--runs", type=int, default=1, help="repeat each timed batch run, median [1]")
    parser.add_argument("--jsonl-mb", type=float, default=1000, help="size of the JSONL stream, MB; 0 skips [1000]")
    parser.add_argument("--seed", type=int, default=1, help="seed of the copies' variations [1]")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    dumps = dev_dumps()
    state = source_state()
    print(f"command: {' '.join(cleaner_command())}", flush=True)
    batch = measure_batch(work, dumps, args.files, args.sites, args.seed, args.runs) if args.files > 0 else None
    stream = measure_stream(work, dumps, args.jsonl_mb) if args.jsonl_mb > 0 else None
    state_after = source_state()
    if state_after != state:  # cleaner/ was edited while the benchmark ran
        state = {**state, "changed_during_run": True, "after": state_after}
    print_table(batch, stream, state)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {
            "cleaner": __version__, "source": state, "python": platform.python_version(), "cores": os.cpu_count(),
            "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "batch": asdict(batch) if batch else None, "stream": asdict(stream) if stream else None,
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
        print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
