"""`handbook book`: the whole handbook's PDF and Word file written into a folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.build.book import BOOK_FILES, BookFiles, book_files
from generator.fs import write_atomic
from generator.model import Handbook


def write_book(handbook: Handbook, out: Path, *, cache_dir: Path | None,
               formats: Iterable[str] = BOOK_FILES) -> BookFiles:
    """Write the book's files into out (for `handbook book`)."""
    made = book_files(handbook, cache_dir=cache_dir, formats=formats)
    for name, data in made.files.items():
        write_atomic(out / name, data)
    return made
