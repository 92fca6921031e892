"""Stage 2: text laid out in columns (w3m, links, pdftotext -layout) is read
column by column; runs of lines wrapped at a width of their own are joined."""

from __future__ import annotations

import textwrap

from cleaner.blocks import split_blocks
from cleaner.columns import COLUMN_MAX_LINE_CHARS, laid_out_in_columns, read_columns
from cleaner.config import CleanerConfig
from cleaner.read import read_input
from cleaner.wrapped import run_widths

CONFIG = CleanerConfig()

# how w3m -dump draws a page's layout table: a menu beside the article, the
# article wrapped at its column's width, a third column cut from it by one space
MENU = ["• Home", "• News", "• Sport", "• Weather", "• Contact", "", "", ""]
TEXT = (
    "While American regions will have to go without an update this week, Sony has graciously updated the "
    "Australian store with a decent demo of the game."
)
ARTICLE = textwrap.wrap(TEXT, 24) + [""]
SIDE = ["Top stories", "Charts for the week", "", "Another story", "", "", "", ""]


def layout() -> str:
    rows = [f"{m:<12}{a:<26}{s}".rstrip() for m, a, s in zip(MENU, ARTICLE, SIDE)]
    return "Site name\n\n" + "\n".join(rows) + "\n\nCopyright 2007\n"


def blocks_of(text: str) -> list[tuple[int, str]]:
    return [(b.line, b.text) for b in split_blocks(read_input(text), CONFIG)[0]]


def test_a_layout_is_read_column_by_column_each_column_unwrapped() -> None:
    text = layout()
    assert laid_out_in_columns(text)
    article = TEXT
    assert blocks_of(text) == [
        (1, "Site name"),
        (3, "• Home"), (4, "• News"), (5, "• Sport"), (6, "• Weather"), (7, "• Contact"),
        (3, article),  # each piece keeps the number of the line it comes from
        (3, "Top stories"), (4, "Charts for the week"), (6, "Another story"),
        (text.split("\n").index("Copyright 2007") + 1, "Copyright 2007"),
    ]


def test_a_list_whose_markers_stand_apart_is_read_line_by_line() -> None:
    # a browser's or a renderer's numbered paragraphs: "1." then the text, a gap between
    items = [f"{n}.       Paragraph number {n} says something of its own here." for n in range(1, 7)]
    text = "\n\n".join(items) + "\n"
    assert laid_out_in_columns(text)
    assert [t for _, t in blocks_of(text)] == [" ".join(item.split()) for item in items]


def test_pages_without_gaps_are_not_looked_at() -> None:
    text = "A heading\n\nA paragraph of text.\nAnother line   with one gap.\nMore text.\n"
    assert not laid_out_in_columns(text)
    lines, numbers = read_columns(text.split("\n"))
    assert lines == text.split("\n") and numbers == list(range(1, len(lines) + 1))


