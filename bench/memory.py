"""Memory bound of one big text dump: peak RSS and time of `python -m cleaner clean BIG.txt`.

    python bench/memory.py                      # 200 MB text dump (several minutes)
    python bench/memory.py --text-mb 20 --tracemalloc
    python bench/memory.py --text-mb 0 --jsonl-mb 200    # a 200 MB JSONL stream (batch_bench.py's code)

1. Dump: --text-mb MB (1e6 bytes) of the dev text and multi-article dumps one
   after another, as one page: nav, repeated lines, captions and many articles,
   as real dumps have them. Each copy opens with "Copy n of <name>", and in one
   prose line out of three one word becomes the copy's number (seeded), so later
   copies are near-duplicates of earlier ones, not only exact repeats.
2. `python -m cleaner clean BIG.txt -o OUT.md` (its limits raised to fit the
   dump) in a subprocess: wall time, CPU
   time and peak RSS (wait4's ru_maxrss, this child only), and the peak as a
   multiple of the input size and in bytes per input line. The 1-minute load
   average is printed beside it.
3. --tracemalloc: the same in this process under tracemalloc, which lists the
   source lines holding the most memory at the peak (run it on a smaller dump:
   tracing is slow).
4. --jsonl-mb: batch_bench.py's JSONL stream measure (record by record), its
   records the dev and train text dumps in turn: wall and CPU seconds (MB/s of
   each) and peak RSS.

Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_bench import DEV_TEXT, dev_dumps, measure_stream, run_timed, source_state  # noqa: E402

DEV_MULTI = DEV_TEXT.parent / "multi"
TRAIN_TEXT = DEV_TEXT.parent.parent / "train" / "text"
# One prose line in this many gets one word changed per copy.
EDIT_EVERY = 3
# Lines at least this long count as prose for the edits.
PROSE_MIN_CHARS = 80


def train_dumps() -> list[tuple[str, bytes]]:
    """The train text dumps (the stream's records are the dev and train dumps, in turn)."""
    return [(f.name, f.read_bytes()) for f in sorted(TRAIN_TEXT.glob("*.txt"))]


def write_dump(path: Path, megabytes: float, seed: int) -> tuple[int, int]:
    """Write the big dump; (bytes, lines)."""
    pages = dev_dumps() + [(f.name, f.read_bytes()) for f in sorted(DEV_MULTI.glob("*.txt"))]
    texts = [(name, data.decode("utf-8", "replace").splitlines()) for name, data in pages]
    rng = random.Random(seed)
    limit, written, lines, copy = int(megabytes * 1e6), 0, 0, 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        while written < limit:
            name, page = texts[copy % len(texts)]
            chunk = [f"Copy {copy} of {name}", ""] + [_edited(line, copy, rng) for line in page] + [""]
            data = "\n".join(chunk) + "\n"
            out.write(data)
            written += len(data.encode("utf-8"))
            lines += len(chunk)
            copy += 1
    return written, lines


def _edited(line: str, copy: int, rng: random.Random) -> str:
    if copy < 1 or len(line) < PROSE_MIN_CHARS or rng.randrange(EDIT_EVERY):
        return line
    words = line.split(" ")
    words[rng.randrange(len(words))] = str(copy)
    return " ".join(words)


def measure_text(work: Path, megabytes: float, seed: int) -> None:
    big, out = work / "big.txt", work / "big.md"
    print(f"writing {megabytes:,.0f} MB text dump to {big} ...", flush=True)
    size, lines = write_dump(big, megabytes, seed)
    print(f"  {size / 1e6:,.1f} MB, {lines:,} lines; cleaning ...", flush=True)
    # the dump is one page far over the default limits (100,000 lines, 64 MiB): raised to fit it
    limits = ["--max-page-lines", str(lines + 1), "--max-page-bytes", str(size + 1)]
    command = [sys.executable, "-m", "cleaner", "clean", str(big), "-o", str(out), *limits]
    run, _ = run_timed(command, work / "text.log")
    mib = size / 2**20
    print(f"\ntext dump: {' '.join(command[1:])}")
    print(f"  input {size / 1e6:,.1f} MB ({mib:,.0f} MiB), {lines:,} lines; exit {run.returncode}")
    load = f"{run.load_before:.1f}-{run.load_after:.1f}"
    print(f"  seconds {run.seconds:,.1f}, CPU s {run.cpu_seconds:,.1f}, load {load}")
    print(f"  peak RSS {run.max_rss_mib:,.0f} MiB = {run.max_rss_mib / mib:.1f}x the input "
          f"= {run.max_rss_mib * 2**20 / lines:,.0f} bytes per input line")
    if out.exists():
        print(f"  output {out.stat().st_size / 1e6:,.1f} MB")
    if run.returncode:
        print(f"  stderr: {run.stderr_tail}")


def trace_text(work: Path, megabytes: float, seed: int, top: int) -> None:
    """clean() + render in this process under tracemalloc: the biggest holders at the peak."""
    from cleaner import clean
    from cleaner.render import render_markdown

    big = work / "trace.txt"
    size, _ = write_dump(big, megabytes, seed)
    data = big.read_bytes()
    tracemalloc.start(1)
    document = clean(data, source=str(big))
    text = render_markdown([document])
    current, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    print(f"\ntracemalloc, {size / 1e6:,.1f} MB dump in this process: held after clean {current / 2**20:,.0f} MiB, "
          f"traced peak {peak / 2**20:,.0f} MiB ({peak / size:.1f}x the input); output {len(text) / 1e6:.1f} MB")
    for stat in snapshot.statistics("lineno")[:top]:
        frame = stat.traceback[0]
        print(f"  {stat.size / 2**20:8.1f} MiB {stat.count:>10,} blocks  {frame.filename}:{frame.lineno}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text-mb", type=float, default=200, help="size of the text dump, MB; 0 skips [200]")
    parser.add_argument("--jsonl-mb", type=float, default=0, help="also the JSONL stream of this size, MB [0]")
    parser.add_argument("--tracemalloc", action="store_true", help="trace the text dump in-process instead")
    parser.add_argument("--top", type=int, default=15, help="source lines listed by --tracemalloc [15]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cleaner-memory-bench"), help="work dir")
    parser.add_argument("--seed", type=int, default=1, help="seed of the copies' edits [1]")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    state = source_state()
    print(f"commit {state['commit']}, uncommitted: {state['uncommitted'] or 'none'}; load {os.getloadavg()[0]:.2f}")
    if args.text_mb > 0:
        if args.tracemalloc:
            trace_text(work, args.text_mb, args.seed, args.top)
        else:
            measure_text(work, args.text_mb, args.seed)
    if args.jsonl_mb > 0:
        stream = measure_stream(work, dev_dumps() + train_dumps(), args.jsonl_mb)
        progress = ", ".join(f"{share:.0%}: {rss:.0f}" for share, rss in stream.rss_by_progress)
        print(f"\nJSONL stream: {stream.megabytes:,.1f} MB, {stream.records:,} records, exit {stream.run.returncode}")
        print(f"  seconds {stream.run.seconds:,.1f} ({stream.megabytes_per_second:.2f} MB/s), CPU s "
              f"{stream.run.cpu_seconds:,.1f} ({stream.megabytes / stream.run.cpu_seconds:.2f} MB/s), "
              f"load {stream.run.load_before:.1f}-{stream.run.load_after:.1f}")
        print(f"  peak RSS {stream.peak_rss_mib:,.0f} MiB; RSS MiB by share of input read: {progress or 'no samples'}")


if __name__ == "__main__":
    main()
