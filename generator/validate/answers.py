"""A unit's answers file (the self-assessment's JSON), checked against an edition's checks.

Format: {"edition": "<id>", "unit": "", "date": "", "answers": {"<STANDARD-ID>.<n>": null | answer}},
an answer being {"result": "met" | "partial" | "unmet" | "na", "points": <number, for partial>, "note": "…"}
with, for the 问题整改清单, optional "measure", "owner" and "due" (text).
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

from generator.errors import Place, Problem
from generator.messages import say
from generator.model.rating import RESULTS

TEXT_FIELDS = ("note", "measure", "owner", "due")
ANSWER_FIELDS = ("result", "points", *TEXT_FIELDS)


@dataclasses.dataclass(frozen=True, kw_only=True)
class AnswersFile:
    """One unit's answers as read, before they are checked against an edition."""

    path: str
    text: str
    edition: str
    unit: str
    date: str
    answers: dict[str, Any]


def parse_answers(path: str, text: str) -> tuple[AnswersFile | None, list[Problem]]:
    """The file's JSON and its outer shape; per-check answers are checked by `check_answers`."""
    hint = say("answers.file.hint")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [Problem.at(Place(path=path, line=error.lineno, col=error.colno),
                                 say("answers.not_json", error=error.msg), hint)]
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return None, [Problem.at(Place(path=path), say("answers.no_answers"), hint)]
    problems = []
    fields = {}
    for name in ("edition", "unit", "date"):
        value = data.get(name, "")
        if not isinstance(value, str):
            problems.append(_problem(path, text, name, say("answers.not_text", name=name, value=json.dumps(value)),
                                     say("answers.not_text.hint", name=name)))
            value = ""
        fields[name] = value
    if not fields["edition"]:
        problems.append(Problem.in_file(path, "answers.no_edition"))
    return AnswersFile(path=path, text=text, answers=data["answers"], **fields), problems


def check_answers(file: AnswersFile, answers: dict[str, Any], maxima: dict[str, int]) -> list[Problem]:
    """Every unknown key, unknown result, bad or too high points; maxima: check key -> its points."""
    problems = []
    path, text = file.path, file.text
    for key, answer in answers.items():
        if key not in maxima:
            problems.append(_problem(path, text, key, say("answers.unknown_check", key=key, edition=file.edition),
                                     say("answers.unknown_check.hint")))
            continue
        if answer is None:
            continue
        if not isinstance(answer, dict):
            problems.append(_problem(path, text, key, say("answers.not_object", key=key), say("answers.not_object.hint")))
            continue
        for name in answer:
            if name not in ANSWER_FIELDS:
                problems.append(_problem(path, text, key, say("answers.unknown_field", name=name, key=key),
                                         say("answers.unknown_field.hint", fields=", ".join(ANSWER_FIELDS))))
        result = answer.get("result")
        if result is not None and result not in RESULTS:
            problems.append(_problem(path, text, key, say("answers.unknown_result", key=key,
                                                          result=json.dumps(result, ensure_ascii=False)),
                                     say("answers.unknown_result.hint", results=", ".join(RESULTS))))
        points = answer.get("points")
        if points is not None:
            if isinstance(points, bool) or not isinstance(points, int | float) or not math.isfinite(points):
                problems.append(_problem(path, text, key, say("answers.points_not_number", key=key,
                                                              points=json.dumps(points, ensure_ascii=False)),
                                         say("answers.points.hint", maximum=maxima[key])))
            elif not 0 <= points <= maxima[key]:
                problems.append(_problem(path, text, key, say("answers.points_above", key=key, points=points,
                                                              maximum=maxima[key]) if points > 0 else
                                         say("answers.points_below", key=key, points=points),
                                         say("answers.points.hint", maximum=maxima[key])))
        for name in TEXT_FIELDS:
            if name in answer and not isinstance(answer[name], str):
                problems.append(_problem(path, text, key, say("answers.field_not_text", name=name, key=key),
                                         say("answers.field_not_text.hint")))
    return problems


def _problem(path: str, text: str, key: str, message: str, hint: str) -> Problem:
    line, col = _position(text, key)
    return Problem.at(Place(path=path, line=line, col=col), message, hint)


def _position(text: str, key: str) -> tuple[int, int]:
    """Where a key is written in the file (its first quoted occurrence); 1:1 when not found."""
    offset = text.find(json.dumps(key, ensure_ascii=False))
    if offset < 0:
        return 1, 1
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
