"""Stage 2 helper for tables drawn as grids of ASCII cells: ``pandoc -t plain``
(as reStructuredText does; links -dump pads some of its frames so) draws a
table whose cells hold paragraphs as

    +-----------------------+-----------------------+
    | []                    | The Journal of the    |
    |                       | Australian Associatio |
    |                       | n of Writing Programs |
    +-----------------------+-----------------------+

each cell's text wrapped at the cell's width, and a table inside a cell drawn
inside it. A page laid out in tables comes out as its article in a column a
few words wide beside its menus' columns; read line by line, each line holds a
piece of every cell of its row, and a sentence runs over twenty lines of a
few words each.

A grid is known by its border lines ("+---+---+", "+:---:+", "+===+") and the
"|" below each of their corners; it ends at its last border line. It is read
row by row and each row cell by cell, left to right, as a browser reads a
layout table: a cell's lines are read the same way (a grid inside it is read
as a grid), and its lines wrapped at its width are joined (wrapped.is_wrapped:
the next line's first word would not have fitted on the line above; pandoc
cuts a word that cannot be broken, "Associatio" "n", where it ends the line,
and such a word stays cut). Each line read keeps the number of the line it
came from; the borders are left out, as columns.py leaves them out. Pages with
no grid (most: no line is a border) are not looked at past a quick search.
"""

from __future__ import annotations

import re

from .text import HAS_WORD
from .wrapped import ITEM_START, is_wrapped, joined_wrap

# A grid's border line: corners ("+") joined by runs of "-", "=" or ":" (a
# column's alignment), at least two corners, nothing else on the line but spaces.
GRID_BORDER = re.compile(r"[ ]*\+(?:[-=:]+\+)+[ ]*$")
_BORDER_LINE = re.compile("^" + GRID_BORDER.pattern, re.MULTILINE)  # any line of a text that is one
# A cell's text stands this many spaces from its walls (pandoc's padding): the
# width its lines were wrapped at is the wall's distance less the padding.
CELL_PADDING = 1
GRID_WALL = "|"
GRID_CORNER = "+"
# Grids are read inside grids this deep at most (pandoc's layouts nest three
# or four); a grid deeper still is read as lines, as its cell's text.
MAX_GRID_DEPTH = 16


def has_grids(text: str) -> bool:
    """Whether any line of text is a grid's border (found at a glance on most pages)."""
    return "+-" in text and _BORDER_LINE.search(text) is not None


def read_grids(lines: list[str]) -> tuple[list[str], list[int]]:
    """The lines with each grid read cell by cell (a blank line between two
    cells), and the number (from 1) of the line each comes from."""
    read = _read(lines, list(range(1, len(lines) + 1)), None, 0)
    return [text for text, _ in read], [number for _, number in read]


def _read(lines: list[str], numbers: list[int], width: int | None, depth: int) -> list[tuple[str, int]]:
    """lines read with their grids' cells in order; width: the width of the
    cell they fill, whose wrapped lines are joined (None: the page's own
    lines, left as they are); depth: how many grids they are inside."""
    read: list[tuple[str, int]] = []
    previous_raw = ""  # the line above as written, in the cell (none after a blank line or a grid)
    i = 0
    while i < len(lines):
        line = lines[i]
        if depth < MAX_GRID_DEPTH and GRID_BORDER.match(line) is not None:
            end, cells = _grid(lines, i)
            if end > i + 1:  # a grid (its borders and empty cells are left out)
                for cell_lines, first, cell_width in cells:
                    read.extend(_read(cell_lines, numbers[first: first + len(cell_lines)], cell_width, depth + 1))
                    read.append(("", numbers[first]))
                previous_raw = ""
                i = end
                continue
        if width is None:
            read.append((line, numbers[i]))
        elif not line.strip():
            if previous_raw:
                read.append(("", numbers[i]))
            previous_raw = ""
        elif previous_raw and _carries_on(previous_raw, line, width):
            joined, number = read[-1]
            read[-1] = (joined + joined_wrap(joined, line.strip()), number)
            previous_raw = line
        else:
            read.append((line.rstrip(), numbers[i]))
            previous_raw = line
        i += 1
    return read


