"""A `handbook build` with nothing changed leaves the site untouched; any change to the source, the
configuration, the code or the site itself builds again."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

from tests.conftest import ROOT, run_handbook

sys.path.insert(0, str(ROOT / "benchmarks"))

UP_TO_DATE = "handbook: site is up to date (source, configuration and code unchanged)\n"
BUILT = "handbook: site built in site\n"


def _project(tmp_path: Path) -> Path:
    from make_handbook import write_handbook

    project = tmp_path / "project"
    project.mkdir()
    write_handbook(12, project / "standards")
    (project / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _build(project: Path, **env: str) -> str:
    result = run_handbook("build", "--no-forms", "--site-dir", "site", cwd=project, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def _state(site: Path) -> dict[str, tuple[str, int, int]]:
    """Every file: its bytes' digest, inode and modification time (a rewrite changes the last two)."""
    return {str(p.relative_to(site)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_ino,
                                       p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_an_unchanged_build_rewrites_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _build(project) == BUILT
    before = _state(project / "site")
    assert len(before) > 20
    assert _build(project) == UP_TO_DATE
    assert _state(project / "site") == before


def test_an_edited_yaml_builds_again(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _build(project)
    chapter = min((project / "standards" / "chapters").glob("*.yml"))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("  text: '", "  text: '改过的一句话，", 1),
                       encoding="utf-8")
    assert _build(project) == BUILT
    pages = (project / "site" / "chapters").rglob("index.html")
    assert any("改过的一句话" in p.read_text(encoding="utf-8") for p in pages)
    assert _build(project) == UP_TO_DATE


def test_a_changed_mkdocs_yml_builds_again(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _build(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "copyright: 第十七号测试版权行\n", encoding="utf-8")
    assert _build(project) == BUILT
    assert "第十七号测试版权行" in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_a_variable_the_configuration_reads_is_an_input(tmp_path: Path) -> None:
    project = _project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "copyright: !ENV [HB17_COPYRIGHT, 无]\n",
                      encoding="utf-8")
    _build(project, HB17_COPYRIGHT="甲单位")
    assert _build(project, HB17_COPYRIGHT="乙单位") == BUILT
    assert "乙单位" in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_changed_code_builds_again(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _build(project)
    tree = tmp_path / "patched"
    shutil.copytree(ROOT / "generator", tree / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    css = tree / "generator" / "assets" / "site" / "handbook.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* issue-17 test */\n", encoding="utf-8")
    assert _build(project, PYTHONPATH=str(tree)) == BUILT
    shipped = next((project / "site").rglob("handbook.css"))
    assert "issue-17 test" in shipped.read_text(encoding="utf-8")


def test_a_site_changed_by_hand_is_built_again(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _build(project)
    index = project / "site" / "index.html"
    original = index.read_bytes()
    index.write_bytes(b"edited by hand")
    assert _build(project) == BUILT
    assert index.read_bytes() == original
    (project / "site" / "404.html").unlink()
    assert _build(project) == BUILT
    assert (project / "site" / "404.html").is_file()
