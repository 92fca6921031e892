"""segments/ends.py: where a text dump's article starts and ends."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

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


def _model(path: Path, outer_weight: float, intercept: float, start_intercept: float | None = None) -> str:
    """A model whose every line's probability of lying outside the article
    depends on its "outer" feature alone (its start side's intercept
    start_intercept, if given)."""
    def side(intercept: float) -> dict:  # type: ignore[type-arg]
        return {
            "intercept": intercept, "coef": [outer_weight] + [0.0] * (len(EDGE_FEATURES) - 1),
            "mean": [0.0] * len(EDGE_FEATURES), "scale": [1.0] * len(EDGE_FEATURES),
        }

    start = side(intercept if start_intercept is None else start_intercept)
    path.write_text(json.dumps({"features": list(EDGE_FEATURES), "end": side(intercept), "start": start}))
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


# A blog's list of posts as get_text("\n") writes it: under each post its stamp,
# one tag a line, with the count of its comments (different counts: a list of
# posts, not one post's comments section).
POSTS = [
    ("Save before the holidays",
     ["Most families spend far more in December than they planned, and the bills arrive in January when the "
      "lights are down and the resolutions are fresh.",
      "A simple list of every gift and its price, made before the first shop, keeps the total in view and cuts "
      "the impulse buys that add up."]),
    ("Check your credit report",
     ["Every reader can ask for a free copy of the report once a year, and an error found early costs far less "
      "to correct than one found when a loan is refused.",
      "Look for accounts you never opened and for debts listed twice; write to the bureau with copies of your "
      "statements, never the originals."]),
    ("Beware of advance fee loans",
     ["A lender who asks for money before the loan is paid out is almost always running a scam, however "
      "official the letters look.",
      "Real lenders take their fees from the loan itself, and none of them guarantees approval before reading "
      "your application."]),
    ("Pay the card with the highest rate first",
     ["Paying the minimum on every card and the rest on the one with the highest rate clears the debt sooner "
      "and costs less interest over the year.",
      "Once that card is paid off, the same payment moves to the next one, and the debt shrinks faster each "
      "month as the payments roll over."]),
]
POST_DATES = ["Tuesday December 26, 2006 |", "Friday December 22, 2006 |", "Wednesday December 20, 2006 |",
              "Monday December 18, 2006 |"]
POST_LIST = "Money matters\n\n" + "\n\n".join(
    "\n\n".join([title, *paragraphs, date, "permalink", "|", f"comments ({count})"])
    for (title, paragraphs), date, count in zip(POSTS, POST_DATES, (3, 0, 1, 0))
) + "\n"


def test_a_list_of_posts_gaps_read_as_no_page_foot() -> None:
    """The stamps between the posts of a list ("comments (3)", "comments (1)"
    ...) are not the page's foot: the gaps that hold them say nothing of where
    the article ends."""
    from cleaner.pipeline import prepare
    from cleaner.segments.ends import EdgeFeatures

    page = prepare(POST_LIST)
    texts = [b.text for b in page.blocks]
    body = [texts.index(p) for _, paragraphs in POSTS for p in paragraphs]
    rows = EdgeFeatures(page.blocks, None, page.edges).rows(body, start=False)
    gap_outer = EDGE_FEATURES.index("gap_outer")
    assert [row[gap_outer] for row in rows] == [0.0] * len(body)
    # a list of one kind of stamp with the same count each time is one post's, and read
    same = POST_LIST.replace("comments (3)", "comments (0)").replace("comments (1)", "comments (0)")
    page = prepare(same)
    texts = [b.text for b in page.blocks]
    body = [texts.index(p) for _, paragraphs in POSTS for p in paragraphs]
    rows = EdgeFeatures(page.blocks, None, page.edges).rows(body, start=False)
    assert max(row[gap_outer] for row in rows) > 0.0


def test_a_comments_link_above_the_first_paragraph_opens_no_comments() -> None:
    """A post's link to its comments in the line under its title ("3 Comments")
    stands above its first paragraph: read from the start, no comments heading
    has passed until the real one under the article."""
    from cleaner.pipeline import prepare
    from cleaner.segments.ends import EdgeFeatures

    dump = "Bus network to grow north\n\nPosted by Ann in City News.\n\n3 Comments\n\n" + "\n\n".join(
        ARTICLE + COMMENTS
    ) + "\n"
    page = prepare(dump)
    texts = [b.text for b in page.blocks]
    body = [texts.index(t) for t in ["Bus network to grow north", "Posted by Ann in City News.", "3 Comments",
                                     *ARTICLE, *COMMENTS[:3]]]
    so_far = EDGE_FEATURES.index("comments_heading_so_far")
    rows = EdgeFeatures(page.blocks, None, page.edges).rows(body, start=False)
    assert [row[so_far] for row in rows] == [0.0] * (3 + len(ARTICLE)) + [1.0] * 3
    # read from the end up, the link is a comments heading like any other
    rows = EdgeFeatures(page.blocks, None, page.edges).rows(body[:3 + len(ARTICLE)], start=True)
    assert [row[so_far] for row in rows][-4:] == [0.0, 1.0, 1.0, 1.0]
    # a heading between the body's lines, above the first paragraph, is not in its gap either
    gapped = [i for i in body if texts[i] != "3 Comments"]
    rows = EdgeFeatures(page.blocks, None, page.edges).rows(gapped, start=False)
    assert [row[EDGE_FEATURES.index("gap_comments_heading")] for row in rows][:3] == [0.0] * 3


def test_a_link_to_the_previous_post_under_the_article_ends_it() -> None:
    """Readers' comments with nothing the ends model reads as comments: under
    the article, a link to the blog's previous post ends it; above it, in the
    site's head, such a link ends nothing."""
    readers = [text for text in COMMENTS[1:-1] if len(text) > 40]  # the comments, no heading, no names
    dump = "\n\n".join(
        ["Next Post: Parking fees to rise in spring", "Bus network to grow north", *ARTICLE,
         "« Previous Post: Library hours extended", *readers]
    ) + "\n"
    document = clean(dump)
    paragraphs = [p for a in document.articles for p in a.paragraphs]
    assert all(text in paragraphs for text in ARTICLE)
    assert not any(text in paragraphs for text in readers)
    reasons = {d.text: d.reason for d in document.dropped}
    assert {reasons[text] for text in readers} == {END_REASON}


