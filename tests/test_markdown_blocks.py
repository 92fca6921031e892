"""Stage 2, Markdown: headings, rules, and cleaner's own layout read back."""

from __future__ import annotations

from cleaner import clean
from cleaner.blocks import split_blocks
from cleaner.config import CleanerConfig
from cleaner.model import Article, Block, Document, Role
from cleaner.read import read_input
from cleaner.render import render_markdown

CONFIG = CleanerConfig()
BODY = (
    "The council voted on Tuesday to keep the old bridge open for walkers and cyclists while the new "
    "one is built, after a long debate about the cost of repairs."
)


def blocks_of(text: str) -> list[Block]:
    return split_blocks(read_input(text), CONFIG)[0]


def test_cleaner_layout_declares_every_role() -> None:
    text = (
        "# Bridge stays open\n\n_2024-12-03T22:15 · updated 2024-12-04 · By Jane Doe_\n\n"
        f"{BODY}\n\nShort line\n\nCaptions:\n\n- The old bridge at dusk. (AP Photo/Jane Doe)\n"
    )
    blocks = blocks_of(text)
    assert [(b.declared, b.text) for b in blocks] == [
        (Role.TITLE, "Bridge stays open"),
        (Role.META, "2024-12-03T22:15 · updated 2024-12-04 · By Jane Doe"),
        (Role.BODY, BODY),
        (Role.BODY, "Short line"),
        (Role.BOILERPLATE, "Captions:"),
        (Role.CAPTION, "The old bridge at dusk. (AP Photo/Jane Doe)"),
    ]


def test_layout_read_back_gives_title_dates_byline_and_every_paragraph() -> None:
    text = (
        "# Bridge stays open\n\n_2024-12-03T22:15 · updated 2024-12-04 · LONDON (AP) · By Jane Doe_\n\n"
        f"LONDON (AP) — {BODY}\n\nOK.\n"
    )
    (article,) = clean(text).articles
    assert (article.title, article.published) == ("Bridge stays open", "2024-12-03T22:15")
    assert article.updated == "2024-12-04"
    assert (article.dateline, article.byline) == ("LONDON (AP)", "By Jane Doe")
    assert article.paragraphs == [f"LONDON (AP) — {BODY}", "OK."]  # "OK." alone would be dropped as too short


def test_rules_separate_articles_in_the_layout() -> None:
    text = f"# One\n\n{BODY}\n\n---\n\n# Two\n\n{BODY} Again.\n\n---\n\n{BODY} Third.\n"
    articles = clean(text).articles
    assert [(a.title, len(a.paragraphs)) for a in articles] == [("One", 1), ("Two", 1), (None, 1)]


def test_metadata_line_without_title_only_when_it_holds_metadata() -> None:
    dated = blocks_of(f"_2024-12-03_\n\n{BODY}\n")
    assert dated[0].declared is Role.META
    italic = blocks_of(f"_An aside in italics_\n\n{BODY}\n")
    assert italic[0].declared is None  # not a metadata line, and nothing else marks the layout


def test_plain_text_dumps_are_not_taken_for_the_layout() -> None:
    # lines without blank lines between them are not cleaner's layout, even with a heading
    blocks = blocks_of(f"# Site name\nHome\nNews\n\n{BODY}\n")
    assert all(b.declared is None for b in blocks)
    assert blocks[0].tag == "h1" and blocks[0].text == "Site name" and blocks[0].markdown == "# Site name"


def test_headings_and_rules_help_other_markdown() -> None:
    text = f"Menu\nHome\n\n## First story here today\n\n{BODY}\n\n---\n\n## Second story here today\n\n{BODY} More.\n"
    blocks = blocks_of(text)
    assert [b.tag for b in blocks if b.tag] == ["h2", "h2"]
    assert [b.container for b in blocks] == [0, 0, 0, 0, 1, 1, 1]
    assert all(b.declared is None for b in blocks)


def test_hash_lines_without_space_are_not_headings() -> None:
    blocks = blocks_of(f"#News #Sport\n\n{BODY}\n")
    assert blocks[0].tag == "" and blocks[0].text == "#News #Sport"


def test_render_then_read_keeps_a_paragraph_that_looks_like_a_list() -> None:
    article = Article(title="Lists in a story", paragraphs=[BODY, "- first point", "- second point", "1. numbered"])
    markdown = render_markdown([Document(source=None, articles=[article])])
    assert clean(markdown).articles[0].paragraphs == article.paragraphs


def test_paragraphs_that_open_like_layout_lines_read_back_unchanged() -> None:
    odd = ["# not a title", "_2024-12-03 · not metadata_", "\\ a backslash", "Captions:", "- not a caption"]
    article = Article(title="Odd paragraphs", paragraphs=[BODY, *odd])
    markdown = render_markdown([Document(source=None, articles=[article])], captions=True)
    assert "\n\\# not a title\n" in markdown and "\n- not a caption\n" in markdown
    assert clean(markdown).articles[0].paragraphs == article.paragraphs


def test_a_sub_heading_in_the_body_reads_back_as_its_text() -> None:
    article = Article(
        title="With a sub-heading", paragraphs=[BODY, "What comes next", BODY + " Later."],
        formatted=[BODY, "## What comes next", BODY + " Later."],
    )
    (again,) = clean(render_markdown([Document(source=None, articles=[article])])).articles
    assert again.paragraphs == article.paragraphs and again.formatted == article.formatted
