"""Input the YAML validator does not see (snapshots, folders, disks, edition names) fails with a message and
exit 1: exit 3 is for bugs only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FOOD_SAFETY, run_handbook


@pytest.mark.parametrize(("content", "got"), [("[]", "list"), ("null", "NoneType"), ('"text"', "str")])
def test_malformed_snapshot(tmp_path: Path, content: str, got: str) -> None:
    snapshot = tmp_path / "standards.json"
    snapshot.write_text(content, encoding="utf-8")
    result = run_handbook("diff", str(snapshot), str(FOOD_SAFETY), "--lang", "en")  # run beside the Chinese handbook
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"handbook: error: {snapshot}: not a handbook export (a JSON object was expected, got {got})",
        "  hint: give the standards.json that `handbook build` or `handbook publish` wrote"]


def test_huge_snapshot_is_refused_unread(tmp_path: Path) -> None:
    snapshot = tmp_path / "standards.json"
    with open(snapshot, "wb") as out:
        out.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no room
    result = run_handbook("diff", str(snapshot), str(FOOD_SAFETY), "--lang", "en")  # run beside the Chinese handbook
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"handbook: error: {snapshot}: 209,715,200 bytes, more than the limit of 67,108,864 for a standards.json")


def test_missing_standards_folder(tmp_path: Path) -> None:
    result = run_handbook("build", "--standards", str(tmp_path / "nowhere"), "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[:2] == [
        f"{tmp_path / 'nowhere'}:1:1: error: standards folder not found",
        "  hint: pass the folder holding handbook.yml with --standards DIR"]


def test_unwritable_output_names_the_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_handbook("build", "--standards", str(FOOD_SAFETY), "--no-forms", "--site-dir", str(blocker / "site"))
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [  # a file where the folder would be made
        f"handbook: error: {blocker}: File exists",
        "  hint: check the free space and the permissions there; the previous output is unchanged"]


def test_edition_named_like_a_file_of_the_published_folder(tmp_path: Path) -> None:
    standards = tmp_path / "standards"
    shutil.copytree(FOOD_SAFETY, standards)
    handbook = standards / "handbook.yml"
    handbook.write_text(handbook.read_text(encoding="utf-8").replace('id: "1.0"', 'id: "versions.json"'),
                        encoding="utf-8")
    result = run_handbook("publish", "--standards", str(standards), "--out", str(tmp_path / "public"), "--no-forms")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "handbook: error: edition ID 'versions.json' is the name of a file the published folder needs",
        "  hint: change edition.id in handbook.yml"]


def test_the_installed_command_and_python_m_generator_are_real_entry_points(tmp_path: Path) -> None:
    """The console script and `python -m generator`, each as a real new process (the other tests' children are
    forked from a server that has the tool imported: tests/forkserver.py)."""
    import subprocess
    import sys

    script = Path(sys.executable).parent / "handbook"
    for command in ([str(script)], [sys.executable, "-m", "generator"]):
        ok = subprocess.run([*command, "validate", "--standards", str(FOOD_SAFETY), "--lang", "en"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
        assert (ok.returncode, ok.stderr) == (0, ""), ok.stderr
        assert ok.stdout == (f"{FOOD_SAFETY}: ok: 1 chapters, 2 standards, 1 templates, 1 glossary terms\n")
        usage = subprocess.run([*command, "no-such-verb"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert usage.returncode == 2 and "invalid choice: 'no-such-verb'" in usage.stderr, usage.stderr
