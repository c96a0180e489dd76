"""Warnings for standards that look renamed without `replaces:`, placed on their ID in the YAML."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import Problem, Severity
from generator.load.files import display_path
from generator.messages import say
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
            message=say("renames.likely", new=new.id, old=gone.id, edition=previous.edition.label),
            hint=say("renames.likely.hint", new=new.id, old=gone.id)))
    return problems


def _find_id(standards: Path, std_id: str) -> tuple[str, int, int]:
    pattern = re.compile(rf"^(\s*-?\s*)id:\s*['\"]?{re.escape(std_id)}['\"]?\s*(#.*)?$")
    for path in sorted(standards.rglob("*.y*ml")):
        for number, text in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            match = pattern.match(text)
            if match:
                return display_path(path), number, len(match.group(1)) + 1
    return display_path(standards), 1, 1
