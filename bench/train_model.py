"""Train the models on the eval pool (../shared/eval/dev and ../shared/eval/train
together): the line models (cleaner/data/line_model.json, html_model.json),
the page-edge model (edge_model.json), the article boundary model
(boundary_model.json), the article ends models (ends_model.json for text
dumps, html_ends_model.json for HTML pages) and the headline model
(title_model.json: train_title).

Each text dump is split into blocks exactly as the pipeline does; a block is
labelled article text when most of its word 4-grams occur in the page's gold
(for blocks under 4 words: when its words occur in that order in the gold).
Two logistic models are fitted by Newton's method with an L2 penalty: stage 1 on
the line and neighbourhood features, stage 2 on stage 1's scores around each
line. Every line is weighted by its share of its page's words, so each page
counts about the same, as in the scorer.

    python bench/train_model.py            # every kind: folds + the shipped models
    python bench/train_model.py --kind html --folds-only

There is one model for text dumps (cleaner/data/line_model.json), trained on
both renderings of every page (text/: Chromium innerText; text-bs4/:
BeautifulSoup get_text) and on the multi-article dumps, so it does not lean on
one renderer's layout nor take a page's first big text for its article, and one
for HTML pages (html/, with markup features; cleaner/data/html_model.json).
Fold models go to bench/out/fold_<kind>_K.json (trained without fold K's
sites; sites that share a multi-article dump share a fold). The shipped
models are trained on every page. Only fold models may be used to report a
figure (bench/quality.py does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    N_FOLDS, OUT, ROOT, load_gold, load_multi, page_folds, pool_dump, read_page, require_renderings, site_of,
)

from cleaner.classify import (  # noqa: E402
    FEATURE_NAMES, HTML_FEATURE_NAMES, HTML_STAGE2_MIN_FIRST, STAGE2_CONTEXT, STAGE2_HTML_CONTEXT, line_features,
    model_digest, pack_trees, stage2_features, trees_module_source,
)
from cleaner.config import CleanerConfig  # noqa: E402
from cleaner.dedupe import mark_duplicates  # noqa: E402
from cleaner.blocks import split_blocks  # noqa: E402
from cleaner.read import read_input  # noqa: E402
from cleaner.text import WORD  # noqa: E402

T = TypeVar("T")
# L2 penalty on standardised weights; mild, the data are plentiful.
L2 = 1.0
# Inner folds (by site) for the out-of-fold stage-1 scores of the HTML model.
INNER_FOLDS = 4
# Stage 2 of the HTML and text models: gradient-boosted regression trees
# (scikit-learn, a bench-only dependency; the shipped model is plain JSON).
# Shallow trees and a modest count keep the compiled ensemble cheap per line.
# (The text model's stage 2 was logistic until 2026-12-03: the same trees,
# cross-validated by site, gave innerText 0.896 -> 0.900, lynx 0.884 -> 0.887,
# html2text 0.862 -> 0.871, get_text 0.883 -> 0.882.)
TREE_COUNT = 150
TREE_DEPTH = 3
TREE_LEARNING_RATE = 0.1
# Leaves hold at least this many lines; no extra shrinkage of leaf values.
# (scikit-learn's defaults. Tried 100 lines and L2 1.0: dev sh 0.952 against
# 0.959, cross-validated; 150 trees of depth 3: 0.957.)
TREE_MIN_LEAF_LINES = 20
TREE_L2 = 0.0
# Features the trees may only use one way. Being in a menu, footer, sidebar,
# share bar, comment or promotion region, reading like a copyright or web
# address, being linked or repeated never makes a line more likely article
# text; a higher stage-1 score never makes it less likely. Without this, trees
# fitted on a few hundred pages say odd things where pages differ from those.
TREE_DECREASING = (
    "in_nav", "in_footer", "in_aside", "in_form", "in_comments", "in_share", "in_related", "in_promo",
    "in_breadcrumb", "copyright", "urlish", "promo_hint", "link_ratio", "link_ratio_near", "is_repeat", "log_copies",
)
TREE_INCREASING = ("logit",)
# A block is article text when at least this share of its 4-grams is in the gold.
LABEL_MIN_SHARE = 0.5


def page_blocks(data: str, html: bool) -> list:
    """A page's blocks as the pipeline splits them, repeats marked."""
    return page_blocks_meta(data, html)[0]


