"""Stage 5, through clean(): titles, captions, article splits, metadata and dropped lines.

group_segments() needs scored blocks, so each case is a small hand-written dump
cleaned end to end; the paragraphs are realistic prose so the line model scores
them as article text.
"""

from __future__ import annotations

import pytest

from cleaner import CleanerConfig, clean
from cleaner.model import Document

MENU = ["Skip to content", "Home", "News", "Sport", "Weather"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "© 2024 City News"]
HEADLINE = "City council approves plan to rebuild the old harbour bridge"
BRIDGE = [
    "The city council voted on Monday to rebuild the old harbour bridge, ending a debate that has lasted "
    "for almost a decade. The vote was 31 to 9, with most of the opposition coming from members who "
    "wanted a tunnel instead.",
    "Engineers have warned for years that the bridge, which opened in 1958, is no longer safe for heavy "
    "trucks. Its load limit was cut twice since 2015, and buses have been sent on a longer route around "
    "the bay.",
    "The new bridge will have four lanes for cars, a separate lane for buses and a wide path for people "
    "on foot and on bikes. Work is due to start next spring and should take about three years.",
    "The mayor said the city would pay for most of the work with a loan from the regional development "
    "bank. She told reporters that the loan would be paid back over thirty years and that local taxes "
    "would not rise because of it.",
    "Shop owners near the harbour welcomed the decision but asked the council to keep at least one lane "
    "open during the works. Many of them said they had lost customers since the buses stopped crossing "
    "the bridge.",
    "Environmental groups said they would study the plans closely, because the harbour is home to a "
    "colony of seabirds. A spokesman for one group said the council had promised to schedule the "
    "loudest work outside the nesting season.",
    "The council will publish the full design in the coming weeks and hold three public meetings before "
    "the end of the year. Residents will be able to send written comments until the last of those "
    "meetings.",
]
STORM = [
    "The national weather service warned on Tuesday that a strong storm would reach the northern coast "
    "by the weekend. Forecasters said winds could reach 120 kilometres an hour in the most exposed places.",
    "Schools in three coastal districts will close on Friday as a precaution, the education ministry "
    "said. Parents were asked to keep children at home and to follow the advice of local officials.",
    "Ferry companies cancelled all crossings planned for Saturday and said they would refund tickets in "
    "full. Airlines said they were watching the forecasts and might move some flights to Sunday evening.",
    "Farmers in the lowlands were moving cattle to higher ground after the river rose by more than a "
    "metre in two days. Some of them said the water was already higher than during the floods of last "
    "winter.",
    "The interior minister said rescue teams and army trucks had been sent to the region ahead of the "
    "storm. He urged people living near the rivers to prepare a bag with documents, medicine and water.",
    "Power companies said they had extra crews ready to repair lines that might be brought down by "
    "falling trees. They asked customers to report cuts by phone rather than through the website, which "
    "may be slow.",
    "The storm is expected to weaken as it moves inland on Sunday, but heavy rain could continue into "
    "next week. Officials said they would give another update on Thursday morning.",
]
CAPTION = "Workers inspect the old harbour bridge in the city on Monday, March 11, 2024. (AP Photo/Jane Smith)"


def dump(*head: str, body: list[str]) -> str:
    """Menu lines, then the head lines, the body (blank lines between paragraphs), then the footer."""
    return "\n".join(MENU) + "\n\n" + "\n\n".join([*head, *body]) + "\n\n" + "\n".join(FOOTER) + "\n"


def cleaned(text: str) -> Document:
    return clean(text, source="test.txt")


def test_headline_printed_three_times_is_the_title_once() -> None:
    document = cleaned(dump(HEADLINE, HEADLINE, HEADLINE, body=BRIDGE))
    [article] = document.articles
    assert article.title == HEADLINE
    assert HEADLINE not in article.paragraphs
    assert article.paragraphs[: len(BRIDGE)] == BRIDGE


def test_a_photos_caption_between_the_date_and_the_body_is_not_the_headline() -> None:
    # a caption with no credit: headline-shaped, nearer the body and next to the date,
    # which the title model weighs against the words the headline shares with the body
    caption = "Workers inspect the old harbour bridge in the city centre on Monday morning"
    document = cleaned(dump("Example Times", "Home | News | Sport", HEADLINE, "By Jane Smith", "March 11, 2024",
                            caption, body=BRIDGE))
    assert document.articles[0].title == HEADLINE


def test_a_lone_short_line_above_a_clean_text_is_its_headline() -> None:
    # nothing else above it: no menu it could be, whatever the model learned from busy pages
    [article] = clean("Bridge approved\n\n" + "\n\n".join(BRIDGE)).articles
    assert article.title == "Bridge approved"
    assert article.paragraphs == BRIDGE


def test_caption_printed_twice_is_listed_once_and_not_a_paragraph() -> None:
    document = cleaned(dump(HEADLINE, body=BRIDGE[:3] + [CAPTION, CAPTION] + BRIDGE[3:]))
    [article] = document.articles
    assert article.captions == [CAPTION]
    assert CAPTION not in article.paragraphs
    assert article.paragraphs[: len(BRIDGE)] == BRIDGE


