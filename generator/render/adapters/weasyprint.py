"""WeasyPrint, fenced: the shipped fonts set up once per process, and one layout written as two PDFs.

`print_and_fillable` lays a document with <input> elements out once and writes it twice, without
and with its AcroForm fields, by setting each page's `forms` (WeasyPrint's internal layout data).
With a WeasyPrint we have not tested, it lays the document out once per variant through the
public API instead (slower; the same look).
"""

from __future__ import annotations

import atexit
import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any

from generator.render.adapters import tested

HOST = "weasyprint"
TESTED = ("70.",)  # WeasyPrint releases whose Page.forms this was checked against


@functools.cache
def fonts(font_face_css: str, base_url: str) -> tuple[Any, Any]:
    """The per-process (FontConfiguration, CSS) pair for these @font-face rules.

    Loading a 10 MB CJK font per document would dominate; one configuration serves every render.
    """
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    # WeasyPrint warns about CSS it ignores (e.g. Material-only properties); our print CSS is tested.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # Drop the configuration before interpreter shutdown: its __del__ (removing the temporary
    # font folder) fails noisily once the modules it needs are torn down.
    atexit.register(fonts.cache_clear)
    font_config = FontConfiguration()
    return font_config, weasyprint.CSS(string=font_face_css, font_config=font_config, base_url=base_url)


def print_and_fillable(html: Any, *, font_config: Any, stylesheets: Sequence[Any], variants: Sequence[str],
                       identifier: Callable[[str], bytes]) -> dict[str, bytes]:
    """The print ("pdf") and fillable ("pdf_forms") PDFs of html (a weasyprint.HTML with <input> elements).

    identifier(variant): the PDF's fixed file identifier (a random one would break reproducibility).
    """
    options = {"font_config": font_config, "stylesheets": list(stylesheets)}
    if not tested(HOST, TESTED, "build.fallback_pdf"):
        return {variant: html.render(**options, pdf_forms=variant == "pdf_forms")
                .write_pdf(pdf_identifier=identifier(variant)) for variant in variants}
    document = html.render(**options, pdf_forms=True)
    fields = [page.forms for page in document.pages]
    written = {}
    # Always write the print variant first, even when only the fillable one is wanted: writing
    # the fields marks their font for full embedding, and the order of fonts in the file must
    # not depend on which variants were asked for.
    for variant in ("pdf", "pdf_forms"):
        if variant == "pdf_forms" and variant not in variants:
            continue
        for page, page_fields in zip(document.pages, fields, strict=True):
            page.forms = page_fields if variant == "pdf_forms" else {None: []}
        written[variant] = document.write_pdf(pdf_identifier=identifier(variant))
    return written
