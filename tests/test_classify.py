"""The line models: a tree ensemble compiled from its JSON form scores as its trees say."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cleaner import CleanerConfig, clean
from cleaner.classify import (
    COMMENT_STAMP, COMMENT_STAMP_MAX_WORDS, FEATURE_NAMES, HTML_FEATURE_NAMES, _is_comment_stamp, _window_means,
    compile_trees, line_features, pack_trees, score_blocks,
)
from cleaner.model import Landmark
from test_html import article_html, page

DEV_TEXT = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev" / "text"

# Two trees: the first splits on feature 0, the second on feature 1 then feature 0.
ENSEMBLE = pack_trees(-0.5, [
    [[0, 1.5, 1, 2, 0.0], [-1, 0.0, -1, -1, -1.0], [-1, 0.0, -1, -1, 2.0]],
    [
        [1, 0.0, 1, 2, 0.0],
        [-1, 0.0, -1, -1, 0.25],
        [0, 3.0, 3, 4, 0.0],
        [-1, 0.0, -1, -1, -0.75],
        [-1, 0.0, -1, -1, 0.5],
    ],
])


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_compiled_trees_add_the_leaves_they_reach() -> None:
    predict = compile_trees(ENSEMBLE)
    assert math.isclose(predict([1.0, -1.0]), sigmoid(-0.5 - 1.0 + 0.25))  # left, left
    assert math.isclose(predict([1.5, 0.0]), sigmoid(-0.5 - 1.0 + 0.25))  # a threshold goes left
    assert math.isclose(predict([2.0, 1.0]), sigmoid(-0.5 + 2.0 - 0.75))  # right; right then left
    assert math.isclose(predict([4.0, 1.0]), sigmoid(-0.5 + 2.0 + 0.5))  # right; right then right


def test_compiled_trees_take_numbers_only() -> None:
    hostile = {"base": "__import__('os')", "roots": [], "nodes": ""}
    try:
        compile_trees(hostile)
    except ValueError:
        return
    raise AssertionError("a non-number in a model file must be refused")


def test_packed_trees_whose_nodes_do_not_fit_together_are_refused() -> None:
    leaf = [-1, 0.0, -1, -1, 1.0]
    for trees in ([[[0, 1.5, 0, 1, 0.0], leaf]], [[[0, 1.5, 1, 5, 0.0], leaf, leaf]]):  # a loop; a child past the nodes
        with pytest.raises(ValueError):
            compile_trees(pack_trees(0.0, trees))
    with pytest.raises(ValueError):  # a root past the nodes
        compile_trees({**ENSEMBLE, "roots": [0, 99]})
    with pytest.raises(ValueError):  # not whole nodes
        compile_trees({**ENSEMBLE, "nodes": pack_trees(0.0, [[leaf]])["nodes"][:-4]})


def test_shipped_html_model_cleans_a_page() -> None:
    html = page(article_html("Bridge"))
    document = clean(html.encode(), config=CleanerConfig(), input_format="html")
    assert document.articles and len(document.articles[0].paragraphs) == 6


def test_the_headline_named_by_the_pages_title_opens_its_section() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.dedupe import mark_duplicates
    from cleaner.read import read_input

    html = (
        "<html><head><title>Toon Cafe: Little gifts for friends</title></head><body>"
        "<div id='side'><h2>Toon Cafe</h2><p>About me: I draw things and write a blog about them.</p></div>"
        "<div class='post'><h3>Little gifts for friends</h3><div>Dear all, I would love to invite you to a book event.</div>"
        "<div>Hope to see you there.</div><h4>Leave a comment</h4><p>Name (required)</p></div></body></html>"
    )
    config = CleanerConfig()
    blocks, meta = split_blocks(read_input(html, input_format="html"), config)
    blocks = mark_duplicates(blocks, config)
    rows = line_features(blocks, html=True, titles=(meta.title, meta.page_title))
    section = HTML_FEATURE_NAMES.index("title_section")
    element = HTML_FEATURE_NAMES.index("title_element")
    got = {b.text: (row[section], row[element]) for b, row in zip(blocks, rows)}
    # "Toon Cafe" names the page too, but the nearest headline above a block is the one it stands under
    assert got["About me: I draw things and write a blog about them."] == (1.0, 1.0)
    assert got["Dear all, I would love to invite you to a book event."] == (1.0, 1.0)
    assert got["Hope to see you there."] == (1.0, 1.0)
    assert got["Name (required)"] == (0.0, 1.0)  # a heading of its own ends the headline's section
    untitled = line_features(blocks, html=True)
    assert {(row[section], row[element]) for row in untitled} == {(0.0, 0.0)}


def test_text_comment_features_mark_what_follows_a_comments_heading_with_stamps() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.classify import FEATURE_NAMES, line_features
    from cleaner.read import read_input

    lines = ["Comments", "Contact", "Posted May 3, 2012 10:32 AM"] + [f"Paragraph {n} of the story." for n in range(20)]
    lines += ["12 Comments", "Ann Lee | May 3, 2012 1:56 PM | Reply", "I liked it.", "Bob | 2 hours ago", "Me too."]
    blocks = split_blocks(read_input("\n\n".join(lines)), CleanerConfig())[0]
    rows = line_features(blocks)
    after = [row[FEATURE_NAMES.index("after_comments_heading")] for row in rows]
    # the first "Comments" (a menu link: only the article's time follows it) opens nothing
    assert after == [0.0] * 24 + [1.0] * 4
    stamps = [row[FEATURE_NAMES.index("stamp_near")] for row in rows]
    assert stamps[10] == 0.0 and stamps[26] > 0.0



def test_a_copyright_line_ends_the_comments_and_the_next_pages_comments_open_again() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.read import read_input

    comments = ["12 Comments", "Ann Lee | May 3, 2012 1:56 PM | Reply", "I liked it.", "Bob | 2 hours ago", "Me too."]
    first = [f"Paragraph {n} of the first story." for n in range(5)] + comments
    second = [f"Paragraph {n} of the next page's story." for n in range(5)] + comments
    lines = first + ["© 2012 Example News. All rights reserved."] + second
    blocks = split_blocks(read_input("\n\n".join(lines)), CleanerConfig())[0]
    after = [row[FEATURE_NAMES.index("after_comments_heading")] for row in line_features(blocks)]
    # the foot's copyright line is the last line of the first page's comments;
    # the next page's story follows no comments heading
    assert after == [0.0] * 6 + [1.0] * 5 + [0.0] * 6 + [1.0] * 4

def test_a_comment_section_ends_at_the_pages_copyright_line() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.read import read_input

    story = [f"Paragraph {n} of the story, long enough to read as prose." for n in range(8)]
    comments = ["12 Comments", "Ann Lee | May 3, 2012 1:56 PM | Reply", "I liked it.", "Bob | 2 hours ago", "Me too."]
    # the next page of a dump: a newsgroup thread whose posts carry a clock time each
    thread = [
        line for n in range(3)
        for line in (f"Date: Thu, 0{n + 6} May 1999 01:17:32 GMT", f"Post {n} of the thread, long enough to read as prose.")
    ]
    lines = story + comments + ["© 2012 Example News. All rights reserved."] + thread
    blocks = split_blocks(read_input("\n\n".join(lines)), CleanerConfig())[0]
    score_blocks(blocks, CleanerConfig())
    marked = [bool(b.landmarks & Landmark.COMMENTS) for b in blocks]
    # the stamps below the foot are within reach of the comments' last, but another page's
    assert marked == [False] * len(story) + [True] * len(comments) + [False] * (1 + len(thread))


def test_comments_whose_stamps_stand_under_long_comments_are_one_section() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.read import read_input

    story = [f"Paragraph {n} of the story, long enough to read as prose." for n in range(8)]
    comments = ["{ 3 comments }"]
    for name in ("Ann", "Bob", "Cy"):
        comments += [f"{name}'s thought {n} on the story, at some length." for n in range(4)]
        comments += [f"Posted by {name} on May 3, 2012 at 7:56 am | permalink | Reply"]
    comments += [f"Cy's last word {n}." for n in range(30)] + ["Dee said,", "Thanks."]
    lines = ["Comments (0)", "Posted by Ann on May 2, 2012 at 9:00 am"] + story + comments
    blocks = split_blocks(read_input("\n\n".join(lines)), CleanerConfig())[0]
    score_blocks(blocks, CleanerConfig())
    marked = [bool(b.landmarks & Landmark.COMMENTS) for b in blocks]
    # "Comments (0)" counts none: it opens nothing; the bracketed count does, its
    # first stamp five lines on; a 30-line comment is crossed to "Dee said,"
    assert marked == [False] * 10 + [True] * (len(lines) - 10)


def test_a_counted_comment_section_signed_by_names_alone_is_marked_and_an_articles_subheadings_are_not() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.read import read_input

    prose = "a comment of some length on the story, as readers write them here."
    story = [f"Paragraph {n} of the story, long enough to read as prose." for n in range(8)]
    comments = ["{ 3 comments }"] + [line for name in ("Ann Lee", "Bob", "Cy Young") for line in (name, f"{name}'s {prose}")]
    # an article under its own count of comments, with subheadings that read as names
    article = ["3 Comments", "The story's first paragraph, long enough to read as prose."] + [
        line for head in ("Blog Commenting", "Forum Posting", "Social Networks")
        for line in ("A paragraph of the section, long enough to read.", head, f"About {head}: {prose}")
    ]
    for lines, first in ((story + comments, len(story)), (article + story, None)):
        blocks = split_blocks(read_input("\n\n".join(lines)), CleanerConfig())[0]
        score_blocks(blocks, CleanerConfig())
        marked = [bool(b.landmarks & Landmark.COMMENTS) for b in blocks]
        assert marked == ([False] * first + [True] * (len(lines) - first) if first is not None else [False] * len(lines))
    one = ["1 Comment"] + comments[1:]  # counts fewer comments than it would need names
    blocks = split_blocks(read_input("\n\n".join(story + one)), CleanerConfig())[0]
    score_blocks(blocks, CleanerConfig())
    assert not any(b.landmarks & Landmark.COMMENTS for b in blocks)


def test_a_name_with_its_avatars_mark_before_it_signs_a_comment() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.read import read_input

    # links and lynx write a comment's avatar as an image's mark before the name
    prose = "a comment of some length on the story, as readers write them here."
    story = [f"Paragraph {n} of the story, long enough to read as prose." for n in range(8)]
    names = ("[IMG] Ann Lee", "[IMG] Bob", "[avatar] Cy Young")
    comments = ["{ 3 comments }"] + [line for name in names for line in (name, f"{name[6:]}'s {prose}")]
    blocks = split_blocks(read_input("\n\n".join(story + comments)), CleanerConfig())[0]
    score_blocks(blocks, CleanerConfig())
    assert [bool(b.landmarks & Landmark.COMMENTS) for b in blocks] == [False] * len(story) + [True] * len(comments)


def test_comments_stamped_by_dates_alone_are_a_section_when_the_dates_follow_closely() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.read import read_input

    story = [f"Paragraph {n} of the story, long enough to read as prose." for n in range(8)]
    comments = ["Comments (3)"] + [
        line for n, name in enumerate(("Ann Lee", "Bob", "Cy Young"), 1)
        for line in (f"{n}. {name} - August 8, 2012", f"{name}'s comment on the story, at some length.")
    ]
    # a "Comments" link in the menu, the article's date under it, the comments' dates far below
    menu = ["Home", "Comments", "About", "October 25th, 2012 by Dan Meyer"] + story
    worded = ["3 appreciated comments on “The story”"] + comments[1:]  # a word between the count and "comments"
    cases = ((story + comments, len(story)), (story + worded, len(story)), (menu + story + comments[1:], None))
    for lines, first in cases:
        blocks = split_blocks(read_input("\n\n".join(lines)), CleanerConfig())[0]
        score_blocks(blocks, CleanerConfig())
        marked = [bool(b.landmarks & Landmark.COMMENTS) for b in blocks]
        assert marked == ([False] * first + [True] * (len(lines) - first) if first is not None else [False] * len(lines))
    two = story + comments[:5]  # two dated lines: fewer than a section needs
    blocks = split_blocks(read_input("\n\n".join(two)), CleanerConfig())[0]
    score_blocks(blocks, CleanerConfig())
    assert not any(b.landmarks & Landmark.COMMENTS for b in blocks)


def test_a_list_of_posts_counting_each_ones_comments_is_no_comment_section() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.read import read_input

    # a blog's front page as get_text writes it: each post's foot on lines of its own
    lines = []
    for n, count in enumerate((1, 0, 2, 1)):
        lines += [f"Post {n}", f"Paragraph {n} of a post, long enough to read as prose, at some length."]
        lines += [f"Friday December {22 - n}, 2006 |", "permalink", "|", f"comments ({count})"]
    # one article's count printed again above its comments is a heading still
    story = [f"Paragraph {n} of the story, long enough to read as prose." for n in range(8)]
    comments = ["Ann Lee | May 3, 2012 1:56 PM | Reply", "I liked it.", "Bob | 2 hours ago", "Me too."]
    article = ["3 Comments"] + story + ["3 Comments", "3 Comments"] + comments
    for dump, first in ((lines, None), (article, len(story) + 1)):
        blocks = split_blocks(read_input("\n\n".join(dump)), CleanerConfig())[0]
        score_blocks(blocks, CleanerConfig())
        marked = [bool(b.landmarks & Landmark.COMMENTS) for b in blocks]
        assert marked == ([False] * first + [True] * (len(dump) - first) if first is not None else [False] * len(dump))


@pytest.mark.parametrize("text, heading", [
    ("One Response to “Paris Meetup and Upcoming Bootcamp”", True), ("2 thoughts on “Let's Make Soup”", True),
    ("Two Comments", True), ("{ 167 comments }", True), ("3 Trackbacks", True),
    ("Thoughts on the budget", False), ("One of the comments was rude", False), ("Nine lives", False),
])
def test_a_comments_heading_may_spell_its_count(text: str, heading: bool) -> None:
    from cleaner.classify import is_comments_heading

    assert is_comments_heading(text) is heading


@pytest.mark.parametrize("text, heading", [
    ("Kommentare (3)", True), ("1 Kommentar", True), ("12 commentaires", True), ("Comentários", True),
    ("3 commenti", True), ("Schreibe einen Kommentar", True), ("Deixe um comentário", True),
    ("Lascia un commento", True), ("Geef een reactie", True),
    # the singular alone heads an opinion piece
    ("Kommentar", False), ("Kommentar des Chefredakteurs", False), ("Il commento", False), ("Comentario", False),
])
def test_a_comments_heading_in_other_languages(text: str, heading: bool) -> None:
    from cleaner.classify import is_comments_heading

    assert is_comments_heading(text) is heading


STAMP_CASES = (
    "Posted by: Ann at May 3, 2012 1:56 PM", "2 hours ago", "3 DAYS AGO", "Reply", "report abuse", "REPORT ABUSE",
    "Recommend", "John says:", "Ann wrote :", "at 10:45 pm", "A sentence with no stamp in it.", "Like", "ago",
    "PERMALINK", "Quote", "flag", "lıke", "lİke", "RepLy", "Progress Trap said,", "said, he",
)


@pytest.mark.skipif(not DEV_TEXT.exists(), reason="needs ../shared/eval/dev")
def test_comment_stamp_prefilter_lets_every_stamp_through() -> None:
    # _is_comment_stamp searches only lines that may match COMMENT_STAMP: the same answers
    lines = [line.strip() for path in sorted(DEV_TEXT.glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    for line in [*STAMP_CASES, *lines]:
        expected = line.count(" ") < COMMENT_STAMP_MAX_WORDS and COMMENT_STAMP.search(line) is not None
        assert _is_comment_stamp(line) is expected, line


@pytest.mark.parametrize("half", [1, 3, 8, 25])
def test_window_means_are_each_windows_mean(half: int) -> None:
    # whole numbers: the sums are exact whichever way they are added
    for n in range(2 * half + 5):
        values = [float(i * i % 7) for i in range(n)]
        windows = [values[max(0, i - half): i + half + 1] for i in range(n)]
        assert _window_means(values, half) == [sum(w) / len(w) for w in windows]


def test_rows_have_every_feature_of_the_model() -> None:
    from cleaner.blocks import split_blocks
    from cleaner.dedupe import mark_duplicates
    from cleaner.read import read_input

    text = "Home\n\nNews\n\nA sentence of the story, long enough to be prose: it goes on.\n\nHome\n\n(c) 2024 Example"
    config = CleanerConfig()
    blocks = mark_duplicates(split_blocks(read_input(text), config)[0], config)
    rows = line_features(blocks)
    assert [len(row) for row in rows] == [len(FEATURE_NAMES)] * len(blocks)
    column = dict(zip(FEATURE_NAMES, zip(*rows)))
    assert column["position"] == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert column["is_repeat"] == (0.0, 0.0, 0.0, 1.0, 0.0) and column["log_copies"][0] == math.log(2)
    assert column["ends_sentence"][2] == 1.0 and column["copyright"][4] == 1.0
