"""Stage 2, a text dump's scripts and style sheets: code that a scraper kept as
text (a page's textContent, lxml's text_content(), get_text() of a page whose
scripts were not taken out) is found and marked BlockKind.CODE, never article
text and no part of the page's prose.

Three shapes of it: a line that is all code (is_script_code; or, too short
or too bare for its counts, a line of minified statements or of calls alone:
_bare_statements); a long line that
holds code and prose both (a page without line breaks, a headline run into the
JSON-LD after it: cut into pieces, code_pieces); and a script or a style sheet
written over many short lines, each too short to tell on its own ("if (", "} else {",
"// Check if we have a cookie.", "var x = 0;"), read as code next to a line
that is (spread_code).
"""

from __future__ import annotations

import operator
import re
from itertools import compress, repeat

from .model import Block, BlockKind
from .text import URL

# A line of code: at least SCRIPT_CODE_MIN_CHARS characters with at least
# SCRIPT_CODE_MIN_HARD of "{", "}" and "=" (and SCRIPT_CODE_MIN_MARKS of those
# and ";"), SCRIPT_CODE_MIN_SYMBOLS of its characters among SCRIPT_CODE_SYMBOLS
# (or, a style sheet's selectors being long, CSS_MIN_RULES rules), and a mark
# of JavaScript, JSON or CSS. Code that an article shows (C, shell, an
# example's lines) has none of those marks: no line of the pool's gold has all of this.
SCRIPT_CODE_MIN_CHARS = 60
# A line longer than this is not looked at whole (its patterns' search costs
# about 0.3 s a MB; the limits cut such a line, config.max_line_chars, with a warning).
SCRIPT_CODE_MAX_CHARS = 100_000
SCRIPT_CODE_MIN_HARD = 2
SCRIPT_CODE_MIN_MARKS = 4
SCRIPT_CODE_MIN_SYMBOLS = 0.06
SCRIPT_CODE_SYMBOLS = frozenset("{}();=<>[]&|\\\"'$")
CSS_MIN_RULES = 2
# A name in a script (a variable's, an object's entry's).
SCRIPT_NAME = r"[A-Za-z_$][\w$]*"
# An object's entry set to a string, true, false or null, another entry after it
# ("section: 'business', sectionPath: …"): each counts as a mark of code, and
# the object is JavaScript (a script's settings, its lines joined into one).
OBJECT_ENTRY = rf"""{SCRIPT_NAME}\s*:\s*(?:'[^'\n]*'|"[^"\n]*"|true|false|null)\s*,(?=\s*{SCRIPT_NAME}\s*:)"""
# (patterns as text: compiled, by re, when first asked; most pages never ask)
SCRIPT_CODE_MARK = (
    r"\bfunction\s*(?:[\w$]+\s*)?\(|\bvar\s+\w+\s*=|\b(?:window|document)\.\w|=>|!==|===|\btypeof\b"  # JavaScript
    r"|\binstanceof\b|\.prototype\b"  # (minified: "l=a.prototype;if(!(l instanceof Object))throw …")
    r"|\"\s*:\s*[\"{\[\d]"  # JSON: "key": value
    r"|(?:^|[\w\-#.\]*])\s*\{\s*[\w\-]+\s*:(?!:)[^{}]*;|@media\b"  # CSS: selector { property: value;
    r"|\}\);?"  # the end of a call's function argument
    rf"|{OBJECT_ENTRY}"
)
# Next to code, a line is code too when it holds an assignment with no spaces
# ("Promise.all=w,window."): a minified script that a scraper's text cut at
# "window.Promise" as if a sentence ended there.
MINIFIED_ASSIGNMENT = r"[\w$\]]=(?![=>])[\w$\"'\[({!]"
CSS_RULE = r"[^{}]\{[^{}]*:[^{}]*\}"
# ...and, for a line judged whole, no run of this many words of prose: a
# textContent without line breaks holds the article's text and the scripts
# between its paragraphs on one line, which is cut into pieces (code_pieces).
SCRIPT_CODE_MAX_PROSE_WORDS = 12
# (A run starts where a word does: the same runs are found, and a long token is
# not tried again from each of its characters.)
SCRIPT_CODE_PROSE_RUN = r"(?<![^\s{}();=<>\[\]|&\\$])(?:[^\s{}();=<>\[\]|&\\$]+ ){%d}" % SCRIPT_CODE_MAX_PROSE_WORDS

