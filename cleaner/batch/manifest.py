"""The manifest: what DEST holds, so that a re-run skips what has not changed.

One SQLite row per input: size, mtime, content hash, the settings digest that
made its output, and the output's path; or, for an input that failed, its
error (so that it is tried again only when it or the settings change, or with
``--force``: a page that kills its worker does not kill one every night). A
second table keeps each single page's line fingerprints (for its content
hash), so that a later run whose site boilerplate changed can tell whether
this page's output would change. A row is added only for an output that
has been renamed into place, so the manifest never claims a file that is not
there. Rows are committed in groups (every COMMIT_ROWS rows or COMMIT_SECONDS):
a run killed between two commits loses only the rows of outputs it had already
written, and the next run makes those outputs again (same bytes).
"""

from __future__ import annotations

import os
import sqlite3
import time

from .files import DestinationError
from .tasks import Outcome

MANIFEST_NAME = ".cleaner-manifest.sqlite"
# A commit per row costs more than cleaning a small page; a group of rows is
# committed at once, at most this many rows or this many seconds after the first.
COMMIT_ROWS = 500
COMMIT_SECONDS = 2.0


class Manifest:
    """input path -> size, mtime, hash, settings, output."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pending = 0
        self.first_pending = 0.0

    def __enter__(self) -> Manifest:
        try:
            self.db = sqlite3.connect(self.path)
        except sqlite3.Error as exc:
            raise DestinationError(f"cannot open the manifest {self.path}: {exc}") from None
        self.db.row_factory = sqlite3.Row
        # WAL: commits are cheap, and a killed run keeps every commit it made
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
            " sha256 TEXT, settings TEXT, output TEXT, error TEXT)"
        )
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(inputs)")}
        if "error" not in columns:  # a manifest of cleaner 0.1
            self.db.execute("ALTER TABLE inputs ADD COLUMN error TEXT")
        self.db.execute("CREATE TABLE IF NOT EXISTS prints (path TEXT PRIMARY KEY, sha256 TEXT, prints BLOB)")
        self.db.commit()
        return self

    def rows(self) -> dict[str, sqlite3.Row]:
        """Every row by input path (one query: a folder of 100,000 inputs is read at once)."""
        return {row["path"]: row for row in self.db.execute("SELECT * FROM inputs")}

    def put(self, outcome: Outcome, settings: str) -> None:
        """Record an input whose output is in place, or that failed (committed with its group)."""
        failed = outcome.status == "failed"
        self.db.execute(
            "INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?)",
            (outcome.relative, outcome.size, outcome.mtime_ns, outcome.sha256, settings,
             "" if failed else outcome.output, outcome.error if failed else None),
        )
        if outcome.prints:
            self.db.execute(
                "INSERT OR REPLACE INTO prints VALUES (?, ?, ?)", (outcome.relative, outcome.sha256, outcome.prints)
            )
        if not self.pending:
            self.first_pending = time.monotonic()
        self.pending += 1
        if self.pending >= COMMIT_ROWS or time.monotonic() - self.first_pending >= COMMIT_SECONDS:
            self.commit()

    def prints(self, path: str, sha256: str) -> bytes | None:
        """A page's packed fingerprints, if they are kept for that content."""
        row = self.db.execute("SELECT prints FROM prints WHERE path = ? AND sha256 = ?", (path, sha256)).fetchone()
        return None if row is None else bytes(row[0])

    def commit(self) -> None:
        if self.pending:
            self.db.commit()
            self.pending = 0

    def __exit__(self, *exc: object) -> None:
        self.commit()  # also after an error: the rows put so far are true
        self.db.close()


def same_file(source: str, row: sqlite3.Row) -> bool:
    """The input's size and mtime are still those the manifest recorded."""
    try:
        stat = os.stat(source)
    except OSError:
        return False
    return bool(stat.st_size == row["size"] and stat.st_mtime_ns == row["mtime_ns"])


def failed_before(source: str, settings: str, row: sqlite3.Row) -> bool:
    """It failed with these settings, and its size and mtime are still the same."""
    return bool(row["error"]) and row["settings"] == settings and same_file(source, row)


def unchanged(source: str, output: str, settings: str, row: sqlite3.Row) -> bool:
    """Same settings, output present, and same size and mtime: no need to read it."""
    return row["settings"] == settings and os.path.exists(output) and same_file(source, row)
