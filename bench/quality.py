"""Quality of cleaner on the dev pages, scored with ../shared/eval/score.py.

    python bench/quality.py                 # text track + multi-article dumps
    python bench/quality.py --html          # also the HTML track, with trafilatura side by side
    python bench/quality.py --per-doc       # also the worst pages
    python bench/quality.py --model shipped # score the shipped model (NOT a valid dev figure)

Every page is cleaned with the fold model that was trained without its site
(bench/train_model.py writes them), so the figures are cross-validated. The body
scored is all articles' paragraphs joined, without titles.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEV, OUT, load_gold, load_scorer, page_folds, print_scores, score_by_set  # noqa: E402

from cleaner import CleanerConfig, clean  # noqa: E402


def config_for(page_id: str, folds: dict[str, int], model: str) -> CleanerConfig:
    if model == "shipped":
        return CleanerConfig()
    fold = folds[page_id]
    return CleanerConfig(
        line_model=str(OUT / f"fold_text_{fold}.json"), html_model=str(OUT / f"fold_html_{fold}.json")
    )


def body(document) -> str:  # type: ignore[no-untyped-def]
    return "\n\n".join(p for a in document.articles for p in a.paragraphs)


def text_track(gold: dict, folds: dict[str, int], model: str) -> dict[str, dict]:
    pred = {}
    for pid in gold:
        data = (DEV / "text" / f"{pid}.txt").read_bytes()
        pred[pid] = {"articleBody": body(clean(data, config=config_for(pid, folds, model)))}
    return pred


def baseline_tracks(gold: dict) -> dict[str, dict[str, dict]]:
    """Two reference points on the text dumps: keep everything; keep each distinct
    line longer than 60 characters."""
    keep_all, long_lines = {}, {}
    for pid in gold:
        text = (DEV / "text" / f"{pid}.txt").read_text("utf-8")
        keep_all[pid] = {"articleBody": text}
        distinct = dict.fromkeys(line.strip() for line in text.splitlines() if len(line.strip()) > 60)
        long_lines[pid] = {"articleBody": "\n".join(distinct)}
    return {"keep-all": keep_all, "lines>60": long_lines}


def html_page(pid: str) -> bytes:
    return gzip.decompress((DEV / "html" / f"{pid}.html.gz").read_bytes())


def html_track(gold: dict, folds: dict[str, int], model: str) -> dict[str, dict]:
    pred = {}
    for pid in gold:
        document = clean(html_page(pid), config=config_for(pid, folds, model), input_format="html")
        pred[pid] = {"articleBody": body(document)}
    return pred


def trafilatura_track(gold: dict, **options: object) -> dict[str, dict] | None:
    """trafilatura on the same HTML pages (pip install -e ".[bench]"); None if missing."""
    try:
        import trafilatura
    except ImportError:
        return None
    pred = {}
    for pid in gold:
        text = trafilatura.extract(html_page(pid).decode("utf-8"), **options)  # type: ignore[arg-type]
        pred[pid] = {"articleBody": text or ""}
    return pred


def multi_track(folds: dict[str, int], model: str) -> tuple[float, float, list[str]]:
    scorer = load_scorer()
    multi = json.loads((DEV / "multi" / "gold.json").read_text("utf-8"))
    right, f1s, report = 0, [], []
    for mid, truth in sorted(multi.items()):
        data = (DEV / "multi" / f"{mid}.txt").read_bytes()
        document = clean(data, config=config_for(truth["sources"][0], folds, model))
        found = ["\n\n".join(a.paragraphs) for a in document.articles]
        right += len(found) == len(truth["articles"])
        for gold_body in truth["articles"]:
            best = 0.0
            for candidate in found:
                tp, fp, fn = scorer.tp_fp_fn(gold_body, candidate)
                p, r = scorer.prec(tp, fp, fn), scorer.rec(tp, fp, fn)
                best = max(best, 2 * p * r / (p + r) if p + r else 0.0)
            f1s.append(best)
        report.append(f"{mid}: truth {len(truth['articles'])} found {len(found)}")
    return right / len(multi), sum(f1s) / len(f1s), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["folds", "shipped"], default="folds")
    parser.add_argument("--per-doc", action="store_true")
    parser.add_argument("--save", help="write the text-track predictions to this JSON file")
    parser.add_argument("--html", action="store_true", help="also score the HTML pages, and trafilatura on them")
    parser.add_argument("--baselines", action="store_true", help="also score two simple baselines on the text dumps")
    args = parser.parse_args()
    gold = load_gold()
    folds = page_folds(gold)
    if args.model == "folds" and not (OUT / "fold_text_0.json").exists():
        sys.exit("no fold models: run python bench/train_model.py --folds-only first")
    pred = text_track(gold, folds, args.model)
    if args.save:
        Path(args.save).write_text(json.dumps(pred, ensure_ascii=False))
    print_scores(f"text/{args.model}", score_by_set(gold, pred))
    if args.baselines:
        for label, other in baseline_tracks(gold).items():
            print_scores(label, score_by_set(gold, other))
    if args.html:
        html_pred = html_track(gold, folds, args.model)
        print_scores(f"html/{args.model}", score_by_set(gold, html_pred))
        for label, options in (("trafilatura", {}), ("traf/prec", {"favor_precision": True})):
            other = trafilatura_track(gold, **options)
            if other is None:
                print("trafilatura is not installed: pip install -e '.[bench]'")
                break
            print_scores(label, score_by_set(gold, other))
    share, mean_f1, report = multi_track(folds, args.model)
    print(f"multi: article count right on {share:.1%} of dumps; mean best-match F1 per true article {mean_f1:.3f}")
    if args.per_doc:
        scorer = load_scorer()
        _, rows = scorer.score(gold, pred)
        worst = sorted(rows.items(), key=lambda kv: kv[1][0])[:25]
        for pid, (tp, fp, fn) in worst:
            print(f"  {pid[:40]:<40} P={scorer.prec(tp, fp, fn):.3f} R={scorer.rec(tp, fp, fn):.3f}")
        for line in report:
            if "truth" in line and line.split()[2] != line.split()[4]:
                print("  " + line)


if __name__ == "__main__":
    main()
