"""The handbook search index made from per-field parts: one edit cuts its fields again, same index."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from generator.build import cache
from generator.render import search_index
from generator.validate import load_handbook
from tests.conftest import ROOT, STANDARDS


def _edited(handbook):
    chapter = handbook.chapters[0]
    std = chapter.standards[0]
    changed = dataclasses.replace(chapter, standards=(dataclasses.replace(std, title=std.title + "（修订）"),
                                                       *chapter.standards[1:]))
    return dataclasses.replace(handbook, chapters=(changed, *handbook.chapters[1:]))


def test_the_index_from_kept_parts_is_the_index_made_afresh() -> None:
    handbook = load_handbook(STANDARDS)
    counts: dict[str, list] = {}
    first = search_index.search_files(handbook, pages=[], counts=counts)
    assert first == search_index.search_files(handbook, pages=[])
    entries = len(counts)
    assert entries > len(list(handbook.standards()))

    edited = _edited(handbook)
    again = search_index.search_files(edited, pages=[], counts=counts)
    assert again == search_index.search_files(edited, pages=[])
    assert again != first
    assert len(counts) == entries + 3  # the edited title and its pinyin were the only fields cut again (+ the entry)


def test_parts_kept_on_disk_serve_a_new_process_and_only_this_builds_are_kept(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_handbook import write_handbook

    handbook = load_handbook(write_handbook(60, tmp_path / "standards"))
    kind = "test-search-counts"
    parts = cache.Parts(tmp_path / "cache", kind)
    made = search_index.search_files(handbook, pages=[], counts=parts)
    parts.save()
    assert parts.added == len(parts.used) > 60 * 3

    cache._PARTS.clear()  # as in a new process: from the file
    edited = _edited(handbook)
    parts = cache.Parts(tmp_path / "cache", kind)
    assert search_index.search_files(edited, pages=[], counts=parts) == search_index.search_files(edited, pages=[])
    assert parts.added == 3  # the title and its pinyin, and the entry's shape
    parts.save()
    cache._PARTS.clear()
    stored = cache.Parts(tmp_path / "cache", kind)
    assert len(stored) == len(parts.used)  # the old entry of the edited standard is gone
    assert made != search_index.search_files(edited, pages=[])


def test_parts_not_used_leave_the_stored_ones_alone(tmp_path: Path) -> None:
    kind = "test-unused"
    parts = cache.Parts(tmp_path, kind)
    parts["a"] = [1]
    parts.save()
    cache._PARTS.clear()
    cache.Parts(tmp_path, kind).save()  # the whole came from its own cache: nothing read, nothing written
    cache._PARTS.clear()
    assert dict(cache.Parts(tmp_path, kind)) == {"a": [1]}


@pytest.mark.parametrize("edit", ["standard text", "chapter title", "glossary entry", "renamed standard",
                                  "removed standard"])
def test_the_last_index_changed_where_an_edit_reaches_it_is_the_index_made_afresh(
        edit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.render.test_site_parts import EDITS

    handbook = load_handbook(STANDARDS)
    counts: dict[str, list] = {}
    last: dict = {}
    search_index.search_files(handbook, pages=["changes.md"], counts=counts, last=last)
    edited = handbook
    for _ in range(2):  # an edit, and an edit of the edited handbook
        edited = EDITS[edit](edited)
        fresh = search_index.search_files(edited, pages=["changes.md"])
        with monkeypatch.context() as patched:
            if edit in ("standard text", "chapter title", "renamed standard"):  # a few entries: changed in place
                patched.setattr(search_index, "_postings", None)
            again = search_index.search_files(edited, pages=["changes.md"], counts=counts, last=last)
        assert again == fresh
        assert last["files"] == fresh


def test_a_last_index_from_elsewhere_is_not_trusted() -> None:
    from tests.render.test_site_parts import EDITS

    handbook = load_handbook(STANDARDS)
    edited = EDITS["standard text"](handbook)
    fresh = search_index.search_files(edited, pages=[])
    counts: dict[str, list] = {}
    last: dict = {}
    search_index.search_files(handbook, pages=[], counts=counts, last=last)
    kept = {**last, "files": dict(last["files"])}
    last["files"] = {path: text.replace("1", "2") for path, text in last["files"].items()}
    assert search_index.search_files(edited, pages=[], counts=counts, last=last) != fresh  # the damage is used
    # A long text moves the body's average length, and with it every entry's weights: made anew.
    chapter = handbook.chapters[0]
    std = chapter.standards[0]
    longer = dataclasses.replace(std, text=std.text + " 检查记录台账" * 400)
    grown = dataclasses.replace(handbook, chapters=(dataclasses.replace(chapter, standards=(
        longer, *chapter.standards[1:])), *handbook.chapters[1:]))
    before = dict(kept["average"])
    moved = search_index.search_files(grown, pages=[], counts=counts, last=kept)
    assert kept["average"]["body"] != before["body"]
    assert moved == search_index.search_files(grown, pages=[])
    last.clear()
    last.update(settings=[search_index.FORMAT, "many"], keys=[], average={}, files={})  # another shape: made anew
    assert search_index.search_files(handbook, pages=[], last=last) == search_index.search_files(handbook, pages=[])


def test_the_averages_are_rounded_so_that_an_edit_seldom_moves_them() -> None:
    assert search_index.stable_average([100, 104]) == search_index.stable_average([100, 105]) == 100.0
    assert search_index.stable_average([3, 4]) == 3.5
    assert search_index.stable_average([0, 0]) == 1.0


@pytest.mark.parametrize("kept", ["counts", "counts and chapters"])
def test_edit_after_edit_in_new_processes_changes_the_last_index_in_place(kept: str, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The kept counts must outlive a build that read only the edited entries' ones.
    from tests.render.test_site_parts import EDITS

    handbook = load_handbook(STANDARDS)
    last: dict = {}
    edited = handbook
    cut = search_index.field_counts
    for step in range(3):
        cache._PARTS.clear()  # as in a new process: from the files
        cache._SHELVES.clear()
        parts = cache.Parts(tmp_path, "test-search-counts")
        chapters = cache.Shelf(tmp_path, "test-chapters") if kept == "counts and chapters" else None
        fields: list[str] = []
        with monkeypatch.context() as patched:
            if step:
                edited = EDITS["standard text"](edited)
                patched.setattr(search_index, "_postings", None)  # not made anew: changed in place
                patched.setattr(search_index, "field_counts", lambda name, texts: fields.append(name) or cut(name, texts))
            made = search_index.search_files(edited, pages=[], counts=parts, last=last, chapters=chapters)
        parts.save()
        if chapters is not None:
            chapters.save()
        assert fields == (["body"] if step else [])  # the edited field only is cut again
        assert made == search_index.search_files(edited, pages=[])


@pytest.mark.parametrize("edit", ["standard text", "chapter title", "glossary entry", "renamed standard",
                                  "removed standard", "moved standard", "relabelled terms"])
def test_chapters_kept_on_disk_give_the_index_made_afresh(edit: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.render.test_site_parts import EDITS

    def stored() -> int:
        return len(list((tmp_path / "test-chapters").glob("*.json")))

    handbook = load_handbook(STANDARDS)
    cache._SHELVES.clear()
    chapters = cache.Shelf(tmp_path, "test-chapters")
    search_index.search_files(handbook, pages=["changes.md"], chapters=chapters)
    chapters.save()
    assert stored() == 2 * len(handbook.chapters)  # each chapter's entries, and its counts
    edited = EDITS[edit](handbook)
    made: list[str] = []
    entry = search_index._standard_entry
    monkeypatch.setattr(search_index, "_standard_entry", lambda *args: made.append(args[1].id) or entry(*args))
    cache._SHELVES.clear()  # as in a new process: from the files
    chapters = cache.Shelf(tmp_path, "test-chapters")
    again = search_index.search_files(edited, pages=["changes.md"], chapters=chapters)
    chapters.save()
    assert stored() == 2 * len(edited.chapters)  # this build's only
    if edit == "standard text":  # one chapter's standards stripped of Markdown and cut again, the others kept
        assert set(made) == {std.id for std in edited.chapters[0].standards}
    assert again == search_index.search_files(edited, pages=["changes.md"])


def test_a_chapter_kept_without_its_counts_has_them_made_again() -> None:
    handbook = load_handbook(STANDARDS)
    chapters: dict[str, object] = {}
    fresh = search_index.search_files(handbook, pages=[], chapters=chapters)
    gone = [key for key in chapters if key.startswith(search_index._COUNTS)]
    assert len(gone) == len(handbook.chapters)
    chapters.update(dict.fromkeys(gone))  # found, but unreadable
    assert search_index.search_files(handbook, pages=[], chapters=chapters) == fresh
    assert all(chapters[key] for key in gone)
