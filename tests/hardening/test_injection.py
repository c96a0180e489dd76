"""No script from the YAML through the theme: labels in the navigation, edition labels in Material's version
selector, and ids in content that would replace the theme's settings. Checked in headless Chromium, where a
`dialog` event (an alert) must never fire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_handbook
from tests.publish.helpers import project

NAV_PAYLOAD = "<img src=x onerror=alert('nav')>"
EDITION_PAYLOAD = "<img src=x onerror=alert('edition')>"
# Material reads its settings from the first element with id __config; this one points it at another site's
# versions.json (planted below, under the page's own folder, as `evil/versions.json`).
CONFIG_PAYLOAD = ('<div id="__config">{"base": "evil/x/", "features": [], "search": "x", "translations": {},'
                  ' "version": {"provider": "mike"}}</div>')
EVIL_VERSIONS = [{"version": "x", "title": "<img src=x onerror=alert('config')>", "aliases": []}]


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    root = project(tmp_path_factory.mktemp("injection") / "project")
    handbook = root / "new" / "handbook.yml"
    text = handbook.read_text(encoding="utf-8")
    label = next(line for line in text.splitlines() if line.startswith("  label:"))
    text = text.replace(label, f"  label: {json.dumps(EDITION_PAYLOAD)}", 1)
    handbook.write_text(text + f"labels:\n  chapters: {json.dumps(NAV_PAYLOAD)}\n", encoding="utf-8")
    chapter = min((root / "new" / "chapters").glob("*.yml"))
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  text:"))  # the first standard's text
    lines[at] = f"  text: |\n    {CONFIG_PAYLOAD}\n\n    {lines[at].split(':', 1)[1].strip()}\n"
    chapter.write_text("".join(lines), encoding="utf-8")
    for standards in ("old", "new"):
        result = run_handbook("publish", "--standards", standards, "--no-forms", cwd=root)
        assert result.returncode == 0, result.stderr[-3000:]
    return root / "public"


def _visit(desktop, url: str) -> tuple[object, list[str]]:
    page = desktop.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, dialogs


@pytest.fixture(scope="module")
def edition_home(public: Path, serve_dir, desktop):
    """The poisoned edition's home page, loaded once for the tests that only read it, and its dialogs."""
    page, dialogs = _visit(desktop, serve_dir(public) + "2026/")
    yield page, dialogs
    page.close()


def test_label_in_the_navigation_is_text(edition_home) -> None:
    page, dialogs = edition_home
    assert NAV_PAYLOAD in page.locator(".md-nav").first.inner_text()  # shown as the words it is
    assert page.locator(".md-nav img").count() == 0
    assert dialogs == []


def test_edition_label_in_the_version_selector_is_text(edition_home) -> None:
    page, dialogs = edition_home
    page.wait_for_selector(".md-version__current", state="attached")
    assert EDITION_PAYLOAD in page.locator(".md-version__current").inner_text()
    assert page.locator(".md-version img").count() == 0
    assert dialogs == []


def test_content_cannot_replace_the_theme_settings(public: Path, serve_dir, desktop) -> None:
    chapter = "meetings"  # 01-meetings.yml, poisoned above
    folder = public / "2026" / "chapters" / chapter / "evil"
    folder.mkdir()
    (folder / "versions.json").write_text(json.dumps(EVIL_VERSIONS), encoding="utf-8")
    page, dialogs = _visit(desktop, serve_dir(public) + f"2026/chapters/{chapter}/")
    try:
        assert '"base": "evil/x/"' in page.locator("article").inner_text()  # the text is there, inert
        settings = json.loads(page.evaluate("document.querySelector('#__config').textContent"))
        assert settings["base"] != "evil/x/"
        page.wait_for_selector(".md-version__current", state="attached")
        assert dialogs == []
    finally:
        page.close()


def test_no_payload_is_live_in_the_data_the_theme_reads(public: Path) -> None:
    # Material's version selector inserts versions.json's titles as HTML. (The default search shows
    # its index with textContent only: tests/hardening/test_xss.py types the payloads into it.)
    from tests.hardening.test_xss import audit

    texts = [v["title"] for v in json.loads((public / "versions.json").read_text(encoding="utf-8"))]
    assert any("onerror" in text for text in texts)  # the payloads are there, as text
    assert [text for text in texts if audit(text).findings or "<img" in text] == []
