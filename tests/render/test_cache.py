"""The build caches give byte-identical sites: cold, warm, and warm after an edit."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.render.cache import SegmentCache, cached_text, load_cached
from tests.conftest import HANDBOOK, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


def _build(project: Path, site: str, cache: Path) -> None:
    env = {**os.environ, "HANDBOOK_CACHE_DIR": str(cache)}
    result = subprocess.run([*HANDBOOK, "build", "--no-forms", "--site-dir", site], cwd=project, env=env,
                            check=False, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]


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
    from make_handbook import write_handbook

    project = tmp_path / "project"
    project.mkdir()
    write_handbook(40, project / "standards")
    (project / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    cache = tmp_path / "cache"

    _build(project, "cold", cache)  # empty cache
    tables = [*(cache / "segments").glob("*.json"), *(cache / "search").glob("*.json"),
              *(cache / "search-index").glob("*.txt")]
    assert len(tables) == 3 and list((cache / "handbook").glob("*.json"))
    stored = [t.stat().st_mtime_ns for t in tables]
    _build(project, "warm", cache)
    assert [t.stat().st_mtime_ns for t in tables] == stored  # all from the cache: nothing new to save
    assert _differences(project / "cold", project / "warm") == []

    _edit(project / "standards")
    _build(project, "edited-warm", cache)
    _build(project, "edited-cold", tmp_path / "empty-cache")
    assert _differences(project / "edited-cold", project / "edited-warm") == []
    assert _differences(project / "cold", project / "edited-warm") != []  # the edit did reach the site


class _CountingJieba:
    def __init__(self) -> None:
        self.calls: list[object] = []

    def cut(self, sentence, *args, **kwargs):
        self.calls.append(sentence)
        return iter(["党支部", "工作"])


def test_segment_cache_cuts_each_text_once_and_persists_per_dictionary(tmp_path: Path) -> None:
    real = _CountingJieba()
    cache = SegmentCache(real, "党支部 100000\n", tmp_path)
    assert cache.cut("党支部工作".encode()) == ["党支部", "工作"]
    assert cache.cut("党支部工作".encode()) == ["党支部", "工作"]
    assert real.calls == ["党支部工作".encode()]
    cache.save()
    again = SegmentCache(real, "党支部 100000\n", tmp_path)
    assert again.cut("党支部工作".encode()) == ["党支部", "工作"] and len(real.calls) == 1
    other = SegmentCache(real, "党支部 100000\n工作 100000\n", tmp_path)  # another dictionary: cut anew
    other.cut("党支部工作".encode())
    assert len(real.calls) == 2


def test_load_cached_reads_the_source_once_until_it_changes(tmp_path: Path) -> None:
    from generator import render
    from generator.validate import load_handbook
    from tests.conftest import FOOD_SAFETY

    source = tmp_path / "src"
    shutil.copytree(FOOD_SAFETY, source)
    loads: list[str] = []

    def load(root: Path):
        loads.append(root.name)
        return load_handbook(root)

    first = load_cached(source, load, tmp_path / "cache")
    render.cache._LOADED.clear()  # as a new process would: from the JSON on disk
    assert load_cached(source, load, tmp_path / "cache") == first
    assert len(loads) == 1
    path = source / "glossary.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Cold holding", "Cold-holding"), encoding="utf-8")
    assert load_cached(source, load, tmp_path / "cache").glossary[0].term == "Cold-holding"
    assert len(loads) == 2


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