def page_blocks_meta(data: str, html: bool) -> tuple[list, tuple]:
    """page_blocks, and the page's titles (the pipeline's score_blocks is given them)."""
    config = CleanerConfig()
    decoded = read_input(data, input_format="html" if html else "text")
    blocks, meta = split_blocks(decoded, config)
    return mark_duplicates(blocks, config), (meta.title, meta.page_title)


def block_labels(blocks: list, gold_body: str) -> tuple[list[float], list[float]]:
    """Each block's label (1.0: article text) and weight (its share of the page's words)."""
    gold_tokens = WORD.findall(gold_body)
    grams = {n: set(zip(*(gold_tokens[i:] for i in range(n)))) for n in (1, 2, 3, 4)}
    labels, weights = [], []
    total = sum(len(WORD.findall(b.text)) for b in blocks) or 1
    for block in blocks:
        tokens = WORD.findall(block.text)
        if len(tokens) < 4:
            label = 1.0 if tokens and tuple(tokens) in grams[len(tokens)] else 0.0
        else:
            shingles = list(zip(*(tokens[i:] for i in range(4))))
            label = 1.0 if sum(s in grams[4] for s in shingles) >= LABEL_MIN_SHARE * len(shingles) else 0.0
        labels.append(label)
        weights.append(max(1, len(tokens)) / total)
    return labels, weights


def page_rows(data: str, gold_body: str, html: bool) -> tuple[list, list[list[float]], list[float], list[float]]:
    blocks, titles = page_blocks_meta(data, html)
    labels, weights = block_labels(blocks, gold_body)
    return blocks, line_features(blocks, html=html, titles=titles), labels, weights


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict[str, list[float]]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], L2)
    penalty[0] = 0.0
    w = w / w.sum() * len(w)
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + penalty * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"intercept": [float(beta[0])], "coef": beta[1:].tolist(), "mean": mean.tolist(), "scale": scale.tolist()}


def fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: list[str]) -> dict:
    """Gradient-boosted trees on the log loss, packed as model files hold them
    (cleaner.classify.pack_trees): each tree a list of [feature, threshold,
    left, right, value] nodes, leaves (feature -1) holding their value with
    the learning rate applied (what cleaner.classify adds up). scikit-learn's
    histogram boosting keeps its fitted trees in `_predictors`; check_trees
    confirms the export gives scikit-learn's own predictions."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_iter=TREE_COUNT, max_depth=TREE_DEPTH, learning_rate=TREE_LEARNING_RATE,
        min_samples_leaf=TREE_MIN_LEAF_LINES, l2_regularization=TREE_L2, early_stopping=False, random_state=0,
        monotonic_cst=[-1 if n in TREE_DECREASING else 1 if n in TREE_INCREASING else 0 for n in names],
    )
    model.fit(x, y, sample_weight=w * len(w) / w.sum())
    trees = []
    for (predictor,) in model._predictors:
        nodes = [
            [
                -1 if node["is_leaf"] else int(node["feature_idx"]),
                0.0 if node["is_leaf"] else float(node["num_threshold"]),
                int(node["left"]) if not node["is_leaf"] else -1,
                int(node["right"]) if not node["is_leaf"] else -1,
                float(node["value"]) if node["is_leaf"] else 0.0,
            ]
            for node in predictor.nodes
        ]
        trees.append(nodes)
    exported = pack_trees(float(np.ravel(model._baseline_prediction)[0]), trees)
    check_trees(exported, model, x)
    return exported


def check_trees(exported: dict, model: object, x: np.ndarray) -> None:
    """The exported trees give scikit-learn's probabilities (on a sample of rows)."""
    from cleaner.classify import compile_trees

    predict = compile_trees(exported)
    sample = x[:: max(1, len(x) // 2000)]
    ours = np.array([predict(row) for row in sample.tolist()])
    theirs = model.predict_proba(sample)[:, 1]  # type: ignore[attr-defined]
    if not np.allclose(ours, theirs, atol=1e-9):
        raise SystemExit(f"tree export differs from scikit-learn by {np.abs(ours - theirs).max():.2e}")


def logits(model: dict[str, list[float]], x: np.ndarray) -> np.ndarray:
    return model["intercept"][0] + ((x - np.array(model["mean"])) / np.array(model["scale"])) @ np.array(model["coef"])


def predict(model: dict[str, list[float]], x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(logits(model, x), -30, 30)))


def train(pages: list[tuple], html: bool, trees: bool = True) -> dict:
    """Stage 1 on every page; stage 2 on stage-1 scores. For HTML, the stage-1
    scores that stage 2 learns from are out-of-fold (each page scored by a
    stage-1 model trained without its site), as they will be on new pages; this
    helped the HTML model (dev sh 0.927 -> 0.936) and not the text one. Stage 2
    is a tree ensemble (fit_trees) unless trees is False (then logistic)."""
    pages = [p for p in pages if p[1]]
    x1 = np.array([row for p in pages for row in p[1]])
    y = np.array([label for p in pages for label in p[2]])
    w = np.array([weight for p in pages for weight in p[3]])
    stage1 = fit_logistic(x1, y, w)
    inner = [stage1] * len(pages)
    if html:
        groups = [int(hashlib.sha256(("inner:" + p[4]).encode()).hexdigest(), 16) % INNER_FOLDS for p in pages]
        models = {}
        for j in set(groups):
            rest = [p for p, g in zip(pages, groups) if g != j]
            models[j] = fit_logistic(
                np.array([r for p in rest for r in p[1]]),
                np.array([label for p in rest for label in p[2]]),
                np.array([weight for p in rest for weight in p[3]]),
            )
        inner = [models[g] for g in groups]
    x2, asked = [], []
    for (blocks, rows, _, _, _), model in zip(pages, inner):
        first = predict(model, np.array(rows)).tolist()
        x2.extend(stage2_features(blocks, first, rows, html=html))
        # stage 2 learns from the lines it will be asked about (classify's floor)
        asked.extend(p >= (HTML_STAGE2_MIN_FIRST if html else 0.0) for p in first)
    keep = np.array(asked)
    x2, y2, w2 = np.array(x2)[keep], y[keep], w[keep]
    names = list(STAGE2_CONTEXT) + (list(STAGE2_HTML_CONTEXT) + list(HTML_FEATURE_NAMES) if html else list(FEATURE_NAMES))
    stage2 = fit_trees(x2, y2, w2, names) if trees else fit_logistic(x2, y2, w2)
    return {
        "features": list(HTML_FEATURE_NAMES if html else FEATURE_NAMES),
        "stage2_features": names,
        "stage1": stage1,
        "stage2": stage2,
    }


def model_json(model: dict) -> str:
    """The shipped file, indented (a tree ensemble's nodes are one base64 string)."""
    return json.dumps(model, indent=1) + "\n"


# Renderings each kind of model learns from: the text models from the pool's
# two (Chromium innerText, BeautifulSoup get_text) and two made here by
# bench/render.py (lynx -dump, html2text: run it first).
KIND_RENDERINGS = {"text": ("text", "text-bs4", "text-lynx", "text-html2text"), "html": ("html",)}
# A page of a rendering made here weighs this much (the pool's own weigh 1):
# the model learns their layouts without leaning away from the pool's.
MADE_RENDERING_WEIGHT = {"text-lynx": 0.5, "text-html2text": 0.5}
# The page-edge model and the boundary model's composite dumps learn from the
# pool's own renderings (its multi dumps are Chromium innerText).
POOL_TEXT_RENDERINGS = ("text", "text-bs4")
# A multi-article dump weighs as much as this many single pages in the text
# model (240 dumps beside 2,258 page renderings).
MULTI_WEIGHT = 3.0


def _map_jobs(function: Callable[[Any], T], work: list, jobs: int, chunksize: int) -> list[T]:
    """function of every job, in jobs processes (in this one if jobs is 1)."""
    if jobs <= 1:
        return [function(job) for job in work]
    from multiprocessing import Pool

    with Pool(jobs) as pool:
        return pool.map(function, work, chunksize=chunksize)


def _page_data(job: tuple[str, dict, str, bool]) -> tuple:
    pid, entry, rendering, html = job
    if rendering == "multi":  # a multi-article dump: its articles' gold is its gold
        data, gold_body = entry["path"].read_text("utf-8"), "\n\n".join(entry["articles"])
        site, weight = pid, MULTI_WEIGHT
    else:
        data, gold_body = read_page(pid, entry, rendering), entry["articleBody"]
        site, weight = site_of(pid, entry), MADE_RENDERING_WEIGHT.get(rendering, 1.0)
    blocks, rows, labels, weights = page_rows(data, gold_body, html)
    weights = [w * weight for w in weights]
    for block in blocks:
        block.markup = None  # not needed to train, and cheaper to send back from a worker
    return blocks, rows, labels, weights, site


def train_kind(kind: str, folds_only: bool, trees: bool, jobs: int) -> None:
    html = kind == "html"
    require_renderings(KIND_RENDERINGS[kind])
    gold = load_gold()
    folds = page_folds(gold)
    work = [(pid, g, rendering, html) for pid, g in sorted(gold.items()) for rendering in KIND_RENDERINGS[kind]]
    fold_of = dict(folds)
    if not html:
        # the multi-article dumps too: a page's article is not always the first
        # big text of a dump (a second page's article is article text)
        for mid, dump in sorted(load_multi().items()):
            work.append((mid, dump, "multi", html))
            fold_of[mid] = folds[dump["sources"][0]]
    rows = _map_jobs(_page_data, work, jobs, chunksize=8)
    data = list(zip((job[0] for job in work), rows))
    OUT.mkdir(parents=True, exist_ok=True)
    for k in range(N_FOLDS):
        model = train([v for pid, v in data if fold_of[pid] != k], html, trees)
        (OUT / f"fold_{kind}_{k}.json").write_text(json.dumps(model))
    (OUT / "folds.json").write_text(json.dumps(folds, indent=0, sort_keys=True))
    print(f"wrote {N_FOLDS} {kind} fold models to {OUT}")
    if not folds_only:
        target = ROOT / "cleaner" / "data" / ("html_model.json" if html else "line_model.json")
        text = model_json(train([v for _, v in data], html, trees))
        target.write_text(text)
        if trees:  # the same trees as a module, which Python compiles once and caches
            module = ROOT / "cleaner" / ("html_trees.py" if html else "text_trees.py")
            stage2 = json.loads(text)["stage2"]
            module.write_text(trees_module_source(stage2, model_digest(text.encode("utf-8")), target.name))
            print(f"wrote {module}")
        print(f"wrote {target}")


# Boundary model: dumps strung together from single pages of one fold (so no
# fold model sees them), per fold and rendering, besides the real multi dumps.
COMPOSITES_PER_FOLD = 40
COMPOSITE_SEED = 7
# Pages whose gold has at least this many words go into composites (as in the
# multi dumps of the eval pool).
COMPOSITE_MIN_GOLD_WORDS = 50


def composites(gold: dict, folds: dict[str, int]) -> list[tuple[str, list[str], int]]:
    """(rendering, page ids, fold): 2-4 pages of one fold, half of them from
    one site where the fold has sites of several pages."""
    import random

    rng = random.Random(COMPOSITE_SEED)
    in_dumps = {pid for dump in load_multi().values() for pid in dump["sources"]}
    usable = [
        pid for pid, g in sorted(gold.items())
        if len(g["articleBody"].split()) >= COMPOSITE_MIN_GOLD_WORDS and pid not in in_dumps
    ]
    made = []
    for k in range(N_FOLDS):
        pages = [pid for pid in usable if folds[pid] == k]
        by_site: dict[str, list[str]] = {}
        for pid in pages:
            by_site.setdefault(site_of(pid, gold[pid]), []).append(pid)
        multi_sites = [ids for ids in by_site.values() if len(ids) >= 2]
        for rendering in POOL_TEXT_RENDERINGS:
            for n in range(COMPOSITES_PER_FOLD):
                count = rng.choice((2, 2, 3, 4))
                pool = rng.choice(multi_sites) if multi_sites and n % 2 == 0 else pages
                if len(pool) < 2:
                    continue
                made.append((rendering, rng.sample(pool, min(count, len(pool))), k))
    return made


def _boundary_examples(job: tuple[list[str], int]) -> list[tuple[list[float], float]]:
    """Clean a dump (its pages' texts, joined as the eval pool's multi dumps
    are: pool_dump) with its fold's line model, asking an oracle (the known
    page starts) at every boundary question: the features and the true answer."""
    from bisect import bisect_right

    from cleaner.pipeline import prepare
    from cleaner.segments import group_segments
    from cleaner.segments.boundary import Gap, GapFeatures

    pages, fold = job
    dump, starts = pool_dump(pages)
    config = CleanerConfig(
        line_model=str(OUT / f"fold_text_{fold}.json"), edge_model=str(OUT / f"fold_edge_{fold}.json"),
        seam_model=str(OUT / f"fold_seam_{fold}.json"),
        cut_ends=False,  # where articles end is asked after they are split
    )
    blocks = prepare(dump, config=config, input_format="text").blocks
    examples = []
    features = GapFeatures(blocks, config.edge_model)

    def oracle(gap: Gap) -> bool:
        truth = bisect_right(starts, blocks[gap.start].line) != bisect_right(starts, blocks[gap.end].line)
        examples.append((features(gap), 1.0 if truth else 0.0))
        return truth

    group_segments(blocks, config, boundary=oracle)
    return examples


def train_boundary(folds_only: bool, jobs: int) -> None:
    from cleaner.segments.boundary import BOUNDARY_FEATURES

    gold = load_gold()
    folds = page_folds(gold)
    dumps = [("text", dump["sources"], folds[dump["sources"][0]]) for dump in load_multi().values()]
    work = [
        ([read_page(pid, gold[pid], rendering) for pid in pids], fold)
        for rendering, pids, fold in dumps + composites(gold, folds)
    ]
    per_dump = _map_jobs(_boundary_examples, work, jobs, chunksize=4)
    rows = [(x, y, job[1]) for job, examples in zip(work, per_dump) for x, y in examples]
    print(f"boundary: {len(work)} dumps, {len(rows)} questions, {sum(r[1] for r in rows):.0f} boundaries")

    def fit(selected: list) -> dict:
        x = np.array([r[0] for r in selected])
        y = np.array([r[1] for r in selected])
        return {"features": list(BOUNDARY_FEATURES), **fit_logistic(x, y, np.ones(len(y)))}

    write_models("boundary", fit, [(r[2], r) for r in rows], folds_only)


def write_models(kind: str, fit: Callable[[list], dict], items: list[tuple[int, Any]], folds_only: bool) -> None:
    """Fold K's model fitted on the items (fold, item) of the other folds, and
    unless folds_only the shipped model (cleaner/data/<kind>_model.json) on all."""
    for k in range(N_FOLDS):
        (OUT / f"fold_{kind}_{k}.json").write_text(json.dumps(fit([item for fold, item in items if fold != k])))
    print(f"wrote {N_FOLDS} {kind} fold models to {OUT}")
    if not folds_only:
        target = ROOT / "cleaner" / "data" / f"{kind}_model.json"
        target.write_text(json.dumps(fit([item for _, item in items]), indent=1) + "\n")
        print(f"wrote {target}")


# Edge model (cleaner/segments/edges.py): a token is used when lines of at
# least this many training pages hold it (rarer ones would fit single sites).
EDGE_MIN_PAGES = 100
# Its L2 penalty (the inverse of scikit-learn's C): tokens are many, pages few.
EDGE_L2 = 30.0


def _edge_page(job: tuple[str, dict, str]) -> tuple[list[set[str]], list[int], list[int]] | None:
    """A page's lines as edge tokens, and which lie before (head) and after
    (foot) the page's gold; None if no line is gold."""
    from cleaner.segments.edges import edge_tokens

    pid, entry, rendering = job
    blocks = page_blocks(read_page(pid, entry, rendering), html=False)
    labels, _ = block_labels(blocks, entry["articleBody"])
    gold_lines = [i for i, label in enumerate(labels) if label]
    if not gold_lines:
        return None
    first, last = gold_lines[0], gold_lines[-1]
    return (
        [edge_tokens(b) for b in blocks],
        [1 if i < first else 0 for i in range(len(blocks))],
        [1 if i > last else 0 for i in range(len(blocks))],
    )


def _fit_edge(pages: list[tuple[list[set[str]], list[int], list[int]]]) -> dict:
    """Two logistic models (head, foot) over the tokens of enough pages; every
    page weighs the same."""
    from collections import Counter

    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    seen: Counter[str] = Counter()
    for tokens, _, _ in pages:
        seen.update(set().union(*tokens))
    vocab = sorted(token for token, count in seen.items() if count >= EDGE_MIN_PAGES)
    column = {token: j for j, token in enumerate(vocab)}
    rows, cols, weights, heads, foots = [], [], [], [], []
    n = 0
    for tokens, head, foot in pages:
        for line in tokens:
            for token in line:
                if token in column:
                    rows.append(n)
                    cols.append(column[token])
            n += 1
        weights += [1.0 / len(tokens)] * len(tokens)
        heads += head
        foots += foot
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(vocab)))
    w = np.array(weights) / np.mean(weights)
    fitted = []
    for y in (heads, foots):
        model = LogisticRegression(C=1.0 / EDGE_L2, max_iter=2000)
        model.fit(x, np.array(y), sample_weight=w)
        fitted.append(model)
    # three lists, not a dict of pairs: they load in a third of the time
    return {
        "intercept": [float(m.intercept_[0]) for m in fitted],
        "tokens": list(column),
        "head": [round(float(fitted[0].coef_[0][j]), 4) for j in column.values()],
        "foot": [round(float(fitted[1].coef_[0][j]), 4) for j in column.values()],
    }


