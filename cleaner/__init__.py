"""cleaner: turn scraped page dumps (text or HTML) into clean articles."""

from .patterns import load_compiled_patterns

load_compiled_patterns()  # first: the modules below then find their patterns made (patterns.py)

from .config import CleanerConfig  # noqa: E402
from .model import Article, Block, BlockKind, CleanerError, Document, Dropped, InputError, Role  # noqa: E402
from .pipeline import clean  # noqa: E402

__all__ = [
    "Article", "Block", "BlockKind", "CleanerConfig", "CleanerError", "Document", "Dropped",
    "InputError", "Role", "clean",
]
__version__ = "0.1.0"