def test_two_agency_stories_give_two_articles() -> None:
    first = ["BRUSSELS (AP) — " + BRIDGE[0], *BRIDGE[1:]]
    second = ["OSLO (AP) — " + STORM[0], *STORM[1:]]
    document = cleaned(dump(HEADLINE, body=first + second))
    assert [(a.title, a.dateline, a.paragraphs[: len(BRIDGE)]) for a in document.articles] == [
        (HEADLINE, "BRUSSELS (AP)", first),
        (None, "OSLO (AP)", second),
    ]


def test_key_points_above_the_articles_own_dateline_are_one_article() -> None:
    points = [f"KEY POINTS {n}: " + BRIDGE[n] for n in range(2)]
    body = ["BRUSSELS (AP) — " + BRIDGE[0], *BRIDGE[1:]]
    assert sum(map(len, points)) >= CleanerConfig().min_article_chars  # a story's worth, were it one
    [article] = cleaned(dump(HEADLINE, body=points + body)).articles
    assert article.paragraphs[: len(points) + len(body)] == points + body


def test_a_list_item_that_reads_like_a_dateline_opens_no_story() -> None:
    screenings = ["Austin, TX – The Alamo Drafthouse (Tickets)", "Dallas, TX – Landmark Inwood (Tickets)"]
    [article] = cleaned(dump(HEADLINE, body=BRIDGE + STORM + screenings)).articles
    assert article.paragraphs[: len(BRIDGE) + len(STORM)] == BRIDGE + STORM


def test_menu_only_dump_gives_no_article() -> None:
    text = "\n".join(MENU + ["Login", "Register", "Search", "Most read", "Video"] + FOOTER) + "\n"
    document = cleaned(text)
    assert document.articles == []
    assert len(document.dropped) == len(text.splitlines())


def test_byline_line_becomes_the_byline() -> None:
    document = cleaned(dump(HEADLINE, "By Jane Doe", body=BRIDGE))
    [article] = document.articles
    assert article.byline == "By Jane Doe"
    assert "By Jane Doe" not in article.paragraphs


def test_date_line_becomes_published_in_iso() -> None:
    document = cleaned(dump(HEADLINE, "Published 12 March 2024, 10:05 AM", body=BRIDGE))
    [article] = document.articles
    assert (article.published, article.updated) == ("2024-03-12T10:05", None)


def test_every_paragraph_is_a_line_of_the_input() -> None:
    text = dump(HEADLINE, HEADLINE, "By Jane Doe", "12 March 2024", body=BRIDGE[:4] + [CAPTION, CAPTION] + BRIDGE[4:])
    input_lines = set(text.splitlines())
    document = cleaned(text)
    paragraphs = [p for a in document.articles for p in a.paragraphs]
    assert paragraphs
    assert all(p in input_lines for p in paragraphs)


def test_dropped_lines_carry_line_numbers_reasons_and_originals() -> None:
    text = dump(HEADLINE, HEADLINE, HEADLINE, body=BRIDGE[:3] + [CAPTION, CAPTION] + BRIDGE[3:])
    lines = text.split("\n")
    document = cleaned(text)
    assert document.dropped
    for dropped in document.dropped:
        assert lines[dropped.line - 1] == dropped.text
        assert dropped.reason
    duplicates = [d for d in document.dropped if d.duplicate_of is not None]
    assert CAPTION in [d.text for d in duplicates]
    for dropped in duplicates:
        assert dropped.duplicate_of is not None
        assert dropped.duplicate_of < dropped.line
        assert lines[dropped.duplicate_of - 1] == dropped.text
        assert dropped.score == 100.0


def test_html_short_unlinked_lines_make_a_body_and_short_links_do_not() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import group_segments
    from cleaner.segments.boundary import Gap

    def page(link_ratio: float) -> list[Block]:
        lines = [f"Round {n}: {n + 9} March at the city circuit, north of the bay" for n in range(1, 13)]
        return [
            Block(index=i, text=text, line=i + 1, tag="p", link_ratio=link_ratio, content_score=0.9, group=i)
            for i, text in enumerate(lines)
        ]

    strict = CleanerConfig(fallback_any_text=False)  # no last resort: what makes a body
    articles, _ = group_segments(page(0.0), strict)
    assert len(articles) == 1 and articles[0].paragraphs[-1].startswith("Round 12:")  # (Round 1 is its title)
    assert group_segments(page(1.0), strict)[0] == []
    text_dump = [Block(index=b.index, text=b.text, line=b.line, content_score=0.9, group=b.index) for b in page(0.0)]
    assert group_segments(text_dump, strict)[0] == []  # a text dump has no markup to say so
    # by default a page with nothing else keeps its likeliest run, a list of links though it is
    (article,) = group_segments(page(1.0), CleanerConfig())[0]
    assert article.paragraphs[-1].startswith("Round 12:")