def train_edge(folds_only: bool, jobs: int) -> None:
    gold = load_gold()
    folds = page_folds(gold)
    work = [(pid, g, rendering) for pid, g in sorted(gold.items()) for rendering in POOL_TEXT_RENDERINGS]
    pages = _map_jobs(_edge_page, work, jobs, chunksize=8)
    data = [(job[0], page) for job, page in zip(work, pages) if page is not None]
    OUT.mkdir(parents=True, exist_ok=True)
    for k in range(N_FOLDS):
        model = _fit_edge([page for pid, page in data if folds[pid] != k])
        (OUT / f"fold_edge_{k}.json").write_text(json.dumps(model))
    print(f"edge: {len(data)} pages; wrote {N_FOLDS} edge fold models to {OUT}")
    if not folds_only:
        target = ROOT / "cleaner" / "data" / "edge_model.json"
        target.write_text(json.dumps(_fit_edge([page for _, page in data])) + "\n")
        print(f"wrote {target}")


# Seam model (cleaner/seams.py): lines this near a true seam (but the seam's
# own) are left out of its training: a line or two off opens the same page.
SEAM_NEAR_LINES = 3
# Its single pages (no seam in them) are read in every rendering the text model
# learns from, the made ones weighing MADE_RENDERING_WEIGHT: a text browser's or
# html2text's layout of one page opens no page (with the pool's own renderings
# alone, the fold models found a seam in 8 single lynx pages, 5 elinks ones; 3
# and 2 with them). Its dumps stay the pool's renderings: composites in lynx's
# and html2text's too found no more seams in dumps of those renderings.
SEAM_SINGLE_RENDERINGS = KIND_RENDERINGS["text"]


