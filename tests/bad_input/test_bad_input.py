"""Every case under tests/bad_input/ fails the way its expected.txt says: exit 1, located, hinted, small.

See README.md in this folder for the layout of a case. UPDATE_GOLDENS=1 rewrites expected.txt. How long
each case takes is measured by benchmarks/bad_input_bench.py (target: 2 s), not asserted here: a test
must not fail because the machine is busy. A case that hangs is still killed, and so fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from tests import forkserver
from tests.conftest import FIXTURES, ROOT

CASES = Path(__file__).resolve().parent
PLACEHOLDER = "<standards>"
HANG_LIMIT = 30  # seconds: a bomb that hangs the validator is killed, and the case fails (not a timing check)
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the child; exceeding it is a failure, not a hang
RSS_LIMIT_KB = 300 * 1024  # peak resident memory actually used


def _huge_file(standards: Path, outside: Path) -> None:
    # 50 MB of valid-looking YAML: the size limit must refuse it before reading or parsing.
    line = b"# " + b"x" * 97 + b"\n"
    with open(standards / "chapters" / "02-huge.yml", "wb") as out:
        out.write(b"chapter: huge\ntitle: Huge\nstandards: []\n")
        block = line * 10_000
        out.writelines(block for _ in range(50))
        out.write(line * (50 * 1024 * 1024 // len(line) - 500_000))


def _many_values(standards: Path, outside: Path) -> None:
    # Under the size limit but beyond the value limit: stopped while composing, not after.
    (standards / "chapters" / "02-many.yml").write_text(
        "chapter: many\ntitle: Many\nstandards: [" + "x, " * 400_000 + "]\n", encoding="utf-8")


def _symlink_file(standards: Path, outside: Path) -> None:
    target = outside / "02-outside.yml"
    target.write_text("chapter: outside\ntitle: Outside\nstandards: []\n", encoding="utf-8")
    (standards / "chapters" / "02-outside.yml").symlink_to(target)


def _symlink_folder(standards: Path, outside: Path) -> None:
    folder = outside / "more"
    folder.mkdir()
    (folder / "02-outside.yml").write_text("chapter: outside\ntitle: Outside\nstandards: []\n", encoding="utf-8")
    (standards / "chapters" / "more").symlink_to(folder, target_is_directory=True)


def _fifo(standards: Path, outside: Path) -> None:
    # A named pipe: reading it would wait for a writer for ever.
    os.mkfifo(standards / "chapters" / "02-pipe.yml")


def _long_field(standards: Path, outside: Path) -> None:
    # Under the file-size limit, but one text field long enough to take minutes to lay out as forms.
    path = standards / "chapters" / "01-storage.yml"
    text = path.read_text(encoding="utf-8")
    long = "Keep it cold. " * 100_000
    path.write_text(text.replace("text: Check every fridge at **opening** and record the reading.", f"text: {long}"),
                    encoding="utf-8")


GENERATORS = {
    "fifo": _fifo,
    "long-field": _long_field,
    "huge-file": _huge_file,
    "many-values": _many_values,
    "symlink-file": _symlink_file,
    "symlink-folder": _symlink_folder,
}


def _cases() -> list:
    params = []
    for folder in sorted(p for p in CASES.iterdir() if (p / "case.yml").is_file()):
        spec = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8")) or {}
        marks = [pytest.mark.xfail(reason=spec["xfail"], strict=True)] if spec.get("xfail") else []
        params.append(pytest.param(folder, spec, id=folder.name, marks=marks))
    return params


def _prepare(folder: Path, spec: dict, tmp_path: Path) -> Path:
    standards = tmp_path / "standards"
    if spec.get("base"):
        shutil.copytree(FIXTURES / spec["base"], standards)
    else:
        standards.mkdir()
    if (folder / "standards").is_dir():
        shutil.copytree(folder / "standards", standards, dirs_exist_ok=True)
    if spec.get("generate"):
        outside = tmp_path / "outside"
        outside.mkdir()
        GENERATORS[spec["generate"]](standards, outside)
    return standards


def _run_validate(standards: Path) -> tuple[int, str, str, int]:
    """`handbook validate` in a child under the memory limit; return exit code, stdout, stderr and peak RSS (KiB).

    The child is forked from the light fork server (tests/forkserver.py), which has imported only what
    `python -m generator` imports as it starts: the same memory as a new interpreter's at that point, and the
    child's own peak, as a real `handbook validate` would have. A hang is killed after HANG_LIMIT and fails.
    """
    result, peak_kb = forkserver.run_measured(["validate", "--standards", str(standards)], cwd=ROOT,
                                              memory_limit=MEMORY_LIMIT, timeout=HANG_LIMIT)
    return result.returncode, result.stdout, result.stderr, peak_kb


@pytest.mark.parametrize(("folder", "spec"), _cases())
def test_bad_input(folder: Path, spec: dict, tmp_path: Path) -> None:
    standards = _prepare(folder, spec, tmp_path)
    code, stdout, stderr, peak_kb = _run_validate(standards)
    shown = stderr.replace(str(standards), PLACEHOLDER)
    expected_file = folder / "expected.txt"
    if os.environ.get("UPDATE_GOLDENS") and code == 1:
        expected_file.write_text(shown, encoding="utf-8")
    assert "Traceback" not in stderr
    assert (code, stdout) == (1, ""), stderr
    assert shown == expected_file.read_text(encoding="utf-8")
    assert ": error: " in shown and "\n  hint: " in shown
    assert peak_kb < RSS_LIMIT_KB, f"peak memory {peak_kb} KiB"


def test_corpus_covers_the_issue() -> None:
    """The issue asks for at least 30 cases; each folder is a case or a mistake."""
    folders = [p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))]
    assert all((p / "case.yml").is_file() and (p / "expected.txt").is_file() for p in folders)
    assert len(folders) >= 30
