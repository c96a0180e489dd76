"""The site's data made from kept parts after an edit is the site made afresh.

`build_site(parts=…)` keeps each chapter page, the overview, the plan page and its printable
document and each calendar event by a digest of what it is made of. Edits that reach one part
(a standard's text), several (a chapter title: its page, the overview, the plan, the calendar's
categories) or the links between parts (a glossary entry, a renamed or removed standard) must give
exactly the site a build without kept parts gives, and only the parts they reach are made again.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from generator.model import Handbook, Source
from generator.render import annual_plan
from generator.render.calendar import plan_year
from generator.render.site import build_site
from generator.validate import load_handbook
from tests.conftest import ROOT, STANDARDS


def _standard_text(handbook: Handbook) -> Handbook:
    chapter = handbook.chapters[0]
    std = chapter.standards[0]
    changed = dataclasses.replace(std, text="新增一句测试文字，" + std.text)
    return _chapter(handbook, 0, dataclasses.replace(chapter, standards=(changed, *chapter.standards[1:])))


def _chapter_title(handbook: Handbook) -> Handbook:
    chapter = handbook.chapters[-1]
    return _chapter(handbook, len(handbook.chapters) - 1, dataclasses.replace(chapter, title=chapter.title + "（修订）"))


def _glossary(handbook: Handbook) -> Handbook:
    term = handbook.glossary[0]
    see = tuple(dict.fromkeys((*term.see, handbook.chapters[-1].standards[-1].id)))
    changed = dataclasses.replace(term, definition=term.definition + "（补充）", see=see)
    return dataclasses.replace(handbook, glossary=(changed, *handbook.glossary[1:]))


def _renamed(handbook: Handbook) -> Handbook:
    """The last standard of the first chapter gets a new ID, and every reference to it follows."""
    old = handbook.chapters[0].standards[-1].id
    new = old + "X"

    def rename(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if i == old else i for i in ids)

    chapters = tuple(dataclasses.replace(c, standards=tuple(
        dataclasses.replace(s, id=new if s.id == old else s.id, related=rename(s.related)) for s in c.standards))
        for c in handbook.chapters)
    glossary = tuple(dataclasses.replace(t, see=rename(t.see)) for t in handbook.glossary)
    return dataclasses.replace(handbook, chapters=chapters, glossary=glossary)


def _removed(handbook: Handbook) -> Handbook:
    """The second standard of the first chapter is gone, and every reference to it."""
    gone = handbook.chapters[0].standards[1].id

    def drop(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(i for i in ids if i != gone)

    chapters = tuple(dataclasses.replace(c, standards=tuple(
        dataclasses.replace(s, related=drop(s.related)) for s in c.standards if s.id != gone))
        for c in handbook.chapters)
    glossary = tuple(dataclasses.replace(t, see=drop(t.see)) for t in handbook.glossary)
    return dataclasses.replace(handbook, chapters=chapters, glossary=glossary)


def _chapter(handbook: Handbook, index: int, chapter) -> Handbook:
    chapters = list(handbook.chapters)
    chapters[index] = chapter
    return dataclasses.replace(handbook, chapters=tuple(chapters))


def _template(handbook: Handbook) -> Handbook:
    """A record-book template retitled: its page and the templates index (both kept parts) show it."""
    first = handbook.templates[0]
    return dataclasses.replace(handbook, templates=(dataclasses.replace(first, title=first.title + "（新）"),
                                                    *handbook.templates[1:]))


def _moved(handbook: Handbook) -> Handbook:
    """A standard that another chapter's standard links moves to a third chapter; the linking chapter is
    the same object as before (its page must still follow the link's new target)."""
    home = {s.id: i for i, c in enumerate(handbook.chapters) for s in c.standards}
    linker, target = next((i, r) for i, c in enumerate(handbook.chapters) for s in c.standards for r in s.related
                          if home[r] != i)
    source = home[target]
    destination = next(i for i in range(len(handbook.chapters)) if i not in (linker, source))
    chapters = list(handbook.chapters)
    std = handbook.standard(target)
    chapters[source] = dataclasses.replace(chapters[source], standards=tuple(
        s for s in chapters[source].standards if s is not std))
    chapters[destination] = dataclasses.replace(chapters[destination],
                                                standards=(*chapters[destination].standards, std))
    return dataclasses.replace(handbook, chapters=tuple(chapters))


def _relabelled(handbook: Handbook) -> Handbook:
    """A frequency, a role and a method get new labels; a cited source a version."""
    vocabulary = handbook.vocabulary

    def renamed(terms: tuple) -> tuple:
        return (dataclasses.replace(terms[0], label=terms[0].label + "（改）"), *terms[1:])

    used = sorted({b.document for _, s in handbook.standards() for b in s.basis})
    sources = tuple(dataclasses.replace(src, version=src.version + "修订") if src.document in used else src
                    for src in handbook.meta.sources)
    if not any(src.document in used for src in sources):
        sources += (Source(document=used[0], version="2020年"),)
    return dataclasses.replace(
        handbook, meta=dataclasses.replace(handbook.meta, sources=sources),
        vocabulary=dataclasses.replace(vocabulary, frequencies=renamed(vocabulary.frequencies),
                                       roles=renamed(vocabulary.roles), methods=renamed(vocabulary.methods)))


EDITS = {"standard text": _standard_text, "chapter title": _chapter_title, "glossary entry": _glossary,
         "renamed standard": _renamed, "removed standard": _removed, "template title": _template,
         "moved standard": _moved, "relabelled terms": _relabelled}


@pytest.fixture(scope="module")
def big() -> Handbook:
    """A generated handbook of 40 standards: three chapters, two record templates, three glossary terms, so
    every kind of part comes in several copies and an edit reaches some of them; more standards would only
    repeat them (and build_site, run twice per case here, grows with them)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import tempfile

    from make_handbook import write_handbook

    with tempfile.TemporaryDirectory() as folder:
        handbook = load_handbook(write_handbook(40, Path(folder) / "standards"))
    # A link across chapters: the second chapter's first standard to the first chapter's last (`_moved`).
    linker = handbook.chapters[1].standards[0]
    linked = dataclasses.replace(linker, related=(*linker.related, handbook.chapters[0].standards[-1].id))
    return _chapter(handbook, 1, dataclasses.replace(handbook.chapters[1],
                                                     standards=(linked, *handbook.chapters[1].standards[1:])))


SETTINGS = [{}, {"site_url": "https://example.org/handbook/", "directory_urls": False, "forms_site_url": ""},
            {"history": {"S001-01": "2024 版起施行"}, "book": True}]


@pytest.fixture(scope="module")
def unedited(big: Handbook):
    """settings -> (the parts a build of `big` from none keeps, that site as JSON), made once per settings.

    Every edit below starts from the same build of the unedited handbook; it is checked here, once, to be the
    site made without parts."""
    made: dict[int, tuple[dict[str, str], str]] = {}

    def first(settings: int) -> tuple[dict[str, str], str]:
        if settings not in made:
            kwargs = SETTINGS[settings]
            parts: dict[str, str] = {}
            site = build_site(big, parts=parts, **kwargs).to_json()
            assert site == build_site(big, **kwargs).to_json()
            made[settings] = (parts, site)
        parts, site = made[settings]
        return dict(parts), site

    return first


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("settings", range(len(SETTINGS)))
def test_kept_parts_give_the_site_made_afresh(big: Handbook, unedited, edit: str, settings: int) -> None:
    kwargs = SETTINGS[settings]
    parts, first = unedited(settings)
    before = dict(parts)

    edited = EDITS[edit](big)
    again = build_site(edited, parts=parts, **kwargs)
    assert again.to_json() == build_site(edited, **kwargs).to_json()
    assert again.to_json() != first  # the edit did reach the site
    if edit != "relabelled terms":  # the terms show on every page, event and plan row
        assert len(set(parts) - set(before)) < len(before) // 2  # most parts were kept


def test_only_the_edited_standard_event_and_page_are_made_again(big: Handbook, unedited) -> None:
    parts, _ = unedited(0)
    before = set(parts)
    build_site(_standard_text(big), parts=parts)
    # Its chapter page, its calendar event, its chapter's standards in standards.json and its chapter's
    # checks in the self-assessment's data; the overview and the plan show no text: kept.
    made = set(parts) - before
    assert len(made) == 4
    assert {key.split(":")[0] for key in made} == {"chapter", "event", "standards-json", "assessment-checks"}


def test_the_source_date_reaches_the_kept_plan_and_events(monkeypatch: pytest.MonkeyPatch) -> None:
    handbook = load_handbook(STANDARDS)
    year = plan_year(handbook)
    ics = f"{annual_plan.PLAN_DIR}/{annual_plan.ics_name(year)}"
    document = f"{annual_plan.PLAN_DIR}/{annual_plan.PRINT_NAME}"
    parts: dict[str, str] = {}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_site(handbook, parts=parts)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    again = build_site(handbook, parts=parts)
    fresh = build_site(handbook)
    assert again.data[ics] == fresh.data[ics] != first.data[ics]
    assert again.data[document] == fresh.data[document] != first.data[document]


@pytest.mark.parametrize("edit", ["none", "relabelled terms"])
def test_the_overview_made_from_the_model_is_the_one_made_from_the_views(big: Handbook, edit: str) -> None:
    from generator.render import views as v
    from generator.render.pages import overview_of

    handbook = big if edit == "none" else EDITS[edit](big)
    views = v.Views(handbook)
    chapters = [views.chapter(c) for c in handbook.chapters]
    assert overview_of(handbook) == {
        "filter_columns": "2,3,4", "rating": v.href(v.OVERVIEW, v.RATING),
        "rows": [{"id": s.id, "href": v.href(v.OVERVIEW, c.path, s.id), "title": s.title, "chapter": c.title,
                  "frequency": s.frequency, "responsible": s.responsible, "points": s.points}
                 for c in chapters for s in c.standards]}
