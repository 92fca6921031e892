"""A gzip bomb against `cleaner clean` with the default limits: peak memory and time to refuse it.

    python bench/hostile.py                 # 4 million copies of one sentence (~200 MB) in a .txt.gz
    python bench/hostile.py --rounds 5 --copies 8000000

1. The bomb: --copies lines of one 51-byte sentence, gzipped (level --level;
   the default gives 580 KB for 204 MB, like issue 15's 594 KB file), written
   in chunks.
2. `python -m cleaner clean BOMB -o OUT.md`, --rounds times in a subprocess:
   exit code, the error line, wall time and peak RSS (wait4's ru_maxrss of
   that child), and the median and the largest of each. The load average is
   printed beside them: the machine is shared.

Figures only: nothing is asserted (tests/test_hostile.py checks the behaviour
under a memory limit).
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_bench import run_timed  # noqa: E402

SENTENCE = b"The council approved a new budget for the library.\n"
# Lines written per gzip write.
LINES_PER_CHUNK = 100_000


def write_bomb(path: Path, copies: int, level: int) -> int:
    """The bomb file; its unpacked size in bytes."""
    chunk = SENTENCE * LINES_PER_CHUNK
    with gzip.open(path, "wb", compresslevel=level) as out:
        for _ in range(copies // LINES_PER_CHUNK):
            out.write(chunk)
        out.write(SENTENCE * (copies % LINES_PER_CHUNK))
    return len(SENTENCE) * copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=4_000_000)
    parser.add_argument("--level", type=int, default=6, help="gzip level of the bomb (6: gzip's default)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cleaner-hostile-") as work:
        bomb, out = Path(work) / "bomb.txt.gz", Path(work) / "out.md"
        unpacked = write_bomb(bomb, args.copies, args.level)
        print(f"bomb: {bomb.stat().st_size / 1024:,.0f} KB gzipped, {unpacked / 1e6:,.0f} MB unpacked "
              f"({args.copies:,} lines)")
        command = [sys.executable, "-m", "cleaner", "clean", str(bomb), "-o", str(out)]
        runs = []
        for number in range(args.rounds):
            run, _ = run_timed(command, Path(work) / f"run{number}.log")
            runs.append(run)
            print(f"  round {number + 1}: exit {run.returncode}, {run.seconds:.2f} s, CPU {run.cpu_seconds:.2f} s, "
                  f"peak RSS {run.max_rss_mib:,.0f} MiB, load {run.load_before:.1f}-{run.load_after:.1f}")
        print(f"  stderr: {runs[-1].stderr_tail}")
        print(f"  output written: {out.exists()}")
        seconds = [r.seconds for r in runs]
        peaks = [r.max_rss_mib for r in runs]
        print(f"median {statistics.median(seconds):.2f} s (max {max(seconds):.2f}); "
              f"peak RSS median {statistics.median(peaks):,.0f} MiB (max {max(peaks):,.0f}); "
              f"cores {os.cpu_count()}")


if __name__ == "__main__":
    main()
