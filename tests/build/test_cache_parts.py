"""Parts kept on disk (build/cache.py, orjson's JSON): each part comes back as it was put, texts and
numbers alike; a foreign or damaged file is a miss, never an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import fs
from generator.build import cache

VALUES = {"text": "标准 S001\n{ #S001 }\t\u2028", "empty": "", "counts": ["支 部", "1 2", 5],
          "nested": {"a": [1, 2.5, None, True], "b": "x"}, "number": 7}


def _fresh(folder: Path, kind: str) -> cache.Parts:
    cache._PARTS.clear()  # as in a new process: from the file
    return cache.Parts(folder, kind)


def test_parts_come_back_equal_and_are_written_back_the_same(tmp_path: Path) -> None:
    parts = cache.Parts(tmp_path, "k")
    for key, value in VALUES.items():
        parts[key] = value
    parts.save()
    path = next((tmp_path / "k").iterdir())
    written = path.read_bytes()

    again = _fresh(tmp_path, "k")
    assert dict(again) == VALUES and {k: again[k] for k in VALUES} == VALUES
    again.save()  # nothing new, nothing gone: not written again
    assert path.read_bytes() == written

    again = _fresh(tmp_path, "k")
    for key in VALUES:
        if key != "number":
            again[key]
    again.save()  # this build's parts only: written again
    assert dict(_fresh(tmp_path, "k")) == {k: v for k, v in VALUES.items() if k != "number"}
    again = _fresh(tmp_path, "k")
    for key in VALUES:
        if key != "number":
            again[key]
    again["number"] = 7
    again.save()
    assert path.read_bytes() == written


def test_a_foreign_or_damaged_file_is_a_miss(tmp_path: Path) -> None:
    parts = cache.Parts(tmp_path, "k")
    parts["good"] = ["a"]
    parts.save()
    path = next((tmp_path / "k").iterdir())
    data = fs.read_entry(path)
    assert data is not None
    fs.write_entry(path, data.replace(b'["a"]', b'["a"}'))  # verified bytes, not JSON
    again = _fresh(tmp_path, "k")
    assert again.get("good") is None and dict(again) == {}
    path.write_bytes(path.read_bytes()[:-3])  # truncated
    assert dict(_fresh(tmp_path, "k")) == {}


def test_an_edit_writes_what_changed_beside_the_whole_until_that_is_a_quarter_of_it(tmp_path: Path) -> None:
    parts = cache.Parts(tmp_path, "k")
    for i in range(40):
        parts[f"p{i}"] = f"第{i}条 " * 40
    parts.save()
    whole = tmp_path / "k" / f"{cache.code_digest()}.json"
    written = whole.read_bytes()

    edited = _fresh(tmp_path, "k")  # an edit: one part made again under another key
    for i in range(1, 40):
        edited[f"p{i}"]
    edited["q0"] = "改"
    edited.save()
    assert whole.read_bytes() == written  # the whole is not written again: what changed is, beside it
    expected = {**{f"p{i}": f"第{i}条 " * 40 for i in range(1, 40)}, "q0": "改"}
    assert dict(_fresh(tmp_path, "k")) == expected

    edited = _fresh(tmp_path, "k")  # many edits: the whole written again, with this build's parts only
    for i in range(20, 40):
        edited[f"p{i}"]
    for i in range(20):
        edited[f"r{i}"] = "新" * 200
    edited.save()
    assert whole.read_bytes() != written and not list(whole.parent.glob("*.changes"))
    expected = {**{f"p{i}": f"第{i}条 " * 40 for i in range(20, 40)}, **{f"r{i}": "新" * 200 for i in range(20)}}
    assert dict(_fresh(tmp_path, "k")) == expected


def test_a_shelf_reads_what_it_is_asked_for_and_keeps_this_builds_values_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache._SHELVES.clear()
    shelf = cache.Shelf(tmp_path, "s")
    shelf["a"], shelf["b"], shelf["c"] = [1], {"x": "支部"}, "text"
    shelf.save()
    folder = tmp_path / "s"
    assert len(list(folder.glob("*.json"))) == 3  # one file each

    cache._SHELVES.clear()  # as in a new process: from the files
    shelf = cache.Shelf(tmp_path, "s")
    read: list[Path] = []
    reading = fs.read_json_entry
    monkeypatch.setattr(fs, "read_json_entry", lambda path: read.append(path) or reading(path))
    assert "a" in shelf and "z" not in shelf and read == []  # found without reading
    assert shelf["b"] == {"x": "支部"} and len(read) == 1
    shelf.save()  # c neither read nor found: its file is removed
    assert len(list(folder.glob("*.json"))) == 2
    cache._SHELVES.clear()
    assert cache.Shelf(tmp_path, "s")["a"] == [1]

    for path in folder.glob("*.json"):
        path.write_bytes(path.read_bytes()[:-2])  # damaged: a miss, never an error
    cache._SHELVES.clear()
    shelf = cache.Shelf(tmp_path, "s")
    assert shelf.get("a") is None and shelf.get("b") is None
