"""The error vocabulary: places, named constructors, one did_you_mean, ToolError's place."""

from __future__ import annotations

from generator.errors import HandbookError, Place, Problem, Severity, ToolError, did_you_mean
from generator.messages import speaking


def test_place_names_as_much_as_is_known() -> None:
    assert str(Place(path="mkdocs.yml")) == "mkdocs.yml"
    assert str(Place(path="a.yml", line=3)) == "a.yml:3"
    assert str(Place(path="a.yml", line=3, col=7)) == "a.yml:3:7"


def test_did_you_mean_suggests_the_nearest_or_says_otherwise() -> None:
    with speaking("en"):
        assert did_you_mean("frequncy", ["title", "frequency"]) == "did you mean 'frequency'?"
        assert did_you_mean("chaptre", ["chapter", "glossary"], shown="{}:") == "did you mean 'chapter:'?"
        assert did_you_mean("zzz", ["frequency"], otherwise="known keys: frequency") == "known keys: frequency"
        assert did_you_mean("SHYK-9", ["SHYK-01"], cutoff=0.5) == "did you mean 'SHYK-01'?"
    with speaking("zh"):
        assert did_you_mean("frequncy", ["frequency"]) == "是不是要写 'frequency'？"


def test_named_constructors_word_each_kind_once() -> None:
    with speaking("en"):
        place = Place(path="standards/chapters/04.yml", line=12, col=5)
        unknown = Problem.unknown_key(place, key="frequncy", owner="standard SHYK-01", known=["id", "frequency"])
        assert unknown.format() == ("standards/chapters/04.yml:12:5: error: unknown key 'frequncy' in standard SHYK-01\n"
                                    "  hint: did you mean 'frequency'?")
        assert Problem.unknown_key(place, key="zz", owner="the file", known=["id", "title"]).hint == \
            "known keys: id, title"
        missing = Problem.in_file("standards/handbook.yml", "handbook.missing")
        assert (missing.line, missing.col, missing.message) == (1, 1, "no handbook file found")
        assert missing.hint.startswith("create handbook.yml")
        twice = Problem.duplicate_id(place, kind="standard", value="A-1", other="b.yml:2:3", case_only=True)
        assert twice.message == "duplicate standard ID 'A-1' (differs only in case) (also at b.yml:2:3)"
        warning = Problem.at(place, "m", severity=Severity.WARNING)
        assert warning.format() == "standards/chapters/04.yml:12:5: warning: m"
        assert unknown.place == place


def test_handbook_error_lists_every_problem_in_file_order() -> None:
    late = Problem.at(Place(path="b.yml", line=2, col=1), "second")
    early = Problem.at(Place(path="a.yml", line=9, col=1), "first")
    assert HandbookError([late, early]).format() == "a.yml:9:1: error: first\nb.yml:2:1: error: second"


def test_tool_error_writes_its_place_before_the_message() -> None:
    assert str(ToolError("edition 2026 is already published", "retry with --force")) == \
        "edition 2026 is already published\n  hint: retry with --force"
    placed = ToolError("Aborted with a configuration error!", "see mkdocs.yml", place=Place(path="mkdocs.yml"))
    assert str(placed) == "mkdocs.yml: Aborted with a configuration error!\n  hint: see mkdocs.yml"
    assert str(ToolError("bad value", place=Place(path="mkdocs.yml", line=4, col=3))) == "mkdocs.yml:4:3: bad value"
    with speaking("en"):
        assert str(ToolError.of("starter.not_empty", target="new")) == \
            "new is not empty; nothing was written\n  hint: give a new folder, or an empty one, for the new handbook"
