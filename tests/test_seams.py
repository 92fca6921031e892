"""seams.py: where one page of a text dump ends and the next begins."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.config import CleanerConfig
from cleaner.pipeline import prepare
from cleaner.model import Block
from cleaner.seams import MIN_PAGE_BLOCKS, SEAM_FEATURES, find_seams, replay_openings, seam_columns
from cleaner.segments.edges import load_edge_model

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"

HEAD = ["Skip to content", "The Valley Courier", "News", "Sport", "Business", "Opinion", "Search"]
FOOT = [
    "Share this article", "Facebook", "Twitter", "Email", "Related stories", "About us", "Contact us",
    "Privacy Policy", "Terms of Use", "© 2024 The Valley Courier. All rights reserved.",
]
BUSES = [
    "Ferry service to double next summer",
    "March 4, 2024",
    "The harbour board agreed on Tuesday to run twice as many ferries to the islands from next June, after a "
    "season in which boats left passengers waiting on the quay.",
    "Two boats bought from a shipyard in the north will join the fleet in May, and the first crossing of the day "
    "will leave an hour earlier than it does now.",
    "Island shopkeepers welcomed the plan, saying that visitors had stayed away when the last ferry of the "
    "evening was full, while fishermen asked for more room in the harbour.",
    "The board said fares would stay the same for residents, and that a new ticket office on the quay would open "
    "before the busy months begin.",
]
LIBRARY = [
    "Library reopens after flood repairs",
    "March 5, 2024",
    "The central library reopened its doors on Wednesday, eight months after a burst pipe flooded its basement "
    "and ruined thousands of books.",
    "Volunteers spent the winter drying and sorting the damaged collection, and the city replaced the old "
    "heating system while the building was closed.",
    "Staff said the children's section had been rebuilt with new shelves and a reading corner, paid for by "
    "donations from local businesses and families.",
    "The library will keep longer opening hours for the first month so that readers can return the books they "
    "have held since last summer.",
]


def dump(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


def test_two_pages_of_one_site_meet_where_the_foot_ends_and_the_head_starts_again() -> None:
    text = dump(*HEAD, *BUSES, *FOOT, *HEAD, *LIBRARY, *FOOT)
    page = prepare(text)
    assert [page.blocks[i].text for i in page.seams] == ["Skip to content"]
    assert page.seams[0] == len(HEAD + BUSES + FOOT)
    articles = clean(text).articles
    assert [a.title for a in articles] == [BUSES[0], LIBRARY[0]]
    assert [a.paragraphs for a in articles] == [BUSES[2:], LIBRARY[2:]]


def test_one_page_has_no_seam() -> None:
    assert prepare(dump(*HEAD, *BUSES, *FOOT)).seams == ()
    assert prepare(dump(*BUSES)).seams == ()  # too short to hold two pages


def test_html_pages_are_not_asked() -> None:
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in HEAD + BUSES + FOOT + HEAD + LIBRARY) + "</body></html>"
    assert prepare(html).seams == ()


def test_every_line_that_may_open_a_page_has_every_feature() -> None:
    blocks = prepare(dump(*HEAD, *BUSES, *FOOT, *HEAD, *LIBRARY, *FOOT)).blocks
    columns = seam_columns(blocks, load_edge_model(None).columns(blocks))
    assert len(columns) == len(SEAM_FEATURES)
    assert {len(column) for column in columns} == {len(blocks) - 2 * MIN_PAGE_BLOCKS + 1}
    replays = columns[SEAM_FEATURES.index("replays_opening")]
    second_head = len(HEAD + BUSES + FOOT)
    # only where the dump's opening lines are printed again, in order
    assert [i + MIN_PAGE_BLOCKS for i, value in enumerate(replays) if value] == [second_head]
    assert replays[second_head - MIN_PAGE_BLOCKS] == 1.0


def test_a_page_that_prints_the_dumps_head_again_between_its_own_lines_replays_it() -> None:
    # each page of an infinite scroll prints the site's head with its own title and date in it:
    # the dump's first line, then its next first lines in order, with the page's own between them
    def head(title: str, date: str) -> list[str]:
        return ["The Valley Courier", f"Top stories: {title}", date, *HEAD[2:]]

    first, second = head(BUSES[0], BUSES[1]), head(LIBRARY[0], LIBRARY[1])
    blocks = prepare(dump(*first, *BUSES[2:], *FOOT, *second, *LIBRARY[2:], *FOOT)).blocks
    columns = seam_columns(blocks, load_edge_model(None).columns(blocks))
    replays = columns[SEAM_FEATURES.index("replays_opening")]
    second_head = len(first) + len(BUSES) - 2 + len(FOOT)
    assert blocks[second_head].duplicate_of == 0
    assert [(i + MIN_PAGE_BLOCKS, value) for i, value in enumerate(replays) if value] == [(second_head, 1.0)]


def replayed_pages(first_line: Callable[[str], str]) -> tuple[list[Block], int, list[tuple[int, float]]]:
    """A dump of two pages of one site, each opening with first_line(its
    headline) and the site's head: its blocks, where the second page opens,
    and the lines whose replays_opening is not 0 with its value."""
    first = [first_line(BUSES[0]), *HEAD[1:]]
    blocks = prepare(dump(*first, *BUSES, *FOOT, first_line(LIBRARY[0]), *HEAD[1:], *LIBRARY, *FOOT)).blocks
    replays = seam_columns(blocks, load_edge_model(None).columns(blocks))[SEAM_FEATURES.index("replays_opening")]
    return blocks, len(first + BUSES + FOOT), [(i + MIN_PAGE_BLOCKS, v) for i, v in enumerate(replays) if v]


def test_a_page_whose_first_line_opens_as_the_dumps_does_replays_it() -> None:
    # each page's first line names the site, then the page (a text browser's line of the page's feeds)
    blocks, second_head, replays = replayed_pages(lambda title: f"#The Valley Courier » Feed » {title} Comments")
    assert blocks[second_head].duplicate_of is None  # not the same line: the page's title is in it
    assert replays == [(second_head, 1.0)]
    assert replay_openings(blocks, second_head, second_head + 2) == b"\x01\x00"
    # a first line with no title separator names no site
    assert replay_openings([Block(0, "#The Valley Courier", 1), Block(1, "#The Valley Courier", 3)], 1, 2) is None


def test_a_page_whose_first_line_ends_with_the_site_s_name_as_the_dump_s_replays_it() -> None:
    # each page's <title> first, the site's name after the page's (as get_text writes a page)
    blocks, second_head, replays = replayed_pages(lambda title: f"{title} | The Valley Courier")
    assert replays == [(second_head, 1.0)]
    # the page's own headline, the first line's title without the site's name, names no site
    assert replay_openings(blocks, len(HEAD), len(HEAD) + 1) == b"\x00"
    # the site's name must follow the last separator, and be SITE_NAME_MIN_CHARS long at least
    lines = ["Ferry service | News | The Valley Courier", "Library reopens | The Valley Courier", "Courier"]
    assert replay_openings([Block(i, t, i + 1) for i, t in enumerate(lines)], 1, 3) == b"\x01\x00"
    lines = ["Ferry service to double | TVC", "Library reopens after flood repairs | TVC"]
    assert replay_openings([Block(i, t, i + 1) for i, t in enumerate(lines)], 1, 2) == b"\x00"


def _model(path: Path, feature: str, weight: float, intercept: float) -> str:
    """A seam model that reads one feature alone."""
    coef = [weight if name == feature else 0.0 for name in SEAM_FEATURES]
    path.write_text(json.dumps({
        "features": list(SEAM_FEATURES), "intercept": [intercept], "coef": coef,
        "mean": [0.0] * len(SEAM_FEATURES), "scale": [1.0] * len(SEAM_FEATURES),
    }))
    return str(path)


def test_no_article_runs_across_a_seam(tmp_path: Path) -> None:
    # the second page has no foot above it and no headline: one story read on,
    # unless its page is known to be another
    text = dump(*HEAD, *BUSES, *HEAD, *LIBRARY[2:])
    merged = clean(text, config=CleanerConfig(find_seams=False)).articles
    assert len(merged) == 1 and BUSES[2] in merged[0].paragraphs and LIBRARY[2] in merged[0].paragraphs
    model = _model(tmp_path / "seams.json", "replays_opening", 20.0, -10.0)
    config = CleanerConfig(seam_model=model)
    assert prepare(text, config=config).seams == (len(HEAD + BUSES),)
    articles = clean(text, config=config).articles
    assert len(articles) == 2
    assert articles[0].paragraphs == BUSES[2:]
    assert articles[1].paragraphs[0] == LIBRARY[2] and set(articles[1].paragraphs) <= set(LIBRARY)


def test_seams_are_kept_apart_and_the_likeliest_wins(tmp_path: Path) -> None:
    # a model for which every line opens a page: one seam per MIN_PAGE_BLOCKS at most
    blocks = prepare(dump(*HEAD, *BUSES, *FOOT, *HEAD, *LIBRARY, *FOOT)).blocks
    always = _model(tmp_path / "always.json", "log_side", 0.0, 10.0)
    seams = find_seams(blocks, load_edge_model(None).columns(blocks), always)
    assert seams and seams == sorted(seams)
    assert seams[0] >= MIN_PAGE_BLOCKS and seams[-1] <= len(blocks) - MIN_PAGE_BLOCKS
    assert all(b - a >= MIN_PAGE_BLOCKS for a, b in zip(seams, seams[1:]))
    never = _model(tmp_path / "never.json", "log_side", 0.0, -10.0)
    assert find_seams(blocks, load_edge_model(None).columns(blocks), never) == []



def test_a_big_dump_is_read_a_chunk_at_a_time_with_the_same_seams(monkeypatch: pytest.MonkeyPatch) -> None:
    text = dump(*HEAD, *BUSES, *FOOT, *HEAD, *LIBRARY, *FOOT, *HEAD, *BUSES, *FOOT)
    blocks = prepare(text).blocks
    edges = load_edge_model(None).columns(blocks)
    whole = seam_columns(blocks, edges)
    part = seam_columns(blocks, edges, 12, 20)
    assert [column[12 - MIN_PAGE_BLOCKS: 20 - MIN_PAGE_BLOCKS] for column in whole] == [
        pytest.approx(column) for column in part
    ]
    seams = find_seams(blocks, edges, None)
    assert len(seams) == 2
    monkeypatch.setattr("cleaner.seams.SEAM_CHUNK_LINES", 3)
    assert find_seams(blocks, edges, None) == seams



@pytest.mark.skipif(not (EVAL / "train" / "multi").exists(), reason="needs ../shared/eval")
def test_the_training_joins_pages_as_the_pools_dumps_are() -> None:
    # the seam and boundary models learn where a page opens from dumps that
    # bench/common.pool_dump joins: they must be the pool's to the byte, and
    # each page's first line must stand where pool_dump says it opens
    import importlib.util

    from cleaner.read import read_input

    spec = importlib.util.spec_from_file_location("bench_common", ROOT / "bench" / "common.py")
    assert spec is not None and spec.loader is not None
    common = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(common)
    gold = common.load_gold()
    for mid, dump in common.load_multi().items():
        pages = [common.read_page(pid, gold[pid], "text") for pid in dump["sources"]]
        text, starts = common.pool_dump(pages)
        assert text.encode("utf-8") == dump["path"].read_bytes(), mid
        lines = read_input(text, input_format="text").text.split("\n")
        for start, page in zip(starts, pages):
            first = read_input(page.lstrip("\n").rstrip(), input_format="text").text.split("\n", 1)[0]
            assert lines[start - 1] == first, (mid, start)
