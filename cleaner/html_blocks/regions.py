"""Which page regions an element names: by its tag, its ARIA role, and words
in its class and id values ("site-nav", "sidebar-widget", "comment-list")."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from types import ModuleType
from typing import Any

from ..model import Landmark
from ..speedups import compiled

# Region of a page by its element name or ARIA role.
# (Landmark values are used as plain ints in the walk: IntFlag arithmetic is slow.)
TAG_LANDMARKS = {
    "nav": Landmark.NAV, "header": Landmark.HEADER, "footer": Landmark.FOOTER, "aside": Landmark.ASIDE,
    "form": Landmark.FORM, "menu": Landmark.NAV, "article": Landmark.ARTICLE, "main": Landmark.MAIN,
    "ul": Landmark.LIST, "ol": Landmark.LIST, "dl": Landmark.LIST, "blockquote": Landmark.QUOTE,
    "table": Landmark.TABLE,
}

TAG_BITS = {tag: int(landmark) for tag, landmark in TAG_LANDMARKS.items()}

ROLE_LANDMARKS = {
    "navigation": Landmark.NAV, "banner": Landmark.HEADER, "contentinfo": Landmark.FOOTER,
    "complementary": Landmark.ASIDE, "search": Landmark.FORM, "form": Landmark.FORM,
    "main": Landmark.MAIN, "article": Landmark.ARTICLE, "menu": Landmark.NAV, "menubar": Landmark.NAV,
}

ROLE_BITS = {role: int(landmark) for role, landmark in ROLE_LANDMARKS.items()}

QUOTE = int(Landmark.QUOTE)
COMMENTS = int(Landmark.COMMENTS)

# A box about the post's author ("author-box", "wp-about-author") is read as
# the readers' comments are: a region about the post, beside it, that leaves
# the body when the article's own text outside it is long enough
# (segments.drop_replies; a text dump's end model cuts both alike). In the eval
# pool's pages 1,770 words stand in such boxes, 245 of them in the gold (three
# boxes on CleanEval pages, whose gold keeps all text). Read as an aside, as a
# sidebar is, they mostly stayed: a post's own column is often in a
# "content-sidebar-wrap".
AUTHOR_BOX_WORDS = (
    "author-box", "authorbox", "author-bio", "authorbio", "about-author", "aboutauthor", "about-the-author",
)

# Words in class and id attributes that name a region, as sites commonly write them
# (anywhere in the value: "site-nav", "sidebar-widget", "post-body").
CLASS_LANDMARKS = (
    (("nav", "menu", "masthead", "topbar", "toolbar", "skip"), Landmark.NAV),
    (("header", "banner"), Landmark.HEADER),
    (("foot", "copyright", "colophon"), Landmark.FOOTER),
    (("sidebar", "side-bar", "aside", "rail", "widget"), Landmark.ASIDE),
    (("comment", "disqus", "discussion", "respond", "reply", *AUTHOR_BOX_WORDS), Landmark.COMMENTS),
    (("share", "sharing", "social", "follow", "facebook", "twitter", "whatsapp", "print"), Landmark.SHARE),
    (("related", "recommend", "more-", "read-next", "readnext", "popular", "trending", "teaser", "promo-list",
      "most-", "slideshow", "gallery", "carousel"), Landmark.RELATED),
    (("newsletter", "subscri", "signup", "sign-up", "cookie", "consent", "gdpr", "advert", "sponsor", "popup",
      "modal", "paywall", "banner-ad", "promo"), Landmark.PROMO),
    (("breadcrumb", "crumbs"), Landmark.BREADCRUMB),
    (("article", "story", "post-body", "postbody", "entry", "content", "main-text", "maintext", "body-text",
      "bodytext", "prose"), Landmark.ARTICLE),
)

# "ad" and "ads" name promotions only as words of their own ("ad-slot", not "header").
AD_WORD = re.compile(r"\bads?\b")

# Each word's regions, with those of the words it starts with ("banner-ad" is a banner too).
REGION_WORD_BITS = {
    word: sum({int(landmark) for words, landmark in CLASS_LANDMARKS for prefix in words if word.startswith(prefix)})
    for words, _ in CLASS_LANDMARKS for word in words
}

# Words that start like a region's word but name something else: an opinion
# piece's "commentary" is not its comments. They name no region (the longer
# word is found first at its place, and its bits are none).
NOT_REGION_WORDS = ("commentary",)
REGION_WORD_BITS.update(dict.fromkeys(NOT_REGION_WORDS, 0))

# All the words in one pattern, longest first: searched from every place where
# one starts, it finds the longest word there, whose bits hold the shorter ones'.
# The words are grouped by their first letter ("a(?:rticle|dvert|side)|b(?:…)"):
# at each place the regex engine then tries one group, not every word (half
# the time on the dev pages' class and id values).
REGION_WORDS = re.compile("|".join(
    re.escape(first) + "(?:" + "|".join(re.escape(word[1:]) for word in words) + ")"
    for first, words in groupby(sorted(REGION_WORD_BITS, key=lambda word: (word[0], -len(word))), key=itemgetter(0))
))

# Their class and id name the page (its template, its site: "single-post",
# "design-profootballtalk"), not a region of it.
PAGE_TAGS = frozenset(("html", "body"))

# Attribute values longer than this are not searched for region names.
MAX_CLASS_CHARS = 200


# A class that files a post under a category, a tag or an author names no region
# of the page ("category-social-media", "tag-comments", "entry-author-jo_foot":
# WordPress's and TypePad's post classes on the article's own element); an
# author's box or bio (AUTHOR_BOX_WORDS: "author-box", "author-bio") is not one of them.
# (the words are letters and "-": nothing to escape)
_AUTHOR_BOX_ENDS = "|".join(word[len("author"):] for word in AUTHOR_BOX_WORDS if word.startswith("author-"))
TAXONOMY_CLASS = re.compile(rf"(?<![\w-])(?:entry-|post-)?(?:category|tag|author(?!{_AUTHOR_BOX_ENDS}))-[\w-]*")


@lru_cache(maxsize=4096)
def named_landmarks(names: str) -> int:
    """Regions named by a class or id value (pages repeat the same few values):
    by cleaner._speedups where it is built, for values of ASCII (the same bits)."""
    names = TAXONOMY_CLASS.sub(" ", names)
    helper = _region_helper()
    if helper is not None:
        found: int | None = helper[0].region_bits(helper[1], names)
        if found is not None:
            return found
    return _python_named_landmarks(names)


def _python_named_landmarks(names: str) -> int:
    names = names.lower()
    found = 0
    match = REGION_WORDS.search(names)
    while match is not None:  # one search per word found: most values hold none
        found |= REGION_WORD_BITS[match.group()]
        match = REGION_WORDS.search(names, match.start() + 1)
    if "ad" in names and AD_WORD.search(names):
        found |= int(Landmark.PROMO)
    return found


@lru_cache(maxsize=1)
def _region_helper() -> tuple[ModuleType, Any] | None:
    """cleaner._speedups and its table of REGION_WORD_BITS, where it is built."""
    module = compiled()
    if module is None:
        return None
    words = tuple(REGION_WORD_BITS)
    return module, module.region_table(words, tuple(map(REGION_WORD_BITS.__getitem__, words)), int(Landmark.PROMO))