# A line at least this long that holds a brace and a mark of code but is not
# all code is cut into its prose and its code (a script, a style sheet, JSON:
# each holds braces; prose hardly ever does).
CODE_SPLIT_MIN_CHARS = 200
# Its prose: runs of at least PROSE_RUN_WORDS words, a word being letters,
# digits, apostrophes and hyphens, with quotes or brackets before and
# punctuation after (a style sheet's ".entry-title a,.post" or "a:hover" is no
# word), outside braces (a JSON object's strings, a style sheet's
# "font: normal 13px Arial, Helvetica, sans-serif;"), and not a string that
# a key, a comma or a bracket opens or closes ("title":"…", "…"}).
PROSE_RUN_WORDS = 8
# (A word is at most PROSE_WORD_MAX_CHARS long, and a run starts where a word
# does: a minified script's or a data URI's endless tokens are passed over in
# one step each, not tried again from every character.)
PROSE_WORD_MAX_CHARS = 40
_WORD_OPEN = r"[\"'“‘(\[]?"
_WORD_REST = rf"[\w'’\-]{{0,{PROSE_WORD_MAX_CHARS - 1}}}[.,;:!?\"'”’)\]]*"


def _run_of(word: str) -> str:
    """A run of PROSE_RUN_WORDS words or more, one space between."""
    return rf"(?<![\w'’\-]){word}(?: {word}){{{PROSE_RUN_WORDS - 1},}}"


