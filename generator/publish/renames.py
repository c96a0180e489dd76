"""Warnings for standards that look renamed without `replaces:`, placed on their ID in the YAML."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import Problem, Severity
from generator.load.files import display_path
from generator.model import Handbook
from generator.publish.changes import diff_editions, likely_renames


def rename_warnings(standards: Path, previous: Handbook | None, handbook: Handbook) -> list[Problem]:
    """One warning per likely rename from previous to handbook, at the `id:` of the new standard."""
    if previous is None:
        return []
    problems = []
    for gone, new in likely_renames(diff_editions(previous, handbook)):
        path, line, col = _find_id(standards, new.id)
        problems.append(Problem(
            path=path, line=line, col=col, severity=Severity.WARNING,
            message=f"{new.id} looks like {gone.id} of {previous.edition.label} renamed",
            hint=f"if it is, add 'replaces: {gone.id}' to {new.id}; if not, give the reason {gone.id} "
                 f"was removed under edition.retired"))
    return problems


def _find_id(standards: Path, std_id: str) -> tuple[str, int, int]:
    pattern = re.compile(rf"^(\s*-?\s*)id:\s*['\"]?{re.escape(std_id)}['\"]?\s*(#.*)?$")
    for path in sorted(standards.rglob("*.y*ml")):
        for number, text in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            match = pattern.match(text)
            if match:
                return display_path(path), number, len(match.group(1)) + 1
    return display_path(standards), 1, 1
