"""Stage 3: find repeated blocks (exact and near-duplicates) with rapidfuzz.

Every block gets a match key (casefolded, punctuation removed). Equal keys are
grouped through a dict. Longer keys are also compared fuzzily, but only against
earlier blocks that share one of their few rarest tokens (blocking), so a
100,000-line page costs about as much per line as a small one. A long block
strung together from earlier blocks' text is a repeat too. The first
occurrence decides: later copies point at the block they repeat, with their
score, and every block knows the first block of its group.

Scorer: ``fuzz.ratio`` (normalised Indel similarity) on the match keys. It
measures the whole line, so a caption that differs only by a date or a typo
matches, while a short line contained in a longer one (which token_set_ratio
would score 100) does not. On long lines a high ratio still allows a changed
phrase ("Rutte speaks …" / "Rutte takes questions …", ratio 96: two photos), so
a near-duplicate may also change only a few words, and none of its numbers
(another date, time or paragraph number makes another line).
"""

from __future__ import annotations

import operator
import re
import sys
from collections import Counter
from collections.abc import Iterator
from itertools import chain, compress, repeat
from types import ModuleType

from .config import CleanerConfig
from .model import Block
from .speedups import compiled
from .text import TEXTS_BATCH, match_keys

DIGITS = re.compile(r"\d+")
# Blocking ignores tokens this short: they are rarely distinctive. (A match
# key's tokens are the runs of characters between its spaces.)
MIN_BLOCKING_TOKEN_CHARS = 3
# Concatenations are found by the word n-grams blocks share, of this many words.
GRAM_WORDS = 4
_NORM = operator.attrgetter("norm")
# A page's first this many pairs that reach the ratio, if each is at most this
# long (both keys' characters), are scored in Python while rapidfuzz is not
# loaded (_PairScorer): most pages have fewer, and two keys of 300 characters
# take about 0.15 ms, against 15 ms to import rapidfuzz.
PYTHON_RATIO_PAIRS = 16
PYTHON_RATIO_MAX_CHARS = 600


def _fuzz() -> ModuleType:
    """rapidfuzz.fuzz, imported on the first comparison it makes (_PairScorer)."""
    from rapidfuzz import fuzz

    return fuzz


def mark_duplicates(blocks: list[Block], config: CleanerConfig) -> list[Block]:
    """Set norm, duplicate_of, duplicate_score and copies on every block."""
    first_by_key: dict[str, int] = {}
    texts = list(dict.fromkeys(b.text for b in blocks))  # pages repeat lines: each text's key is made once
    key_of_text = dict(zip(texts, match_keys(texts)))
    del texts
    for block in blocks:
        block.norm = key_of_text[block.text]
        first = first_by_key.setdefault(block.norm, block.index)
        if first != block.index and block.norm:
            block.duplicate_of, block.duplicate_score = first, 100.0
    _mark_near_duplicates(blocks, config)
    _mark_concatenations(blocks, config)
    for block in blocks:  # blocks point only backwards, so earlier groups are final
        block.group = block.index if block.duplicate_of is None else blocks[block.duplicate_of].group
    group_sizes = Counter(b.group for b in blocks)
    for block in blocks:
        block.copies = group_sizes[block.group]
    return blocks


def _mark_concatenations(blocks: list[Block], config: CleanerConfig) -> None:
    """A long block made of earlier blocks' text (a page's hidden full-text copy,
    a summary box that strings paragraphs together) repeats them: it is marked a
    duplicate of the block it shares most with. A block inside one longer earlier
    block is not: that may be the real paragraph after a teaser."""
    asked = _concatenation_candidates(blocks, config)
    if not asked:
        return  # most pages: their 4-grams are not made
    asking = set(asked)
    spanned = blocks[: asked[-1] + 1]
    grams_of = _Grams(spanned)
    # word 4-gram -> first block holding it, for the 4-grams of the blocks asked
    # only (no other is looked up: a big page's 4-grams would take more room than its text)
    wanted = set(chain.from_iterable(grams_of(blocks[i].norm.split()) for i in asked))
    owner: dict[int, int] = {}
    done: set[str] = set()
    for block in spanned:
        if block.norm in done:
            continue  # an exact repeat: marked already, and its 4-grams have their owner
        done.add(block.norm)
        words = block.norm.split()
        if len(words) < GRAM_WORDS:
            continue  # no 4-gram: nothing to share, nothing to own (most blocks: menu items, names)
        grams = grams_of(words)
        if block.index in asking:
            owners = Counter(owner[g] for g in grams if g in owner)
            covered = sum(owners.values())
            if len(owners) >= 2 and covered >= config.concatenation_min_ratio * len(grams):
                block.duplicate_of = owners.most_common(1)[0][0]
                block.duplicate_score = round(100.0 * covered / len(grams), 1)
        # the block owns the wanted 4-grams no earlier block holds (set operations loop in C)
        owner.update(dict.fromkeys(wanted.intersection(grams).difference(owner), block.index))


