"""The bundled handbook through a real `mkdocs build --strict`, read back as a reader gets it."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

import jsonschema

from generator.render.export import handbook_from_export
from generator.render.schema import export_schema
from generator.validate import load_handbook
from tests.conftest import STANDARDS

HANDBOOK = load_handbook(STANDARDS)


class _Ids(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.lang = ""
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang", "")
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def parse(path: Path) -> _Ids:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_bundled_content_is_big_enough() -> None:
    assert len(HANDBOOK.chapters) >= 9
    assert len(HANDBOOK.standards()) >= 60
    assert len(HANDBOOK.templates) >= 6
    assert len(HANDBOOK.glossary) >= 25
    assert "示例" in HANDBOOK.meta.disclaimer


def test_every_standard_id_is_an_anchor_on_its_chapter_page(built_site: Path) -> None:
    for chapter in HANDBOOK.chapters:
        page = parse(built_site / "chapters" / chapter.id / "index.html")
        missing = [s.id for s in chapter.standards if s.id not in page.ids]
        assert not missing, f"{chapter.id}: {missing}"


def test_title_and_language_come_from_the_handbook(built_site: Path) -> None:
    home = parse(built_site / "index.html")
    assert home.lang == "zh"
    assert HANDBOOK.meta.title in home.title
    text = (built_site / "index.html").read_text(encoding="utf-8")
    assert HANDBOOK.edition.label in text
    assert "示例" in text  # the illustrative-edition notice is visible


def test_every_template_and_glossary_term_has_a_page_or_anchor(built_site: Path) -> None:
    for template in HANDBOOK.templates:
        assert (built_site / "record-books" / template.id / "index.html").is_file()
    glossary = parse(built_site / "glossary" / "index.html")
    assert {g.id for g in HANDBOOK.glossary} <= glossary.ids


def test_standards_json_is_the_whole_edition(built_site: Path) -> None:
    data = json.loads((built_site / "standards.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, export_schema())
    assert data["edition"]["id"] == HANDBOOK.edition.id
    assert data["edition"]["title"] == HANDBOOK.meta.title
    first = data["chapters"][0]["standards"][0]
    assert set(first["checks"][0]) == {"text", "points"}
    assert handbook_from_export(data) == HANDBOOK
