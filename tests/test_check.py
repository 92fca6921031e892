"""The accounting check: it passes on real pages and catches a broken document."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import clean
from cleaner.check import check_document
from cleaner.cli import main
from cleaner.model import Role

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "ap-seed-two-articles-repeated-captions" / "input.txt"
DEV = ROOT.parent / "shared" / "eval" / "dev"


def test_seed_is_fully_accounted_for() -> None:
    data = SEED.read_bytes()
    assert check_document(clean(data), data) == []


def test_a_page_indented_as_a_whole_is_fully_accounted_for() -> None:
    data = b"".join(b"    " + line if line.strip() else line for line in SEED.read_bytes().splitlines(keepends=True))
    document = clean(data)
    assert document.articles and check_document(document, data) == []


def test_a_lost_paragraph_is_caught() -> None:
    data = SEED.read_bytes()
    document = clean(data)
    document.articles[0].paragraphs.pop(3)
    assert any("paragraphs out" in p for p in check_document(document, data))


def test_a_block_without_reason_is_caught() -> None:
    data = SEED.read_bytes()
    document = clean(data)
    dropped = next(b for b in document.blocks if b.role is Role.BOILERPLATE)
    dropped.reason = ""
    assert any("without a reason" in p for p in check_document(document, data))


def test_an_invented_paragraph_is_caught() -> None:
    data = SEED.read_bytes()
    document = clean(data)
    block = next(b for b in document.blocks if b.role is Role.BODY)
    block.text = block.text.replace("NATO", "the alliance")
    assert any("not found in the input" in p for p in check_document(document, data))


def test_markdown_dumps_are_accounted_for_as_their_text_shows() -> None:
    # html2text: images over the first lines, links whose text and address run
    # over two wrapped lines; markdownify: GFM tables, a layout row's text in a cell
    paragraph = (
        "The council voted on Tuesday to close the [old\nbridge](http://example.com/news/bridge-\nclosed) to "
        "traffic after engineers found cracks in two of its supports, as [the\nreport](http://example.com/r) said."
    )
    html2text_page = (
        "![](/images/pixel.gif)  \n[![Logo](/images/logo.gif)](http://example.com/)\n\n"
        f"# Bridge closed\n\n{paragraph}\n\n{paragraph.replace('Tuesday', 'Monday')}\n"
    )
    one_line = paragraph.replace("-\n", "-").replace("\n", " ")  # markdownify does not wrap
    row = "| [Home](http://example.com/) |  | " + " ".join([one_line] * 3) + " |"
    markdownify_page = "![](/images/pixel.gif)\n\n|  |  |  |\n| --- | --- | --- |\n" + row + "\n"
    for page in (html2text_page, markdownify_page):
        document = clean(page.encode())
        assert document.articles and "[" not in document.articles[0].paragraphs[0]
        assert check_document(document, page.encode()) == []
    document = clean(html2text_page.encode())
    document.articles[0].paragraphs[0] = document.articles[0].paragraphs[0].replace("bridge", "tunnel")
    next(b for b in document.blocks if b.role is Role.BODY).text = document.articles[0].paragraphs[0]
    assert any("not found in the input" in p for p in check_document(document, html2text_page.encode()))


def test_cli_check_flag() -> None:
    result = CliRunner().invoke(main, ["clean", "--check", str(SEED)])
    assert result.exit_code == 0 and "check:" not in result.stderr


@pytest.mark.skipif(not DEV.exists(), reason="needs ../shared/eval/dev")
def test_every_dev_page_is_accounted_for() -> None:
    failures = []
    pages = [(p, p.read_bytes(), "auto") for p in sorted((DEV / "text").glob("*.txt"))]
    pages += [(p, p.read_bytes(), "auto") for p in sorted((DEV / "multi").glob("*.txt"))]
    pages += [(p, gzip.decompress(p.read_bytes()), "html") for p in sorted((DEV / "html").glob("*.html.gz"))]
    for path, data, kind in pages:
        problems = check_document(clean(data, input_format=kind), data, kind)
        if problems:
            failures.append(f"{path.name}: {problems[:2]}")
    assert not failures, failures[:5]
    assert len(pages) == 660