PROSE_WORD = _WORD_OPEN + r"[^\W_]" + _WORD_REST
PROSE_RUN = _run_of(PROSE_WORD)
# Next to code, a run of words that start with letters: numbers are no prose
# ("addSize([768, 0], [[468, 60], [728, 90]])." lists numbers, not words)...
LETTER_RUN = _run_of(_WORD_OPEN + r"[^\W\d_]" + _WORD_REST)
# ...holding at least PROSE_MIN_LONG_WORDS words of PROSE_LONG_WORD_LETTERS
# letters or more: a style sheet's list of selectors is no prose ("h1 a, h2 a,
# h3 a, h4 a, h5 a, h6 a," after a rule's braces; a sentence of 8 words
# without 3 such words is rare).
PROSE_LONG_WORD_LETTERS = 4
PROSE_MIN_LONG_WORDS = 3
LONG_WORD = _WORD_OPEN + r"[^\W\d_]{%d}" % PROSE_LONG_WORD_LETTERS
# ...and a line that opens with a call (a name and its bracket, no space
# between: a chain of calls cut at its dots) is a mark of code there too.
CALL_OPENING = r"^[A-Za-z_$][\w$.]*\("
# A closing tag written as a script writes it in a string ("<\/p>", so that
# it does not close the script): prose that holds one, or that one closes
# right after it, is a string of markup in the code (a comment form's
# messages), never the page's text.
ESCAPED_TAG = "<\\/"
STRING_OPENED = r"(?:[:,\[({=]\s*[\"']|[\"'][:,]\s*)$"
STRING_CLOSED = r"^(?:[\"']\s*[,}\]:)]|[,}\]:)]\s*[\"'{\[])"
# A short line next to code is code too when it opens or ends as code does (and
# holds no run of prose), or is a comment of the code ("// For each menu you
# create, …"; not the end of a script's wrapper, after which the page's own
# text may follow on the line: "//]]>As I write this review, …"): a script
# written over many lines.
CODE_LINE_STARTS = ("//", "/*", "*/", "}", "{")
CODE_COMMENT_STARTS = ("//", "/*", "* ")
SCRIPT_WRAPPER_ENDS = ("//]]", "//-->", "// ]]", "// -->")
CODE_LINE_ENDS = (";", "{", "}", "*/", "},", "[", "(")
# A line with a mark of code that ends as a statement or a block does is code on its own.
STATEMENT_ENDS = (";", "{", "}")
# ...and so are statements that set names to strings (or numbers, true,
# false, null), whatever the strings say ('var alertEmpty = "You can not
# leave an empty comment."; var tries = 0;': a script's messages, prose inside
# code), one or more on the line.
SCRIPT_STRING = r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'"""  # alternatives
SCRIPT_LITERAL = SCRIPT_STRING + r"""|-?\d+(?:\.\d+)?|true|false|null"""
STRING_ASSIGNMENT = (
    rf"""(?:(?:(?:var|let|const)\s+)?{SCRIPT_NAME}(?:\.{SCRIPT_NAME}|\[[^\]]*\])*\s*=\s*"""
    rf"""(?:{SCRIPT_LITERAL}|undefined)\s*;\s*)+"""
)
# ...and so is a line of an object written over many lines: a name (or a
# quoted one) set to a value ("pid: '5087f9fa…',", "tags: ['Economy',
# 'Society'],", "tracking: {", "'srv_UseSAS' : false, 'sas_Tag' : '',"), one
# or more on the line, ending with the comma before the next one or with a
# comment ("… // The title of the article (remember that …)": the comment's
# words are the script's, not the page's), whatever the strings say.
OBJECT_PROPERTY = (
    rf"""(?:{SCRIPT_NAME}|{SCRIPT_STRING})\s*:\s*(?:{SCRIPT_LITERAL}|\[[^\]]*\]|\{{)\s*"""
)
OBJECT_PROPERTIES = rf"(?:{OBJECT_PROPERTY},\s*)*{OBJECT_PROPERTY}"
# A line of minified statements is code on its own, too short as it may be to
# tell by its counts ("z160=zpreC(160,600);z336=zpreC(336,280);if(zp[0].m&8)
# {f728=5;z160=1}"): at least MINIFIED_MIN_ASSIGNMENTS assignments with no
# spaces (MINIFIED_ASSIGNMENT) and MINIFIED_MIN_STATEMENTS ";", outside the
# web addresses it holds (a query's "?a=1&b=2" is not code: the words that
# hold one, text.URL, are left out), and no run of prose.
MINIFIED_MIN_ASSIGNMENTS = 3
MINIFIED_MIN_STATEMENTS = 2
# A longer line is judged by its counts and marks alone (is_script_code, code_pieces).
BARE_STATEMENTS_MAX_CHARS = 2000
# ... and so is a line of calls alone, each of a name (dotted or not) with
# arguments that hold a string, a list or a comma, not a count ("Comments(3)"):
# "ImageLoad('store', '/images/btnStore_on.gif', '/images/btnStore.gif');",
# "addSize([1100, 200], [[300,250],[728,90]]).", a script whose lines a
# scraper kept one by one.
CALLS = (
    rf"""(?:{SCRIPT_NAME}(?:\.{SCRIPT_NAME})*\((?=[^)]*["'\[,])[^()]*(?:\([^()]*\)[^()]*)*\)\s*[;.,]?\s*)+"""
)
# A comment after a statement or a value (the line is judged without it).
TRAILING_COMMENT = r"""(?<=[,;{}\[\]()'"\w])\s+//(?!/).*$"""
_KIND = operator.attrgetter("kind")


