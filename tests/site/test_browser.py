"""A reader in headless Chromium: search in Chinese, filter the overview table."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def search(browser, url: str, query: str) -> list[str]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        page.keyboard.press("End")  # Material searches on keyup
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    finally:
        page.close()


@pytest.mark.parametrize("query", QUERIES)
def test_chinese_search_finds_the_right_chapter(browser, site_url: str, query: str) -> None:
    results = search(browser, site_url, query)
    expected = site_url + QUERIES[query]
    top = results[:5]
    # Material adds ?h=<terms> to highlight the match on the page
    assert any(r.split("?")[0] + (("#" + r.split("#")[1]) if "#" in r else "") == expected
               or r.split("?")[0] == expected for r in top), f"{query}: {top}"


def test_overview_table_filters_by_frequency(browser, site_url: str) -> None:
    page = browser.new_page()
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
