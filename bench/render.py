"""More text renderings of the eval pages, made here from their HTML: what
other scrapers save. The pool ships two (Chromium innerText, BeautifulSoup
get_text); users' dumps come from many more, and judgement must not lean on
one renderer's layout. Each rendering is a folder of bench/out/renders/ that
bench/quality.py scores as a track (--tracks lynx,html2text,w3m); the text
models learn from lynx's and html2text's (bench/train_model.py's KIND_RENDERINGS).

- lynx: ``lynx -dump -nolist`` (Debian's lynx): paragraphs wrapped at 79
  columns and indented, list bullets as "*", no link list.
- html2text: the html2text package's defaults: Markdown (``**bold**``,
  ``[text](url)``, ``#`` headings, ``*`` bullets), paragraphs wrapped at 78
  columns.
- w3m: ``w3m -dump`` (Debian's w3m), 80 columns: paragraphs wrapped, tables
  laid out in columns, list bullets as "•". No model learns from it
  (bench/train_model.py): it is scored as a renderer none of them has seen.
- lynx-links: ``lynx -dump`` with lynx's defaults: as lynx's above, with each
  link's number before its text ("[3]Cookie Policy") and the list of the
  links' addresses at the end ("References"). No model learns from it either
  (cleaner reads the numbers off: link_numbers.py).
- w3m-links: ``w3m -dump -o display_link_number=1``: as w3m's above, with
  each link's number before its text and the list of the links' addresses
  at the end ("References:", "[1] https://…"). No model learns from it.
- bs4-plain: ``BeautifulSoup(html, "lxml").get_text()``, as most scripts call
  it: text nodes run together, line breaks only where the markup has them
  (a text node's own, with the markup's indentation after them).
- bs4-lines: ``get_text("\\n", strip=True)``: a line per text node, no blank
  lines; a text node's own line breaks and indentation kept inside it.
  No model learns from either (the pool's get_text dumps are
  ``get_text("\\n")`` with each line stripped and blank lines kept).
- lxml-text: ``lxml.html.fromstring(html).text_content()``, a page's
  textContent: as bs4-plain, with its scripts' and style sheets' code as text.
  No model learns from it.
- links: ``links -dump -width 80`` (Debian's links): tables laid out in
  columns, with their frames drawn in ASCII ("+----+", "|"). No model learns
  from it.
- elinks: ``elinks -dump -no-references -no-numbering`` (Debian's elinks),
  80 columns: tables in columns, narrow columns wrapped. No model learns from it.
- inscriptis: the inscriptis package's ``get_text``: a layout-aware text,
  tables as rows of cells. No model learns from it.
- html-text: the html-text package's ``extract_text``: a paragraph a line,
  blank lines between blocks. No model learns from it.

Three more, made only when asked for (``--renderers
pandoc,markdownify,tagstrip``), as probes of converters users run; no model
learns from any:

- pandoc: ``pandoc -f html -t plain`` (Debian's pandoc): paragraphs wrapped
  at 72 columns, layout tables drawn as grid tables (their cells' words
  broken across lines, a nested table as ``[TABLE]``).
- markdownify: the markdownify package's defaults: Markdown with setext
  headings (a line of ``-`` or ``=`` under the heading) and each table row
  on one line between pipes, a layout table's whole row with it.
- tagstrip: the page's tags taken away by a regular expression, as a
  script does with ``sed 's/<[^>]*>//g'``: the source's text as it stands,
  its line breaks and indentation, its scripts' and style sheets' code, and
  its character references as written (``&amp;``, ``&#8217;``, ``&nbsp;``).

A page a renderer fails on (pandoc exits with an error on a few, or runs
past LYNX_TIMEOUT; markdownify's recursion runs out on a deep page) is
written empty, as a user's pipeline would get it, and named on stderr.

Usage: python bench/render.py [--renderers lynx,html2text,w3m,lynx-links,w3m-links,bs4-plain,bs4-lines,lxml-text,links,elinks,inscriptis,html-text] [--jobs 2]
       python bench/render.py --renderers pandoc,markdownify,tagstrip
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from multiprocessing import Pool

from common import RENDERS, load_gold, read_page

RENDERERS = (
    "lynx", "html2text", "w3m", "lynx-links", "w3m-links", "bs4-plain", "bs4-lines", "lxml-text", "links", "elinks",
    "inscriptis", "html-text",
)
# Made only when asked for (--renderers): probes, not in every run.
PROBE_RENDERERS = ("pandoc", "markdownify", "tagstrip")
# lynx reads the page from stdin as UTF-8 and writes UTF-8, 80 columns wide.
LYNX = ["lynx", "-dump", "-nolist", "-force_html", "-stdin", "-assume_charset=utf-8", "-display_charset=utf-8",
        "-width=80"]
# lynx's default: each link's number before its text, the list of their addresses at the end.
LYNX_LINKS = [option for option in LYNX if option != "-nolist"]
# w3m likewise: the page from stdin as UTF-8 HTML, UTF-8 out, 80 columns.
W3M = ["w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", "-cols", "80"]
# w3m's, with each link's number and the list of their addresses.
W3M_LINKS = [*W3M, "-o", "display_link_number=1"]
# links and elinks read the page from a file (not stdin), as UTF-8, 80 columns.
LINKS = ["links", "-dump", "-width", "80", "-codepage", "utf-8", "-html-assume-codepage", "utf-8"]
ELINKS = ["elinks", "-dump", "-dump-width", "80", "-no-references", "-no-numbering", "-dump-charset", "utf-8"]
# pandoc's plain text, from stdin as HTML.
PANDOC = ["pandoc", "-f", "html", "-t", "plain"]
# A tag as a script that strips them finds it: from "<" to the next ">".
TAG = re.compile(r"<[^>]*>")
# A page a command-line renderer (lynx, w3m, links, elinks, pandoc) takes longer
# than this (seconds) over is written empty (_render).
LYNX_TIMEOUT = 60


def render(renderer: str, html: str) -> str:
    if renderer == "tagstrip":
        return TAG.sub("", html)
    if renderer == "lxml-text":
        import lxml.html

        parser = lxml.html.HTMLParser(encoding="utf-8")
        return lxml.html.fromstring(html.encode("utf-8"), parser=parser).text_content()  # type: ignore[no-any-return]
    if renderer.startswith("bs4-"):
        import warnings

        from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

        warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)  # a page that opens as XHTML
        soup = BeautifulSoup(html, "lxml")
        return soup.get_text() if renderer == "bs4-plain" else soup.get_text("\n", strip=True)
    if renderer == "inscriptis":
        from inscriptis import get_text

        return get_text(html)  # type: ignore[no-any-return]
    if renderer == "html-text":
        import html_text

        return html_text.extract_text(html)  # type: ignore[no-any-return]
    if renderer in ("links", "elinks"):
        with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8") as page:
            page.write(html)
            page.flush()
            command = [*(LINKS if renderer == "links" else ELINKS), page.name]
            return subprocess.run(command, capture_output=True, timeout=LYNX_TIMEOUT, check=True
                                  ).stdout.decode("utf-8", "replace")
    if renderer == "markdownify":
        import markdownify

        return markdownify.markdownify(html)  # type: ignore[no-any-return]
    if renderer != "html2text":
        command = {"lynx": LYNX, "w3m": W3M, "lynx-links": LYNX_LINKS, "w3m-links": W3M_LINKS, "pandoc": PANDOC}[renderer]
        return subprocess.run(command, input=html.encode(), capture_output=True, timeout=LYNX_TIMEOUT, check=True
                              ).stdout.decode("utf-8", "replace")
    import html2text

    return html2text.html2text(html)


def _render(job: tuple[str, str, dict]) -> str:
    renderer, pid, entry = job
    target = RENDERS / entry["folder"].name / f"text-{renderer}" / f"{pid}.txt"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = render(renderer, read_page(pid, entry, "html"))
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RecursionError) as error:
            print(f"{pid}: {renderer} failed ({type(error).__name__}); written empty", file=sys.stderr)
            text = ""
        temporary = target.with_suffix(".tmp")
        temporary.write_text(text, "utf-8")
        temporary.replace(target)
    return pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renderers", default=",".join(RENDERERS),
                        help=f"comma-separated (default: all but the probes, {','.join(PROBE_RENDERERS)})")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    gold = load_gold()
    jobs = [(r, pid, entry) for r in args.renderers.split(",") for pid, entry in sorted(gold.items())]
    with Pool(args.jobs) as pool:
        done = sum(1 for _ in pool.imap_unordered(_render, jobs, chunksize=8))
    print(f"{done} renderings in {RENDERS}")


if __name__ == "__main__":
    main()
