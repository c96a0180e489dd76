"""`handbook calendar`: the year's iCalendar file, written whole or not at all."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from generator.fs import write_atomic
from generator.model import Chapter, Handbook, Standard
from generator.publish.build import mkdocs_config
from generator.render.calendar import calendar_ics, plan_year, year_items
from generator.validate import load_handbook


@dataclasses.dataclass(frozen=True, kw_only=True)
class CalendarReport:
    handbook: Handbook
    year: int
    out: Path | None  # None: standard output
    events: int
    occurrences: int
    apart: tuple[tuple[Chapter, Standard], ...]  # not on the calendar: their frequency has no date


def write_calendar(*, standards: Path, out: Path | None, year: int | None, config_file: Path) -> CalendarReport:
    """Write the calendar of `year` (default: the edition's) to out (default: calendar-YYYY.ics; `-`: stdout).

    The links in it point at mkdocs.yml's site_url, as the site's own copy does.
    """
    handbook = load_handbook(standards)
    year = year or plan_year(handbook)
    site_url, directory_urls = "", True
    if config_file.is_file():
        config = mkdocs_config(config_file, standards, Path("site"), forms=False)
        site_url, directory_urls = config.site_url or "", config.use_directory_urls
    text = calendar_ics(handbook, year, site_url=site_url, directory_urls=directory_urls)
    if out == Path("-"):
        sys.stdout.buffer.write(text.encode("utf-8"))  # bytes: the CRLF line ends stay as they are
        sys.stdout.flush()
    else:
        out = out or Path(f"calendar-{year}.ics")
        write_atomic(out, text)
    items = year_items(handbook)
    return CalendarReport(handbook=handbook, year=year, out=None if out == Path("-") else out, events=len(items.placed),
                          occurrences=sum(len(p.months) for p in items.placed), apart=items.apart)
