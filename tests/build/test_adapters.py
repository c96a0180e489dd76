"""The adapters patch MkDocs' and Material's internals for one build only: after a build, and after a
failing one, Material's search module has its own jieba again and its plugin its own search index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.build.adapters import material
from tests.conftest import FOOD_SAFETY, ROOT

jieba = pytest.importorskip("jieba")


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