def test_html_article_ending_in_a_list_takes_the_rest_of_the_list() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import group_segments

    story = [(f"{line} It was the {n}th paragraph of the post, with a sentence or two more.", "p", 0.9, (1, 0))
             for n, line in enumerate(BRIDGE)]
    items = [  # a post that ends in a list of links with a word on each: its items score low one by one
        ("Calling all germs: how dirty is your phone, really? A study asks.", "li", 0.9, (2, 1)),
        ("Dog debarking policy raises howls of protest", "li", 0.3, (2, 1)),
        ("Mexico's 800 clowns meet in the capital", "li", 0.2, (2, 1)),
    ]
    other = [("Most read: the week's ten stories", "li", 0.3, (3, 0)), ("Copyright 2024 The Paper", "p", 0.05, (0, -1))]
    blocks = [
        Block(index=i, text=text, line=i + 1, tag=tag, content_score=score, group=i, parents=parents)
        for i, (text, tag, score, parents) in enumerate(story + items + other)
    ]
    (article,) = group_segments(blocks, CleanerConfig(cut_ends=False), html=True)[0]  # the lists alone
    assert article.paragraphs[-3:] == [text for text, *_ in items]  # the list's own items, and no other's
    assert "Most read" not in " ".join(article.paragraphs)


def test_a_page_with_no_article_looks_again_at_lower_scores_for_one_of_sentences() -> None:
    from dataclasses import replace

    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import group_segments

    menu = ["Home", "News", "Sport", "Weather", "Contact us"]
    short_story = BRIDGE[:2]  # a short article: its lines score below content_min_score (0.3 here)
    headlines = [f"Council news number {n} from the week in the city" for n in range(6)]  # no sentences

    def page(story_lines: list[str]) -> list[Block]:
        texts = menu + story_lines + menu[:2]
        scores = [0.05] * len(menu) + [0.3] * len(story_lines) + [0.05, 0.05]
        return [Block(index=i, text=t, line=i + 1, content_score=c, group=i) for i, (t, c) in enumerate(zip(texts, scores))]

    articles, _ = group_segments(page(short_story), CleanerConfig())
    assert [a.paragraphs for a in articles] == [short_story]
    strict = CleanerConfig(fallback_any_text=False)  # no last resort
    assert group_segments(page(short_story), replace(strict, text_fallback_min_score=0.45))[0] == []  # turned off
    # a text dump's floor is its own: scores of 0.2 are taken on a text dump, not on an HTML page
    low = page(short_story)
    for block in low:
        block.content_score = 0.2 if block.content_score > 0.25 else block.content_score
    assert [a.paragraphs for a in group_segments(low, strict)[0]] == [short_story]
    assert group_segments(low, strict, html=True)[0] == []
    assert group_segments(page(headlines), strict)[0] == []  # a list of headlines is no article...
    (only,) = group_segments(page(headlines), CleanerConfig())[0]  # ...but what a page has if nothing else
    assert only.paragraphs[-1] == headlines[-1] and "Home" not in only.paragraphs


def test_a_paragraph_the_page_s_source_broke_into_short_lines_is_an_article() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import group_segments

    # get_text keeps the line breaks of the page's source: no line reaches
    # min_longest_line_chars, but the lines carry on each other's sentences
    story = [
        "In 1194, Richard I of England took the Cross of St. George as the standard of",
        "England, and this remained the national flag until the union with Scotland. In",
        "1603 King James VI of Scotland became James I of England, and the first flag",
        "of the union was formed in 1606 by the addition of the Cross of St. Andrew, which",
        "formed the background of the new flag. The name came from the king himself,",
        "whose name is Jacobus in Latin. Then in 1801 the more familiar flag was made",
    ]
    items = [f"o Story number {n}: the council's week in the city, in short..." for n in range(6)]  # a list
    menu = [f"Archive {n}" for n in range(45)]
    about = ["About the society: we are a group of local historians who meet every month to talk about the "
             "flags, coats of arms and seals of the county.", "Write to us at the hall."]

    def page(first: list[str]) -> list[Block]:
        texts = first + menu + about
        scores = [0.9] * len(first) + [0.02] * len(menu) + [0.9] * len(about)
        return [Block(index=i, text=t, line=i + 1, content_score=c, group=i) for i, (t, c) in enumerate(zip(texts, scores))]

    (article,) = group_segments(page(story), CleanerConfig())[0]
    assert [article.title, *article.paragraphs] == story  # not the about box, the one line long enough
    articles, _ = group_segments(page(items), CleanerConfig())
    assert [a.paragraphs for a in articles] == [about]  # a list's items open with a bullet or a capital


def test_a_text_dump_with_no_run_keeps_its_likeliest_paragraph() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import group_segments

    # a short post under a long page of menus and archives: its one paragraph
    # scores below every floor, and nothing else reads as text
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] + [f"Archive {month}" for month in range(1, 13)]
    texts = menu + ["Nurses find two of the unit's cars broken into", BRIDGE[0], "Share", "Back"]
    scores = [0.02] * len(menu) + [0.02, 0.1, 0.02, 0.02]

    def page(html: bool) -> list[Block]:
        return [
            Block(index=i, text=t, line=i + 1, content_score=c, group=i, tag="p" if html else "")
            for i, (t, c) in enumerate(zip(texts, scores))
        ]

    (article,) = group_segments(page(False), CleanerConfig())[0]
    assert article.paragraphs == [BRIDGE[0]]
    assert group_segments(page(False), CleanerConfig(fallback_any_text=False))[0] == []  # no last resort
    # an HTML page has no likeliest-paragraph rule: scored low all over, it reads its runs again at half
    # its best line's score (fallback_relative_share), and with that turned off it gives nothing
    (article,) = group_segments(page(True), CleanerConfig(), html=True)[0]
    assert article.paragraphs == [BRIDGE[0]]
    assert group_segments(page(True), CleanerConfig(fallback_relative_share=0.0), html=True)[0] == []
    # a page of short lines only has no paragraph to keep
    texts[len(menu) + 1] = "Back to the top of the page"
    assert group_segments(page(False), CleanerConfig())[0] == []


