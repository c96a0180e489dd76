"""The 修订对照表 as PDF, through the forms pipeline's WeasyPrint set-up and shipped fonts."""

from __future__ import annotations

import hashlib


def comparison_pdf(document_html: str) -> bytes:
    """An A4 PDF of the printable comparison document; the same document gives the same bytes."""
    import weasyprint

    from generator.render.forms.pdf import FONTS, _fonts

    font_config, font_css = _fonts()
    html = weasyprint.HTML(string=document_html, base_url=FONTS.as_uri() + "/")
    # A fixed file identifier (instead of a random one) keeps builds reproducible.
    identifier = hashlib.sha256(document_html.encode()).hexdigest()[:32].encode()
    return html.write_pdf(font_config=font_config, stylesheets=[font_css], pdf_identifier=identifier)
