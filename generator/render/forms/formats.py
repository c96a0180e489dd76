"""The forms' output formats and their file names; one form in one format, as bytes."""

from __future__ import annotations

from generator.render.forms.views import Form

FORMATS = ("html", "pdf", "pdf_forms", "docx", "xlsx")
XLSX_SLUG = "standards"
_SUFFIX = {"html": ".html", "pdf": ".pdf", "pdf_forms": "-fillable.pdf", "docx": ".docx", "xlsx": ".xlsx"}


def file_name(slug: str, fmt: str) -> str:
    """The output file of one form in one format, e.g. checklist-meetings-fillable.pdf."""
    return slug + _SUFFIX[fmt]


def render_one(form: Form, fmt: str, site_url: str = "") -> bytes:
    """One form in one format (not xlsx), rendered now, without cache."""
    if fmt == "html":
        from generator.render.forms.html import document_html

        return document_html(form, site_url).encode("utf-8")
    if fmt in ("pdf", "pdf_forms"):
        from generator.render.forms.pdf import render_pdf

        return render_pdf(form, site_url, fillable=fmt == "pdf_forms")
    if fmt == "docx":
        from generator.render.forms.docx import render_docx

        return render_docx(form, site_url)
    raise ValueError(f"unknown form format {fmt!r}")