def test_an_html_page_scored_low_all_over_keeps_its_likeliest_run() -> None:
    """A page unlike those the model learned from (a list of house ads) scores
    low everywhere: no line reaches fallback_min_score, and the page's text
    is still where its likeliest lines are (at least fallback_relative_share
    of the best line's score); its menus, scored lower still, stay out."""
    from dataclasses import replace

    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import group_segments

    menu = ["Home", "Listings", "Agents", "Contact us"]
    ads = [
        "Completely private waterfront home on a one acre lot at the end of a quiet road. Three bedrooms, two baths.",
        "Beautiful long western views from this year round cottage on the lake. Open plan, new roof, deep water dock.",
        "Just fifteen minutes from town: a year-round waterfront showplace with a boat house and a guest cottage.",
    ]
    texts = menu + ads + menu[:2]
    scores = [0.03] * len(menu) + [0.18, 0.15, 0.16] + [0.03, 0.03]
    blocks = [
        Block(index=i, text=t, line=i + 1, content_score=c, group=i, tag="p")
        for i, (t, c) in enumerate(zip(texts, scores))
    ]
    config = CleanerConfig()
    assert max(scores) < config.fallback_min_score
    (article,) = group_segments(blocks, config, html=True)[0]
    assert article.paragraphs == ads
    assert group_segments(blocks, replace(config, fallback_relative_share=0.0), html=True)[0] == []
    # only the lines near the best count: at a share of 0.95 (0.171) the first ad alone, too short for a body
    assert len(ads[0]) < config.min_body_chars
    assert group_segments(blocks, replace(config, fallback_relative_share=0.95), html=True)[0] == []


def test_an_html_page_with_no_article_looks_outside_its_comment_regions_first() -> None:
    """A short post scored low beside a comment form whose notices score
    higher (a model that saw no page of the site): the page gives no article,
    and the fallback reads the page outside the regions its markup names as
    comments before it reads them. Without such regions the form is the
    likeliest run."""
    from dataclasses import replace

    from cleaner.config import CleanerConfig
    from cleaner.model import Block, Landmark
    from cleaner.segments import group_segments

    post = [
        "Sports balls, disco balls and meatballs are all here in this short film. There is no plot to follow.",
        "It is just a treat for your eyes, two minutes long, and it was made by two friends in their kitchen.",
    ]
    form = [
        "Hello! You need to sign in to comment. Please be courteous and see our comment policy.",
        "New here or have not signed in before since the new version? Register an account today!",
        "Already registered? Sign in to your existing account, or sign in with your email address.",
    ]
    texts = ["Home", "Ball", *post, *form, "About us"]
    scores = [0.01, 0.04, 0.10, 0.09, 0.38, 0.39, 0.35, 0.01]
    comments = Landmark.ARTICLE | Landmark.COMMENTS | Landmark.FORM

    def page(regions: bool) -> list[Block]:
        return [
            Block(
                index=i, text=t, line=i + 1, content_score=c, group=i, tag="p",
                landmarks=comments if regions and t in form else Landmark.ARTICLE,
            )
            for i, (t, c) in enumerate(zip(texts, scores))
        ]

    config = CleanerConfig()
    assert max(scores) < config.content_min_score
    (article,) = group_segments(page(True), config, html=True)[0]
    assert article.paragraphs == post
    (article,) = group_segments(page(False), config, html=True)[0]
    assert article.paragraphs == form
    # with no last resort the post, below fallback_min_score, cannot be kept: the form, at it, is
    (article,) = group_segments(page(True), replace(config, fallback_any_text=False), html=True)[0]
    assert article.paragraphs == form
    # --comments: the comment regions are content, read as any other text
    (article,) = group_segments(page(True), replace(config, keep_comments=True), html=True)[0]
    assert article.paragraphs == form


def test_two_pages_of_one_site_strung_together_give_two_articles() -> None:
    # a scrape of two pages: each page's template (menu, footer) printed again around the second article
    first = dump(HEADLINE, body=BRIDGE)
    second = dump("Storm to reach the northern coast by the weekend", body=STORM)
    document = cleaned(first + "\n" + second)
    assert [a.paragraphs[: len(BRIDGE)] for a in document.articles] == [BRIDGE, STORM]


