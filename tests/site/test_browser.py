"""A reader in headless Chromium: search in Chinese, filter the overview table."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import search_quality as sq

QUERIES = {
    "三会一课": "chapters/meetings/",
    "党费": "chapters/dues/",
    "组织生活会": "chapters/org-life/",
    "台账": "chapters/records/",
    "主题党日": "chapters/theme-day/",
    "生活会": "chapters/org-life/",
    "SHYK-01": "chapters/meetings/#SHYK-01",
}


@pytest.fixture(scope="module")
def site_url(built_site: Path, serve_dir) -> str:
    return serve_dir(built_site)


@pytest.fixture(scope="module")
def search_page(desktop, site_url: str):
    """A page with the search box open (the default engine, opened with `/`): the queries are typed one after another."""
    page = sq.open_search(desktop, site_url, "handbook")
    yield page
    page.close()


@pytest.mark.parametrize("query", QUERIES)
def test_chinese_search_finds_the_right_chapter(search_page, site_url: str, query: str) -> None:
    top = sq.ask(search_page, "handbook", site_url, sq.Query(q=query, kind="", expect=())).results[:5]
    assert [r for r in top if r.startswith(QUERIES[query])], f"{query}: {top}"


def test_overview_table_filters_by_frequency(desktop, site_url: str) -> None:
    page = desktop.new_page()
    page.goto(site_url + "overview/")
    rows = page.locator(".hb-overview tbody tr")
    total = rows.count()
    selects = page.locator(".hb-filters select")
    assert selects.count() == 3
    frequency = selects.nth(1)
    option = frequency.locator("option").nth(1).text_content()
    frequency.select_option(option)
    visible = page.locator(".hb-overview tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    for i in range(visible.count()):
        assert option in visible.nth(i).locator("td").nth(3).text_content()
    page.close()
