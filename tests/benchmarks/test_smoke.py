"""benchmarks/run.py --smoke completes and reports every row; no timing is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench


def test_smoke_run_prints_every_row(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--work", str(tmp_path)],
                            cwd=ROOT, check=False, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "| measure | unit | N = 5 |" in lines
    for key, label, unit in bench.ROWS:
        row = next((line for line in lines if line.startswith(f"| {label} | {unit} |")), None)
        if key.startswith("p_"):  # rows of a --patched tree are left out when there is none
            assert row is None, row
            continue
        assert row is not None, f"no row for {label!r} in:\n{result.stdout}"
        # --smoke leaves StrictDoc and Pagefind out
        skipped = label.startswith(("StrictDoc", "peak RSS, StrictDoc", "Pagefind"))
        assert row.endswith("| – |") == skipped, row
    assert "forms rendered on the cached rebuild |  | 0 |" in result.stdout  # the cache's promise, not a time
    assert "book files rendered on the cached rebuild |  | 0 |" in result.stdout
    assert (tmp_path / "results.json").is_file()


def test_only_measures_the_steps_named(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--only", "serve",
                             "--work", str(tmp_path)],
                            cwd=ROOT, check=False, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = {line.split(" | ")[0][2:]: line for line in result.stdout.splitlines() if line.startswith("| ")}
    for key, label, _ in bench.ROWS:
        if key.startswith("p_"):
            continue
        assert rows[label].endswith("| – |") != (key == "serve_edit"), rows[label]
    assert not (tmp_path / "n12" / "floor").exists()  # the floor is prepared for the builds only


def test_generated_handbook_is_valid_and_reproducible(tmp_path: Path) -> None:
    from make_handbook import handbook_files, write_handbook

    from generator.validate import load_handbook

    handbook = load_handbook(write_handbook(120, tmp_path / "standards"))
    assert len(handbook.standards()) == 120
    assert len(handbook.chapters) == 3
    assert all(std.checks and len(std.text) >= 60 for _, std in handbook.standards())
    assert handbook_files(120) == handbook_files(120)
    assert handbook_files(120) != handbook_files(120, seed=1)


def test_sdoc_holds_every_standard(tmp_path: Path) -> None:
    from make_handbook import write_handbook

    write_handbook(60, tmp_path / "standards")
    folder = bench.write_sdoc(tmp_path)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.sdoc")))
    assert text.count("[REQUIREMENT]") == 60
    assert text.count("STATEMENT: >>>") == text.count("<<<") == 60
    assert "UID: S001-01\n" in text


def test_sdoc_carries_each_standards_checks_as_a_table(tmp_path: Path) -> None:
    from make_handbook import write_handbook

    from generator.validate import load_handbook

    handbook = load_handbook(write_handbook(30, tmp_path / "standards"))
    folder = bench.write_sdoc(tmp_path)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.sdoc")))
    checks = [c for _, std in handbook.standards() for c in std.checks]
    assert text.count(".. list-table::") == 30
    assert text.count("   * - 检查内容\n     - 分值\n") == 30
    for check in checks:
        assert f"   * - {' '.join(check.text.split())}\n     - {check.points}\n" in text


def test_one_core_pins_the_measured_command(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(bench, "PIN", ["taskset", "-c", "0"])
    log = tmp_path / "log"
    bench.run([sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"], cwd=tmp_path, log=log)
    assert log.read_text(encoding="utf-8") == "[0]\n"