def _carries_on(previous_raw: str, line: str, width: int) -> bool:
    """Whether a cell's line carries on the line above it, wrapped at the
    cell's width (wrapped.is_wrapped), where both hold words: a rule
    ("-------", a table's inside the cell) is a line of its own."""
    above, text = previous_raw.strip(), line.strip()
    return (
        HAS_WORD.search(above) is not None and HAS_WORD.search(text) is not None
        and is_wrapped(previous_raw, text, width)
    )


def _grid(lines: list[str], start: int) -> tuple[int, list[tuple[list[str], int, int]]]:
    """The grid whose first border line is lines[start]: the index past its
    last border line (start + 1 when no border under it closes a row), and
    its cells in reading order, each as its lines (its walls and padding
    taken off), the index of its first line and its width."""
    border = lines[start]
    corners = [k for k, ch in enumerate(border) if ch == GRID_CORNER]
    left, right = corners[0], corners[-1]
    if start and _is_side(lines[start - 1], left, right):  # the foot of a frame that opened otherwise
        return start + 1, []
    cells: list[tuple[list[str], int, int]] = []
    end = start + 1
    top = corners  # the corners above the row being read
    row: list[int] = []  # its lines
    k = start + 1
    while k < len(lines):
        line = lines[k]
        if GRID_BORDER.match(line) is not None and _ends(line) == (left, right):
            if row:
                cells.extend(_row_cells(lines, row, top))
            end = k + 1
            top, row = [j for j, ch in enumerate(line) if ch == GRID_CORNER], []
        elif (
            len(line) > right and line[left] == GRID_WALL and line[right] == GRID_WALL
            and line[left + 1: left + 1 + CELL_PADDING] == line[right - CELL_PADDING: right] == " " * CELL_PADDING
            and not line[:left].strip() and not line[right + 1:].strip()
        ):  # a row's line, padded, nothing beside the grid (text beside it: a layout's column, columns.py)
            row.append(k)
        else:
            break
        k += 1
    return end, cells


def _is_side(line: str, left: int, right: int) -> bool:
    """Whether a line has a wall at either corner of a border (it is above
    the border: that border closes a frame)."""
    return any(len(line) > c and line[c] == GRID_WALL for c in (left, right))


def _ends(border: str) -> tuple[int, int]:
    """The first and last corner of a border line."""
    return border.index(GRID_CORNER), border.rindex(GRID_CORNER)


def _row_cells(lines: list[str], row: list[int], corners: list[int]) -> list[tuple[list[str], int, int]]:
    """A row's cells, left to right: between two of the corners above it
    where every line of the row has a wall (a cell spanning columns has none
    inside), the lines' text within, its padding taken off; empty cells left out."""
    walls = [c for c in corners if all(len(lines[k]) > c and lines[k][c] == GRID_WALL for k in row)]
    cells = []
    # a cell that holds a list item's marker alone (wrapped.ITEM_START: "•", "-",
    # "1.", set in a column of its own: a layout table's bullets) is read with
    # the item's text in the cell after it, as columns.py reads such a column
    marker = ""
    for a, b in zip(walls, walls[1:]):
        text = [_unpadded(lines[k][a + 1: b]) for k in row]
        written = [piece for piece in text if piece.strip()]
        if not written:
            continue
        if len(written) == 1 and ITEM_START.fullmatch(written[0].strip()) is not None:
            marker += written[0].strip() + " "
            continue
        if marker:
            first = next(k for k, piece in enumerate(text) if piece.strip())
            if GRID_BORDER.match(text[first]) is None:
                text[first] = marker + text[first].lstrip()
            else:  # the item's text is a grid: the marker is a cell of its own
                cells.append(([marker.rstrip()], row[0], len(marker)))
            marker = ""
        cells.append((text, row[0], b - a - 1 - 2 * CELL_PADDING))
    if marker:  # a marker with no cell after it: a cell of its own
        cells.append(([marker.rstrip()], row[0], len(marker)))
    return cells


def _unpadded(piece: str) -> str:
    """A cell's line without its padding: the spaces next to its walls."""
    if piece[:CELL_PADDING] == " " * CELL_PADDING:
        piece = piece[CELL_PADDING:]
    return piece.rstrip()
