"""The year's calendar (.ics) and the 年度工作安排, from the standards' frequencies."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import icalendar
import pytest
from dateutil.rrule import rrulestr

from generator.model import Calendar, FrequencyTerm, Handbook
from generator.render.annual_plan import plan_page_markdown, plan_view
from generator.render.calendar import calendar_ics, plan_year
from generator.validate import load_handbook
from tests.conftest import ROOT, STANDARDS, run_handbook

SITE = "https://handbook.example.org/2026/"
EXPECTED_COUNT = {"monthly": 12, "quarterly": 4, "half-yearly": 2, "yearly": 1}


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    return load_handbook(STANDARDS)


def events(text: str) -> dict[str, icalendar.Event]:
    """The VEVENTs of an .ics text, parsed back with icalendar, by standard ID."""
    cal = icalendar.Calendar.from_ical(text)
    return {str(e["summary"]).split()[0]: e for e in cal.walk("VEVENT")}


def occurrences(event: icalendar.Event) -> list[datetime.date]:
    start = event.decoded("dtstart")
    assert type(start) is datetime.date  # all-day: a DATE, not a DATE-TIME
    if "rrule" not in event:
        return [start]
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=datetime.datetime.combine(start, datetime.time()))
    return [d.date() for d in rule]


def test_each_frequency_occurs_its_number_of_times_in_the_year(handbook: Handbook) -> None:
    found = events(calendar_ics(handbook, 2027, site_url=SITE))
    by_id = {std.id: std for _, std in handbook.standards()}
    placed = {sid for sid, std in by_id.items() if std.frequency in EXPECTED_COUNT}
    assert set(found) == placed and placed  # standing, per-case, per-term… get no event
    seen = set()
    for sid, event in found.items():
        frequency = by_id[sid].frequency
        dates = occurrences(event)
        assert len(dates) == EXPECTED_COUNT[frequency], (sid, dates)
        assert all(d.year == 2027 and d.day == 1 for d in dates)  # default: the 1st of the month
        seen.add(frequency)
        # defaults: quarterly in the 3rd month of the quarter, half-yearly in June/December, yearly in December
        expected_months = {"monthly": list(range(1, 13)), "quarterly": [3, 6, 9, 12], "half-yearly": [6, 12],
                           "yearly": [12]}[frequency]
        assert [d.month for d in dates] == expected_months, sid
    assert seen == set(EXPECTED_COUNT)


def test_configured_days_and_months_move_the_dates(handbook: Handbook) -> None:
    settings = Calendar(day=15, quarter_month=1, half_year_month=3, year_month=11, reminder_days=7)
    found = events(calendar_ics(dataclasses.replace(handbook, calendar=settings), 2026))
    assert occurrences(found["SHYK-01"]) == [datetime.date(2026, m, 15) for m in (1, 4, 7, 10)]  # quarterly
    yearly = next(sid for sid, e in found.items() if "rrule" not in e)
    assert occurrences(found[yearly]) == [datetime.date(2026, 11, 15)]
    alarm = found["SHYK-01"].walk("VALARM")[0]
    assert alarm["action"] == "DISPLAY"
    assert alarm.decoded("trigger") == datetime.timedelta(days=-7)


def test_no_reminder_when_reminder_days_is_zero(handbook: Handbook) -> None:
    text = calendar_ics(dataclasses.replace(handbook, calendar=Calendar(reminder_days=0)), 2026)
    assert "BEGIN:VALARM" not in text
    assert "BEGIN:VALARM" in calendar_ics(handbook, 2026)


def test_event_says_what_who_evidence_and_where(handbook: Handbook) -> None:
    event = events(calendar_ics(handbook, 2026, site_url=SITE))["SHYK-01"]
    std = next(s for _, s in handbook.standards() if s.id == "SHYK-01")
    assert str(event["summary"]) == f"SHYK-01 {std.title}"
    description = str(event["description"])
    lines = description.split("\n")
    assert lines[0].startswith("工作要求：") and "党员大会" in lines[0] and "**" not in lines[0]  # plain text
    assert f"责任主体：{'、'.join(handbook.term('role', r) for r in std.responsible)}" in lines
    assert all(e.text in description for e in std.evidence)
    assert lines[-1] == "手册条文：https://handbook.example.org/2026/chapters/meetings/#SHYK-01"
    assert str(event["url"]) == "https://handbook.example.org/2026/chapters/meetings/#SHYK-01"
    assert str(event["uid"]) == "SHYK-01-2026@handbook.example.org"


def test_lines_are_crlf_and_folded_at_75_octets(handbook: Handbook) -> None:
    text = calendar_ics(handbook, 2026, site_url=SITE)
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends in CRLF, no bare LF or CR
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    folded = [line for line in lines if line.startswith(b" ")]
    assert len(folded) > 20  # the Chinese descriptions are long: folding really happened
    for line in lines:
        line.decode("utf-8")  # a fold never splits a character
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\nVERSION:2.0\r\n" in data
    # unfolding gives back the whole text of a standard
    std = next(s for _, s in handbook.standards() if s.id == "SHYK-01")
    unfolded = text.replace("\r\n ", "")
    assert f"SUMMARY:SHYK-01 {std.title}\r\n" in unfolded


def test_same_handbook_and_year_give_the_same_bytes(handbook: Handbook) -> None:
    assert calendar_ics(handbook, 2026) == calendar_ics(handbook, 2026)


def test_kept_texts_give_the_same_bytes_without_importing_icalendar(handbook: Handbook, tmp_path: Path) -> None:
    """An edit build takes every unchanged event, and the calendar's own lines, from the kept texts:
    the same bytes as made afresh, and icalendar (a quarter of a second to import) is not loaded."""
    import json
    import subprocess
    import sys

    kept: dict[str, str] = {}
    made = calendar_ics(handbook, 2026, site_url=SITE, events=kept)
    assert made == calendar_ics(handbook, 2026, site_url=SITE)
    (tmp_path / "kept.json").write_text(json.dumps(kept), encoding="utf-8")
    script = f"""
