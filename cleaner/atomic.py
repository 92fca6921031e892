"""Atomic file writes: a file appears at its path only whole.

It is written under a temporary name beside its target (TEMP_PREFIX, which
cleaner batch looks for to remove what a killed run left), synced, then renamed
into place; anything that goes wrong removes the temporary file. Used by
cleaner clean -o and by every batch output.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

TEMP_PREFIX = ".cleaner-tmp-"
# A Syncs left because the run stopped (Ctrl-C, an error) waits at most this
# long for the file its thread is syncing; the files after it are removed, not
# synced. (A file it leaves is a temporary one, which the next run removes.)
SYNCS_STOP_SECONDS = 10.0
# Files a Syncs syncs at once, each in a thread of its own. A file system
# with a journal (ext4, XFS) makes the syncs that wait together one commit:
# on this project's machine, busy, 40 files that one thread took 0.14-0.31 s
# to sync after their writer had finished took 4 threads 0.005-0.012 s.
SYNC_THREADS = 4


def write_atomic(target: str, data: bytes, syncs: Syncs | None = None) -> None:
    """Write to a temporary file beside target, sync, then rename it into place
    (with syncs, the sync and the rename are left to its thread)."""
    with AtomicFile(target, syncs) as out:
        out.write(data)


class Syncs:
    """SYNC_THREADS threads that sync written files and rename them into place,
    while the caller goes on working (a sync waits for the disk: milliseconds a
    file; several waiting at once share the file system's journal commit); a
    context manager that returns only when every file it was given is in place
    (or removed), and raises the first error any of them met. Each file is
    renamed after its own sync; files may land in any order.

    If the block stops with an exception (Ctrl-C), the files not yet synced are
    removed and the threads are waited for only SYNCS_STOP_SECONDS. The threads
    share nothing with the caller but a C-level queue: a KeyboardInterrupt
    landing in the middle of a ThreadPoolExecutor's Python-level locks (as
    this used) could leave one held, its thread waiting on it forever, and
    the caller's shutdown(wait=True) with it."""

    def __enter__(self) -> Syncs:
        import queue

        self.jobs: queue.SimpleQueue[tuple[Callable[[], None], Callable[[], None]] | None] = queue.SimpleQueue()
        self.errors: list[BaseException] = []
        self.stopping = False
        self.threads: list[threading.Thread] = []
        self._start_thread()
        return self

    def _start_thread(self) -> None:
        thread = threading.Thread(target=self._work, name="cleaner-syncs", daemon=True)
        thread.start()
        self.threads.append(thread)

    def submit(self, commit: Callable[[], None], abandon: Callable[[], None]) -> None:
        """commit() in a thread; abandon() instead if the block stops first.
        Threads are started as files wait (up to SYNC_THREADS): a thread takes
        a moment to start, and where syncs are quick one is enough."""
        self.jobs.put((commit, abandon))
        if self.jobs.qsize() > 1 and len(self.threads) < SYNC_THREADS:
            self._start_thread()

    def _work(self) -> None:
        while (job := self.jobs.get()) is not None:
            commit, abandon = job
            try:
                (abandon if self.stopping else commit)()
            except BaseException as exc:  # raised by __exit__, in the caller's thread (list.append: one at a time)
                self.errors.append(exc)

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self.stopping = self.stopping or kind is not None
        for _ in self.threads:
            self.jobs.put(None)  # one end mark a thread: each takes one and stops
        deadline = time.monotonic() + SYNCS_STOP_SECONDS
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()) if self.stopping else None)
        if not self.stopping and self.errors:
            raise self.errors[0]


class AtomicFile:
    """A file that appears at its path only whole: written under a temporary
    name in the same folder, then renamed; removed if anything goes wrong.
    With syncs, it is synced and renamed by that thread."""

    def __init__(self, target: str, syncs: Syncs | None = None) -> None:
        self.target = target
        self.syncs = syncs

    def __enter__(self) -> AtomicFile:
        import tempfile  # here: start-up stays light (it loads shutil, random, bz2, lzma)

        folder = os.path.dirname(self.target) or "."
        try:
            handle, self.temp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
        except (FileNotFoundError, NotADirectoryError):  # no folder yet: made (or its error raised) as before
            os.makedirs(folder, exist_ok=True)
            handle, self.temp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
        os.fchmod(handle, 0o666 & ~_umask())  # as open() would make it, not mkstemp's 0600
        self.file = os.fdopen(handle, "wb")
        return self

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            try:
                self.file.flush()  # a full disk says so here, to the writer
            except BaseException:
                self._remove()
                raise
            if self.syncs is not None:
                self.syncs.submit(self._commit, self._remove)
            else:
                self._commit()
        else:
            self._remove()

    def _commit(self) -> None:
        try:
            os.fsync(self.file.fileno())
            self.file.close()
            os.replace(self.temp, self.target)
        except BaseException:
            self._remove()
            raise

    def _remove(self) -> None:
        """No partial file stays: the temporary file closed and removed (if not renamed)."""
        self.file.close()
        if os.path.exists(self.temp):
            os.unlink(self.temp)


def _umask() -> int:
    """The process's umask (read by setting it, so set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
