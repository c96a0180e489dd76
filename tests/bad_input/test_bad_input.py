"""Every case under tests/bad_input/ fails the way its expected.txt says: exit 1, located, hinted, small.

See README.md in this folder for the layout of a case. UPDATE_GOLDENS=1 rewrites expected.txt. How long
each case takes is measured by benchmarks/bad_input_bench.py (target: 2 s), not asserted here: a test
must not fail because the machine is busy. A case that hangs is still killed, and so fails.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, HANDBOOK, ROOT

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


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run_validate(standards: Path, tmp_path: Path) -> tuple[int, str, str, float, int]:
    """Run `handbook validate` in a child; return exit code, stdout, stderr, seconds and peak RSS (KiB)."""
    out_path, err_path = tmp_path / "stdout", tmp_path / "stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen([*HANDBOOK, "validate", "--standards", str(standards)], cwd=ROOT,
                                stdout=out, stderr=err, preexec_fn=_limit_memory)
        killer = threading.Timer(HANG_LIMIT, os.kill, (proc.pid, signal.SIGKILL))  # a hang fails, it does not block
        killer.start()
        try:
            # wait4 rather than Popen.wait: it reports the child's own peak memory.
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    return (proc.returncode, out_path.read_text(encoding="utf-8"), err_path.read_text(encoding="utf-8"),
            seconds, usage.ru_maxrss)


@pytest.mark.parametrize(("folder", "spec"), _cases())
def test_bad_input(folder: Path, spec: dict, tmp_path: Path) -> None:
    standards = _prepare(folder, spec, tmp_path)
    code, stdout, stderr, _, peak_kb = _run_validate(standards, tmp_path)
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
