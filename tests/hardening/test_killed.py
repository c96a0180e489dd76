"""Killed runs lose nothing: a kill at the swap leaves the output in place, a killed or terminated build
leaves no helper process and no scratch folder behind (the next run removes what kill -9 left)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import HANDBOOK, ROOT

# Runs `replacing(target)` in a process that kills itself (kill -9) inside the swap, at a chosen rename.
SWAP_AND_DIE = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from generator import fs
    from generator.publish.build import replacing

    target, where = Path(sys.argv[1]), sys.argv[2]
    real_exchange, real_rename = fs.exchange, os.rename

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def exchange(a, b):
        if where == "no-exchange":
            return False
        done = real_exchange(a, b)
        die()

    renames = []

    def rename(a, b):
        renames.append(a)
        if where == "no-exchange" and len(renames) == 2:
            die()  # between moving the old folder aside and moving the new one in
        real_rename(a, b)

    fs.exchange, fs.os.rename = exchange, rename
    with replacing(target) as work:
        (work / "page.html").write_text("new", encoding="utf-8")
""")


def _output(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    target.mkdir()
    (target / ".handbook-output").write_text("", encoding="utf-8")
    (target / "page.html").write_text("old", encoding="utf-8")
    return target


def _swap_and_die(target: Path, where: str) -> None:
    result = subprocess.run([sys.executable, "-c", SWAP_AND_DIE, str(target), where], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr


def _next_run(target: Path) -> None:
    from generator.publish.build import replacing

    with replacing(target) as work:
        (work / "page.html").write_text("next", encoding="utf-8")


def test_kill_at_the_swap_leaves_the_new_site_in_place(tmp_path: Path) -> None:
    target = _output(tmp_path)
    _swap_and_die(target, "exchange")
    assert (target / "page.html").read_text(encoding="utf-8") == "new"  # never missing, never half
    _next_run(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the previous copy is gone


def test_kill_between_two_renames_is_undone_by_the_next_run(tmp_path: Path) -> None:
    # Where folders cannot be exchanged in one step, the old site is moved aside first.
    target = _output(tmp_path)
    _swap_and_die(target, "no-exchange")
    from generator import fs

    fs.recover(target)
    assert (target / "page.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_build(tmp_path: Path) -> tuple[subprocess.Popen, set[int]]:
    """A cold build of the bundled handbook, with forms and a helper process; returns once it has helpers."""
    env = {**os.environ, "HANDBOOK_CACHE_DIR": str(tmp_path / "cache"), "HANDBOOK_JOBS": "2"}
    proc = subprocess.Popen([*HANDBOOK, "build", "--site-dir", str(tmp_path / "site")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    end = time.monotonic() + 300
    while time.monotonic() < end and proc.poll() is None:
        children = _children(proc.pid)
        if children:
            return proc, children
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"the build made no helper process: {proc.communicate()[1][-2000:]!r}")


def _scratch(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site."))


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_no_helper_and_no_scratch(tmp_path: Path, how: int) -> None:
    proc, children = _start_build(tmp_path)
    time.sleep(1)
    children |= _children(proc.pid)
    proc.send_signal(how)
    # A helper that outlived the build would hold these pipes open and this would time out.
    proc.communicate(timeout=120)
    assert proc.returncode in (128 + how, -how)
    end = time.monotonic() + 30
    while any(_alive(pid) for pid in children) and time.monotonic() < end:
        time.sleep(0.1)
    assert [pid for pid in children if _alive(pid)] == []
    if how == signal.SIGTERM:
        assert _scratch(tmp_path) == []
    else:  # nothing can run at kill -9: the next run cleans up
        assert len(_scratch(tmp_path)) == 1
        from generator.publish.build import replacing

        with replacing(tmp_path / "site"):
            pass
        assert _scratch(tmp_path) == []
