"""segments/ends.py: where a text dump's article starts and ends."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from cleaner import clean
from cleaner.config import CleanerConfig
from cleaner.segments.ends import EDGE_FEATURES, END_REASON, article_edge

ARTICLE = [
    "The city council voted on Tuesday to expand the bus network into the northern districts, a plan that has "
    "been debated for more than three years.",
    "Under the plan, four new lines will connect the districts with the central station, and buses will run "
    "every ten minutes during the morning and evening rush hours.",
    "Supporters said the expansion would cut commuting times for thousands of residents who now depend on cars, "
    "while opponents questioned the cost of the new depots.",
    "The first of the new lines is expected to open next spring, the council said, with the remaining three "
    "following over the next two years as drivers are hired.",
    "Council members also approved a study of fares for students and older riders, which is due to be "
    "presented in the autumn.",
]
# readers' comments with no stamp lines (no clock times, no "Reply"): names between paragraphs
COMMENTS = [
    "Comments",  # no count of them: classify opens no section here, the ends model cuts
    "Mary Jones",
    "I have been waiting for this for years! Finally the buses will come to our street, thanks to everyone who "
    "pushed for it.",
    "Tom",
    "Great news, but I wonder who will pay for all of this. My taxes went up again last year and I don't see "
    "any improvement!",
    "Sandra K",
    "You are so right Tom, they never tell us the real cost. I'll believe it when I see the first bus at my stop!",
    "Peter",
    "Thanks for the article, very helpful. Does anyone know if the new line will stop near the hospital?",
    "Leave a Reply",
]
DUMP = "Bus network to grow north\n\n" + "\n\n".join(ARTICLE + COMMENTS) + "\n"


def test_comments_after_the_article_leave_its_body() -> None:
    uncut = clean(DUMP, config=CleanerConfig(cut_ends=False))
    assert any("taxes" in p for a in uncut.articles for p in a.paragraphs)  # each line alone reads as text
    document = clean(DUMP)
    assert [p for a in document.articles for p in a.paragraphs] == ARTICLE
    reasons = {d.text: d.reason for d in document.dropped}
    assert reasons[COMMENTS[2]] == END_REASON


def _model(path: Path, outer_weight: float, intercept: float) -> str:
    """A model whose every line's probability of lying outside the article
    depends on its "outer" feature alone."""
    side = {
        "intercept": intercept, "coef": [outer_weight] + [0.0] * (len(EDGE_FEATURES) - 1),
        "mean": [0.0] * len(EDGE_FEATURES), "scale": [1.0] * len(EDGE_FEATURES),
    }
    path.write_text(json.dumps({"features": list(EDGE_FEATURES), "end": side, "start": side}))
    return str(path)


def _rows(outers: list[float]) -> list[list[float]]:
    return [[outer] + [0.0] * (len(EDGE_FEATURES) - 1) for outer in outers]


def test_the_edge_is_the_change_point(tmp_path: Path) -> None:
    model = _model(tmp_path / "ends.json", outer_weight=8.0, intercept=-4.0)  # outer 1: p 0.98; outer 0: p 0.02
    assert article_edge(_rows([0, 0, 0, 1, 1, 1]), [10] * 6, model, "end") == 3
    # one outer-looking line inside the article does not end it: the lines after it read as article
    assert article_edge(_rows([0, 1, 0, 0, 1, 1]), [10] * 6, model, "end") == 4
    assert article_edge(_rows([0, 0, 0, 0]), [10] * 4, model, "end") == 4  # no cut
    # lines weigh their words: a long article line outweighs two short outer-looking ones around it
    assert article_edge(_rows([0, 1, 0, 1]), [10, 3, 50, 3], model, "end") == 3


def test_an_article_keeps_its_first_line(tmp_path: Path) -> None:
    model = _model(tmp_path / "ends.json", outer_weight=8.0, intercept=-4.0)
    assert article_edge(_rows([1, 1, 1]), [10] * 3, model, "end") == 1


def test_cut_ends_off_keeps_every_body_line() -> None:
    config = replace(CleanerConfig(), cut_ends=False)
    document = clean(DUMP, config=config)
    assert END_REASON not in {d.reason for d in document.dropped}
