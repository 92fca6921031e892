"""Stage 2: split_blocks() turns decoded text or HTML into one block per line, with kind hints."""

from __future__ import annotations

import pytest

from cleaner.blocks import split_blocks
from cleaner.config import CleanerConfig
from cleaner.model import Block, BlockKind, InputKind
from cleaner.read import read_input

CONFIG = CleanerConfig()


def blocks_of(text: str) -> list[Block]:
    return split_blocks(read_input(text), CONFIG)[0]


def test_one_block_per_non_blank_line_with_line_numbers() -> None:
    blocks = blocks_of("Home\nNews\n\nFirst paragraph.\n\n\nSecond paragraph.\n")
    assert [(b.index, b.line, b.text) for b in blocks] == [
        (0, 1, "Home"), (1, 2, "News"), (2, 4, "First paragraph."), (3, 7, "Second paragraph."),
    ]


def test_blank_line_flags() -> None:
    blocks = blocks_of("Home\nNews\n\nFirst paragraph.\n")
    assert [(b.blank_before, b.blank_after) for b in blocks] == [(True, False), (False, True), (True, True)]


def test_a_dump_with_no_blank_line_reads_each_line_as_standing_apart() -> None:
    # Common Crawl's WET text, get_text() joined line by line: margins say nothing
    no_blanks = blocks_of("Home\nNews\nFirst paragraph.\nSecond paragraph.\n")
    assert [(b.blank_before, b.blank_after) for b in no_blanks] == [(True, True)] * 4
    # one blank line anywhere: the margins are the page's own
    one_blank = blocks_of("Home\nNews\n\nFirst paragraph.\nSecond paragraph.\n")
    assert [(b.blank_before, b.blank_after) for b in one_blank] == [
        (True, False), (False, True), (True, False), (False, True),
    ]


def test_a_page_indented_as_a_whole_reads_as_one_at_the_margin() -> None:
    indented = blocks_of("    Home\n    News\n\n    The council voted on\n    the budget\n    at noon, the mayor said.\n")
    assert [(b.text, b.line) for b in indented] == [
        ("Home", 1), ("News", 2), ("The council voted on the budget at noon, the mayor said.", 4),
    ]
    # an indented line on a page at the margin stays apart (code, a list's or a quote's line)
    assert [b.text for b in blocks_of("Home\nNews\n\nThe council voted on\n    the budget\n")] == [
        "Home", "News", "The council voted on", "the budget",
    ]


def test_runs_of_spaces_are_folded_and_lines_stripped() -> None:
    assert [b.text for b in blocks_of("   The   council    voted.  \n")] == ["The council voted."]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Workers inspect the bridge on Monday, March 11, 2024. (AP Photo/Jane Smith)", BlockKind.CAPTION),
        ("Published Dec. 3, 2024 10:05 AM", BlockKind.DATE),
        (
            "The ministers met in Brussels on Dec. 3, 2024, and agreed to send more air defence "
            "systems to Ukraine before the winter.",
            BlockKind.TEXT,
        ),
        ("By Jane Doe", BlockKind.BYLINE),
        ("Follow our coverage of the war at https://apnews.com/hub/russia-ukraine", BlockKind.PROMO),
        ("Skip to content", BlockKind.PROMO),
        ("The council voted on Monday to rebuild the old harbour bridge.", BlockKind.TEXT),
        ("— Jane Doe (@janedoe) November 18, 2019", BlockKind.TEXT),
    ],
    ids=[
        "caption", "date-line", "sentence-with-date", "byline", "follow-url", "skip-to-content", "sentence",
        "quoted-post-signature",
    ],
)
def test_kind_hint(line: str, kind: BlockKind) -> None:
    assert blocks_of(line)[0].kind is kind


def test_html_is_flattened_to_lines_without_scripts_or_styles() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Page</title><style>p { color: red }</style></head>"
        "<body><div><h1>Bridge plan approved</h1><p>The council <b>voted</b> on Monday.</p>"
        "<script>var tracking = 1;</script><p>Work starts next spring.</p></div></body></html>"
    )
    decoded = read_input(html)
    assert decoded.kind is InputKind.HTML
    assert [b.text for b in split_blocks(decoded, CONFIG)[0]] == [
        "Bridge plan approved", "The council voted on Monday.", "Work starts next spring.",
    ]


def test_deeply_nested_html_does_not_recurse() -> None:
    html = "<html><body>" + "<div>" * 10_000 + "deep text" + "</div>" * 10_000 + "</body></html>"
    split_blocks(read_input(html), CONFIG)  # no RecursionError


