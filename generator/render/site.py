"""Everything the website adds to MkDocs: pages, assets, navigation, settings, data files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.model import Handbook
from generator.render import views as v
from generator.render.export import export_json
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


def build_site(handbook: Handbook, *, user_pages: list[str] = ()) -> Site:
    """The generated part of the site for one handbook; pure."""
    pages = render_pages(handbook)
    assets = {f"assets/handbook/{p.name}": p for p in sorted((ASSETS / "site").iterdir())}
    import json

    data = {
        "standards.json": export_json(handbook),
        "standards.schema.json": json.dumps(export_schema(), ensure_ascii=False, indent=1) + "\n",
    }
    return Site(
        pages=pages,
        assets=assets,
        css=[uri for uri in assets if uri.endswith(".css")],
        js=[uri for uri in assets if uri.endswith(".js")],
        nav=_nav(handbook, pages, user_pages),
        data=data,
    )


def _nav(handbook: Handbook, pages: dict[str, str], user_pages: list[str]) -> list:
    label = handbook.label
    chapters = [v.chapter_path(c.id) for c in handbook.chapters]
    nav: list = [v.HOME, {label("chapters"): chapters}, v.OVERVIEW,
                 {label("templates"): [v.TEMPLATES_INDEX] + [v.template_path(t.id) for t in handbook.templates]},
                 v.GLOSSARY]
    nav += [path for path in pages if path.startswith("forms/index") or path == "changes.md"]
    nav += [path for path in user_pages if path not in pages]
    return nav


def site_settings(handbook: Handbook) -> dict[str, object]:
    """Settings the site takes from the handbook rather than from mkdocs.yml."""
    title = handbook.meta.title
    notice = " ".join(handbook.meta.disclaimer.replace("**", "").split())
    return {
        "site_name": title,
        "language": handbook.meta.language,
        "notice": f"{handbook.edition.label} · {notice}" if notice else handbook.edition.label,
    }
