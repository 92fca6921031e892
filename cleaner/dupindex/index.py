"""The article index: every article seen so far, in one SQLite file.

Input: article sketches, one input at a time, in a fixed order. Output: for
each article, the earlier article it repeats (a ``Duplicate``) or None; the
article is then added. Tables:

- ``inputs (path, seq)``: each input's place in the order, given the first time
  it is indexed (in a batch: by run, then by input order), kept for good;
- ``articles (id, words, text, original, url)``: id = seq << NUMBER_BITS | the
  article's number in its input, so "earlier" is "smaller id"; ``original`` is
  the article that this one repeats (none for a first telling);
- ``bands (key, article)``: a WITHOUT ROWID B-tree of band keys, read with
  one bounded range scan per band;
- ``indexed (path, sha256)``: each input whose articles are all in, and the
  content hash they were made from (taken out when the input is indexed
  again, set when it is done): ``cleaner learn --dedupe-index`` cleans only
  the inputs not indexed with their current content. Added to an index of
  an older cleaner when it is opened (the format is the same).

Why SQLite: it is in the standard library, a lookup is a few B-tree descents
whatever the size (time and memory per article stay flat as the index grows;
memory is bounded by the page cache), and a transaction commits a batch of
inputs whole or not at all, so a killed run leaves the index as it was at its
last commit. Sorted band files would be smaller but need merging as runs add
to them; SQLite does that merging in its B-tree.

An input indexed again (changed, retried, or --force) has its old articles
taken out first and keeps its place in the order: an unchanged input gets the
same answers again, and is never found to repeat itself.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..config import CleanerConfig
from ..model import CleanerError
from .sketch import (
    BANDS, MAX_WORDS, ROWS, SHINGLE_WORDS, ArticleSketch, article_similarity, band_keys, grams_similarity,
    stored_words, word_grams,
)

INDEX_NAME = ".cleaner-articles.sqlite"
INDEX_VERSION = 1
# An article's id: its input's seq above this many bits, its number below
# (16 million articles per input: a very large WARC file).
NUMBER_BITS = 24
# Rows read per band key: a key shared by many articles (the same story on
# many pages, a boilerplate-only body) costs no more than this; the earliest
# articles holding it are read, and the other bands find the rest.
MAX_ROWS_PER_BAND = 8
# Candidates compared with rapidfuzz per article, those sharing most bands first.
MAX_COMPARED = 16
# SQLite's page cache, in KiB (negative cache_size): what a lookup may keep in memory.
CACHE_KIB = 16384
# The write-ahead log is cut back to this many bytes after a checkpoint (it keeps
# the size of the largest transaction otherwise).
WAL_LIMIT_BYTES = 64 << 20
# What an index is made with: one made with other values cannot be read.
FORMAT = {"version": INDEX_VERSION, "shingle_words": SHINGLE_WORDS, "bands": BANDS, "rows": ROWS,
          "max_words": MAX_WORDS}


def _length_ratio(words: list[str], other: list[str]) -> float:
    shorter, longer = sorted((len(words), len(other)))
    return shorter / longer if longer else 0.0


def remove_index(path: str) -> None:
    """The index file and SQLite's files beside it, removed."""
    for name in (path, path + "-wal", path + "-shm"):
        if os.path.exists(name):
            os.unlink(name)


class ArticleIndexError(CleanerError):
    """The index cannot be opened or was made by another format."""


@dataclass(frozen=True)
class Duplicate:
    """The earlier article an article repeats: its input, its number there
    (0-based, as cleaned), the similarity (0-100) and its record's URL."""

    source: str
    article: int
    similarity: float
    url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"source": self.source, "article": self.article, "similarity": self.similarity}
        if self.url:
            found["url"] = self.url
        return found


class _Telling:
    """An article as its story is compared: its stored text (compressed words),
    and its words and their grams, made when first asked (an exact copy of
    another article is known by its text alone)."""

    __slots__ = ("text", "_words", "_grams")

    def __init__(self, text: bytes, words: list[str] | None = None) -> None:
        self.text, self._words = text, words
        self._grams: list[str] | None = None

    def words(self) -> list[str]:
        if self._words is None:
            self._words = stored_words(self.text)
        return self._words

    def grams(self) -> list[str]:
        if self._grams is None:
            self._grams = word_grams(self.words())
        return self._grams


