"""The adapters patch MkDocs' and Material's internals for one build only: after a build, and after a
failing one, Material's search module has its own jieba again and its plugin its own search index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.build.adapters import material
from generator.build.adapters import mkdocs as mkdocs_host
from tests.conftest import FOOD_SAFETY, ROOT

jieba = pytest.importorskip("jieba")
_ADD_FILES_FROM_THEME = __import__("mkdocs.structure.files").structure.files.Files.add_files_from_theme


def _project(tmp_path: Path, *, failing: bool = False) -> Path:
    shutil.copytree(FOOD_SAFETY, tmp_path / "standards")
    (tmp_path / "docs").mkdir()
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [{"standards": {"standards": "standards", "search": "material", "forms": False}}, "search"]
    config.pop("watch", None)
    if failing:  # a hook that fails after the search caches are in, while pages are converted
        (tmp_path / "hooks.py").write_text("def on_page_markdown(markdown, **kwargs):\n"
                                           "    raise RuntimeError('a failing hook')\n", encoding="utf-8")
        config["hooks"] = ["hooks.py"]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return tmp_path / "mkdocs.yml"


def _build(config_file: Path, monkeypatch) -> tuple[object, material.SearchCaches, Exception | None]:
    """Build in this process: Material's search plugin, the SearchCaches the build installed, the error if any."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(config_file.parent / "cache"))
    monkeypatch.setenv("HANDBOOK_JOBS", "1")
    installed = []
    real_install = material.install
    monkeypatch.setattr(material, "install", lambda *a: installed.append(real_install(*a)) or installed[-1])
    config = load_config(str(config_file), site_dir=str(config_file.parent / "site"))
    error = None
    try:
        build(config)
    except Exception as failed:  # noqa: BLE001 - the test looks at it
        error = failed
    return material._search_plugin(config.plugins), installed[0], error


def _host_as_shipped(plugin) -> None:
    from material.plugins.search import plugin as material_search
    from mkdocs.structure.files import Files

    assert Files.add_files_from_theme is _ADD_FILES_FROM_THEME  # MkDocs' own again

    assert material_search.jieba is jieba
    assert type(plugin.search_index) is material_search.SearchIndex


def test_a_build_leaves_material_as_it_found_it(tmp_path: Path, monkeypatch) -> None:
    plugin, caches, error = _build(_project(tmp_path), monkeypatch)
    assert error is None
    assert caches.segments is not None and caches.entries is not None  # they were in use during the build
    assert (tmp_path / "site" / "search" / "search_index.json").is_file()
    _host_as_shipped(plugin)


def test_a_failing_build_leaves_material_as_it_found_it(tmp_path: Path, monkeypatch) -> None:
    plugin, caches, error = _build(_project(tmp_path, failing=True), monkeypatch)
    assert isinstance(error, RuntimeError) and str(error) == "a failing hook"
    assert caches.segments is not None and caches.entries is not None
    _host_as_shipped(plugin)


def test_an_untested_material_builds_without_the_caches(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(material, "TESTED", ("0.0.",))
    plugin, caches, error = _build(_project(tmp_path), monkeypatch)
    assert error is None
    assert caches.segments is None and caches.entries is None
    assert (tmp_path / "site" / "search" / "search_index.json").is_file()
    _host_as_shipped(plugin)


def test_the_stored_listing_of_the_theme_files_follows_a_projects_own_theme_folder(tmp_path: Path) -> None:
    # What MkDocs finds walking the theme folders, from the listing stored (in memory and on disk).
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config_file = _project(tmp_path)
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "extra.css").write_text("a {}", encoding="utf-8")
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["theme"]["custom_dir"] = "overrides"
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))

    def listed(*, own: bool, fresh: bool = False) -> list[tuple[str, str]]:
        if fresh:
            mkdocs_host._THEME_LISTINGS.clear()
        files = Files([])
        restore = mkdocs_host.install_theme_files(tmp_path / "cache") if not own else (lambda: None)
        try:
            files.add_files_from_theme(config.theme.get_env(), config)
        finally:
            restore()
        return [(f.src_uri, str(f.abs_src_path)) for f in files]

    mkdocs_own = listed(own=True)
    assert ("extra.css", str(tmp_path / "overrides" / "extra.css")) in mkdocs_own
    assert listed(own=False) == listed(own=False) == listed(own=False, fresh=True) == mkdocs_own
    (tmp_path / "overrides" / "more.js").write_text("//", encoding="utf-8")  # a file added to the folder
    assert listed(own=False) == listed(own=True) != mkdocs_own
    assert Files.add_files_from_theme is _ADD_FILES_FROM_THEME
