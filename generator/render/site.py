"""Everything the website adds to MkDocs: pages, assets, navigation, settings, data files."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import MutableMapping, Sequence
from pathlib import Path

import markupsafe

from generator.model import Handbook
from generator.render import annual_plan, assessment
from generator.render import views as v
from generator.render.calendar import calendar_ics, plan_year
from generator.render.export import export_json
from generator.render.forms.views import source_date
from generator.render.memo import memo
from generator.render.pages import render_pages
from generator.render.schema import export_schema

ASSETS = Path(__file__).resolve().parent.parent / "assets"
OVERRIDES = ASSETS / "overrides"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Site:
    """What one build of the handbook adds to the site."""

    pages: dict[str, str]  # docs path -> Markdown
    assets: dict[str, Path]  # site path -> file to copy
    css: list[str]
    js: list[str]
    nav: list
    data: dict[str, str]  # site path -> text written after the build

    def to_json(self) -> str:
        return json.dumps({**dataclasses.asdict(self), "assets": {k: str(p) for k, p in self.assets.items()}},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Site:
        fields = json.loads(text)
        return cls(**{**fields, "assets": {k: Path(p) for k, p in fields["assets"].items()}})


def build_site(handbook: Handbook, *, user_pages: Sequence[str] = (), history: dict[str, str] | None = None,
               extra_pages: dict[str, str] | None = None, extra_links: tuple[v.Link, ...] = (),
               forms_site_url: str | None = None, extra_data: dict[str, str] | None = None, site_url: str = "",
               directory_urls: bool = True, book: bool = False, parts: MutableMapping[str, str] | None = None) -> Site:
    """The generated part of the site for one handbook; pure.

    history, extra_pages, extra_links, extra_data: what later stages add (the editions' revision pages,
    the forwarding of old links).
    forms_site_url: with forms, the base URL their QR codes point to; None leaves the forms out.
    site_url, directory_urls: where the site is served and its URL style, for the calendar's links.
    book: the home page links the whole handbook as PDF and Word (build.book makes them).
    parts: the costly texts (big pages, calendar events, the printable plan) by a digest of what each
    is made of, from an earlier build; after an edit only what it reaches is made again, and this
    build's texts are put in it. The result is the same with or without it.
    """
    kept = parts  # standards.json's standards are kept only where parts outlive this build
    parts = {} if parts is None else parts
    asset_dirs = ["site"]
    extra_links = (*extra_links, v.Link(text=handbook.label("score.home_link"), href=assessment.PAGE))
    if forms_site_url is not None:
        form_pages = _form_pages(handbook, forms_site_url)
        extra_links = (*extra_links, v.Link(text=handbook.label("forms.index_title"), href=v.FORMS_INDEX))
        extra_pages = {**form_pages, **(extra_pages or {})}
        asset_dirs.append("forms")
    if book:
        extra_links += tuple(v.Link(text=handbook.label(f"book.{fmt}"), href=f"handbook.{fmt}") for fmt in ("pdf", "docx"))
    pages = {**render_pages(handbook, history=history, extra_links=extra_links, forms=forms_site_url is not None,
                            parts=parts),
             **(extra_pages or {}), assessment.PAGE: assessment.assessment_page(handbook)}
    if assessment.SCORING_SHEET in pages:
        pages[assessment.SCORING_SHEET] += assessment.sheet_link(handbook)
    year = plan_year(handbook)
    plan = functools.cache(lambda: annual_plan.plan_view(handbook, year))  # made only when a text is
    shown = _plan_input(handbook, year)
    pages[annual_plan.PLAN_PAGE] = memo(parts, ("plan-page", shown, str(forms_site_url is not None)),
                                        lambda: annual_plan.plan_page_markdown(
                                            handbook, year, forms=forms_site_url is not None, view=plan()))
    linked = {f"assets/handbook/{p.name}": p for d in asset_dirs for p in sorted((ASSETS / d).iterdir())}
    # Vendored libraries are loaded by the theme override (before Material's bundle), not as extra JS.
    vendored = {f"assets/handbook/vendor/{p.name}": p for p in sorted((ASSETS / "vendor").iterdir())}
    data = {
        "standards.json": export_json(handbook, kept),
        "standards.schema.json": json.dumps(export_schema(handbook.meta.language), ensure_ascii=False, indent=1) + "\n",
        f"{annual_plan.PLAN_DIR}/{annual_plan.ics_name(year)}": calendar_ics(
            handbook, year, site_url=site_url, directory_urls=directory_urls, events=parts),
        f"{annual_plan.PLAN_DIR}/{annual_plan.PRINT_NAME}": memo(
            parts, ("plan-document", shown, source_date(handbook.edition.effective.isoformat()).isoformat()),
            lambda: annual_plan.plan_document_html(handbook, year, view=plan())),
        assessment.DATA: assessment.assessment_json(handbook, parts),
        **(extra_data or {}),
    }
    return Site(
        pages=pages,
        assets={**linked, **vendored},
        css=[uri for uri in linked if uri.endswith(".css")],
        js=[uri for uri in linked if uri.endswith(".js")],
        nav=_nav(handbook, pages, user_pages),
        data=data,
    )


def _plan_input(handbook: Handbook, year: int) -> str:
    """Everything the plan's page and printed form are made of (`annual_plan.plan_view` and its templates):
    the year, the labels, the handbook's settings and, per standard, what its item shows and where it links."""
    rows = [(c.id, [(s.id, s.title, s.frequency, s.responsible) for s in c.standards]) for c in handbook.chapters]
    return repr((year, sorted(handbook.labels.items()), handbook.meta, handbook.edition, handbook.vocabulary,
                 handbook.calendar, rows))


def _form_pages(handbook: Handbook, site_url: str) -> dict[str, str]:
    from generator.render.forms import form_page_markdown, forms, forms_index_markdown

    every = forms(handbook)
    pages = {f"forms/{form.slug}.md": form_page_markdown(handbook, form, site_url) for form in every}
    pages[v.FORMS_INDEX] = forms_index_markdown(handbook, every, site_url)
    scoring = v.form_path("scoring-sheet")
    pages[scoring] += f"\n[{handbook.label('rating')}]({v.href(scoring, v.RATING)})\n"
    return pages


def _nav(handbook: Handbook, pages: dict[str, str], user_pages: Sequence[str]) -> list:
    # Material prints a section's title as HTML, unescaped.
    def label(key: str) -> str:
        return str(markupsafe.escape(handbook.label(key)))

    chapters = [v.chapter_path(c.id) for c in handbook.chapters]
    nav: list = [v.HOME, {label("chapters"): chapters}, v.OVERVIEW, v.RATING,
                 {label("templates"): [v.TEMPLATES_INDEX] + [v.template_path(t.id) for t in handbook.templates]},
                 v.GLOSSARY, assessment.PAGE, {label("plan.nav"): annual_plan.PLAN_PAGE}]
    nav += [path for path in pages if path.startswith("forms/index") or path == "changes.md"]
    nav += [path for path in user_pages if path not in pages]
    return nav


def site_settings(handbook: Handbook) -> dict[str, object]:
    """Settings the site takes from the handbook rather than from mkdocs.yml."""
    # MkDocs renders theme templates without autoescape and Material prints site_name raw.
    title = markupsafe.escape(handbook.meta.title)
    notice = " ".join(handbook.meta.disclaimer.replace("**", "").split())
    return {
        "site_name": title,
        "language": handbook.meta.language,
        "notice": f"{handbook.edition.label} · {notice}" if notice else handbook.edition.label,
    }
