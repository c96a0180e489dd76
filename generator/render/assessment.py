"""The 自评 page: every check of the edition, answered and scored in the browser (assets/site/assess.js)."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import MutableMapping

from generator.model import Handbook
from generator.model.rating import assessment_data
from generator.model.sources import standards_key
from generator.render import views as v
from generator.render.jinja import render
from generator.render.memo import memo

PAGE = "self-assessment.md"
DATA = "self-assessment.json"  # at the site's root; assess.js finds it from its own address
SCORING_SHEET = "forms/scoring-sheet.md"


def score_labels(handbook: Handbook) -> dict[str, str]:
    """The `score.*` labels without their prefix (here, not in render/score.py: a site build does not
    import openpyxl)."""
    return {key[len("score."):]: value for key, value in handbook.labels.items() if key.startswith("score.")}


def assessment_page(handbook: Handbook) -> str:
    """The page's Markdown: what it is for and how it scores; the script builds the answers form in it."""
    label = score_labels(handbook)
    rating = handbook.rating
    cap = next((lv.label for lv in sorted(rating.levels, key=lambda lv: -lv.stars)
                if lv.stars <= rating.veto_max_stars), "")
    na_rule = label["rule_scale"] if rating.not_applicable == "scale" else label["rule_full"]
    levels = handbook.label("list_sep").join(f"{'★' * lv.stars} {lv.label} ≥ {lv.min_score}"
                                             for lv in sorted(rating.levels, key=lambda lv: -lv.min_score))
    return render("pages/self_assessment.md.j2", L=label,
                  rules=[label["rule_met"], na_rule.replace("{total}", str(rating.total)),
                         label["rule_veto"].replace("{level}", cap),
                         label["rule_levels"] + handbook.label("colon") + levels])


def assessment_json(handbook: Handbook, parts: MutableMapping[str, str] | None = None) -> str:
    """What the script needs: the checks and rules (the same data `handbook score` scores with) and its words.

    parts: each chapter's checks as JSON text by their standards' `standards_key`, from an earlier build;
    after an edit only the edited chapter's are written again. The same text either way.
    """
    data = assessment_data(handbook if parts is None else dataclasses.replace(handbook, chapters=()))
    data["labels"] = {**score_labels(handbook), "edition": handbook.label("edition"),
                      "colon": handbook.label("colon"), "list_sep": handbook.label("list_sep")}
    data["language"] = handbook.meta.language
    if parts is None:
        return _json(data) + "\n"
    chapters = []
    for chapter in handbook.chapters:
        one = dataclasses.replace(handbook, chapters=(dataclasses.replace(chapter, id="", title=""),))
        checks = memo(parts, ("assessment-checks", standards_key(chapter.standards)),
                      functools.partial(_checks, one))
        chapters.append(f'{{"id":{_json(chapter.id)},"title":{_json(chapter.title)},"checks":{checks}}}')
    # The layout json.dumps gives, with each chapter's text put in its place.
    head, marker, tail = _json({**data, "chapters": [_HOLE]}).partition(_json([_HOLE]))
    if not marker:
        raise AssertionError("the chapters' place is not found")
    return head + "[" + ",".join(chapters) + "]" + tail + "\n"


def _checks(one: Handbook) -> str:
    """The checks of a handbook's one chapter, as JSON text."""
    return _json(assessment_data(one)["chapters"][0]["checks"])


_HOLE = "\0chapters\0"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sheet_link(handbook: Handbook) -> str:
    """A line for the scoring sheet's page pointing to the 自评 page."""
    return f"\n[{handbook.label('score.sheet_link')}]({v.href(SCORING_SHEET, PAGE)}){{ .md-button }}\n"
