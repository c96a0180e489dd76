"""After edits that reach many parts of the site, a warm build writes the bytes a cold build writes.

tests/render/test_cache.py edits one standard's text; here a chapter title, a glossary entry, a
removed standard and a renamed one go through `handbook build` with the caches of the build before
(the site's kept parts, the search index's per-field counts), against a build with an empty cache.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.render.test_cache import _build, _differences, _project


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _retitle_redefine_remove(standards: Path) -> None:
    chapters = sorted((standards / "chapters").glob("*.yml"))
    last = _load(chapters[-1])
    last["title"] += "（修订）"
    _dump(chapters[-1], last)
    glossary = _load(standards / "glossary.yml")
    glossary["glossary"][0]["definition"] += "（补充说明）"
    _dump(standards / "glossary.yml", glossary)
    first = _load(chapters[0])
    removed = first["standards"].pop(1)
    gone = removed["id"]
    _dump(chapters[0], first)
    handbook = _load(standards / "handbook.yml")
    handbook["rating"]["total"] -= removed["points"]  # the points must still add up
    _dump(standards / "handbook.yml", handbook)
    for path in [*chapters, standards / "glossary.yml"]:
        data = _load(path)
        for item in data.get("standards", []):
            item["related"] = [i for i in item.get("related", []) if i != gone]
        for term in data.get("glossary", []):
            term["see"] = [i for i in term.get("see", []) if i != gone]
        _dump(path, data)


def _rename(standards: Path) -> None:
    first = _load(min((standards / "chapters").glob("*.yml")))
    old = first["standards"][0]["id"]
    for path in standards.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"\b{re.escape(old)}\b", old + "X", text), encoding="utf-8")


def test_warm_builds_after_wide_edits_are_byte_identical_to_cold_ones(tmp_path: Path) -> None:
    project = _project(tmp_path, 30)
    cache = tmp_path / "cache"
    _build(project, "before", cache)
    for step, edit in enumerate((_retitle_redefine_remove, _rename)):
        edit(project / "standards")
        _build(project, f"warm{step}", cache)
        _build(project, f"cold{step}", tmp_path / f"empty{step}")
        assert _differences(project / f"cold{step}", project / f"warm{step}") == []
        assert _differences(project / "before", project / f"warm{step}") != []


def _relate_across(standards: Path) -> str:
    """The second chapter's first standard links the first chapter's last one; returns that one's ID."""
    chapters = sorted((standards / "chapters").glob("*.yml"))
    first, second = _load(chapters[0]), _load(chapters[1])
    target = first["standards"][-1]["id"]
    second["standards"][0]["related"] = [*second["standards"][0].get("related", []), target]
    _dump(chapters[1], second)
    return target


def _move_and_relabel(standards: Path, moved: str) -> None:
    """The linked standard moves to the third chapter (the linking chapter's file is left as it was), and a
    frequency and a role get new labels in handbook.yml (every page, event and search entry that shows them)."""
    chapters = sorted((standards / "chapters").glob("*.yml"))
    first, third = _load(chapters[0]), _load(chapters[2])
    third["standards"].append(next(s for s in first["standards"] if s["id"] == moved))
    first["standards"] = [s for s in first["standards"] if s["id"] != moved]
    _dump(chapters[0], first)
    _dump(chapters[2], third)
    handbook = _load(standards / "handbook.yml")
    vocabulary = handbook["vocabulary"]
    vocabulary["frequencies"][2]["label"] += "（改）"
    vocabulary["roles"][0]["label"] += "（改）"
    _dump(standards / "handbook.yml", handbook)


def test_a_page_whose_file_is_unchanged_follows_what_it_reads_from_other_files(tmp_path: Path) -> None:
    """Pages are kept by their inputs (the chapter file's digest, the pages its links point to, the labels
    and terms): a chapter page whose file did not change still shows a link's new target and new terms."""
    project = _project(tmp_path, 30)
    moved = _relate_across(project / "standards")
    cache = tmp_path / "cache"
    _build(project, "before", cache)
    _move_and_relabel(project / "standards", moved)
    _build(project, "warm", cache)
    _build(project, "cold", tmp_path / "empty")
    assert _differences(project / "cold", project / "warm") == []
    second = sorted((project / "standards" / "chapters").glob("*.yml"))[1]
    page = (project / "warm" / "chapters" / _load(second)["chapter"] / "index.html").read_text(encoding="utf-8")
    third = _load(sorted((project / "standards" / "chapters").glob("*.yml"))[2])["chapter"]
    assert f"../{third}/#{moved}" in page and "（改）" in page
