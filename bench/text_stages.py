"""Text dumps through cleaner's stages, one process, taking turns with another tree.

    python bench/text_stages.py --against /tmp/base12 --rounds 3   # this tree, another (a git worktree), in turns
    python bench/text_stages.py --rounds 3 --pure                 # and this tree with CLEANER_PURE_PYTHON=1

The dev and train text dumps (../shared/eval/{dev,train}/text, 1,129 files,
11.97 MB) are read into memory, then each goes through pipeline.prepare and
pipeline.finish (every stage, no rendering) in a fresh worker process of each
variant: this tree, --against's (its own cleaner, by PYTHONPATH) and, with
--pure, this tree without its C helper. Each round runs every variant once, in
turn; the figures are the CPU seconds (time.process_time) and wall seconds
(time.perf_counter) around the stages, their medians over the rounds, and MB/s
of each. The 1-minute load average is printed before each round: on a shared
machine, CPU seconds are the steadier measure. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SETS = ("dev", "train")


def dumps() -> list[bytes]:
    files = [path for name in SETS for path in sorted((EVAL / name / "text").glob("*.txt"))]
    if not files:
        sys.exit(f"text_stages.py: no text dumps in {EVAL}/{{dev,train}}/text")
    return [path.read_bytes() for path in files]


def worker() -> None:
    """Clean every dump once; print {"cpu", "wall", "bytes", "pages", "module"} as JSON."""
    from cleaner import pipeline

    pages = dumps()
    start_cpu, start = time.process_time(), time.perf_counter()
    for data in pages:
        pipeline.finish(pipeline.prepare(data))
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start
    print(json.dumps({"cpu": cpu, "wall": wall, "bytes": sum(map(len, pages)), "pages": len(pages),
                      "module": pipeline.__file__}))


def run_variant(tree: Path, pure: bool) -> dict[str, float | str]:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    env.pop("CLEANER_PURE_PYTHON", None)
    if pure:
        env["CLEANER_PURE_PYTHON"] = "1"
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker"], env=env, check=True,
                         capture_output=True, text=True, cwd=str(tree)).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--against", type=Path, help="another tree (a git worktree) to take turns with")
    parser.add_argument("--pure", action="store_true", help="also this tree with CLEANER_PURE_PYTHON=1")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each variant once a round [3]")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    variants = [("this tree", ROOT, False)]
    if args.against:
        variants.append((f"{args.against}", args.against.resolve(), False))
    if args.pure:
        variants.append(("this tree, CLEANER_PURE_PYTHON=1", ROOT, True))
    figures: dict[str, list[dict[str, float | str]]] = {label: [] for label, _, _ in variants}
    size = 0.0
    for round_ in range(1, args.rounds + 1):
        print(f"round {round_}, load {os.getloadavg()[0]:.1f}", flush=True)
        for label, tree, pure in variants:
            found = run_variant(tree, pure)
            figures[label].append(found)
            size = float(found["bytes"]) / 1e6
            print(f"  {label:<36} CPU {found['cpu']:6.2f} s  wall {found['wall']:6.2f} s  ({found['module']})",
                  flush=True)
    print(f"\n{size:.2f} MB, median of {args.rounds} rounds (load now {os.getloadavg()[0]:.1f})")
    for label, rows in figures.items():
        cpu = statistics.median(float(r["cpu"]) for r in rows)
        wall = statistics.median(float(r["wall"]) for r in rows)
        print(f"  {label:<36} CPU {cpu:6.2f} s = {size / cpu:5.2f} MB/s   wall {wall:6.2f} s = {size / wall:5.2f} MB/s")
    if args.against:
        mine, theirs = figures["this tree"], figures[f"{args.against}"]
        ratios = [float(t["cpu"]) / float(m["cpu"]) for m, t in zip(mine, theirs)]
        print(f"  CPU ratio by round ({args.against} / this tree): " + ", ".join(f"{r:.2f}x" for r in ratios))


if __name__ == "__main__":
    main()
