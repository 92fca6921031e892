"""Speed of cleaner: throughput, CLI start-up, and scaling with page length.

    python bench/speed.py                       # everything, 3 runs each
    python bench/speed.py --runs 5 --startup-runs 10
    python bench/speed.py --max-lines 20000     # smaller scaling pages
    python bench/speed.py --json bench/out/speed.json
    python bench/speed.py --profile             # also cProfile the largest scaling page
    python bench/speed.py --parts html --runs 5 # only the HTML comparison with trafilatura
    python bench/speed.py --parts html --profile-html  # and cProfile cleaner's HTML path
    python bench/speed.py --parts batch --runs 3 # cleaner batch beside the trafilatura CLI, then incremental
    python bench/speed.py --parts batch --runs 5 --batch-base /tmp/base  # and beside the code of another commit

1. Throughput: every dev text dump cleaned in this process, one after another,
   after one untimed warm-up pass (imports, model load); pages/s and MB/s
   (MB = input bytes / 1e6), the median of --runs runs and each run.
2. Start-up: one dev page piped through `cleaner clean` (the installed console
   script) and `python -m cleaner clean`, the median of --startup-runs runs;
   `python -c pass` is the interpreter's floor. The commands take turns, round
   after round. `cleaner clean` runs twice a round: without cleaner's bytecode
   (its __pycache__ removed, PYTHONDONTWRITEBYTECODE set: every start compiles
   its modules, as an editable install does in a sandbox that sets it) and with
   it (compiled with compileall, as `pip install` leaves an installed copy). If the `trafilatura` CLI works,
   the same page wrapped as HTML (<p> per line) is timed beside it.
3. Scaling: synthetic pages of 1,000 / 10,000 / 100,000 lines (capped by
   --max-lines) made from the dev dumps in sorted order, with a near-duplicate
   (one character changed) of an earlier line every 50th line, each cleaned;
   the cost per line of the largest page over the smallest (1.0 = linear).
4. HTML beside trafilatura: the 181 `sh-` pages of the dev HTML (gzip is
   undone before timing) through cleaner (`clean()` + Markdown) and through
   trafilatura's default `extract()`, each tool in a process of its own (one
   core each, warmed up by one untimed pass); the two processes take turns,
   one timed pass each per round, so both see the same machine load. Median of
   --runs rounds, pages/s and MB/s by wall-clock and by each process's CPU time
   (which leaves out waiting for a core on a busy machine), and cleaner's speed
   over trafilatura's: of the medians, and in each round (with its median).
   Both get the page bytes, as a file holds them (each decodes them itself).
   Skipped with a note when trafilatura is not installed (pip install -e ".[bench]").
5. Batch beside the trafilatura CLI, whole processes as a user runs them: the
   181 `sh-` pages unpacked into a folder, then in each round
   `cleaner batch DIR OUT -f json --jobs 1` (site learning on, a fresh OUT) and
   `trafilatura --input-dir DIR --output-dir OUT2 --parallel 1 --no-comments`
   (a fresh OUT2), the order alternating from round to round; wall-clock and
   CPU (user + system of the process and its children) of each, medians of
   --runs rounds, the ratio of the medians and of each round, load noted. Then
   the incremental run: ADDED_PAGES train pages (gn-) are added to the folder
   and `cleaner batch` runs again into the last round's OUT; how many inputs
   each pass read (pass 1: fingerprinted; pass 2: read and parsed again, the
   rest finished from pass 1's kept pages; CLEANER_DEBUG_CPU's line), cleaned
   and skipped, and its time against the first run's. With --batch-base DIR
   (a checkout of another commit, e.g. `git worktree add DIR COMMIT`), the same
   cleaner command with PYTHONPATH=DIR takes its turn in each round too (the
   three commands in turn, the first rotating), and cleaner's time is compared
   with that code's.

Figures only: no timing is ever asserted. Standard library plus cleaner.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import html
import io
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_TEXT = (ROOT.parent / "shared" / "eval" / "dev" / "text").resolve()
DEV_HTML = (ROOT.parent / "shared" / "eval" / "dev" / "html").resolve()
# The HTML comparison uses the pages of this dev set (the public article-extraction benchmark).
HTML_SET_PREFIX = "sh-"
HTML_TOOLS = ("cleaner", "trafilatura")
PARTS = ("text", "startup", "scaling", "html", "batch")
# The batch part: pages of the train HTML added to the folder for the second, incremental run.
TRAIN_HTML = (ROOT.parent / "shared" / "eval" / "train" / "html").resolve()
ADDED_PAGES = 10
ADDED_PAGES_PREFIX = "gn-"
SCALING_SIZES = (1_000, 10_000, 100_000)
# Every this-many lines of a synthetic page is a near-duplicate of an earlier line.
NEAR_DUPLICATE_EVERY = 50
# Near-duplicates copy lines at least this long, so the fuzzy matcher sees them
# (cleaner matches shorter lines exactly only).
NEAR_DUPLICATE_MIN_CHARS = 40
# A scaling page whose first run takes longer than this is not repeated.
REPEAT_BUDGET_SECONDS = 10.0
SUBPROCESS_TIMEOUT_SECONDS = 120.0

sys.path.insert(0, str(ROOT))
from cleaner import __version__, clean  # noqa: E402


@dataclass
class Throughput:
    pages: int
    megabytes: float
    seconds: list[float]
    median_seconds: float
    pages_per_second: float
    megabytes_per_second: float
    slowest_page: str
    slowest_page_seconds: float


@dataclass
class StartupRow:
    name: str
    command: list[str]
    seconds: list[float]
    median_seconds: float | None  # None when the command failed or was skipped
    ok: bool
    note: str = ""
    # user + system CPU of each run: less moved by other work on a busy machine
    cpu_seconds: list[float] = field(default_factory=list)
    median_cpu_seconds: float | None = None


@dataclass
class Startup:
    page: str
    page_bytes: int
    rows: list[StartupRow]
    trafilatura_over_cleaner: float | None


@dataclass
class ScalingRow:
    lines: int
    blocks: int
    megabytes: float
    seconds: list[float]
    median_seconds: float
    microseconds_per_line: float
    microseconds_per_block: float


@dataclass
class Scaling:
    rows: list[ScalingRow]
    largest_over_smallest_per_line: float | None


@dataclass
class HtmlToolRow:
    tool: str
    seconds: list[float]  # wall-clock time of each timed pass
    median_seconds: float | None  # None when the tool could not run
    pages_per_second: float | None
    megabytes_per_second: float | None
    # the worker's own CPU time of each pass: on a busy machine, the time spent
    # waiting for a core is left out (the "pages/s on one core")
    cpu_seconds: list[float] = field(default_factory=list)
    cpu_pages_per_second: float | None = None
    cpu_megabytes_per_second: float | None = None
    note: str = ""


@dataclass
class HtmlComparison:
    pages: int
    megabytes: float
    load_before: str
    load_after: str
    rows: list[HtmlToolRow]
    cleaner_over_trafilatura: float | None  # cleaner's pages/s over trafilatura's (median wall-clock times)
    # the same ratio in each round (the two passes of a round run back to back, so
    # a change of machine load between rounds cancels out), and its median
    round_ratios: list[float]
    median_round_ratio: float | None
    cleaner_over_trafilatura_cpu: float | None  # the ratio of median CPU times


# --- helpers -------------------------------------------------------------------


def dev_pages(directory: Path) -> list[tuple[str, bytes]]:
    files = sorted(directory.glob("*.txt"))
    if not files:
        sys.exit(f"speed.py: no *.txt files in {directory}")
    return [(f.name, f.read_bytes()) for f in files]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def console_script(name: str) -> str | None:
    """The console script beside this interpreter (not a pyenv shim), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


