"""`search: pagefind`: the bundled handbook indexed by Pagefind, searched in Chinese in headless Chromium."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.errors import ToolError
from generator.publish import pagefind
from tests.browser import Offline, visit
from tests.conftest import ROOT, STANDARDS, run_module

QUERIES = {
    "三会一课": "chapters/meetings/",
    "党费": "chapters/dues/",
    "组织生活会": "chapters/org-life/",
    "台账": "chapters/records/",
}
EDITION = "2025"  # built into a sub-folder, as `handbook publish` does with each edition


def write_config(folder: Path, *, material_search: bool = False) -> Path:
    """The project's mkdocs.yml with `search: pagefind` and no forms (they play no part here)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = [{"standards": {"standards": str(STANDARDS), "search": "pagefind", "forms": False}}]
    config["plugins"] = [*plugins, "search"] if material_search else plugins
    config["docs_dir"] = str(ROOT / "docs")
    config.pop("watch", None)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess:
    """A real `mkdocs build --strict`, forked from the worker's fork server (tests/forkserver.py)."""
    return run_module("mkdocs", "build", "--strict", "-f", str(config), "-d", str(site))


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory) -> Path:
    """The bundled handbook built by a real `mkdocs build --strict` with `search: pagefind`."""
    folder = tmp_path_factory.mktemp("pagefind")
    result = mkdocs_build(write_config(folder), folder / EDITION)
    assert result.returncode == 0, result.stderr[-4000:]
    return folder / EDITION


def test_the_site_has_pagefinds_bundle_not_materials_index(pagefind_site: Path) -> None:
    assert (pagefind_site / "pagefind" / "pagefind-ui.js").is_file()
    assert any((pagefind_site / "pagefind" / "index").iterdir())
    assert not (pagefind_site / "search" / "search_index.json").exists()
    chapter = (pagefind_site / "chapters" / "meetings" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../pagefind/pagefind-ui.js"' in chapter  # relative: works in any sub-folder
    assert 'class="md-search"' not in chapter


@pytest.fixture(scope="module")
def search_dialog(desktop, pagefind_site: Path, serve_dir):
    """A chapter page with Pagefind's dialog opened from the header, offline (tests/browser.py: Offline);
    the queries are typed into it one after another."""
    base = serve_dir(pagefind_site.parent) + f"{EDITION}/"
    page = desktop.new_page()
    offline = Offline(page)
    visit(page, base + "chapters/meetings/")
    page.locator(".md-header [data-hb-search]").click()  # moved into Material's header
    yield base, page, offline
    page.close()


@pytest.fixture
def search(search_dialog):
    """The open dialog; afterwards: no request left the local server and none failed."""
    base, page, offline = search_dialog
    yield base, page
    offline.check(page)


@pytest.mark.parametrize("query", QUERIES)
def test_chinese_search_finds_the_right_chapter(search, query: str) -> None:
    base, page = search
    box = page.locator("dialog.hb-search input")
    assert box.get_attribute("placeholder") == "搜索"  # Pagefind's UI in Chinese, from <html lang="zh">
    box.fill("")  # the answers of the query before go
    page.wait_for_function("!document.querySelector('.pagefind-ui__result')")
    box.fill(query)
    page_links = ".pagefind-ui__result-inner > .pagefind-ui__result-title > a"  # not the sections under them
    page.wait_for_function(  # results shown, each one's data loaded (a placeholder until then)
        f"document.querySelector('{page_links}') && !document.querySelector('.pagefind-ui__results "
        ".pagefind-ui__loading')", timeout=15_000)
    pages = page.eval_on_selector_all(page_links, "els => els.map(e => e.href)")
    assert base + QUERIES[query] in pages[:5], f"{query}: {pages[:5]}"


def test_material_search_alongside_is_refused(tmp_path: Path) -> None:
    result = mkdocs_build(write_config(tmp_path, material_search=True), tmp_path / "site")
    assert result.returncode != 0
    assert "search: pagefind replaces Material's search" in result.stderr
    assert "remove `- search`" in result.stderr


def test_without_pagefind_installed_the_error_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # `import` now fails as if not installed
    with pytest.raises(ToolError) as raised:
        pagefind.executable()
    assert 'pip install "pagefind[extended]' in raised.value.hint
