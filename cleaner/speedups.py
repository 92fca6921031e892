"""The optional C helper, cleaner._speedups, where it was built (see
cleaner/_speedups.c): every stage that uses it has Python code that gives the
same output, used where it was not built or CLEANER_PURE_PYTHON is set."""

from __future__ import annotations

import os
from types import ModuleType

# Set (to anything but "") in the environment, this makes cleaner ignore its
# compiled helper, cleaner._speedups, and run its Python code alone.
PURE_PYTHON_VARIABLE = "CLEANER_PURE_PYTHON"


def compiled() -> ModuleType | None:
    """cleaner._speedups, or None where it was not built or CLEANER_PURE_PYTHON is set."""
    if os.environ.get(PURE_PYTHON_VARIABLE):
        return None
    try:
        from . import _speedups  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _speedups  # type: ignore[no-any-return]
