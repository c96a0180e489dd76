"""The MkDocs page loop's caches (converted pages, sanitized HTML, the theme's output per page) give
exactly what a cold build writes, after edits that reach one page or every page."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from generator.build.adapters import mkdocs as mkdocs_host
from tests.render.test_cache import _build, _differences, _edit, _project


def _entries(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for kind in ("pages", "theme") for p in (cache / kind).glob("*")}


def _rename_chapter(standards: Path) -> None:
    path = min((standards / "chapters").glob("*.yml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: ", "title: 改名的章，", text, count=1, flags=re.MULTILINE), encoding="utf-8")


def _edit_glossary(standards: Path) -> None:
    path = standards / "glossary.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  definition: ", "  definition: 改过的释义，", 1), encoding="utf-8")


def _move_edition_date(standards: Path) -> None:
    path = standards / "handbook.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"effective: \d{4}-\d\d-\d\d", "effective: 2026-03-02", text, count=1),
                    encoding="utf-8")


def _edit_last_standard(standards: Path) -> None:
    """A chapter's last standard: its page's content changes, not its description (the first paragraph)."""
    path = min((standards / "chapters").glob("*.yml"))
    head, sep, tail = path.read_text(encoding="utf-8").rpartition("  text: '")
    path.write_text(head + sep + "末条新增的文字，" + tail, encoding="utf-8")


def test_one_standard_edited_renders_one_page_and_the_site_equals_a_cold_build(tmp_path: Path) -> None:
    project = _project(tmp_path, 60)
    cache = tmp_path / "cache"
    _build(project, "cold", cache)
    theme = sorted((cache / "theme").glob("*.html"))
    assert len(theme) >= 5  # one stored output per page
    before = _entries(cache)

    _edit(project / "standards")
    _build(project, "warm", cache)
    _build(project, "cold-edited", tmp_path / "empty")
    assert _differences(project / "cold-edited", project / "warm") == []
    assert _differences(project / "cold", project / "warm") != []
    after = _entries(cache)
    new_theme = [name for name in after if name.endswith(".html") and name not in before]
    # The edited chapter's page (and the pages listing the standard's text) are rendered again, not all
    assert 1 <= len(new_theme) <= 3, new_theme
    assert len([n for n in after if n.endswith(".html")]) == len(theme)  # the replaced outputs are pruned


@pytest.mark.parametrize("edit", [_rename_chapter, _edit_glossary, _move_edition_date, _edit_last_standard],
                         ids=["chapter title", "glossary entry", "edition date", "a later standard's text"])
def test_edits_that_reach_other_pages_rebuild_exactly_what_a_cold_build_writes(tmp_path: Path, edit) -> None:
    project = _project(tmp_path, 30)
    cache = tmp_path / "cache"
    _build(project, "cold", cache)
    edit(project / "standards")
    _build(project, "warm", cache)
    _build(project, "cold-edited", tmp_path / "empty")
    assert _differences(project / "cold-edited", project / "warm") == []
    assert _differences(project / "cold", project / "warm") != []


class _Context(dict):
    pass


def test_a_page_whose_context_holds_an_unknown_object_is_rendered_afresh(tmp_path: Path) -> None:
    # A value the key cannot describe (a plugin's object, say) may change what the page shows.
    class Opaque:
        pass

    with pytest.raises(mkdocs_host._Unknown):
        mkdocs_host._plain({"value": Opaque()})
    outputs = mkdocs_host.ThemeOutputs(tmp_path)
    made = []

    def make() -> str:
        made.append(1)
        return "<html>"

    env = jinja2.Environment()
    template = env.from_string("x")
    assert outputs.render(template, _Context(page=Opaque(), nav=None), make) == "<html>"
    assert outputs.render(template, _Context(page=Opaque(), nav=None), make) == "<html>"
    assert len(made) == 2 and not list((tmp_path / "theme").glob("*"))


def test_an_environment_with_a_foreign_filter_is_never_cached() -> None:
    env = jinja2.Environment()
    env.filters["shout"] = str.upper  # another plugin's filter may read anything
    with pytest.raises(mkdocs_host._Unknown):
        mkdocs_host.ThemeOutputs(None)._build_salt(env, {"nav": None})


def test_a_project_template_that_mentions_a_description_keys_every_page_by_all_descriptions(tmp_path: Path) -> None:
    # Material reads another page's icon or status, never its description; a project's own template might.
    own = tmp_path / "overrides"
    own.mkdir()
    (own / "main.html").write_text("{{ page.title }}", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(own)]))
    folders, descriptions = mkdocs_host._template_folders(env)
    assert not descriptions and folders[0].startswith(str(own))
    (own / "main.html").write_text("{% for p in nav.pages %}{{ p.meta.description }}{% endfor %}", encoding="utf-8")
    changed, descriptions = mkdocs_host._template_folders(env)
    assert descriptions and changed != folders  # the folder's text is in the key too


class _Nav:
    items: tuple = ()
    homepage = None


def test_the_404_page_is_stored_and_the_sitemap_is_rendered_each_time(tmp_path: Path) -> None:
    # The 404 page shows the whole navigation (its key has it); the sitemap reads each page's date (not in the key).
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(tmp_path / "overrides")]))
    outputs = mkdocs_host.ThemeOutputs(tmp_path)
    made: list[str] = []

    def render(name: str, base_url: str = "/") -> str:
        template = env.from_string("x")
        template.name = name
        context = _Context(page=None, nav=_Nav(), pages=[], config={}, base_url=base_url)
        return outputs.render(template, context, lambda: made.append(name) or f"<{name} {base_url}>")

    assert render("404.html") == render("404.html") == "<404.html />"
    assert render("404.html", "/docs/") == "<404.html /docs/>"  # the rest of the context is in the key
    assert render("sitemap.xml") == render("sitemap.xml")
    assert made == ["404.html", "404.html", "sitemap.xml", "sitemap.xml"]
    assert len(list((tmp_path / "theme").glob("*.html"))) == 2