def test_an_html_article_ends_at_a_link_to_the_previous_post_too() -> None:
    paragraphs = "".join(f"<p>{text}</p>" for text in ARTICLE)
    notes = "".join(f"<p>{text}</p>" for text in COMMENTS[1:-1] if len(text) > 40)  # no region says what they are
    html = (f"<html><body><div><h1>Bus network to grow north</h1>{paragraphs}"
            f"<p>« Previous Post: Library hours extended</p>{notes}</div></body></html>")
    document = clean(html, input_format="html")
    assert [p for a in document.articles for p in a.paragraphs] == ARTICLE
    uncut = clean(html, input_format="html", config=CleanerConfig(cut_ends=False))  # turned off with the rest
    assert len([p for a in uncut.articles for p in a.paragraphs]) > len(ARTICLE)


def test_an_authors_box_heading_under_the_article_ends_it() -> None:
    """The box about the writer reads as prose like the article; its heading
    ends the article, in a text dump and on an HTML page."""
    bio = [
        "Jane Roe has covered the city council and its transport plans for the paper since 2009, and she has "
        "written two books about the region's railways and their history.",
        "She lives in the north end of the city with her family, two dogs and a bicycle she rides to every "
        "council meeting, whatever the weather is doing that day.",
    ]
    dump = "\n\n".join(["Bus network to grow north", *ARTICLE, "About the Author", *bio]) + "\n"
    paragraphs = [p for a in clean(dump).articles for p in a.paragraphs]
    assert all(text in paragraphs for text in ARTICLE) and not any(text in paragraphs for text in bio)
    body = "".join(f"<p>{text}</p>" for text in ARTICLE)
    box = "".join(f"<p>{text}</p>" for text in bio)
    html = (f"<html><body><div><h1>Bus network to grow north</h1>{body}<h3>About the author:</h3>{box}</div>"
            "</body></html>")
    assert [p for a in clean(html, input_format="html").articles for p in a.paragraphs] == ARTICLE


@pytest.mark.parametrize(
    "line", ["Über den Autor", "À propos de l’auteur", "Sobre o autor:", "Schlagwörter: Verkehr, Stadtrat",
             "Catégories : Transport", "Vorheriger Beitrag: Bibliothek länger offen", "Artículo anterior"],
)
def test_a_posts_end_line_in_another_language_ends_it(line: str) -> None:
    bio = [
        "Jane Roe has covered the city council and its transport plans for the paper since 2009, and she has "
        "written two books about the region's railways and their history.",
        "She lives in the north end of the city with her family, two dogs and a bicycle she rides to every "
        "council meeting, whatever the weather is doing that day.",
    ]
    dump = "\n\n".join(["Bus network to grow north", *ARTICLE, line, *bio]) + "\n"
    paragraphs = [p for a in clean(dump).articles for p in a.paragraphs]
    assert all(text in paragraphs for text in ARTICLE) and not any(text in paragraphs for text in bio)


