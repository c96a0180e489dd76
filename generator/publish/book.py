"""The whole handbook as a book (PDF and Word), cached by content like the forms.

The key is the edition's data (standards.json), the generator's code, templates, fonts and the
versions of the libraries that lay out the files: an unchanged build takes both files from the
cache and renders nothing.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
from collections.abc import Iterable
from pathlib import Path

from generator.build import cache
from generator.fs import write_atomic
from generator.model import Handbook
from generator.render.export import export_json

BOOK_FILES = {"pdf": "handbook.pdf", "docx": "handbook.docx"}
_LIBRARIES = ("weasyprint", "python-docx", "pydyf", "fonttools")


@dataclasses.dataclass(frozen=True, kw_only=True)
class BookFiles:
    """The book's files by name (handbook.pdf, handbook.docx) and which of them were rendered afresh."""

    files: dict[str, bytes]
    rendered: tuple[str, ...]


def book_files(handbook: Handbook, *, cache_dir: Path | None, formats: Iterable[str] = BOOK_FILES) -> BookFiles:
    """The book in the given formats, from the cache when the handbook and the renderer are unchanged."""
    from generator.render.book import book, book_docx, book_pdf

    key = cache.digest(cache.code_digest(), export_json(handbook),
                       *(f"{name}={importlib.metadata.version(name)}" for name in _LIBRARIES))
    folder = cache_dir / "book" if cache_dir is not None else None
    files: dict[str, bytes] = {}
    rendered: list[str] = []
    view = None
    for fmt in formats:
        name = BOOK_FILES[fmt]
        cached = folder / f"{key}-{name}" if folder is not None else None
        if cached is not None and cached.is_file():
            files[name] = cached.read_bytes()
            continue
        view = view or book(handbook)
        files[name] = book_pdf(view) if fmt == "pdf" else book_docx(view)
        rendered.append(name)
        if cached is not None:
            for old in cached.parent.glob(f"*-{name}"):
                old.unlink(missing_ok=True)
            write_atomic(cached, files[name])
    return BookFiles(files=files, rendered=tuple(rendered))


def write_book(handbook: Handbook, out: Path, *, cache_dir: Path | None,
               formats: Iterable[str] = BOOK_FILES) -> BookFiles:
    """Write the book's files into out (for `handbook book`)."""
    made = book_files(handbook, cache_dir=cache_dir, formats=formats)
    for name, data in made.files.items():
        write_atomic(out / name, data)
    return made
