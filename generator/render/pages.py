"""The handbook's website pages, as Markdown text keyed by their path under docs/."""

from __future__ import annotations

import functools
from collections.abc import MutableMapping

from generator.model import Chapter, Handbook, RecordTemplate
from generator.model.labels import fill
from generator.model.sources import standards_key
from generator.render import views as v
from generator.render.jinja import render
from generator.render.memo import memo


def render_pages(handbook: Handbook, *, history: dict[str, str] | None = None,
                 extra_links: tuple[v.Link, ...] = (), forms: bool = False,
                 parts: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Every generated page; pure, so the same handbook always gives the same text.

    history: one line per standard ID (in force since…, changed in…), from the editions.
    extra_links: more entries for the home page (forms, revision notes) from later stages.
    forms: the printable forms are built too, so pages link to them.
    parts: the big pages' text (each chapter's, the overview) by a digest of what it shows (`memo`),
    from an earlier build; after an edit only the pages it reaches are rendered again. The result
    is the same with or without it.
    """
    views = v.Views(handbook, history)
    labels = handbook.labels
    parts = {} if parts is None else parts
    shown = repr(sorted(labels.items()))
    history = history or {}
    # What a chapter's view reads besides the chapter: the labels, the sources its citations name, the
    # vocabulary's terms, its number, its standards' history lines and the pages of the standards they link.
    around = repr((handbook.meta.sources, handbook.vocabulary))
    pages: dict[str, str] = {}
    for number, chapter in enumerate(handbook.chapters, start=1):
        standards = chapter.standards
        homes = [(r, views.home_of[r]) for s in standards for r in s.related]
        lines = [(s.id, history[s.id]) for s in standards if s.id in history] if history else []
        made = (chapter.id, chapter.title, chapter.summary, str(number), standards_key(standards), repr(homes),
                repr(lines))
        pages[v.chapter_path(chapter.id)] = memo(
            parts, ("chapter", shown, around, *made),
            functools.partial(_chapter_page, views, chapter, labels))
    pages[v.HOME] = render(
        "pages/home.md.j2", meta=handbook.meta, edition=handbook.edition, L=labels,
        chapters=[{"title": c.title, "path": v.chapter_path(c.id), "count": len(c.standards),
                   "points": sum(s.points for s in c.standards)} for c in handbook.chapters],
        links={"overview": v.OVERVIEW, "templates": v.TEMPLATES_INDEX, "glossary": v.GLOSSARY,
               "extra": [v.Link(text=link.text, href=v.href(v.HOME, link.href)) for link in extra_links]},
    )
    # The overview shows, per standard, its ID, title, frequency, roles and points, and its chapter's title.
    shown_rows = [(c.id, c.title, [(s.id, s.title, s.frequency, s.responsible, s.points) for s in c.standards])
                  for c in handbook.chapters]
    pages[v.OVERVIEW] = memo(parts, ("overview", shown, repr(handbook.vocabulary), repr(shown_rows)),
                             lambda: render("pages/overview.md.j2", L=labels, **overview_of(handbook)))
    # A record book's page and the index list the standards using it, with links to their pages.
    users_of = {t.id: [(std_id, views.home_of[std_id]) for std_id in views.users_of.get(t.id, [])]
                for t in handbook.templates}
    for template in handbook.templates:
        path = v.template_path(template.id)
        pages[path] = memo(parts, ("template", shown, repr(template), repr(users_of[template.id]), str(forms)),
                           functools.partial(_template_page, views, template, labels, forms))
    pages[v.TEMPLATES_INDEX] = memo(
        parts, ("templates-index", shown, repr([(t.id, t.title, users_of[t.id]) for t in handbook.templates])),
        functools.partial(_templates_index, views, handbook.templates, labels))
    rating = handbook.rating
    pages[v.RATING] = render(
        "pages/rating.md.j2", L=labels, total=rating.total, groups_note=rating.groups_note,
        levels=[{"stars": "★" * level.stars, "label": level.label, "min_score": level.min_score}
                for level in rating.levels],
        veto_rule=rating.veto_note or fill(labels["forms.veto_default"], stars=str(rating.veto_max_stars)),
        veto_standards=[{"link": views.standard_link(v.RATING, s.id), "title": s.title}
                        for _, s in handbook.standards() if s.veto],
        scoring_sheet=v.Link(text=labels["forms.scoring_title"], href=v.href(v.RATING, v.form_path("scoring-sheet")))
        if forms else None,
    )
    pages[v.GLOSSARY] = render(
        "pages/glossary.md.j2", L=labels,
        terms=[{"id": g.id, "term": g.term, "definition": g.definition.strip(),
                "aliases": labels["list_sep"].join(g.aliases),
                "see": [views.standard_link(v.GLOSSARY, s) for s in g.see]} for g in handbook.glossary],
    )
    return pages



def _template_page(views: v.Views, template: RecordTemplate, labels: dict[str, str], forms: bool) -> str:
    path = v.template_path(template.id)
    form_link = (v.Link(text=labels["template_form"], href=v.href(path, v.form_path(f"record-{template.id}")))
                 if forms else None)
    return render("pages/template.md.j2", t=template, L=labels, users=views.template_users(template, path),
                  form_link=form_link)


def _templates_index(views: v.Views, templates: tuple[RecordTemplate, ...], labels: dict[str, str]) -> str:
    rows = [{"id": t.id, "title": t.title, "href": v.href(v.TEMPLATES_INDEX, v.template_path(t.id)),
             "users": views.template_users(t, v.TEMPLATES_INDEX)} for t in templates]
    return render("pages/templates_index.md.j2", L=labels, rows=rows)


def _chapter_page(views: v.Views, chapter: Chapter, labels: dict[str, str]) -> str:
    return render("pages/chapter.md.j2", chapter=views.chapter(chapter), L=labels)


def overview_of(handbook: Handbook) -> dict[str, object]:
    """What the overview page shows: a row per standard (page_html makes its HTML from the same), made
    from the model, without building the chapters' views."""
    term, sep = handbook.term, handbook.label("list_sep")
    return {"filter_columns": "2,3,4", "rating": v.href(v.OVERVIEW, v.RATING),
            "rows": [{"id": s.id, "href": v.href(v.OVERVIEW, v.chapter_path(c.id), s.id), "title": s.title,
                      "chapter": c.title, "frequency": term("frequency", s.frequency),
                      "responsible": sep.join(term("role", r) for r in s.responsible), "points": s.points}
                     for c in handbook.chapters for s in c.standards]}