def test_where_two_runs_are_two_articles_is_the_boundary_model_s_call() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.classify import score_blocks
    from cleaner.config import CleanerConfig
    from cleaner.dedupe import mark_duplicates
    from cleaner.read import read_input
    from cleaner.segments import group_segments
    from cleaner.segments.boundary import Gap

    config = CleanerConfig()
    text = dump(HEADLINE, body=BRIDGE) + "\n" + dump("Storm to reach the northern coast", body=STORM)
    asked: list[tuple[int, int]] = []

    def never(gap: Gap) -> bool:
        asked.append((gap.end, gap.start))
        return False

    blocks = score_blocks(mark_duplicates(split_blocks(read_input(text), config)[0], config), config)
    texts = [b.text for b in blocks]
    last, first = texts.index(BRIDGE[-1]), texts.index(STORM[0])

    def between_stories(gap: Gap) -> bool:  # the second story's headline or first paragraph starts a page
        return last <= gap.end and first - 1 <= gap.start <= first

    articles, _ = group_segments(blocks, config, boundary=never)
    assert len(articles) == 1
    # asked about the gap between the first story's last paragraph and the second's first
    assert any(last <= end < start <= first for end, start in asked)
    blocks = score_blocks(mark_duplicates(split_blocks(read_input(text), config)[0], config), config)
    articles, _ = group_segments(blocks, config, boundary=between_stories)
    assert [a.paragraphs[: len(BRIDGE)] for a in articles] == [BRIDGE, STORM]


def test_a_short_later_article_with_no_headline_or_date_joins_the_one_before() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.classify import score_blocks
    from cleaner.config import CleanerConfig
    from cleaner.dedupe import mark_duplicates
    from cleaner.read import read_input
    from cleaner.segments import group_segments
    from cleaner.segments.boundary import Gap

    tail = STORM[:3]  # more than min_article_chars, less than untitled_article_min_chars
    config = CleanerConfig()
    assert config.min_article_chars <= len(" ".join(tail)) < config.untitled_article_min_chars

    def articles_with(config: CleanerConfig, text: str = dump(HEADLINE, body=BRIDGE + tail)) -> list[list[str]]:
        blocks = score_blocks(mark_duplicates(split_blocks(read_input(text), config)[0], config), config)
        first = [b.text for b in blocks].index(tail[0])

        def before_tail(gap: Gap) -> bool:
            return gap.start == first

        return [a.paragraphs for a in group_segments(blocks, config, boundary=before_tail)[0]]

    assert [p[-len(tail):] for p in articles_with(config)] == [tail]  # one article, the tail its end
    assert [p[:len(tail)] for p in articles_with(CleanerConfig(untitled_article_min_chars=0))][1:] == [tail]
    # one signed by its own byline is an article of its own
    signed = articles_with(config, dump(HEADLINE, body=[*BRIDGE, "By Jane Doe", *tail]))
    assert [p[:len(tail)] for p in signed][1:] == [tail]


def test_a_copyright_notice_after_an_article_ends_its_body_run_in_a_text_dump() -> None:
    # a page's foot: in a dump of pages strung together the next page's head and
    # article follow it, and the lines between are a gap the boundary model reads,
    # not lines filled into the article above
    from cleaner.config import CleanerConfig
    from cleaner.model import Block, BlockKind
    from cleaner.segments import group_segments
    from cleaner.segments.boundary import Gap

    config = CleanerConfig()
    notice = "Copyright © 2024 City News Ltd. All rights reserved."
    heads = ["Advanced Search | Publish Your Content", "Find » Society » Weather"]

    def page(first: list[str]) -> list[Block]:
        texts = [*first, notice, *heads, *STORM]
        blocks = [Block(index=i, text=t, line=i + 1, content_score=0.9, group=i) for i, t in enumerate(texts)]
        blocks[len(first)].kind, blocks[len(first)].content_score = BlockKind.NOTICE, 0.5
        for block in blocks[len(first) + 1: len(first) + 3]:  # middling: filled in when inside a run
            block.content_score = (config.content_inside_min_score + config.content_min_score) / 2
        return blocks

    for html in (False, True):
        asked: list[Gap] = []
        blocks = page(BRIDGE)
        (article,) = group_segments(blocks, config, html=html, boundary=lambda gap: asked.append(gap) or False)[0]
        last, first = len(BRIDGE) - 1, len(BRIDGE) + 3
        if html:  # one page: its notices are left to its markup
            assert article.paragraphs == [*BRIDGE, *heads, *STORM]
        else:
            assert article.paragraphs == [*BRIDGE, *STORM]
            assert any((gap.end, gap.start) == (last, first) for gap in asked)
    # a notice above less than an article's worth of text is no page's foot (a sidebar's)
    short = ["Weather warnings for the coast this week."]
    assert sum(map(len, short)) < config.min_article_chars
    (article,) = group_segments(page(short), config, boundary=lambda gap: False)[0]
    assert article.paragraphs == [*short, *heads, *STORM]


def test_a_page_start_right_after_the_last_line_of_another_page_is_asked_about() -> None:
    # two pages of different sites with nothing between them: no template repeats, no gap
    from cleaner.blocks import split_blocks
    from cleaner.classify import score_blocks
    from cleaner.config import CleanerConfig
    from cleaner.dedupe import mark_duplicates
    from cleaner.read import read_input
    from cleaner.segments import group_segments
    from cleaner.segments.boundary import COHESION_WINDOWS, Gap, GapFeatures

    config = CleanerConfig()
    text = "\n\n".join(BRIDGE + STORM) + "\n"
    blocks = score_blocks(mark_duplicates(split_blocks(read_input(text), config)[0], config), config)
    texts = [b.text for b in blocks]
    last, first = texts.index(BRIDGE[-1]), texts.index(STORM[0])
    features = GapFeatures(blocks)
    overlap: dict[tuple[int, int], float] = {}

    def record(gap: Gap) -> bool:
        overlap[gap.end, gap.start] = features.cohesion(gap, COHESION_WINDOWS[1])
        return False

    group_segments(blocks, config, boundary=record)
    assert (last, first) in overlap
    # the two stories share fewer words across their seam than the bridge story's own lines do
    inside = [v for (end, start), v in overlap.items() if start <= last]
    assert inside and overlap[last, first] < max(inside)


