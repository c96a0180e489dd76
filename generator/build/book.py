"""The whole handbook as a book (PDF and Word), cached by content like the forms.

The key is the edition's data (standards.json), the generator's code, templates, fonts and the
versions of the libraries that lay out the files: an unchanged build takes both files from the
cache and renders nothing.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import multiprocessing
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from generator import fs
from generator.build import cache
from generator.model import Handbook
from generator.process import die_with_parent, usable_cores
from generator.render.export import export_json

if TYPE_CHECKING:
    from generator.render.book.views import Book

BOOK_FILES = {"pdf": "handbook.pdf", "docx": "handbook.docx"}


@dataclasses.dataclass(frozen=True, kw_only=True)
class BookFiles:
    """The book's files by name (handbook.pdf, handbook.docx) and which of them were rendered afresh."""

    files: dict[str, bytes]
    rendered: tuple[str, ...]


def book_files(handbook: Handbook, *, cache_dir: Path | None, formats: Iterable[str] = BOOK_FILES) -> BookFiles:
    """The book in the given formats, from the cache when the handbook and the renderer are unchanged."""
    from generator.render.book import book

    key = cache.digest(cache.code_digest(), export_json(handbook))  # the code digest names the libraries too
    folder = cache_dir / "book" if cache_dir is not None else None
    files: dict[str, bytes] = {}
    missing: list[str] = []
    for fmt in formats:
        name = BOOK_FILES[fmt]
        cached = folder / f"{key}-{name}" if folder is not None else None
        stored = fs.read_entry(cached) if cached is not None else None
        if stored is not None:
            files[name] = stored
        else:
            missing.append(fmt)
    if missing:
        made = _render(book(handbook), missing)
        for fmt in missing:
            name = BOOK_FILES[fmt]
            files[name] = made[fmt]
            if folder is not None:
                cache.store_alone(folder / f"{key}-{name}", files[name], f"*-{name}")
    names = [BOOK_FILES[fmt] for fmt in formats]
    return BookFiles(files={name: files[name] for name in names},
                     rendered=tuple(BOOK_FILES[fmt] for fmt in missing))


def _render(view: Book, formats: list[str]) -> dict[str, bytes]:
    """The book's files by format; the Word file in a second process while this one lays out the PDF.

    Both are one long computation each on one core; side by side on two cores the Word file
    (a fifth of the PDF's time) costs nothing more. Alone, on one core, or where forking is
    unsafe (threads running: `mkdocs serve`), they are made one after the other.
    """
    from generator.render.book import book_docx, book_pdf

    render = {"pdf": book_pdf, "docx": book_docx}
    if len(formats) < 2 or not _may_fork():
        return {fmt: render[fmt](view) for fmt in formats}
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=die_with_parent,
                                                initargs=(os.getpid(),)) as pool:
        # Submitted first, so the child starts (forked with the view) before the PDF occupies this process.
        words = pool.submit(book_docx, view)
        made = {fmt: render[fmt](view) for fmt in formats if fmt != "docx"}
        made["docx"] = words.result()
    return {fmt: made[fmt] for fmt in formats}


def _may_fork() -> bool:
    if os.environ.get("HANDBOOK_JOBS", "").strip() == "1":
        return False
    return usable_cores() > 1 and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
