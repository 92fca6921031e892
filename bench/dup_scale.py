"""Cost per article of the article index as it grows: 10k, 100k, 1M articles.

    python bench/dup_scale.py                 # index in a temporary folder
    python bench/dup_scale.py --keep DIR      # ... kept in DIR

The index is filled with synthetic articles: the first 10,000 through
ArticleIndex.add (random word sequences of 200-800 words from a Zipf
vocabulary), the rest straight into its tables (random band keys, each row's
stored words those of a real eval-pool article, so the file has the size it
would have). At each size a fresh process opens the index and adds PROBES
articles (the eval pool's gold articles, a sixth of them cut in half after their
whole version, so confirmation runs too), then rolls back, twice (the
first process meets the index's pages outside the OS cache): the time per
article of the lookup and insert (ArticleIndex.add) and of the fingerprint
(sketch_article, made by the workers in a batch) are measured apart, with the
process's peak RSS and the index's size on disk. Results: stdout and
bench/out/dup_scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, load_gold  # noqa: E402

from cleaner import CleanerConfig  # noqa: E402
from cleaner.dupindex import ArticleIndex, sketch_article, sketch_words  # noqa: E402
from cleaner.dupindex.index import NUMBER_BITS  # noqa: E402
from cleaner.dupindex.sketch import BANDS  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
REAL_ADDS = 10_000
PROBES = 600
# Probe processes per size: the first finds the index's pages out of the OS
# cache (a cron run's first articles), the last in it.
PROBE_RUNS = 2
VOCABULARY = 50_000
BULK_ARTICLES = 20_000  # articles per bulk transaction
SEED = 14


def gold_articles() -> list[list[str]]:
    pool = load_gold()
    found = [[p for p in entry["articleBody"].split("\n") if p.strip()] for _, entry in sorted(pool.items())]
    return [paragraphs for paragraphs in found if len(" ".join(paragraphs).split()) >= 80]


def synthetic_words(rng: random.Random, weights: list[float]) -> list[str]:
    count = rng.randint(200, 800)
    return [f"w{n}" for n in rng.choices(range(VOCABULARY), weights, k=count)]


def fill(path: str, size: int, start: int, rng: random.Random, blobs: list[tuple[int, bytes]]) -> None:
    """Grow the index to size articles (one input per article, as a folder of pages gives)."""
    config = CleanerConfig()
    if start < REAL_ADDS:
        weights = [1 / (rank + 1) for rank in range(VOCABULARY)]
        with ArticleIndex(path, config) as index:
            for number in range(start, min(size, REAL_ADDS)):
                sketch = sketch_words(synthetic_words(rng, weights), config.article_duplicate_min_words)
                assert sketch is not None
                index.add(index.start_input(f"synthetic/{number:07d}.txt"), 0, sketch)
        start = min(size, REAL_ADDS)
    with ArticleIndex(path, config) as index:
        db = index.db
        db.execute("PRAGMA cache_size=-1000000")  # the bulk load only: 1 GB of cache
        for chunk in range(start, size, BULK_ARTICLES):
            numbers = range(chunk, min(size, chunk + BULK_ARTICLES))
            db.executemany("INSERT INTO inputs VALUES (?, ?)", [(f"synthetic/{n:07d}.txt", n + 1) for n in numbers])
            db.executemany("INSERT INTO articles VALUES (?, ?, ?, NULL, NULL)",
                           [((n + 1) << NUMBER_BITS, *blobs[n % len(blobs)]) for n in numbers])
            rows = sorted((rng.getrandbits(64) - (1 << 63), (n + 1) << NUMBER_BITS)
                          for n in numbers for _ in range(BANDS))
            db.executemany("INSERT INTO bands VALUES (?, ?)", rows)
            db.commit()
        # the bulk load's transactions are far larger than a run's: its log is
        # checkpointed now (a run's first open would otherwise replay it)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def probe(path: str) -> dict[str, float]:
    """In this process: PROBES articles fingerprinted and added, then rolled back."""
    config = CleanerConfig()
    articles = gold_articles()[:PROBES]
    queue: list[list[str]] = []
    for number, paragraphs in enumerate(articles):
        queue.append(paragraphs)
        if number % 6 == 0:
            queue.append(paragraphs[: max(1, len(paragraphs) // 2)])
    sketch_seconds = add_seconds = 0.0
    found = 0
    with ArticleIndex(path, config) as index:
        first = index.start_input("probe/0")
        for number, paragraphs in enumerate(queue):
            started = time.perf_counter()
            sketch = sketch_article(paragraphs, config.article_duplicate_min_words)
            sketch_seconds += time.perf_counter() - started
            if sketch is None:
                continue
            started = time.perf_counter()
            found += index.add(first, number, sketch) is not None
            add_seconds += time.perf_counter() - started
        index.db.rollback()
    return {
        "articles": len(queue), "duplicates_found": found,
        "add_ms": round(1000 * add_seconds / len(queue), 3),
        "sketch_ms": round(1000 * sketch_seconds / len(queue), 3),
        "peak_rss_mib": peak_rss_mib(),
    }


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: getrusage's ru_maxrss would
    count the parent's at the fork, which holds the bulk load's cache)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", help="build the index in this folder and keep it")
    parser.add_argument("--probe", help=argparse.SUPPRESS)  # the child process: probe this index
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe)))
        return
    folder = args.keep or tempfile.mkdtemp(prefix="dup-scale-")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "articles.sqlite")
    config = CleanerConfig()
    blobs = [(s.words, s.text) for p in gold_articles() if (s := sketch_article(p, config.article_duplicate_min_words))]
    rng = random.Random(SEED)
    results: dict[str, object] = {"command": "python bench/dup_scale.py", "sizes": []}
    done = 0
    for size in SIZES:
        started = time.monotonic()
        fill(path, size, done, rng, blobs)
        done = size
        filled = time.monotonic() - started
        runs = [json.loads(subprocess.run([sys.executable, __file__, "--probe", path], capture_output=True,
                                          text=True, check=True).stdout) for _ in range(PROBE_RUNS)]
        figures = {"index_articles": size, **runs[-1], "add_ms_first_run": runs[0]["add_ms"],
                   "disk_mib": round(sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
                                     / 2**20, 1),
                   "fill_seconds": round(filled, 1)}
        results["sizes"].append(figures)  # type: ignore[attr-defined]
        print(json.dumps(figures), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "dup_scale.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
        os.rmdir(folder)


if __name__ == "__main__":
    main()
