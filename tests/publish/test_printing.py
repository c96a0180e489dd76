from __future__ import annotations

import io

from generator.publish.printing import comparison_pdf
from generator.publish.report import site_additions
from generator.validate import load_handbook
from tests.publish.helpers import NEW, OLD


def test_comparison_pdf_is_readable_and_reproducible() -> None:
    from pypdf import PdfReader

    extra = site_additions(load_handbook(NEW), [load_handbook(OLD)], pdf=True)
    assert '<a href="../comparison.pdf">下载 PDF 打印版</a>' in extra.pages["comparison.md"]
    first = comparison_pdf(extra.print_html)
    assert comparison_pdf(extra.print_html) == first
    reader = PdfReader(io.BytesIO(first))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("修订对照表", "2024年版原文", "2026年版条文", "HY-01", "党员活动证"):
        assert expected in text
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
