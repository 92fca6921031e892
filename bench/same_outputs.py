"""Proof that a speed change changes no output: digests of every output, saved and compared.

    python bench/same_outputs.py --save bench/out/same_outputs.json    # at the starting point
    python bench/same_outputs.py --check bench/out/same_outputs.json   # after a change: exit 1 if any differs
    python bench/same_outputs.py --parts pages --check FILE            # the single pages only

1. pages: every dev and train page (text/*.txt, text-bs4/*.txt, multi/*.txt,
   html/*.html.gz) cleaned in this process with clean() (input format "auto"),
   rendered as Markdown (plain, and with captions and links) and as JSON with
   --explain's dropped lines; one SHA-256 per page and rendering.
2. batch: `cleaner batch` (run_batch, the local engine, one process) into a
   fresh DEST over (a) the dev sh- HTML pages in one folder, and (b) the dev and
   train text dumps, one folder per set prefix, first without the last 10 pages
   of each folder and then again with them (an incremental run). After each run:
   every output file's bytes, the site model file's bytes, and the manifest's
   rows (input, size, hash, settings digest, output path under DEST), and the
   counts the run reports (cleaned, skipped, failed). The HTML run is made a
   second time with every page pass 1 prepares spilled to disk instead of kept
   in memory (cleaner.batch.kept): its digests must be the same.

Standard library plus cleaner. No timing.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = (ROOT.parent / "shared" / "eval").resolve()
SETS = ("dev", "train")
KINDS = ("text", "text-bs4", "multi", "html")
PARTS = ("pages", "batch")
# Pages held back from the first batch run of each text folder, added for the second.
ADDED_PAGES = 10

sys.path.insert(0, str(ROOT))
from cleaner import clean  # noqa: E402
from cleaner.render import render_json, render_markdown  # noqa: E402


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def page_files(root: Path) -> Iterator[tuple[str, Path]]:
    for name in SETS:
        for kind in KINDS:
            folder = root / name / kind
            pattern = "*.html.gz" if kind == "html" else "*.txt"
            for path in sorted(folder.glob(pattern)):
                yield f"{name}/{kind}/{path.name}", path


def page_digests(root: Path) -> dict[str, str]:
    found = {}
    for key, path in page_files(root):
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        document = clean(data, source=key)
        found[key + " md"] = sha(render_markdown([document]).encode())
        found[key + " md+captions+links"] = sha(render_markdown([document], captions=True, links=True).encode())
        found[key + " json+explain"] = sha(render_json([document], explain=True).encode())
    return found


def dest_digests(dest: Path, label: str, result: object) -> dict[str, str]:
    found = {f"{label} result": "cleaned {} skipped {} failed {}".format(
        result.cleaned, result.skipped, len(result.failed))}  # type: ignore[attr-defined]
    for path in sorted(dest.rglob("*")):
        name = path.relative_to(dest).as_posix()
        if path.is_file() and not name.startswith(".cleaner-manifest") and name != ".cleaner.lock":
            found[f"{label} {name}"] = sha(path.read_bytes())
    with sqlite3.connect(dest / ".cleaner-manifest.sqlite") as db:
        rows = db.execute("SELECT path, size, sha256, settings, output FROM inputs ORDER BY path").fetchall()
    for path, size, digest, settings, output in rows:
        found[f"{label} manifest {path}"] = f"{size} {digest} {settings} {os.path.relpath(output, dest)}"
    return found


def batch_digests(root: Path) -> dict[str, str]:
    from cleaner.batch import BatchOptions, list_inputs, run_batch

    found: dict[str, str] = {}
    options = BatchOptions(output_format="json", jobs=1)
    with tempfile.TemporaryDirectory(prefix="same-outputs-") as work:
        # (a) the dev sh- HTML pages, one folder
        src, dest = Path(work, "html-src"), Path(work, "html-dest")
        (src / "sh").mkdir(parents=True)
        for path in sorted((root / "dev" / "html").glob("sh-*.html.gz")):
            (src / "sh" / path.name[:-3]).write_bytes(gzip.decompress(path.read_bytes()))
        result = run_batch(list_inputs(str(src), "*", str(dest)), str(dest), options)
        found.update(dest_digests(dest, "html", result))
        spilled = _spilled_run(src, Path(work, "html-dest-spilled"), options)
        if spilled is not None:  # the same run with every kept page spilled to disk: the same digests
            for key, value in spilled.items():
                if found.get(key) != value:
                    found[f"{key} (spilled)"] = value
        # (b) the text dumps, one folder per set prefix; the last pages added in a second run
        src, dest = Path(work, "text-src"), Path(work, "text-dest")
        held: list[tuple[Path, Path]] = []
        folders: dict[str, list[Path]] = {}
        for name in SETS:
            for path in sorted((root / name / "text").glob("*.txt")):
                folders.setdefault(f"{name}-{path.name.split('-')[0]}", []).append(path)
        for folder, paths in sorted(folders.items()):
            (src / folder).mkdir(parents=True)
            for number, path in enumerate(paths):
                target = src / folder / path.name
                if number >= len(paths) - ADDED_PAGES:
                    held.append((path, target))
                else:
                    shutil.copyfile(path, target)
        result = run_batch(list_inputs(str(src), "*", str(dest)), str(dest), options)
        found.update(dest_digests(dest, "text-first", result))
        for path, target in held:
            shutil.copyfile(path, target)
        result = run_batch(list_inputs(str(src), "*", str(dest)), str(dest), options)
        found.update(dest_digests(dest, "text-second", result))
    return found


def _spilled_run(src: Path, dest: Path, options: object) -> dict[str, str] | None:
    """A run whose pass 1 spills every prepared page to disk (cleaner.batch.kept),
    its digests labelled as the plain run's; None before batch runs kept pages."""
    try:
        from cleaner.batch import kept
    except ImportError:
        return None
    from cleaner.batch import list_inputs, run_batch

    budget, kept.KEEP_MAX_BLOCKS = kept.KEEP_MAX_BLOCKS, 0
    try:
        result = run_batch(list_inputs(str(src), "*", str(dest)), str(dest), options)  # type: ignore[arg-type]
    finally:
        kept.KEEP_MAX_BLOCKS = budget
    return dest_digests(dest, "html", result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, metavar="FILE", help="write the digests here")
    action.add_argument("--check", type=Path, metavar="FILE", help="compare with the digests saved here")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--data", type=Path, default=EVAL, help=f"the eval folder (default {EVAL})")
    args = parser.parse_args()
    found: dict[str, str] = {}
    if "pages" in args.parts:
        found.update(page_digests(args.data))
    if "batch" in args.parts:
        found.update(batch_digests(args.data))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        print(f"same_outputs: {len(found)} digests saved to {args.save}")
        return
    saved = json.loads(args.check.read_text())
    prefixes = tuple(f"{s}/" for s in SETS) if args.parts == ["pages"] else ()
    if args.parts == ["batch"]:
        saved = {k: v for k, v in saved.items() if not k.startswith(tuple(f"{s}/" for s in SETS))}
    elif prefixes:
        saved = {k: v for k, v in saved.items() if k.startswith(prefixes)}
    differ = sorted(k for k in saved.keys() | found.keys() if saved.get(k) != found.get(k))
    for key in differ[:20]:
        print(f"  differs: {key}")
    print(f"same_outputs: {len(found)} digests, {len(differ)} differ from {args.check}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
