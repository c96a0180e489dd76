"""The generated pages made directly (generator/render/page_html.py) are what MkDocs's Markdown makes.

For every generated page of the bundled handbook, the English fixtures and a benchmark handbook,
the page goes once through MkDocs's own `Page.render` (Markdown with the configured extensions)
and once through the direct path; the HTML, table of contents, title, anchors and recorded links
must be the same. Pages the direct path declines are checked to be declined, not skipped silently.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.build.adapters import mkdocs as mkdocs_host
from generator.render import annual_plan, page_html
from generator.render import views as v
from generator.render.site import build_site
from generator.validate import load_handbook
from tests.conftest import FIXTURES, ROOT, STANDARDS


def _config(mkdocs_yml: Path = ROOT / "mkdocs.yml"):
    config = load_config(str(mkdocs_yml))
    config.plugins._current_plugin = "standards"  # File.generated names the plugin making the file
    return config


def _files(config, pages: dict[str, str]) -> Files:
    return Files([File.generated(config, path, content=markdown) for path, markdown in sorted(pages.items())])


def _tokens(items) -> list:
    return [(i.title, i.id, i.level, _tokens(i.children)) for i in items]


def _rendered(page: Page) -> dict:
    return {"html": page.content, "toc": _tokens(page.toc), "title": page._title_from_render,
            "anchors": page.present_anchor_ids,
            "links": [(f.src_uri, list(links.items())) for f, links in (page.links_to_anchors or {}).items()]}


def _compare(root: Path, history: dict[str, str] | None = None, forms: bool = False,
             mkdocs_yml: Path = ROOT / "mkdocs.yml") -> list[str]:
    """Every generated page both ways; returns the paths made directly."""
    handbook = load_handbook(root)
    site = build_site(handbook, history=history, forms_site_url="" if forms else None)
    config = _config(mkdocs_yml)
    files = _files(config, site.pages)
    direct = mkdocs_host.DirectPages(handbook, history, site.pages, config)
    made = []
    for file in files.documentation_pages():
        by_markdown, by_us = Page(None, file, config), Page(None, file, config)
        for page in (by_markdown, by_us):
            page.read_source(config)
        by_markdown.render(config, files)
        if direct.render(by_us, files):
            made.append(file.src_uri)
            assert _rendered(by_us) == _rendered(by_markdown), file.src_uri
    return made


def _direct(root: Path) -> list[str]:
    """The pages made directly: the chapters, the overview and the annual plan."""
    return sorted([*(v.chapter_path(c.id) for c in load_handbook(root).chapters), v.OVERVIEW, annual_plan.PLAN_PAGE])


@pytest.mark.parametrize("root", [STANDARDS, FIXTURES / "food-safety", FIXTURES / "lab-safety"],
                         ids=["bundled", "food-safety", "lab-safety"])
def test_every_page_made_directly_is_what_markdown_makes(root: Path) -> None:
    assert sorted(_compare(root)) == _direct(root)


def test_pages_with_history_lines_and_forms_are_the_same(tmp_path: Path) -> None:
    handbook = load_handbook(STANDARDS)
    history = {s.id: f"2025 版起施行，{i} 次修订" for i, (_, s) in enumerate(handbook.standards())}
    assert sorted(_compare(STANDARDS, history, forms=True)) == _direct(STANDARDS)


def test_other_permalink_settings_are_followed(tmp_path: Path) -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      permalink: true\n" in text
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text(text.replace("      permalink: true\n", '      permalink: "#"\n      permalink_title: Link\n'),
                          encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "standards").mkdir()  # watched by mkdocs.yml
    root = FIXTURES / "food-safety"
    assert sorted(_compare(root, mkdocs_yml=mkdocs_yml)) == _direct(root)


def test_the_benchmark_handbook_is_made_directly_and_the_same(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_handbook import write_handbook

    root = write_handbook(120, tmp_path / "standards")
    assert sorted(_compare(root)) == _direct(root)


def _edit_first_standard(root: Path, old: str, new: str) -> None:
    path = min((root / "chapters").glob("*.yml"))
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("text", [
    "A rule with a list:\n\n- one\n- two",
    "A rule with [a link](https://example.org) and `code`.",
    "A rule\n## with a heading",
    "A rule with <b>HTML</b> & an entity",
    "A rule with *emphasis* and a_b_c",
    "A rule with a line break  \nhere",
], ids=["list", "link", "heading", "html", "emphasis", "break"])
def test_a_page_with_other_markdown_is_left_to_markdown(tmp_path: Path, text: str) -> None:
    root = tmp_path / "food-safety"
    shutil.copytree(FIXTURES / "food-safety", root)
    handbook = load_handbook(root)
    first_chapter, first = next(iter(handbook.standards()))
    changed = dataclasses.replace(first_chapter, standards=(dataclasses.replace(first, text=text),
                                                             *first_chapter.standards[1:]))
    view = v.Views(handbook).chapter(changed)
    settings = page_html.settings(*_extensions(_config()))
    assert settings is not None
    assert page_html.chapter_html(view, handbook.labels, settings, lambda href: href) is None


def test_paragraphs_with_bold_spans_across_lines_are_the_same(tmp_path: Path) -> None:
    root = tmp_path / "food-safety"
    shutil.copytree(FIXTURES / "food-safety", root)
    first = next(s for _, s in load_handbook(root).standards())
    path = next(p for p in sorted((root / "chapters").glob("*.yml")) if f"id: {first.id}" in p.read_text())
    _write_text(path, first.id, "**Two** paragraphs, the first **bold across\na line**.\n\n\nThe second: plain!")
    assert "bold across\na line" in next(s for _, s in load_handbook(root).standards()).text
    assert sorted(_compare(root)) == _direct(root)


def _write_text(path: Path, std_id: str, text: str) -> None:
    """Give the standard std_id the text (a YAML block scalar)."""
    import yaml

    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {std_id}")
    indent = " " * (len(lines[start]) - len(lines[start].lstrip()) + 2)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(indent + "text:"))
    stop = end + 1
    while stop < len(lines) and (lines[stop].startswith(indent + " ") or not lines[stop].strip()):
        stop += 1
    block = "".join(f"{indent}  {line}\n" if line else "\n" for line in text.split("\n"))
    lines[end:stop] = [f"{indent}text: |\n", block]
    path.write_text("".join(lines), encoding="utf-8")
    yaml.safe_load(path.read_text(encoding="utf-8"))


def _extensions(config) -> tuple:
    return config["markdown_extensions"], config["mdx_configs"]


def test_settings_markdown_cannot_be_matched_leave_every_page_to_markdown() -> None:
    assert page_html.settings(["toc", "tables", "abbr"], {}) is None  # abbreviations change plain text
    assert page_html.settings(["toc", "tables"], {"toc": {"toc_depth": 2}}) is None
    assert page_html.settings(["toc", "tables"], {"tables": {"use_align_attribute": True}}) is None
    assert page_html.settings(["toc", "tables", "md_in_html"], {}) is None  # `{ #id }` would stay text
    made = page_html.settings(["toc", "tables", "fenced_code", "attr_list", "md_in_html"], {"toc": {"permalink": "#"}})
    assert made is not None and made.permalink == "#"
