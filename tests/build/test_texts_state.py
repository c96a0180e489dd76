"""cache.cached_texts_state: the search index's state kept with its files' texts as they are.

The next build (in memory while previewing, or from disk in a new process) gets back exactly the
state the last one left; a damaged or foreign entry is a miss, never an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator import fs
from generator.build import cache


def _make(files: dict[str, str], seen: list[dict[str, Any]]):
    def make(last: dict[str, Any]) -> dict[str, str]:
        seen.append({k: (dict(v) if isinstance(v, dict) else v) for k, v in last.items()})
        last.clear()
        last.update(settings=[1, 2], keys=["a", "b"], files=files)
        return dict(files)
    return make


def _value(last: dict[str, Any]) -> dict[str, str]:
    return dict(last["files"])


FILES = {"search/handbook.json": '{"t":["中文 \\"quoted\\"\\n"]}', "search/e0.json": "", "search/t0.json": "[1,2]"}


def test_the_state_comes_back_as_it_was_left_from_memory_and_from_disk(tmp_path: Path) -> None:
    seen: list[dict[str, Any]] = []
    assert cache.cached_texts_state(tmp_path, "k", ["one"], _make(FILES, seen), _value) == FILES
    assert seen == [{}]
    # Same key: the value without make, from memory, then from disk in a "new process".
    assert cache.cached_texts_state(tmp_path, "k", ["one"], _make({}, seen), _value) == FILES
    cache._STATES.clear()
    assert cache.cached_texts_state(tmp_path, "k", ["one"], _make({}, seen), _value) == FILES
    assert len(seen) == 1
    # Another key: make is given the last state, read back from disk byte for byte.
    cache._STATES.clear()
    other = {"search/t0.json": "[3]"}
    assert cache.cached_texts_state(tmp_path, "k", ["two"], _make(other, seen), _value) == other
    assert seen[1] == {"settings": [1, 2], "keys": ["a", "b"], "files": FILES}
    assert [p.suffix for p in (tmp_path / "k").iterdir()] == [".state"]  # one entry per kind


def test_a_state_file_changed_behind_the_process_is_read_again(tmp_path: Path) -> None:
    seen: list[dict[str, Any]] = []
    cache.cached_texts_state(tmp_path, "k", ["one"], _make(FILES, seen), _value)
    [entry] = (tmp_path / "k").iterdir()
    entry.write_bytes(entry.read_bytes()[:-3])  # truncated: fails its digest
    assert cache.cached_texts_state(tmp_path, "k", ["one"], _make(FILES, seen), _value) == FILES
    assert seen == [{}, {}]  # a miss, with nothing from the damaged state
    cache._STATES.clear()
    fs.write_entry(entry, b'{"key": 1}\nxyz')  # verified, but not this form
    assert cache.cached_texts_state(tmp_path, "k", ["one"], _make(FILES, seen), _value) == FILES
    assert seen[-1] == {}
