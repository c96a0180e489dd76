"""A cold build with a helper process gives the same site as one process; a failing helper loses nothing."""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path
from types import SimpleNamespace

from generator.build.parallel import Helper
from tests.conftest import run_module
from tests.render.test_cache import _differences, _project

MKDOCS = [sys.executable, "-m", "mkdocs"]


def _build(project: Path, site: str, jobs: str, cache: Path) -> str:
    config = project / "mkdocs.yml"  # the site only: the plugin's `forms` option says so
    text = config.read_text(encoding="utf-8")
    if "forms: false" not in text:
        config.write_text(text.replace("      standards: standards\n", "      standards: standards\n      forms: false\n", 1),
                          encoding="utf-8")
    env = {**os.environ, "HANDBOOK_JOBS": jobs, "HANDBOOK_CACHE_DIR": str(cache)}
    result = run_module("mkdocs", "build", "-v", "--site-dir", site, cwd=project, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stderr


def test_a_helper_process_builds_the_same_site_as_one_process(tmp_path: Path) -> None:
    project = _project(tmp_path)
    two = _build(project, "two", "2", tmp_path / "cache-two")
    assert "a helper process converts" in two  # it did take part of the pages
    one = _build(project, "one", "1", tmp_path / "cache-one")
    assert "a helper process converts" not in one
    assert _differences(project / "one", project / "two") == []
    # What the helper stored serves the next build like the main process's own entries.
    assert "a helper process converts" not in _build(project, "again", "2", tmp_path / "cache-two")
    assert _differences(project / "one", project / "again") == []


def test_when_the_helper_dies_the_main_process_does_its_pages(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=os._exit, args=(1,))
    process.start()
    sender.close()
    helper = Helper(receiver, process, ["chapters/a.md"])
    page = SimpleNamespace(file=SimpleNamespace(src_uri="chapters/a.md"))
    assert helper.wait("page", page, "some key") is None  # no result: the caller converts the page itself
    assert helper.finish() == {}
