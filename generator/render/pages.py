"""The handbook's website pages, as Markdown text keyed by their path under docs/."""

from __future__ import annotations

import functools
from collections.abc import MutableMapping

from generator.model import Handbook
from generator.model.labels import fill
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
    pages: dict[str, str] = {}
    chapters = [views.chapter(chapter) for chapter in handbook.chapters]
    for chapter in chapters:
        pages[chapter.path] = memo(parts, ("chapter", shown, repr(chapter)),
                                   functools.partial(render, "pages/chapter.md.j2", chapter=chapter, L=labels))
    pages[v.HOME] = render(
        "pages/home.md.j2", meta=handbook.meta, edition=handbook.edition, L=labels,
        chapters=[{"title": c.title, "path": c.path, "count": len(c.standards),
                   "points": sum(s.points for s in c.standards)} for c in chapters],
        links={"overview": v.OVERVIEW, "templates": v.TEMPLATES_INDEX, "glossary": v.GLOSSARY,
               "extra": [v.Link(text=link.text, href=v.href(v.HOME, link.href)) for link in extra_links]},
    )
    table = overview(chapters)
    pages[v.OVERVIEW] = memo(parts, ("overview", shown, repr(table)),
                             lambda: render("pages/overview.md.j2", L=labels, **table))
    for template in handbook.templates:
        path = v.template_path(template.id)
        form_link = (v.Link(text=labels["template_form"], href=v.href(path, v.form_path(f"record-{template.id}")))
                     if forms else None)
        users = views.template_users(template, path)
        pages[path] = memo(parts, ("template", shown, repr(template), repr(users), repr(form_link)),
                           functools.partial(render, "pages/template.md.j2", t=template, L=labels,
                                             users=users, form_link=form_link))
    rows = [{"id": t.id, "title": t.title, "href": v.href(v.TEMPLATES_INDEX, v.template_path(t.id)),
             "users": views.template_users(t, v.TEMPLATES_INDEX)} for t in handbook.templates]
    pages[v.TEMPLATES_INDEX] = memo(parts, ("templates-index", shown, repr(rows)),
                                    functools.partial(render, "pages/templates_index.md.j2", L=labels, rows=rows))
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



def overview(chapters: list[v.ChapterView]) -> dict[str, object]:
    """What the overview page shows: a row per standard (page_html makes its HTML from the same)."""
    return {"filter_columns": "2,3,4", "rating": v.href(v.OVERVIEW, v.RATING),
            "rows": [{"id": s.id, "href": v.href(v.OVERVIEW, c.path, s.id), "title": s.title, "chapter": c.title,
                      "frequency": s.frequency, "responsible": s.responsible, "points": s.points}
                     for c in chapters for s in c.standards]}
