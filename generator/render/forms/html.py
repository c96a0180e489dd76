"""Forms as HTML: the standalone print document, the site page and the 表单下载 page."""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from pathlib import Path

import segno
from markupsafe import Markup

from generator.model import Handbook
from generator.render.forms.views import RENDERER_VERSION, Form, FormLabels, source_date
from generator.render.jinja import render

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
FORMS_CSS = ASSETS / "forms" / "forms.css"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Trace:
    """Where a printed form leads back to: its page online, as a URL and a QR code."""

    url: str  # empty when the site has no site_url
    qr_svg: Markup


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageCss:
    """The running header and footer, as ready CSS `content` values (already escaped)."""

    header_left: Markup
    header_right: Markup
    footer_left: Markup
    footer_right: Markup


@dataclasses.dataclass(frozen=True, kw_only=True)
class DocumentPage:
    css: Markup
    generator: str
    date: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class IndexRow:
    form: Form
    kind_label: str


def form_url(form: Form, site_url: str) -> str:
    """The absolute URL of the form's page, carrying the fingerprint so the page can tell a stale print."""
    if not site_url:
        return ""
    return f"{site_url.rstrip('/')}/forms/{form.slug}/?v={form.fingerprint}"


def trace(form: Form, site_url: str) -> Trace:
    url = form_url(form, site_url)
    return Trace(url=url, qr_svg=_qr_svg(url) if url else Markup(""))


def form_fragment(form: Form, site_url: str, *, standalone: bool = False, fillable: bool = False) -> str:
    """The form itself (`<article class="hb-form">`), without blank lines so Markdown keeps it raw."""
    text = render("forms/form.html.j2", form=form, trace=trace(form, site_url), standalone=standalone,
                  fillable=fillable)
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


def page_css(form: Form) -> str:
    """The @page rule: A4, margins, and the header and footer boxes of every printed page."""
    labels, doc = form.labels, form.doc
    page = PageCss(
        header_left=css_string(doc.title),
        header_right=css_string(f"{doc.edition_label} · {labels.code} {form.code}"),
        footer_left=css_string(f"{labels.effective} {doc.effective} · {labels.fingerprint} {form.fingerprint}"),
        footer_right=page_counter(labels.page_of),
    )
    return render("forms/page.css.j2", page=page)


def document_html(form: Form, site_url: str, *, fillable: bool = False) -> str:
    """The standalone print document (`<slug>.html`), also the input of the PDF."""
    css = forms_css() + "\n" + page_css(form)
    page = DocumentPage(css=Markup(css), generator=f"handbook {RENDERER_VERSION}",
                        date=source_date(form.doc.effective).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return render("forms/document.html.j2", form=form, trace=trace(form, site_url), standalone=True,
                  fillable=fillable, page=page)


def form_page_markdown(handbook: Handbook, form: Form, site_url: str) -> str:
    """The body of the site page `forms/<slug>/`: title, print button, downloads, the form."""
    del handbook  # the form carries all the page shows; the argument keeps the API uniform
    fragment = form_fragment(form, site_url)
    return render("forms/site-page.html.j2", form=form, heading=Markup(markdown_escape(form.title)),
                  fragment=Markup(fragment))


def forms_index_markdown(handbook: Handbook, forms: list[Form], site_url: str) -> str:
    """The 表单下载 page (`forms/index.md`): every form with its print view, PDF, fillable PDF and Word."""
    del site_url  # links are relative so the page works under any base URL
    labels = FormLabels.of(handbook)
    kinds = {"checklist": labels.kind_checklist, "scoring": labels.kind_scoring, "record": labels.kind_record}
    rows = [IndexRow(form=form, kind_label=kinds[form.kind]) for form in forms]
    book = {key: handbook.label(f"book.{key}") for key in ("intro", "pdf", "docx")}
    return render("forms/index.html.j2", labels=labels, rows=rows, book=book)


@functools.cache
def forms_css() -> str:
    return FORMS_CSS.read_text(encoding="utf-8")


def css_string(text: str) -> Markup:
    """A CSS string literal that cannot end the string, the rule or the <style> element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written: HTML-escaped, Markdown punctuation backslash-escaped."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~])", r"\\\1", escaped)


def page_counter(label: str) -> Markup:
    parts = []
    for piece in re.split(r"(\{pages?\})", label):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup(" ".join(parts) or '""')


def _qr_svg(url: str) -> Markup:
    qr = segno.make(url, error="m", micro=False)
    # No background path: a sanitiser that drops its fill attribute would paint it black.
    # forms.css also sets the stroke, for the same reason.
    return Markup(qr.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light=None))
