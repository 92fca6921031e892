"""Duplicate articles across pages: precision and recall of the article index.

    python bench/dup_articles.py            # tune on folds 0-2, score on folds 3-4
    python bench/dup_articles.py --batch    # and score folds 3-4 through `cleaner batch` too

A corpus of text pages is built from the eval pool (dev + train): every page
with a gold article of MIN_GOLD_WORDS or more words as it is (its real text
dump), and for most stories one or two more pages telling the same story,
changed in a known way and put into the template of a page of another site
(its text dump before and after that page's own article, and a new title):

- template: the gold article as it is;
- added / removed: a paragraph of another story added, or one paragraph cut;
- half: cut at half its words (a page the scraper cut off);
- correction: a correction line at its end;
- captions: two pages with the same two photo captions, in the other order.

Hard negatives: the pool's pages of one site (the multi-article dumps are made
of such neighbours: one portal's consecutive stories), pages of stories whose
own page is left out that quote a paragraph of another story of the corpus
(``quote``), and an agency notice paragraph added to a third of the made pages.

Every page is cleaned (cleaner.clean, the shipped models), in a shuffled order,
and each article is looked up in an ArticleIndex and added to it, as cleaner
batch does. A page's main article (its longest) is a positive when an earlier
page of the corpus tells the same story; flagging it is right when the article
it is said to repeat comes from a page of the same story. The thresholds
(article_duplicate_min_score, article_duplicate_min_length_ratio) are chosen on
the stories of folds 0-2 (bench/common.py: by site) and scored on folds 3-4,
each part its own corpus. Results: stdout and bench/out/dup_articles.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, load_gold, page_folds, read_page, site_of  # noqa: E402

from cleaner import CleanerConfig, clean  # noqa: E402
from cleaner.dupindex import ArticleIndex, sketch_article  # noqa: E402
from cleaner.dupindex.index import NUMBER_BITS  # noqa: E402

MASK = (1 << NUMBER_BITS) - 1

SEED = 14
MIN_GOLD_WORDS = 80
TUNE_FOLDS = (0, 1, 2)
# Share of stories given a changed page (one kind each, in turn); of those, this share get a second.
CHANGED_SHARE = 0.8
SECOND_SHARE = 0.25
# Share of stories whose own page is left out and told only quoting another story.
QUOTE_SHARE = 0.1
KINDS = ("template", "added", "removed", "half", "correction", "captions")
CORRECTION = ("Correction: An earlier version of this article misstated the day of the meeting. "
              "It was held on Tuesday, not Monday.")
NOTICE = ("Copyright 2024 The Associated Press. All rights reserved. This material may not be published, "
          "broadcast, rewritten or redistributed without permission.")
CAPTIONS = ("{} speaks during a news conference in the capital on Tuesday. (AP Photo/Jane Doe)",
            "People gather outside the building after the announcement of {}. (Reuters/John Smith)")
SCORES = tuple(range(40, 100, 5))
RATIOS = (0.1, 0.2, 0.3, 0.4, 0.5)
# The tuning rule: the highest recall with precision at least this; ties go to the higher thresholds.
MIN_PRECISION = 0.99
ARTICLE_LINE_CHARS = 30
# An article tells a story when this share of its word 3-grams are in the story's gold (a
# dump's article holds lines the gold leaves out, a story cut in two holds a part of it).
STORY_SHARE = 0.3
# A page is scored when its longest article holds at least this share of its story's
# 3-grams: on the others the cleaner did not find the story (its own quality, docs/quality.md).
MAIN_SHARE = 0.5
# (page name, article number) -> the story it tells, or which page's leftovers it is
LABELS: dict[tuple[str, int], str] = {}


@dataclass
class Page:
    name: str
    story: str
    site: str
    kind: str  # "original", "quote" or one of KINDS
    text: str
    template: str | None = None  # the page whose text dump is around the story


@dataclass
class Article:
    page: int
    number: int
    words: int
    # (page, article number, similarity, length ratio) of each candidate
    candidates: list[tuple[int, int, float, float]] = field(default_factory=list)
    flagged: tuple[int, int] | None = None  # the page and number of the article it was said to repeat
    story: bool = False  # it tells its page's story (not template leftovers)


def paragraphs(gold: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n+", gold) if p.strip()]


def template(pid: str, entry: dict) -> tuple[list[str], list[str]] | None:
    """A page's text dump before and after its own article (found by its gold's lines)."""
    lines = read_page(pid, entry, "text").splitlines()
    gold = " ".join(entry["articleBody"].split())
    inside = [n for n, line in enumerate(lines) if len(line.strip()) >= ARTICLE_LINE_CHARS
              and " ".join(line.split()) in gold]
    if not inside:
        return None
    return lines[:inside[0]], lines[inside[-1] + 1:]


def changed(kind: str, body: list[str], rng: random.Random, other: list[str]) -> list[list[str]]:
    """The bodies of a story's changed pages of one kind."""
    if kind == "added":
        extra = max(other, key=len)
        at = rng.randint(1, len(body))
        return [body[:at] + [extra] + body[at:]]
    if kind == "removed" and len(body) >= 3:
        at = rng.randint(1, len(body) - 2)
        return [body[:at] + body[at + 1:]]
    if kind == "half":
        words = " ".join(body).split()
        half, kept, count = len(words) // 2, [], 0
        for paragraph in body:
            size = len(paragraph.split())
            if count + size >= half:
                kept.append(" ".join(paragraph.split()[: half - count]))
                break
            kept.append(paragraph)
            count += size
        return [kept]
    if kind == "correction":
        return [body + [CORRECTION]]
    if kind == "captions":
        subject = " ".join(body[0].split()[:3])
        first, second = (c.format(subject) for c in CAPTIONS)
        middle = max(1, len(body) // 2)
        return [body[:1] + [first] + body[1:middle] + [second] + body[middle:],
                body[:1] + [second] + body[1:middle] + [first] + body[middle:]]
    return [body]


def page_text(head: list[str], title: str, body: list[str], tail: list[str]) -> str:
    return "\n".join(head) + "\n\n" + title + "\n\n" + "\n\n".join(body) + "\n\n" + "\n".join(tail) + "\n"


def build(pool: dict[str, dict], ids: list[str], rng: random.Random, real_originals: bool = False) -> list[Page]:
    """The corpus of one part, in its shuffled order."""
    stories = [pid for pid in ids if len(pool[pid]["articleBody"].split()) >= MIN_GOLD_WORDS]
    templates = {pid: t for pid in ids if (t := template(pid, pool[pid])) is not None}
    names = sorted(templates)
    rng.shuffle(stories)
    quoting = set(stories[: int(len(stories) * QUOTE_SHARE)])
    told = [pid for pid in stories if pid not in quoting]
    pages: list[Page] = []
    for number, pid in enumerate(stories):
        body = paragraphs(pool[pid]["articleBody"])
        site = site_of(pid, pool[pid])
        others = [n for n in names if site_of(n, pool[n]) != site]
        if pid in quoting:  # another story's paragraph quoted in this one, whose own page is not in the corpus
            quoted = max(paragraphs(pool[rng.choice(told)]["articleBody"]), key=len)
            around = rng.choice(others)
            head, tail = templates[around]
            text = page_text(head, _title(body), body[:1] + [f"“{quoted}”"] + body[1:] + [NOTICE], tail)
            pages.append(Page(f"{pid}~quote", pid, site, "quote", text, around))
            continue
        own = templates.get(pid)
        if real_originals or own is None:  # the page's own text dump as the scraper saved it
            pages.append(Page(pid, pid, site, "original", read_page(pid, pool[pid], "text")))
        else:  # the gold article in its own page's text dump (the dump's article lines replaced)
            pages.append(Page(pid, pid, site, "original", page_text(own[0], _title(body), body, own[1]), pid))
        made = []
        if rng.random() < CHANGED_SHARE:
            made.append(KINDS[number % len(KINDS)])
            if rng.random() < SECOND_SHARE:
                made.append(rng.choice(KINDS))
        for made_number, kind in enumerate(made):
            extra = paragraphs(pool[rng.choice([s for s in told if s != pid])]["articleBody"])
            for copy, variant in enumerate(changed(kind, body, rng, extra)):
                if rng.random() < 1 / 3:
                    variant = variant + [NOTICE]
                around = rng.choice(others)
                head, tail = templates[around]
                pages.append(Page(f"{pid}~{kind}{made_number}{copy}", pid, site, kind, page_text(head, _title(body), variant, tail),
                                  around))
    rng.shuffle(pages)
    return pages


def _title(body: list[str]) -> str:
    return " ".join(body[0].split()[:9]).rstrip(".,;:") + " | Breaking News"


def grams(words: list[str]) -> set[tuple[str, ...]]:
    return set(zip(words, words[1:], words[2:]))


def index_corpus(pages: list[Page], pool: dict[str, dict], config: CleanerConfig, folder: str) -> list[Article]:
    """Each page cleaned and its articles looked up and added, in order. Each
    article is labelled with its page's story when most of its word 3-grams are
    in that story's gold (else it is the template's or the page's leftovers);
    returned: each page's main article (its longest story article), if any."""
    from cleaner.dupindex import article_words

    main: list[Article] = []
    number_of = {page.name: number for number, page in enumerate(pages)}
    page_of_seq: dict[int, int] = {}
    told = {p.story for p in pages} | {p.template for p in pages if p.template}
    gold_grams = {story: grams(article_words(paragraphs(pool[story]["articleBody"]))) for story in told}
    with ArticleIndex(os.path.join(folder, "index.sqlite"), config) as index:
        for number, page in enumerate(pages):
            document = clean(page.text, source=page.name, config=config, input_format="text")
            seq = index.start_input(page.name)
            page_of_seq[seq] = number
            best: Article | None = None
            for n, article in enumerate(document.articles):
                sketch = sketch_article(article.paragraphs, config.article_duplicate_min_words)
                if sketch is None:
                    continue
                words = sketch.word_list()
                found = Article(number, n, sketch.words)
                found.candidates = [(page_of_seq[c >> NUMBER_BITS], c & MASK, s, r) for c, s, r in
                                    index.candidates((seq << NUMBER_BITS) | n, words, sketch.bands)]
                duplicate = index.add(seq, n, sketch)
                if duplicate is not None:
                    found.flagged = (number_of[duplicate.source], duplicate.article)
                mine = grams(words)
                LABELS[page.name, n] = _label(mine, page, gold_grams)
                found.story = len(mine & gold_grams[page.story]) >= MAIN_SHARE * len(mine)
                if found.story and (best is None or found.words > best.words):
                    best = found
            if best is not None:
                main.append(best)
    return main


def score(pages: list[Page], main: list[Article], flag: dict[int, tuple[int, int] | None]) -> dict[str, object]:
    """Precision and recall of the main articles' flags (article page -> the article it repeats)."""
    indexed: set[str] = set()
    tp = fp = fn = 0
    per_kind: dict[str, list[int]] = {}
    false: dict[str, int] = {}
    for article in main:
        page = pages[article.page]
        positive = page.story in indexed
        target = flag.get(article.page)
        right = target is not None and LABELS[pages[target[0]].name, target[1]] == page.story
        if target is not None:
            tp += right
            fp += not right
            if not right:
                other = pages[target[0]]
                leftovers = LABELS[other.name, target[1]] != other.story
                reason = ("leftovers" if leftovers else "quote" if "quote" in (page.kind, other.kind)
                          else "same site" if other.site == page.site else "other")
                false[reason] = false.get(reason, 0) + 1
        elif positive:
            fn += 1
        if positive:
            hits = per_kind.setdefault(page.kind, [0, 0])
            hits[0] += right
            hits[1] += 1
        indexed.add(page.story)
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "pairs": tp + fn, "flagged": tp + fp, "true": tp, "false": fp, "missed": fn,
        "false_by_kind": false,
        "recall_by_kind": {k: f"{h}/{n}" for k, (h, n) in sorted(per_kind.items())},
    }