import json, sys
from pathlib import Path
from generator.render.calendar import calendar_ics
from generator.validate import load_handbook
kept = json.loads(Path({str(tmp_path / "kept.json")!r}).read_text(encoding="utf-8"))
text = calendar_ics(load_handbook(Path({str(STANDARDS)!r})), 2026, site_url={SITE!r}, events=kept)
sys.stdout.buffer.write(text.encode("utf-8"))
sys.stderr.write("icalendar imported" if "icalendar" in sys.modules else "")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT, check=True)
    assert done.stdout.decode("utf-8") == made
    assert b"icalendar imported" not in done.stderr


def test_english_handbook_gets_an_english_calendar_and_unknown_frequencies_stay_off_it(food_safety: Path) -> None:
    path = food_safety / "handbook.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    - {id: weekly, label: Weekly}",
        "    - {id: weekly, label: Weekly}\n    - {id: annual, label: Once a year, months: 12}"), encoding="utf-8")
    chapter = food_safety / "chapters" / "01-storage.yml"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("frequency: daily", "frequency: annual", 1), encoding="utf-8")
    book = load_handbook(food_safety)
    annual = [std for _, std in book.standards() if std.frequency == "annual"]
    assert len(annual) == 1
    found = events(calendar_ics(book, 2026, site_url="http://intranet/food/"))
    assert list(found) == [annual[0].id]  # daily and weekly cannot be placed in months: left out
    assert occurrences(found[annual[0].id]) == [datetime.date(2026, 12, 1)]
    description = str(found[annual[0].id]["description"])
    assert description.startswith("What to do: ")
    assert "\nResponsible: " in description and "\nIn the handbook: http://intranet/food/chapters/" in description
    cal = icalendar.Calendar.from_ical(calendar_ics(book, 2026))
    assert str(cal["x-wr-calname"]) == "Food Safety Inspection Manual: work plan for 2026"
    page = plan_page_markdown(book, 2026, forms=False)
    assert "# Work plan for 2026 { #annual-plan }" in page
    assert "## December { #month-12 }" in page and "## January { #month-1 }" in page
    assert "Nothing fixed this month." in page
    assert "## Standards not on the calendar { #not-on-calendar }" in page


