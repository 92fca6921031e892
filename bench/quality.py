"""Quality of cleaner on the eval pool (dev + train), cross-validated by site,
beside trafilatura, readability-lxml and a simple baseline, scored with
../shared/eval/score.py.

    python bench/train_model.py --folds-only   # the fold models, first
    python bench/quality.py --all              # every track below, and the peers
    python bench/quality.py                    # text (innerText) + multi-article dumps only
    python bench/quality.py --tracks html      # one track

Tracks: "text" (Chromium innerText dumps), "bs4" (BeautifulSoup get_text
dumps of the same pages), "html" (the pages' HTML), "multi" (the multi-article
dumps), "multi-TRACK" (the multi-article dumps made again, as the pool's
are, from their pages in the rendering of a text track: "multi-lynx"). Every
page and dump is cleaned with the fold model trained without its site
(bench/train_model.py; the sites of a dump's pages share a fold), so the
figures are cross-validated. The body scored
is all articles' paragraphs joined, without titles. "empty" counts pages whose
gold has at least EMPTY_MIN_GOLD_WORDS words and whose output has no word.

Peers, in the same run: "lines>60" keeps each distinct line longer than 60
characters of the same dump; on HTML, trafilatura's extract() (defaults) and
readability-lxml's Document.summary() as text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    OUT, load_gold, load_multi, load_scorer, page_folds, pool_dump, print_scores, read_page, require_renderings,
    score_by_set,
)

from cleaner import CleanerConfig, clean  # noqa: E402

# A page with a real article: its gold has at least this many words.
EMPTY_MIN_GOLD_WORDS = 50
WORDS = re.compile(r"\w+")
# lynx ... html-text: renderings made by bench/render.py (run it first)
TRACK_RENDERING = {
    "text": "text", "bs4": "text-bs4", "html": "html", "lynx": "text-lynx", "html2text": "text-html2text",
    "w3m": "text-w3m", "lynx-links": "text-lynx-links", "w3m-links": "text-w3m-links",
    "bs4-plain": "text-bs4-plain", "bs4-lines": "text-bs4-lines", "lxml-text": "text-lxml-text",
    "links": "text-links", "elinks": "text-elinks", "inscriptis": "text-inscriptis", "html-text": "text-html-text",
    # probes: bench/render.py --renderers pandoc,markdownify,tagstrip
    "pandoc": "text-pandoc", "markdownify": "text-markdownify", "tagstrip": "text-tagstrip",
}


# --config KEY=VALUE settings, for every page of the run (set by main in each worker)
OVERRIDES: dict[str, object] = {}


def fold_config(name: str) -> CleanerConfig:
    return CleanerConfig(
        line_model=str(OUT / f"fold_text_{name}.json"), html_model=str(OUT / f"fold_html_{name}.json"),
        boundary_model=str(OUT / f"fold_boundary_{name}.json"), edge_model=str(OUT / f"fold_edge_{name}.json"),
        ends_model=str(OUT / f"fold_ends_{name}.json"), seam_model=str(OUT / f"fold_seam_{name}.json"),
        html_ends_model=str(OUT / f"fold_html_ends_{name}.json"), title_model=str(OUT / f"fold_title_{name}.json"),
        **OVERRIDES,  # type: ignore[arg-type]
    )


def _set_overrides(settings: dict[str, object]) -> None:
    OVERRIDES.update(settings)


def parse_overrides(items: list[str]) -> dict[str, object]:
    """KEY=VALUE -> {KEY: VALUE}, VALUE typed as the CleanerConfig field is."""
    import dataclasses

    types = {f.name: type(getattr(CleanerConfig(), f.name)) for f in dataclasses.fields(CleanerConfig)}
    settings: dict[str, object] = {}
    for item in items:
        key, _, value = item.partition("=")
        if key not in types:
            sys.exit(f"--config: no CleanerConfig field {key!r}")
        settings[key] = value.lower() in ("1", "true", "yes") if types[key] is bool else types[key](value)
    return settings


def body(document) -> str:  # type: ignore[no-untyped-def]
    return "\n\n".join(p for a in document.articles for p in a.paragraphs)


def _clean_page(job: tuple[str, dict, str, str]) -> tuple[str, str, int]:
    """The page's body, and how many articles it was cut into."""
    pid, entry, rendering, fold = job
    config = CleanerConfig() if fold == "shipped" else fold_config(fold)
    fmt = "html" if rendering == "html" else "text"
    document = clean(read_page(pid, entry, rendering).encode("utf-8"), config=config, input_format=fmt)
    return pid, body(document), len(document.articles)


