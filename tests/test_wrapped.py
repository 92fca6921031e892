"""Text wrapped at a width (lynx, w3m, html2text) and Markdown inline marks."""

from __future__ import annotations

import textwrap

from cleaner import CleanerConfig
from cleaner.blocks import split_blocks
from cleaner.read import read_input
from cleaner.wrapped import has_gfm_tables, is_markdown, markdown_text, table_row_text, wrap_width

PARAGRAPHS = [
    "The council voted on Tuesday to close the old bridge to traffic after engineers found cracks in two of "
    "its supports, a decision that will send thousands of drivers on a detour of several miles each day.",
    "Residents who spoke at the meeting said the closure would hurt shops on both sides of the river, "
    "and several asked why the repairs promised three years ago had never been carried out by the city.",
    "The mayor said the money had gone to other projects and that a new plan would be put to the council "
    "next month, with work to start in the spring if the state agrees to pay for half of the cost.",
]


def blocks_of(text: str) -> list[str]:
    return [b.text for b in split_blocks(read_input(text), CleanerConfig())[0]]


def wrapped_page(width: int, indent: str = "") -> str:
    menu = ["Home", "News", "Sport"]
    body = ["\n".join(textwrap.wrap(p, width, initial_indent=indent, subsequent_indent=indent)) for p in PARAGRAPHS * 2]
    return "\n".join(menu) + "\n\n" + "\n\n".join(body) + "\n\n* First item\n* Second item\n"


def test_a_page_wrapped_at_a_width_is_found_and_its_paragraphs_joined() -> None:
    page = wrapped_page(72)
    width = wrap_width(page.split("\n"))
    assert width is not None and 70 <= width <= 72  # the widest lines' width: at most the renderer's
    blocks = blocks_of(page)
    assert blocks[3:6] == PARAGRAPHS  # each paragraph one block again
    assert blocks[:3] == ["Home", "News", "Sport"] and blocks[-2:] == ["* First item", "* Second item"]


def test_indented_paragraphs_as_lynx_writes_them_are_joined() -> None:
    page = wrapped_page(77, indent="   ")
    width = wrap_width(page.split("\n"))
    assert width is not None and 75 <= width <= 77
    assert blocks_of(page)[3:6] == PARAGRAPHS


def test_lines_of_a_browsers_text_are_not_taken_as_wrapped() -> None:
    page = "\n".join(["Home", "News"] + PARAGRAPHS * 3 + ["Short line one", "Another short line"] * 5)
    assert wrap_width(page.split("\n")) is None
    # lines of any lengths below a width, not packed against it
    ragged = "\n".join(f"Item number {n} " + "word " * (n % 12) for n in range(40))
    assert wrap_width(ragged.split("\n")) is None


def test_markdown_links_images_bold_and_escapes_show_their_text() -> None:
    assert markdown_text("A song by [Francisco The Man!](http://example.com/t \"title\"). Thanks") == (
        "A song by Francisco The Man!. Thanks"
    )
    assert markdown_text("[![](//example.com/pin.png)](http://example.com/pin?url=a%2Fb)") == ""
    assert markdown_text("![Logo](http://example.com/logo.png) **Breaking** news \\- see [Wiki](http://w.org/A_(b))") == (
        "Breaking news - see Wiki"
    )
    assert markdown_text("2 * 3 = 6 and [1] is a note") == "2 * 3 = 6 and [1] is a note"
    assert markdown_text("in _The Washington Post_ and *Politico*, file_name_here") == (
        "in The Washington Post and Politico, file_name_here"
    )


def test_a_markdown_page_is_cleaned_to_its_text_and_image_lines_leave() -> None:
    page = (
        "[![](http://example.com/logo.png)](http://example.com/)\n\n"
        "### [Broken Arrows](http://example.com/?p=1)\n\n"
        "A perfect song by [Francisco The\nMan!](http://example.com/track). A big thanks\nto everyone.\n"
    )
    assert is_markdown(page)
    assert blocks_of(page) == ["Broken Arrows", "A perfect song by Francisco The Man!. A big thanks to everyone."]
    assert not is_markdown("A page that says [1] once and (2) twice.")


def test_a_gfm_table_row_reads_as_its_cells_text() -> None:
    assert table_row_text("|  | Accounting |  |") == "Accounting"
    assert table_row_text("| --- | :---: | --- |") == ""
    # a layout table's row flattened with its nested tables: the cells that hold text, in order
    assert table_row_text("| | | --- | --- | | **Bridge closed** | |  The council voted. |") == (
        "**Bridge closed** | The council voted."
    )
    assert table_row_text("| 3 \\| 4 | five |") == "3 \\| 4 | five"  # an escaped pipe is in its cell
    assert markdown_text("| [Home](http://example.com/) | **News** \\| Sport |", table_rows=True) == "Home | News | Sport"
    assert markdown_text("| [Home](http://example.com/) |") == "| Home |"  # not a GFM page: as written


