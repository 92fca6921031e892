"""The line models: a tree ensemble compiled from its JSON form scores as its trees say."""

from __future__ import annotations

import math

from cleaner import CleanerConfig, clean
from cleaner.classify import compile_trees
from test_html import article_html, page

# Two trees: the first splits on feature 0, the second on feature 1 then feature 0.
ENSEMBLE = {
    "base": -0.5,
    "trees": [
        [[0, 1.5, 1, 2, 0.0], [-1, 0.0, -1, -1, -1.0], [-1, 0.0, -1, -1, 2.0]],
        [
            [1, 0.0, 1, 2, 0.0],
            [-1, 0.0, -1, -1, 0.25],
            [0, 3.0, 3, 4, 0.0],
            [-1, 0.0, -1, -1, -0.75],
            [-1, 0.0, -1, -1, 0.5],
        ],
    ],
}


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_compiled_trees_add_the_leaves_they_reach() -> None:
    predict = compile_trees(ENSEMBLE)
    assert math.isclose(predict([1.0, -1.0]), sigmoid(-0.5 - 1.0 + 0.25))  # left, left
    assert math.isclose(predict([1.5, 0.0]), sigmoid(-0.5 - 1.0 + 0.25))  # a threshold goes left
    assert math.isclose(predict([2.0, 1.0]), sigmoid(-0.5 + 2.0 - 0.75))  # right; right then left
    assert math.isclose(predict([4.0, 1.0]), sigmoid(-0.5 + 2.0 + 0.5))  # right; right then right


def test_compiled_trees_take_numbers_only() -> None:
    hostile = {"base": "__import__('os')", "trees": []}
    try:
        compile_trees(hostile)
    except ValueError:
        return
    raise AssertionError("a non-number in a model file must be refused")


def test_shipped_html_model_cleans_a_page() -> None:
    html = page(article_html("Bridge"))
    document = clean(html.encode(), config=CleanerConfig(), input_format="html")
    assert document.articles and len(document.articles[0].paragraphs) == 6
