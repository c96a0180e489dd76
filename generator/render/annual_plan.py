"""The 年度工作安排: month by month, what each role must do, as a site page and a printable A4 form.

Everything comes from the standards' frequencies and the handbook's `calendar:` settings
(`generator.render.calendar`); this module only arranges it into view objects and renders them.
"""

from __future__ import annotations

import dataclasses

from generator.model import Handbook, Standard
from generator.model.labels import fill
from generator.render import views as v
from generator.render.calendar import year_items
from generator.render.forms.html import css_string
from generator.render.forms.views import html_lang, plain_text, source_date
from generator.render.jinja import render

PLAN_DIR = "annual-plan"
PLAN_PAGE = f"{PLAN_DIR}/index.md"  # an index page: its URL is the folder in both URL styles
PRINT_NAME = "print.html"


def ics_name(year: int) -> str:
    return f"calendar-{year}.ics"


def pdf_name(year: int) -> str:
    return f"annual-plan-{year}.pdf"


def docx_name(year: int) -> str:
    return f"annual-plan-{year}.docx"


@dataclasses.dataclass(frozen=True, kw_only=True)
class PlanItem:
    id: str
    title: str
    href: str
    frequency: str
    responsible: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RoleRow:
    role: str
    items: tuple[PlanItem, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class MonthView:
    anchor: str  # month-1 … month-12
    name: str
    rows: tuple[RoleRow, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class PlanView:
    """What the page and the printed form show; the labels are the `plan.*` ones, already filled in."""

    lang: str
    handbook_title: str
    edition: str
    effective: str
    edition_line: str  # edition and date, for the printed footer
    title: str
    intro: str
    ics_hint: str
    reminder: str  # empty without reminders
    months: tuple[MonthView, ...]
    apart: tuple[PlanItem, ...]
    labels: dict[str, str]  # plan.<key> without the prefix, and the few general ones the tables use


@dataclasses.dataclass(frozen=True, kw_only=True)
class PlanLinks:
    """The page's downloads, relative to the page; pdf and docx empty when the build makes no forms."""

    ics: str
    print: str
    pdf: str
    docx: str


def plan_view(handbook: Handbook, year: int, *, page: str = PLAN_PAGE) -> PlanView:
    """The plan of one year, with links to the standards relative to `page`."""
    L, settings = handbook.label, handbook.calendar
    items = year_items(handbook)
    views = v.Views(handbook)
    month_names = _month_names(handbook)

    made: dict[str, PlanItem] = {}  # a standard is due in several months: its item is made once

    def item(std: Standard) -> PlanItem:
        found = made.get(std.id)
        if found is None:
            found = made[std.id] = _item(std)
        return found

    def _item(std: Standard) -> PlanItem:
        return PlanItem(id=std.id, title=std.title, href=views.standard_link(page, std.id).href,
                        frequency=handbook.term("frequency", std.frequency),
                        responsible=L("list_sep").join(handbook.term("role", r) for r in std.responsible))

    months = []
    for month in range(1, 13):
        due = [p.standard for p in items.placed if month in p.months]
        rows = tuple(RoleRow(role=role.label, items=tuple(item(s) for s in due if role.id in s.responsible))
                     for role in handbook.vocabulary.roles)
        months.append(MonthView(anchor=f"month-{month}", name=month_names[month - 1],
                                rows=tuple(r for r in rows if r.items)))
    labels = {key.removeprefix("plan."): value for key, value in handbook.labels.items() if key.startswith("plan.")}
    labels |= {key: L(key) for key in ("frequency", "responsible", "edition", "effective", "colon")}
    labels |= {"paren_open": L("changes.paren_open"), "paren_close": L("changes.paren_close")}
    return PlanView(
        lang=html_lang(handbook.meta.language),
        handbook_title=handbook.meta.title, edition=handbook.edition.label,
        effective=handbook.edition.effective.isoformat(),
        edition_line=f"{L('edition')} {handbook.edition.label} · {L('effective')} {handbook.edition.effective}",
        title=fill(L("plan.title"), year=str(year)),
        intro=fill(L("plan.intro"), year=str(year), day=str(settings.day),
                   quarter_month=str(settings.quarter_month), half_year_month=str(settings.half_year_month),
                   year_month=month_names[settings.year_month - 1]),
        ics_hint=L("plan.ics_hint"),
        reminder=fill(L("plan.reminder"), days=str(settings.reminder_days)) if settings.reminder_days else "",
        months=tuple(months),
        apart=tuple(item(std) for _, std in items.apart),
        labels=labels,
    )


def plan_page_markdown(handbook: Handbook, year: int, *, forms: bool, view: PlanView | None = None) -> str:
    """The site page `annual-plan/index.md`; forms: whether the build puts the PDF and Word files beside it.

    view: `plan_view(handbook, year)`, when the caller has it already.
    """
    return render("pages/annual_plan.md.j2", plan=view or plan_view(handbook, year), links=plan_links(year, forms=forms))


def plan_links(year: int, *, forms: bool) -> PlanLinks:
    return PlanLinks(ics=ics_name(year), print=PRINT_NAME, pdf=pdf_name(year) if forms else "",
                     docx=docx_name(year) if forms else "")


def plan_downloads_html(view: PlanView, links: PlanLinks) -> str:
    """The page's download buttons: a block of HTML inside its Markdown."""
    return render("pages/_plan_downloads.html.j2", plan=view, links=links)


def plan_document_html(handbook: Handbook, year: int, *, view: PlanView | None = None) -> str:
    """The printable A4 form: a standalone HTML document, without links; `forms.pdf.document_pdf` makes the PDF.

    view: `plan_view(handbook, year)`, when the caller has it already.
    """
    view = view or plan_view(handbook, year)
    return render("annual_plan/print.html.j2", plan=view,
                  header=css_string(f"{view.handbook_title} · {view.title}"), footer=css_string(view.edition_line),
                  created=source_date(view.effective).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  disclaimer=plain_text(handbook.meta.disclaimer))


def _month_names(handbook: Handbook) -> list[str]:
    names = handbook.label("plan.months").split("|")
    return names if len(names) == 12 else [str(m) for m in range(1, 13)]

