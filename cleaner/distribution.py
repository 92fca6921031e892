"""The name this project is installed under, for every install line and hint.

The import package and the command are ``cleaner``; the distribution on the
package index is not (``cleaner`` there is an unrelated project). Hints take
the name from the installed package metadata, so they always name what is
installed; DISTRIBUTION_NAME is the fallback when cleaner runs from a source
tree without being installed. Looking the metadata up costs a scan of the
installed packages (tenths of a second), so it happens only when a hint is shown.
"""

from __future__ import annotations

import functools

# pyproject.toml's [project] name; tests/test_docs.py checks that they agree.
DISTRIBUTION_NAME = "scrape-cleaner"


@functools.cache
def distribution_name() -> str:
    """The installed distribution that provides the ``cleaner`` package."""
    from importlib.metadata import packages_distributions

    found = packages_distributions().get(__name__.split(".")[0], [])
    if DISTRIBUTION_NAME in found or len(found) != 1:
        return DISTRIBUTION_NAME
    return found[0]


def install_command(extra: str | None = None) -> str:
    """The pip line that installs cleaner (with an optional extra), e.g.
    ``pip install "scrape-cleaner[dask]"``."""
    name = distribution_name() + (f"[{extra}]" if extra else "")
    return f'pip install "{name}"'
