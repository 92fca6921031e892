"""Does learning boilerplate across a site's pages help? `cleaner batch` on the
cpe- text dumps, each site's pages in a folder of its own.

    python bench/site_model.py

The CleanPortalEval pages come from 4 sites (12-30 pages each). Each site's
dumps are copied into a folder and cleaned by the batch engine (run_batch, the
code behind `cleaner batch`) twice: with site learning (the default) and with
--no-site-model. The line model is the site's cross-validation fold model
(trained without that site), so the figures are cross-validated. The JSON
outputs are scored with ../shared/eval/score.py.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_gold, page_file, page_folds, print_scores, score_by_set, site_of  # noqa: E402
from quality import fold_config  # noqa: E402

from cleaner.batch import BatchOptions, list_inputs, run_batch  # noqa: E402


def main() -> None:
    pool = load_gold()
    gold = {k: v for k, v in pool.items() if k.startswith("cpe-")}
    folds = page_folds(pool)
    by_site: dict[str, list[str]] = {}
    for pid, g in sorted(gold.items()):
        by_site.setdefault(site_of(pid, g), []).append(pid)
    scores = {}
    with tempfile.TemporaryDirectory() as work:
        for learn in (False, True):
            pred = {}
            for site, pids in by_site.items():
                src = Path(work) / "src" / site
                src.mkdir(parents=True, exist_ok=True)
                for pid in pids:
                    shutil.copy(page_file(pid, gold[pid], "text"), src / f"{pid}.txt")
                dest = Path(work) / f"dest-{learn}" / site
                config = fold_config(str(folds[pids[0]]))
                options = BatchOptions(output_format="json", learn_sites=learn, jobs=2)
                result = run_batch(list_inputs(str(src), "*", str(dest)), str(dest), options, config)
                assert not result.failed, result.failed
                for pid in pids:
                    document = json.loads((dest / f"{pid}.json").read_text("utf-8"))
                    paragraphs = [p for a in document["articles"] for p in a["paragraphs"]]
                    pred[pid] = {"articleBody": "\n\n".join(paragraphs)}
            scores[learn] = score_by_set(gold, pred)["cpe"]
    print(f"cpe pages: {len(gold)} from {len(by_site)} sites ({', '.join(f'{s} {len(p)}' for s, p in by_site.items())})")
    print_scores("page alone", {"cpe": scores[False]})
    print_scores("site model", {"cpe": scores[True]})


if __name__ == "__main__":
    main()
