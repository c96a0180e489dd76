"""A source broken after a good build gives the messages a load from scratch gives, at the same places.

The checked files of the good build are kept on disk (validate/stored.py) and a new process takes the
unchanged ones from there, their YAML positions read only when a problem is placed in them. Every
case of tests/bad_input/ is written over a source whose good build filled that store: the messages
must be exactly the case's expected.txt. The end-to-end test does it with `handbook build` itself,
then fixes the file and builds again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.build import cache
from generator.errors import HandbookError
from generator.validate import handbook as validate_handbook
from generator.validate import load_handbook
from tests.bad_input.test_bad_input import CASES, PLACEHOLDER
from tests.conftest import FIXTURES, ROOT, run_module


def _cases() -> list:
    params = []
    for folder in sorted(p for p in CASES.iterdir() if (p / "case.yml").is_file()):
        spec = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8")) or {}
        # Generated inputs (a FIFO, 50 MB, links) are about reading files, which no store changes.
        if spec.get("base") == "food-safety" and not spec.get("generate") and not spec.get("xfail"):
            params.append(pytest.param(folder, id=folder.name))
    return params


def _load_in_new_process(standards: Path, folder: Path) -> list[str]:
    """What `handbook build` prints of the problems, as a new process with this cache folder would load."""
    cache._LOADED.clear()
    validate_handbook._LAST_FILES.clear()
    try:
        cache.load_cached(standards, load_handbook, folder)
    except HandbookError as error:
        return error.format().splitlines()
    return []


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of food-safety loaded once without problems: every file of it is in the store."""
    base = tmp_path_factory.mktemp("warm")
    standards, folder = base / "standards", base / "cache"
    shutil.copytree(FIXTURES / "food-safety", standards)
    assert _load_in_new_process(standards, folder) == []
    assert len(list((folder / "files").glob("*.json"))) == 4
    return standards, folder


@pytest.mark.parametrize("case", _cases())
def test_a_case_edited_in_after_a_good_load_gives_its_expected_messages(
        case: Path, warm: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    standards, folder = warm
    shutil.rmtree(standards)
    shutil.copytree(FIXTURES / "food-safety", standards)
    assert _load_in_new_process(standards, folder) == []  # the good build (again, after the last case)
    checked: list[str] = []
    real = validate_handbook._load_file
    monkeypatch.setattr(validate_handbook, "_load_file", lambda source: checked.append(source.display) or real(source))
    changed = []
    if (case / "standards").is_dir():
        shutil.copytree(case / "standards", standards, dirs_exist_ok=True)
        changed = [str(p) for p in (case / "standards").rglob("*") if p.is_file()]
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]  # without the count line
    shown = [line.replace(str(standards), PLACEHOLDER) for line in _load_in_new_process(standards, folder)]
    assert shown == expected
    # Only the case's own files were checked again: the others' models and places came from the store.
    assert sorted(Path(d).relative_to(standards) for d in checked) == sorted(
        Path(c).relative_to(case / "standards") for c in changed
        if Path(c).suffix in (".yml", ".yaml") and _readable(Path(c)))


def _readable(path: Path) -> bool:
    """Whether the file reaches the checks (a file that is not UTF-8 is refused when read)."""
    try:
        path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def test_build_breaks_at_the_right_place_after_a_good_build_then_builds_when_fixed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "food-safety", project / "standards")
    (project / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    env = {**os.environ, "HANDBOOK_CACHE_DIR": str(tmp_path / "cache")}

    def build(cache_dir: Path | None = None) -> subprocess.CompletedProcess:
        run_env = env if cache_dir is None else {**env, "HANDBOOK_CACHE_DIR": str(cache_dir)}
        return run_module("generator", "build", "--no-forms", cwd=project, env=run_env)

    assert build().returncode == 0
    good = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*") if p.is_file())
    # The template's new ID leaves the chapter's reference to it dangling: the message points into the
    # chapter file, which the store gives back from the good build.
    templates = project / "standards" / "templates.yml"
    text = templates.read_text(encoding="utf-8")
    templates.write_text(text.replace("id: TEMP-LOG", "id: TEMP-LOGS"), encoding="utf-8")
    broken = build()
    cold = build(tmp_path / "empty-cache")
    assert broken.returncode == cold.returncode == 1
    assert "Traceback" not in broken.stderr
    assert broken.stderr == cold.stderr
    assert "standards/chapters/01-storage.yml:" in broken.stderr and "TEMP-LOG" in broken.stderr
    # The last good site is left as it was.
    assert sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*") if p.is_file()) == good

    templates.write_text(text, encoding="utf-8")
    fixed = build()
    assert fixed.returncode == 0, fixed.stderr[-3000:]
