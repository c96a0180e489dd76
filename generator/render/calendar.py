"""The branch's year: when each standard falls in a calendar year, and that year as iCalendar (RFC 5545).

A standard is placed when its frequency has a period (`Handbook.period`: every 1, 3, 6 or 12
months); the days come from the handbook's `calendar:` settings. Any other frequency (长期坚持,
逐人逐事, 每届 …) is listed apart, never guessed onto a date.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
from collections.abc import Callable, MutableMapping
from urllib.parse import urlsplit

from generator.model import Chapter, Handbook, Standard
from generator.model.labels import fill
from generator.render import views as v
from generator.render.forms.views import plain_text
from generator.render.memo import memo
from generator.render.timestamps import build_time

PRODID = "-//Standards Handbook generator//annual plan//EN"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Placed:
    """A standard on the calendar: every `period` months, in these months of the year."""

    chapter: Chapter
    standard: Standard
    period: int
    months: tuple[int, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class YearItems:
    placed: tuple[Placed, ...]
    apart: tuple[tuple[Chapter, Standard], ...]  # frequencies with no place in a year


def year_items(handbook: Handbook) -> YearItems:
    """Every standard, either placed in months of the year or listed apart; in handbook order."""
    placed, apart = [], []
    for chapter, std in handbook.standards():
        period = handbook.period(std.frequency)
        if period:
            placed.append(Placed(chapter=chapter, standard=std, period=period,
                                 months=handbook.calendar.months_of(period)))
        else:
            apart.append((chapter, std))
    return YearItems(placed=tuple(placed), apart=tuple(apart))


def plan_year(handbook: Handbook) -> int:
    """The year the edition's plan covers: the year it takes effect."""
    return handbook.edition.effective.year


def page_url(docs_path: str, *, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page, relative to the site's root."""
    stem = docs_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/" if directory_urls else f"{stem}.html"


def standard_url(chapter: Chapter, std: Standard, site_url: str, *, directory_urls: bool = True) -> str:
    """The standard's absolute address on the site; empty without a site_url."""
    if not site_url:
        return ""
    return f"{site_url.rstrip('/')}/{page_url(v.chapter_path(chapter.id), directory_urls=directory_urls)}#{std.id}"


def calendar_ics(handbook: Handbook, year: int, *, site_url: str = "", directory_urls: bool = True,
                 events: MutableMapping[str, str] | None = None) -> str:
    """The year's calendar as iCalendar text (CRLF lines folded at 75 octets, as RFC 5545 wants).

    One all-day event per placed standard, repeating by RRULE within the year, with a reminder
    `calendar.reminder_days` before; the same handbook and year give the same text.
    events: each event's text by a digest of everything it is made of (`render.memo`), from an
    earlier build; the events found there are not made again, and this build's are put in it.
    The result is the same with or without it.
    """
    L, settings = handbook.label, handbook.calendar
    name = fill(L("plan.calendar_name"), title=handbook.meta.short_title or handbook.meta.title, year=str(year))
    stamp = build_time(handbook.edition.effective)
    host = urlsplit(site_url).hostname or "standards-handbook.invalid"
    colon, sep = L("colon"), L("list_sep")
    kept: MutableMapping[str, str] = {} if events is None else events
    # What every event reads besides its standard: the labels and the vocabulary's terms.
    around = hashlib.sha256(repr((colon, sep, L("plan.what"), L("frequency"), L("responsible"), L("evidence"),
                                  L("plan.link"), handbook.vocabulary)).encode("utf-8")).hexdigest()
    texts = []
    for item in year_items(handbook).placed:
        std = item.standard
        url = standard_url(item.chapter, std, site_url, directory_urls=directory_urls)

        # The event's fields before and after its description.
        before = (std.id, std.title, str(year), host, stamp.isoformat(), str(item.months[0]), str(settings.day))
        after = (item.chapter.title, url, str(item.period), str(len(item.months)), str(settings.reminder_days))

        def parts(std: Standard = std, url: str = url, before: tuple = before, after: tuple = after) -> tuple[str, ...]:
            lines = [
                L("plan.what") + colon + plain_text(std.text),
                L("frequency") + colon + handbook.term("frequency", std.frequency),
                L("responsible") + colon + sep.join(handbook.term("role", r) for r in std.responsible),
                L("evidence") + colon + sep.join(e.text for e in std.evidence),
            ]
            if url:
                lines.append(L("plan.link") + colon + url)
            return (*before, "\n".join(lines), *after)

        # Everything the event's text is made of, its description as the source has it (the text is made
        # only when new): equal keys, equal texts.
        shown = (around, *before, std.text, std.frequency, repr(std.responsible), repr([e.text for e in std.evidence]),
                 *after)
        texts.append(memo(kept, ("event", *shown), functools.partial(_event_text_of, parts)))
    # A calendar's text is its own lines, then each event's, then its end (icalendar's to_ical). The
    # calendar without events is kept like the events: with all of them kept, icalendar is not imported.
    empty = memo(kept, ("calendar", name), functools.partial(_calendar_text, name))
    head, end = empty.rsplit("END:VCALENDAR", 1)
    return "".join((head, *texts, "END:VCALENDAR", end))


def _calendar_text(name: str) -> str:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal.to_ical().decode("utf-8")


def _event_text_of(parts: Callable[[], tuple[str, ...]]) -> str:
    return _event_text(parts())


def _event_text(parts: tuple[str, ...]) -> str:
    return _event(parts).to_ical().decode("utf-8")


def _event(parts: tuple[str, ...]):
    import icalendar

    (std_id, title, year, host, stamp, month, day, description, chapter_title, url, period, count,
     reminder_days) = parts
    start = datetime.date(int(year), int(month), int(day))
    event = icalendar.Event()
    event.add("uid", f"{std_id}-{year}@{host}")
    event.add("dtstamp", datetime.datetime.fromisoformat(stamp))
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(days=1))
    event.add("summary", f"{std_id} {title}")
    event.add("description", description)
    event.add("categories", [chapter_title])
    event.add("transp", "TRANSPARENT")  # a reminder of work, not a meeting that blocks the day
    if url:
        event.add("url", url)
    if int(count) > 1:
        event.add("rrule", {"freq": "monthly", "interval": int(period), "count": int(count)})
    if int(reminder_days):
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{std_id} {title}")
        alarm.add("trigger", datetime.timedelta(days=-int(reminder_days)))
        event.add_component(alarm)
    return event