def test_a_page_that_writes_gfm_tables_has_its_rows_read_as_text() -> None:
    # markdownify writes a layout table's row on one line between pipes: the
    # article is in a cell of it, beside the menu's cells and empty spacers
    row = "| [Home](http://example.com/) [News](http://example.com/n) |  | " + "    ".join(PARAGRAPHS) + " |  |"
    page = "Bridge news\n\n|  |  |  |  |\n| --- | --- | --- | --- |\n" + row + "\n\n[About](http://example.com/a)\n"
    assert is_markdown(page) and has_gfm_tables(page)
    blocks = blocks_of(page)
    # a row this long is a layout's: its cells' blocks (markdownify made each
    # of the cell's line breaks a space: two or more where a block ended)
    assert blocks[1:5] == ["Home News", *PARAGRAPHS]
    assert not any(b.startswith("|") for b in blocks)  # nor the spacer row, nor the delimiter row
    # a shorter row (a data table's) is read as its cells' text, one block
    short = "Bridge news\n\n| Name | Votes |\n| --- | --- |\n| [Ann](http://example.com/a) | 3 |\n\n"
    short += "[About](http://example.com/a)\n"
    assert blocks_of(short)[1:3] == ["Name | Votes", "Ann | 3"]
    # html2text writes its rows without the outer pipes ("a | b", "---|---"): they are read as before
    html2text_page = "[Home](http://example.com/) [News](http://example.com/n)\n\nName | Votes\n---|---\nAnn | 3\n"
    assert not has_gfm_tables(html2text_page)
    assert blocks_of(html2text_page)[1].startswith("Name | Votes ---|---")


def test_a_layout_rows_blocks_keep_its_line_number_and_the_accounting_holds() -> None:
    from cleaner.check import check_document
    from cleaner.pipeline import clean
    from cleaner.wrapped import LAYOUT_ROW_MIN_CHARS, layout_row_blocks

    row = "| * [Home](http://example.com/)  * [News](http://example.com/n) | " + "  ".join(PARAGRAPHS) + " |"
    assert len(row) >= LAYOUT_ROW_MIN_CHARS
    lines, numbers = layout_row_blocks(["Title", "| --- | --- |", row], None) or ([], [])
    assert [line for line in lines if line] == ["Title", "| --- | --- |", "* [Home](http://example.com/)",
                                                "* [News](http://example.com/n)", *PARAGRAPHS]
    assert set(numbers[2:]) == {3}  # each block keeps the row's line number
    assert layout_row_blocks(["Title", "| a  b | c |"], None) is None  # no row that long: nothing moved
    page = "Bridge news\n\n|  |  |\n| --- | --- |\n" + row + "\n\n[About](http://example.com/a)\n"
    document = clean(page)
    assert check_document(document, page) == []
    assert [p for a in document.articles for p in a.paragraphs] == PARAGRAPHS


def test_cleaners_own_markdown_with_links_cleans_to_the_same_markdown() -> None:
    from cleaner import clean
    from cleaner.render import render_markdown

    links = {"bridge": '<a href="http://example.com/b">bridge</a>', "plan": '<a href="http://example.com/p">plan</a>'}
    paragraphs = "".join(
        "<p>" + text.replace("bridge", links["bridge"], 1).replace("plan", links["plan"], 1) + "</p>"
        for text in PARAGRAPHS
    )
    html = f"<html><body><article><h1>Bridge closed</h1>{paragraphs}</article></body></html>"
    first = render_markdown([clean(html.encode(), input_format="html")], links=True)
    assert "[bridge](http://example.com/b)" in first
    again = clean(first.encode(), input_format="text")
    assert render_markdown([again], links=True) == first
    assert again.articles[0].paragraphs[0] == PARAGRAPHS[0]  # the text shows the link's text only


def test_a_page_not_wrapped_is_told_without_splitting_it_and_never_wrongly() -> None:
    from pathlib import Path

    from cleaner.wrapped import not_wrapped

    browser = "\n".join(["Home", ""] + PARAGRAPHS * 3)  # paragraphs on one line each: wide lines
    assert not_wrapped(browser) and wrap_width(browser.split("\n")) is None
    assert not not_wrapped(wrapped_page(72))
    urls = "\n".join(["http://example.com/" + "a" * 200] * 10 + PARAGRAPHS)  # URL lines do not count
    assert not not_wrapped(urls) or wrap_width(urls.split("\n")) is None
    dev = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev" / "text"
    for path in sorted(dev.glob("*.txt"))[:100] if dev.exists() else []:
        text = read_input(path.read_bytes()).text
        assert not (not_wrapped(text) and wrap_width(text.split("\n")) is not None), path.name


def quoted_page(marks: str = "> ") -> str:
    # html2text writes a <blockquote> (here the whole article, as old pages indent their text with one)
    # with "> " before each line, its paragraphs wrapped at 78 columns, and ">" alone for its blank lines
    quoted = ("\n" + marks.strip() + "\n").join(
        "\n".join(marks + line for line in textwrap.wrap(p, 76)) for p in PARAGRAPHS
    )
    return "Home\nNews\n\n" + quoted + "\n\nContact us\n"


def test_a_quotes_marks_are_taken_off_and_its_wrapped_paragraphs_joined() -> None:
    from cleaner.check import check_document
    from cleaner.pipeline import clean

    for marks in ("> ", "> > "):
        blocks = blocks_of(quoted_page(marks))
        assert blocks == ["Home", "News", *PARAGRAPHS, "Contact us"]
    data = quoted_page().encode()
    document = clean(data)
    assert [p for a in document.articles for p in a.paragraphs] == PARAGRAPHS
    assert check_document(document, data) == []  # the accounting check reads the page as blocks.py does


def test_a_menus_arrows_and_a_lone_mark_are_no_quote() -> None:
    from cleaner.wrapped import without_quote_marks

    menu = "Home\n> Sport\n> Weather\n> Travel\n>\nA paragraph of text.\n"  # one mark alone: an arrow
    assert without_quote_marks(menu) == menu
    replies = "> quoted once\n>\n> > quoted twice\n> >\nMy reply.\n> and more\n"
    assert without_quote_marks(replies) == "quoted once\n\nquoted twice\n\nMy reply.\nand more\n"
