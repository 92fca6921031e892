"""Stage 2: a text browser's numbered links (lynx -dump's default) are read
without their numbers, and its list of the links' addresses is dropped."""

from __future__ import annotations

from cleaner import clean
from cleaner.blocks import split_blocks
from cleaner.check import check_document
from cleaner.config import CleanerConfig
from cleaner.link_numbers import LINK_NUMBERS_MIN_MARKS, has_link_numbers, without_link_numbers
from cleaner.model import BlockKind
from cleaner.read import read_input

CONFIG = CleanerConfig()

PARAGRAPHS = [
    "The council voted on Tuesday to close the [4]old library on Main Street, ending a century of service to the "
    "town's readers.",
    "Residents who spoke at the meeting said the building had been neglected for years and that the "
    "[5]renovation plan of 2019 was never carried out.",
    "The mayor said the collection would move to the new community centre, which opens in the spring, and "
    "that the old building would be sold.",
    "A petition to keep the library open gathered more than two thousand signatures, according to the "
    "[6]Friends of the Library group.",
]


def lynx_page(first: int = 1) -> str:
    """A page as lynx -dump writes it: numbered links, then the list of their addresses."""
    menu = "\n".join(f"     * [{first + n}]{item}" for n, item in enumerate(["Home", "News", "Sport"]))
    body = "\n\n".join(p.replace("[4]", f"[{first + 3}]").replace("[5]", f"[{first + 4}]").replace(
        "[6]", f"[{first + 5}]") for p in PARAGRAPHS)
    addresses = "\n".join(f"   {n}. https://example.com/page-{n}" for n in range(1, 7))
    return (
        f"   #[{first}]Example News\n\n{menu}\n\n Library to close\n\n{body}\n\n"
        f"References\n\n   Visible links:\n{addresses}\n\n   Hidden links:\n   8. https://example.com/hidden\n"
    )


def test_numbers_are_taken_off_and_the_list_is_one_dropped_block() -> None:
    page = lynx_page()
    assert has_link_numbers(page)
    blocks = split_blocks(read_input(page), CONFIG)[0]
    texts = [b.text for b in blocks]
    assert "* Home" in texts and "#Example News" in texts
    assert any(t.startswith("The council voted on Tuesday to close the old library") for t in texts)
    assert not any("[" in t for t in texts)
    # the list: its heading's block, holding its lines; nothing of it is a block of its own
    assert texts[-1] == "References" and blocks[-1].kind is BlockKind.LINK_LIST
    assert not any("example.com" in t for t in texts)
    assert [b.index for b in blocks] == list(range(len(blocks)))


def test_the_article_comes_out_without_numbers_and_every_line_is_accounted_for() -> None:
    page = lynx_page()
    document = clean(page)
    body = [p for a in document.articles for p in a.paragraphs]
    assert body == [p.replace("[4]", "").replace("[5]", "").replace("[6]", "") for p in PARAGRAPHS]
    reasons = {d.text: d.reason for d in document.dropped}
    assert "list of the page's links" in reasons["References"]
    assert check_document(document, page) == []


def test_a_dump_of_two_pages_has_two_lists() -> None:
    page = lynx_page() + "\n" + lynx_page()
    blocks = split_blocks(read_input(page), CONFIG)[0]
    assert [b.kind for b in blocks if b.text == "References"] == [BlockKind.LINK_LIST] * 2
    assert not any("example.com" in b.text for b in blocks)


def test_an_address_cut_over_lines_and_a_skipped_number_stay_in_the_list() -> None:
    page = (
        lynx_page().split("References")[0] + "References\n\n"
        "   1. https://example.com/a\n   2. mailto:?subject=Library to close&body=The council voted\n\n"
        "https://example.com/a\n   4. https://example.com/d\n"
    )
    blocks = split_blocks(read_input(page), CONFIG)[0]
    assert blocks[-1].text == "References" and blocks[-1].kind is BlockKind.LINK_LIST


def test_a_references_section_of_an_article_is_not_a_link_list() -> None:
    # a paper's references: not numbered addresses from 1 on
    page = lynx_page().split("References")[0] + "References\n\n1. Smith, J. (2001). Libraries. Oxford.\n"
    blocks = split_blocks(read_input(page), CONFIG)[0]
    assert [b.kind for b in blocks if b.text == "References"] != [BlockKind.LINK_LIST]
    assert "1. Smith, J. (2001). Libraries. Oxford." in [b.text for b in blocks]


def test_numbers_without_their_list_are_read_when_they_follow_each_other() -> None:
    marks = " ".join(f"[{n}]Item{n}" for n in range(1, LINK_NUMBERS_MIN_MARKS + 1))
    assert has_link_numbers(marks)
    assert without_link_numbers(marks) == " ".join(f"Item{n}" for n in range(1, LINK_NUMBERS_MIN_MARKS + 1))
    fewer = " ".join(f"[{n}]Item{n}" for n in range(1, LINK_NUMBERS_MIN_MARKS))
    assert not has_link_numbers(fewer)
    shuffled = " ".join(f"[{n}]Item" for n in (1, 9, 3, 7, 2, 8, 4, 6))
    assert not has_link_numbers(shuffled)


def test_citations_and_markdown_links_are_not_link_numbers() -> None:
    cited = " ".join(f"A finding was reported [{n}]. Another study agreed.[{n + 1}] More" for n in range(1, 20, 2))
    assert not has_link_numbers(cited)
    markdown = " ".join(f"[{n}](page-{n}.html)" for n in range(1, 12))
    assert not has_link_numbers(markdown)
    page = "Title\n\n" + cited + "\n"
    assert [b.text for b in split_blocks(read_input(page), CONFIG)[0]] == ["Title", cited]


def test_a_page_without_numbers_is_read_as_before() -> None:
    page = "\n\n".join(PARAGRAPHS).replace("[4]", "").replace("[5]", "").replace("[6]", "")
    assert not has_link_numbers(page)
    texts = [b.text for b in split_blocks(read_input(page), CONFIG)[0]]
    assert texts == page.split("\n\n")


def test_w3m_writes_its_numbers_and_its_list_its_own_way() -> None:
    # w3m -dump -o display_link_number=1: a number even right after a word, "References:", "[1] address"
    page = (
        "[1]Skip to main content\n\n"
        + "\n\n".join(PARAGRAPHS).replace("[4]", "[2]").replace("[5]", "[3]").replace("[6]", "[4]")
        + "\n\nBy Jane Doe[5]@janedoe\n\nReferences:\n\n[1] -#content\n[2] https://example.com/a\n"
        "[3] https://example.com/b\n[4] https://example.com/c\n[5] https://example.com/d\n"
    )
    assert has_link_numbers(page)
    blocks = split_blocks(read_input(page), CONFIG)[0]
    texts = [b.text for b in blocks]
    assert texts[0] == "Skip to main content" and "By Jane Doe@janedoe" in texts
    assert texts[-1] == "References:" and blocks[-1].kind is BlockKind.LINK_LIST
    assert not any("[" in t or "example.com" in t for t in texts)
    assert check_document(clean(page), page) == []
