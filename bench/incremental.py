"""What a second `cleaner batch` run reads when new pages change a site's boilerplate.

    python bench/incremental.py                 # the dev text dumps, 10 added to each folder
    python bench/incremental.py --added 20

The dev text dumps are copied into one folder per set prefix (sh, ced, cpe:
three "sites"), without the last --added dumps of each; `cleaner batch` (in
this process, the local engine, one job) cleans them into a fresh DEST; then
the held-back dumps are added and it runs again. For each run: inputs
cleaned and skipped, what pass 1 read (fingerprinted), what pass 2 read and
parsed again (the rest it finished from pass 1's kept pages), and the time.

Figures only. Standard library plus cleaner.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_TEXT = (ROOT.parent / "shared" / "eval" / "dev" / "text").resolve()

sys.path.insert(0, str(ROOT))
from cleaner.batch import BatchOptions, list_inputs, run_batch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEV_TEXT, help=f"text dumps (default {DEV_TEXT})")
    parser.add_argument("--added", type=int, default=10, help="dumps added to each folder for the second run")
    args = parser.parse_args()
    folders: dict[str, list[Path]] = {}
    for path in sorted(args.data.glob("*.txt")):
        folders.setdefault(path.name.split("-")[0], []).append(path)
    with tempfile.TemporaryDirectory(prefix="incremental-") as work:
        src, dest = Path(work, "src"), Path(work, "dest")
        held: list[tuple[Path, Path]] = []
        for folder, paths in sorted(folders.items()):
            (src / folder).mkdir(parents=True)
            for number, path in enumerate(paths):
                target = src / folder / path.name
                if number >= len(paths) - args.added:
                    held.append((path, target))
                else:
                    shutil.copyfile(path, target)
        options = BatchOptions(output_format="json", jobs=1)
        for label in ("first run", f"after adding {args.added} dumps to each of {len(folders)} folders"):
            if held and label != "first run":
                for path, target in held:
                    shutil.copyfile(path, target)
            start = time.perf_counter()
            result = run_batch(list_inputs(str(src), "*", str(dest)), str(dest), options)
            print(f"{label}: cleaned {result.cleaned:,}, skipped {result.skipped:,}, failed {len(result.failed)}; "
                  f"pass 1 read {result.learned:,}, pass 2 parsed {result.parsed:,} again; "
                  f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
