"""The build caches give byte-identical sites: cold, warm, and warm after an edit."""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

from generator.build.adapters.material import SegmentCache
from generator.build.cache import cached_text, load_cached
from tests.conftest import ROOT, run_handbook

sys.path.insert(0, str(ROOT / "benchmarks"))


def _build(project: Path, site: str, cache: Path, *, ok: bool = True, fresh: bool = False) -> str:
    """fresh: a real new interpreter (a hash seed of its own), for the build others are compared with."""
    result = run_handbook("build", "--no-forms", "--site-dir", site, cwd=project,
                          env={"HANDBOOK_CACHE_DIR": str(cache)}, fresh=fresh)
    assert (result.returncode == 0) == ok, result.stderr[-4000:]
    return result.stderr


def _differences(a: Path, b: Path) -> list[str]:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    return [str(p) for p in files_a if not filecmp.cmp(a / p, b / p, shallow=False)]


def _edit(standards: Path) -> None:
    path = min((standards / "chapters").glob("*.yml"))
    path.write_text(path.read_text(encoding="utf-8").replace("  text: '", "  text: '新增一句测试文字，", 1),
                    encoding="utf-8")


def test_warm_builds_are_byte_identical_to_cold_ones(tmp_path: Path) -> None:
    project = _project(tmp_path)
    cache = tmp_path / "cache"

    _build(project, "cold", cache, fresh=True)  # empty cache; the warm builds, forked, must match it
    # (The whole site's text is written at the second build of a source: tests/build/test_site_entry.py.)
    tables = [*(cache / "handbook-search").glob("*.state")]
    assert len(tables) == 1 and list((cache / "files").glob("*.json"))  # each checked source file
    pages = sorted((cache / "pages").glob("*.json"))  # one per generated page: 1 chapter + the others
    assert len(pages) >= 5
    tables += pages
    stored = [t.stat().st_mtime_ns for t in tables]
    _build(project, "warm", cache)
    assert [t.stat().st_mtime_ns for t in tables] == stored  # all from the cache: nothing new to save
    assert _differences(project / "cold", project / "warm") == []

    _edit(project / "standards")
    _build(project, "edited-warm", cache)
    _build(project, "edited-cold", tmp_path / "empty-cache")
    assert _differences(project / "edited-cold", project / "edited-warm") == []
    assert _differences(project / "cold", project / "edited-warm") != []  # the edit did reach the site


def _project(tmp_path: Path, n: int = 40) -> Path:
    from make_handbook import write_handbook

    project = tmp_path / "project"
    project.mkdir()
    write_handbook(n, project / "standards")
    (project / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def test_a_page_whose_conversion_warned_is_never_taken_from_the_cache(tmp_path: Path) -> None:
    # Under `strict`, a broken link fails the build; a cached page would hide it on the next one.
    project = _project(tmp_path, 10)
    path = min((project / "standards" / "chapters").glob("*.yml"))
    path.write_text(path.read_text(encoding="utf-8").replace("  text: '", "  text: '见[此处](missing.md)。", 1),
                    encoding="utf-8")
    cache = tmp_path / "cache"
    for site in ("first", "second"):
        assert "missing.md" in _build(project, site, cache, ok=False)


class _CountingJieba:
    def __init__(self) -> None:
        self.calls: list[object] = []

    def cut(self, sentence, *args, **kwargs):
        self.calls.append(sentence)
        return iter(["党支部", "工作"])


def test_segment_cache_cuts_each_text_once_and_persists_per_dictionary(tmp_path: Path) -> None:
    real = _CountingJieba()
    made: list[int] = []

    def make() -> _CountingJieba:
        made.append(1)
        return real

    cache = SegmentCache(make, "党支部 100000\n", tmp_path)
    assert cache.cut("党支部工作".encode()) == ["党支部", "工作"]
    assert cache.cut("党支部工作".encode()) == ["党支部", "工作"]
    assert real.calls == ["党支部工作".encode()]
    cache.save()
    again = SegmentCache(make, "党支部 100000\n", tmp_path)
    assert again.cut("党支部工作".encode()) == ["党支部", "工作"] and len(real.calls) == 1
    assert made == [1]  # all from the table: no tokenizer made (jieba's dictionary never loaded)
    other = SegmentCache(make, "党支部 100000\n工作 100000\n", tmp_path)  # another dictionary: cut anew
    other.cut("党支部工作".encode())
    assert len(real.calls) == 2


def test_load_cached_checks_each_file_once_until_it_changes(tmp_path: Path, checked_files: list[str]) -> None:
    from generator.build import cache
    from generator.validate import handbook as validate_handbook
    from generator.validate import load_handbook
    from tests.conftest import FOOD_SAFETY

    source = tmp_path / "src"
    shutil.copytree(FOOD_SAFETY, source)
    checked = checked_files

    def new_process() -> None:  # nothing in memory: what a new process finds is on disk
        cache._LOADED.clear()
        validate_handbook._LAST_FILES.clear()

    first, key = load_cached(source, load_handbook, tmp_path / "cache")
    assert len(checked) == 4
    new_process()
    assert load_cached(source, load_handbook, tmp_path / "cache") == (first, key)
    assert len(checked) == 4  # every file from the disk
    path = source / "glossary.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Cold holding", "Cold-holding"), encoding="utf-8")
    new_process()
    edited, edited_key = load_cached(source, load_handbook, tmp_path / "cache")
    assert edited.glossary[0].term == "Cold-holding" and edited_key != key
    assert checked[4:] == ["glossary.yml"]  # only the edited file
    new_process()
    assert edited == load_handbook(source)  # what checking every file afresh gives


def test_load_cached_reads_a_snapshot_once_until_it_changes(tmp_path: Path) -> None:
    from generator.build import cache
    from generator.publish.sources import load_snapshot
    from generator.render.export import export_json
    from generator.validate import load_handbook
    from tests.conftest import FOOD_SAFETY

    snapshot = tmp_path / "standards.json"
    snapshot.write_text(export_json(load_handbook(FOOD_SAFETY)), encoding="utf-8")
    loads: list[str] = []

    def load(path: Path):
        loads.append(path.name)
        return load_snapshot(path)

    first, key = load_cached(snapshot, load, tmp_path / "cache")
    cache._LOADED.clear()  # as a new process would: from the entry on disk
    again, again_key = load_cached(snapshot, load, tmp_path / "cache")
    assert (again, again_key) == (first, key) and again.labels == first.labels
    assert len(loads) == 1
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("Cold holding", "Cold-holding"), encoding="utf-8")
    edited, edited_key = load_cached(snapshot, load, tmp_path / "cache")
    assert edited.glossary[0].term == "Cold-holding" and edited_key != key
    assert len(loads) == 2 and len(list((tmp_path / "cache" / "handbook").glob("*.json"))) == 1


def test_cached_text_makes_the_text_once_per_input(tmp_path: Path) -> None:
    made: list[int] = []

    def make() -> str:
        made.append(1)
        return "refined"

    assert cached_text(tmp_path, "kind", ["index", "dictionary"], make) == "refined"
    assert cached_text(tmp_path, "kind", ["index", "dictionary"], make) == "refined"
    assert len(made) == 1
    assert cached_text(tmp_path, "kind", ["index", "other dictionary"], make) == "refined"
    assert len(made) == 2