def mark_code(blocks: list[Block]) -> list[Block]:
    """The blocks with their code marked CODE: lines that are code, the code
    cut out of long lines that hold prose too (their pieces become blocks of
    their own, renumbered), and the lines of a script around them."""
    code = BlockKind.CODE
    cut = False
    marked: list[Block] = []
    for block in blocks:
        text = block.text
        if is_script_code(text) or (text.endswith(STATEMENT_ENDS) and _statement(text)) or _bare_statements(text):
            block.kind = code
        elif len(text) >= CODE_SPLIT_MIN_CHARS and "{" in text and block.declared is None:
            pieces = code_pieces(text)
            if pieces is not None:
                marked.extend(_piece_blocks(block, pieces))
                cut = True
                continue
        marked.append(block)
    if cut:
        for index, block in enumerate(marked):
            block.index = index
    spread_code(marked)
    return marked


def is_script_code(text: str) -> bool:
    """Whether a whole line is a script's or a style sheet's code."""
    if not SCRIPT_CODE_MIN_CHARS <= len(text) <= SCRIPT_CODE_MAX_CHARS or (
        "=" not in text and "{" not in text and "}" not in text
    ):
        return False  # most lines: found without counting
    return _reads_as_code(text) and re.search(SCRIPT_CODE_PROSE_RUN, text) is None


def _reads_as_code(text: str) -> bool:
    """The marks of code, however much prose the text holds too."""
    hard = text.count("{") + text.count("}") + text.count("=")
    if hard < SCRIPT_CODE_MIN_HARD:
        return False
    marks = hard + text.count(";")
    if marks < SCRIPT_CODE_MIN_MARKS and marks + len(re.findall(OBJECT_ENTRY, text)) < SCRIPT_CODE_MIN_MARKS:
        return False
    if re.search(SCRIPT_CODE_MARK, text) is None:
        return False
    return dense_in_code_symbols(text) or len(re.findall(CSS_RULE, text)) >= CSS_MIN_RULES


def dense_in_code_symbols(text: str) -> bool:
    """Whether at least SCRIPT_CODE_MIN_SYMBOLS of the text's characters are
    among SCRIPT_CODE_SYMBOLS (counted in C: a minified script is one long line)."""
    return sum(map(text.count, SCRIPT_CODE_SYMBOLS)) >= SCRIPT_CODE_MIN_SYMBOLS * len(text)


def code_pieces(text: str) -> list[tuple[str, bool]] | None:
    """A long line cut into its pieces of prose and of code, in order, each
    (text, is code); None if no piece is code (the line is text). The
    stretches between its runs of prose that read as code are the code."""
    if re.search(SCRIPT_CODE_MARK, text) is None:
        return None
    runs: list[tuple[int, int]] = []
    after = depth = 0  # where the last run seen starts; the braces open at a run's start
    for run in re.finditer(PROSE_RUN, text):
        begin, end = run.span()
        depth = max(0, depth + text.count("{", after, begin) - text.count("}", after, begin))
        after = begin
        if (
            depth == 0 and re.search(STRING_OPENED, text[max(0, begin - 4): begin + 1]) is None
            and re.match(STRING_CLOSED, text[end - 1: end + 3]) is None
        ):
            runs.append((begin, end))
    pieces: list[tuple[str, bool]] = []
    start = 0  # the prose gathered since the last piece of code
    for begin, end in zip([0, *(end for _, end in runs)], [*(begin for begin, _ in runs), len(text)]):
        gap = text[begin:end].strip()
        if len(gap) >= SCRIPT_CODE_MIN_CHARS and _reads_as_code(gap):
            if text[start:begin].strip():
                pieces.append((text[start:begin].strip(), False))
            pieces.append((gap, True))
            start = end
    if not pieces:
        return None
    if text[start:].strip():
        pieces.append((text[start:].strip(), False))
    closes = [piece.startswith(ESCAPED_TAG) for piece, _ in pieces[1:]] + [False]  # the next piece ends its string
    return [(piece, is_code or ESCAPED_TAG in piece or closed) for (piece, is_code), closed in zip(pieces, closes)]