def test_cohesion_is_the_cosine_of_the_rarity_weighted_words() -> None:
    # GapFeatures.cohesion sums by maps: the same terms in the same order as
    # the formula written out, so the same float to the last bit
    import math

    from cleaner.model import Block
    from cleaner.segments.boundary import COHESION_WINDOWS, Gap, GapFeatures

    lines = BRIDGE + STORM + [HEADLINE, "Storm storm STORM bridge", "", "1234 ½half naïve école"]
    blocks = [Block(index=i, text=text, line=i + 1) for i, text in enumerate(lines)]
    blocks[3].duplicate_of = 0
    features = GapFeatures(blocks)

    def written_out(gap: Gap, size: int) -> float:
        before, after = features.window(gap.end, -1, size), features.window(gap.start, 1, size)
        if not before or not after:
            return 0.0
        rarity = features._rarity
        dot = sum(count * after[word] * rarity[word] ** 2 for word, count in before.items() if word in after)
        norm = math.sqrt(
            sum((c * rarity[w]) ** 2 for w, c in before.items()) * sum((c * rarity[w]) ** 2 for w, c in after.items())
        )
        return dot / norm if norm else 0.0

    gaps = [Gap(end, start, 500, 500) for end in range(len(blocks)) for start in range(end + 1, len(blocks))]
    for size in (*COHESION_WINDOWS, 1, 7):
        assert [features.cohesion(gap, size) for gap in gaps] == [written_out(gap, size) for gap in gaps]
    assert any(features.cohesion(gap, COHESION_WINDOWS[0]) for gap in gaps)

def test_the_boundary_model_answers_as_if_every_feature_were_computed() -> None:
    # is_boundary leaves out the features that cannot tip the answer: it must
    # give what the whole weighted sum gives, at any threshold
    import math

    from cleaner.blocks import split_blocks
    from cleaner.classify import score_blocks
    from cleaner.config import CleanerConfig
    from cleaner.dedupe import mark_duplicates
    from cleaner.read import read_input
    from cleaner.segments import group_segments
    from cleaner.segments.boundary import Gap, GapFeatures, _load, is_boundary

    config = CleanerConfig()
    menu = ["Home", "News", "Sport", "Contact us", "© 2024 Example News. All rights reserved."]
    text = "\n\n".join(menu + [HEADLINE] + BRIDGE + menu + ["Storm closes schools"] + STORM + menu) + "\n"
    blocks = score_blocks(mark_duplicates(split_blocks(read_input(text), config)[0], config), config)
    features = GapFeatures(blocks)
    asked: list[Gap] = []
    group_segments(blocks, config, boundary=lambda gap: asked.append(gap) or False)
    model = _load(None)
    weights = model.gap_weights + [w for step in model.side_weights for w in step]
    assert len(asked) > 5 and any(gap.start > gap.end + 1 for gap in asked)
    sums = [model.intercept + sum(w * x for w, x in zip(weights, features(gap))) for gap in asked]
    for probability in (0.02, 0.2, 0.5, 0.8, 0.98):
        needed = math.log(probability / (1 - probability))
        assert [is_boundary(gap, features, None, probability) for gap in asked] == [z >= needed for z in sums]


def test_readers_comments_below_a_text_article_leave_it_unless_asked() -> None:
    from cleaner import CleanerConfig
    from cleaner.segments import COMMENTS_REASON

    comments = ["27 Comments", "Ann Lee | May 3, 2012 1:56 PM | Reply", STORM[0], "Bob Ray | May 3, 2012 2:10 PM | Reply", STORM[1]]
    text = dump(HEADLINE, body=BRIDGE + comments)
    body = [p for a in cleaned(text).articles for p in a.paragraphs]
    assert BRIDGE[0] in body and STORM[0] not in body
    assert any(d.text == STORM[0] and d.reason == COMMENTS_REASON for d in cleaned(text).dropped)
    # --comments: no line is left out for being a comment (the model still judges each)
    kept = clean(text, config=CleanerConfig(keep_comments=True))
    assert not any(d.reason == COMMENTS_REASON for d in kept.dropped)


