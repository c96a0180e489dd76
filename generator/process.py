"""Processes this tool starts end with it; a terminated run cleans up as an interrupted one does."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int | None) -> None:
    """In a child process: be killed when its parent ends, even by kill -9 (Linux; elsewhere nothing happens).

    A helper left running would keep the caller's stdout and stderr open, and a script waiting for the
    build to finish would wait for ever. parent: the forking process's id, to catch its end before this
    call; None when the child was not forked by it directly (a forkserver's child).
    """
    if sys.platform != "linux":
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def exit_cleanly_on_sigterm() -> None:
    """SIGTERM ends the program through the same clean-up as Ctrl-C (temporary folders removed)."""
    signal.signal(signal.SIGTERM, _terminated)


def usable_cores() -> int:
    """The cores this process may run on (`taskset -c 0` leaves one), not all the machine has."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1