def _lines_over_60(job: tuple[str, dict, str, str]) -> tuple[str, str]:
    pid, entry, rendering, _ = job
    text = read_page(pid, entry, rendering)
    distinct = dict.fromkeys(line.strip() for line in text.splitlines() if len(line.strip()) > 60)
    return pid, "\n".join(distinct)


def _trafilatura(job: tuple[str, dict, str, str]) -> tuple[str, str]:
    import trafilatura

    pid, entry, _, _ = job
    return pid, trafilatura.extract(read_page(pid, entry, "html")) or ""


def _readability(job: tuple[str, dict, str, str]) -> tuple[str, str]:
    import lxml.html
    from readability import Document

    pid, entry, _, _ = job
    try:
        summary = Document(read_page(pid, entry, "html")).summary(html_partial=True)
        tree = lxml.html.fromstring(summary)
        for element in tree.iter("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre", "blockquote"):
            element.tail = "\n" + (element.tail or "")
        return pid, tree.text_content()
    except Exception:  # noqa: BLE001 (a peer failing on a page scores as empty)
        return pid, ""


def run_track(pool: Pool, worker, gold: dict, folds: dict[str, int], rendering: str, model: str) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    """{page id: {"articleBody": text}}, and "articles": the number of articles
    where the worker says (cleaner)."""
    jobs = [(pid, g, rendering, "shipped" if model == "shipped" else str(folds[pid])) for pid, g in gold.items()]
    pred = {}
    for pid, text, *articles in pool.imap_unordered(worker, jobs, chunksize=4):
        pred[pid] = {"articleBody": text, **({"articles": articles[0]} if articles else {})}
    return pred


def empty_pages(gold: dict, pred: dict[str, dict]) -> list[str]:
    return sorted(
        pid for pid, g in gold.items()
        if len(WORDS.findall(g["articleBody"])) >= EMPTY_MIN_GOLD_WORDS
        and not WORDS.search(pred.get(pid, {}).get("articleBody", ""))
    )


def report(label: str, gold: dict, pred: dict[str, dict], table: dict[str, dict]) -> None:
    scores = score_by_set(gold, pred)
    print_scores(label, scores)
    empty = empty_pages(gold, pred)
    real = sum(len(WORDS.findall(g["articleBody"])) >= EMPTY_MIN_GOLD_WORDS for g in gold.values())
    table[label] = {**{prefix: m["f1"] for prefix, m in scores.items()}, "empty": (len(empty), real)}
    print(f"{label:<14} empty: {len(empty)} of {real} pages with an article ({len(empty) / real:.1%})"
          + (f": {' '.join(empty[:12])}{' …' if len(empty) > 12 else ''}" if empty else ""))
    split = sorted(pid for pid, p in pred.items() if p.get("articles", 1) > 1)
    if any("articles" in p for p in pred.values()):
        # every pool page is one page: more than one article is an over-split (or a page of several stories)
        print(f"{label:<14} cut into several articles: {len(split)} of {len(pred)} pages"
              + (f": {' '.join(split[:12])}{' …' if len(split) > 12 else ''}" if split else ""))
    sys.stdout.flush()


