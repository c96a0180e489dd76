"""python-docx, fenced: the one way to the XML element behind a paragraph, table row or cell.

python-docx has no public API for page-number fields, content-control checkboxes, rows kept
together, cell shading or borders, so the Word renderers add that XML themselves. They reach the
element through `element` only. With a python-docx we have not tested, `element` still gives it
where the object has one, and None (the renderer then leaves the touch out) where it has not.
"""

from __future__ import annotations

from typing import Any

from generator.render.adapters import tested

HOST = "python-docx"
TESTED = ("1.2.", "1.1.")  # python-docx releases whose `_element` layout this was checked against


def element(item: Any) -> Any:
    """The lxml element of a python-docx Paragraph, _Row or _Cell; None when this python-docx has none."""
    if tested(HOST, TESTED, "build.fallback_docx"):
        return item._element
    return getattr(item, "_element", None)
