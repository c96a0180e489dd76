"""CPU time of each test (its own process and the children it waited for: builds, form pools), beside its wall time.

Wall times of a suite depend on the load of the machine; CPU seconds hardly do. As a pytest plugin:

    PYTHONPATH=benchmarks SUITE_CPU=/tmp/suite-cpu .venv/bin/python -m pytest -p suite_cpu tests
    .venv/bin/python benchmarks/suite_cpu.py /tmp/suite-cpu      # per module, then the costliest phases

Each xdist worker appends to SUITE_CPU-<worker>.jsonl. Processes still running count too, as they run: the
browser (Playwright's driver and Chromium, alive for a worker's whole session) and the tests' fork server
(tests/forkserver.py) with the children it has reaped, so each build counts for the test that ran it.
"""

from __future__ import annotations

import collections
import glob
import json
import os
import resource
import sys
import time
from pathlib import Path

import pytest

_log = None


_TICK = os.sysconf("SC_CLK_TCK")


def _live_descendants() -> float:
    """CPU seconds of the processes below this one that are still running, with those they have reaped.

    /proc/PID/stat's utime, stime, cutime and cstime: a process reaped by this one moves into RUSAGE_CHILDREN
    as it leaves the tree, one reaped by a descendant into that descendant's cutime, so nothing counts twice.
    Read through os: a test may monkeypatch pathlib.
    """
    parents: dict[int, list[int]] = {}
    seconds: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fd = os.open(f"/proc/{name}/stat", os.O_RDONLY)
            try:
                stat = os.read(fd, 4096).decode()
            finally:
                os.close(fd)
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rfind(")") + 2:].split()
        parents.setdefault(int(fields[1]), []).append(int(name))
        seconds[int(name)] = sum(int(field) for field in fields[11:15])
    total, todo = 0, list(parents.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        total += seconds[pid]
        todo.extend(parents.get(pid, []))
    return total / _TICK


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + _live_descendants()


def _record(item: pytest.Item, phase: str, cpu: float, wall: float) -> None:
    global _log
    if _log is None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        _log = open(f"{os.environ.get('SUITE_CPU', 'suite-cpu')}-{worker}.jsonl", "a", encoding="utf-8")  # noqa: SIM115
    _log.write(json.dumps([item.nodeid, phase, round(_cpu() - cpu, 3), round(time.monotonic() - wall, 3)]) + "\n")
    _log.flush()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    cpu, wall = _cpu(), time.monotonic()
    yield
    _record(item, "setup", cpu, wall)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    cpu, wall = _cpu(), time.monotonic()
    yield
    _record(item, "call", cpu, wall)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    cpu, wall = _cpu(), time.monotonic()
    yield
    _record(item, "teardown", cpu, wall)


def main(prefix: str, modules: int = 40, phases: int = 30) -> None:
    rows = [json.loads(line) for path in glob.glob(f"{prefix}-*.jsonl")
            for line in Path(path).read_text(encoding="utf-8").splitlines()]
    print(f"{len(rows)} phases: {sum(r[2] for r in rows):.1f} CPU s, {sum(r[3] for r in rows):.1f} wall s")
    cpu: collections.Counter[str] = collections.Counter()
    wall: collections.Counter[str] = collections.Counter()
    for nodeid, _, seconds, elapsed in rows:
        cpu[nodeid.split("::")[0]] += seconds
        wall[nodeid.split("::")[0]] += elapsed
    for module, seconds in cpu.most_common(modules):
        print(f"{seconds:7.1f} CPU s {wall[module]:7.1f} wall s  {module}")
    print()
    for nodeid, phase, seconds, elapsed in sorted(rows, key=lambda r: -r[2])[:phases]:
        print(f"{seconds:7.1f} CPU s {elapsed:7.1f} wall s  {phase:8} {nodeid}")


if __name__ == "__main__":
    main(sys.argv[1])