# --- 1. throughput -------------------------------------------------------------


def measure_throughput(pages: Sequence[tuple[str, bytes]], runs: int) -> Throughput:
    for _, data in pages:  # warm-up: imports, model load, regex compilation
        clean(data)
    totals: list[float] = []
    per_page: list[dict[str, float]] = []
    for _ in range(runs):
        times: dict[str, float] = {}
        for name, data in pages:
            times[name] = timed(lambda: clean(data))
        per_page.append(times)
        totals.append(sum(times.values()))
    median = statistics.median(totals)
    slowest = max(pages, key=lambda p: statistics.median(run[p[0]] for run in per_page))[0]
    megabytes = sum(len(data) for _, data in pages) / 1e6
    return Throughput(
        pages=len(pages), megabytes=megabytes, seconds=totals, median_seconds=median,
        pages_per_second=len(pages) / median, megabytes_per_second=megabytes / median,
        slowest_page=slowest, slowest_page_seconds=statistics.median(run[slowest] for run in per_page),
    )


# --- 2. start-up ---------------------------------------------------------------


def time_command(name: str, command: list[str], stdin: bytes, runs: int) -> StartupRow:
    row = StartupRow(name, command, [], None, True)
    for _ in range(runs):
        time_once(row, stdin)
    return finish_row(row)