class _Grams:
    """The word 4-grams of blocks, each an int: every word of the blocks gets a
    number below base, and a 4-gram is its four numbers in base `base` (one
    int for each, not a tuple of four words: a third of the room)."""

    def __init__(self, blocks: list[Block]) -> None:
        words: dict[str, None] = {}
        for start in range(0, len(blocks), TEXTS_BATCH):
            words.update(dict.fromkeys(" ".join(map(_NORM, blocks[start: start + TEXTS_BATCH])).split()))
        self.number = dict(zip(words, range(len(words))))
        self.base = max(1, len(words))

    def __call__(self, words: list[str]) -> list[int]:
        """The 4-grams of a block's words, in order (made by maps: they loop in C)."""
        numbers = list(map(self.number.__getitem__, words))
        pairs = list(map(operator.add, map(operator.mul, numbers, repeat(self.base)), numbers[1:]))
        return list(map(operator.add, map(operator.mul, pairs, repeat(self.base * self.base)), pairs[2:]))


def _concatenation_candidates(blocks: list[Block], config: CleanerConfig) -> list[int]:
    """The blocks that may be concatenations: long enough, not a repeat already,
    and _may_be_concatenations. By cleaner._speedups where it is built."""
    min_words = config.concatenation_min_words
    # n words take at least 2n - 1 characters: the blocks after the last one
    # this long own 4-grams no block asks about
    module = compiled()
    if module is not None:
        min_chars = 2 * min_words - 1
        long = bytes(b.duplicate_of is None and len(b.norm) >= min_chars for b in blocks)
        if not long.count(1):
            return []
        return module.concatenation_candidates(  # type: ignore[no-any-return]
            list(map(_NORM, blocks)), long, min_words, GRAM_WORDS, config.concatenation_min_ratio)
    asked = [
        b.index for b in blocks
        if b.duplicate_of is None and len(b.norm) >= 2 * min_words - 1 and len(b.norm.split()) >= min_words
    ]
    return _may_be_concatenations(blocks, asked, config.concatenation_min_ratio) if asked else []


def _may_be_concatenations(blocks: list[Block], asked: list[int], min_ratio: float) -> list[int]:
    """The asked blocks that may be concatenations. A 4-gram an earlier block
    holds is made of words an earlier block holds, so a block with fewer than
    min_ratio of its 4-grams made of such words is not one: a cheap bound (words
    in a set, not 4-grams in a dict), and on most pages no block passes it."""
    seen: set[str] = set()  # the words of the blocks so far
    found = []
    start = 0
    for i in asked:
        seen.update(" ".join(map(_NORM, blocks[start:i])).split())  # the blocks since the last one asked, at once
        words = blocks[i].norm.split()
        known = list(map(seen.__contains__, words))
        if sum(map(all, zip(*[known[k:] for k in range(GRAM_WORDS)]))) >= min_ratio * (len(words) - GRAM_WORDS + 1):
            found.append(i)
        seen.update(words)
        start = i + 1
    return found


class _PairScorer:
    """Scores pairs of one page's match keys, each key's numbers found once.
    The ratio is rapidfuzz's fuzz.ratio; but while rapidfuzz is not loaded, a
    page's first PYTHON_RATIO_PAIRS short pairs get the same number from
    indel_ratio, after a word-set test that most pairs fail: a one-page run
    with a few candidate pairs does not pay rapidfuzz's import (about 15 ms,
    more than its cleaning)."""

    def __init__(self, config: CleanerConfig) -> None:
        self.config = config
        self.numbers: dict[str, list[str]] = {}
        self.words: dict[str, frozenset[str]] = {}
        self.python_ratios = 0

    def score(self, key: str, other: str) -> float:
        """The ratio of two match keys when they are near-duplicates, else 0."""
        numbers = self.numbers
        mine = numbers.get(key)
        if mine is None:
            mine = numbers[key] = DIGITS.findall(key)
        theirs = numbers.get(other)
        if theirs is None:
            theirs = numbers[other] = DIGITS.findall(other)
        if mine != theirs:
            return 0.0  # other numbers (a date, a time, a paragraph number): another line
        config = self.config
        shorter, longer = sorted((len(key), len(other)))
        # ratio = 2*matches/(len_a+len_b) <= 2*shorter/(shorter+longer): skip hopeless pairs
        if 200 * shorter < config.duplicate_min_score * (shorter + longer):
            return 0.0
        score = self._ratio(key, other)
        if not score:
            return 0.0
        words, other_words = Counter(key.split()), Counter(other.split())
        changed = sum(((words - other_words) + (other_words - words)).values())
        return float(score) if changed <= config.duplicate_max_changed_words else 0.0

    def _ratio(self, key: str, other: str) -> float:
        """fuzz.ratio with the cutoff, or 0 for a pair that changes too many words."""
        cutoff = self.config.duplicate_min_score
        if not _rapidfuzz_loaded():
            # every word in one key's set and not the other's is at least one
            # changed word: such a pair scores 0 whatever its ratio
            if len(self._words(key) ^ self._words(other)) > self.config.duplicate_max_changed_words:
                return 0.0
            if self.python_ratios < PYTHON_RATIO_PAIRS and len(key) + len(other) <= PYTHON_RATIO_MAX_CHARS:
                self.python_ratios += 1
                return indel_ratio(key, other, cutoff)
        return float(_fuzz().ratio(key, other, processor=None, score_cutoff=cutoff))

    def _words(self, key: str) -> frozenset[str]:
        found = self.words.get(key)
        if found is None:
            found = self.words[key] = frozenset(key.split())
        return found


