"""Engine benchmark: `cleaner batch` with the local pool vs a Dask LocalCluster
(and, with --engines, vs Spark in local mode through cleaner.batch.spark.run_spark).

    python bench/dask_bench.py                        # 10,000 files, 2 workers, median of 3
    python bench/dask_bench.py --files 1000 --runs 1  # a quick check
    python bench/dask_bench.py --engines local spark --files 2000 --runs 3   # Spark local[2] beside the pool
    python bench/dask_bench.py --json bench/out/dask_bench.json

The folder is batch_bench.py's (the dev text dumps copied and varied into
--sites folders). Each run is a whole two-pass batch (learn the sites, then
clean) into a fresh DEST: `--engine local --jobs W` and `--engine dask --jobs W`
(a LocalCluster of W worker processes, one thread each, started by the run),
alternating, --runs times each. Reported: median seconds, pages/s, the Dask
run's overhead over the pool ((dask - local) / local; issue target <= 25%),
(the Spark run is a Python process that starts a SparkContext with master
local[W], calls run_spark and stops it; its JVM start-up is counted, and
printed apart; its CPU column misses the JVM and Spark's Python workers, which
the run's process does not wait for),
CPU seconds of the whole process tree, and peak memory: the largest sum of the
RSS of the run's process and all its descendants (workers, nannies), sampled
from /proc every RSS_SAMPLE_SECONDS. The two DESTs are compared byte for byte.

The machine may be shared: the 1-minute load average is printed beside each
run. Figures only: no timing is ever asserted. Standard library plus cleaner
(and dask[distributed], the bench extra).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_bench import ROOT, build_folder, cleaner_command, dev_dumps, source_state  # noqa: E402

RSS_SAMPLE_SECONDS = 0.2
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    engine: str
    seconds: float
    returncode: int
    cpu_seconds: float  # user + system of the run and every descendant it waited for
    peak_tree_rss_mib: float
    load_before: float
    load_after: float
    summary: str


def _children() -> dict[int, list[int]]:
    """pid -> child pids, from /proc."""
    found: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        found.setdefault(int(fields[1]), []).append(int(name))
    return found


def tree_rss_bytes(root: int) -> int:
    """RSS of root and all its descendants."""
    children, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE_BYTES
        except (OSError, ValueError, IndexError):
            pass
    return total


def run_batch(engine: str, src: Path, dest: Path, workers: int, log: Path) -> Run:
    if dest.exists():
        shutil.rmtree(dest)
    command = cleaner_command() + ["batch", str(src), str(dest), "-f", "json", "--engine", engine,
                                   "--jobs", str(workers)]
    if engine == "spark":
        command = [sys.executable, __file__, "--spark-child", str(src), str(dest), str(workers)]
    load_before = os.getloadavg()[0]
    peak = 0
    with open(log, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        done = threading.Event()

        def sampler() -> None:
            nonlocal peak
            while not done.wait(RSS_SAMPLE_SECONDS):
                peak = max(peak, tree_rss_bytes(process.pid))

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        thread.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    tail = log.read_text("utf-8", "replace").strip().splitlines()
    run = Run(engine, seconds, process.returncode, usage.ru_utime + usage.ru_stime, peak / 2**20,
              load_before, os.getloadavg()[0], tail[-1] if tail else "")
    print(f"  {engine}: {seconds:.1f} s, exit {run.returncode}, peak {run.peak_tree_rss_mib:.0f} MiB, "
          f"load {load_before:.1f}-{run.load_after:.1f}: {run.summary}", flush=True)
    return run


def spark_child(src: str, dest: str, workers: int) -> None:
    """The Spark run: a SparkContext of master local[workers], run_spark, stop."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the executors run this cleaner
    from pyspark import SparkConf, SparkContext

    from cleaner.batch import BatchOptions
    from cleaner.batch.spark import run_spark

    start = time.perf_counter()
    conf = SparkConf().setMaster(f"local[{workers}]").setAppName("cleaner-bench").setAll(
        [("spark.ui.enabled", "false"), ("spark.ui.showConsoleProgress", "false")])
    context = SparkContext(conf=conf)
    context.setLogLevel("ERROR")
    started = time.perf_counter() - start
    result = run_spark(context, src, dest, BatchOptions(output_format="json"))
    ran = time.perf_counter() - start - started
    context.stop()
    print(f"cleaner: {result.summary()}; SparkContext start {started:.1f} s, run_spark {ran:.1f} s", flush=True)


