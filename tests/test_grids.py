"""Stage 2: tables drawn as grids of ASCII cells (pandoc -t plain) are read
row by row and cell by cell, each cell's lines wrapped at its width joined."""

from __future__ import annotations

import textwrap

from cleaner.blocks import split_blocks
from cleaner.config import CleanerConfig
from cleaner.grids import has_grids, read_grids
from cleaner.read import read_input

CONFIG = CleanerConfig()

TEXT = (
    "The April 2002 issue of Text carried an article by Kevin Brophy on the prose poem. "
    "This article attracted several responses, and two of them are printed below."
)
MENU = ["Home", "", "Archives", "", "Contact us"]


def grid(columns: list[list[str]], width: int = 21) -> list[str]:
    """A one-row grid as pandoc draws it: each column's lines in a cell of
    width characters, padded by a space, the rows as tall as the tallest."""
    height = max(map(len, columns))
    border = "+" + "+".join("-" * (width + 2) for _ in columns) + "+"
    rows = ["|" + "|".join(f" {(col[k] if k < len(col) else ''):<{width}} " for col in columns) + "|"
            for k in range(height)]
    return [border, *rows, border]


def layout() -> str:
    return "\n".join(["Site name", "", *grid([MENU, textwrap.wrap(TEXT, 21)]), "", "Copyright 2002"]) + "\n"


def blocks_of(text: str) -> list[tuple[int, str]]:
    return [(b.line, b.text) for b in split_blocks(read_input(text), CONFIG)[0]]


def test_a_grid_is_read_cell_by_cell_each_cell_unwrapped() -> None:
    text = layout()
    assert has_grids(text)
    assert blocks_of(text) == [
        (1, "Site name"),
        (4, "Home"), (6, "Archives"), (8, "Contact us"),  # the menu's cell, line by line
        (4, TEXT),  # the article's cell: its lines wrapped at 21 characters joined, at its first line's number
        (len(text.split("\n")) - 1, "Copyright 2002"),
    ]


def test_a_grid_inside_a_cell_is_read_inside_it() -> None:
    inner = grid([textwrap.wrap(TEXT, 16)], width=16)
    lines = grid([["Menu"], inner], width=max(map(len, inner)))
    read, numbers = read_grids(lines)
    assert [t for t in read if t.strip()] == ["Menu", TEXT]
    assert numbers[read.index(TEXT)] == 3  # the inner grid's first row, under both borders


def test_a_cell_of_list_markers_is_read_with_its_items() -> None:
    lines = grid([["•"], ["The first step is to check the hardware."]], width=45)
    lines += grid([["•"], ["Then upgrade the first domain controller."]], width=45)[1:]
    read, _ = read_grids(lines)
    assert [t for t in read if t.strip()] == [
        "• The first step is to check the hardware.", "• Then upgrade the first domain controller.",
    ]
    # a marker beside a grid (the item's text laid out in a table): a line of its own, the grid read
    inner = grid([["Check the hardware first."]], width=30)
    read, _ = read_grids(grid([["•"], inner], width=max(map(len, inner))))
    assert [t for t in read if t.strip()] == ["•", "Check the hardware first."]


def test_lists_and_rules_in_a_cell_stay_lines_of_their_own() -> None:
    cell = ["-   One item that is long", "    enough to wrap here", "-   Another item", "-----------"]
    read, _ = read_grids(grid([cell], width=25))
    assert [t.strip() for t in read if t.strip()] == [
        "-   One item that is long enough to wrap here", "-   Another item", "-----------",
    ]


def test_frames_that_are_not_pandoc_grids_are_left_to_the_column_reader() -> None:
    # links -dump: a frame with a column of text beside it, its cells unpadded,
    # and a frame's foot right above the next frame's top: no grid here
    beside = ["+----------+     Got a tip?", "| Article  |     Tell us", "+----------+"]
    unpadded = ["+------+-----+", "|Globus|Tours|", "+------+-----+"]
    foot = ["| more text |", "+-----------+", "+-----------+", "| A sidebar |", "+-----------+"]
    for lines in (beside, unpadded):
        assert read_grids(lines)[0] == lines
    read, _ = read_grids(foot)
    assert read[:2] == foot[:2]  # the first frame's foot is not read as a grid's top


def test_pages_without_grids_are_not_looked_at() -> None:
    text = "A heading\n\nA + B = C, and a line of dashes:\n-----------\n| a quote |\n"
    assert not has_grids(text)
    assert blocks_of(text) == blocks_of(text.replace("|", " "))[:2] + blocks_of(text)[2:]


def test_grids_nested_too_deep_are_read_as_lines() -> None:
    lines = ["deep text"]
    for _ in range(40):
        width = len(lines[0])
        border = "+" + "-" * (width + 2) + "+"
        lines = [border, *(f"| {line:<{width}} |" for line in lines), border]
    read, numbers = read_grids(lines)  # no RecursionError
    assert len(read) == len(numbers) and any("deep text" in t for t in read)


def test_the_accounting_check_follows_the_grids() -> None:
    from cleaner.check import check_document
    from cleaner.pipeline import clean

    data = layout().encode()
    document = clean(data)
    assert check_document(document, data) == []
    assert TEXT in [p for a in document.articles for p in a.paragraphs]