def _rapidfuzz_loaded() -> bool:
    return "rapidfuzz.fuzz" in sys.modules


def indel_ratio(a: str, b: str, score_cutoff: float = 0.0) -> float:
    """rapidfuzz's fuzz.ratio(a, b, score_cutoff=...) to the last bit, in Python:
    100 * (1 - indel distance / (len(a) + len(b))), 0 below the cutoff. The
    longest common subsequence comes from Hyyrö's bit-parallel algorithm on
    Python integers (one bit per character of a)."""
    total = len(a) + len(b)
    if not total:
        return 100.0
    masks: dict[str, int] = {}
    bit = 1
    for character in a:
        masks[character] = masks.get(character, 0) | bit
        bit <<= 1
    full = bit - 1
    row = full  # a 0 bit for each character of a in the common subsequence so far
    for character in b:
        mask = masks.get(character)
        if mask is not None:
            matched = row & mask
            row = ((row + matched) | (row - matched)) & full
    common = len(a) - bin(row).count("1")
    score = (1.0 - (total - 2 * common) / total) * 100
    return score if score >= score_cutoff else 0.0


def _mark_near_duplicates(blocks: list[Block], config: CleanerConfig) -> None:
    candidates = [b for b in blocks if b.duplicate_of is None and len(b.norm) >= config.fuzzy_min_chars]
    scorer = _PairScorer(config)
    for block, others in _candidates(candidates, config):
        best: tuple[float, int] | None = None
        for other in others:
            score = scorer.score(block.norm, blocks[other].norm)
            if score and (best is None or (score, -other) > (best[0], -best[1])):
                best = (score, other)
        if best is not None:
            block.duplicate_of, block.duplicate_score = best[1], round(best[0], 1)


def _candidates(candidates: list[Block], config: CleanerConfig) -> Iterator[tuple[Block, list[int]]]:
    """Each block that has candidates, with the indexes of the earlier blocks
    it is compared with: those sharing one of its config.blocking_tokens rarest
    tokens, in order. By cleaner._speedups where it is built, else in Python."""
    module = compiled()
    if module is None:
        yield from _python_candidates(candidates, config)
        return
    keys = list(map(_NORM, candidates))
    starts, found = (memoryview(packed).cast("i").tolist() for packed in module.near_candidates(
        keys, MIN_BLOCKING_TOKEN_CHARS, config.blocking_tokens, config.blocking_max_lines))
    del keys
    indexes = [b.index for b in candidates]
    for j in compress(range(len(candidates)), map(operator.lt, starts, starts[1:])):
        yield candidates[j], list(map(indexes.__getitem__, found[starts[j]: starts[j + 1]]))


def _python_candidates(candidates: list[Block], config: CleanerConfig) -> Iterator[tuple[Block, list[int]]]:
    n_tokens, max_lines = config.blocking_tokens, config.blocking_max_lines
    # one str a distinct token: a big page's tokens, a str each, would take more room than its text
    interned: dict[str, str] = {}
    block_tokens = list(map(_blocking_tokens, map(_NORM, candidates), repeat(interned)))
    del interned
    token_lines = Counter(chain.from_iterable(block_tokens))
    postings: dict[str, list[int]] = {}
    for block, tokens in zip(candidates, block_tokens):
        if list(map(token_lines.__getitem__, tokens)).count(1) >= n_tokens:
            continue  # its rarest tokens are on no other line: it has no candidate, and is no one's
        # by how rare, then alphabetically (sorted() is stable); a token on this
        # line only finds nothing and is not looked up again
        rare = sorted(sorted(tokens), key=token_lines.__getitem__)[:n_tokens]
        rare = [t for t in rare if 1 < token_lines[t] <= max_lines]  # counts ascend
        others = list(dict.fromkeys(chain.from_iterable(postings.get(token, ()) for token in rare)))
        if others:
            yield block, others
        for token in rare:  # copies are indexed too: a chain of small edits stays one group
            postings.setdefault(token, []).append(block.index)


def _blocking_tokens(key: str, interned: dict[str, str]) -> tuple[str, ...]:
    """A match key's distinct tokens of at least MIN_BLOCKING_TOKEN_CHARS (in no
    set order), each the str interned holds for it (the first one seen)."""
    words = key.split(" ")
    tokens = set(compress(words, map(operator.le, repeat(MIN_BLOCKING_TOKEN_CHARS), map(len, words))))
    return tuple(map(interned.setdefault, tokens, tokens))
