"""Small text utilities shared by several stages: word splitting, match keys,
and the patterns for captions, datelines, bylines and dates.

Only fixed structural knowledge lives here (how a photo credit or a dateline is
written); tunable numbers live in ``config.CleanerConfig``.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Iterator
from itertools import compress, repeat
from typing import TypeVar

from .speedups import compiled

WORD = re.compile(r"\w+")
# Text that holds something: a letter or a digit (a rule, "-----", or a "·"
# bullet does not).
HAS_WORD = re.compile(r"[^\W_]")
T = TypeVar("T")
# Characters that look like spaces, and characters that take no room.
SPACE_LIKE_CHARACTERS = "\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000\t\x0b\x0c"
ZERO_WIDTH_CHARACTERS = "\u200b\u2060\ufeff\u00ad"
SPACE_LIKE = re.compile(f"[{SPACE_LIKE_CHARACTERS}]")
ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH_CHARACTERS}]")
NOT_WORD = re.compile(r"[\W_]+")
# What splits a page's title into the site's name and the page's own
# ("Site: Headline", "Headline | Site"); classify.py and seams.py cut at it.
TITLE_SEPARATORS = re.compile(r"\s+[|»«:/·•~–—-]+\s+|:\s+|\s+::\s+")
SPACES = re.compile(r"\s+")

# Photo credits and caption markers, as agencies and newsrooms write them: at
# the end of a caption, "(AP Photo/Virginia Mayo)", "(… via AP)", "Getty Images";
# at its start, "Photo: …", "Credit: …"; anywhere, "REUTERS/Jane Doe".
CAPTION_CREDIT_END = re.compile(
    r"\((?:AP|AFP|Reuters|EPA|Getty)[^)]{0,80}\)\s*$"
    r"|\([^()]{0,80}\b(?:via AP|via Reuters|AP Photo|Getty Images|AFP|EPA|Shutterstock)\)\s*$"
    r"|[.!?]\s+(?:Photo|Photograph|Image|Picture|Foto|Credit)s?\s*:\s*[^.]{2,60}$"
    # a credit in brackets: "… early in the day (Image: Getty)", "(Image credit: NASA)"
    r"|\((?:(?:Photo|Photograph|Image|Picture|Foto)s?(?: [Cc]redit)?|Credit)\s*:\s*[^()]{2,60}\)\s*$"
    r"|\b(?:Getty Images|Shutterstock|iStock(?:photo)?|Alamy|Bloomberg via Getty)\s*\)?\s*$"
    # a credit glued to the caption: "…early.Kathrin Ziegler/Getty", "… [File: Reuters]"
    r"|[./\[(](?:File:\s*)?[^./\[(]{0,40}\b(?:Getty(?: Images)?|Reuters|REUTERS|AFP|AP|EPA)[\])]?\s*$"
)
CAPTION_CREDIT_START = re.compile(
    r"(?:Photo|Photograph|Image|Picture|Foto|Credit|Image credit|Photo credit)s?\s*:\s*\S"
    # the agencies' caption opening: "In this Dec. 12, 2006, file photo, …", "In this image released by …"
    r"|In this (?:[\w.]+,? ){0,5}?(?:photo|photograph|image|picture|video grab)"
    r"(?:,|\s+(?:taken|released|made|provided|shot|obtained|posted|shows)\b)",
    re.I,
)
CAPTION_AGENCY = re.compile(r"\b(?:REUTERS|AFP|EPA|GETTY IMAGES)\s*/\s*\w")
# The end-anchored credits are looked for in this many last characters only.
CAPTION_TAIL_CHARS = 120
# Every credit CAPTION_CREDIT_END finds ends (but for spaces) with a closing
# bracket or one of these names, or holds a colon and one of these labels: most
# lines do not, and looking is much cheaper than the regex's scan. Keep them in
# step (tests/test_text.py checks them on the dev dumps).
CAPTION_CREDIT_ENDINGS = (
    ")", "]", "Getty", "Getty Images", "Shutterstock", "iStock", "iStockphoto", "Alamy", "Reuters", "REUTERS", "AFP",
    "AP", "EPA",
)
CAPTION_CREDIT_LABELS = ("Photo", "Image", "Picture", "Foto", "Credit")


def has_caption_credit(line: str) -> bool:
    tail = line[-CAPTION_TAIL_CHARS:]
    return bool(
        CAPTION_CREDIT_START.match(line)
        or (_may_end_in_credit(tail) and CAPTION_CREDIT_END.search(tail))
        or ("/" in line and CAPTION_AGENCY.search(line))
    )


def is_copyright_notice(line: str) -> bool:
    """Whether COPYRIGHT_NOTICE matches the line (asked only when it can)."""
    if line.isascii() or not any(map(line.__contains__, IGNORECASE_ODD_LETTERS)):
        lowered = line.lower()
        if not lowered.startswith(COPYRIGHT_NOTICE_STARTS) and COPYRIGHT_NOTICE_PHRASE not in lowered:
            return False
    return COPYRIGHT_NOTICE.search(line) is not None


def is_consent_notice(line: str) -> bool:
    """Whether the line is a cookie consent notice (COOKIE_WORD and
    CONSENT_WORDS, at most CONSENT_NOTICE_MAX_WORDS words). Most lines hold
    no "ookie", and looking is cheaper than the patterns."""
    return (
        ("ookie" in line or "OOKIE" in line)
        and line.count(" ") < CONSENT_NOTICE_MAX_WORDS
        and COOKIE_WORD.search(line) is not None
        and CONSENT_WORDS.search(line) is not None
    )


def is_browser_notice(line: str) -> bool:
    """Whether the line is a notice about the reader's browser (BROWSER_NOTICE,
    at most CONSENT_NOTICE_MAX_WORDS words)."""
    return (
        any(map(line.__contains__, BROWSER_NOTICE_WORDS))
        and line.count(" ") < CONSENT_NOTICE_MAX_WORDS
        and BROWSER_NOTICE.search(line) is not None
    )


def _may_end_in_credit(tail: str) -> bool:
    return tail.rstrip().endswith(CAPTION_CREDIT_ENDINGS) or (
        ":" in tail and any(map(tail.__contains__, CAPTION_CREDIT_LABELS))
    )


# "BRUSSELS (AP) — ", "LONDON, June 3 (Reuters) - ", "WASHINGTON — ": capitals,
# an optional date, an optional agency in brackets, then a dash. Or a place in
# mixed case with its region and a long dash: "DeKalb, Ill. — ".
DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z.'\- ]{1,40}[A-Z.]"
    r"(?:,\s*[A-Z][A-Za-z.' ]{1,30}?)?"
    r"(?:,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"
    r"(?:\s*\((?:[A-Za-z][\w .&'-]{0,30})\))?)"
    r"\s*(?:—|–|--|-)\s+\S"
    r"|^(?P<place>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}, [A-Z][\w.']+(?: [A-Z][\w.']+)?)\s+[—–]\s+\S"
)


def dateline_of(text: str) -> str | None:
    """The dateline a paragraph opens with, if any."""
    m = DATELINE.match(text)
    if m is None:
        return None
    return m.group("dateline") or m.group("place")


# Calls to action that close or interrupt articles: "Follow our coverage at …",
# "Subscribe to …", "Click here …", "Sign up for …". Verbs in the imperative only.
# And the commonest of them in the other languages of classify.STOPWORDS (read
# more, read also, see also, share): "Lesen Sie auch: …", "Lire aussi", "Leia
# também", "Leggi anche".
CALL_TO_ACTION = re.compile(
    r"^(?:Skip to|Jump to|Follow|Subscribe|Sign up|Click|Tap|Read more|Read also|Share|Download|Join|Like us|"
    r"Register|Log in|Sign in|Watch|Listen|Get the|Don't miss|Continue reading|See also|See more|"
    r"View more|Load more|Show more)\b"
    r"|^Related(?::|\s+(?:links|news|articles|stories|posts|content|coverage|reading)\b)"
    r"|^(?:Lesen Sie (?:auch|mehr)|Weiterlesen|Mehr lesen|Mehr zum Thema|Teilen|Lees (?:ook|meer)|Delen"
    r"|(?:À )?Lire (?:aussi|la suite)|Partager|Voir aussi"
    r"|Lee también|Leer más|Ver también|Compartir|Leia (?:também|mais)|Veja também|Compartilh(?:e|ar)"
    r"|Leggi (?:anche|tutto)|Continua a leggere|Condividi)\b",
    re.I,
)
# A copyright notice: a line that opens with one ("© 2024 Example News",
# "Copyright (c) 2019 CNBC LLC"; not "Copyright law …", nor a "(c)" list item)
# or says "All rights reserved". Pages put it in their footer, and agencies at
# the end of a story: it is not the story.
COPYRIGHT_NOTICE = re.compile(r"^(?:©|copyright\s*(?:©|\(c\))?\s*\d{4})|\ball rights reserved\b", re.I)
# What a line must hold, lowered, for COPYRIGHT_NOTICE to match it: most lines
# hold neither, and `in` is much cheaper than a search with re.I. (Unless the
# line has one of IGNORECASE_ODD_LETTERS: then the pattern is asked.)
COPYRIGHT_NOTICE_STARTS = ("©", "copyright")
COPYRIGHT_NOTICE_PHRASE = "all rights reserved"
# re.I matches "İ" and "ı" to i and "ſ" to s, which str.lower() does not turn
# into i and s: a text without these is lowered and searched with `in` for
# phrases of these letters (not k: re.I matches the Kelvin sign to k).
IGNORECASE_ODD_LETTERS = ("İ", "ı", "ſ")
# A call to action is promotion only when it is short or points somewhere.
CALL_TO_ACTION_MAX_WORDS = 12
# A cookie consent notice: a line that names cookies ("cookie", "Cookies",
# "COOKIES") and asks for consent or points to the privacy settings ("We use
# cookies and other tracking technologies … By choosing I Accept, you consent
# to our use of cookies"). A banner every site of the law's reach shows, never
# the article; the article's own cookies (a recipe's "cookie sheet") ask for
# nothing. Lines longer than CONSENT_NOTICE_MAX_WORDS are not one: a page's
# text content written as one line holds its banner and its article alike.
COOKIE_WORD = re.compile(r"\b(?:[Cc]ookies?|COOKIES?)\b")
CONSENT_WORDS = re.compile(
    r"\b(?:consent|accept|agree|privacy|tracking|browsing|personal (?:data|information)|opt[- ]?out|preferences|"
    r"settings"
    # the other languages of classify.STOPWORDS ("Wir verwenden Cookies … Mit Klick auf Akzeptieren stimmen Sie …")
    r"|zustimm\w*|stimmen sie|einverstanden|akzeptier\w*|einwillig\w*|datenschutz\w*|einstellungen"
    r"|accepter|acceptez|consentement|confidentialité|paramètres"
    r"|aceptar|acepta|consentimiento|privacidad|configuración|aceitar|aceita|consentimento|privacidade"
    r"|configurações|definições|accetta\w*|consenso|impostazioni|accepteren|akkoord|toestemming|instellingen)\b",
    re.I,
)
CONSENT_NOTICE_MAX_WORDS = 120
# A notice about the reader's browser: "Please enable JavaScript to view the
# comments", "This page is best viewed in an up-to-date web browser", "Your
# browser does not support JavaScript". It speaks of the reader's software,
# never of the article's subject; at most CONSENT_NOTICE_MAX_WORDS words, as a
# consent notice. (None of the eval pool's 129 such lines is in its gold.)
BROWSER_NOTICE = re.compile(
    r"\b(?:enable|turn on|switch on|activate)\s+(?:your\s+)?javascript\b"
    r"|\bjavascript\s+(?:is\s+)?(?:required|disabled|turned off|must be (?:enabled|turned on))\b"
    r"|\brequires\s+javascript\b"
    r"|\b(?:best viewed|outdated|out-of-date|up-to-date|unsupported|upgrade your|update your)\s+(?:web\s+)?browser\b"
    r"|\byour\s+(?:web\s+)?browser\s+(?:does not|doesn't|is not|isn't|has been unable|cannot|can't)\b"
    # the other languages of classify.STOPWORDS: "Bitte aktivieren Sie JavaScript", "Veuillez activer
    # JavaScript", "JavaScript está desactivado"
    r"|\b(?:aktivieren|activer|activez|activa|activar|ativar|ative|attivare|attiva|inschakelen)\s+(?:sie\s+)?"
    r"(?:(?:das|le|el|o|il|je)\s+)?javascript\b"
    r"|\bjavascript\s+(?:\w+\s+)?(?:aktivieren|activer|activar|ativar|attivare|inschakelen|deaktiviert|désactivé"
    r"|desactivado|desativado|disattivato|uitgeschakeld|erforderlich|requis|necesario|necessário|obbligatorio)\b",
    re.I,
)
# What a line must hold for BROWSER_NOTICE to match it (cheaper than the pattern).
BROWSER_NOTICE_WORDS = ("rowser", "ROWSER", "avascript", "avaScript", "AVASCRIPT")

# "By Jane Doe", "By Jane Doe and John Roe, Associated Press", "by Bryan DeArdo"
# or a name with its social handle: "Zachary Roth, @zackroth".
BYLINE = re.compile(
    r"^(?:By|by|BY|Von|Par|Por|Di)\s+\S|^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3},? @\w+$"
    r"|^(?:By|by|BY|Von|Par|Por|Di)\s*:?$"  # the word alone, its name a line (an HTML element) of its own
)
# Every line BYLINE matches opens with one of these letters or holds an "@":
# most lines do not, and looking is cheaper than the regex. Keep them in step.
BYLINE_FIRST_LETTERS = "BbVPD"


def is_byline(line: str) -> bool:
    """Whether BYLINE matches the line (asked only when it can)."""
    return (line[:1] in BYLINE_FIRST_LETTERS or "@" in line) and BYLINE.match(line) is not None


# What lines of ASCII the kind hints (blocks._kind_hint) may match open with:
# in lower case, what CAPTION_CREDIT_START, CALL_TO_ACTION and COPYRIGHT_NOTICE
# match first (re.I matches an ASCII letter to ASCII letters alone); as written,
# what BYLINE matches first when the line holds no "@". The C helper asks the
# patterns only of the lines that open so or hold what the others need
# (cleaner/_speedups.c, hint_candidates). Keep them in step with the patterns
# (tests/test_speedups.py checks them on the dev dumps).
HINT_OPENINGS = (
    "photo", "image", "picture", "foto", "credit", "in this ", "copyright", "skip to", "jump to", "follow",
    "subscribe", "sign up", "click", "tap", "read more", "read also", "share", "download", "join", "like us",
    "register", "log in", "sign in", "watch", "listen", "get the", "don't miss", "continue reading", "see also",
    "see more", "view more", "load more", "show more", "related",
    # the other languages' calls to action whose openings are ASCII (a line past ASCII is always
    # asked: "Leer más", "Veja também" need no entry)
    "lesen sie", "weiterlesen", "mehr lesen", "mehr zum thema", "teilen", "lees ", "delen", "lire ", "partager",
    "voir aussi", "compartir", "leia ", "compartilh", "leggi ", "continua a leggere", "condividi",
)
BYLINE_OPENINGS = ("By", "by", "BY", "Von", "Par", "Por", "Di")

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# The months' names in the other languages of classify.STOPWORDS that write a
# date's day first ("30. Juli 2018", "17 de outubro de 2012", "3 décembre
# 2024"): read only after a day ("mai" and "mars" are words too), and with no
# abbreviations ("mar", "set" and "dic" are words as well).
DAY_FIRST_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "janvier", "enero", "janeiro", "gennaio", "januari"),
            ("februar", "février", "febrero", "fevereiro", "febbraio", "februari"),
            ("märz", "mars", "marzo", "março", "maart"),
            ("avril", "abril", "aprile"),
            ("mai", "mayo", "maio", "maggio", "mei"),
            ("juni", "juin", "junio", "junho", "giugno"),
            ("juli", "juillet", "julio", "julho", "luglio"),
            ("août", "agosto", "augustus"),
            ("septembre", "septiembre", "setiembre", "setembro", "settembre"),
            ("oktober", "octobre", "octubre", "outubro", "ottobre"),
            ("novembre", "noviembre", "novembro"),
            ("dezember", "décembre", "diciembre", "dezembro", "dicembre"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# Every month's name a date may hold, and its number.
ANY_MONTHS = {**MONTHS, **DAY_FIRST_MONTHS}
_DAY_FIRST_MONTH = r"(?P<month>" + "|".join(sorted(ANY_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = (
    r"(?:[ T,]*(?:(?:at|à|um|às|alle|a\s+las|om)\s+)?"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?)?"
)
DATE_PATTERNS = (
    # 12/07/2012 is read month first (US), 23/08/2018 day first: see _iso
    re.compile(r"\b(?P<first>\d{1,2})[/.](?P<second>\d{1,2})[/.](?P<year>(?:19|20)\d{2})\b" + _TIME, re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})" + _TIME, re.I),
    # "3rd May 2012", "30. Juli 2018", "1er janvier 2020", "17 de outubro de 2012"
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+)?" + _DAY_FIRST_MONTH
        + r",?\s+(?:de\s+)?(?P<year>(?:19|20)\d{2})\b" + _TIME,
        re.I,
    ),
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b" + _TIME, re.I),
)
# "Last Updated At:22:20", "Updated 10:05 GMT", "Aktualisiert 10:05": a time with no date of its own.
UPDATED = re.compile(
    r"\b(?:last\s+)?(?:updated|modified|aktualisiert|mis\s+à\s+jour|actualizado|atualizado|aggiornato|bijgewerkt)\b",
    re.I,
)
TIME_ONLY = re.compile(r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?", re.I)
# Every date DATE_PATTERNS finds has a year starting with one of these: a line
# with neither has no date, and is not searched four times.
YEAR_STARTS = ("19", "20")


# Match keys are built from at most this many characters (a longer line's key
# also carries its length): repeats are found by their opening, and a 50 MB line
# costs no more than a paragraph.
MAX_KEY_CHARS = 2000


# match_keys works on many texts at once, one text a line: NOT_WORD's
# characters but the line breaks become spaces (in ASCII text, those that are
# not letters or digits, by str.translate, much cheaper than a regex scan; in
# other text underscores are word characters to the regex and replaced apart),
# and collapsing runs of spaces (str.replace, far cheaper than a regex scan) and
# stripping each line then leave single spaces between the words, as
# NOT_WORD.sub() and strip() do on one text.
ASCII_NOT_WORD_TO_SPACE = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum() and c != "\n"})
NOT_WORD_BUT_LINE_BREAK = re.compile(r"[^\w\n]+")
# The characters past ASCII most common in scraped text that are not word
# characters (quotes, dashes, an ellipsis, bullets): replaced by spaces first
# (str.replace is cheap), they leave most lines ASCII.
COMMON_NOT_WORD = "’”“—–…»•©‘►·«£›®"
_KEY_SAMPLE = slice(MAX_KEY_CHARS)
# match_keys and words_of work on this many texts together: what they make on
# the way is held for a batch at a time (a big dump is one page).
TEXTS_BATCH = 1000


def match_key(text: str) -> str:
    """Case- and punctuation-blind form of a line, used to find repeats."""
    return match_keys([text])[0]


def match_keys(texts: list[str]) -> list[str]:
    """match_key of each text: by cleaner._speedups where it is built for the
    texts of ASCII (most), in Python for the others (_python_match_keys)."""
    module = compiled()
    if module is None:
        return _python_match_keys(texts)
    keys: list[str | None] = module.ascii_match_keys(texts, MAX_KEY_CHARS)
    others = list(compress(range(len(keys)), map(operator.is_, keys, repeat(None))))
    for i, key in zip(others, _python_match_keys([texts[i] for i in others])):
        keys[i] = key
    return keys  # type: ignore[return-value]


def _python_match_keys(texts: list[str]) -> list[str]:
    """match_key of each text, TEXTS_BATCH texts casefolded and spaced together:
    a str method or a regex called once a text costs more than its work."""
    keys: list[str] = []
    for start in range(0, len(texts), TEXTS_BATCH):
        keys += _match_keys(texts[start: start + TEXTS_BATCH])
    return keys


def _match_keys(texts: list[str]) -> list[str]:
    n = len(texts)
    # line breaks are not word characters: a text's own (a <pre> block) are spaces to its key
    joined = one_per_line(list(map(operator.getitem, texts, repeat(_KEY_SAMPLE))))
    # ASCII text is casefolded by lower(), which has a fast path for it
    folded = (joined.lower() if joined.isascii() else _without_common_not_word(joined.casefold())).split("\n")
    plain = list(map(str.isascii, folded))
    # the ASCII lines spaced together, and the others
    keys = in_order(
        plain,
        _spaced(_spaced_ascii("\n".join(compress(folded, plain)))),
        _spaced(_spaced_other("\n".join(compress(folded, map(operator.not_, plain))))),
    )
    for i in compress(range(n), map(operator.lt, repeat(MAX_KEY_CHARS), map(len, texts))):
        keys[i] = f"{keys[i]} {len(texts[i])}"  # a longer line's key also carries its length
    return keys


def one_per_line(texts: list[str]) -> str:
    """The texts joined by line breaks, one a line: a text's own line breaks
    (a <pre> block) become spaces."""
    joined = "\n".join(texts)
    if joined.count("\n") >= len(texts):
        joined = "\n".join(text.replace("\n", " ") for text in texts)
    return joined


def in_order(which: list[bool], when_true: Iterator[T], when_false: Iterator[T]) -> list[T]:
    """The next item of when_true for each true value of which, of when_false for each false one."""
    return list(map(next, map({True: when_true, False: when_false}.__getitem__, which)))


def _without_common_not_word(text: str) -> str:
    """text with each of COMMON_NOT_WORD replaced by a space."""
    for character in COMMON_NOT_WORD:
        if character in text:
            text = text.replace(character, " ")
    return text


def _spaced(lines: str) -> Iterator[str]:
    """Each line with single spaces between its words and none around them."""
    while "  " in lines:
        lines = lines.replace("  ", " ")
    return map(str.strip, lines.split("\n"))


def _spaced_ascii(lines: str) -> str:
    return lines.translate(ASCII_NOT_WORD_TO_SPACE)


def _spaced_other(lines: str) -> str:
    return NOT_WORD_BUT_LINE_BREAK.sub(" ", lines).replace("_", " ")


def words(text: str) -> list[str]:
    return WORD.findall(text)


# The ASCII characters WORD does not match (all but letters, digits and "_"), as
# spaces; line breaks kept.
ASCII_NOT_IN_WORDS = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_" or c == "\n")}
)


def words_of(texts: list[str]) -> Iterator[list[str]]:
    """words() of each text. The ASCII ones (most) are translated together,
    TEXTS_BATCH at a time, and split: a call of translate builds its table anew,
    and findall pays a good deal for each word it finds."""
    for start in range(0, len(texts), TEXTS_BATCH):
        batch = texts[start: start + TEXTS_BATCH]
        plain = list(map(str.isascii, batch))
        spaced = one_per_line(list(compress(batch, plain))).translate(ASCII_NOT_IN_WORDS)
        yield from in_order(
            plain, map(str.split, spaced.split("\n")), map(WORD.findall, compress(batch, map(operator.not_, plain)))
        )


def date_line_rest(text: str) -> int | None:
    """Words of a line besides its first date, or None when it has no date."""
    if not _may_hold_date(text):
        return None
    for pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if m and _iso(m):
            rest = text[: m.start()] + " " + text[m.end():]
            return len(WORD.findall(rest))
    return None


def find_dates(text: str) -> tuple[str | None, str | None]:
    """(published, updated) as ISO 8601 from a short date line, where parseable.

    The first full date is the published one. A later full date, or a bare time
    after "Updated", is the updated one (a bare time takes the published day).
    """
    found: list[tuple[int, int, str]] = []
    if not _may_hold_date(text):
        return None, None
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            iso = _iso(m)
            if iso:
                found.append((m.start(), m.end(), iso))
    found.sort()
    if not found:
        return None, None
    published = found[0][2]
    if "T" not in published:  # "4:42 PM on 12/07/2012": the time may come first
        time = TIME_ONLY.search(text, 0, found[0][0])
        clock = time and _clock(time.group("hour"), time.group("minute"), time.group("ampm"))
        if clock:
            published += "T" + clock
    updated = found[1][2] if len(found) > 1 else None
    marker = UPDATED.search(text, found[0][1])
    if updated is None and marker:
        time = TIME_ONLY.search(text, marker.end())
        if time:
            clock = _clock(time.group("hour"), time.group("minute"), time.group("ampm"))
            if clock:
                updated = published[:10] + "T" + clock
    return published, updated


def _may_hold_date(text: str) -> bool:
    return YEAR_STARTS[0] in text or YEAR_STARTS[1] in text


def _iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if groups.get("first"):
        month, day = int(groups["first"]), int(groups["second"])
        if month > 12:
            month, day = day, month
    else:
        month = int(groups["mnum"]) if groups.get("mnum") else ANY_MONTHS[groups["month"].lower().rstrip(".")]
        day = int(groups["day"])
    year = int(groups["year"])
    try:
        datetime.date(year, month, day)
    except ValueError:  # 31 February, month 13
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}"
    if groups.get("hour"):
        clock = _clock(groups["hour"], groups["minute"], groups.get("ampm"))
        if clock:
            return date + "T" + clock
    return date


def _clock(hour_text: str, minute_text: str, ampm: str | None) -> str | None:
    hour, minute = int(hour_text), int(minute_text)
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if pm else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


SENTENCE_END_CHARS = (".", "!", "?", "…", "。", "！", "？", '."', ".”", "!”", "?”", ".'", ".’")
URL = re.compile(r"https?://|www\.\w")


# The layout of cleaner's own Markdown output (render.py writes it, the Markdown
# reader in markdown_blocks.py reads it back): per article an optional
# "# Title", an optional metadata line "_published · updated U · DATELINE · byline_",
# the paragraphs, optionally "Captions:" and a "- " list; articles apart by "---".
TITLE_PREFIX = "# "
METADATA_MARK = "_"
METADATA_SEPARATOR = " · "
UPDATED_PREFIX = "updated "
ARTICLE_RULE = "---"
CAPTIONS_LABEL = "Captions:"
CAPTION_ITEM_PREFIX = "- "
# A paragraph that opens like a layout line ("# …", "_…", the label) is written
# after a backslash, as Markdown escapes it, and read back without it.
ESCAPE = "\\"
ESCAPED_STARTS = ("#", METADATA_MARK, ESCAPE, CAPTIONS_LABEL)
# A Markdown list item ("- ", "1. ", quoted or indented): consecutive ones are
# written without a blank line between them.
LIST_ITEM = re.compile(r"^(?:> )?\s*(?:-|\d+\.) ")
# The dates on that line, as render writes them (ISO 8601, day or minute).
ISO_DATE = re.compile(r"(?:19|20)\d{2}-\d{2}-\d{2}(?:T\d{2}:\d{2})?")


def parse_metadata_line(text: str) -> tuple[str | None, str | None, list[str]]:
    """(published, updated, the other items) of a metadata line without its marks."""
    items = text.split(METADATA_SEPARATOR)
    published = updated = None
    if items and ISO_DATE.fullmatch(items[0]):
        published = items.pop(0)
    if items and items[0].startswith(UPDATED_PREFIX) and ISO_DATE.fullmatch(items[0][len(UPDATED_PREFIX):]):
        updated = items.pop(0)[len(UPDATED_PREFIX):]
    return published, updated, items
