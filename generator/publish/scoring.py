"""`handbook score`: units' answers files read, carried over from older editions, scored."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.errors import HandbookError, Problem
from generator.model import Handbook
from generator.model.rating import UnitResult, assessment_data, check_key, score
from generator.publish.changes import ChangeKind, diff_editions
from generator.validate.answers import check_answers, parse_answers


def blank_answers(handbook: Handbook) -> dict[str, Any]:
    """An empty answers file for the edition: every check's key with null."""
    keys = {check_key(std.id, n): None for _, std in handbook.standards() for n in range(1, len(std.checks) + 1)}
    return {"edition": handbook.edition.id, "unit": "", "date": "", "answers": keys}


def score_files(handbook: Handbook, files: Sequence[Path], previous: Sequence[Handbook] = ()) -> list[UnitResult]:
    """Every file scored; any bad file raises HandbookError with every problem of every file.

    previous: older editions (their standards.json); answers given for one of them are carried over.
    """
    data = assessment_data(handbook)
    maxima = {c["key"]: c["points"] for chapter in data["chapters"] for c in chapter["checks"]}
    older = {book.edition.id: book for book in previous if book.edition.id != handbook.edition.id}
    problems: list[Problem] = []
    results: list[UnitResult] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem.in_file(str(path), "scoring.unreadable", error=error))
            continue
        parsed, found = parse_answers(str(path), text)
        problems += found
        if parsed is None or found:
            continue
        carried: tuple[str, ...] = ()
        not_carried: tuple[str, ...] = ()
        answers = parsed.answers
        if parsed.edition != handbook.edition.id:
            old = older.get(parsed.edition)
            if old is None:
                known = ", ".join([handbook.edition.id, *older]) or handbook.edition.id
                problems.append(Problem.in_file(str(path), "scoring.other_edition", edition=parsed.edition,
                                                current=handbook.edition.id, known=known))
                continue
            old_maxima = {check_key(std.id, n): item.points for _, std in old.standards()
                          for n, item in enumerate(std.checks, start=1)}
            found = check_answers(parsed, answers, old_maxima)
            if found:
                problems += found
                continue
            answers, carried, not_carried = carry_over(old, handbook, answers)
        else:
            found = check_answers(parsed, answers, maxima)
            if found:
                problems += found
                continue
        answers = {key: answers.get(key) for key in maxima}
        results.append(UnitResult(path=str(path), unit=parsed.unit, date=parsed.date, edition=parsed.edition,
                                  answers=answers, score=score(data, answers), carried=carried,
                                  not_carried=not_carried))
    if problems:
        raise HandbookError(problems)
    return results


def carry_over(old: Handbook, new: Handbook, answers: dict[str, Any]
               ) -> tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]:
    """Answers of the old edition in the new edition's keys, through the diff between the two.

    A check carries over when the standard that continues it (same ID, renamed, moved, merged, split)
    has a check with the same text and at least the points a partial answer gave.
    Returns (answers, old keys carried, old keys not carried).
    """
    successors: dict[str, list[str]] = {std.id: [std.id] for _, std in new.standards()}
    for change in diff_editions(old, new):
        if change.kind in (ChangeKind.RENAMED, ChangeKind.MERGED):
            for old_id in change.old_ids:
                successors.setdefault(old_id, []).append(change.id)
        elif change.kind == ChangeKind.SPLIT:
            successors[change.id] = [*successors.get(change.id, []), *change.new_ids]
        elif change.kind == ChangeKind.REMOVED:
            successors.pop(change.id, None)
    new_checks = {std.id: std.checks for _, std in new.standards()}
    carried_into: dict[str, Any] = {}
    carried: list[str] = []
    not_carried: list[str] = []
    for _, std in old.standards():
        for n, item in enumerate(std.checks, start=1):
            key = check_key(std.id, n)
            answer = answers.get(key)
            if answer is None:
                continue
            target = _same_check(item.text, successors.get(std.id, []), new_checks, answer, carried_into)
            if target is None:
                not_carried.append(key)
            else:
                carried_into[target] = answer
                carried.append(key)
    return carried_into, tuple(carried), tuple(not_carried)


def _same_check(text: str, candidates: list[str], checks: dict, answer: dict, taken: dict) -> str | None:
    for std_id in candidates:
        for n, item in enumerate(checks.get(std_id, ()), start=1):
            key = check_key(std_id, n)
            if item.text == text and key not in taken and (answer.get("points") or 0) <= item.points:
                return key
    return None