def _clean_dump(job: tuple[str, dict, str, list[tuple[str, dict]], str | None]) -> tuple[str, list[str]]:
    mid, entry, fold, pages, rendering = job
    config = CleanerConfig() if fold == "shipped" else fold_config(fold)
    if rendering is None:
        data = entry["path"].read_bytes()
    else:  # its pages in another rendering, joined as the pool's dumps are
        data = pool_dump([read_page(pid, page, rendering) for pid, page in pages])[0].encode("utf-8")
    document = clean(data, config=config)
    return mid, ["\n\n".join(a.paragraphs) for a in document.articles]


def multi_track(  # type: ignore[type-arg]
    pool: Pool, gold: dict[str, dict], folds: dict[str, int], model: str, rendering: str | None = None,
) -> dict[str, dict]:
    """Every multi-article dump cleaned with its fold's models, scored by
    score_dumps; with a rendering, each dump made again from its pages'
    dumps in that rendering (a multi-TRACK track)."""
    dumps = load_multi()
    jobs = []
    for mid, truth in sorted(dumps.items()):
        (fold,) = {folds[s] for s in truth["sources"]}  # page_folds puts a dump's sites in one fold
        pages = [(pid, gold[pid]) for pid in truth["sources"]]
        jobs.append((mid, truth, "shipped" if model == "shipped" else str(fold), pages, rendering))
    return score_dumps(dict(pool.imap_unordered(_clean_dump, jobs, chunksize=2)), dumps)


def score_dumps(found_by_dump: dict[str, list[str]], dumps: dict[str, dict]) -> dict[str, dict]:
    """Per dump: the true and found article counts and, per true article, the
    F1 of its best-matching found article (found_by_dump: each dump's found
    articles' texts)."""
    scorer = load_scorer()
    results = {}
    for mid, found in sorted(found_by_dump.items()):
        truth = dumps[mid]
        f1s = []
        for gold_body in truth["articles"]:
            best = 0.0
            for candidate in found:
                tp, fp, fn = scorer.tp_fp_fn(gold_body, candidate)
                p, r = scorer.prec(tp, fp, fn), scorer.rec(tp, fp, fn)
                best = max(best, 2 * p * r / (p + r) if p + r else 0.0)
            f1s.append(best)
        results[mid] = {"truth": len(truth["articles"]), "found": len(found), "f1": f1s}
    return results