def _seam_examples(job: tuple[list[str], int]) -> tuple[list[list[float]], list[float]]:
    """A dump's (or a single page's) SEAM_FEATURES rows, read with its fold's
    edge model, and whether each line opens a page (its first is not asked)."""
    from bisect import bisect_left

    from cleaner.seams import MIN_PAGE_BLOCKS, seam_columns
    from cleaner.segments.edges import load_edge_model

    pages, fold = job
    dump, starts = pool_dump(pages)
    blocks = page_blocks(dump, html=False)
    if len(blocks) < 2 * MIN_PAGE_BLOCKS:
        return [], []
    seams = {bisect_left([b.line for b in blocks], line) for line in starts[1:]}
    edges = load_edge_model(str(OUT / f"fold_edge_{fold}.json")).columns(blocks)
    rows, labels = [], []
    for offset, row in enumerate(zip(*seam_columns(blocks, edges))):
        i = offset + MIN_PAGE_BLOCKS
        if i in seams:
            rows.append(row)
            labels.append(1.0)
        elif all(abs(i - j) > SEAM_NEAR_LINES for j in seams):
            rows.append(row)
            labels.append(0.0)
    return rows, labels


def train_seams(folds_only: bool, jobs: int) -> None:
    from cleaner.seams import SEAM_FEATURES

    gold = load_gold()
    folds = page_folds(gold)
    dumps = [("text", dump["sources"], folds[dump["sources"][0]]) for dump in load_multi().values()]
    singles = [(rendering, [pid], folds[pid]) for pid in sorted(gold) for rendering in SEAM_SINGLE_RENDERINGS]
    todo = dumps + composites(gold, folds) + singles
    work = [([read_page(pid, gold[pid], rendering) for pid in pids], fold) for rendering, pids, fold in todo]
    found = _map_jobs(_seam_examples, work, jobs, chunksize=8)
    items = [
        (fold, (rows, labels, MADE_RENDERING_WEIGHT.get(rendering, 1.0)))
        for (rendering, _, fold), (rows, labels) in zip(todo, found) if rows
    ]
    print(f"seams: {len(items)} dumps and pages, {sum(len(e[1]) for _, e in items)} lines, "
          f"{sum(sum(e[1]) for _, e in items):.0f} seams")

    def fit(selected: list) -> dict:
        x = np.array([row for rows, _, _ in selected for row in rows])
        y = np.array([label for _, labels, _ in selected for label in labels])
        w = np.array([weight for _, labels, weight in selected for _ in labels])
        return {"features": list(SEAM_FEATURES), **fit_logistic(x, y, w)}

    write_models("seam", fit, items, folds_only)


