"""An article's fingerprint: its words, a MinHash of its shingles, band keys.

Input: an article's body paragraphs. Output: an ``ArticleSketch`` (band keys
for the index, the words compressed for confirmation). The MinHash is made by
one-permutation hashing: each shingle is hashed once (blake2b, 8 bytes), the
hash picks one of BANDS x ROWS bins and the bin keeps its smallest value; an
empty bin (a short article) takes the value of the next filled bin to its
right with the distance added (rotation densification), so two articles still
agree on a bin with probability about their Jaccard similarity. This costs one
hash per shingle instead of one per shingle and permutation (about 1 ms for a
1,000-word article in pure Python; a fifth of that where cleaner._speedups is
built, which makes the same band keys in C).

The constants below fix the index's format (ArticleIndex refuses an index made
with others); they were chosen with bench/dup_articles.py, see docs/batch.md.
"""

from __future__ import annotations

import operator
import struct
import zlib
from dataclasses import dataclass
from functools import partial
from hashlib import blake2b
from itertools import repeat

from ..text import match_keys

# Shingles of this many consecutive words: 5 makes a shared stock phrase ("said
# in a statement on") one shingle among hundreds, while a story with a
# paragraph added or cut keeps most of its shingles.
SHINGLE_WORDS = 5
# Bands of ROWS MinHash values each: candidates are articles sharing a whole
# band. 3 rows x 42 bands put the 50% point of the S-curve at J = 0.25: a story
# cut to half (J 0.5) is found 99% of the time, two stories sharing a tenth of
# their shingles 4%.
ROWS = 3
BANDS = 42
# Words kept of an article (fingerprinted, stored and compared): the first
# 1,000 tell the story (a news article has 400-800), a comparison costs the
# product of two articles' lengths and the stored words are most of the index's
# size. bench/dup_articles.py: recall 0.966 on its test part against 0.974 with
# 3,000 words, precision the same; 40% less disk at the scale of the bench.
MAX_WORDS = 1000
# Candidates are confirmed on runs of this many words (see article_similarity).
CONFIRM_GRAM_WORDS = 3
# Paragraphs are made into words this many at a time (text.match_keys): a
# long article's paragraphs past its first MAX_WORDS words are not read.
KEYS_BATCH = 32
# zlib level of the stored words: 6 is zlib's default balance.
TEXT_COMPRESSION = 6
_BINS = BANDS * ROWS
_VALUE = struct.Struct("<Q")
_SHINGLE_HASH = partial(blake2b, digest_size=8)
_DIGEST = operator.methodcaller("digest")
_FROM_LITTLE_ENDIAN = partial(int.from_bytes, byteorder="little")


@dataclass(frozen=True)
class ArticleSketch:
    """What the index keeps of one article: its band keys (signed 64-bit, as
    SQLite stores integers), its word count and its words, compressed."""

    bands: tuple[int, ...]
    words: int
    text: bytes

    def word_list(self) -> list[str]:
        return stored_words(self.text)


def stored_words(text: bytes) -> list[str]:
    """The words of a sketch's compressed text."""
    return zlib.decompress(text).decode("utf-8").split(" ")


def article_words(paragraphs: list[str]) -> list[str]:
    """An article's words as duplicates are judged: casefolded, without
    punctuation, at most MAX_WORDS (paragraphs read KEYS_BATCH at a time)."""
    found: list[str] = []
    for start in range(0, len(paragraphs), KEYS_BATCH):
        found += " ".join(match_keys(paragraphs[start: start + KEYS_BATCH])).split()
        if len(found) >= MAX_WORDS:
            break
    return found[:MAX_WORDS]


def sketch_article(paragraphs: list[str], min_words: int) -> ArticleSketch | None:
    """The sketch of an article's body; None when it has fewer than min_words words."""
    return sketch_words(article_words(paragraphs), min_words)


def sketch_words(words: list[str], min_words: int) -> ArticleSketch | None:
    if len(words) < max(min_words, 1):
        return None
    text = zlib.compress(" ".join(words).encode("utf-8"), TEXT_COMPRESSION)
    return ArticleSketch(band_keys(words), len(words), text)


def band_keys(words: list[str]) -> tuple[int, ...]:
    """The BANDS band keys of a word list (at least one word): by
    cleaner._speedups where it is built (the same integers), else in Python."""
    from ..classify import _speedups

    compiled = _speedups()
    keys = compiled.band_keys(words, SHINGLE_WORDS, BANDS, ROWS) if compiled is not None else None
    return keys if keys is not None else _python_band_keys(words)


def _python_band_keys(words: list[str]) -> tuple[int, ...]:
    span = min(SHINGLE_WORDS, len(words))
    # made and hashed by maps (they loop in C: an article has hundreds of shingles)
    shingles = set(map(" ".join, zip(*[words[start:] for start in range(span)])))
    digests = map(_DIGEST, map(_SHINGLE_HASH, map(str.encode, shingles)))
    hashes = sorted(map(_FROM_LITTLE_ENDIAN, digests), reverse=True)
    # each bin keeps its smallest value: assigned in descending order, the last one stays
    # (the low byte is left for densification)
    mins = dict(zip(map(operator.mod, hashes, repeat(_BINS)), map(operator.rshift, hashes, repeat(8))))
    values = _densified(mins)
    keys = []
    for band in range(BANDS):
        packed = bytes([band]) + b"".join(_VALUE.pack(v) for v in values[band * ROWS:(band + 1) * ROWS])
        keys.append(int.from_bytes(blake2b(packed, digest_size=8).digest(), "little", signed=True))
    return tuple(keys)


def _densified(mins: dict[int, int]) -> list[int]:
    """Each bin's value, shifted up; an empty bin takes the value of the next
    filled bin (circularly) with the distance to it in the low byte (one pass
    from the right, twice round)."""
    values = [0] * _BINS
    donor = -1
    for position in range(2 * _BINS - 1, -1, -1):
        slot = position % _BINS
        if slot in mins:
            donor = position
            values[slot] = mins[slot] << 8
        elif position < _BINS and donor >= 0:
            values[slot] = (mins[donor % _BINS] << 8) | (donor - position)
    return values


def article_similarity(words: list[str], other: list[str]) -> float:
    """How much of the shorter article the longer one holds in order (0-100):
    the longest common subsequence (rapidfuzz LCSseq) of their word
    CONFIRM_GRAM_WORDS-grams over the shorter's count. A story cut in half, with
    a paragraph added or removed or a correction at its end scores near 100;
    two stories sharing a quote score about the quote's share. Over single
    words, a short article found its common words in order in any long one
    (60-80 against an unrelated story); over 3-grams only stock phrases line up."""
    return grams_similarity(word_grams(words), word_grams(other))


def grams_similarity(grams: list[str], other: list[str]) -> float:
    """article_similarity of two articles' word_grams (made once for many comparisons)."""
    from rapidfuzz.distance import LCSseq

    shorter = min(len(grams), len(other))
    if not shorter:
        return 0.0
    return 100.0 * LCSseq.similarity(grams, other, processor=None) / shorter


def word_grams(words: list[str]) -> list[str]:
    """An article's runs of CONFIRM_GRAM_WORDS words, in order (one run if it is shorter)."""
    if len(words) < CONFIRM_GRAM_WORDS:
        return [" ".join(words)] if words else []
    # made by map and zip (they loop in C: an article has hundreds of grams, and
    # each candidate's are made again)
    return list(map(" ".join, zip(*[words[start:] for start in range(CONFIRM_GRAM_WORDS)])))