def test_plan_lists_each_roles_work_by_month_with_links(handbook: Handbook) -> None:
    view = plan_view(handbook, 2026)
    assert [m.name for m in view.months] == [f"{m}月" for m in range(1, 13)]
    march = {row.role: [i.id for i in row.items] for row in view.months[2].rows}
    for _, std in handbook.standards():
        for role in std.responsible:
            label = handbook.term("role", role)
            if std.frequency in ("monthly", "quarterly"):
                assert std.id in march[label], (std.id, label)
            elif std.frequency in ("yearly", "half-yearly", "standing", "per-case"):
                assert std.id not in march.get(label, []), (std.id, label)
    apart = {i.id for i in view.apart}
    assert apart == {s.id for _, s in handbook.standards() if s.frequency not in EXPECTED_COUNT}
    page = plan_page_markdown(handbook, plan_year(handbook), forms=True)
    assert page.startswith("# 2026年度工作安排 { #annual-plan }\n")
    assert '<a class="md-button md-button--primary" href="calendar-2026.ics">' in page
    assert 'href="annual-plan-2026.pdf"' in page and 'href="print.html"' in page
    assert 'href="annual-plan-2026.docx"' in page
    assert "[SHYK-01](../chapters/meetings.md#SHYK-01)" in page
    assert "## 不排入日历的标准 { #not-on-calendar }" in page
    assert 'href="annual-plan-2026.pdf"' not in plan_page_markdown(handbook, 2026, forms=False)


def test_months_on_a_frequency_override_its_id(handbook: Handbook) -> None:
    vocab = handbook.vocabulary
    frequencies = tuple(FrequencyTerm(id=t.id, label=t.label, months=6 if t.id == "quarterly" else t.months)
                        for t in vocab.frequencies)
    book = dataclasses.replace(handbook, vocabulary=dataclasses.replace(vocab, frequencies=frequencies))
    assert len(occurrences(events(calendar_ics(book, 2026))["SHYK-01"])) == 2


def test_cli_writes_the_calendar_and_lists_what_it_cannot_place(tmp_path: Path, handbook: Handbook) -> None:
    out = tmp_path / "plan.ics"
    config = tmp_path / "mkdocs.yml"
    (tmp_path / "docs").mkdir()
    (tmp_path / "standards").symlink_to(STANDARDS)
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "site_url: https://handbook.example.org/latest/\n",
                      encoding="utf-8")
    # The bundled handbook is Chinese: its messages in English, as the test states them.
    result = run_handbook("calendar", "--year", "2028", "-o", str(out), "-f", str(config), "--standards", str(STANDARDS),
                          "--lang", "en")
    assert result.returncode == 0, result.stderr
    found = events(out.read_bytes().decode("utf-8"))
    assert {d.year for e in found.values() for d in occurrences(e)} == {2028}
    # links from mkdocs.yml's site_url
    assert str(found["SHYK-01"]["url"]) == "https://handbook.example.org/latest/chapters/meetings/#SHYK-01"
    apart = [s for _, s in handbook.standards() if s.frequency not in EXPECTED_COUNT]
    assert f"{len(apart)} standards not on the calendar" in result.stderr
    assert f"  {apart[0].id} {apart[0].title} ({handbook.term('frequency', apart[0].frequency)})" in result.stderr
    assert result.stdout == ""


def test_cli_refuses_a_bad_year() -> None:
    result = run_handbook("calendar", "--year", "26")
    assert result.returncode == 2
    assert "invalid year '26': write four digits, e.g. 2026" in result.stderr


def test_word_plan_has_a_table_per_month_and_the_standards_apart(handbook: Handbook) -> None:
    import io

    import docx

    from generator.render.annual_plan_docx import plan_docx

    data = plan_docx(handbook, 2026)
    assert data == plan_docx(handbook, 2026)  # reproducible
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    tables = document.tables
    assert len(tables) == 13  # every month of the bundled handbook has work, then the standards apart
    assert [c.text for c in tables[0].rows[0].cells] == ["责任主体", "工作事项", "完成情况"]
    march = "\n".join(c.text for row in tables[2].rows for c in row.cells)
    assert "SHYK-01 按期召开支部党员大会（每季度）" in march
    assert "SHYK-01" not in "\n".join(c.text for row in tables[1].rows for c in row.cells)  # not in February
    apart = {row.cells[0].text.split()[0] for row in tables[12].rows[1:]}
    assert apart == {s.id for _, s in handbook.standards() if s.frequency not in EXPECTED_COUNT}
    headings = [p.text for p in document.paragraphs]
    assert headings[0] == "2026年度工作安排" and "12月" in headings
