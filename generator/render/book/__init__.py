"""The whole handbook as one book: a PDF to print and bind, a Word file with real headings.

`views.book` is pure data from the model; `html`, `pdf` and `docx` turn it into text or bytes.
Caching the files belongs to generator.build.book, writing them to generator.publish.book.
"""

from __future__ import annotations

from generator.render.book.docx import book_docx
from generator.render.book.html import book_html
from generator.render.book.pdf import book_pdf
from generator.render.book.views import Book, book

__all__ = ["Book", "book", "book_docx", "book_html", "book_pdf"]
