"""The star rating of one unit's self-assessment: the rules of `rating` in handbook.yml applied to its answers.

The same rules run in the browser (generator/assets/site/assess.js): both take the data of
`assessment_data` and an answers mapping, and do the same arithmetic in the same order, so a unit
scores the same on the site and with `handbook score`. Change one, change the other
(tests/model/test_rating.py feeds both the same random answers).

- met: the check's points; partial: the points given (0 to the check's points; none given counts 0);
  unmet: 0; unanswered: 0, the check still counts towards the maximum.
- not applicable ('na'): with `not_applicable: scale` the check leaves the maximum and the score is
  scaled back to rating.total (score = earned × total ÷ applicable maximum, to one decimal, halves up);
  with `full` it counts as met.
- a veto standard fails when any of its checks is unmet: the level is then at most `veto_max_stars`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from generator.model.handbook import Handbook

RESULTS = ("met", "partial", "unmet", "na")


def check_key(standard_id: str, number: int) -> str:
    """The answers-file key of a standard's check (number 1-based within the standard)."""
    return f"{standard_id}.{number}"


def assessment_data(handbook: Handbook) -> dict[str, Any]:
    """The edition's checks and rating rules, as the browser and the scorer read them."""
    rating = handbook.rating
    return {
        "edition": {"id": handbook.edition.id, "label": handbook.edition.label,
                    "effective": handbook.edition.effective.isoformat()},
        "rules": {
            "total": rating.total,
            "levels": [{"stars": lv.stars, "label": lv.label, "min_score": lv.min_score}
                       for lv in sorted(rating.levels, key=lambda lv: -lv.min_score)],
            "veto_max_stars": rating.veto_max_stars,
            "not_applicable": rating.not_applicable,
        },
        "chapters": [
            {"id": chapter.id, "title": chapter.title,
             "checks": [{"key": check_key(std.id, n), "standard": std.id, "title": std.title, "text": item.text,
                         "points": item.points, "veto": std.veto}
                        for std in chapter.standards for n, item in enumerate(std.checks, start=1)]}
            for chapter in handbook.chapters
        ],
    }


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChapterScore:
    id: str
    title: str
    earned: float
    applicable: float  # the points of its checks that apply
    max: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class Finding:
    """A check a unit did not fully meet: a line of its 问题整改清单."""

    key: str
    chapter: str
    standard: str
    title: str
    text: str
    result: str  # unmet | partial
    points: float
    max: int
    note: str = ""
    measure: str = ""
    owner: str = ""
    due: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Score:
    total: float  # on the scale of rating.total
    max: int
    earned: float
    applicable: float
    stars: int
    level: str
    veto_failed: tuple[str, ...]
    unanswered: int
    chapters: tuple[ChapterScore, ...]
    unmet: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        return {k: data[k] for k in ("total", "max", "stars", "level", "veto_failed", "chapters", "unmet",
                                     "earned", "applicable", "unanswered")}


@dataclasses.dataclass(frozen=True, kw_only=True)
class UnitResult:
    """One unit's answers file, scored against the current edition."""

    path: str
    unit: str
    date: str
    edition: str  # the edition the answers were given for
    answers: dict[str, Any]  # in the current edition's keys
    score: Score
    carried: tuple[str, ...] = ()  # old keys carried over from an older edition
    not_carried: tuple[str, ...] = ()  # old keys whose check no longer exists (or changed its points)


def round1(value: float) -> float:
    """One decimal, halves up: Math.floor(x * 10 + 0.5) / 10 in JavaScript gives the same double."""
    return math.floor(value * 10 + 0.5) / 10


def score(data: dict[str, Any], answers: dict[str, dict[str, Any] | None]) -> Score:
    """Score one unit's answers (key -> {result, points, note, …} or None) against `assessment_data`."""
    rules = data["rules"]
    full_na = rules["not_applicable"] == "full"
    earned_total = applicable_total = 0.0
    maximum = unanswered = 0
    vetoes: list[str] = []
    chapters: list[ChapterScore] = []
    findings: list[Finding] = []
    for chapter in data["chapters"]:
        earned = applicable = 0.0
        for check in chapter["checks"]:
            points = check["points"]
            maximum += points
            answer = answers.get(check["key"])
            result = answer.get("result") if answer else None
            if result == "na":
                if full_na:
                    earned += points
                    applicable += points
                continue
            applicable += points
            if result == "met":
                earned += points
            elif result == "partial":
                given = (answer.get("points") or 0) if answer else 0
                earned += given
                findings.append(_finding(chapter, check, answer or {}, given))
            elif result == "unmet":
                findings.append(_finding(chapter, check, answer or {}, 0))
                if check["veto"] and check["standard"] not in vetoes:
                    vetoes.append(check["standard"])
            else:
                unanswered += 1
        chapters.append(ChapterScore(id=chapter["id"], title=chapter["title"], earned=earned, applicable=applicable,
                                     max=sum(c["points"] for c in chapter["checks"])))
        earned_total += earned
        applicable_total += applicable
    total = round1(earned_total * rules["total"] / applicable_total) if applicable_total > 0 else 0.0
    levels = rules["levels"]
    level = next((lv for lv in levels if total >= lv["min_score"]), levels[-1])
    if vetoes and level["stars"] > rules["veto_max_stars"]:
        level = next((lv for lv in levels if lv["stars"] <= rules["veto_max_stars"]), levels[-1])
    return Score(total=total, max=rules["total"], earned=earned_total, applicable=applicable_total,
                 stars=level["stars"], level=level["label"], veto_failed=tuple(vetoes), unanswered=unanswered,
                 chapters=tuple(chapters), unmet=tuple(findings))


def _finding(chapter: dict[str, Any], check: dict[str, Any], answer: dict[str, Any], given: float) -> Finding:
    return Finding(key=check["key"], chapter=chapter["title"], standard=check["standard"], title=check["title"],
                   text=check["text"], result=answer.get("result", ""), points=given, max=check["points"],
                   note=str(answer.get("note") or ""), measure=str(answer.get("measure") or ""),
                   owner=str(answer.get("owner") or ""), due=str(answer.get("due") or ""))
