"""Batch mode: a folder (or a list of files) of pages into a folder of results.

Made for cron over folders that grow every night, and for clusters when one
machine is not enough:

- **Incremental.** DEST holds a manifest (SQLite) of every input: size, mtime,
  content hash, and a digest of the settings and version that produced its
  output. An input whose content and settings are unchanged is skipped without
  writing anything; a changed setting redoes what it affects; ``force`` redoes all.
- **Atomic.** Each output is written to a temporary file in its folder, synced,
  and renamed into place; the manifest records an input only after the rename.
  A run killed at any moment leaves finished outputs and temporary files only;
  the next run removes the temporary files and finishes the job.
- **Exclusive.** A lock file in DEST (``flock``) makes a second overlapping run
  stop at once with its own exit code.
- **Engine-neutral.** The work is plain top-level functions (tasks.py) mapped
  over partitions of inputs by an engine: a local process pool (local.py) or
  Dask (dask.py). Results are gathered in input order, so outputs, manifest and
  report do not depend on the engine or the number of workers.

Modules: files (atomic writes, lock), manifest, plan (inputs, output names,
settings digest), tasks (the functions engines map), engine (partitions, the
engine protocol), local, dask, run (run_batch and learn_sites).

Inputs are never modified, moved or deleted.
"""

from ..records import read_records
from .engine import EngineError, EngineMissing
from ..atomic import TEMP_PREFIX, AtomicFile, write_atomic
from .files import LOCK_NAME, DestinationError, Lock, LockedError
from .local import LocalEngine
from .manifest import MANIFEST_NAME
from .plan import list_inputs, output_name, read_file_list, settings_digest
from .run import LEGACY_SITE_MODEL_NAME, SITE_MODEL_NAME, BatchResult, LearnResult, learn_sites, run_batch
from .tasks import (
    BatchOptions, Outcome, Task, clean_one, clean_partition, clean_record, clean_record_articles, count_partition,
)

__all__ = [
    "LEGACY_SITE_MODEL_NAME", "LOCK_NAME", "MANIFEST_NAME", "SITE_MODEL_NAME", "TEMP_PREFIX", "AtomicFile",
    "BatchOptions", "BatchResult", "DestinationError", "EngineError", "EngineMissing", "LearnResult", "LocalEngine",
    "Lock", "LockedError", "Outcome", "Task", "clean_one", "clean_partition", "clean_record", "clean_record_articles",
    "count_partition",
    "learn_sites", "list_inputs", "output_name", "read_file_list", "read_records", "run_batch",
    "settings_digest", "write_atomic",
]