def _piece_blocks(block: Block, pieces: list[tuple[str, bool]]) -> list[Block]:
    """A line's pieces as blocks of its line, each set apart from the next."""
    last = len(pieces) - 1
    return [
        Block(
            block.index, piece, block.line, BlockKind.CODE if is_code else block.kind,
            block.blank_before if k == 0 else True, block.blank_after if k == last else True,
        )
        for k, (piece, is_code) in enumerate(pieces)
    ]


def spread_code(blocks: list[Block]) -> None:
    """The lines next to code (either way, line after line) that open or end
    as code does and hold no run of prose are code too: a script or a style
    sheet written over many lines."""
    code = BlockKind.CODE
    n = len(blocks)
    for i in list(compress(range(n), map(operator.is_, map(_KIND, blocks), repeat(code)))):  # maps: loop in C
        for step in (1, -1):
            j = i + step
            while 0 <= j < n and blocks[j].kind is not code and _code_line(blocks[j].text):
                blocks[j].kind = code
                j += step


def _statement(text: str) -> bool:
    """A line of a script too short to tell by its counts: a mark of code, a
    statement's or a block's end, and no run of prose ("var parts =
    window.location.pathname.split('/');")."""
    return (
        text.endswith(STATEMENT_ENDS) and ("=" in text or "(" in text)
        and (
            re.search(SCRIPT_CODE_MARK, text) is not None and re.search(PROSE_RUN, text) is None
            or re.fullmatch(STRING_ASSIGNMENT, text) is not None
        )
    )  # (mark_code asks the ending first: most lines end otherwise)


def _bare_statements(text: str) -> bool:
    """A line of minified statements, or of calls alone (MINIFIED_MIN_ASSIGNMENTS,
    CALLS), with no run of prose. (Asked of every line: most have no "=" three
    times and do not end with a bracket, a ";" or a full stop after one.)"""
    if len(text) > BARE_STATEMENTS_MAX_CHARS:
        return False
    if text.count("=") >= MINIFIED_MIN_ASSIGNMENTS and text.count(";") >= MINIFIED_MIN_STATEMENTS:
        code = " ".join(word for word in text.split() if URL.search(word) is None)
        if (
            len(re.findall(MINIFIED_ASSIGNMENT, code)) >= MINIFIED_MIN_ASSIGNMENTS
            and code.count(";") >= MINIFIED_MIN_STATEMENTS
            and re.search(PROSE_RUN, text) is None
        ):
            return True
    return text.rstrip(" ;.,").endswith(")") and re.fullmatch(CALLS, text) is not None and re.search(
        PROSE_RUN, text
    ) is None


def _code_line(text: str) -> bool:
    if text.startswith(CODE_COMMENT_STARTS):
        return not text.startswith(SCRIPT_WRAPPER_ENDS)
    if ":" in text:  # a line of an object (OBJECT_PROPERTIES)
        code = re.sub(TRAILING_COMMENT, "", text) if "//" in text else text
        ending = ",?" if len(code) < len(text) else ","  # a comment ends it as a comma does
        if re.fullmatch(OBJECT_PROPERTIES + ending, code) is not None:
            return True
    return (
        text.startswith(CODE_LINE_STARTS) or text.endswith(CODE_LINE_ENDS)
        or re.search(SCRIPT_CODE_MARK, text) is not None or re.search(MINIFIED_ASSIGNMENT, text) is not None
        or re.match(CALL_OPENING, text) is not None
    ) and not _holds_letter_prose(text)


def _holds_letter_prose(text: str) -> bool:
    """Whether a line holds a LETTER_RUN with PROSE_MIN_LONG_WORDS long words."""
    return any(
        sum(1 for word in run.group().split(" ") if re.match(LONG_WORD, word)) >= PROSE_MIN_LONG_WORDS
        for run in re.finditer(LETTER_RUN, text)
    )
