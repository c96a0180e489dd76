"""Shared by the publish tests: fixture editions and golden files."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests import golden
from tests.conftest import ROOT, run_handbook, shared

HERE = Path(__file__).resolve().parent
OLD = HERE / "fixtures" / "old"  # edition 2024
NEW = HERE / "fixtures" / "new"  # edition 2026: one change of every kind against OLD
GOLDEN = HERE / "golden"


def check_golden(name: str, actual: str) -> None:
    golden.check_golden(GOLDEN / name, actual)


def project(tmp: Path) -> Path:
    """A handbook project folder: mkdocs.yml, an empty docs/, old/ and new/ standards."""
    tmp.mkdir(parents=True, exist_ok=True)
    # The project's own settings, less `watch: [standards]`: here the editions live in old/ and new/.
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp / "mkdocs.yml").write_text(re.sub(r"(?m)^watch:\n(  - .*\n)*", "", config), encoding="utf-8")
    (tmp / "docs").mkdir()
    shutil.copytree(OLD, tmp / "old")
    shutil.copytree(NEW, tmp / "new")
    return tmp


def published_without_forms(tmp_path_factory) -> Path:
    """public/ of a project that published old/ (2024), then new/ (2026), without forms: made once per test
    run for every test that only reads it. What each publish printed (in English, whichever test asks first)
    is kept beside the project, in publish-old.log and publish-new.log."""

    def make(folder: Path) -> None:
        root = project(folder / "project")
        for standards in ("old", "new"):
            result = run_handbook("publish", "--standards", standards, "--no-forms", "--lang", "en", cwd=root)
            assert result.returncode == 0, result.stderr
            (folder / f"publish-{standards}.log").write_text(result.stdout, encoding="utf-8")

    return shared(tmp_path_factory, "published-without-forms", make) / "project" / "public"


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones too) with the hash of its bytes; symlinks marked."""
    result = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            result[rel] = "symlink"
        elif path.is_file():
            result[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def crawl(root: Path) -> list[str]:
    """Every internal href or src in the HTML under root that leads nowhere: 'page: url'.

    A path from the server's root (`/latest/…`) is taken as served from root; an anchor into an
    HTML page must name an id on it.
    """
    dead = []
    ids: dict[Path, set[str]] = {}
    for page in sorted(root.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for url in (html.unescape(u) for u in re.findall(r'\b(?:href|src)="([^"]*)"', text)):
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or not (parts.path or parts.fragment):
                continue
            base = root if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or not target.is_relative_to(root.resolve()):
                dead.append(f"{page.relative_to(root)}: {url}")
            elif parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'\bid="([^"]+)"', target.read_text(encoding="utf-8")))
                if unquote(parts.fragment) not in ids[target]:
                    dead.append(f"{page.relative_to(root)}: {url} (no such anchor)")
    return dead
