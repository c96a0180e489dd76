"""Golden files: expected output kept beside the tests, refreshed with UPDATE_GOLDENS=1 (then review the diff)."""

from __future__ import annotations

import os
from pathlib import Path

UPDATE_GOLDENS = os.environ.get("UPDATE_GOLDENS", "") not in ("", "0")


def check_golden(path: Path, actual: str) -> None:
    """actual must equal the golden file at path; with UPDATE_GOLDENS=1 it is written there first."""
    if UPDATE_GOLDENS:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with UPDATE_GOLDENS=1 to write it"
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} differs: if intended, run with UPDATE_GOLDENS=1"
