"""Duplicate articles in a batch run, decided in the main process in input order.

Workers fingerprint every article they clean (``Outcome.sketches``, or a record
stream's spill file); here each article is looked up in the article index
(dupindex, ``DEST/.cleaner-articles.sqlite``) and added to it, input by input
in input order and article by article, as the engine hands the partitions
back. So "earlier" is fixed (an earlier run, then an earlier input of this
run, then an earlier article of the same input) and the answers do not depend
on the engine or the number of workers.

An output with a duplicate is written again (atomically) with
``duplicate_of`` on that article (JSON, JSONL), or without the article
(``--drop-duplicate-articles``). The index's changes for a partition are
committed after its outputs are final and before the manifest records its
inputs: a run killed in between leaves inputs that the next run cleans again,
and those get the same answers (an input indexed again keeps its place in the
order and its old articles are taken out first).

``cleaner learn --dedupe-index`` checks its inputs the same way with no
output at all (``BatchOptions.write_outputs`` False): the articles are only
indexed, and what repeats is only counted. Each input done is marked in the
index with its content hash (``ArticleIndex.finish_input``), which tells
learn what it need not clean again.
"""

from __future__ import annotations

import json
import os
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from ..atomic import AtomicFile, Syncs, write_atomic
from ..config import CleanerConfig
from .files import LOCK_NAME, DestinationError, Lock
from .tasks import BatchOptions, Outcome, read_stream_sketches

if TYPE_CHECKING:
    from ..dupindex import ArticleIndex, ArticleSketch, Duplicate
    from ..model import Article

# A stream's index entries are committed every this many articles: a long
# stream's uncommitted changes (and SQLite's log) stay small. A killed run
# leaves some of a stream's entries; the next run of the stream takes them out
# first and adds them again.
STREAM_COMMIT_ARTICLES = 1000


