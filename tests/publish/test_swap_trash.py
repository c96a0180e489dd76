"""The previous site goes into the cache folder's trash at the swap and is removed during the next build.

Removing a big site's old tree is mostly the file system's waiting; `handbook build` moves it into
`.cache/handbook/trash/` instead and removes it beside the next build's work. The guarantees stay: only
`site/` is left beside the output, a failed build leaves the previous site as it was, and the trash
never holds more than the last build's old tree.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator import fs
from generator.publish.build import replacing
from tests.render.test_cache import _build, _edit, _project


def _site(target: Path, text: str, trash: Path | None) -> None:
    with replacing(target, trash=trash) as work:
        (work / "page.html").write_text(text, encoding="utf-8")
        (work / "deep" / "er").mkdir(parents=True)
        (work / "deep" / "er" / "file.txt").write_text(text, encoding="utf-8")


def test_the_old_tree_goes_to_the_trash_and_the_next_call_empties_it(tmp_path: Path) -> None:
    out, trash = tmp_path / "out", tmp_path / "cache" / "trash"
    target = out / "site"
    _site(target, "one", trash)
    assert not trash.exists()  # nothing replaced yet
    _site(target, "two", trash)
    assert sorted(p.name for p in out.iterdir()) == ["site"]
    assert (target / "page.html").read_text(encoding="utf-8") == "two"
    (old,) = trash.iterdir()
    assert (old / "tree" / "page.html").read_text(encoding="utf-8") == "one"
    wait = fs.empty_trash(trash)
    _site(target, "three", trash)  # put there while the first is being removed: left for the next call
    wait()
    (left,) = trash.iterdir()
    assert left != old and (left / "tree" / "page.html").read_text(encoding="utf-8") == "two"
    fs.empty_trash(trash)()
    assert list(trash.iterdir()) == []


def test_a_trash_on_another_file_system_means_removing_at_once(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out, trash = tmp_path / "out", tmp_path / "cache" / "trash"
    target = out / "site"
    _site(target, "one", trash)
    real_rename = os.rename

    def rename(a, b):
        if Path(b).parent.parent == trash:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_rename(a, b)

    monkeypatch.setattr(fs.os, "rename", rename)
    _site(target, "two", trash)
    assert sorted(p.name for p in out.iterdir()) == ["site"]
    assert list(trash.iterdir()) == []  # removed at once, nothing half-moved left behind
    assert (target / "page.html").read_text(encoding="utf-8") == "two"


def test_a_failed_build_leaves_the_site_and_the_trash_as_they_were(tmp_path: Path) -> None:
    out, trash = tmp_path / "out", tmp_path / "cache" / "trash"
    target = out / "site"
    _site(target, "one", trash)
    with pytest.raises(RuntimeError), replacing(target, trash=trash) as work:
        (work / "page.html").write_text("half", encoding="utf-8")
        raise RuntimeError("the build failed")
    assert sorted(p.name for p in out.iterdir()) == ["site"] and not trash.exists()
    assert (target / "page.html").read_text(encoding="utf-8") == "one"


def test_builds_keep_at_most_the_last_old_site_in_the_cache(tmp_path: Path) -> None:
    project = _project(tmp_path, 4)
    cache = tmp_path / "cache"
    for step in range(3):
        _build(project, "site", cache)
        assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "site", "standards"]
        trash = cache / "trash"
        assert len(list(trash.iterdir()) if trash.exists() else []) == min(step, 1)  # the one this build replaced
        _edit(project / "standards")
    (old,) = (cache / "trash").iterdir()
    assert (old / "tree" / ".handbook-output").is_file() and (project / "site" / "index.html").is_file()
