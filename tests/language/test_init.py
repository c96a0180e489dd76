"""`handbook init DIR` writes a starter handbook that validates and builds, site and forms, at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_handbook
from tests.language.leaks import leaks


@pytest.mark.parametrize("language", ["zh", "en"])
def test_init_then_build_gives_a_site_and_forms(tmp_path: Path, language: str) -> None:
    project = tmp_path / "handbook"
    result = run_handbook("init", str(project), "--language", language, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == {
        "en": f"handbook: wrote 9 files to {project}; next: cd {project} && handbook build\n",
        "zh": f"handbook: 已把 9 个文件写到 {project}；下一步：cd {project} && handbook build\n"}[language]
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == [
        ".gitignore", "docs/.gitkeep", "editions/README.md", "mkdocs.yml", "standards/chapters/01-housekeeping.yml",
        "standards/glossary.yml", "standards/handbook.yml", "standards/schema.json", "standards/templates.yml"]

    result = run_handbook("build", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    html = (site / "chapters" / "housekeeping" / "index.html").read_text(encoding="utf-8")
    assert ("Emergency exits are kept clear" if language == "en" else "安全出口保持畅通") in html
    forms = sorted(p.name for p in (site / "forms").iterdir() if p.suffix in (".pdf", ".docx"))
    assert len(forms) == 9  # checklist, scoring sheet, one record book: PDF, fillable PDF, Word each
    if language == "en":
        assert leaks(site, project / "standards") == []


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_handbook("init", str(tmp_path), "--language", "en")
    assert result.returncode == 1
    assert result.stderr == (f"handbook: error: {tmp_path} is not empty; nothing was written\n"
                             "  hint: give a new folder, or an empty one, for the new handbook\n")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_copied_mkdocs_yml_without_docs_gets_a_hint(tmp_path: Path) -> None:
    project = tmp_path / "handbook"
    assert run_handbook("init", str(project), "--language", "en").returncode == 0
    (project / "docs" / ".gitkeep").unlink()
    (project / "docs").rmdir()
    result = run_handbook("build", "--no-forms", cwd=project)
    assert result.returncode == 1
    assert result.stderr.endswith(
        "handbook: error: mkdocs.yml: Aborted with a configuration error!\n"
        "  hint: create the folder for hand-written pages (it may stay empty): mkdir docs; "
        "`handbook init DIR` writes a whole project\n")
    assert not (project / "site").exists()
