"""What the book shows, computed once from the handbook: the templates and the Word writer only place it."""

from __future__ import annotations

import dataclasses

import markdown
from markupsafe import Markup

from generator.model import Handbook
from generator.model.labels import fill
from generator.render import views as v
from generator.render.forms import forms
from generator.render.forms.html import form_fragment
from generator.render.forms.views import Form, plain_text
from generator.render.sanitize import sanitize


@dataclasses.dataclass(frozen=True, kw_only=True)
class Text:
    """A piece of the handbook's Markdown, as sanitised HTML (PDF) and as plain text (Word)."""

    html: Markup
    plain: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class BookStandard:
    id: str
    heading: str  # "ID title"
    text: Text
    facts: tuple[tuple[str, str], ...]  # (label, value): frequency, responsible, points, basis, evidence…
    checks: tuple[tuple[int, str, int], ...]
    inspection: Text


@dataclasses.dataclass(frozen=True, kw_only=True)
class BookChapter:
    anchor: str
    heading: str  # "第1章 组织设置"
    summary: Text
    standards: tuple[BookStandard, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class BookForm:
    anchor: str
    heading: str
    code: str
    fragment: Markup  # the printable form, as on the site (record books, checklists)
    heads: tuple[str, ...]  # the form's table for the Word file: column heads and rows
    rows: tuple[tuple[str, ...], ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Appendix:
    anchor: str
    heading: str
    forms: tuple[BookForm, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Book:
    lang: str
    title: str
    issuer: str
    edition: str
    effective: str
    disclaimer: Text
    labels: dict[str, str]
    chapters: tuple[BookChapter, ...]
    rating_heading: str
    levels: tuple[tuple[str, int], ...]  # (level label, lowest score)
    rating_notes: tuple[Text, ...]
    veto_standards: tuple[str, ...]  # "ID title" of the standards that cap the rating
    glossary_heading: str
    glossary: tuple[tuple[str, str, Text], ...]  # (anchor, term, definition)
    appendices: tuple[Appendix, ...]
    running_header: str  # left top of every page: the handbook and edition
    page_of: str  # "第 {page} 页 / 共 {pages} 页"


def book(handbook: Handbook) -> Book:
    """The book of one handbook; pure."""
    label = handbook.label
    sep = label("list_sep")
    views = v.Views(handbook)
    chapters = []
    for number, chapter in enumerate(handbook.chapters, start=1):
        standards = []
        for std in views.chapter(chapter).standards:  # what the site's chapter page shows
            facts = [(label("frequency"), std.frequency), (label("responsible"), std.responsible),
                     (label("points"), f"{std.points} {label('points_unit')}" + (label("veto_mark") if std.veto else "")),
                     (label("methods"), std.methods)]
            facts += [(label("basis"), basis) for basis in std.basis]
            facts += [(label("evidence"), e.text) for e in std.evidence]
            if std.related:
                facts.append((label("related"), sep.join(r.text for r in std.related)))
            standards.append(BookStandard(id=std.id, heading=f"{std.id} {std.title}", text=_text(std.text),
                                          facts=tuple(facts), checks=tuple(std.checks),
                                          inspection=_text(std.inspection)))
        chapters.append(BookChapter(anchor=f"chapter-{chapter.id}",
                                    heading=fill(label("book.chapter_heading"), n=str(number), title=chapter.title),
                                    summary=_text(chapter.summary), standards=tuple(standards)))
    every = forms(handbook)
    appendices = tuple(
        Appendix(anchor=f"appendix-{kind}", heading=fill(label("book.appendix_heading"), n=str(n), title=title),
                 forms=tuple(BookForm(anchor=f"form-{f.slug}", heading=f.title, code=f.code,
                                           fragment=Markup(form_fragment(f, "")), **_form_table(f))
                             for f in every if f.kind == kind))
        for n, (kind, title) in enumerate((("record", label("templates")),
                                          ("checklist", label("forms.kind_checklist"))), start=1))
    rating = handbook.rating
    return Book(
        lang=handbook.meta.language, title=handbook.meta.title, issuer=handbook.meta.issuer,
        edition=handbook.edition.label, effective=handbook.edition.effective.isoformat(),
        disclaimer=_text(handbook.meta.disclaimer),
        labels={key: label(key) for key in ("edition", "effective", "issuer", "contents", "number", "checks",
                                            "points", "inspection", "rating_levels", "rating_min_score",
                                            "rating_total", "veto_items", "aliases", "colon")}
        | {"form_code": label("forms.code")},
        chapters=tuple(chapters),
        rating_heading=label("rating"),
        levels=tuple((level.label, level.min_score) for level in rating.levels),
        rating_notes=tuple(_text(note) for note in (rating.groups_note, rating.veto_note) if note.strip()),
        veto_standards=tuple(f"{s.id} {s.title}" for _, s in handbook.standards() if s.veto),
        glossary_heading=label("glossary"),
        glossary=tuple((f"term-{g.id}", g.term + (label("changes.paren_open") + sep.join(g.aliases) + label("changes.paren_close")
                                 if g.aliases else ""),
                        _text(g.definition)) for g in handbook.glossary),
        appendices=appendices,
        running_header=f"{handbook.meta.title} · {handbook.edition.label}",
        page_of=label("forms.page_of"),
    )


def _form_table(form: Form) -> dict[str, tuple]:
    """A form as one table for Word: a checklist's items, a record's fields or its register's columns."""
    labels = form.labels
    if form.checklist is not None:
        return {"heads": (labels.col_no, labels.col_check, labels.col_standard),
                "rows": tuple((str(r.number), r.text, r.standard_id) for r in form.checklist.rows)}
    record = form.record
    if record is None:
        return {"heads": (), "rows": ()}
    if record.fields:
        return {"heads": (), "rows": tuple((f.label, "") for f in record.fields)}
    columns = ((record.number_column,) if record.number_column else ()) + record.columns
    return {"heads": tuple(c.label for c in columns),
            "rows": tuple(tuple(str(n) if i == 0 and record.number_column else "" for i in range(len(columns)))
                          for n in record.rows[:5])}


def _text(source: str) -> Text:
    if not source.strip():
        return Text(html=Markup(""), plain="")
    html = sanitize(markdown.markdown(source, extensions=["tables"]))
    return Text(html=Markup(html), plain=plain_text(source))