def time_once(row: StartupRow, stdin: bytes, env: dict[str, str] | None = None) -> None:
    """One more run of a row's command (a row that failed is not run again)."""
    if not row.ok:
        return
    before = os.times()
    start = time.perf_counter()
    try:
        done = subprocess.run(row.command, input=stdin, capture_output=True, timeout=SUBPROCESS_TIMEOUT_SECONDS,
                              env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        row.ok, row.note = False, f"{type(exc).__name__}: {exc}"
        return
    row.seconds.append(time.perf_counter() - start)
    after = os.times()
    row.cpu_seconds.append(after.children_user - before.children_user + after.children_system - before.children_system)
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()
        row.ok, row.note = False, f"exit {done.returncode}: {error[-1] if error else ''}"
    elif stdin and not done.stdout.strip():
        row.note = "empty output"


def finish_row(row: StartupRow) -> StartupRow:
    row.median_seconds = statistics.median(row.seconds) if row.ok and row.seconds else None
    row.median_cpu_seconds = statistics.median(row.cpu_seconds) if row.ok and row.cpu_seconds else None
    return row


def bytecode(compiled: bool) -> None:
    """cleaner's own modules with their bytecode (as pip install leaves them), or
    without it (each start compiles them from source: an editable install with
    PYTHONDONTWRITEBYTECODE set, as in some sandboxes)."""
    import compileall

    import cleaner

    package = Path(cleaner.__file__).resolve().parent
    if compiled:
        compileall.compile_dir(str(package), quiet=1)
    else:
        for cache in package.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def as_html(text: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip())
    return f"<html><body>\n{paragraphs}</body></html>\n".encode("utf-8")


def trafilatura_command() -> list[str] | None:
    """The trafilatura CLI if it is installed and starts (it may fail on import)."""
    path = console_script("trafilatura")
    if path is None:
        return None
    try:
        check = subprocess.run([path, "--version"], capture_output=True, timeout=SUBPROCESS_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return [path] if check.returncode == 0 else None


def measure_startup(pages: Sequence[tuple[str, bytes]], runs: int) -> Startup:
    """Rounds of: python -c pass, cleaner clean without cleaner's bytecode, cleaner
    clean with it, python -m cleaner clean (with it), so all see the same load."""
    # The page of median size: a typical page, so start-up dominates.
    name, data = sorted(pages, key=lambda p: (len(p[1]), p[0]))[len(pages) // 2]
    floor = StartupRow("python -c pass (floor)", [sys.executable, "-c", "pass"], [], None, True)
    script = console_script("cleaner")
    command = [script, "clean"] if script is not None else ["cleaner", "clean"]
    source = StartupRow("cleaner clean (no .pyc)", command, [], None, script is not None,
                        "" if script is not None else "not installed")
    cleaner_row = StartupRow("cleaner clean", command, [], None, script is not None, source.note)
    module = StartupRow("python -m cleaner clean", [sys.executable, "-m", "cleaner", "clean"], [], None, True)
    quiet = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # the no-.pyc runs must not write any
    try:
        for _ in range(runs):
            time_once(floor, b"")
            bytecode(False)
            time_once(source, data, quiet)
            bytecode(True)
            time_once(cleaner_row, data, quiet)
            time_once(module, data, quiet)
    finally:
        bytecode(True)
    rows = [finish_row(floor), finish_row(source), finish_row(cleaner_row), finish_row(module)]
    ratio = None
    trafilatura = trafilatura_command()
    if trafilatura is None:
        rows.append(StartupRow("trafilatura (HTML)", ["trafilatura"], [], None, False,
                               "skipped: not installed or does not start"))
    else:
        row = time_command("trafilatura (HTML)", trafilatura, as_html(data.decode("utf-8", "replace")), runs)
        rows.append(row)
        if row.median_seconds is not None and cleaner_row.median_seconds is not None:
            ratio = row.median_seconds / cleaner_row.median_seconds
    return Startup(page=name, page_bytes=len(data), rows=rows, trafilatura_over_cleaner=ratio)


# --- 3. scaling ----------------------------------------------------------------


def synthetic_page(pages: Sequence[tuple[str, bytes]], n_lines: int) -> str:
    """n_lines lines of the dev dumps, cycled in sorted order, with near-duplicates.

    Cycling repeats whole dumps once the dev set runs out (natural exact repeats);
    every NEAR_DUPLICATE_EVERY-th line is instead a copy of an earlier long line
    with one character changed, for the fuzzy dedupe. Deterministic.
    """
    rng = random.Random(n_lines)
    source = [line for _, data in pages for line in data.decode("utf-8", "replace").splitlines()]
    out: list[str] = []
    long_lines: list[str] = []
    position = 0
    while len(out) < n_lines:
        if len(out) % NEAR_DUPLICATE_EVERY == NEAR_DUPLICATE_EVERY - 1 and long_lines:
            original = rng.choice(long_lines)
            at = rng.randrange(len(original))
            letter = rng.choice([c for c in "etaoinshrdlu" if c != original[at]])
            out.append(original[:at] + letter + original[at + 1:])
            continue
        line = source[position % len(source)]
        position += 1
        out.append(line)
        if len(line.strip()) >= NEAR_DUPLICATE_MIN_CHARS:
            long_lines.append(line)
    return "\n".join(out) + "\n"


def measure_scaling(pages: Sequence[tuple[str, bytes]], max_lines: int, runs: int) -> Scaling:
    sizes = sorted({s for s in SCALING_SIZES if s < max_lines} | {max_lines})
    rows = []
    for n_lines in sizes:
        text = synthetic_page(pages, n_lines)
        seconds: list[float] = []
        blocks = 0
        for _ in range(runs):
            start = time.perf_counter()
            document = clean(text)
            seconds.append(time.perf_counter() - start)
            blocks = len(document.blocks)
            if seconds[0] > REPEAT_BUDGET_SECONDS:
                break
        median = statistics.median(seconds)
        rows.append(ScalingRow(n_lines, blocks, len(text.encode("utf-8")) / 1e6, seconds, median,
                               median / n_lines * 1e6, median / max(1, blocks) * 1e6))
    ratio = rows[-1].microseconds_per_line / rows[0].microseconds_per_line if len(rows) > 1 else None
    return Scaling(rows=rows, largest_over_smallest_per_line=ratio)


def profile_page(pages: Sequence[tuple[str, bytes]], n_lines: int, top: int = 15) -> str:
    text = synthetic_page(pages, n_lines)
    profiler = cProfile.Profile()
    profiler.runcall(clean, text)
    report = io.StringIO()
    pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(top)
    return report.getvalue()


# --- 4. HTML beside trafilatura ----------------------------------------------


def html_pages(directory: Path) -> list[tuple[str, bytes]]:
    files = sorted(directory.glob(f"{HTML_SET_PREFIX}*.html.gz"))
    if not files:
        sys.exit(f"speed.py: no {HTML_SET_PREFIX}*.html.gz files in {directory}")
    return [(f.name, gzip.decompress(f.read_bytes())) for f in files]


def html_extractor(tool: str) -> Callable[[bytes], object]:
    """The function a worker times on each page: cleaner's clean() and its
    Markdown, or trafilatura's extract() with its defaults (text out)."""
    if tool == "trafilatura":
        import trafilatura

        return trafilatura.extract
    from cleaner.render import render_markdown

    return lambda data: render_markdown([clean(data, input_format="html")])


def html_worker(tool: str, directory: Path) -> None:
    """Child process: one untimed pass, then one timed pass per "run" line on stdin."""
    pages = [data for _, data in html_pages(directory)]
    extract = html_extractor(tool)
    for data in pages:
        extract(data)
    print("ready", flush=True)
    for command in sys.stdin:
        if command.strip() != "run":
            break
        start, start_cpu = time.perf_counter(), time.process_time()
        for data in pages:
            extract(data)
        print(f"{time.perf_counter() - start!r} {time.process_time() - start_cpu!r}", flush=True)


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def measure_html(directory: Path, runs: int) -> HtmlComparison:
    pages = html_pages(directory)
    megabytes = sum(len(data) for _, data in pages) / 1e6
    load_before = load_average()
    workers: dict[str, subprocess.Popen[str]] = {}
    notes: dict[str, str] = {}
    for tool in HTML_TOOLS:
        command = [sys.executable, str(Path(__file__).resolve()), "--html-worker", tool, "--html-data", str(directory)]
        # stderr to a file: a tool's warnings must never fill a pipe and stall it
        with tempfile.TemporaryFile("w+") as errors:
            worker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True)
            assert worker.stdout is not None
            if worker.stdout.readline().strip() == "ready":
                workers[tool] = worker
                continue
            worker.kill()
            worker.wait()
            errors.seek(0)
            lines = errors.read().strip().splitlines()
            notes[tool] = f"did not start: {lines[-1] if lines else 'no message'}"
    seconds: dict[str, list[float]] = {tool: [] for tool in HTML_TOOLS}
    cpu_seconds: dict[str, list[float]] = {tool: [] for tool in HTML_TOOLS}
    for _ in range(runs):  # the tools take turns, so both see the same load
        for tool, worker in workers.items():
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.write("run\n")
            worker.stdin.flush()
            wall, cpu = worker.stdout.readline().split()
            seconds[tool].append(float(wall))
            cpu_seconds[tool].append(float(cpu))
    for worker in workers.values():
        worker.communicate("stop\n")
    rows = []
    for tool in HTML_TOOLS:
        if tool not in workers:
            rows.append(HtmlToolRow(tool, [], None, None, None, note=notes[tool]))
            continue
        median, median_cpu = statistics.median(seconds[tool]), statistics.median(cpu_seconds[tool])
        rows.append(HtmlToolRow(tool, seconds[tool], median, len(pages) / median, megabytes / median,
                                cpu_seconds[tool], len(pages) / median_cpu, megabytes / median_cpu))
    speeds = {row.tool: (row.pages_per_second, row.cpu_pages_per_second) for row in rows}
    ratio = ratio_cpu = None
    if speeds["cleaner"][0] is not None and speeds["trafilatura"][0] is not None:
        ratio = speeds["cleaner"][0] / speeds["trafilatura"][0]
    if speeds["cleaner"][1] is not None and speeds["trafilatura"][1] is not None:
        ratio_cpu = speeds["cleaner"][1] / speeds["trafilatura"][1]
    round_ratios = [other / mine for mine, other in zip(seconds["cleaner"], seconds["trafilatura"])]
    median_round = statistics.median(round_ratios) if round_ratios else None
    return HtmlComparison(len(pages), megabytes, load_before, load_average(), rows, ratio, round_ratios, median_round,
                          ratio_cpu)


def profile_html(directory: Path, top: int = 25) -> str:
    extract = html_extractor("cleaner")
    pages = [data for _, data in html_pages(directory)]
    for data in pages:
        extract(data)
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [extract(data) for data in pages])
    report = io.StringIO()
    pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(top)
    return report.getvalue()


# --- 5. batch beside the trafilatura CLI ----------------------------------------


@dataclass
class CommandRun:
    seconds: float
    cpu_seconds: float
    returncode: int
    stderr_tail: str


@dataclass
class BatchComparison:
    pages: int
    megabytes: float
    load_before: str
    load_after: str
    cleaner_command: list[str]
    trafilatura_command: list[str]
    cleaner: list[CommandRun]
    trafilatura: list[CommandRun]
    cleaner_median_seconds: float
    trafilatura_median_seconds: float | None
    cleaner_over_trafilatura: float | None  # trafilatura's median time over cleaner's
    round_ratios: list[float]
    median_round_ratio: float | None
    first_run_passes: str  # the CLEANER_DEBUG_CPU line of a first run
    incremental: CommandRun | None = None
    incremental_passes: str = ""
    incremental_over_first: float | None = None
    base_tree: str = ""  # --batch-base: the other code's folder, and its runs
    base: list[CommandRun] = field(default_factory=list)


def timed_command(command: list[str], env: dict[str, str] | None = None) -> CommandRun:
    """Wall-clock and CPU seconds (the child and its own children) of one command."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=SUBPROCESS_TIMEOUT_SECONDS * 10)
    seconds = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return CommandRun(seconds, cpu, done.returncode, done.stderr.strip()[-400:])


def print_base_ratios(comparison: BatchComparison) -> None:
    """cleaner against the --batch-base code (its time / cleaner's), by wall clock and by CPU, and trafilatura's
    time over each."""
    for measure, figure in (("wall", attrgetter("seconds")), ("CPU", attrgetter("cpu_seconds"))):
        rounds = [figure(b) / figure(c) for c, b in zip(comparison.cleaner, comparison.base)]
        cleaner, base = (statistics.median(map(figure, runs)) for runs in (comparison.cleaner, comparison.base))
        print_ratios(f"cleaner batch vs the base code, {measure}", base / cleaner, rounds, statistics.median(rounds))
        if comparison.trafilatura:
            trafilatura = statistics.median(map(figure, comparison.trafilatura))
            print(f"  trafilatura's {measure} time over the base code's: {trafilatura / base:.2f}x, "
                  f"over cleaner's: {trafilatura / cleaner:.2f}x")


def passes_line(run: CommandRun) -> str:
    lines = [line for line in run.stderr_tail.splitlines() if "pass 1 read" in line or line.startswith("cleaner: cleaned")]
    return " | ".join(line.removeprefix("cleaner: ") for line in lines)


def measure_batch(directory: Path, runs: int, base_tree: Path | None = None) -> BatchComparison:
    pages = html_pages(directory)
    megabytes = sum(len(data) for _, data in pages) / 1e6
    bin_dir = Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix="speed-batch-"))
    try:
        src = work / "sh"
        src.mkdir()
        for name, data in pages:
            (src / name.removesuffix(".gz")).write_bytes(data)
        env = {**os.environ, "CLEANER_DEBUG_CPU": "1"}
        cleaner_command = [str(bin_dir / "cleaner"), "batch", str(src), "OUT", "-f", "json", "--jobs", "1"]
        trafilatura_command = [str(bin_dir / "trafilatura"), "--input-dir", str(src), "--output-dir", "OUT2",
                               "--parallel", "1", "--no-comments"]
        has_trafilatura = (bin_dir / "trafilatura").exists()
        load_before = load_average()
        done: dict[str, list[CommandRun]] = {"cleaner": [], "trafilatura": [], "base": []}
        base_env = {**env, "PYTHONPATH": str(base_tree)} if base_tree is not None else env
        for number in range(runs):
            out, out2 = work / f"out{number}", work / f"out2-{number}"
            turns = [("cleaner", [str(out) if a == "OUT" else a for a in cleaner_command])]
            if has_trafilatura:
                turns.append(("trafilatura", [str(out2) if a == "OUT2" else a for a in trafilatura_command]))
            if base_tree is not None:
                turns.append(("base", [str(work / f"base{number}") if a == "OUT" else a for a in cleaner_command]))
            if number % 2 and len(turns) == 2:
                turns.reverse()
            elif len(turns) > 2:
                turns = turns[number % len(turns):] + turns[:number % len(turns)]
            for tool, command in turns:
                done[tool].append(timed_command(command, base_env if tool == "base" else env))
        cleaner_runs, trafilatura_runs = done["cleaner"], done["trafilatura"]
        load_after = load_average()
        cleaner_median = statistics.median(r.seconds for r in cleaner_runs)
        trafilatura_median = statistics.median(r.seconds for r in trafilatura_runs) if trafilatura_runs else None
        round_ratios = [t.seconds / c.seconds for c, t in zip(cleaner_runs, trafilatura_runs)]
        comparison = BatchComparison(
            len(pages), megabytes, load_before, load_after, cleaner_command, trafilatura_command, cleaner_runs,
            trafilatura_runs, cleaner_median, trafilatura_median,
            trafilatura_median / cleaner_median if trafilatura_median else None, round_ratios,
            statistics.median(round_ratios) if round_ratios else None, passes_line(cleaner_runs[-1]),
            base_tree=str(base_tree or ""), base=done["base"],
        )
        added = sorted(TRAIN_HTML.glob(f"{ADDED_PAGES_PREFIX}*.html.gz"))[:ADDED_PAGES]
        if len(added) == ADDED_PAGES:
            for path in added:
                (src / ("added-" + path.name.removesuffix(".gz"))).write_bytes(gzip.decompress(path.read_bytes()))
            last = work / f"out{runs - 1}"
            run = timed_command([str(last) if a == "OUT" else a for a in cleaner_command], env)
            comparison.incremental = run
            comparison.incremental_passes = passes_line(run)
            comparison.incremental_over_first = run.seconds / cleaner_runs[-1].seconds
        return comparison
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_batch(comparison: BatchComparison) -> None:
    print()
    print(f"Batch: {comparison.pages} {HTML_SET_PREFIX} pages ({comparison.megabytes:.2f} MB) in a folder, whole "
          f"processes, the order alternating each round, median of {len(comparison.cleaner)} rounds; load average "
          f"{comparison.load_before} before, {comparison.load_after} after")
    print(f"  {'command':<74} {'wall s':>7} {'CPU s':>6}   rounds (wall | CPU)")
    rows = [("cleaner batch DIR OUT -f json --jobs 1", comparison.cleaner),
            ("trafilatura --input-dir DIR --output-dir OUT2 --parallel 1 --no-comments", comparison.trafilatura)]
    if comparison.base:
        rows.append((f"the same cleaner command, PYTHONPATH={comparison.base_tree}", comparison.base))
    for name, runs in rows:
        if not runs:
            print(f"  {name:<74} {'-':>7}   [not installed]")
            continue
        print(f"  {name:<74} {statistics.median(r.seconds for r in runs):>7.2f} "
              f"{statistics.median(r.cpu_seconds for r in runs):>6.2f}   "
              f"{seconds_list([r.seconds for r in runs], 2)} | {seconds_list([r.cpu_seconds for r in runs], 2)}")
    print_ratios("cleaner batch vs trafilatura (its time / cleaner's)", comparison.cleaner_over_trafilatura,
                 comparison.round_ratios, comparison.median_round_ratio)
    if comparison.base:
        print_base_ratios(comparison)
    print(f"  first run: {comparison.first_run_passes}")
    if comparison.incremental is not None and comparison.incremental_over_first is not None:
        print(f"  after adding {ADDED_PAGES} pages: {comparison.incremental.seconds:.2f} s wall "
              f"({comparison.incremental_over_first:.0%} of the first run): {comparison.incremental_passes}")


# --- report --------------------------------------------------------------------


def seconds_list(values: Sequence[float], digits: int = 3) -> str:
    return " ".join(f"{v:.{digits}f}" for v in values)


def print_ratios(label: str, overall: float | None, rounds: Sequence[float], median: float | None) -> None:
    """cleaner's speed over trafilatura's: of the medians, and in each round."""
    if overall is not None and median is not None:
        print(f"  {label}: {overall:.2f}x; per round {' '.join(f'{r:.2f}' for r in rounds)}, median {median:.2f}x")


def print_header() -> None:
    print(f"cleaner {__version__}  Python {platform.python_version()}  {platform.machine()}")


def print_throughput(throughput: Throughput) -> None:
    print()
    print(f"Throughput: {throughput.pages} dev pages, {throughput.megabytes:.2f} MB, in-process, "
          f"median of {len(throughput.seconds)} runs (warm-up excluded)")
    print(f"  {'pages/s':>9} {'MB/s':>7} {'seconds':>8}   runs (s)")
    print(f"  {throughput.pages_per_second:>9.1f} {throughput.megabytes_per_second:>7.3f} "
          f"{throughput.median_seconds:>8.3f}   {seconds_list(throughput.seconds)}")
    print(f"  slowest page: {throughput.slowest_page} {throughput.slowest_page_seconds * 1e3:.1f} ms")


def print_startup(startup: Startup) -> None:
    print()
    print(f"Start-up: one page piped in ({startup.page}, {startup.page_bytes:,} bytes), "
          f"median of {max((len(r.seconds) for r in startup.rows), default=0)} runs; "
          f"load average {load_average()} after")
    print(f"  {'command':<26} {'seconds':>8} {'CPU s':>6}   runs (s)")
    for row in startup.rows:
        figure = f"{row.median_seconds:>8.3f}" if row.median_seconds is not None else f"{'-':>8}"
        cpu = f"{row.median_cpu_seconds:>6.3f}" if row.median_cpu_seconds is not None else f"{'-':>6}"
        note = f"   [{row.note}]" if row.note else ""
        print(f"  {row.name:<26} {figure} {cpu}   {seconds_list(row.seconds)}{note}")
    if startup.trafilatura_over_cleaner is not None:
        print(f"  trafilatura / cleaner: {startup.trafilatura_over_cleaner:.2f}x")


def print_scaling(scaling: Scaling) -> None:
    print()
    print(f"Scaling: synthetic pages (dev lines cycled, near-duplicate every {NEAR_DUPLICATE_EVERY}th line)")
    print(f"  {'lines':>8} {'blocks':>8} {'MB':>6} {'seconds':>8} {'us/line':>8} {'us/block':>9}   runs (s)")
    for srow in scaling.rows:
        print(f"  {srow.lines:>8,} {srow.blocks:>8,} {srow.megabytes:>6.2f} {srow.median_seconds:>8.3f} "
              f"{srow.microseconds_per_line:>8.1f} {srow.microseconds_per_block:>9.1f}   {seconds_list(srow.seconds)}")
    if scaling.largest_over_smallest_per_line is not None:
        print(f"  per-line cost, largest / smallest: {scaling.largest_over_smallest_per_line:.2f}x "
              f"(1.0 = linear)")


def print_html(comparison: HtmlComparison) -> None:
    print()
    print(f"HTML: {comparison.pages} {HTML_SET_PREFIX} pages, {comparison.megabytes:.2f} MB, one process per tool, "
          f"turns taken, median of {max((len(r.seconds) for r in comparison.rows), default=0)} runs "
          f"(warm-up excluded); load average {comparison.load_before} before, {comparison.load_after} after")
    print(f"  {'tool':<12} {'pages/s':>9} {'MB/s':>7} {'seconds':>8} {'CPU p/s':>8} {'CPU MB/s':>9}   "
          f"runs (s, wall | CPU)")
    for row in comparison.rows:
        if (row.median_seconds is None or row.pages_per_second is None or row.megabytes_per_second is None
                or row.cpu_pages_per_second is None or row.cpu_megabytes_per_second is None):
            print(f"  {row.tool:<12} {'-':>9} {'-':>7} {'-':>8}   [{row.note}]")
            continue
        print(f"  {row.tool:<12} {row.pages_per_second:>9.1f} {row.megabytes_per_second:>7.2f} "
              f"{row.median_seconds:>8.3f} {row.cpu_pages_per_second:>8.1f} {row.cpu_megabytes_per_second:>9.2f}   "
              f"{seconds_list(row.seconds)} | {seconds_list(row.cpu_seconds)}")
    print_ratios("cleaner / trafilatura (pages/s)", comparison.cleaner_over_trafilatura, comparison.round_ratios,
                 comparison.median_round_ratio)
    if comparison.cleaner_over_trafilatura_cpu is not None:
        print(f"  cleaner / trafilatura (CPU pages/s): {comparison.cleaner_over_trafilatura_cpu:.2f}x")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="timed runs for throughput and scaling (default 3)")
    parser.add_argument("--startup-runs", type=int, default=5, help="runs per start-up command (default 5)")
    parser.add_argument("--max-lines", type=int, default=100_000, help="largest scaling page (default 100000)")
    parser.add_argument("--data", type=Path, default=DEV_TEXT, help=f"dev text dumps (default {DEV_TEXT})")
    parser.add_argument("--html-data", type=Path, default=DEV_HTML, help=f"dev HTML pages (default {DEV_HTML})")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS), help="what to measure (default all)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the figures here")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest scaling page")
    parser.add_argument("--profile-html", action="store_true", help="cProfile cleaner on the HTML pages")
    parser.add_argument("--batch-base", type=Path, metavar="DIR",
                        help="batch part: also time the code of another commit checked out in DIR (PYTHONPATH=DIR)")
    parser.add_argument("--html-worker", choices=HTML_TOOLS, help=argparse.SUPPRESS)  # a child of the html part
    args = parser.parse_args(argv)
    if args.html_worker:
        html_worker(args.html_worker, args.html_data)
        return
    if args.runs < 1 or args.startup_runs < 1 or args.max_lines < 1:
        parser.error("--runs, --startup-runs and --max-lines must be at least 1")

    figures: dict[str, object] = {
        "cleaner_version": __version__, "python": platform.python_version(), "machine": platform.machine(),
    }
    print_header()
    pages = dev_pages(args.data) if {"text", "startup", "scaling"} & set(args.parts) else []
    if "text" in args.parts:
        throughput = measure_throughput(pages, args.runs)
        print_throughput(throughput)
        figures["throughput"] = asdict(throughput)
    if "startup" in args.parts:
        startup = measure_startup(pages, args.startup_runs)
        print_startup(startup)
        figures["startup"] = asdict(startup)
    if "scaling" in args.parts:
        scaling = measure_scaling(pages, args.max_lines, args.runs)
        print_scaling(scaling)
        figures["scaling"] = asdict(scaling)
        if args.profile:
            print()
            print(f"cProfile of the {args.max_lines:,}-line page (top by cumulative time):")
            print(profile_page(pages, args.max_lines))
    if "html" in args.parts:
        comparison = measure_html(args.html_data, args.runs)
        print_html(comparison)
        figures["html"] = asdict(comparison)
    if "batch" in args.parts:
        batch_figures = measure_batch(args.html_data, args.runs, args.batch_base)
        print_batch(batch_figures)
        figures["batch"] = asdict(batch_figures)
    if args.profile_html:
        print()
        print("cProfile of cleaner over the HTML pages (top by own time):")
        print(profile_html(args.html_data))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, allow_nan=False) + "\n", "utf-8")
        print(f"\nfigures saved to {args.json}")


if __name__ == "__main__":
    main()
