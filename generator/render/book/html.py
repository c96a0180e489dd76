"""The book as one HTML document for WeasyPrint: cover, contents, chapters, rating, glossary, appendices."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from markupsafe import Markup

from generator.render.book.views import Book
from generator.render.forms.html import css_string, forms_css, page_counter
from generator.render.forms.views import RENDERER_VERSION, source_date
from generator.render.jinja import render

BOOK_CSS = Path(__file__).resolve().parent.parent.parent / "assets" / "book" / "book.css"


def book_html(view: Book) -> str:
    """The printable book; the same view always gives the same text."""
    css = "\n".join([forms_css(), _book_css(), _page_css(view), _label_css(view)])
    return render("book/book.html.j2", book=view, css=Markup(css), generator=f"handbook {RENDERER_VERSION}",
                  date=source_date(view.effective).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _page_css(view: Book) -> str:
    """A4; the handbook and edition top left, the chapter top right, 第 X 页 / 共 Y 页 at the foot."""
    box = "font-size: 8pt; color: #333;"
    return (
        "@page { size: A4 portrait; margin: 20mm 18mm 18mm 18mm;"
        f" @top-left {{ content: {css_string(view.running_header)}; {box} }}"
        f" @top-right {{ content: string(chapter); {box} }}"
        f" @bottom-center {{ content: {page_counter(view.page_of)}; {box} }} }}\n"
        "@page cover { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }"
    )


def _label_css(view: Book) -> str:
    """The facts' label column: as wide as the widest label (a CJK character 1 em, others about 0.65 em bold)."""
    labels = {name for chapter in view.chapters for std in chapter.standards for name, _ in std.facts}
    widest = max((sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.65 for ch in label)
                  for label in labels), default=4.0)
    return f":root {{ --bk-label: {widest:.1f}em; }}"


@functools.cache
def _book_css() -> str:
    return BOOK_CSS.read_text(encoding="utf-8")
