"""Near-duplicate articles across pages and across runs: fingerprint and index.

An article (its body paragraphs, not its title, captions or the page around
it) is reduced to its words (match keys: casefolded, punctuation removed). Two
things are kept of it:

- ``sketch``: a MinHash of its 5-word shingles (one-permutation hashing,
  BANDS x ROWS values, made in the worker that cleaned the page) cut into
  BANDS band keys. Two articles whose shingle sets have Jaccard similarity J
  share at least one band with probability 1 - (1 - J**ROWS)**BANDS: 0.99 at
  J = 0.5 (one is the other cut in half), 0.04 at J = 0.1.
- its words (capped), compressed, to confirm a candidate: rapidfuzz's LCSseq
  over the two word lists, as a share of the shorter one
  (``article_similarity``). A shared quote or boilerplate paragraph gives a
  candidate, never a duplicate: the rest of the two stories does not line up.

``index.ArticleIndex`` keeps both in one SQLite file (a B-tree of band keys, so
a lookup costs the same at a thousand articles or ten million, in memory
bounded by SQLite's page cache) and decides, article by article in a fixed
order, which earlier article each one repeats.

Imported only by the batch and stream paths that use it: a one-page
``cleaner clean`` loads neither this package nor sqlite3.
"""

from .index import INDEX_NAME, ArticleIndex, ArticleIndexError, Duplicate, remove_index
from .sketch import ArticleSketch, article_similarity, article_words, sketch_article, sketch_words

__all__ = [
    "INDEX_NAME", "ArticleIndex", "ArticleIndexError", "ArticleSketch", "Duplicate", "article_similarity",
    "article_words", "remove_index", "sketch_article", "sketch_words",
]
