"""standards.json is json.dumps(..., ensure_ascii=False, indent=1) of the export, byte for byte.

export_json writes that layout itself (json.dumps takes its slow pure-Python encoder with indent);
published snapshots and the caches keyed by them must not change by a byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.render import export
from generator.validate import load_handbook
from tests.conftest import FIXTURES, STANDARDS


@pytest.mark.parametrize("root", [STANDARDS, FIXTURES / "food-safety", FIXTURES / "lab-safety"], ids=lambda p: p.name)
def test_export_json_is_what_json_dumps_writes(root: Path) -> None:
    handbook = load_handbook(root)
    text = export.export_json(handbook)
    assert text == json.dumps(export.export_data(handbook), ensure_ascii=False, indent=1) + "\n"
    assert export.handbook_from_export(json.loads(text)) == handbook


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}, "b": [], "c": [[]], "d": [{}]},
    {"quote\"and\\back": "tab\tnew\nline\u2028\x00\x1f é 中文 \U0001F600", "n": -3, "t": True, "f": False, "z": None},
    [1, "x", [2, [3, {"k": [None]}]]],
    ("a", ("b",)),
], ids=["empty-dict", "empty-list", "empties", "escapes", "nested", "tuples"])
def test_the_layout_matches_json_dumps(value: object) -> None:
    assert export._indented(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_what_it_does_not_write_goes_to_json_dumps() -> None:
    value = {"float": 1.5, "nan": float("nan"), 1: "an int key"}
    assert export._indented(value) == json.dumps(value, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("root", [STANDARDS, FIXTURES / "food-safety"], ids=lambda p: p.name)
def test_standards_kept_by_parts_give_the_same_text_after_an_edit(root: Path) -> None:
    """Each chapter's standards are kept under their `standards_key` (their file's digest, as loaded): after
    an edit only the edited chapter's are written again, and the whole is the text written afresh."""
    import dataclasses

    handbook = load_handbook(root)
    parts: dict[str, str] = {}
    fresh = export.export_json(handbook)
    export._last_export[:] = [None, ""]
    assert export.export_json(handbook, parts) == fresh
    assert sum(key.startswith("standards-json:") for key in parts) == len({c.standards for c in handbook.chapters})
    first = handbook.chapters[0]
    edited_std = dataclasses.replace(first.standards[0], title=first.standards[0].title + " (改)", points=99)
    edited = dataclasses.replace(handbook, chapters=(
        dataclasses.replace(first, standards=(edited_std, *first.standards[1:])), *handbook.chapters[1:]))
    before = dict(parts)
    warm = export.export_json(edited, parts)
    assert len(parts) == len(before) + 1  # the edited chapter's standards only
    export._last_export[:] = [None, ""]
    assert warm == export.export_json(edited) == json.dumps(export.export_data(edited), ensure_ascii=False, indent=1) + "\n"
    assert '"points": 99' in warm
