"""benchmarks/run.py --smoke completes and reports every row; no timing is asserted."""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from tests import forkserver
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench


def _forked_usage(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None,
                  log: Path | None = None) -> tuple[float, os.struct_rusage]:
    """bench.run_usage with the measured command forked from the worker's fork server (tests/forkserver.py):
    the same `python -m …` or `python -c …` in the same folder with the same environment, its output into the
    same log, its exit status, CPU seconds and peak memory as os.wait4 reports them; a real process where a
    fork cannot stand for it. The command's own imports are the server's (the figures are not the point)."""
    log = log or cwd / "last-command.log"
    environment = {**os.environ, **(env or {})}
    if environment.get("PYTHONPATH") == str(ROOT):  # "this tree's generator", which the server has imported
        environment["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
        if not environment["PYTHONPATH"]:
            del environment["PYTHONPATH"]
    started = time.perf_counter()
    end = forkserver.run_logged(cmd, cwd=cwd, env=environment, log=log)
    if end is None:
        return _real_usage(cmd, cwd=cwd, env=env, log=log)
    elapsed = time.perf_counter() - started
    if end["status"] != 0:
        raise bench.command_failed(cmd, end["status"], log)
    usage = types.SimpleNamespace(ru_utime=end["utime"], ru_stime=end["stime"], ru_maxrss=end["maxrss"])
    return elapsed, usage


_real_usage = bench.run_usage


def test_smoke_run_prints_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """`run.py --smoke` as CI runs it (bench.main), every measure taken: builds, floor, serve, search, forms,
    book. The measured `handbook`/`mkdocs`/forms commands are forked from the fork server instead of each
    starting an interpreter (`_forked_usage`), which checks the same rows for a fraction of the CPU; the
    script as a real process is run by test_only_measures_the_steps_named, bench.run's real processes by
    test_one_core_pins_the_measured_command, and `handbook serve` is a real process here."""
    monkeypatch.setattr(bench, "run_usage", _forked_usage)
    # In a thread of its own: the search measure starts Playwright's sync API, which a thread may run once
    # (this worker's browser fixture may be running it in the main thread).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(bench.main, ["--smoke", "--work", str(tmp_path)]).result() == 0
    stdout = capsys.readouterr().out
    lines = stdout.splitlines()
    assert "| measure | unit | N = 5 |" in lines
    for key, label, unit in bench.ROWS:
        row = next((line for line in lines if line.startswith(f"| {label} | {unit} |")), None)
        if key.startswith("p_"):  # rows of a --patched tree are left out when there is none
            assert row is None, row
            continue
        assert row is not None, f"no row for {label!r} in:\n{stdout}"
        # --smoke leaves StrictDoc and Pagefind out
        skipped = label.startswith(("StrictDoc", "peak RSS, StrictDoc", "Pagefind"))
        assert row.endswith("| – |") == skipped, row
    assert "forms rendered on the cached rebuild |  | 0 |" in stdout  # the cache's promise, not a time
    assert "book files rendered on the cached rebuild |  | 0 |" in stdout
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