def markdown_tables(table: dict[str, dict], multi: dict[str, dict[str, dict]]) -> str:
    """The figures as Markdown: F1 per source and track, empty pages, multi dumps."""
    from common import SETS

    if not table:
        return "\n".join(_multi_tables(multi)).lstrip("\n") + "\n"
    labels = list(table)
    prefixes = [p for p in list(SETS) + ["all"] if any(p in row for row in table.values())]
    lines = ["| source | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for prefix in prefixes:
        name = f"{prefix} ({SETS[prefix]})" if prefix in SETS else "**all**"
        lines.append(f"| {name} | " + " | ".join(f"{table[label].get(prefix, float('nan')):.3f}" for label in labels) + " |")
    lines.append("| empty (gold >= 50 words) | " + " | ".join(
        f"{table[label]['empty'][0]} of {table[label]['empty'][1]}" for label in labels) + " |")
    return "\n".join(lines + _multi_tables(multi)) + "\n"


def _multi_tables(multi: dict[str, dict[str, dict]]) -> list[str]:
    """Each multi track's figures as a Markdown table, each after a blank line."""
    lines = []
    for track, summary in multi.items():
        lines += ["", f"| {track}: multi-article dumps | dumps | article count right | under-split | mean article F1 |",
                  "|---|---|---|---|---|"]
        for name, row in summary.items():
            lines.append(f"| {name} | {row['n']} | {row['right']:.1%} | {row['under']:.1%} | {row['f1']:.3f} |")
    return lines


def print_multi(results: dict[str, dict], label: str = "multi") -> dict[str, dict]:
    groups: dict[str, list[dict]] = {}
    for mid, r in results.items():
        groups.setdefault(mid.rsplit("-", 1)[0], []).append(r)
    groups["all"] = list(results.values())
    summary = {}
    for name, rows in groups.items():
        right = sum(r["truth"] == r["found"] for r in rows) / len(rows)
        under = sum(r["found"] < r["truth"] for r in rows) / len(rows)
        f1s = [f for r in rows for f in r["f1"]]
        print(f"{label} {name:<10} n {len(rows):>3}  count right {right:.1%}  under-split {under:.1%}  "
              f"mean article F1 {sum(f1s) / len(f1s):.3f}")
        summary[name] = {"n": len(rows), "right": right, "under": under, "f1": sum(f1s) / len(f1s)}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["folds", "shipped"], default="folds",
                        help="shipped: the packaged models (NOT a valid figure: they saw every page)")
    parser.add_argument("--tracks", default="text,multi", help="comma-separated: text, bs4, html, multi, lynx, html2text, w3m, lynx-links, w3m-links, bs4-plain, "
                        "bs4-lines, lxml-text, links, elinks, inscriptis, html-text, multi-TRACK (TRACK a text track: the multi dumps made from its rendering); probes (bench/render.py --renderers pandoc,markdownify,tagstrip first): pandoc, markdownify, tagstrip")
    parser.add_argument("--all", action="store_true", help="every track, with the peers")
    parser.add_argument("--peers", action="store_true", help="also the peers on the tracks run")
    parser.add_argument("--sets", help="only these sets (comma-separated prefixes: sh,ced,cpe,dn,gn,cef)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--save", action="store_true", help="write each track's predictions to bench/out/pred_*.json")
    parser.add_argument("--markdown", help="also write the figures as Markdown tables to this file")
    parser.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                        help="a CleanerConfig setting for every page (fold models only), e.g. split_min_probability=0.3")
    args = parser.parse_args()
    overrides = parse_overrides(args.config)
    tracks = ["text", "bs4", "html", "multi"] if args.all else args.tracks.split(",")
    peers = args.peers or args.all
    gold = load_gold()
    folds = page_folds(gold)
    if args.sets:
        gold = {k: v for k, v in gold.items() if k.split("-", 1)[0] in args.sets.split(",")}
    if args.model == "folds" and not (OUT / "fold_text_0.json").exists():
        sys.exit("no fold models: run python bench/train_model.py --folds-only first")
    print(f"{len(gold)} pages, {len(set(folds.values()))} folds by site")
    table: dict[str, dict] = {}
    multi: dict[str, dict[str, dict]] = {}
    pages = load_gold() if args.sets else gold  # a multi dump's pages, whatever --sets keeps
    with Pool(args.jobs, initializer=_set_overrides, initargs=(overrides,)) as pool:
        for track in tracks:
            if track == "multi" or track.startswith("multi-"):
                rendering = TRACK_RENDERING[track[len("multi-"):]] if track != "multi" else None
                if rendering is not None:
                    require_renderings([rendering])
                results = multi_track(pool, pages, folds, args.model, rendering)
                multi[track] = print_multi(results, track)
                if args.save:
                    (OUT / f"pred_{track}.json").write_text(json.dumps(results, indent=0))
                continue
            rendering = TRACK_RENDERING[track]
            require_renderings([rendering])
            runs = [(f"{track}/cleaner", _clean_page)]
            if peers:
                runs += [(f"{track}/lines>60", _lines_over_60)] if track != "html" else [
                    ("html/trafilatura", _trafilatura), ("html/readability", _readability)]
            for label, worker in runs:
                pred = run_track(pool, worker, gold, folds, rendering, args.model)
                report(label, gold, pred, table)
                if args.save:
                    (OUT / f"pred_{label.replace('/', '_').replace('>', 'gt')}.json").write_text(json.dumps(pred))
    if args.markdown:
        Path(args.markdown).write_text(markdown_tables(table, multi))


if __name__ == "__main__":
    main()

