from __future__ import annotations

from pathlib import Path

import pytest

from tests.publish.helpers import published_without_forms


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    return published_without_forms(tmp_path_factory)


def test_version_selector_lists_both_editions(public: Path, serve_dir, desktop) -> None:
    base = serve_dir(public)
    page = desktop.new_page()
    try:
        page.goto(base)  # the root redirects to the alias of the edition in force
        page.wait_for_url(f"{base}latest/")
        page.wait_for_selector(".md-version__current", state="attached")
        # Material shows the alias as a badge after the title.
        assert page.inner_text(".md-version__current").split() == ["2026年版latest"]
        links = page.locator(".md-version__list .md-version__link")
        assert ["".join(t.split()) for t in links.all_text_contents()] == ["2026年版latest", "2024年版"]
        assert links.nth(1).get_attribute("href") == f"{base}2024/"
        assert page.locator("[data-md-component=outdated]").is_hidden()
    finally:
        page.close()


def test_superseded_edition_shows_banner_linking_to_edition_in_force(public: Path, serve_dir, desktop) -> None:
    base = serve_dir(public)
    page = desktop.new_page()
    try:
        page.goto(f"{base}2024/chapters/meetings/#HY-01")
        banner = page.locator("[data-md-component=outdated]")
        banner.wait_for(state="visible")
        assert "已被新版本取代" in banner.inner_text()
        banner.locator("a").click()
        page.wait_for_url(f"{base}latest/chapters/meetings/#HY-01")  # a standard that stayed: its own place
        assert page.locator("[id='HY-01']").count() == 1
        assert page.locator("[data-md-component=outdated]").is_hidden()
        assert page.inner_text(".md-version__current").split() == ["2026年版latest"]
    finally:
        page.close()
