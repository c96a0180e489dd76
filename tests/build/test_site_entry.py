"""The whole site's entry (`cache.cached_value("site")`) is written only when it can be read back.

After an edit the next build's source is new again, so writing the 28 MB text of a 5,000-standard
site would never pay: an edit build notes only its key. A second build of the same source in a row
(the site folder touched or removed, a hand-written page edited, `handbook serve` started after a
build) writes the entry, and the builds after it read it. Every output is byte for byte a cold build's.
"""

from __future__ import annotations

from pathlib import Path

from tests.render.test_cache import _build, _differences, _edit, _project


def _entries(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (cache / "site").glob("*.txt")}


def test_the_site_entry_is_written_at_the_second_build_of_a_source_and_read_after(tmp_path: Path) -> None:
    project = _project(tmp_path, 8)
    cache = tmp_path / "cache"
    _build(project, "first", cache)
    assert _entries(cache) == {}  # a new source: its key only
    _edit(project / "standards")
    _build(project, "edited", cache)
    assert _entries(cache) == {}  # after an edit: still nothing written whole
    _build(project, "again", cache)  # the same source again, into another folder
    written = _entries(cache)
    assert len(written) == 1
    _build(project, "third", cache)
    assert _entries(cache) == written  # read, not written again
    assert _differences(project / "edited", project / "again") == []
    assert _differences(project / "edited", project / "third") == []

    _edit(project / "standards")
    _build(project, "warm", cache)
    assert _entries(cache) == {}  # the old source's entry is gone with its key
    _build(project, "cold", tmp_path / "empty")
    assert _differences(project / "cold", project / "warm") == []
    assert _differences(project / "third", project / "warm") != []  # the edit reached the site
