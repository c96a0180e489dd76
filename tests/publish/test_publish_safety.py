"""Publishing under stress: two publishes at once, a publish killed half-way, aliases and git revisions that
try to reach outside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests import forkserver
from tests.conftest import HANDBOOK, run_handbook
from tests.publish.helpers import project


def _publish(root: Path, standards: str, *extra: str) -> subprocess.CompletedProcess:
    return run_handbook("publish", "--standards", standards, "--no-forms", *extra, cwd=root)


def _versions(public: Path) -> list[tuple[str, list[str]]]:
    return [(v["version"], v["aliases"]) for v in json.loads((public / "versions.json").read_text(encoding="utf-8"))]


def test_two_publishes_at_once_both_count(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    runs = [subprocess.Popen([*HANDBOOK, "publish", "--standards", s, "--no-forms"], cwd=root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in ("new", "old")]
    results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [0, 0], results
    public = root / "public"
    assert _versions(public) == [("2026", ["latest"]), ("2024", [])]
    assert 'url=latest/' in (public / "index.html").read_text(encoding="utf-8")  # the alias of the edition in force
    assert json.loads((public / "latest" / "standards.json").read_text(encoding="utf-8"))["edition"]["id"] == "2026"
    assert sorted(p.name for p in public.iterdir()) == ["2024", "2026", "index.html", "latest", "versions.json"]


# Publishes, killing itself (kill -9) right after the edition folder is swapped in.
PUBLISH_AND_DIE = textwrap.dedent("""
    import os, signal, sys
    from generator import fs
    from generator.cli import main

    real = fs.swap_in

    def swap_in(work, target, *rest):
        real(work, target, *rest)
        os.kill(os.getpid(), signal.SIGKILL)

    fs.swap_in = swap_in
    main(["publish", "--standards", "new", "--no-forms"])
""")


def test_a_publish_killed_after_the_swap_is_finished_by_the_next(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    assert _publish(root, "old").returncode == 0
    # `python -c PUBLISH_AND_DIE`, forked from the fork server: the tool is imported already; it kills itself.
    log = tmp_path / "killed.log"
    killed = forkserver.run_logged([sys.executable, "-c", PUBLISH_AND_DIE], cwd=root, env=os.environ, log=log)
    assert killed is not None and killed["status"] == -9, log.read_text(encoding="utf-8")[-3000:]
    public = root / "public"
    assert (public / "2026").is_dir() and _versions(public) == [("2024", ["latest"])]
    again = _publish(root, "new")  # not "already published": versions.json does not list it
    assert again.returncode == 0, again.stderr[-3000:]
    assert _versions(public) == [("2026", ["latest"]), ("2024", [])]
    # Nothing temporary inside the published tree, nor left beside it.
    assert sorted(p.name for p in public.iterdir()) == ["2024", "2026", "index.html", "latest", "versions.json"]
    assert [p.name for p in root.iterdir() if p.name.startswith(".") and ".new-" in p.name] == []


def test_alias_must_be_a_plain_name(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    for alias in ("../x", str(tmp_path / "abs"), "a/b", "versions.json"):
        result = _publish(root, "new", "--alias", alias)
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines() == [
            f"handbook: error: --alias {alias!r} is not a plain folder name",
            "  hint: use letters, digits, '.', '-' and '_' (no '/' and no '..'), e.g. --alias latest"]
    assert not (root / "x").exists() and not (tmp_path / "abs").exists() and not (root / "public").exists()


def test_git_revision_is_never_an_option(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    for spec in ("git:--output=victim.txt", "git:-o victim.txt"):
        result = run_handbook("diff", spec, "new", cwd=root)
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith(f"handbook: error: {spec}: not a revision"), result.stderr
    assert not (root / "victim.txt").exists()
