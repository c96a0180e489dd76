"""Printable forms from the handbook: chapter checklists, the scoring sheet, record-book forms.

Views (`forms`) are pure data; `html`, `pdf`, `docx` and `xlsx` turn one view into text or
bytes. Writing them into a folder, in a pool of processes and through the cache, is
generator/build/forms.py.
"""

from __future__ import annotations

from generator.model import Handbook
from generator.render.forms.formats import FORMATS, file_name, render_one
from generator.render.forms.html import form_page_markdown, forms_index_markdown
from generator.render.forms.views import RENDERER_VERSION, Form, forms, standards_table


def standards_xlsx(handbook: Handbook) -> bytes:
    """standards.xlsx as bytes, for callers that place it themselves (e.g. at the site root)."""
    from generator.render.forms.xlsx import render_xlsx

    return render_xlsx(standards_table(handbook))


__all__ = [
    "FORMATS", "RENDERER_VERSION", "Form", "file_name", "form_page_markdown", "forms",
    "forms_index_markdown", "render_one", "standards_xlsx",
]
