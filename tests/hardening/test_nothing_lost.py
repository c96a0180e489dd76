"""Nothing lost: a failed build leaves the previous site byte for byte; a failed rebuild while serving
keeps the last good site on screen."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_handbook


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(standards: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_handbook("build", "--standards", str(standards), "--site-dir", str(site), "--no-forms", *extra)


def break_yaml(standards: Path) -> None:
    path = standards / "chapters" / "01-storage.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    points: 6", "    points: six"), encoding="utf-8")


@pytest.fixture
def good_site(food_safety: Path, tmp_path: Path) -> Path:
    site = tmp_path / "out" / "site"
    result = build(food_safety, site)
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").is_file()
    return site


def test_invalid_yaml_leaves_the_site_untouched(food_safety: Path, good_site: Path) -> None:
    before = snapshot(good_site)
    break_yaml(food_safety)
    result = build(food_safety, good_site)
    assert result.returncode == 1
    assert "01-storage.yml:19:13: error:" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(good_site) == before
    assert sorted(p.name for p in good_site.parent.iterdir()) == ["site"]  # no half-built folder left


def config_with_broken_link(tmp_path: Path) -> Path:
    """mkdocs.yml with a hand-written page whose link only `mkdocs build --strict` rejects."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text("# Notes\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8") + f"\ndocs_dir: {docs}\n",
                      encoding="utf-8")
    return config


def test_failure_inside_mkdocs_leaves_the_site_untouched(food_safety: Path, good_site: Path,
                                                         tmp_path: Path) -> None:
    # A hand-written page with a broken link passes validation; only `mkdocs build --strict` catches it,
    # after the build into the temporary folder has begun.
    config = config_with_broken_link(tmp_path)
    before = snapshot(good_site)
    result = build(food_safety, good_site, "-f", str(config))
    assert result.returncode == 1, result.stderr
    assert "handbook: error: mkdocs build failed" in result.stderr and "Traceback" not in result.stderr
    assert "missing.md" in result.stderr
    assert snapshot(good_site) == before
    assert sorted(p.name for p in good_site.parent.iterdir()) == ["site"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def _wait_for(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_serve_shows_the_error_and_keeps_the_last_good_site(food_safety: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--standards", str(food_safety),
         "-a", f"127.0.0.1:{port}", "--no-forms"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    log: list[str] = []
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()

    def saw(text: str):
        def check() -> bool:
            while not lines.empty():
                log.append(lines.get())
            return any(text in line for line in log)
        return check

    page = f"http://127.0.0.1:{port}/chapters/storage/"

    def fetch() -> str | None:
        try:
            status, body = _get(page)
        except OSError:
            return None
        return body if status == 200 else None

    try:
        old = _wait_for(fetch, 60, "the first build to be served")
        assert "Fridge temperatures are logged" in old

        chapter = food_safety / "chapters" / "01-storage.yml"
        good_text = chapter.read_text(encoding="utf-8")
        del log[:]
        break_yaml(food_safety)
        _wait_for(saw("01-storage.yml:19:13: error:"), 60, "the error in the terminal")
        assert not any("Traceback" in line for line in log)
        assert "Fridge temperatures are logged" in (fetch() or "")

        chapter.write_text(good_text.replace("Fridge temperatures are logged", "Fridge readings are logged"),
                           encoding="utf-8")
        _wait_for(lambda: "Fridge readings are logged" in (fetch() or ""), 60, "the fixed page")
        assert proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.poll() is not None:
            log.extend(lines.queue)


def publish(standards: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_handbook("publish", "--standards", str(standards), "--out", str(out), "--no-forms", *extra)


@pytest.fixture
def published(food_safety: Path, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    result = publish(food_safety, out)
    assert result.returncode == 0, result.stderr
    assert (out / "1.0" / "index.html").is_file()
    return out


def test_publish_with_invalid_yaml_leaves_public_untouched(food_safety: Path, published: Path) -> None:
    before = snapshot(published)
    break_yaml(food_safety)
    result = publish(food_safety, published, "--force")
    assert result.returncode == 1
    assert "01-storage.yml:19:13: error:" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(published) == before
    assert [p.name for p in published.iterdir() if p.name.startswith(".")] == []


def test_publish_failing_inside_mkdocs_leaves_public_untouched(food_safety: Path, published: Path,
                                                               tmp_path: Path) -> None:
    config = config_with_broken_link(tmp_path)
    before = snapshot(published)
    result = publish(food_safety, published, "--force", "-f", str(config))
    assert result.returncode == 1, result.stderr
    assert "mkdocs build failed" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(published) == before
    assert [p.name for p in published.iterdir() if p.name.startswith(".")] == []
