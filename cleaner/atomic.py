"""Atomic file writes: a file appears at its path only whole.

It is written under a temporary name beside its target (TEMP_PREFIX, which
cleaner batch looks for to remove what a killed run left), synced, then renamed
into place; anything that goes wrong removes the temporary file. Used by
cleaner clean -o and by every batch output.
"""

from __future__ import annotations

import os
import tempfile

TEMP_PREFIX = ".cleaner-tmp-"


def write_atomic(target: str, data: bytes) -> None:
    """Write to a temporary file beside target, sync, then rename it into place."""
    with AtomicFile(target) as out:
        out.write(data)


class AtomicFile:
    """A file that appears at its path only whole: written under a temporary
    name in the same folder, then renamed; removed if anything goes wrong."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __enter__(self) -> AtomicFile:
        folder = os.path.dirname(self.target) or "."
        os.makedirs(folder, exist_ok=True)
        handle, self.temp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
        os.fchmod(handle, 0o666 & ~_umask())  # as open() would make it, not mkstemp's 0600
        self.file = os.fdopen(handle, "wb")
        return self

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        try:
            if kind is None:
                self.file.flush()
                os.fsync(self.file.fileno())
            self.file.close()
            if kind is None:
                os.replace(self.temp, self.target)
        finally:
            if os.path.exists(self.temp):  # anything went wrong: no partial file stays
                os.unlink(self.temp)


def _umask() -> int:
    """The process's umask (read by setting it, so set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