def test_a_data_table_inside_an_html_body_is_the_articles_whatever_its_score() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import group_segments

    # a list of recalled products between two paragraphs: its cells score low as text
    products = "\n".join(f"| {n} | Curry sauce {n} | 560g | Best before 14/4/2006 |" for n in range(1, 9))
    data = f"| No | Product | Size | Dates |\n| --- | --- | --- | --- |\n{products}"
    # a table whose rows fill one cell each is a list laid out as a table
    listing = "| Sections |\n| --- |\n" + "\n".join(f"| Council news {n} |" for n in range(8))

    def page(table: str, tag: str = "table") -> list[Block]:
        texts = [*BRIDGE[:3], table, *BRIDGE[3:6]]
        return [
            Block(index=i, text=t, line=i + 1, content_score=0.1 if t == table else 0.9, group=i,
                  tag=tag if t == table else "p")
            for i, t in enumerate(texts)
        ]

    def kept(blocks: list[Block]) -> list[str]:
        (article,) = group_segments(blocks, CleanerConfig(), html=True)[0]
        return article.paragraphs

    assert data in kept(page(data))
    assert listing not in kept(page(listing)) and BRIDGE[5] in kept(page(listing))
    bullets = "| · | Related |\n| --- | --- |\n" + "\n".join(f"| · | Council news {n} |" for n in range(8))
    assert bullets not in kept(page(bullets))  # a bullet is no cell of data
    assert data not in kept(page(data, tag="pre"))  # the same text not from a table
    short = "| No | Product |\n| --- | --- |\n| 1 | Curry sauce |"  # a header and one row: too few to say
    assert short not in kept(page(short))


def test_a_table_that_lays_out_a_list_of_headlines_is_no_article_text_whatever_its_score() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import TABLE_OF_LINES_REASON, group_segments

    headlines = "| More news |\n| --- |\n" + "\n".join(f"| Council news number {n} from the week |" for n in range(8))
    texts = [*BRIDGE[:4], headlines]

    def page(tag: str) -> list[Block]:  # the model read the table's rows as one long block of prose
        return [Block(index=i, text=t, line=i + 1, content_score=0.9, group=i, tag=tag if t == headlines else "p")
                for i, t in enumerate(texts)]

    (article,) = group_segments(page("table"), CleanerConfig(), html=True)[0]
    assert article.paragraphs == BRIDGE[:4]
    blocks = page("table")
    group_segments(blocks, CleanerConfig(), html=True)
    assert blocks[-1].reason == TABLE_OF_LINES_REASON
    assert group_segments(page("pre"), CleanerConfig(), html=True)[0][0].paragraphs[-1] == headlines  # no table


def test_lines_an_article_repeats_go_on_with_it_but_not_a_copy_of_it_or_one_caption_again() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import group_segments

    def page(texts: list[str]) -> list[Block]:
        """Blocks scored as article text; a line seen before repeats its first copy."""
        first: dict[str, int] = {}
        blocks = []
        for i, text in enumerate(texts):
            origin = first.setdefault(text, i)
            blocks.append(Block(index=i, text=text, line=i + 1, content_score=0.9, group=origin, tag="p",
                                duplicate_of=None if origin == i else origin))
        return blocks

    def kept(texts: list[str]) -> list[str]:
        (article,) = group_segments(page(texts), CleanerConfig(), html=True)[0]
        return article.paragraphs

    # a meal plan: the second day repeats most of the first (more lines than a gap may hold)
    meals = [
        f"{meal}: eat within {hours} hours of the last meal, with a glass of water and some fruit."
        for meal in ("Breakfast", "Snack", "Lunch", "Tea", "Dinner", "Supper", "Late snack")
        for hours in (2, 3)
    ]
    plan = [BRIDGE[0], "Day one.", *meals, "Day two.", *meals, "Day two ends with soup and bread.", BRIDGE[1]]
    assert kept(plan) == plan
    # the article printed again from its top is a copy
    story = [*BRIDGE, *STORM]
    assert kept([*story, *story, "Read all the comments on this story."]) == story
    # one caption under every photo
    photos = [BRIDGE[0], *[CAPTION] * 20, BRIDGE[1]]
    articles = group_segments(page(photos), CleanerConfig(), html=True)[0]
    assert sum(a.paragraphs.count(CAPTION) for a in articles) == 1


def test_a_short_post_under_the_headline_the_page_title_names_is_its_article() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block, PageMeta
    from cleaner.segments import group_segments
    from cleaner.text import match_keys

    headline = "Little gifts for friends"
    post = ["Dear all,", "I would love to invite you to the book event at the library this Saturday at 11 am.",
            "Hope to see you there."]
    about = ("Thank you for visiting my blog. Professionally, I am a story artist in an animation studio, and at "
             "home I write and draw picture books for young children and their parents.")

    def articles(title: str | None, about_copies: int = 1) -> list[list[str]]:
        # the post scores below the article threshold, the about box in the sidebar above it
        rows = [(headline, "h3", 0.3), *((text, "p", 0.4) for text in post), ("About me", "h2", 0.1),
                (" ".join([about] * about_copies), "dd", 0.6)]
        keys = match_keys([text for text, _, _ in rows])
        blocks = [Block(index=i, text=text, line=i + 1, content_score=score, group=i, tag=tag, norm=key)
                  for i, ((text, tag, score), key) in enumerate(zip(rows, keys))]
        meta = PageMeta(title=title, page_title=f"My blog: {title}" if title else None)
        return [a.paragraphs for a in group_segments(blocks, CleanerConfig(), meta=meta, html=True)[0]]

    assert articles(headline) == [post]
    assert articles(None) == [[about]]  # a page whose titles name no headline
    assert articles(headline, about_copies=12) == [[" ".join([about] * 12)]]  # a post this small beside it: a box