@lru_cache(maxsize=4)
def _sharing_query(bands: int) -> str:
    """The earliest MAX_ROWS_PER_BAND earlier articles of each of so many band
    keys, one after another (an article in several bands once for each)."""
    one = "SELECT * FROM (SELECT article FROM bands WHERE key = ? AND article < ? ORDER BY article LIMIT ?)"
    return " UNION ALL ".join([one] * bands)


class ArticleIndex:
    """The index file; a context manager. Changes are kept until commit()."""

    def __init__(self, path: str, config: CleanerConfig = CleanerConfig()) -> None:
        self.path = path
        self.config = config

    def __enter__(self) -> ArticleIndex:
        try:
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA journal_mode=WAL")  # a killed run keeps its last commit, no more
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self.db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
            self._create()
        except sqlite3.DatabaseError as exc:
            raise ArticleIndexError(f"cannot open the article index {self.path}: {exc}") from None
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.db.rollback()  # also on Ctrl-C: the index stays at its last commit
        self.db.close()

    def _create(self) -> None:
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, seq INTEGER UNIQUE)")
        db.execute("CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, words INTEGER, text BLOB,"
                   " original INTEGER, url TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS bands (key INTEGER, article INTEGER, PRIMARY KEY (key, article))"
                   " WITHOUT ROWID")
        db.execute("CREATE TABLE IF NOT EXISTS indexed (path TEXT PRIMARY KEY, sha256 TEXT)")
        row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        if row is None:
            db.execute("INSERT INTO meta VALUES ('format', ?)", (json.dumps(FORMAT, sort_keys=True),))
        elif json.loads(row[0]) != FORMAT:
            raise ArticleIndexError(
                f"{self.path} was made by another version of cleaner ({row[0]}); "
                f"reset it with: cleaner dedupe-index --reset {self.path}"
            )
        db.commit()

    def start_input(self, path: str) -> int:
        """The input's seq (its place in the order), its earlier articles taken out."""
        row = self.db.execute("SELECT seq FROM inputs WHERE path = ?", (path,)).fetchone()
        if row is not None:
            self.forget_input(path)
            return int(row[0])
        seq = int(self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM inputs").fetchone()[0])
        self.db.execute("INSERT INTO inputs VALUES (?, ?)", (path, seq))
        return seq

    def forget_input(self, path: str) -> None:
        """Take an input's articles out, if it has any (it failed: its output is gone)."""
        row = self.db.execute("SELECT seq FROM inputs WHERE path = ?", (path,)).fetchone()
        if row is not None:
            self.forget(int(row[0]))
        self.db.execute("DELETE FROM indexed WHERE path = ?", (path,))

    def finish_input(self, path: str, sha256: str) -> None:
        """The input's articles are all in, made from the content of this hash."""
        self.db.execute("INSERT OR REPLACE INTO indexed VALUES (?, ?)", (path, sha256))

    def indexed_content(self, path: str) -> str | None:
        """The content hash the input's articles were indexed from, if they all are."""
        row = self.db.execute("SELECT sha256 FROM indexed WHERE path = ?", (path,)).fetchone()
        return None if row is None else str(row[0])

    def forget(self, seq: int) -> None:
        """Take an input's articles out (their band keys made again from their words)."""
        low, high = seq << NUMBER_BITS, ((seq + 1) << NUMBER_BITS) - 1
        for article, text in self.db.execute("SELECT id, text FROM articles WHERE id BETWEEN ? AND ?", (low, high)).fetchall():
            words = stored_words(bytes(text))
            self.db.executemany("DELETE FROM bands WHERE key = ? AND article = ?",
                                [(key, article) for key in band_keys(words)])
        self.db.execute("DELETE FROM articles WHERE id BETWEEN ? AND ?", (low, high))

    def add(
        self, seq: int, number: int, sketch: ArticleSketch, url: str | None = None, words: list[str] | None = None,
    ) -> Duplicate | None:
        """The earlier article this one repeats, if any; then the article is added.
        words: the words the sketch was made of, where the caller has them (else
        they are read from its text when a candidate needs them)."""
        article = (seq << NUMBER_BITS) | number
        if number >= 1 << NUMBER_BITS:
            return None  # past what an input's ids can number: not indexed
        found, original = self._earliest_repeat(article, sketch.bands, _Telling(sketch.text, words))
        self.db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                        (article, sketch.words, sketch.text, original, url))
        self.db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", [(key, article) for key in sketch.bands])
        return found

    def _earliest_repeat(
        self, article: int, bands: tuple[int, ...], mine: _Telling
    ) -> tuple[Duplicate | None, int | None]:
        """The earliest candidate this article repeats, or the first telling
        that one repeats when this one repeats it too: (what to report, its id)."""
        others = sorted(self._sharing(article, bands))  # earliest first: the first found is the answer
        for other in others:
            theirs = self._telling(other)
            score = None if theirs is None else self._story_score(mine, theirs)
            if score is None:
                continue
            target, target_score = self._first_telling(mine, other, score)
            return self._describe(target, target_score), target
        return None, None

    def _sharing(self, article: int, bands: tuple[int, ...]) -> list[int]:
        """The earlier articles sharing most bands with this one, at most MAX_COMPARED."""
        if not bands:
            return []
        # one statement for all the bands (a query each cost more to make than to run)
        values = [value for key in bands for value in (key, article, MAX_ROWS_PER_BAND)]
        rows = self.db.execute(_sharing_query(len(bands)), values)
        shared = Counter(other for (other,) in rows)
        return sorted(shared, key=lambda a: (-shared[a], a))[:MAX_COMPARED]

    def candidates(self, article: int, words: list[str], bands: tuple[int, ...]) -> list[tuple[int, float, float]]:
        """What the decision weighs (bench/dup_articles.py sweeps thresholds over
        it): each candidate's id, similarity (0-100) and the shorter's share of
        the longer's length (0-1)."""
        found = []
        for other in self._sharing(article, bands):
            theirs = self._telling(other)
            if theirs is not None:
                found.append((other, article_similarity(words, theirs.words()), _length_ratio(words, theirs.words())))
        return found

    def _story_score(self, mine: _Telling, theirs: _Telling) -> float | None:
        """The similarity of an article to an indexed one, if that makes them the same story."""
        config = self.config
        same = mine.text == theirs.text  # the same words (most repeats are whole copies): every gram lines up
        ratio = 1.0 if same else _length_ratio(mine.words(), theirs.words())
        if ratio < config.article_duplicate_min_length_ratio:
            return None
        score = 100.0 if same else grams_similarity(mine.grams(), theirs.grams())
        return score if score >= config.article_duplicate_min_score else None

    def _telling(self, article: int) -> _Telling | None:
        row = self.db.execute("SELECT text FROM articles WHERE id = ?", (article,)).fetchone()
        return None if row is None else _Telling(bytes(row[0]))

    def _first_telling(self, mine: _Telling, other: int, score: float) -> tuple[int, float]:
        """The article other repeats, when this one repeats it too; else other."""
        row = self.db.execute("SELECT original FROM articles WHERE id = ?", (other,)).fetchone()
        first = None if row is None or row[0] is None else self._telling(int(row[0]))
        first_score = None if first is None else self._story_score(mine, first)
        return (other, score) if first_score is None else (int(row[0]), first_score)

    def _describe(self, article: int, score: float) -> Duplicate:
        seq, number = article >> NUMBER_BITS, article & ((1 << NUMBER_BITS) - 1)
        path = self.db.execute("SELECT path FROM inputs WHERE seq = ?", (seq,)).fetchone()
        url = self.db.execute("SELECT url FROM articles WHERE id = ?", (article,)).fetchone()
        return Duplicate(path[0] if path else "", number, round(score, 1), url[0] if url else None)

    def commit(self) -> None:
        self.db.commit()

    def stats(self) -> dict[str, Any]:
        """What the index holds, for cleaner dedupe-index."""
        count = self.db.execute("SELECT COUNT(*), COUNT(original) FROM articles").fetchone()
        inputs = self.db.execute("SELECT COUNT(*) FROM inputs").fetchone()[0]
        size = sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))
        return {"path": self.path, "inputs": inputs, "articles": count[0], "duplicates": count[1],
                "bytes": size, "format": FORMAT}