# Ends model (cleaner/segments/ends.py): learned from every rendering the text
# model learns from, the made ones weighing MADE_RENDERING_WEIGHT.
ENDS_RENDERINGS = KIND_RENDERINGS["text"]


def _ends_page(job: tuple[str, dict, str, int]) -> dict[str, tuple[list, list[float], list[float]]] | None:
    """A page cleaned with its fold's models, its articles' edges not cut: for
    each way ("end", "start"), each article's body lines' EDGE_FEATURES read
    that way, whether each lies outside the page's gold body lines (after the
    last, before the first), and its weight (its share of the page's words);
    None if no body line is gold."""
    import cleaner.segments
    from cleaner.pipeline import clean
    from cleaner.segments.ends import EdgeFeatures

    pid, entry, rendering, fold = job
    config = CleanerConfig(
        line_model=str(OUT / f"fold_text_{fold}.json"), edge_model=str(OUT / f"fold_edge_{fold}.json"),
        boundary_model=str(OUT / f"fold_boundary_{fold}.json"), seam_model=str(OUT / f"fold_seam_{fold}.json"),
        html_model=str(OUT / f"fold_html_{fold}.json"),
    )
    articles: list[list[int]] = []
    cut_ends = cleaner.segments.cut_ends
    cleaner.segments.cut_ends = lambda spans, blocks, config, edges=None, html=False: articles.extend(
        list(s.body) for s in spans
    )
    try:
        fmt = "html" if rendering == "html" else "text"
        blocks = clean(read_page(pid, entry, rendering), config=config, input_format=fmt).blocks
    finally:
        cleaner.segments.cut_ends = cut_ends
    labels, _ = block_labels(blocks, entry["articleBody"])
    gold = [i for body in articles for i in body if labels[i]]
    if not gold:
        return None
    features = EdgeFeatures(blocks, config.edge_model)
    weight = MADE_RENDERING_WEIGHT.get(rendering, 1.0)
    found = {}
    for which, start in (("end", False), ("start", True)):
        order = [body[::-1] if start else body for body in articles]
        rows = [row for body in articles for row in features.rows(body, start)]
        outside = [1.0 if (i < gold[0] if start else i > gold[-1]) else 0.0 for body in order for i in body]
        words = np.array([blocks[i].text.count(" ") + 1.0 for body in order for i in body])
        found[which] = rows, outside, (words / words.sum() * weight).tolist()
    return found


