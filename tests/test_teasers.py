"""segments/teasers.py: a later article that is a list of other stories leaves the page."""

from __future__ import annotations

from cleaner.model import Block
from cleaner.segments.runs import Span
from cleaner.segments.teasers import TEASER_REASON, cut_teaser_tails, drop_teaser_lists

ARTICLE = [
    "The city council voted on Monday to rebuild the old harbour bridge, ending a debate that has lasted for "
    "almost a decade. The vote was 31 to 9.",
    "Engineers have warned for years that the bridge is no longer safe for heavy trucks. Its load limit was cut "
    "twice since 2015.",
]
TEASERS = [
    "Inquest report urges more help for sexually exploited teens",
    "An inquest report released Thursday into the suicide of a 14-year-old girl calls for more help for teens.",
    "Winnipeg hotelier eager to dive into water park proposal",
    "A committee at City Hall has approved a plan to use $7 million to build an indoor water park downtown.",
    "Manitoba school officials eye use of vans involved in deadly crash",
    "A highway accident that claimed eight lives in New Brunswick is prompting officials to look at their vans.",
]
# the same lines, each summary two sentences: paragraphs under sub-headings, not teasers
SECTIONS = [line if k % 2 == 0 else line + " Officials said more details would follow next week."
            for k, line in enumerate(TEASERS)]


def _page(*parts: list[str]) -> tuple[list[Block], list[Span]]:
    blocks: list[Block] = []
    spans = []
    for part in parts:
        first = len(blocks)
        blocks += [Block(index=first + k, text=text, line=first + k + 1) for k, text in enumerate(part)]
        spans.append(Span(list(range(first + 1, len(blocks)))))  # its first line: the title
    return blocks, spans


def test_a_second_article_of_teasers_leaves_the_page() -> None:
    blocks, spans = _page(["Council to rebuild the harbour bridge", *ARTICLE], TEASERS)
    assert drop_teaser_lists(spans, blocks, ()) == spans[:1]
    assert {blocks[i].reason for i in spans[1].body} == {TEASER_REASON}
    assert not any(blocks[i].reason for i in spans[0].body)


def test_a_list_of_teasers_first_on_its_page_is_kept() -> None:
    blocks, spans = _page(TEASERS, ["Council to rebuild the harbour bridge", *ARTICLE])
    assert drop_teaser_lists(spans, blocks, ()) == spans  # an index page's list is its content
    # a dump of two pages: the second page's first article is kept too, a later one is not
    blocks, spans = _page(["Council to rebuild the harbour bridge", *ARTICLE], TEASERS, TEASERS)
    assert drop_teaser_lists(spans, blocks, (spans[1].start - 1,)) == spans[:2]


def test_sections_of_an_article_are_not_teasers() -> None:
    blocks, spans = _page(["Council to rebuild the harbour bridge", *ARTICLE], SECTIONS)
    assert drop_teaser_lists(spans, blocks, ()) == spans


def test_group_segments_leaves_the_teasers_out() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.segments import group_segments

    texts = ["Council to rebuild the harbour bridge", *ARTICLE * 3, "More headlines", *TEASERS]

    def page() -> list[Block]:
        return [Block(index=i, text=t, line=i + 1, content_score=0.9, group=i) for i, t in enumerate(texts)]

    def split_at_more(gap) -> bool:  # type: ignore[no-untyped-def]
        return texts[gap.start] in ("More headlines", TEASERS[0])  # the boundary model opens an article there

    config = CleanerConfig(cut_ends=False)
    (article,) = group_segments(page(), config, boundary=split_at_more)[0]
    assert article.paragraphs == ARTICLE * 3
    (article,) = group_segments(page(), config, boundary=split_at_more, html=True)[0]  # an HTML page's too
    assert article.paragraphs == ARTICLE * 3


def test_an_html_articles_tail_of_linked_teasers_leaves_it() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.segments import group_segments

    def page(article: list[str], headlines_linked: bool = True) -> list[Block]:
        texts = ["Council to rebuild the harbour bridge", *article, "City headlines", *TEASERS]
        return [
            Block(index=i, text=t, line=i + 1, content_score=0.9, group=i, tag="p",
                  link_ratio=1.0 if headlines_linked and t in TEASERS[::2] else 0.0)
            for i, t in enumerate(texts)
        ]

    (article,) = group_segments(page(ARTICLE * 3), CleanerConfig(), html=True)[0]
    assert article.paragraphs == ARTICLE * 3  # the list and its label ("City headlines") leave it
    # headlines that are no links: sub-headings of the article's own sections
    (article,) = group_segments(page(ARTICLE * 3, headlines_linked=False), CleanerConfig(), html=True)[0]
    assert article.paragraphs[-1] == TEASERS[-1]
    # a post that is mostly such a list (a week's round-up under a paragraph) keeps it
    (article,) = group_segments(page(ARTICLE[:1]), CleanerConfig(), html=True)[0]
    assert article.paragraphs[-1] == TEASERS[-1]


def test_a_text_dumps_article_ends_above_a_tail_of_teasers_but_not_above_games_results() -> None:
    # a text dump says nothing of links: any headline over its summary, under an article that outweighs them
    blocks, (span,) = _page(["Council to rebuild the harbour bridge", *ARTICLE * 3, "More headlines", *TEASERS])
    cut_teaser_tails([span], blocks, html=False)
    assert [blocks[i].text for i in span.body] == ARTICLE * 3  # the list and its label leave it
    assert {b.reason for b in blocks[-6:]} == {TEASER_REASON}
    # a round-up of the night's games: each result over its sentence is the article's, not a teaser
    games = [line for n in range(3) for line in (
        f"Flyers {n + 4} Capitals {n}", f"At Washington, Mike Knuble had his {n + 1}th two-goal game of the season, and won.",
    )]
    blocks, (span,) = _page(["Council to rebuild the harbour bridge", *ARTICLE * 3, *games])
    body = list(span.body)
    cut_teaser_tails([span], blocks, html=False)
    assert span.body == body


