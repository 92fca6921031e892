"""Does learning boilerplate across a site's pages help? Text track, cpe- pages.

    python bench/site_model.py

The CleanPortalEval pages come from 4 sites (several pages each). Each page is
cleaned twice with its cross-validated fold line model: alone, and with the
boilerplate learned (without any gold) from all the dumps of its site, as
`cleaner batch` does with each site's pages in a folder of their own. Scored
with ../shared/eval/score.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEV, load_gold, page_folds, print_scores, score_by_set, site_of  # noqa: E402
from quality import body, config_for  # noqa: E402

from cleaner import clean  # noqa: E402
from cleaner.config import CleanerConfig  # noqa: E402
from cleaner.pipeline import page_fingerprints  # noqa: E402
from cleaner.sitemodel import SiteModel, merge_counts  # noqa: E402


def main() -> None:
    gold = {k: v for k, v in load_gold().items() if k.startswith("cpe-")}
    folds = page_folds(load_gold())
    pages = {pid: (DEV / "text" / f"{pid}.txt").read_bytes() for pid in gold}
    sites = {pid: site_of(pid, g.get("url")) for pid, g in gold.items()}
    model = merge_counts(SiteModel(), ((sites[pid], page_fingerprints(data)) for pid, data in pages.items()))
    alone, learned = {}, {}
    for pid, data in sorted(pages.items()):
        config = config_for(pid, folds, "folds")
        alone[pid] = {"articleBody": body(clean(data, config=config))}
        boilerplate = model.boilerplate(sites[pid], config)
        learned[pid] = {"articleBody": body(clean(data, config=config, site_boilerplate=boilerplate))}
    for site, stats in sorted(model.sites.items()):
        print(f"{site:<22} pages {stats.pages:>3}  boilerplate lines {len(model.boilerplate(site, CleanerConfig()))}")
    print_scores("page alone", {"cpe": score_by_set(gold, alone)["cpe"]})
    print_scores("site model", {"cpe": score_by_set(gold, learned)["cpe"]})


if __name__ == "__main__":
    main()
