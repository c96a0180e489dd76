"""Warnings for standards that look renamed without `replaces:`, placed on their ID in the YAML."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import Place, Problem, Severity
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
        problems.append(Problem.at(
            _find_id(standards, new.id), say("renames.likely", new=new.id, old=gone.id, edition=previous.edition.label),
            say("renames.likely.hint", new=new.id, old=gone.id), severity=Severity.WARNING))
    return problems


def _find_id(standards: Path, std_id: str) -> Place:
    pattern = re.compile(rf"^(\s*-?\s*)id:\s*['\"]?{re.escape(std_id)}['\"]?\s*(#.*)?$")
    for path in sorted(standards.rglob("*.y*ml")):
        for number, text in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            match = pattern.match(text)
            if match:
                return Place(path=display_path(path), line=number, col=len(match.group(1)) + 1)
    return Place(path=display_path(standards))
