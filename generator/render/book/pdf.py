"""The book as PDF through the forms' WeasyPrint set-up: the shipped fonts embedded and subset."""

from __future__ import annotations

import hashlib

from generator.render.book.html import book_html
from generator.render.book.views import Book


def book_pdf(view: Book) -> bytes:
    """An A4 PDF of the whole handbook, bookmarked by chapter and standard; same view, same bytes."""
    import weasyprint

    from generator.render.forms.pdf import FONTS, weasyprint_fonts

    document = book_html(view)
    font_config, font_css = weasyprint_fonts()
    html = weasyprint.HTML(string=document, base_url=FONTS.as_uri() + "/")
    # A fixed file identifier (instead of a random one) keeps builds reproducible.
    identifier = hashlib.sha256(document.encode()).hexdigest()[:32].encode()
    return html.write_pdf(font_config=font_config, stylesheets=[font_css], pdf_identifier=identifier)