def test_deeply_nested_html_keeps_its_text() -> None:
    # deeper than libxml2's limit (256, or 2,048 with huge_tree): parsed again with the deepest tags left out
    html = (
        "<html><body><p>Before the nesting.</p>" + "<div>" * 10_000 + "Deep text." + "</div>" * 10_000
        + "<p>After the nesting.</p></body></html>"
    )
    texts = [b.text for b in split_blocks(read_input(html), CONFIG)[0]]
    assert texts == ["Before the nesting.", "Deep text.", "After the nesting."]


def test_a_sentence_cut_at_a_link_or_a_wrap_is_one_block() -> None:
    # how get_text("\n") writes "<p>This page <a>has moved</a>, or is new.</p>", and a hard-wrapped line
    blocks = blocks_of("This page has been\nmoved\n,\nor is new.\n\nIt was wrapped at\nseventy columns here.\n")
    assert [(b.line, b.text) for b in blocks] == [
        (1, "This page has been moved, or is new."), (6, "It was wrapped at seventy columns here."),
    ]


def test_a_line_that_stops_on_a_comma_or_a_leading_word_carries_on_whatever_follows() -> None:
    # get_text("\n") of "<p>Leif, the blogger behind the <a>Physician on FIRE</a> blog, retired.</p>"
    text = "Leif,\nthe blogger behind the\nPhysician on FIRE\nblog, retired.\nAbout\nContact\nTerms of\nUse\n"
    # a one-word line ("About", a menu's) leads into nothing
    assert [b.text for b in blocks_of(text)] == [
        "Leif, the blogger behind the Physician on FIRE blog, retired.", "About", "Contact", "Terms of Use",
    ]


def test_a_one_word_piece_carried_on_still_leads_into_the_next_line() -> None:
    # get_text("\n") of "<p>McConnell talks IRS in <a>The Washington Post</a>. Murray and ...</p>":
    # "in" alone on its line carries on the sentence above, and stops where no sentence stops
    text = "McConnell talks IRS and the\n“left-wing playbook”\nin\nThe Washington Post\n. Murray writes in\n"
    text += "Politico\n.\n"
    assert [b.text for b in blocks_of(text)] == [
        "McConnell talks IRS and the “left-wing playbook” in The Washington Post. Murray writes in Politico.",
    ]
    # a block of one word ("By", "in" as a menu's or a label's line) still leads into nothing
    assert [b.text for b in blocks_of("in\nThe Washington Post\n")] == ["in", "The Washington Post"]


def test_a_capitalised_line_inside_an_open_sentence_carries_it_on() -> None:
    # get_text("\n") of "<p>Senate Minority Leader <a>Mitch McConnell</a>, who said ...</p>"
    text = "Senate Minority Leader\nMitch McConnell\n, who said so.\nHe met\nJohn Smith\n.\n"
    assert [b.text for b in blocks_of(text)] == [
        "Senate Minority Leader Mitch McConnell, who said so.", "He met John Smith.",
    ]
    # a label's line ("Tags" / ": art"), a name or a date after a comma, a teaser's "...", a sentence's end,
    # a style sheet's rules
    text = "B.Section {color: red;}\nB.Amenity {color: red;}\n.Headline {color: red;}\n"
    assert [b.text for b in blocks_of(text)] == [
        "B.Section {color: red;}", "B.Amenity {color: red;}.Headline {color: red;}",
    ]
    text = "Pin it\nTags\n: art\n\nGreat post\nJane Doe\n, May 8\n\nRead more\nOur Story\n...\n\nIt ended.\nThen\n.\n"
    assert [b.text for b in blocks_of(text)] == [
        "Pin it", "Tags: art", "Great post", "Jane Doe, May 8", "Read more", "Our Story...", "It ended.", "Then.",
    ]


def test_lines_that_do_not_carry_on_a_sentence_stay_apart() -> None:
    # a line after a sentence's end, a capitalised line, a menu item after a bar, code
    text = "It rained.\nthen it stopped\nHome\nNews\nA | \nb\nx = 1\n    y = 2\n"
    assert [b.text for b in blocks_of(text)] == ["It rained.", "then it stopped", "Home", "News", "A |", "b x = 1", "y = 2"]


def test_an_indented_line_that_reads_as_prose_carries_on_the_sentence() -> None:
    # how get_text() writes a text node the markup wrapped and indented, then code and a short indented line
    text = (
        "Ideally you want to have everything\n          boxed up and ready to go as soon as\n"
        "          the agent calls.\n\nThe loop\n    for (i = 0; i < n; i++) sum += i\n\nThen\n    stop here\n"
    )
    assert [b.text for b in blocks_of(text)] == [
        "Ideally you want to have everything boxed up and ready to go as soon as the agent calls.",
        "The loop", "for (i = 0; i < n; i++) sum += i", "Then", "stop here",
    ]