def test_a_line_of_links_between_separators_is_a_menu_whatever_its_score() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import LINKS_LINE_REASON, group_segments

    menu = "Archives | About the blog | Contact the editors | Advertise with us"
    texts = [*BRIDGE[:3], menu, *BRIDGE[3:6]]

    def page(link_ratio: float) -> list[Block]:  # the model read the menu as prose
        return [Block(index=i, text=t, line=i + 1, content_score=0.9, group=i, tag="p",
                      link_ratio=link_ratio if t == menu else 0.0) for i, t in enumerate(texts)]

    blocks = page(0.9)
    (article,) = group_segments(blocks, CleanerConfig(), html=True)[0]
    assert menu not in article.paragraphs and article.paragraphs[-1] == BRIDGE[5]
    assert blocks[3].reason == LINKS_LINE_REASON
    assert menu in group_segments(page(0.1), CleanerConfig(), html=True)[0][0].paragraphs  # words, not links
    # a text dump does not know its links
    assert menu in group_segments(page(0.9), CleanerConfig(), html=False)[0][0].paragraphs


def test_a_cookie_consent_notice_is_no_article_text_whatever_its_score() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import CONSENT_REASON, group_segments
    from cleaner.text import CONSENT_NOTICE_MAX_WORDS

    banner = (
        "We use cookies and other tracking technologies to improve your browsing experience on our site, "
        "show personalized content and targeted ads, and understand where our audiences come from."
    )
    accept = "By choosing I Accept, you consent to our use of cookies and other tracking technologies."
    recipe = "Place the dough on a cookie sheet and bake it for twelve minutes, until the edges turn brown."
    # a page's text content written as one line holds its banner and its article alike
    whole_page = " ".join([banner, *BRIDGE] * (CONSENT_NOTICE_MAX_WORDS // 50 + 1))

    def page(*texts: str) -> list[Block]:  # the model read every line as prose
        return [Block(index=i, text=t, line=i + 1, content_score=0.9, group=i, tag="p") for i, t in enumerate(texts)]

    for html in (False, True):
        blocks = page(banner, accept, *BRIDGE[:3], recipe, *BRIDGE[3:6])
        (article,) = group_segments(blocks, CleanerConfig(), html=html)[0]
        assert article.paragraphs == [*BRIDGE[:3], recipe, *BRIDGE[3:6]]
        assert blocks[0].reason == blocks[1].reason == CONSENT_REASON
    (article,) = group_segments(page(whole_page), CleanerConfig())[0]
    assert article.paragraphs == [whole_page]


@pytest.mark.parametrize("notice, recipe", [
    ("Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten. Mit Klick auf Akzeptieren stimmen Sie zu.",
     "Die Cookies im Ofen bei 180 Grad backen, bis sie goldbraun sind, und auf einem Gitter abkühlen lassen."),
    ("Nous utilisons des cookies pour améliorer votre expérience. En poursuivant, vous acceptez leur utilisation.",
     "Déposez les cookies sur une plaque et faites-les cuire douze minutes, jusqu'à ce que les bords dorent."),
    ("Utilizamos cookies propias y de terceros. Si continúa navegando, acepta su uso.",
     "Coloca las cookies en la bandeja y hornéalas doce minutos, hasta que los bordes estén dorados."),
])
def test_a_cookie_consent_notice_in_another_language(notice: str, recipe: str) -> None:
    from cleaner.text import is_consent_notice

    assert is_consent_notice(notice) and not is_consent_notice(recipe)


def test_a_notice_about_the_readers_browser_is_no_article_text_whatever_its_score() -> None:
    from cleaner.config import CleanerConfig
    from cleaner.model import Block
    from cleaner.segments import BROWSER_NOTICE_REASON, group_segments

    notices = [
        "Please enable JavaScript to view the comments powered by Disqus.",
        "This page is best viewed in an up-to-date web browser with style sheets (CSS) enabled.",
        "Your browser does not support JavaScript or has JavaScript disabled!",
    ]
    about = "The new version of the browser loads pages faster and lets readers turn off JavaScript for each site."

    def page(*texts: str) -> list[Block]:  # the model read every line as prose
        return [Block(index=i, text=t, line=i + 1, content_score=0.9, group=i, tag="p") for i, t in enumerate(texts)]

    for html in (False, True):
        blocks = page(notices[0], *BRIDGE[:3], about, *BRIDGE[3:6], *notices[1:])
        (article,) = group_segments(blocks, CleanerConfig(), html=html)[0]
        assert article.paragraphs == [*BRIDGE[:3], about, *BRIDGE[3:6]]
        assert {blocks[i].reason for i in (0, 8, 9)} == {BROWSER_NOTICE_REASON}


@pytest.mark.parametrize("notice", [
    "Bitte aktivieren Sie JavaScript, um die Kommentare zu sehen.", "Veuillez activer JavaScript pour afficher cette page.",
    "JavaScript está desactivado en tu navegador.", "Per visualizzare i commenti è necessario attivare JavaScript.",
])
def test_a_notice_about_the_readers_browser_in_another_language(notice: str) -> None:
    from cleaner.text import is_browser_notice

    assert is_browser_notice(notice)
    assert not is_browser_notice("JavaScript ist eine Programmiersprache, die 1995 entwickelt wurde.")
