"""Run a bench script with every corpus of the pool held out in turn, not every site.

    python bench/by_corpus.py bench/train_model.py --kind text --folds-only
    python bench/by_corpus.py bench/quality.py --tracks text,bs4,html,multi --peers

The pool's folds are by site (common.page_folds): a page is scored by models
that saw no page of its site, but saw its corpus (other dragnet pages, other
CleanEval pages), whose gold was written to the same rules. Here the folds
are the corpora: Scrapinghub's pages, CleanEval's (dev and final: one
corpus, one set of rules), CleanPortalEval's, dragnet's and L3S-GN1's. Each
page is scored by models that saw none of its corpus: as pages of a dataset
nobody here has are. The fold models and the saved predictions go to
bench/out/by_corpus/ (the renderings are read where they are), so they never
mix with the by-site ones. The script may be another checkout's (a worktree
of older code, as the recipe in docs/quality.md trains some models in): it
is run with that checkout's bench modules.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

# Each corpus's fold (common.N_FOLDS folds), by its pages' id prefix
# (common.set_prefix); ced and cef are one corpus (CleanEval).
CORPUS_FOLDS = {"sh": 0, "ced": 1, "cef": 1, "cpe": 2, "dn": 3, "gn": 4}


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: by_corpus.py SCRIPT [ARGS...]")
    script = Path(sys.argv[1]).resolve()
    sys.path.insert(0, str(script.parent.parent))
    sys.path.insert(0, str(script.parent))
    import common

    if not hasattr(common, "page_folds") or not hasattr(common, "set_prefix"):
        raise SystemExit(f"{script.parent / 'common.py'} has no page_folds or set_prefix")

    def corpus_folds(gold: dict[str, dict]) -> dict[str, int]:
        """Each page's fold: its corpus's."""
        return {pid: CORPUS_FOLDS[common.set_prefix(pid)] for pid in gold}

    common.page_folds = corpus_folds
    common.OUT = common.OUT / "by_corpus"
    common.OUT.mkdir(parents=True, exist_ok=True)
    sys.argv = [str(script), *sys.argv[2:]]
    runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main()