def _label(mine: set[tuple[str, ...]], page: Page, gold_grams: dict[str, set[tuple[str, ...]]]) -> str:
    """The story an article tells: of its page's story and the story of the page
    whose template is around it (its leftovers), the one whose gold holds most of
    its 3-grams, if at least STORY_SHARE; else it is the page's leftovers."""
    shares = {story: len(mine & gold_grams[story]) / max(1, len(mine)) for story in (page.story, page.template) if story}
    best = max(shares, key=lambda story: shares[story])
    return best if shares[best] >= STORY_SHARE else f"leftovers of {page.name}"


def swept(main: list[Article], min_score: float, min_ratio: float) -> dict[int, tuple[int, int] | None]:
    """The flags the thresholds would give: the earliest candidate passing both (first tellings not followed)."""
    flags: dict[int, tuple[int, int] | None] = {}
    for article in main:
        passing = [(page, n) for page, n, s, r in article.candidates if s >= min_score and r >= min_ratio]
        flags[article.page] = min(passing) if passing else None
    return flags


def run_batch(pages: list[Page], main: list[Article], folder: str) -> dict[int, tuple[int, int] | None]:
    """The flags `cleaner batch` gives over the pages written to a folder in corpus order."""
    src, dest, report = Path(folder, "src"), Path(folder, "dest"), Path(folder, "report.json")
    src.mkdir()
    for number, page in enumerate(pages):
        (src / f"{number:05d}.txt").write_text(page.text, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    subprocess.run([sys.executable, "-m", "cleaner", "batch", str(src), str(dest), "--jobs", "1",
                    "--no-site-model", "--input-format", "text", "--report", str(report)], check=True, env=env)
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for entry in json.loads(report.read_text("utf-8"))["duplicates"]:
        target = entry["duplicate_of"]
        found[int(entry["input"][:5]), entry["article"]] = (int(target["source"][:5]), target["article"])
    return {article.page: found.get((article.page, article.number)) for article in main}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", action="store_true", help="also score the test part through cleaner batch")
    parser.add_argument("--real-originals", action="store_true",
                        help="each story's own page as its real text dump (default: the gold in that dump's template)")
    args = parser.parse_args()
    pool = load_gold()
    folds = page_folds(pool)
    config = CleanerConfig()
    results: dict[str, object] = {"command": " ".join(["python bench/dup_articles.py", *sys.argv[1:]])}
    parts = {}
    for part, wanted in (("tune", True), ("test", False)):
        ids = sorted(pid for pid in pool if (folds[pid] in TUNE_FOLDS) == wanted)
        pages = build(pool, ids, random.Random(f"{SEED}-{part}"), args.real_originals)
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as folder:
            main_articles = index_corpus(pages, pool, config, folder)
        parts[part] = (pages, main_articles)
        print(f"{part}: {len(pages)} pages ({len(ids)} pool pages), {len(main_articles)} main articles, "
              f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    pages, main_articles = parts["tune"]
    grid = []
    for min_score in SCORES:
        for min_ratio in RATIOS:
            figures = score(pages, main_articles, swept(main_articles, min_score, min_ratio))
            grid.append((min_score, min_ratio, figures))
    good = [g for g in grid if float(g[2]["precision"]) >= MIN_PRECISION]  # type: ignore[arg-type]
    chosen = max(good or grid, key=lambda g: (g[2]["recall"], g[0], g[1]))
    results["grid"] = [{"min_score": s, "min_length_ratio": r, "precision": f["precision"], "recall": f["recall"]}
                       for s, r, f in grid]
    results["chosen"] = {"article_duplicate_min_score": chosen[0], "article_duplicate_min_length_ratio": chosen[1]}
    tuned = replace(config, article_duplicate_min_score=float(chosen[0]),
                    article_duplicate_min_length_ratio=float(chosen[1]))
    shipped = {"article_duplicate_min_score": config.article_duplicate_min_score,
               "article_duplicate_min_length_ratio": config.article_duplicate_min_length_ratio}
    results["shipped"] = shipped
    for part, (pages, main_articles) in parts.items():
        with tempfile.TemporaryDirectory() as folder:
            again = index_corpus(pages, pool, tuned, folder) if tuned != config else main_articles
        figures = score(pages, again, {a.page: a.flagged for a in again})
        results[part] = {"pages": len(pages), "stories": len({p.story for p in pages}),
                         "scored_pages": len(again), **figures}
        print(f"{part:<5} chosen thresholds {chosen[0]}/{chosen[1]}: P {figures['precision']:.4f} "
              f"R {figures['recall']:.4f} ({figures['pairs']} duplicate pages, {figures['flagged']} flagged, "
              f"false {figures['false_by_kind']}) recall by kind {figures['recall_by_kind']}")
    if args.batch:
        pages, main_articles = parts["test"]
        with tempfile.TemporaryDirectory() as folder:
            flags = run_batch(pages, main_articles, folder)
        figures = score(pages, main_articles, flags)
        results["test_batch"] = figures
        print(f"test through cleaner batch (shipped thresholds): P {figures['precision']:.4f} "
              f"R {figures['recall']:.4f}")
    OUT.mkdir(parents=True, exist_ok=True)
    name = "dup_articles_real.json" if args.real_originals else "dup_articles.json"
    (OUT / name).write_text(json.dumps(results, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
