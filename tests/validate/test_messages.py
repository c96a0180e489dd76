"""Exact messages for invalid input: what an editor sees is part of the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import HandbookError
from generator.validate import load_handbook
from tests.conftest import run_handbook


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root: Path) -> str:
    with pytest.raises(HandbookError) as caught:
        load_handbook(root)
    return caught.value.format().replace(str(root), "S")


CASES = {
    "unknown key with suggestion": (
        "chapters/01-storage.yml", "    frequency: daily", "    frequncy: daily",
        "S/chapters/01-storage.yml:8:5: error: unknown key 'frequncy' in standard CS-01\n"
        "  hint: did you mean 'frequency'?"),
    "wrong type": (
        "chapters/01-storage.yml", "    points: 6", "    points: six",
        "S/chapters/01-storage.yml:19:13: error: standards[0].points in standard CS-01 must be a whole number, "
        "got text 'six'\n"
        "  hint: write a number without quotes, e.g. points: 4"),
    "bad enum value": (
        "chapters/01-storage.yml", "    frequency: daily", "    frequency: dayly",
        "S/chapters/01-storage.yml:8:16: error: unknown frequency 'dayly' in standard CS-01\n"
        "  hint: did you mean 'daily'? Frequency IDs are defined under vocabulary.frequencies in the handbook file: daily, weekly"),
    "missing template": (
        "chapters/01-storage.yml", "template: TEMP-LOG", "template: TEMP-LOGS",
        "S/chapters/01-storage.yml:16:19: error: unknown template 'TEMP-LOGS' in standard CS-01\n"
        "  hint: did you mean 'TEMP-LOG'?"),
    "missing related standard": (
        "chapters/01-storage.yml", "related: [CS-02]", "related: [CS-09]",
        "S/chapters/01-storage.yml:26:15: error: unknown standard 'CS-09' in standard CS-01\n"
        "  hint: did you mean 'CS-02'?"),
    "id not usable in a URL": (
        "chapters/01-storage.yml", "  - id: CS-02", "  - id: CS 02/x",
        "S/chapters/01-storage.yml:28:9: error: standards[1].id 'CS 02/x' is not a valid ID\n"
        "  hint: use ASCII letters, digits, '-' and '_', starting with a letter (e.g. SHYK-01)"),
    "checklist points do not add up": (
        "chapters/01-storage.yml", "        points: 3\n    related", "        points: 2\n    related",
        "S/chapters/01-storage.yml:19:13: error: checklist points of standard CS-01 add up to 5, but points is 6\n"
        "  hint: make the points of its checks add up to its points, or correct points"),
    "total does not add up": (
        "handbook.yml", "  total: 10", "  total: 12",
        "S/handbook.yml:21:10: error: the standards' points add up to 10, but rating.total is 12\n"
        "  hint: correct rating.total or the points of the standards; by chapter: storage 10"),
    "duplicate mapping key": (
        "chapters/01-storage.yml", "    title: Fridge temperatures are logged",
        "    title: Fridge temperatures are logged\n    title: again",
        "S/chapters/01-storage.yml:7:5: error: duplicate key 'title' (first at line 6)\n"
        "  hint: remove one of the two; YAML keeps only one value per key"),
    "tab indentation": (
        "glossary.yml", "    term: Cold holding", "\tterm: Cold holding",
        "S/glossary.yml:3:1: error: YAML syntax error: tab character used for indentation\n"
        "  hint: YAML indents with spaces only; replace the tab with spaces"),
    "unknown label key": (
        "handbook.yml", "edition:\n", "labels:\n  chapterz: Parts\nedition:\n",
        "S/handbook.yml:7:3: error: unknown label 'chapterz' under labels:\n"
        "  hint: did you mean 'chapter'?"),
    "reserved ID": (
        "glossary.yml", "  - id: cold-holding", "  - id: Index",
        "S/glossary.yml:2:9: error: glossary term ID 'Index' is reserved\n"
        "  hint: the site uses this name for its own pages; choose another ID"),
    "IDs that differ only in case": (
        "chapters/01-storage.yml", "  - id: CS-02\n", "  - id: cs-01\n",
        "S/chapters/01-storage.yml:26:15: error: unknown standard 'CS-02' in standard CS-01\n"
        "  hint: did you mean 'CS-01'?\n"
        "S/chapters/01-storage.yml:28:9: error: duplicate standard ID 'cs-01' (differs only in case) "
        "(also at S/chapters/01-storage.yml:5:5)\n"
        "  hint: every standard needs its own ID; rename one of them"),
    "rows out of bounds": (
        "templates.yml", "rows: 20", "rows: 12000",
        "S/templates.yml:10:11: error: template TEMP-LOG asks for 12000 rows\n"
        "  hint: a register has 1 to 200 blank rows"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_exact_message(food_safety: Path, case: str) -> None:
    name, old, new, expected = CASES[case]
    edit(food_safety, name, old, new)
    assert problems(food_safety) == expected


def test_duplicate_id_across_files_names_both_places(food_safety: Path) -> None:
    (food_safety / "chapters" / "02-more.yml").write_text(
        "chapter: more\ntitle: More\nstandards:\n  - id: CS-02\n    title: Again\n    text: x\n"
        "    frequency: daily\n    responsible: [staff]\n    basis: []\n    evidence: []\n"
        "    methods: [observe]\n    points: 0\n    checks: []\n", encoding="utf-8")
    assert problems(food_safety) == (
        "S/chapters/02-more.yml:4:9: error: duplicate standard ID 'CS-02' (also at S/chapters/01-storage.yml:28:5)\n"
        "  hint: every standard needs its own ID; rename one of them")


def test_every_problem_is_reported_at_once(food_safety: Path) -> None:
    edit(food_safety, "chapters/01-storage.yml", "    frequency: daily", "    frequency: dayly")
    edit(food_safety, "glossary.yml", "    term: Cold holding", "    term: Cold holding\n    term: again")
    edit(food_safety, "templates.yml", "rows: 20", "rows: many")
    assert problems(food_safety).count(": error: ") == 3


def test_cli_exit_codes_and_no_traceback(food_safety: Path) -> None:
    ok = run_handbook("validate", "--standards", str(food_safety))
    assert ok.returncode == 0, ok.stderr
    edit(food_safety, "chapters/01-storage.yml", "    points: 6", "    points: six")
    bad = run_handbook("validate", "--standards", str(food_safety))
    assert bad.returncode == 1
    assert "01-storage.yml:19:13: error: standards[0].points in standard CS-01 must be a whole number" in bad.stderr
    assert "  hint: " in bad.stderr and "Traceback" not in bad.stderr
    usage = run_handbook("validate", "--no-such-option")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
