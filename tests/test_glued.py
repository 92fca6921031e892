"""Stage 2: a page a scraper wrote as one line (get_text() of minified HTML)
is cut where its elements were."""

from __future__ import annotations

from cleaner.check import check_document
from cleaner.glued import GLUED_MIN_CHARS, unglued
from cleaner.pipeline import clean

MENU = "HomeAboutContactPrivacy Policy  Search"
STORY = [
    "Cooler weather has finally arrived, even in my little corner of the world known as the Lowcountry.",
    "I thought I would put together a round up of all of the warm and hearty soups that are already here.",
    "It is a technique that I have referred to in the past as the soup of whatever must go, and it works.",
    "So it is always a mishmash of vegetables on the verge, leftover meats, and a good stock to hold it all.",
    "While I find it easy to cook by feel, it does take a little practice, and a few failures on the way.",
] * 3
LINKS = "Related PostsCornbread and Sausage DressingThe Many Uses of Bacon FatHoppin' John Rice and PeasWinter Chili"


def glued_page() -> str:
    # the sentences of a paragraph have their spaces; the paragraphs, the menu and the links do not
    paragraphs = [" ".join(STORY[k: k + 3]) for k in range(0, len(STORY), 3)]
    return MENU + "Let's Make Soup this Fall" + "".join(paragraphs) + "  " + LINKS + "\n"


def test_a_glued_page_is_cut_at_its_paragraphs_its_gaps_and_its_glued_links() -> None:
    text = glued_page()
    assert len(text) >= GLUED_MIN_CHARS
    found = unglued(text.split("\n"), None)
    assert found is not None
    lines, numbers = found
    paragraphs = [" ".join(STORY[k: k + 3]) for k in range(0, len(STORY), 3)]
    assert lines[:4] == ["Home", "About", "Contact", "Privacy Policy"]  # links glued to each other
    assert paragraphs[1:] == [line for line in lines if line in paragraphs[1:]]
    assert "Related Posts" in lines and "Cornbread and Sausage Dressing" in lines
    assert set(numbers) == {1, 2}


def test_lines_that_are_not_glued_are_left_alone() -> None:
    long_paragraph = " ".join(STORY)  # long, but each sentence ends before a space
    assert len(long_paragraph) >= GLUED_MIN_CHARS
    assert unglued([long_paragraph, "Another line."], None) is None
    assert unglued(["Only a few.Glued ends.Here", "x"], None) is None  # short: not looked at
    # a name written as one word ("PowerPoint") in a glued page's paragraph does not cut it
    named = glued_page().replace("little practice", "little PowerPoint practice")
    found = unglued(named.split("\n"), None)
    assert found is not None and any("little PowerPoint practice" in line for line in found[0])


def test_a_glued_pages_article_is_found_and_accounted_for() -> None:
    data = glued_page().encode()
    document = clean(data)
    body = "\n".join(p for a in document.articles for p in a.paragraphs)
    assert STORY[5] in body and "HomeAbout" not in body and "Cornbread" not in body
    assert check_document(document, data) == []


def test_a_page_glued_at_its_elements_gaps_alone_is_cut_there() -> None:
    # no sentence glued to the next (each paragraph ends in a link or a space),
    # but the markup's whitespace between the elements left runs of spaces after words
    items = ["Featured Stories", "Geeky Parents Are More Likely to Build Robots", "Election Results Are In"]
    paragraphs = [" ".join(STORY[k: k + 3]) for k in range(0, len(STORY), 3)]
    line = "   ".join(items) + "    " + "      ".join(paragraphs) + "   Posted in Humor   1 Comment\n"
    assert len(line) >= GLUED_MIN_CHARS
    found = unglued(line.split("\n"), None)
    assert found is not None
    assert found[0][:3] == items and all(p in found[0] for p in paragraphs)


def test_a_long_paragraph_with_two_spaces_after_its_sentences_and_a_style_sheet_are_left_alone() -> None:
    two_spaces = "  ".join(STORY)  # a writer's two spaces after each full stop
    assert len(two_spaces) >= GLUED_MIN_CHARS and unglued([two_spaces], None) is None
    # a style sheet kept as text (textContent), its rules set apart by runs of spaces
    css = "   ".join(f".nav-item{k} a  {{ color: #333; margin: 0 {k}px; }}" for k in range(40))
    assert len(css) >= GLUED_MIN_CHARS and unglued([css], None) is None
