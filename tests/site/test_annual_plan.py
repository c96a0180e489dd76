"""The 年度工作安排 page of the built site: in Chromium at phone width, its .ics download, its A4 PDF and Word."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import icalendar
import pypdf
import pytest

from generator.validate import load_handbook
from tests.conftest import STANDARDS

HANDBOOK = load_handbook(STANDARDS)
PLACED = {"monthly", "quarterly", "half-yearly", "yearly"}


@pytest.fixture(scope="module")
def site_url(built_site: Path, serve_dir) -> str:
    return serve_dir(built_site)


def test_the_build_writes_the_page_the_calendar_the_print_view_and_the_pdf(built_site: Path) -> None:
    folder = built_site / "annual-plan"
    assert (folder / "index.html").is_file()
    assert (folder / "print.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    cal = icalendar.Calendar.from_ical((folder / "calendar-2026.ics").read_bytes())
    placed = [s for _, s in HANDBOOK.standards() if s.frequency in PLACED]
    assert len(cal.walk("VEVENT")) == len(placed)
    reader = pypdf.PdfReader(io.BytesIO((folder / "annual-plan-2026.pdf").read_bytes()))
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "2026年度工作安排" in text
    assert "12月" in text and "SHYK-01" in text and "完成情况" in text
    assert (folder / "annual-plan-2026.docx").read_bytes().startswith(b"PK")  # its content: tests/render


def test_plan_page_in_chromium_at_phone_width_with_its_download(desktop, site_url: str, tmp_path: Path) -> None:
    page = desktop.new_page()  # the worker's context accepts downloads (Playwright's default)
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(site_url + "annual-plan/")
        assert page.locator("h1#annual-plan").text_content().strip().startswith("2026年度工作安排")
        ids = page.eval_on_selector_all("article h2[id]", "els => els.map(e => e.id)")
        assert ids == [f"month-{m}" for m in range(1, 13)] + ["not-on-calendar"]
        # Readable at 390 px: the page does not scroll sideways and no month table needs to.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        overflowing = page.eval_on_selector_all(
            "article table", "ts => ts.filter(t => t.scrollWidth > t.parentElement.clientWidth + 1).length")
        assert overflowing == 0
        march = page.locator("h2#month-3 + .md-typeset__scrollwrap table")
        assert "SHYK-01" in march.text_content()
        # A plain link: served as text/calendar, a browser saves it and a phone offers to import it.
        with page.expect_download() as info:
            page.locator("a[href$='.ics']").click()
        download = info.value
        assert download.suggested_filename == "calendar-2026.ics"
        saved = tmp_path / "saved.ics"
        download.save_as(saved)
        events = icalendar.Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
        starts = {e.decoded("dtstart") for e in events}
        assert starts and all(isinstance(d, datetime.date) and d.year == 2026 for d in starts)
        march.locator("a[href*='SHYK-01']").first.click()
        page.wait_for_url("**/chapters/meetings/#SHYK-01")
    finally:
        page.close()
