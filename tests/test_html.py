"""HTML input: blocks from markup, page metadata, and bad HTML that must not break anything."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

from cleaner import clean
from cleaner.cli import main
from cleaner.html_blocks import split_html_blocks
from cleaner.html_parse import flatten_deep_nesting
from cleaner.model import Landmark
from cleaner.render import render_markdown

PARAGRAPH = (
    "The council voted on Monday to approve the new bridge across the river, ending a debate that "
    "had lasted for more than six years and divided the town. "
)


def article_html(title: str, paragraphs: int = 6) -> str:
    body = "".join(f"<p>{PARAGRAPH}Paragraph {n} of the story about {title.lower()}.</p>" for n in range(paragraphs))
    return f"<article><h1>{title}</h1>{body}</article>"


def page(*articles: str, head: str = "") -> str:
    nav = "<nav><ul>" + "".join(f"<li><a href='/{n}'>Section {n}</a></li>" for n in range(8)) + "</ul></nav>"
    footer = "<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>"
    return f"<!DOCTYPE html><html><head>{head}</head><body>{nav}{''.join(articles)}{footer}</body></html>"


def test_blocks_carry_tag_regions_and_link_share() -> None:
    blocks, _ = split_html_blocks(page(article_html("Bridge approved")))
    nav_item = next(b for b in blocks if b.text == "Section 0")
    assert nav_item.tag == "li" and nav_item.landmarks & Landmark.NAV and nav_item.link_ratio == 1.0
    heading = next(b for b in blocks if b.text == "Bridge approved")
    assert heading.tag == "h1" and heading.markdown == "## Bridge approved" and heading.container == 0


def test_named_anchor_is_no_link() -> None:
    # an unclosed <a name> (old pages): the parser puts the rest of the section inside it
    html = (
        "<html><body><p><a href='#intro'>Introduction</a></p><a name='intro'><h2>Introduction</h2>"
        f"<p>{PARAGRAPH}</p><p><a>{PARAGRAPH}</a></p></body></html>"
    )
    blocks, _ = split_html_blocks(html)
    menu, heading, prose, linked = blocks
    assert menu.link_ratio == 1.0 and menu.markdown_links == "[Introduction](#intro)"
    assert heading.link_ratio == 0.0 and heading.markdown == "## Introduction"
    assert prose.link_ratio == 0.0 and "[" not in prose.markdown_links
    assert linked.link_ratio == 1.0  # a bare <a> (a script's link) is still a link


def test_comments_heading_heads_the_comments_beside_it() -> None:
    # the comments stand beside their heading, not inside it
    story = "".join(f"<p>{PARAGRAPH}Paragraph {n} of the story.</p>" for n in range(4))
    comments = "".join(
        f"<div id='c{n}'><p>I agree with point {n} of this, and so does my neighbour.</p></div><p>Posted by: Ann {n}</p>"
        for n in range(3)
    )
    html = (
        f"<html><body><div id='main'><h1>Bridge approved</h1>{story}"
        f"<h2 id='comments'>Comments</h2>{comments}</div><div><p>Copyright 2024 The Town Paper</p></div></body></html>"
    )
    blocks, _ = split_html_blocks(html)
    regions = [bool(b.landmarks & Landmark.COMMENTS) for b in blocks]
    assert regions == [False] * 5 + [True] * 7 + [False]
    document = clean(html.encode(), input_format="html")
    assert [len(a.paragraphs) for a in document.articles] == [4]
    assert not any("agree" in p for a in document.articles for p in a.paragraphs)


def test_page_classes_on_body_name_no_region() -> None:
    # a site called "profootballtalk" is not a footer, nor is a body class "sidebar-left" an aside
    html = page(article_html("Bridge approved")).replace(
        "<body>", "<body class='single-post design-profootballtalk sidebar-left' id='comments-on'>"
    )
    blocks, _ = split_html_blocks(html)
    paragraph = next(b for b in blocks if b.text.startswith("The council"))
    assert not paragraph.landmarks & (Landmark.FOOTER | Landmark.ASIDE | Landmark.COMMENTS)
    section = next(b for b in blocks if b.text == "Section 0")
    assert section.landmarks & Landmark.NAV


def test_a_promo_box_is_a_promotion() -> None:
    # a site's cards of other stories or offers: "promo", "PromoSmall", "bold-image-promo"
    teasers = "".join(f"<div class='{name}'><p>{PARAGRAPH}</p></div>" for name in ("promo med", "PromoSmall-title",
                                                                               "bold-image-promo"))
    blocks, _ = split_html_blocks(page(article_html("Bridge approved") + teasers))
    assert [bool(b.landmarks & Landmark.PROMO) for b in blocks if b.text == PARAGRAPH.strip()] == [True] * 3
    paragraph = next(b for b in blocks if b.text.startswith("The council"))
    assert not paragraph.landmarks & Landmark.PROMO


def test_a_slideshow_gallery_or_carousel_is_related_content() -> None:
    # a slideshow of other stories after the article: "hp-slideshow-wrapper", "photo-gallery", "story-carousel"
    shows = "".join(f"<div class='{name}'><p>{PARAGRAPH}</p></div>" for name in ("hp-slideshow-wrapper-2",
                                                                            "photo-gallery", "story-carousel"))
    blocks, _ = split_html_blocks(page(article_html("Bridge approved") + shows))
    assert [bool(b.landmarks & Landmark.RELATED) for b in blocks if b.text == PARAGRAPH.strip()] == [True] * 3
    paragraph = next(b for b in blocks if b.text.startswith("The council"))
    assert not paragraph.landmarks & Landmark.RELATED


def test_markdown_keeps_emphasis_lists_and_optional_links() -> None:
    html = "<ul><li>One <em>two</em></li><li><a href='https://x.test/'>Three</a><ol><li>Inner</li></ol></li></ul>"
    blocks, _ = split_html_blocks(f"<html><body>{html}</body></html>")
    assert [b.markdown for b in blocks] == ["- One *two*", "- Three", "  1. Inner"]
    assert blocks[1].markdown_links == "- [Three](https://x.test/)"


def test_scripts_styles_and_forms_yield_nothing() -> None:
    html = "<html><body><script>var a = 1;</script><style>p{}</style><p>Kept.</p><select><option>No</option></select></body></html>"
    assert [b.text for b in split_html_blocks(html)[0]] == ["Kept."]


def test_a_plugins_fallback_content_is_page_text() -> None:
    # a browser with no plugin for an <object> (no browser has Flash now) shows what it holds instead
    html = (
        "<html><body><object data='player.swf'><param name='movie' value='player.swf'><embed src='player.swf'>"
        "<p class='caption'>The panel talks about money in politics.</p></object><p>Kept.</p></body></html>"
    )
    assert [b.text for b in split_html_blocks(html)[0]] == ["The panel talks about money in politics.", "Kept."]


def test_page_metadata_from_json_ld_and_meta_tags() -> None:
    ld = {"@type": "NewsArticle", "headline": "Bridge approved", "datePublished": "2024-12-03T22:15:00Z",
          "dateModified": "2024-12-03T22:20:00Z", "author": {"@type": "Person", "name": "Jane Doe"}}
    head = (f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
            "<link rel='canonical' href='https://example.test/bridge'>")
    _, meta = split_html_blocks(page(article_html("Bridge approved"), head=head))
    assert (meta.title, meta.published, meta.updated, meta.author, meta.url) == (
        "Bridge approved", "2024-12-03T22:15", "2024-12-03T22:20", "Jane Doe", "https://example.test/bridge")


def test_two_article_elements_give_two_articles() -> None:
    document = clean(page(article_html("Bridge approved"), article_html("School reopens")))
    assert [a.title for a in document.articles] == ["Bridge approved", "School reopens"]
    assert all("Section 0" not in p for a in document.articles for p in a.paragraphs)


def test_an_xhtml_page_opening_with_an_xml_declaration_gives_its_article() -> None:
    html = page(article_html("Bridge approved")).replace("<!DOCTYPE html>", "")
    for declaration in ('<?xml version="1.0" encoding="utf-8"?>\n', "  <?xml version='1.0' encoding='ISO-8859-1'?>"):
        for data in (declaration + html, (declaration + html).encode("utf-8")):
            document = clean(data)
            assert [a.title for a in document.articles] == ["Bridge approved"]
            assert len(document.articles[0].paragraphs) == 6


def test_text_wrapped_at_seventy_characters_with_a_link_among_its_lines_is_an_article() -> None:
    # a mail archive's message: lines broken with <br>, none long, one of them a link
    import textwrap

    prose = " ".join([PARAGRAPH.strip(), "The work is due to start next spring and should take three years."] * 4)
    lines = textwrap.wrap(prose, 66)
    lines.insert(3, "<a href='/notes'>Notes on the vote</a>")
    document = clean(page("<p>" + "<br>\n".join(lines) + "</p>"))
    [article] = document.articles
    assert "and should take three years." in " ".join(article.paragraphs)
    assert all("Section 0" not in p for p in article.paragraphs)


def test_markdown_output_of_html_has_no_navigation() -> None:
    markdown = render_markdown([clean(page(article_html("Bridge approved")))])
    assert markdown.startswith("# Bridge approved\n")
    assert "Section 3" not in markdown and "Copyright" not in markdown


def run(tmp_path: Path, name: str, data: bytes) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["clean", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_truncated_markup_is_cleaned(tmp_path: Path) -> None:
    html = page(article_html("Bridge approved"))[:-200]
    code, out, _ = run(tmp_path, "cut.html", html.encode())
    assert code == 0 and "council voted" in out


def test_ten_thousand_nested_divs_do_not_break(tmp_path: Path) -> None:
    html = "<html><body>" + "<div>" * 10_000 + "deep text " * 50 + "</div>" * 10_000 + "</body></html>"
    code, _, _ = run(tmp_path, "deep.html", html.encode())
    assert code == 0


def test_text_below_the_nesting_limit_and_after_it_is_kept(tmp_path: Path) -> None:
    deep = "<div><section><span>" * 3_000 + "<p>Deep text of the story.</p>" + "</span></section></div>" * 3_000
    html = page(article_html("Bridge approved") + deep + "<p>The closing paragraph after the nesting.</p>")
    texts = [b.text for b in split_html_blocks(html)[0]]
    assert "Deep text of the story." in texts and "The closing paragraph after the nesting." in texts
    assert "Copyright 2024 Example News. All rights reserved." in texts  # the footer after it all


def test_flattening_drops_only_the_tags_too_deep() -> None:
    html = "<div>" * 3 + "<b>deep</b><br><p>deeper" + "</div>" * 3 + "<p>after</p>"
    assert flatten_deep_nesting(html, 2) == "<div><div>deep<br>deeper</div></div><p>after</p>"


def test_flattening_reads_script_text_and_comments_as_text() -> None:
    html = "<div><script>if (a<b) x = '<div><div>';</script><!-- <div><div> --><div>kept</div></div>"
    assert flatten_deep_nesting(html, 2) == html


def test_flattening_ignores_stray_end_tags_and_unfinished_tags() -> None:
    assert flatten_deep_nesting("</p></div><div><div>x</div></div><div", 1) == "</p></div><div>x</div><div"
    assert flatten_deep_nesting("<div><div><!-- open", 1) == "<div><!-- open"


def test_deep_nesting_with_a_huge_attribute(tmp_path: Path) -> None:
    deep = "<div>" * 3_000 + f"<p title='{'x' * 5_000_000}'>" + "deep text " * 50 + "</p>" + "</div>" * 3_000
    html = page(deep + article_html("Bridge approved"))
    code, out, _ = run(tmp_path, "deep-attr.html", html.encode())
    assert code == 0 and "council voted" in out


def test_twenty_megabyte_attribute(tmp_path: Path) -> None:
    html = page(f"<div title='{'x' * 20_000_000}'>" + article_html("Bridge approved") + "</div>")
    code, out, _ = run(tmp_path, "attr.html", html.encode())
    assert code == 0 and "council voted" in out


def test_page_without_body_element(tmp_path: Path) -> None:
    html = "<title>t</title>" + article_html("Bridge approved")
    code, out, _ = run(tmp_path, "nobody.html", html.encode())
    assert code == 0 and "council voted" in out


def test_binary_garbage_named_html(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "garbage.html", random.Random(7).randbytes(50_000))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("cleaner: error:")


def test_preformatted_text_is_a_fenced_code_block_kept_verbatim() -> None:
    html = (
        "<html><body><p>Run <code>make</code> first.</p>"
        "<pre><code class='language-python'>\ndef f(x):\n    return x * 2  # <b>not</b> *marked*\n</code></pre>"
        "<pre>two ``` fences<br>  indented</pre></body></html>"
    )
    inline, python, plain = split_html_blocks(html)[0]
    assert inline.markdown == "Run `make` first."
    assert python.text == "def f(x):\n    return x * 2  # not *marked*"
    assert python.markdown == "```python\ndef f(x):\n    return x * 2  # not *marked*\n```"
    assert plain.markdown == "````\ntwo ``` fences\n  indented\n````"


def test_code_in_a_quote_is_quoted_on_every_line() -> None:
    blocks, _ = split_html_blocks("<html><body><blockquote><pre>a\n  b</pre></blockquote></body></html>")
    assert blocks[0].markdown == "> ```\n> a\n>   b\n> ```"


def test_emphasis_marks_hug_their_text_and_empty_emphasis_has_none() -> None:
    html = "<p>Use<b> sort </b>and <strong>uniq</strong>, <em></em>not <i> </i>cat.</p>"
    blocks, _ = split_html_blocks(f"<html><body>{html}</body></html>")
    assert blocks[0].markdown == "Use **sort** and **uniq**, not cat."


def test_emphasis_cut_by_a_block_boundary_leaves_no_stray_marks() -> None:
    blocks, _ = split_html_blocks("<html><body><p>One <b>two<br>three</b> four</p></body></html>")
    assert [b.markdown for b in blocks] == ["One two", "three four"]


COMMENT = (
    "I drove across the old bridge every day for twenty years and I am glad the council finally decided, "
    "although I think the cost will be higher than they say. "
)


def comments_html(count: int = 4) -> str:
    items = "".join(
        f"<li class='comment'><div class='comment-author'>Reader {n} said:</div><p>{COMMENT}Comment {n}.</p></li>"
        for n in range(count)
    )
    listed = f"<h3>Comments</h3><ol class='comment-list'>{items}</ol>"
    return f"<section id='comments' class='comments-area'>{listed}</section>"


def test_comments_below_an_article_are_dropped_with_their_reason() -> None:
    from cleaner.segments import COMMENTS_REASON

    document = clean(page(article_html("Bridge approved") + comments_html()))
    body = " ".join(p for a in document.articles for p in a.paragraphs)
    assert "Paragraph 5 of the story" in body and "Comment 1." not in body
    assert any(d.text.endswith("Comment 1.") and d.reason == COMMENTS_REASON for d in document.dropped)


def test_comments_are_kept_when_asked_or_when_the_page_is_all_comments(tmp_path: Path) -> None:
    from cleaner import CleanerConfig

    kept = clean(page(article_html("Bridge approved") + comments_html()), config=CleanerConfig(keep_comments=True))
    assert "Comment 1." in " ".join(p for a in kept.articles for p in a.paragraphs)
    thread = clean(page("<main><h1>Is the new bridge worth it?</h1>" + comments_html(8) + "</main>"))
    assert "Comment 6." in " ".join(p for a in thread.articles for p in a.paragraphs)
    path = tmp_path / "page.html"
    path.write_text(page(article_html("Bridge approved") + comments_html()), encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(path), "--comments"])
    assert result.exit_code == 0 and "Comment 1." in result.stdout
    assert "Comment 1." not in CliRunner().invoke(main, ["clean", str(path)]).stdout


def test_articles_nested_in_the_article_are_dropped_unless_they_hold_the_text() -> None:
    from cleaner.segments import NESTED_REASON

    cards = "".join(
        f"<article class='card'><h2>Other story {n}</h2><p>{COMMENT}Teaser {n}.</p></article>" for n in range(4)
    )
    story = article_html("Bridge approved")
    document = clean(page(story.replace("</article>", cards + "</article>")))
    body = " ".join(p for a in document.articles for p in a.paragraphs)
    assert "Paragraph 5 of the story" in body and "Teaser 2." not in body
    assert any(d.text.endswith("Teaser 2.") and d.reason == NESTED_REASON for d in document.dropped)
    wrapped = clean(page("<article><div class='wrap'>" + story + "</div></article>"))
    assert "Paragraph 5 of the story" in " ".join(p for a in wrapped.articles for p in a.paragraphs)


def test_an_opinion_pieces_commentary_class_is_not_a_comment_section() -> None:
    blocks, _ = split_html_blocks(
        "<div class='commentary-body'><p>Opinion text.</p></div><div class='comment-list'><p>A reply.</p></div>"
    )
    assert [bool(b.landmarks & Landmark.COMMENTS) for b in blocks] == [False, True]


def test_a_posts_category_tag_and_author_classes_name_no_region() -> None:
    from cleaner.html_blocks.regions import named_landmarks

    filed = "category-social-media tag-comments entry-author-jo_foot"
    assert Landmark(named_landmarks(filed)) == Landmark.NONE
    assert Landmark(named_landmarks(f"post-12 hentry {filed}")) == Landmark.ARTICLE  # WordPress's post classes
    # a region's own name still counts beside them, and words that only end like a prefix are kept
    assert Landmark(named_landmarks("tag-news comment-list")) == Landmark.COMMENTS
    assert Landmark(named_landmarks("site-nav")) == Landmark.NAV
    assert Landmark(named_landmarks("footer-tag-list")) & Landmark.FOOTER


def test_a_box_about_the_author_is_read_as_the_comments_are() -> None:
    from cleaner.html_blocks.regions import named_landmarks

    for names in ("author-box", "wp-about-author-text", "post-author-bio", "td-authorbox"):
        assert Landmark(named_landmarks(names)) == Landmark.COMMENTS, names
    assert Landmark(named_landmarks("author-jo entry-author-jo")) == Landmark.NONE  # a post filed under its author
    story = "".join(f"<p>Paragraph {k} of the story, long enough to read as the article.</p>" for k in range(6))
    bio = "Jo Smith is a reporter who has covered the city council for ten years and writes about its budget."
    page = f"<html><body><div class='content-sidebar-wrap'><article>{story}<div class='author-box'><p>{bio}</p></div>"
    blocks, _ = split_html_blocks(page + "</article></div></body></html>")
    assert [bool(b.landmarks & Landmark.COMMENTS) for b in blocks] == [False] * 6 + [True]
    text = " ".join(p for a in clean(page.encode()).articles for p in a.paragraphs)
    assert "Paragraph 5 of the story" in text and bio not in text