def test_the_posts_topics_line_ends_it_but_a_listings_labels_do_not() -> None:
    readers = [text for text in COMMENTS[1:-1] if len(text) > 40]  # the comments, no heading, no names
    dump = "\n\n".join(
        ["Bus network to grow north", *ARTICLE, "Filed under: Transport, City council", "Tags: buses, north", *readers]
    ) + "\n"
    paragraphs = [p for a in clean(dump).articles for p in a.paragraphs]
    assert all(text in paragraphs for text in ARTICLE) and not any(text in paragraphs for text in readers)
    # a directory files each of its entries so: its labels end nothing
    entries = [
        f"{name} are a local building contractor in the valley, offering a full range of services from "
        f"extensions and loft conversions to roofing, with {n} years of experience and free quotes for every job."
        for n, name in enumerate(["Irvine Builders", "Western Works", "Crick Contractors", "Walters Group"], 10)
    ]
    listing = "\n\n".join(
        ["Construction in South Wales",
         *(line for entry in entries for line in (entry, "Categories: Builders, Roofing"))]
    ) + "\n"
    paragraphs = [p for a in clean(listing).articles for p in a.paragraphs]
    assert all(entry in paragraphs for entry in entries)


def test_a_news_storys_credit_line_is_its_last() -> None:
    others = [
        "Police are asking anyone who saw the crash on the bridge on Friday night to call the station, and they "
        "have closed the road to trucks until the barrier is repaired by the city's crews.",
        "The school board will meet again next week to choose a new principal for the north end's high school, "
        "after the last one left for a post in the capital at the end of the summer.",
    ]
    for credit in ("With files from the Canadian Press", "Jane Roe of the Town Paper contributed to this report."):
        dump = "\n\n".join(["Bus network to grow north", *ARTICLE, credit, *others]) + "\n"
        paragraphs = [p for a in clean(dump).articles for p in a.paragraphs]
        assert paragraphs[-1] == credit and all(text in paragraphs for text in ARTICLE)


def test_a_posts_footer_a_readers_prompt_and_an_authors_box_with_its_text_end_it() -> None:
    readers = [text for text in COMMENTS[1:-1] if len(text) > 40]  # the comments, no heading, no names
    for ending in (
        "This entry was posted on Monday, May 6th, 2024 at 9:10 am and is filed under Transport.",
        "If you enjoyed this article, please share it with a friend who takes the bus.",
        "About the Author: Jane Roe has covered the city council and its transport plans for the paper since 2009.",
    ):
        dump = "\n\n".join(["Bus network to grow north", *ARTICLE, ending, *readers]) + "\n"
        paragraphs = [p for a in clean(dump).articles for p in a.paragraphs]
        assert all(text in paragraphs for text in ARTICLE)
        assert ending not in paragraphs and not any(text in paragraphs for text in readers)


def test_lines_that_end_a_post_under_every_post_of_a_listing_end_nothing() -> None:
    """A blog's front page prints its footer under each post: the posts go on."""
    library = [
        "The library will open on Sundays from next month, after the council found the money for two more "
        "librarians in this year's budget, the first change to its hours in a decade.",
        "Readers asked for it in a survey last spring, and the staff say the reading rooms fill up on Saturdays "
        "already, with students from the college across the street taking most of the seats.",
        "The Sunday hours will run from noon to five, and the children's room will hold a story hour at two, "
        "read by volunteers from the schools of the north end.",
    ]
    posts = [("Bus network to grow north", ARTICLE, "Monday, May 6th"), ("Library to open on Sundays", library,
             "Friday, May 3rd"), ("Sunday hours, again", library[::-1], "Tuesday, April 30th")]
    dump = "\n\n".join(
        line for title, paragraphs, day in posts
        for line in (title, *paragraphs, f"This entry was posted on {day}, 2024 at 9:10 am and is filed under News.")
    )
    paragraphs = [p for a in clean(dump + "\n").articles for p in a.paragraphs]
    assert all(text in paragraphs for text in ARTICLE + library)


def test_html_pages_have_an_ends_model_of_their_own(tmp_path: Path) -> None:
    page = "<html><body><div>" + "".join(f"<p>{line}</p>" for line in ARTICLE) + "</div></body></html>"
    # every line past the end, none before the start: the article keeps its first line
    cutting = _model(tmp_path / "ends.json", outer_weight=0.0, intercept=4.0, start_intercept=-4.0)
    whole = clean(page, input_format="html")
    assert [p for a in whole.articles for p in a.paragraphs] == ARTICLE
    cut = clean(page, config=CleanerConfig(html_ends_model=cutting), input_format="html")
    assert [p for a in cut.articles for p in a.paragraphs] == ARTICLE[:1]
    assert {d.text: d.reason for d in cut.dropped}[ARTICLE[1]] == END_REASON
    # the text dumps' model is not asked on an HTML page, nor the HTML one on a text dump
    assert clean(page, config=CleanerConfig(ends_model=cutting), input_format="html").articles == whole.articles
    text = "\n\n".join(ARTICLE) + "\n"
    assert clean(text, config=CleanerConfig(html_ends_model=cutting)).articles == clean(text).articles