def same_outputs(one: Path, two: Path) -> bool:
    """Every file but the lock and the manifest (it holds absolute paths and mtimes) the same bytes."""
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and not p.name.startswith((".cleaner.lock", ".cleaner-manifest"))}
    return files(one) == files(two)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="files in the test folder [10000]")
    parser.add_argument("--sites", type=int, default=50, help="site folders [50]")
    parser.add_argument("--workers", type=int, default=2, help="pool processes and Dask workers [2]")
    parser.add_argument("--runs", type=int, default=3, help="runs of each engine, median [3]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cleaner-dask-bench"), help="work dir")
    parser.add_argument("--seed", type=int, default=1, help="seed of the copies' variations [1]")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--engines", nargs="+", choices=["local", "dask", "spark"], default=["local", "dask"],
                        help="engines to run, alternating; the first is the reference [local dask]")
    parser.add_argument("--spark-child", nargs=3, metavar=("SRC", "DEST", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.spark_child:
        spark_child(args.spark_child[0], args.spark_child[1], int(args.spark_child[2]))
        return
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    state = source_state()
    src = work / "src"
    print(f"building {args.files:,} files in {src} ...", flush=True)
    megabytes, distinct = build_folder(src, dev_dumps(), args.files, args.sites, args.seed)
    engines = list(dict.fromkeys(args.engines))
    reference = engines[0]
    runs: dict[str, list[Run]] = {engine: [] for engine in engines}
    for number in range(args.runs):
        order = engines if number % 2 == 0 else engines[::-1]
        for engine in order:
            runs[engine].append(run_batch(engine, src, work / f"dest-{engine}", args.workers,
                                          work / f"{engine}-run{number + 1}.log"))
    identical = all(same_outputs(work / f"dest-{reference}", work / f"dest-{e}") for e in engines[1:])
    median = {engine: statistics.median(r.seconds for r in rows) for engine, rows in runs.items()}
    overhead = {e: median[e] / median[reference] - 1 for e in engines[1:]}
    print(f"\ncleaner, Python {platform.python_version()}, {os.cpu_count()} cores, commit {state['commit']}"
          + (f" with uncommitted edits: {', '.join(state['uncommitted'])}" if state["uncommitted"] else ""))  # type: ignore[arg-type]
    print(f"batch: {args.files:,} files ({megabytes:.1f} MB, {distinct:,} distinct), {args.workers} workers, "
          f"median of {args.runs}")
    print(f"  {'engine':<8}{'seconds':>9}{'pages/s':>9}{'CPU s':>8}{'peak MiB':>10}{'load':>11}")
    for engine, rows in runs.items():
        cpu = statistics.median(r.cpu_seconds for r in rows)
        peak = max(r.peak_tree_rss_mib for r in rows)
        load = f"{min(r.load_before for r in rows):.1f}-{max(r.load_after for r in rows):.1f}"
        print(f"  {engine:<8}{median[engine]:>9.2f}{args.files / median[engine]:>9.1f}{cpu:>8.1f}{peak:>10.0f}{load:>11}")
    for engine, ratio in overhead.items():
        print(f"  {engine} beside {reference}: {ratio:+.1%} time" + ("  (target <= 25%)" if engine == "dask" else ""))
    print(f"  outputs and site model byte-identical to {reference}'s: {'yes' if identical else 'NO'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {"source": state, "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                   "runs": {k: [asdict(r) for r in v] for k, v in runs.items()}, "median_seconds": median,
                   "overhead": overhead, "identical": identical, "root": str(ROOT)}
        args.json.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
