"""Checked files kept on disk: a new process re-checks only the files that changed, and every message
still names the same path:line:col as a load from scratch."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from generator.errors import HandbookError
from generator.load import discover, read_source
from generator.validate import handbook as validate_handbook
from generator.validate import load_handbook, stored
from tests.conftest import FIXTURES, STANDARDS

SALT = "test-code"


def _load(root: Path, cache: Path | None) -> tuple[object, list[str]]:
    """load_handbook as a new process would run it (nothing in memory); the handbook or the messages."""
    validate_handbook._LAST_FILES.clear()
    with validate_handbook.storing_files(cache, SALT):
        try:
            return load_handbook(root), []
        except HandbookError as error:
            return None, [p.format() for p in error.problems]


@pytest.mark.parametrize("root", [STANDARDS, FIXTURES / "food-safety", FIXTURES / "lab-safety"], ids=lambda p: p.name)
def test_every_file_comes_back_equal_with_its_positions(root: Path) -> None:
    paths, _ = discover(root)
    for path in paths:
        source, _ = read_source(path)
        assert source is not None
        model, problems, converter, kind = validate_handbook._load_file(source)
        again, again_problems, nodes, again_kind = stored.decode(stored.encode((model, problems, converter.nodes, kind)))
        assert again == model and again_problems == problems and again_kind == kind
        located = _positions(model, converter.nodes)
        assert located and _positions(again, nodes) == located


def _positions(obj: object, nodes: dict) -> list[tuple[str, int, int, list[str]]]:
    """Every model object in order: its class, the line and column it came from, its node's keys."""
    out: list[tuple[str, int, int, list[str]]] = []
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        node = nodes.get(id(obj))
        if node is not None:
            keys = [f"{k}@{kn.line}:{kn.col}/{vn.line}:{vn.col}" for k, (kn, vn) in node.value.items()]
            out.append((type(obj).__name__, node.line, node.col, keys))
        for f in dataclasses.fields(obj):
            out += _positions(getattr(obj, f.name), nodes)
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            out += _positions(item, nodes)
    return out


def test_a_new_process_checks_only_the_edited_file(tmp_path: Path, checked_files: list[str]) -> None:
    root = tmp_path / "standards"
    shutil.copytree(FIXTURES / "food-safety", root)
    cache = tmp_path / "cache"
    checked = checked_files
    first, _ = _load(root, cache)
    assert sorted(checked) == ["01-storage.yml", "glossary.yml", "handbook.yml", "templates.yml"]

    checked.clear()
    assert _load(root, cache)[0] == first and checked == []  # all four from the disk

    glossary = root / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _load(root, cache)[0] == first and checked == ["glossary.yml"]
    assert len(list(cache.glob("*.json"))) == 4  # the glossary's old entry is gone


def test_messages_into_unchanged_files_keep_their_places(tmp_path: Path) -> None:
    root = tmp_path / "standards"
    shutil.copytree(FIXTURES / "food-safety", root)
    cache = tmp_path / "cache"
    _load(root, cache)
    # Renaming the template leaves the chapter's reference to it dangling: the message points into
    # the chapter file, which comes from the disk.
    templates = root / "templates.yml"
    templates.write_text(templates.read_text(encoding="utf-8").replace("id: TEMP-LOG", "id: TEMP-LOGS"),
                         encoding="utf-8")
    _, cached = _load(root, cache)
    _, fresh = _load(root, None)
    assert cached == fresh
    assert any("01-storage.yml:" in m and "TEMP-LOG" in m for m in cached)


def test_a_damaged_entry_is_checked_again(tmp_path: Path, checked_files: list[str]) -> None:
    root = tmp_path / "standards"
    shutil.copytree(FIXTURES / "food-safety", root)
    cache = tmp_path / "cache"
    first, _ = _load(root, cache)
    for entry in cache.glob("*.json"):
        entry.write_bytes(entry.read_bytes()[:-40])  # a disk that filled up, say
    checked = checked_files
    checked.clear()
    assert _load(root, cache)[0] == first
    assert len(checked) == 4


@dataclasses.dataclass(frozen=True)
class _Points:
    points: float
    each: tuple[float, ...]


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan"), 2.5, 3])
def test_numbers_json_has_no_text_for_come_back_the_same(number: float) -> None:
    """The entries are orjson's JSON, which writes NaN and infinity as null: a YAML `.nan`/`.inf`, in a
    node or in a model's number, must come back as itself, never as nothing."""
    import orjson

    from generator import fs
    from generator.load.yaml import Node
    from generator.model.plain import from_plain, to_plain

    def same(a: object, b: object) -> bool:
        return type(a) is type(b) and repr(a) == repr(b)

    node = Node(value=number, line=3, col=7, kind="scalar")
    again = stored.StoredNodes(object, None, [], fs.json_entry([stored._node(node, {})]))
    again._index = {1: 0}
    assert same(again[1].value, number)
    back = from_plain(_Points, orjson.loads(fs.json_entry(to_plain(_Points, _Points(number, (number, 1.0))))))
    assert same(back.points, number) and same(back.each[0], number)
