"""Forms as PDF: the print document through WeasyPrint, with the shipped font embedded and subset.

The fillable variant is the same document with <input> elements in place of the drawn
boxes and blank score cells; WeasyPrint's `pdf_forms` turns them into AcroForm fields.
"""

from __future__ import annotations

from generator.render.adapters.weasyprint import fonts, print_and_fillable
from generator.render.forms.html import ASSETS, document_html
from generator.render.forms.views import Form

FONTS = ASSETS / "fonts"
FONT_FAMILY = "Handbook Form Sans"
FONT_FILES = {400: FONTS / "NotoSansSC-Regular.ttf", 700: FONTS / "NotoSansSC-Bold.ttf"}
# Second in every font list: what Noto Sans SC lacks (sub- and superscript digits and signs, more
# accented Latin letters), from a small cut of Noto Sans.
SYMBOL_FONT_FAMILY = "Handbook Form Symbols"
SYMBOL_FONT_FILES = {400: FONTS / "NotoSans-Symbols-Regular.ttf", 700: FONTS / "NotoSans-Symbols-Bold.ttf"}
FAMILIES = f'"{FONT_FAMILY}", "{SYMBOL_FONT_FAMILY}"'
# Form fields embed their font whole (so a reader can type any character it has): the score
# fields get a 19 kB Latin cut of the same font instead of the 10 MB CJK one.
FIELD_FONT_FAMILY = "Handbook Form Fields"
FIELD_FONT_FILE = FONTS / "NotoSansSC-Latin.ttf"


def render_pdf(form: Form, site_url: str = "", *, fillable: bool = False) -> bytes:
    """The form as an A4 PDF; byte-identical for the same form, site_url and renderer."""
    return render_pdfs(form, site_url, ("pdf_forms",) if fillable else ("pdf",))[0]


def render_pdfs(form: Form, site_url: str = "", variants: tuple[str, ...] = ("pdf", "pdf_forms")) -> list[bytes]:
    """The print ("pdf") and fillable ("pdf_forms") PDFs from one layout.

    Both come from the document with <input> elements: the print PDF is that layout written
    without its form fields, so the two variants always look the same and the layout, the
    slow part, runs once.
    """
    import weasyprint

    font_config, font_css = weasyprint_fonts()
    html = weasyprint.HTML(string=document_html(form, site_url, fillable=True), base_url=FONTS.as_uri() + "/")
    written = print_and_fillable(html, font_config=font_config, stylesheets=[font_css], variants=variants,
                                 identifier=lambda variant: f"{form.fingerprint}-{variant}".encode())
    return [written[variant] for variant in variants]


def document_pdf(document_html: str) -> bytes:
    """Any standalone print document (the 修订对照表, the annual plan) as an A4 PDF in the shipped font.

    The same document gives the same bytes.
    """
    import hashlib

    import weasyprint

    font_config, font_css = weasyprint_fonts()
    html = weasyprint.HTML(string=document_html, base_url=FONTS.as_uri() + "/")
    # A fixed file identifier (instead of a random one) keeps builds reproducible.
    identifier = hashlib.sha256(document_html.encode()).hexdigest()[:32].encode()
    return html.write_pdf(font_config=font_config, stylesheets=[font_css], pdf_identifier=identifier)


def font_face_css() -> str:
    """@font-face rules for the shipped static Noto Sans SC (static TTFs lay out fast in WeasyPrint)."""
    rules = [
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
        f"font-weight: {weight}; font-style: normal; }}"
        for family, files in ((FONT_FAMILY, FONT_FILES), (SYMBOL_FONT_FAMILY, SYMBOL_FONT_FILES))
        for weight, path in files.items()
    ]
    rules.append(f'@font-face {{ font-family: "{FIELD_FONT_FAMILY}"; src: url("{FIELD_FONT_FILE.as_uri()}"); '
                 f"font-weight: 400; font-style: normal; }}")
    rules.append(f"html, body, .hb-form, @page {{ font-family: {FAMILIES}; }}")
    # !important: a user stylesheet loses to forms.css's `font: inherit` otherwise.
    rules.append(f'.hb-form .hb-input {{ font-family: "{FIELD_FONT_FAMILY}" !important; '
                 f"font-weight: 400 !important; }}")
    boxes = " ".join(f"@{box} {{ font-family: {FAMILIES}; }}"
                     for box in ("top-left", "top-right", "bottom-left", "bottom-right"))
    rules.append(f"@page {{ {boxes} }}")
    return "\n".join(rules)


def weasyprint_fonts() -> tuple[object, object]:
    """The per-process (FontConfiguration, CSS) pair with the shipped fonts, for any WeasyPrint render
    (generator/render/adapters/weasyprint.py keeps it)."""
    return fonts(font_face_css(), FONTS.as_uri() + "/")