def test_a_later_article_of_teasers_leaves_whole_before_any_tail_is_cut() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.segments import group_segments

    # a second "article": a site's blurb, then a list of teasers that is most of it (the blurb outweighs
    # the list's last three pairs: cut first, that tail would leave and the rest read as an article)
    blurb = [
        "Sign up for our newsletter and get the day's top stories from the city in your inbox every morning, "
        "with the weather, the traffic and the scores, and a look at what the council will decide next week.",
        "It is free, it takes a minute, and you can leave it whenever you like from the link at its foot, or "
        "write to our editors with a tip, a correction or a story that you think our reporters should follow.",
        "Our newsroom reads every letter and answers as many as it can.",
    ]
    texts = ["Council to rebuild the harbour bridge", *ARTICLE * 3, "More headlines", *blurb, *TEASERS * 3]

    def page() -> list[Block]:
        return [Block(index=i, text=t, line=i + 1, content_score=0.9, group=i) for i, t in enumerate(texts)]

    def split_at_more(gap) -> bool:  # type: ignore[no-untyped-def]
        return texts[gap.start] in ("More headlines", blurb[0])  # the boundary model opens an article there

    blocks = page()
    (article,) = group_segments(blocks, CleanerConfig(cut_ends=False), boundary=split_at_more)[0]
    assert article.paragraphs == ARTICLE * 3
    # with the ends asked for (the tails cut), the list still leaves whole, blurb and all
    blocks = page()
    articles = group_segments(blocks, CleanerConfig(), boundary=split_at_more)[0]
    assert all(line not in a.paragraphs for a in articles for line in blurb)


def test_a_tail_cut_under_nothing_but_labels_keeps_a_line() -> None:
    # the body above the teasers is short labels only (each would leave a body's end): one is kept
    labels = [f"Section {n} of the city guide" for n in range(16)]
    blocks, (span,) = _page(["Council to rebuild the harbour bridge", *labels, *TEASERS])
    cut_teaser_tails([span], blocks, html=False)
    assert [blocks[i].text for i in span.body] == labels[:1]


# stories listed by their excerpts: each opening cut short by an ellipsis, as a "Breaking news" ticker prints them
EXCERPTS = [
    "Inquest report urges more help for sexually exploited teens",
    "WINNIPEG: An inquest report released Thursday into the suicide of a 14-year-old girl calls for more help. "
    "Her family said the province had failed her and...",
    "Winnipeg hotelier eager to dive into water park proposal",
    "WINNIPEG: A committee at City Hall has approved a plan to use $7 million to build an indoor water park, "
    "and its owner, 41,...",
    "Manitoba school officials eye use of vans involved in deadly crash",
    "MONCTON: A highway accident that claimed eight lives in New Brunswick is prompting officials to look at…",
]


def _excerpt_page(texts: list[str], links: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """texts as an HTML page's blocks, each scored as prose; links: a block's Markdown with its links."""
    blocks = []
    for i, text in enumerate(texts):
        block = Block(index=i, text=text, line=i + 1, content_score=0.9, group=i, tag="p")
        if links and text in links:
            block.link_ratio = 0.4
            block.markdown_links = links[text]
        blocks.append(block)
    return blocks


def test_a_list_of_excerpts_leaves_the_article_above_its_text() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.segments import group_segments

    title = "Council to rebuild the harbour bridge"
    for html in (False, True):
        blocks = _excerpt_page(["Breaking news", *EXCERPTS, title, *ARTICLE])
        (article,) = group_segments(blocks, CleanerConfig(), html=html)[0]
        assert article.paragraphs == [title, *ARTICLE] or article.paragraphs == ARTICLE
        assert {b.reason for b in blocks if b.text in EXCERPTS} == {TEASER_REASON}
    # two such stories are no list; nor are headlines over summaries that end as sentences do
    for texts in (EXCERPTS[:4], TEASERS):
        blocks = _excerpt_page([*texts, title, *ARTICLE])
        (article,) = group_segments(blocks, CleanerConfig(), html=True)[0]
        assert set(texts[1::2]) <= set(article.paragraphs)
        assert not any(b.reason == TEASER_REASON for b in blocks)


def test_an_html_tickers_items_are_each_a_linked_headline_and_its_excerpt() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.segments import group_segments

    items = [f"{EXCERPTS[k]} {EXCERPTS[k + 1]}" for k in range(0, 6, 2)]
    links = {item: f"- [{EXCERPTS[k]}](https://example.com/{k}) {EXCERPTS[k + 1]}" for k, item in zip((0, 2, 4), items)}
    blocks = _excerpt_page([*items, "Council to rebuild the harbour bridge", *ARTICLE], links)
    (article,) = group_segments(blocks, CleanerConfig(), html=True)[0]
    assert not set(items) & set(article.paragraphs)
    assert article.paragraphs[-2:] == ARTICLE
    # a text dump says nothing of where the headline ends: its lines are kept
    blocks = _excerpt_page([*items, "Council to rebuild the harbour bridge", *ARTICLE])
    (article,) = group_segments(blocks, CleanerConfig(), html=False)[0]
    assert article.paragraphs[:3] == items


def test_a_page_that_is_only_a_list_of_excerpts_keeps_it() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.segments import group_segments

    blocks = _excerpt_page(EXCERPTS * 2)
    (article,) = group_segments(blocks, CleanerConfig(cut_ends=False), html=True)[0]
    assert len(article.paragraphs) >= 6