def train_ends(folds_only: bool, jobs: int, html: bool = False) -> None:
    """The ends model of text dumps (their four renderings), or with html that
    of HTML pages (the pool's HTML; it reads each page with its fold's HTML model)."""
    from cleaner.segments.ends import EDGE_FEATURES, ENDS

    renderings = ("html",) if html else ENDS_RENDERINGS
    require_renderings(renderings)
    gold = load_gold()
    folds = page_folds(gold)
    work = [(pid, g, rendering, folds[pid]) for pid, g in sorted(gold.items()) for rendering in renderings]
    pages = [(job[3], page) for job, page in zip(work, _map_jobs(_ends_page, work, jobs, chunksize=8)) if page]

    def fit(selected: list) -> dict:
        model: dict[str, Any] = {"features": list(EDGE_FEATURES)}
        for which in ENDS[:1] if html else ENDS:  # an HTML page's start is asked of no model (ends.py)
            x = np.array([row for page in selected for row in page[which][0]])
            y = np.array([label for page in selected for label in page[which][1]])
            w = np.array([weight for page in selected for weight in page[which][2]])
            fitted = fit_logistic(x, y, w)
            model[which] = {**fitted, "intercept": fitted["intercept"][0]}
        return model

    print(f"ends: {len(pages)} page renderings")
    write_models("html_ends" if html else "ends", fit, pages, folds_only)


TITLE_RENDERINGS = (*KIND_RENDERINGS["text"], "html")


