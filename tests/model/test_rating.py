"""One set of rating rules: the browser's score (assess.js, run by node) equals Python's on random answers."""

from __future__ import annotations

import dataclasses
import functools
import json
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model.rating import assessment_data, score
from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY, ROOT, STANDARDS

ASSESS_JS = ROOT / "generator" / "assets" / "site" / "assess.js"
BUNDLED = assessment_data(load_handbook(STANDARDS))
ENGLISH = assessment_data(load_handbook(FOOD_SAFETY))

# assess.js in node: no page around it, so it only defines HandbookAssess; one JSON line in, one out.
RUNNER = """
globalThis.window = globalThis;
globalThis.document = {currentScript: null, readyState: "complete", getElementById: function () { return null; }};
require(process.argv[1]);
const rl = require("readline").createInterface({input: process.stdin});
rl.on("line", (line) => {
  const [data, answers] = JSON.parse(line);
  process.stdout.write(JSON.stringify(window.HandbookAssess.score(data, answers)) + "\\n");
});
"""


@pytest.fixture(scope="module")
def js_score():
    node = shutil.which("node") or "/usr/bin/node"
    process = subprocess.Popen([node, "-e", RUNNER, str(ASSESS_JS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)

    def run(data: dict, answers: dict) -> dict:
        assert process.stdin and process.stdout
        process.stdin.write(json.dumps([data, answers], ensure_ascii=False) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    yield run
    process.stdin.close()
    process.wait(timeout=10)


def python_score(data: dict, answers: dict) -> dict:
    result = score(data, answers)
    return {**result.to_json(), "veto_failed": list(result.veto_failed), "unmet": [{"key": f.key, "result": f.result, "points": f.points} for f in result.unmet],
            "chapters": [{k: getattr(c, k) for k in ("id", "earned", "applicable", "max")} for c in result.chapters]}


# Strategies made once, not per drawn check: building one costs more than drawing from it.
HANDBOOKS = st.sampled_from([BUNDLED, ENGLISH])
NOT_APPLICABLE = st.sampled_from(["scale", "full"])
VETO_MAX_STARS = st.integers(0, 5)
KINDS = st.sampled_from(["none", "met", "unmet", "na", "partial", "partial-blank"])
NULL = st.booleans()  # an unanswered check written as null


@functools.cache
def _points(most: int) -> st.SearchStrategy:
    return st.one_of(st.integers(0, most), st.floats(0, most, allow_nan=False, allow_infinity=False))


@st.composite
def cases(draw) -> tuple[dict, dict]:
    data = json.loads(json.dumps(draw(HANDBOOKS)))
    data["rules"]["not_applicable"] = draw(NOT_APPLICABLE)
    data["rules"]["veto_max_stars"] = draw(VETO_MAX_STARS)
    answers: dict = {}
    for chapter in data["chapters"]:
        for check in chapter["checks"]:
            kind = draw(KINDS)
            if kind == "partial":
                answers[check["key"]] = {"result": "partial", "points": draw(_points(check["points"]))}
            elif kind == "partial-blank":
                answers[check["key"]] = {"result": "partial"}
            elif kind != "none":
                answers[check["key"]] = {"result": kind, "note": "…"}
            elif draw(NULL):
                answers[check["key"]] = None
    return data, answers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=cases())
def test_browser_and_python_give_the_same_score(js_score, case) -> None:
    data, answers = case
    assert js_score(data, answers) == python_score(data, answers)


def test_the_rules_as_documented() -> None:
    data = json.loads(json.dumps(BUNDLED))
    checks = [c for chapter in data["chapters"] for c in chapter["checks"]]
    every = {c["key"]: {"result": "met"} for c in checks}
    assert (score(data, every).total, score(data, every).stars, score(data, every).level) == (100, 5, "五星级")
    veto = next(c for c in checks if c["veto"])
    failed = score(data, {**every, veto["key"]: {"result": "unmet"}})
    assert failed.total == 100 - veto["points"] and failed.veto_failed == (veto["standard"],)
    assert (failed.stars, failed.level) == (2, "二星级")  # veto_max_stars: 2
    # not applicable, scaled: half of the checks met and the rest not applicable is still full marks
    half = {c["key"]: {"result": "met" if i % 2 else "na"} for i, c in enumerate(checks)}
    assert score(data, half).total == 100
    data["rules"]["not_applicable"] = "full"
    assert score(data, {c["key"]: {"result": "na"} for c in checks}).total == 100
    partial = score(data, {checks[0]["key"]: {"result": "partial", "points": 0.5}})
    assert partial.total == 0.5 and partial.unanswered == len(checks) - 1
    assert [dataclasses.astuple(f)[:2] for f in partial.unmet] == [(checks[0]["key"], partial.unmet[0].chapter)]
