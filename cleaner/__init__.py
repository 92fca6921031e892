"""cleaner: turn scraped page dumps (text or HTML) into clean articles."""

from .config import CleanerConfig
from .model import Article, Block, BlockKind, CleanerError, Document, Dropped, InputError, Role
from .pipeline import clean

__all__ = [
    "Article", "Block", "BlockKind", "CleanerConfig", "CleanerError", "Document", "Dropped",
    "InputError", "Role", "clean",
]
__version__ = "0.1.0"
