"""A damaged cache entry is a miss, never shipped and never an error; an unwritable cache means building
without it, with one warning."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pypdf

from generator.build.forms import render_forms
from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY, ROOT, run_handbook


def _build(site: Path, cache: Path) -> subprocess.CompletedProcess:
    return run_handbook("build", "--no-forms", "--standards", str(FOOD_SAFETY), "--site-dir", str(site), cwd=ROOT,
                        env={"HANDBOOK_CACHE_DIR": str(cache)})


def test_a_truncated_cached_pdf_is_rendered_again(tmp_path: Path) -> None:
    handbook = load_handbook(FOOD_SAFETY)
    cache = tmp_path / "cache"
    first = render_forms(handbook, tmp_path / "one", formats=("pdf",), cache_dir=cache, jobs=1)
    entry = max(cache.iterdir(), key=lambda p: p.stat().st_size)
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])  # a disk that filled up, say
    again = render_forms(handbook, tmp_path / "two", formats=("pdf",), cache_dir=cache, jobs=1)
    slug = entry.name.split(".")[0]
    assert slug in again.rendered_slugs("pdf") and slug not in again.cached_slugs("pdf")
    assert len(again.cached) == len(first.rendered) - 1  # the sound entries are still used
    for path in first.files:
        shipped = tmp_path / "two" / path.name
        assert shipped.read_bytes() == path.read_bytes()
        assert len(pypdf.PdfReader(io.BytesIO(shipped.read_bytes())).pages) >= 1


def test_an_emptied_site_cache_file_is_a_miss(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = _build(tmp_path / "a", cache)
    assert result.returncode == 0, result.stderr[-3000:]
    emptied = [p for kind in ("site", "files", "handbook-search") for p in (cache / kind).iterdir()]
    emptied += sorted((cache / "pages").iterdir())[:3]
    assert len(emptied) >= 6
    for path in emptied:
        path.write_bytes(b"")
    result = _build(tmp_path / "b", cache)
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ("index.html", "chapters/storage/index.html", "search/handbook.json"):
        assert (tmp_path / "b" / page).read_bytes() == (tmp_path / "a" / page).read_bytes()


def test_an_unwritable_cache_builds_without_it_with_one_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    result = _build(tmp_path / "site", blocker / "cache")  # every write in the cache fails
    assert result.returncode == 0, result.stderr[-3000:]
    warnings = [line for line in result.stderr.splitlines() if "cache" in line]
    assert warnings == [(f"handbook: warning: cannot write the cache in {blocker / 'cache'} (Not a directory); "
                         "building without it")]
    assert (tmp_path / "site" / "chapters" / "storage" / "index.html").is_file()
