"""The handbook's website pages, as Markdown text keyed by their path under docs/."""

from __future__ import annotations

from generator.model import Handbook
from generator.render import views as v
from generator.render.jinja import render


def render_pages(handbook: Handbook, *, history: dict[str, str] | None = None,
                 extra_links: tuple[v.Link, ...] = ()) -> dict[str, str]:
    """Every generated page; pure, so the same handbook always gives the same text.

    history: one line per standard ID (in force since…, changed in…), from the editions.
    extra_links: more entries for the home page (forms, revision notes) from later stages.
    """
    views = v.Views(handbook, history)
    labels = handbook.labels
    pages: dict[str, str] = {}
    chapters = [views.chapter(chapter) for chapter in handbook.chapters]
    for chapter in chapters:
        pages[chapter.path] = render("pages/chapter.md.j2", chapter=chapter, L=labels)
    pages[v.HOME] = render(
        "pages/home.md.j2", meta=handbook.meta, edition=handbook.edition, L=labels,
        chapters=[{"title": c.title, "path": c.path, "count": len(c.standards),
                   "points": sum(s.points for s in c.standards)} for c in chapters],
        links={"overview": v.OVERVIEW, "templates": v.TEMPLATES_INDEX, "glossary": v.GLOSSARY,
               "extra": [v.Link(text=link.text, href=v.href(v.HOME, link.href)) for link in extra_links]},
    )
    pages[v.OVERVIEW] = render(
        "pages/overview.md.j2", L=labels, filter_columns="2,3,4",
        rows=[{"id": s.id, "href": v.href(v.OVERVIEW, c.path, s.id), "title": s.title, "chapter": c.title,
               "frequency": s.frequency, "responsible": s.responsible, "points": s.points}
              for c in chapters for s in c.standards],
    )
    for template in handbook.templates:
        path = v.template_path(template.id)
        pages[path] = render("pages/template.md.j2", t=template, L=labels,
                             users=views.template_users(template, path), form_link=None)
    pages[v.TEMPLATES_INDEX] = render(
        "pages/templates_index.md.j2", L=labels,
        rows=[{"id": t.id, "title": t.title, "href": v.href(v.TEMPLATES_INDEX, v.template_path(t.id)),
               "users": views.template_users(t, v.TEMPLATES_INDEX)}
              for t in handbook.templates],
    )
    pages[v.GLOSSARY] = render(
        "pages/glossary.md.j2", L=labels,
        terms=[{"id": g.id, "term": g.term, "definition": g.definition.strip(),
                "aliases": labels["list_sep"].join(g.aliases),
                "see": [views.standard_link(v.GLOSSARY, s) for s in g.see]} for g in handbook.glossary],
    )
    return pages

