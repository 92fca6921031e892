"""What pass 1 keeps of a page for pass 2, so that a batch run parses each page once.

Pass 1 takes a single page through every stage that does not depend on its
site's boilerplate (pipeline.prepare: read, blocks, dedupe, classify) and counts
its fingerprints; the prepared page is kept until the model is learned and
pass 2 finishes it (pipeline.finish: the site's boilerplate, the articles).
Where it is kept, by the ``Keep`` pass 1's task carries:

- in this process, when the engine runs pass 2 in the same process as pass 1
  (the local engine with one job: its pool's one worker), up to
  KEEP_MAX_BLOCKS blocks in all;
- else, and past that budget, pickled into a spill file in DEST under a
  temporary name (one file per partition), which the run removes at its end
  (the next run, if this one is killed).

A ticket (relative path, content hash, spill file, offset, length) goes back to
the main process with pass 1's counts and into the page's pass-2 task. Pass 2
uses the kept page only if the input's content hash is still the ticket's; a
page without one (a record stream, a page counted before), or whose kept copy
is gone (the worker that kept it died and was replaced, a spill file that
cannot be read), is read and parsed again, which gives the same bytes. Nothing is kept for `cleaner learn`.
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from ..atomic import TEMP_PREFIX
from ..pipeline import Prepared

# Blocks kept in the main process at most (a block and its text: about 1-2 KB);
# pages past it are spilled to disk, so memory stays bounded on any folder.
KEEP_MAX_BLOCKS = 150_000
# The spill files' names in DEST: TEMP_PREFIX, so that any run removes them.
SPILL_PREFIX = TEMP_PREFIX + "kept-"


@dataclass(frozen=True)
class Keep:
    """Where pass 1 keeps prepared pages: spill files named ``prefix-...``, or
    this process's memory first when ``here`` (pass 2 runs in this process)."""

    prefix: str  # DEST/SPILL_PREFIX + a token of the run
    here: bool = False


@dataclass(frozen=True)
class Ticket:
    """Where a page's prepared state is: in this process (path ""), or at
    offset in a spill file; sha256 is the content it was prepared from."""

    prefix: str  # the run's Keep.prefix
    relative: str
    sha256: str
    size: int  # the input's size and mtime when it was read: pass 2 need not hash it again if they hold
    mtime_ns: int
    path: str = ""
    offset: int = 0
    length: int = 0


# (prefix, relative) -> prepared page and its packed fingerprints, for pass 2 in this process
_kept: dict[tuple[str, str], tuple[Prepared, bytes]] = {}
_kept_blocks = 0


class Keeper:
    """Pass 1 of one partition keeping its pages: a context manager (the spill
    file, made on the first page that needs it, is whole when it exits)."""

    def __init__(self, keep: Keep) -> None:
        self.keep = keep
        self.spill: BinaryIO | None = None
        self.path = ""

    def __enter__(self) -> Keeper:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.spill is not None:
            self.spill.close()

    def page(self, relative: str, sha256: str, stat: os.stat_result, page: Prepared, prints: bytes) -> Ticket:
        """Keep a prepared page and its packed fingerprints for pass 2 (its input
        had stat when read); its ticket."""
        global _kept_blocks
        keep = self.keep
        if keep.here and _kept_blocks + len(page.blocks) <= KEEP_MAX_BLOCKS:
            _kept[(keep.prefix, relative)] = (page, prints)
            _kept_blocks += len(page.blocks)
            # Kept pages live until pass 2 and hold no reference cycles: moved out of the
            # cyclic collector's way, which would walk every one of their objects at each
            # of its full collections (0.1-0.3 s each with the 181 sh pages kept);
            # given back to it once no page is kept (_release).
            gc.freeze()
            return Ticket(keep.prefix, relative, sha256, stat.st_size, stat.st_mtime_ns)
        data = pickle.dumps((page, prints), protocol=pickle.HIGHEST_PROTOCOL)
        if self.spill is None:  # a file of its own: partitions may run side by side in one process
            folder, name = os.path.split(keep.prefix)
            handle, self.path = tempfile.mkstemp(dir=folder, prefix=name + "-")
            self.spill = os.fdopen(handle, "wb")
        offset = self.spill.tell()
        self.spill.write(data)
        return Ticket(keep.prefix, relative, sha256, stat.st_size, stat.st_mtime_ns, self.path, offset, len(data))


def take_page(ticket: Ticket) -> tuple[Prepared, bytes] | None:
    """The page a ticket names and its packed fingerprints, or None if they
    cannot be had (then the page is parsed again)."""
    global _kept_blocks
    if not ticket.path:
        kept = _kept.pop((ticket.prefix, ticket.relative), None)
        if kept is not None:
            _kept_blocks -= len(kept[0].blocks)
            _release()
        return kept
    try:
        with open(ticket.path, "rb") as handle:
            handle.seek(ticket.offset)
            data = handle.read(ticket.length)
        kept = pickle.loads(data)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, TypeError, ValueError):
        return None
    if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], Prepared) and isinstance(kept[1], bytes):
        return kept
    return None


def forget_run(keep_prefix: str) -> None:
    """Drop what this process kept for a run and did not use (the run removes
    the spill files with its other temporaries)."""
    global _kept_blocks
    for key in [k for k in _kept if k[0] == keep_prefix]:
        _kept_blocks -= len(_kept.pop(key)[0].blocks)
    _release()


def _release() -> None:
    """Once no page is kept, what gc.freeze moved out of the cyclic collector's
    way goes back to it: whatever garbage with reference cycles was frozen with
    the kept pages is collected again (a long-lived process runs batch after batch)."""
    if not _kept:
        gc.unfreeze()
