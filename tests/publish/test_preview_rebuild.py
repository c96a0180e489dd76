"""`handbook serve` rebuilds in one process, with what the last build left in memory (each chapter's search
entries, the kept parts); after an edit its search index is the one a cold build writes."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from tests.render.test_cache import _build, _edit, _project


@pytest.mark.parametrize("started_again", [False, True], ids=["first preview", "preview started again"])
def test_a_preview_rebuild_after_an_edit_writes_the_search_index_of_a_cold_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started_again: bool) -> None:
    """started_again: a second `handbook serve` of the same source, whose first build takes the whole index
    from the cache: its first save must still make only the edited chapter's entries again."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.publish.build import plugin_options
    from generator.render import search_index

    project = _project(tmp_path, 20)
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "serve-cache"))
    monkeypatch.chdir(project)
    served = tmp_path / "served"
    plugins = plugin_options(project / "mkdocs.yml", standards=str(project / "standards"), forms=False)

    def config():
        made = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(served), plugins=plugins)
        made.site_url = "http://127.0.0.1:8000/"
        return made

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    build(first, serve_url="http://127.0.0.1:8000/")
    plugin = first.plugins["standards"]
    if started_again:
        plugin.run = None  # a new server process: no build of its own before (MkDocs reuses the plugin object)
        made_again: list[str] = []
        entry, index = search_index._standard_entry, search_index.search_files
        monkeypatch.setattr(search_index, "_standard_entry", lambda *args: made_again.append(args[1].id) or entry(*args))
        monkeypatch.setattr(search_index, "search_files", lambda *args, **kwargs: pytest.fail("index made again"))
        restarted = config()
        restarted.plugins.on_startup(command="serve", dirty=False)
        build(restarted, serve_url="http://127.0.0.1:8000/")  # the index from the cache, its entries made now
        monkeypatch.setattr(search_index, "_standard_entry", entry)
        monkeypatch.setattr(search_index, "search_files", index)
        assert made_again == []  # the index and its chapters' entries are on disk: nothing made at the start
    # No build has stored parts for this code: the preview's are, so the next preview starts from them.
    assert list((tmp_path / "serve-cache" / "site-parts").glob("*.json"))
    before = (served / "search" / "handbook" / "e0.json").read_text(encoding="utf-8")
    _edit(project / "standards")
    made: list[str] = []
    entry = search_index._standard_entry
    monkeypatch.setattr(search_index, "_standard_entry", lambda *args: made.append(args[1].id) or entry(*args))
    again = config()
    assert again.plugins["standards"] is plugin  # one server: the plugin and what its last build kept
    build(again, serve_url="http://127.0.0.1:8000/")
    edited = min((project / "standards" / "chapters").glob("*.yml")).read_text(encoding="utf-8")
    assert made and all(f"id: {std_id}" in edited for std_id in made)  # the edited chapter's entries only
    _build(project, "cold", tmp_path / "cold-cache")
    written = sorted(p.relative_to(project / "cold") for p in (project / "cold" / "search").rglob("handbook*/*"))
    assert written
    assert [str(p) for p in written if not filecmp.cmp(project / "cold" / p, served / p, shallow=False)] == []
    assert (served / "search" / "handbook" / "e0.json").read_text(encoding="utf-8") != before


def test_a_preview_keeps_what_the_last_handbook_build_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's theme output is kept by everything the theme reads, the site URL included, so a preview's
    differ from a build's: the preview must not prune the build's, or the next `handbook build` after a
    preview renders every page's frame again."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.publish.build import plugin_options

    project = _project(tmp_path, 10)
    cache = tmp_path / "cache"
    _build(project, "site", cache)
    theme = cache / "theme"
    stored = {p.name for p in theme.glob("*.html")}
    assert len(stored) > 5
    kept = {kind: _files(cache / kind) for kind in ("site-parts", "handbook-search-counts", "site")}
    assert all(kept.values())
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(cache))
    monkeypatch.chdir(project)
    plugins = plugin_options(project / "mkdocs.yml", standards=str(project / "standards"), forms=False)
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "served"), plugins=plugins)
    config.site_url = "http://127.0.0.1:8000/"
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    previewed = {p.name for p in theme.glob("*.html")}
    assert stored < previewed  # the preview's own outputs beside the build's
    # The kept parts (calendar events carry the site URL) and the whole site's note stay the build's.
    for kind, files in kept.items():
        assert _files(cache / kind) == files, kind
    _build(project, "site", cache)  # the next build prunes the preview's
    assert {p.name for p in theme.glob("*.html")} == stored


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}