class ArticleChecks:
    """The run's article index, and what it found (report entries); a context manager."""

    def __init__(self, path: str, dest: str | None, options: BatchOptions, config: CleanerConfig) -> None:
        """path: the index; dest: the run's DEST, whose lock the run holds (None: cleaner learn)."""
        self.path, self.dest, self.options, self.config = path, dest, options, config
        self.found: list[dict[str, Any]] = []  # one report entry per duplicate article
        self.added = 0  # articles added to the index (those long enough to be indexed)

    def __enter__(self) -> ArticleChecks:
        from ..dupindex import ArticleIndex

        self.syncs: Syncs | None = None  # a partition's rewritten outputs are synced by this thread
        self.stack = ExitStack()
        for lock in index_locks(self.path, self.dest):
            self.stack.enter_context(lock)
        self.index: ArticleIndex = self.stack.enter_context(ArticleIndex(self.path, self.config))
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.syncs is not None:  # the run stopped mid-partition: its files not yet synced are removed
            self.syncs.__exit__(*exc)
        self.stack.__exit__(*exc)

    def check(self, outcome: Outcome) -> None:
        """An outcome's articles looked up and added; its output marked (or cut) where they repeat."""
        if outcome.status == "failed" and outcome.sha256:
            self.index.forget_input(outcome.relative)  # its output is no longer claimed
        if outcome.status != "cleaned":
            return
        seq = self.index.start_input(outcome.relative)
        if outcome.sketch_file:
            self._check_stream(outcome, seq)
        else:
            found: dict[int, Duplicate] = {}
            for number, sketch in enumerate(outcome.sketches):
                duplicate = self._add(outcome.relative, seq, number, sketch)
                if duplicate is not None:
                    found[number] = duplicate
            if found and self.options.write_outputs:
                self._rewrite_page(outcome, found)
        self.index.finish_input(outcome.relative, outcome.sha256)

    def check_partition(self, outcomes: list[Outcome]) -> list[dict[str, Any]]:
        """A partition's outcomes checked in order, then commit(); the report entries of its duplicates."""
        for outcome in outcomes:
            self.check(outcome)
        self.commit()
        found, self.found = self.found, []
        return found

    def commit(self) -> None:
        """The partition's rewritten outputs in place, then its index entries committed."""
        if self.syncs is not None:
            try:  # (a Ctrl-C while it waits leaves self.syncs to __exit__, which stops it)
                self.syncs.__exit__(None, None, None)
            except OSError as exc:
                raise DestinationError(f"cannot write the outputs: {exc.strerror or exc}") from None
            self.syncs = None
        self.index.commit()

    def _syncs(self) -> Syncs:
        if self.syncs is None:
            self.syncs = Syncs().__enter__()
        return self.syncs

    def _add(
        self, relative: str, seq: int, number: int, sketch: ArticleSketch | None, url: str | None = None
    ) -> Duplicate | None:
        """An article looked up and added (if it is long enough to have a sketch); what it repeats, reported."""
        if sketch is None:
            return None
        self.added += 1
        duplicate = self.index.add(seq, number, sketch, url)
        if duplicate is not None:
            entry: dict[str, Any] = {"input": relative, "article": number}
            if url:
                entry["url"] = url
            entry["duplicate_of"] = duplicate.as_dict()
            self.found.append(entry)
        return duplicate

    def _check_stream(self, outcome: Outcome, seq: int) -> None:
        found: dict[int, Duplicate] = {}  # output line -> what it repeats
        try:
            for line, number, url, sketch in read_stream_sketches(outcome.sketch_file):
                duplicate = self._add(outcome.relative, seq, number, sketch, url)
                if duplicate is not None:
                    found[line] = duplicate
                if number % STREAM_COMMIT_ARTICLES == STREAM_COMMIT_ARTICLES - 1:
                    # safe: neither the manifest nor the index's mark has the stream yet: the next run indexes it anew
                    self.index.commit()
        finally:
            os.unlink(outcome.sketch_file)
        if found and self.options.write_outputs:
            self._rewrite_lines(outcome.output, found)

    def _rewrite_page(self, outcome: Outcome, found: dict[int, Duplicate]) -> None:
        output_format = self.options.output_format
        drop = self.options.duplicates == "drop"
        if output_format == "jsonl":
            self._rewrite_lines(outcome.output, found)
            return
        if output_format != "json" and not drop:
            return  # Markdown and text name no duplicate: the report does
        with open(outcome.output, "rb") as handle:
            data = handle.read()
        if output_format == "json":
            page = json.loads(data)
            page["articles"] = [_marked(article, found.get(n), drop) for n, article in enumerate(page["articles"])]
            page["articles"] = [article for article in page["articles"] if article is not None]
            new = (json.dumps(page, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        else:
            new = _without(data, outcome.article_bytes, set(found), output_format)
        try:
            write_atomic(outcome.output, new, self._syncs())
        except OSError as exc:
            raise DestinationError(f"cannot write {outcome.output}: {exc.strerror or exc}") from None

    def _rewrite_lines(self, output: str, found: dict[int, Duplicate]) -> None:
        """A JSONL output again, line by line (a stream's may be large): the
        lines found marked, or left out."""
        drop = self.options.duplicates == "drop"
        try:
            with open(output, "rb") as source, AtomicFile(output, self._syncs()) as out:
                for number, line in enumerate(source):
                    duplicate = found.get(number)
                    if duplicate is None:
                        out.write(line)
                    elif not drop:
                        out.write(_marked_line(line, duplicate))
        except OSError as exc:
            raise DestinationError(f"cannot write {output}: {exc.strerror or exc}") from None


def _marked(article: dict[str, Any], duplicate: Duplicate | None, drop: bool) -> dict[str, Any] | None:
    if duplicate is None:
        return article
    return None if drop else {**article, "duplicate_of": duplicate.as_dict()}


def _marked_line(line: bytes, duplicate: Duplicate) -> bytes:
    """A JSONL article line with its duplicate_of (the line as render writes it: the same bytes otherwise)."""
    if line.endswith(b"}\n") and not line.startswith(b"{}") and b'"duplicate_of"' not in line:
        # the key added last, as json.dumps writes it (a line is not read and written again)
        marked = json.dumps({"duplicate_of": duplicate.as_dict()}, ensure_ascii=False)
        return line[:-2] + b", " + marked[1:].encode("utf-8") + b"\n"
    article = json.loads(line)
    article["duplicate_of"] = duplicate.as_dict()
    return (json.dumps(article, ensure_ascii=False) + "\n").encode("utf-8")


def _without(data: bytes, sizes: tuple[int, ...], dropped: set[int], output_format: str) -> bytes:
    """A Markdown or text output without the dropped articles (sizes: each article's bytes)."""
    from ..render import ARTICLE_JOINERS

    joiner = ARTICLE_JOINERS[output_format].encode("utf-8")
    parts, start = [], 0
    for number, size in enumerate(sizes):
        if number not in dropped:
            parts.append(data[start:start + size])
        start += size + len(joiner)
    return joiner.join(parts)


def index_path(dest: str | None, given: str | None) -> str:
    """The article index: the path given, else DEST's."""
    from ..dupindex import INDEX_NAME

    if given:
        return os.path.abspath(given)
    if dest is None:
        raise ValueError("an article index needs a path or a DEST")
    return os.path.join(dest, INDEX_NAME)


def index_locks(path: str, dest: str | None = None) -> list[Lock]:
    """The locks a run that writes the index at path takes (none if it is
    DEST's own index, under DEST's lock the run holds): the index's own, and
    if it is another DEST's index (its name), that DEST's lock too, which a
    cleaner batch there holds."""
    from ..dupindex import INDEX_NAME

    folder = os.path.dirname(path)
    if folder == dest:
        return []
    busy = f"another cleaner run is writing {path}"
    locks = [Lock(path + ".lock", busy)]
    if os.path.basename(path) == INDEX_NAME:
        locks.append(Lock(os.path.join(folder, LOCK_NAME), busy))
    return locks


class RecordChecks:
    """cleaner clean's record streams: each article checked against the articles
    before it (earlier records, earlier streams of the command, and the index's),
    in record order; a context manager. Without an index path, a temporary
    index is used and removed: memory stays flat however long the stream."""

    def __init__(self, path: str | None, options: BatchOptions, config: CleanerConfig) -> None:
        self.path, self.options, self.config = path, options, config
        self.seq = self.number = 0

    def __enter__(self) -> RecordChecks:
        import tempfile

        from ..dupindex import INDEX_NAME, ArticleIndex

        self.stack = ExitStack()
        if self.path is None:
            folder = self.stack.enter_context(tempfile.TemporaryDirectory(prefix="cleaner-articles-"))
            path = os.path.join(folder, INDEX_NAME)
        else:
            path = os.path.abspath(self.path)
            for lock in index_locks(path):
                self.stack.enter_context(lock)
        self.index: ArticleIndex = self.stack.enter_context(ArticleIndex(path, self.config))
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stack.__exit__(*exc)

    def start(self, name: str) -> None:
        """The next stream (by its name as given): its earlier articles in the index are taken out."""
        self.seq, self.number = self.index.start_input(name), 0

    def lines(self, url: str | None, lines: list[bytes], articles: list[Article]) -> list[bytes]:
        """A record's output lines, each article's marked or left out if it repeats an earlier one."""
        from ..dupindex import article_words, sketch_words

        kept = []
        for line, article in zip(lines, articles):
            words = article_words(article.paragraphs)
            sketch = sketch_words(words, self.config.article_duplicate_min_words)
            duplicate = self.index.add(self.seq, self.number, sketch, url, words) if sketch is not None else None
            self.number += 1
            if self.number % STREAM_COMMIT_ARTICLES == 0:
                self.index.commit()
            if duplicate is None:
                kept.append(line)
            elif self.options.duplicates != "drop":
                kept.append(_marked_line(line, duplicate))
        return kept + lines[len(articles):]