def _title_page(job: tuple[str, dict, str, int]) -> tuple[list[list[float]], list[float], float] | None:
    """A page cleaned with its fold's models: its first article's headline
    candidates' TITLE_FEATURES, whether each is the gold's headline
    (titles.is_headline), and the page's weight (MADE_RENDERING_WEIGHT); None
    if it has no candidate."""
    import titles

    import cleaner.segments.headline as headline
    from cleaner.pipeline import clean

    pid, entry, rendering, fold = job
    config = CleanerConfig(
        line_model=str(OUT / f"fold_text_{fold}.json"), html_model=str(OUT / f"fold_html_{fold}.json"),
        edge_model=str(OUT / f"fold_edge_{fold}.json"), boundary_model=str(OUT / f"fold_boundary_{fold}.json"),
        ends_model=str(OUT / f"fold_ends_{fold}.json"), html_ends_model=str(OUT / f"fold_html_ends_{fold}.json"),
        seam_model=str(OUT / f"fold_seam_{fold}.json"),
    )
    asked: list[list[list[float]]] = []
    texts: list[list[str]] = []
    find = headline._find_title

    def record(head: list, first_body: list, page_title: str | None, body: list, config: CleanerConfig) -> tuple:
        lines, candidates = headline.title_candidates(head, first_body, config)
        if not asked:  # the page's first article
            asked.append(headline.title_rows(lines, len(head), candidates, page_title, body))
            texts.append([lines[i].text for i in candidates])
        return None, bool(candidates)

    headline._find_title = record  # type: ignore[assignment]
    try:
        clean(read_page(pid, entry, rendering), config=config, input_format="html" if rendering == "html" else "text")
    finally:
        headline._find_title = find
    if not asked or not asked[0]:
        return None
    truth = titles.gold_headline(entry["articleBody"])
    assert truth is not None
    labels = [1.0 if titles.is_headline(text, truth) else 0.0 for text in texts[0]]
    return asked[0], labels, MADE_RENDERING_WEIGHT.get(rendering, 1.0)


def train_title(folds_only: bool, jobs: int) -> None:
    """The headline model (segments/headline.py): a logistic regression over
    the candidates of the pages whose gold names their headline
    (titles.has_headline), in every rendering, every page
    weighing the same (its candidates share its weight), and the least logit
    a headline needs: the one that makes the most pages right on the pages it
    was fitted on (the likeliest candidate is the headline, or no candidate is
    and none is taken)."""
    import titles

    from cleaner.segments.headline import TITLE_FEATURES

    require_renderings(TITLE_RENDERINGS)
    gold = load_gold()
    folds = page_folds(gold)
    work = [
        (pid, g, rendering, folds[pid]) for pid, g in sorted(gold.items())
        if titles.has_headline(pid, g)
        for rendering in TITLE_RENDERINGS
    ]
    pages = [(job[3], page) for job, page in zip(work, _map_jobs(_title_page, work, jobs, chunksize=8)) if page]
    print(f"title: {len(pages)} page renderings, {sum(any(p[1]) for _, p in pages)} with the headline among "
          f"their candidates")

    def fit(selected: list) -> dict:
        x = np.array([row for rows, _, _ in selected for row in rows])
        y = np.array([label for _, labels, _ in selected for label in labels])
        w = np.array([weight / len(rows) for rows, _, weight in selected for _ in rows])
        model = {"features": list(TITLE_FEATURES), **fit_logistic(x, y, w)}
        best = []  # each page's likeliest candidate: its logit, whether it is the headline, whether any is
        for rows, labels, _ in selected:
            z = logits(model, np.array(rows))
            best.append((float(np.max(z)), labels[int(np.argmax(z))] > 0, any(labels)))
        # right at a threshold: the likeliest is taken and is the headline, or none is and none was
        thresholds = sorted({logit for logit, _, _ in best})
        right = [sum((logit >= t and hit) or (logit < t and not any_hit) for logit, hit, any_hit in best)
                 for t in thresholds]
        model["min_logit"] = thresholds[int(np.argmax(right))] if thresholds else 0.0
        return model

    write_models("title", fit, pages, folds_only)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logistic", action="store_true", help="stage 2 logistic, not trees (text and HTML)")
    parser.add_argument("--kind", default="all",
                        choices=["text", "html", "edge", "seams", "boundary", "ends", "html_ends", "title", "all"], help="boundary needs the text and edge fold models (it reads each dump with "
                        "its fold's), ends those and the boundary fold models, html_ends the html and edge ones, "
                        "title every other kind's")
    parser.add_argument("--folds-only", action="store_true")
    parser.add_argument("--jobs", type=int, default=2, help="processes that split and featurise the pages")
    args = parser.parse_args()
    kinds = ("edge", "seams", "text", "html", "boundary", "ends", "html_ends", "title")
    for kind in kinds if args.kind == "all" else (args.kind,):
        if kind == "boundary":
            train_boundary(args.folds_only, args.jobs)
        elif kind in ("ends", "html_ends"):
            train_ends(args.folds_only, args.jobs, html=kind == "html_ends")
        elif kind == "seams":
            train_seams(args.folds_only, args.jobs)
        elif kind == "edge":
            train_edge(args.folds_only, args.jobs)
        elif kind == "title":
            train_title(args.folds_only, args.jobs)
        else:
            train_kind(kind, args.folds_only, trees=not args.logistic, jobs=args.jobs)


if __name__ == "__main__":
    main()
