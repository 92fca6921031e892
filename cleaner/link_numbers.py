"""Stage 2 helper for the link numbers a text browser writes: ``lynx -dump``
(its default), ``elinks -dump`` and ``w3m`` with link numbers put each link's
number in brackets before its text ("please read our [3]Cookie Policy",
"* [9]Fanposts") and list the links' addresses at the end of the page, under
a "References" line (lynx, elinks: "   1. https://example.com/", "Visible
links:", "Hidden links:"; w3m: "References:", "[1] https://example.com/").

Read as they are, the numbers cut the article's sentences with words no page
has ("our [3]Cookie Policy") and the list of addresses ends up as text. A
page written so is read as the same browser writes it without them
(``lynx -dump -nolist``): each number is taken off its link's text, and the
list is dropped as boilerplate: one block, its "References" line, that
holds the list's lines (as a block holds the lines of a paragraph cut over
several: every line of the input is accounted for).

A page is taken as numbered when it has such a list ("References", then
its first address), or, the list cut off, when at least LINK_NUMBERS_MIN_MARKS
numbers stand before a link's text and most follow each other (3, 4, 5: a
browser numbers links in the order they come). A citation ("as shown [12].",
"a study.[3]") stands after its word and before a space or punctuation,
and a Markdown link ("[2](page-2.html)") before a parenthesis: neither is
taken for one.
"""

from __future__ import annotations

import re
from itertools import islice

from .model import Block, BlockKind

# A link's number as text browsers write it, on a page taken as numbered:
# followed at once by the link's text (w3m writes it even right after a word:
# "Pokorny[51]@DawgsByNature").
LINK_NUMBER = re.compile(r"\[\d+\](?=[^\s.,;:!?)\]=])")
# As evidence that a page is numbered, stricter: at a line's start or after a
# space (or a bullet, a bar between menu items, an opening bracket or quote),
# and before a link's text that opens with a letter, a digit or a quote (not
# punctuation, a parenthesis or another bracket).
NUMBERED_LINK = re.compile(r"(?:^|(?<=[\s(#|*\"'“]))\[(\d+)\](?=[^\s.,;:!?()\[\]])", re.M)
# A page with a link list (below) is numbered. Without one, it needs at least
# this many numbered links...
LINK_NUMBERS_MIN_MARKS = 5
# ...of which at least this share come right after the one numbered one less
# (a browser numbers links in their order; citations repeat and skip).
LINK_NUMBERS_MIN_IN_ORDER = 0.5
# An address in that list: a URL ("https://…", "file:///…", "mailto:…") or,
# as w3m writes a link within the page, "-#anchor".
_ADDRESS = r"(?:[a-z][\w+.-]*:|-?#)"
# The list of the links at a page's end: the "References" line, then its first
# address, numbered as lynx and elinks write it ("1. https://…", maybe below a
# "Visible links" line) or as w3m does ("[1] https://…").
LINK_LIST_OPENING = re.compile(
    r"^References:?[ \t]*\n(?:[ \t]*\n)*(?:[ \t]*Visible links:?[ \t]*\n(?:[ \t]*\n)*)?"
    r"[ \t]*(?:1\.|\[1\]) +" + _ADDRESS,
    re.M,
)
LIST_HEADINGS = ("References", "References:")
# An item of that list (as a block: stripped): an address with its number (an
# address may hold spaces: "52. mailto:?subject=…").
LINK_LIST_ITEM = re.compile(r"^(?:(\d+)\.|\[(\d+)\]) +" + _ADDRESS)
# The list's labels ("Visible links:", "Hidden links:") and an address cut over
# several lines (a "mailto:" link's body) leave at most this many lines
# between one item and the next.
LINK_LIST_MAX_GAP = 3


def has_link_numbers(text: str) -> bool:
    """Whether a text dump was written with its links numbered (see above)."""
    if "[1]" not in text:  # numbering starts at 1: most pages are not looked at past this
        return False
    if LINK_LIST_OPENING.search(text) is not None:
        return True
    numbers = [int(m.group(1)) for m in islice(NUMBERED_LINK.finditer(text), 10 * LINK_NUMBERS_MIN_MARKS)]
    if len(numbers) < LINK_NUMBERS_MIN_MARKS:
        return False
    in_order = sum(1 for a, b in zip(numbers, numbers[1:]) if b == a + 1)
    return in_order >= LINK_NUMBERS_MIN_IN_ORDER * (len(numbers) - 1)


def without_link_numbers(text: str) -> str:
    """text with every link's number taken off ("our [3]Cookie Policy" -> "our Cookie Policy")."""
    return LINK_NUMBER.sub("", text) if "[" in text else text


def read_link_numbers(blocks: list[Block]) -> None:
    """A numbered page's blocks: the numbers taken off their texts."""
    for block in blocks:
        if "[" in block.text:
            block.text = without_link_numbers(block.text)


def fold_link_lists(blocks: list[Block]) -> list[Block]:
    """The blocks with each link list folded into its "References" line: one
    block of the LINK_LIST kind, dropped as boilerplate, that holds the list's
    lines (its addresses numbered from 1 on, its labels). A dump of several
    pages has a list after each. Read as blocks of their own, a list's
    hundred lines of addresses would weigh on where the page's article is
    found as no list does in a dump without numbers."""
    folded: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        end = _list_end(blocks, i + 1) if block.text in LIST_HEADINGS else i + 1
        if end > i + 1:
            block.kind = BlockKind.LINK_LIST
            block.blank_after = blocks[end - 1].blank_after
        block.index = len(folded)
        folded.append(block)
        i = end
    return folded


def _list_end(blocks: list[Block], start: int) -> int:
    """Where the link list whose items start at start ends (start itself: no
    list there). Its items are numbered from 1 on, each above the one before
    (a browser may skip a number: a form's field); the lines between two
    (its labels, the rest of a cut address) are the list's too."""
    end = start
    last = 0
    for j in range(start, len(blocks)):
        if j > end + LINK_LIST_MAX_GAP:
            break
        item = LINK_LIST_ITEM.match(blocks[j].text)
        number = 0 if item is None else int(item.group(1) or item.group(2))
        if number == 1 if last == 0 else number > last:
            last = number
            end = j + 1
    return end
