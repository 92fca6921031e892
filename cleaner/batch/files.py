"""Files in DEST: atomic writes, the run's lock, left-over temporaries, content hashes.

Every output is written under a temporary name beside its target, synced and
renamed into place, so a reader (or the next run) never sees half a file. The
lock is an ``flock`` on a file in DEST: the kernel drops it when the process
dies, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import errno
import hashlib
import os

from ..atomic import TEMP_PREFIX
from ..model import CleanerError

LOCK_NAME = ".cleaner.lock"
# Files read whole are hashed in chunks of this size.
HASH_CHUNK_BYTES = 1 << 20
# errno values that mean DEST itself cannot take the output: the run stops.
DESTINATION_ERRNOS = (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT)


class LockedError(CleanerError):
    """Another batch run holds DEST's lock."""


class DestinationError(CleanerError):
    """DEST cannot be written (read-only, full disk): the run stops."""


def remove_stale_temporaries(dest: str) -> None:
    """Temporary files of a run that was killed, or of a worker that died (we
    hold the lock and no task of ours is running: none is live)."""
    for folder, _, files in os.walk(dest):
        for name in files:
            if name.startswith(TEMP_PREFIX):
                try:
                    os.unlink(os.path.join(folder, name))
                except FileNotFoundError:
                    pass


class Lock:
    """An exclusive, non-blocking flock on path, held for the with block;
    LockedError(busy) when another process holds it."""

    def __init__(self, path: str, busy: str) -> None:
        self.path = path
        self.busy = busy

    def __enter__(self) -> Lock:
        import fcntl

        try:
            self.handle = open(self.path, "a+b")
        except OSError as exc:
            raise DestinationError(f"cannot write in {os.path.dirname(self.path)}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise LockedError(self.busy) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # closing releases the lock; the file stays for the next run


def file_hash(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(HASH_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_hashed(path: str, max_bytes: int) -> tuple[bytes, str] | None:
    """A file's bytes as they are stored and their file_hash, read once; None
    for a file larger than max_bytes, which is not read here (a page over the
    limit, or a big .gz: hash it apart and read it with limits.read_page_file)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            return None
        # its size and one byte more: asked for max_bytes + 1 at once, Python
        # would make a buffer of that size (64 MiB by default) for every page
        data = handle.read(size + 1)
        if len(data) > size:  # it grew since: read on, to the limit
            data += handle.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        return None
    return data, hashlib.sha256(data).hexdigest()


def is_destination_error(exc: OSError) -> bool:
    return exc.errno in DESTINATION_ERRNOS
