"""`handbook serve --standards DIR --no-forms` reaches the plugin as its own options, not the environment."""

from __future__ import annotations

from pathlib import Path

from generator.publish.build import plugin_options


def _options(tmp_path: Path, plugins: str) -> dict:
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(f"site_name: t\ntheme: material\nplugins:\n{plugins}", encoding="utf-8")
    override = plugin_options(config_file, standards="/elsewhere/standards", forms=False)
    first, again = (load_config(str(config_file), plugins=override) for _ in range(2))  # as serve, on every save
    assert dict(again.plugins["standards"].config) == dict(first.plugins["standards"].config)
    return dict(again.plugins["standards"].config)


def test_the_options_override_the_plugins_settings_and_keep_the_rest(tmp_path: Path) -> None:
    options = _options(tmp_path, "  - standards:\n      standards: mine\n      search: material\n  - search\n")
    assert options == {"standards": "/elsewhere/standards", "forms": False, "search": "material", "editions": "",
                       "published": ""}


def test_a_plugin_listed_by_name_only_gets_them_too(tmp_path: Path) -> None:
    options = _options(tmp_path, "  - standards\n")
    assert (options["standards"], options["forms"]) == ("/elsewhere/standards", False)