def test_a_line_too_long_for_a_layout_is_never_cut() -> None:
    long = ("word " * (COLUMN_MAX_LINE_CHARS // 5)) + "end   of   it"
    lines = [long] * 4
    assert read_columns(lines)[0] == lines


def test_a_table_of_many_columns_is_read_line_by_line() -> None:
    rows = ["  ".join(f"{k * n:>4}" for k in range(1, 20)) for n in range(1, 8)]
    rows = [row.replace("  ", "    ") for row in rows]  # gaps of 3 spaces and more between the figures
    assert laid_out_in_columns("\n".join(rows))
    assert read_columns(rows)[0] == [row.expandtabs() for row in rows]


def test_a_run_wrapped_at_its_own_width_is_joined() -> None:
    # a narrow column among wider lines (as wide as a terminal): the page as a
    # whole has no width, the run has one
    wide = "A line much wider than the column below it, as wide as the page is, ending."
    run = [
        "    Shopping for coffee you would not ask", "    for 0.00025 tons (unless you were", "    naturally irritating), you would ask",
        "    for 250 grams. In the same way, a", "    small risk is awkward to talk about.",
    ]
    lines = [wide, "", *run, "", wide]
    widths = run_widths(lines)
    assert widths is not None and widths[2:7] == [len(run[0])] * 5 and widths[0] == widths[-1] == 0
    joined = " ".join(line.strip() for line in run)
    assert [t for _, t in blocks_of("\n".join(lines) + "\n")] == [wide, joined, wide]


def test_lists_and_repeated_lines_are_not_a_wrapped_run() -> None:
    repeated = ["Front page appears courtesy of the Newseum"] * 5
    titles = ["Funny user videos of the week, all of them", "Submit your comment", "Your name and email"]
    assert run_widths(repeated) is None
    menu = ["Attractions & City Passes", "Bus & Coach Tours", "Cruises & Water Tours", "Cultural & Theme Tours"]
    assert run_widths(menu) is None
    assert run_widths(titles) is None
    assert run_widths(["新着記事の一覧とその説明がここに並んでいます。" * 2] * 3 + ["最後"]) is None


def test_the_accounting_check_follows_the_columns() -> None:
    from cleaner.check import check_document
    from cleaner.pipeline import clean

    data = layout().encode()
    assert check_document(clean(data), data) == []


def bordered() -> str:
    # w3m draws a table with borders in box-drawing characters: the menu and
    # the article each in a frame, a few spaces apart, a rule (<hr>) under them
    menu = ["┏━━━━━━━━━━┓", "┃ Home     ┃", "┃ News     ┃", "┃ Sport    ┃", "┃ Contact  ┃", "┗━━━━━━━━━━┛"]
    menu += [""] * (len(ARTICLE) + 2 - len(menu))
    article = ["┏" + "━" * 26 + "┓"] + [f"┃ {a:<24} ┃" for a in ARTICLE[:-1]] + ["┗" + "━" * 26 + "┛"]
    rows = [f"{m:<18}{a}".rstrip() for m, a in zip(menu, article)]
    return "Site name\n\n" + "\n".join(rows) + "\n\n" + "━" * 40 + "\nCopyright 2007\n"


def test_a_tables_borders_are_spaces_and_a_rule_stays() -> None:
    from cleaner.check import check_document
    from cleaner.columns import without_borders
    from cleaner.pipeline import clean

    text = bordered()
    assert without_borders("━━━━\n┃ Home ┃   ┃ News ┃\n┗━━┛") == "━━━━\n  Home       News  \n    "
    texts = [t for _, t in blocks_of(text)]
    assert texts[:6] == ["Site name", "Home", "News", "Sport", "Contact", TEXT]
    assert "━" * 40 in texts and not any(set(t) & set("┃┏┓┗┛") for t in texts)
    data = text.encode()
    assert check_document(clean(data), data) == []


def test_a_cell_indented_past_its_column_start_and_indented_paragraphs_stay_in_their_columns() -> None:
    # each paragraph's first line indented 3 spaces; the sidebar's cells start
    # at its column or a space or two into it
    from itertools import zip_longest

    paragraphs = [f"Paragraph {n} of the story opens here and goes on to its second line." for n in range(1, 5)]
    left = [line for p in paragraphs for line in ["   " + w if k == 0 else w for k, w in enumerate(textwrap.wrap(p, 30))] + [""]]
    side = ["Top stories", " Charts for the week", "Another story", "  More news", "Weather", " Sport", "Travel", " Money"]
    side = [line for item in side for line in (item, "")]
    rows = zip_longest(left, side, fillvalue="")
    text = "\n".join(f"{a:<36}{s}".rstrip() for a, s in rows) + "\n"
    assert laid_out_in_columns(text)
    texts = [t for _, t in blocks_of(text)]
    assert texts == paragraphs + [s.strip() for s in side if s]


def test_ascii_frames_are_spaces_and_a_menus_bars_stay() -> None:
    from cleaner.columns import without_borders

    # links -dump: a frame with corners, a row's rule, and "|" down its sides
    framed = "\n".join([
        "home  |  news  |  articles",
        "+--------------+       Got a tip?",
        "| Interview    |",
        "|--------------|",
        "| The story    |",
        "+--------------+",
    ])
    assert without_borders(framed).split("\n") == [
        "home  |  news  |  articles",
        "                       Got a tip?",
        "  Interview     ",
        "                ",
        "  The story     ",
        "                ",
    ]
    # html2text's tables have no corners: their bars are text
    table = "Name | Age\n---|---\nAnn | 30\nBob | 40\nCy | 50\nSee +-2 below."
    assert without_borders(table) == table
    texts = [t for _, t in blocks_of(framed + "\n")]
    assert "Interview" in texts and not any("|" in t or "+-" in t for t in texts[1:])


def test_a_layouts_region_is_read_in_columns_above_a_long_one_column_article() -> None:
    # a page's head laid out in two columns over 20 lines, then an article in one
    # column much longer than it: few of the page's lines hold a gap
    menu = [f"Menu item {n}" for n in range(1, 22)]
    side = [f"Side note {n}" for n in range(1, 22)]
    head = [f"{m:<30}{s}" for m, s in zip(menu, side)]
    article = [f"Paragraph {n} of the article, a sentence long enough to read as prose here." for n in range(300)]
    text = "\n".join(head) + "\n\n" + "\n\n".join(article) + "\n"
    assert laid_out_in_columns(text)
    texts = [t for _, t in blocks_of(text)]
    assert texts[:len(menu)] == menu and texts[len(menu): 2 * len(menu)] == side


def nested_layout() -> tuple[str, list[str], list[str], list[str]]:
    # links -dump of a nested layout table: a long menu at the left, a column of
    # headlines at the right over the menu's first rows, and the article's column
    # between them, beside the menu's last rows only (its lines are fewer than a
    # quarter of the region's with a gap, the headlines' many more)
    from itertools import zip_longest

    menu = [f"* Section {n}" for n in range(1, 51)]
    headlines = [line for n in range(1, 21) for line in textwrap.wrap(f"Headline number {n} of the site's other stories", 26)]
    story = (
        "London (dpa) - The midfielder will appear in court on Friday after being charged with common assault. "
        "He was one of three people arrested by the police early on Thursday after an incident in the city."
    )
    article = textwrap.wrap(story, 24)
    left = [f"{m:<22}" for m in menu]
    middle = [""] * (len(menu) - len(article) - 2) + article
    rows = zip_longest(left, middle, headlines, fillvalue="")
    lines = [f"{a:<22}{b:<26}{c}".rstrip() for a, b, c in rows]
    return "\n".join(lines) + "\n", menu, headlines, article


def test_a_column_few_lines_hold_is_found_by_its_gutter() -> None:
    text, menu, headlines, article = nested_layout()
    assert laid_out_in_columns(text)
    texts = [t for _, t in blocks_of(text)]
    # the article's column read alone, its wrapped lines joined; the menu and the headlines each in theirs
    assert " ".join(article) in texts
    assert texts.index(menu[0]) < texts.index(" ".join(article)) < texts.index(f"{headlines[0]} {headlines[1]}")


def test_an_indented_heading_between_numbered_paragraphs_is_no_column() -> None:
    # numbered paragraphs ("1." a gap, then the text) with a numbered heading,
    # indented, under every fourth: no line holds text beside a heading's
    # indent, so it starts no column (no words run across it either), and the
    # markers stay with their text
    items = []
    for n in range(1, 25):
        items.append(f"{n}.       Paragraph number {n} of the report says something of its own here.")
        if n % 4 == 0:
            items.append(f"      {n}.1.       Heading of part {n}")
    text = "\n\n".join(items) + "\n"
    assert laid_out_in_columns(text)
    assert [t for _, t in blocks_of(text)] == [" ".join(item.split()) for item in items]
