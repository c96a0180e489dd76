"""The 修订对照表 as PDF, through the forms pipeline's WeasyPrint set-up and shipped fonts."""

from __future__ import annotations


def comparison_pdf(document_html: str) -> bytes:
    """An A4 PDF of the printable comparison document; the same document gives the same bytes."""
    from generator.render.forms.pdf import document_pdf

    return document_pdf(document_html)