def test_an_indented_line_on_a_page_wrapped_at_a_width_is_its_layout() -> None:
    # lynx -dump: paragraphs wrapped at 78 columns; an indented line there is a list's or a quote's
    para = "The council voted on Tuesday to close the old library on Main Street ending a century of"
    wrapped = [para[:70], para[70:] + " service"] * 6
    lines = [f"   {line}" for line in wrapped] + ["", "   Intro line of the list", "      indented quote text here"]
    blocks = blocks_of("\n".join(lines) + "\n")
    assert blocks[-2].text == "Intro line of the list" and blocks[-1].text == "indented quote text here"


def test_a_scripts_code_kept_as_text_is_marked_as_code() -> None:
    # a page's textContent keeps its scripts and style sheets; an article's own code examples are text
    script = "var ga = document.createElement('script'); ga.type = 'text/javascript'; ga.async = true;"
    data = '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Library to close","author":{"name":"J"}}'
    style = ".menu{color:#333;margin:0 auto;padding:4px}.menu a{text-decoration:none;font-weight:bold}"
    c_code = "struct variant { enum {e_pchar, e_int, e_double} type; union U value; };"
    c_sharp = '{ global:: System.Console.WriteLine("Hello, world"); global:: System.Console.ReadLine();}}}'
    prose = "The council voted on Tuesday to close the library; the mayor said it would reopen in spring."
    # (the example after the article's prose: next to a style sheet, a line ending in ";" reads as its code)
    blocks = blocks_of("\n\n".join([script, data, style, prose, c_code, c_sharp]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.CODE] * 3 + [BlockKind.TEXT] * 3


def test_a_scripts_settings_object_and_minified_prototypes_are_code() -> None:
    # lxml's text_content(): a script's settings object, its lines joined; a minified
    # piece whose error message reads as prose, with none of the other marks
    settings = (
        "<!-- site.page = { serverTime: 1365168519000, edition: 'international', queryString: null,"
        " referrer: null, section: 'business', sectionPath: '/Business', siteName: 'The Daily Paper',"
        " storyId: '22036778', assetType: 'story', masthead: false, adKeyword: 'business' } -->"
    )
    minified = (
        'return a},l=a.prototype;if(!(l instanceof Object))throw new TypeError("The constructor\'s prototype'
        ' is not an object.");d=g("connected");e=g("disconnected");k=a.observed||[]}catch(q){return}'
    )
    prose = "Site: the old mill, open: daily, price: free, and the council said the view was worth it."
    blocks = blocks_of("\n\n".join([settings, minified, prose]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.CODE, BlockKind.CODE, BlockKind.TEXT]


def test_minified_statements_and_lines_of_calls_alone_are_code() -> None:
    # a script's lines kept one by one, each too short or too bare for the counts and marks
    minified = "z160=zpreC(160,600);z336=zpreC(336,280);if(zp[0].m&8){f728=5;z160=1}"
    calls = ["ImageLoad('store', '/images/btnStore_on.gif', '/images/btnStore.gif');",
             "addSize([1100, 200], [[300,250],[728,90]]).", "_gaq.push(['_trackPageview']);"]
    # not code: a formula, a query's parameters in a web address, a count in brackets, a plain sentence
    text = ["where p[1]=2, p[2]=3, p[3]=5, ... is the sequence of prime numbers.",
            "See http://example.com/ad?n=362;c=1;d=29;w=120;h=612 for the listing.", "Trackback(0)",
            "The mayor (who spoke first) said the library would reopen in spring."]
    prose = "The council voted on Tuesday to close the library, and the mayor said it would reopen in spring."
    style = ".menu{color:#333;margin:0 auto;padding:4px}.menu a{text-decoration:none;font-weight:bold}"
    for line, kind in [(line, BlockKind.CODE) for line in [minified, *calls]] + [(line, BlockKind.TEXT) for line in text]:
        # each on its own between lines of prose, on a page with a style sheet further down
        blocks = blocks_of("\n\n".join([prose, line, prose, prose, style]) + "\n")
        assert [b.kind for b in blocks] == [BlockKind.TEXT, kind, BlockKind.TEXT, BlockKind.TEXT, BlockKind.CODE]


def test_code_is_cut_out_of_a_long_line_that_holds_prose_too() -> None:
    # a textContent without line breaks: a headline run into the JSON-LD after it, then the article
    headline = "Airline orders 30 new jets and talks of more plans at the show"
    data = (
        '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Airline orders 30 new jets and talks'
        ' of more plans at the show","description":"The airline said on Wednesday that it would buy more jets",'
        '"author":{"name":"Jane Smith"}}'
    )
    style = ".post .entry-title a, .post-slide h3 { color: #333; margin: 0 auto; } .menu a { font-weight: bold; }"
    prose = "The deal sets up a busy week at the air show, where the airline is expected to say more about its plans."
    blocks = blocks_of(" ".join([headline, data, prose, style]) + "\n")
    assert [(b.text, b.kind) for b in blocks] == [
        (headline, BlockKind.TEXT), (data, BlockKind.CODE), (prose, BlockKind.TEXT), (style, BlockKind.CODE),
    ]
    assert [b.index for b in blocks] == [0, 1, 2, 3] and {b.line for b in blocks} == {1}
    # the accounting check takes a line's pieces as that line's
    from cleaner.check import check_document
    from cleaner.pipeline import clean

    page = (" ".join([headline, data, prose, style]) + "\n").encode()
    assert check_document(clean(page), page) == []
    # a script's string of markup (its closing tags escaped, "<\/p>"): the prose in it is code too
    markup = (
        "var injectCode = '<div id=\\\"comment-preview\\\" class=\\\"hiddenBox\\\">\\n\\t<h3 class=\\\"comments\\\">"
        "Preview<\\/h3>\\n\\t<div class=\\\"comment\\\">\\n\\t<p>This is only a preview of what you wrote here. Your "
        "comment has not yet been posted to the blog.<\\/p>\\n\\t<form id=\\\"comment-form\\\" method=\\\"post\\\">';"
        " function showPreview() { document.getElementById('comment-preview').style.display = 'block'; }"
    )
    blocks = blocks_of(" ".join([markup, prose]) + "\n")
    assert [b.kind for b in blocks if "preview of what you wrote" in b.text] == [BlockKind.CODE]
    assert [b.kind for b in blocks if b.text == prose] == [BlockKind.TEXT]
    # an article's line with a brace and an equals sign in it is text, whole
    text = "In the formula {x = y + 1}, the authors say, the value of x is always one more than the value of y, " * 3
    assert [(b.text, b.kind) for b in blocks_of(text + "\n")] == [(text.strip(), BlockKind.TEXT)]


def test_a_script_written_over_many_lines_is_code_line_by_line() -> None:
    script = [
        "var gaCreateOptions = { trackingId: 'UA-1', cookieDomain: 'auto', allowLinker: true, name: 'nyp' };",
        "// For each menu you create, you must create a matching object to represent it and manage it.",
        "function animClipDown(ref, counter)",
        "if ( window.localStorage ) {",
        "var haveClientId = false;",
        "} else {",
        "return;",
        "}",
    ]
    prose = [
        "Prices rose again in May; the bank said it would act {if needed}.",
        "The council voted on Tuesday to close the old library on Main Street, ending a century of service.",
    ]
    blocks = blocks_of("\n\n".join(script + prose) + "\n")
    # each short line alone is too little to tell; next to the script's first line, it is code
    assert [b.kind for b in blocks] == [BlockKind.CODE] * len(script) + [BlockKind.TEXT] * len(prose)
    # the end of a script's wrapper, the page's text after it on its line; a Word document's style sheet
    wrapper = "//]]>As I write this review, listening to the soundtrack again, the idea of the book comes back."
    word_style = "{mso-style-next:Normal; margin:0cm; margin-bottom:.0001pt; font-size:12.0pt; font-family:Times;}"
    blocks = blocks_of("\n\n".join([script[0], wrapper, word_style, prose[1]]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.CODE, BlockKind.TEXT, BlockKind.CODE, BlockKind.TEXT]
    # a statement alone, too short to count: a mark of code and a statement's end
    statement = "var urlParts = window.location.pathname.split('/');"
    blocks = blocks_of("\n\n".join([prose[1], statement, prose[0]]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.TEXT, BlockKind.CODE, BlockKind.TEXT]
    # a statement that sets a name to a string of prose: a script's message, code whatever it says
    messages = [
        'var alertCommentCannotBeBlank = "You can not leave an empty comment. Please enter some text in the field.";'
        " var tries = 0; var closed = false;",
        "window.msg.empty = 'Your comment has not been posted yet, so please try again in a minute or two.'; n = \"a\";",
    ]
    said = 'The clerk typed x = "the vote is closed"; then the council went home for the long weekend.'
    blocks = blocks_of("\n\n".join([prose[1], *messages, said]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.TEXT, BlockKind.CODE, BlockKind.CODE, BlockKind.TEXT]

    # a minified script that a textContent cut at "window.Promise" as at a sentence's end: its pieces
    # next to the code are assignments with no spaces; a sum in prose keeps its spaces
    minified = ["Promise=n,window.", "Promise.resolve=u,window.", "Promise.all=w,window."]
    end = "Promise.prototype.g=n.prototype.g;})(window);"
    sum_line = "Two plus two = four, the teacher wrote."
    blocks = blocks_of("\n".join([prose[1], *minified, end, sum_line]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.TEXT] + [BlockKind.CODE] * 4 + [BlockKind.TEXT]
    # a chain of calls cut at its dots: lines that open with a call, and numbers that are no words of prose
    chain = ["var mapping = googletag.sizeMapping().", "addSize([1000, 0], [[728, 90], [970, 90], [970, 250]]).",
             "addSize([768, 0], [[468, 60], [728, 90]]).", "build();"]
    counted = "The vote was 31 to 9, 12 abstained, 3 were absent: 55 members in all."
    blocks = blocks_of("\n".join([prose[1], *chain, end, counted]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.TEXT] + [BlockKind.CODE] * 5 + [BlockKind.TEXT]
    # an object written over many lines: names set to values, with the script's comments after them;
    # a label and its number in the page's text is no part of it, even next to code
    config = [
        "__reach_config = {",
        "pid: '5087f9fa400e7d5803000010', // The SimpleReach assigned Publisher ID (pid)",
        "title: 'Paul Ryan, the new face of single-parent households?', // The title of the article"
        " (remember that they should be escaped, not HTML or URL encoded)",
        "serverTime: 1365168510000,",
        "tags: ['Economy', 'Equality', 'Society', 'Taxes'] // An array of the article tag(s)",
        "'srv_SectionID' : '124281', 'srv_Keywords' : 'homepage , Friday Arts Diary',",  # quoted names, two a line
        "};",
        "var s = document.createElement('script');",
    ]
    labels = ["Pages: 18", "Serves: four people, with bread on the side."]
    blocks = blocks_of("\n\n".join([prose[1], *config, *labels, prose[0]]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.TEXT] + [BlockKind.CODE] * len(config) + [BlockKind.TEXT] * 3


def test_code_is_no_part_of_the_pages_prose() -> None:
    from cleaner.classify import FEATURE_NAMES, line_features

    style = ".menu{color:#333;margin:0 auto;padding:4px}.menu a{text-decoration:none;font-weight:bold} " * 40
    paragraphs = [
        f"Paragraph {n} of the story, long enough to count as the prose of the page it is on,"
        " and then some more words, to be sure of it."
        for n in range(4)
    ]
    rows = line_features(blocks_of("\n\n".join([style, *paragraphs]) + "\n"))
    before = FEATURE_NAMES.index("mass_before")
    # the style sheet above the story is not prose above it: the story's first line opens the page's prose
    assert rows[1][before] == 0.0 and rows[2][before] > 0.0


def test_code_lines_are_dropped_with_their_reason() -> None:
    from cleaner import clean

    script = "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());"
    paragraphs = [
        "The council voted on Tuesday to close the old library on Main Street, ending a century of service.",
        "Residents who spoke at the meeting said the building had been neglected for years by the town.",
        "The mayor said the collection would move to the new community centre, which opens in the spring.",
    ]
    document = clean(script + "\n\n" + "\n\n".join(paragraphs) + "\n")
    assert [p for a in document.articles for p in a.paragraphs] == paragraphs
    assert {d.text: d.reason for d in document.dropped}[script] == "boilerplate (a script's or a style sheet's code)"


def test_a_style_sheets_list_of_selectors_next_to_its_rules_is_code() -> None:
    # textContent of a page's style sheet, written over lines: a rule, then a
    # list of selectors whose short "words" (h1 a, h2 a) run on like a sentence's
    rule = "body{margin:0;padding:0;color:#333;background:#fff;font-size:13px;line-height:1.5}"
    selectors = '{font-family:"Droid Sans",Verdana, Geneva, sans-serif;}h1 a, h2 a, h3 a, h4 a, h5 a, h6 a, h1, h2,'
    prose = "The council voted on Tuesday to close the old library on Main Street, ending a century of service."
    blocks = blocks_of("\n\n".join([rule, selectors, prose]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.CODE, BlockKind.CODE, BlockKind.TEXT]
    # a sentence after a rule's closing brace is prose, its words long enough
    after = "} The library will reopen in the spring, the mayor said on Tuesday."
    blocks = blocks_of("\n\n".join([rule, after, prose]) + "\n")
    assert [b.kind for b in blocks] == [BlockKind.CODE, BlockKind.TEXT, BlockKind.TEXT]
