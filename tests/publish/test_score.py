"""`handbook score`: a blank answers file, one unit's score, a summary of many, and every kind of bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.publish.editions import load_snapshots
from generator.publish.scoring import blank_answers
from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY, ROOT, STANDARDS, run_handbook

HANDBOOK = load_handbook(STANDARDS)
KEYS = list(blank_answers(HANDBOOK)["answers"])
VETO_KEY = next(f"{std.id}.1" for _, std in HANDBOOK.standards() if std.veto)


def answers_file(folder: Path, name: str, answers: dict, *, unit: str = "", edition: str = "2026") -> Path:
    path = folder / name
    path.write_text(json.dumps({"edition": edition, "unit": unit or name, "date": "2026-09-30", "answers": answers},
                               ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def three_units(tmp_path: Path) -> list[Path]:
    every_met = {key: {"result": "met"} for key in KEYS}
    return [
        answers_file(tmp_path, "a.json", every_met, unit="第一党支部"),
        answers_file(tmp_path, "b.json", {**every_met, VETO_KEY: {"result": "unmet", "note": "记录缺失",
                                                                   "measure": "补齐记录", "owner": "张三",
                                                                   "due": "2026-10-31"}}, unit="第二党支部"),
        answers_file(tmp_path, "c.json", {**{key: {"result": "met"} for key in KEYS[:70]},
                                          KEYS[70]: {"result": "partial", "points": 0.5, "note": "=1+1"}}, unit="第三党支部"),
    ]


def test_blank_lists_every_check_of_the_edition() -> None:
    result = run_handbook("score", "--blank")
    assert result.returncode == 0, result.stderr
    blank = json.loads(result.stdout)
    assert {k: blank[k] for k in ("edition", "unit", "date")} == {"edition": "2026", "unit": "", "date": ""}
    assert len(blank["answers"]) == sum(len(std.checks) for _, std in HANDBOOK.standards())
    assert blank["answers"]["SHYK-01.1"] is None and set(blank["answers"].values()) == {None}


def test_one_unit_as_text_and_json(three_units: list[Path]) -> None:
    result = run_handbook("score", str(three_units[1]), "--format", "json")
    assert result.returncode == 0, result.stderr
    score = json.loads(result.stdout)
    points = next(item.points for _, std in HANDBOOK.standards() for n, item in enumerate(std.checks, 1)
                  if f"{std.id}.{n}" == VETO_KEY)
    assert (score["total"], score["max"], score["stars"], score["level"]) == (100 - points, 100, 2, "二星级")
    assert score["veto_failed"] == [VETO_KEY.split(".")[0]]
    assert [u["key"] for u in score["unmet"]] == [VETO_KEY] and score["unmet"][0]["measure"] == "补齐记录"
    assert len(score["chapters"]) == len(HANDBOOK.chapters)
    text = run_handbook("score", str(three_units[1])).stdout
    assert f"总分：{100 - points} / 100" in text and "评定等次：★★ 二星级" in text
    assert f"未达标的一票否决标准：{VETO_KEY.split('.')[0]}" in text and f"{VETO_KEY} 未达标" in text


def test_summary_of_three_units_as_a_workbook(three_units: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    result = run_handbook("score", *map(str, three_units), "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    book = load_workbook(out)
    units, findings = book.worksheets
    assert (units.title, findings.title) == ("汇总", "问题整改台账")
    rows = list(units.iter_rows(values_only=True))
    assert rows[0][:6] == ("单位", "日期", "总分", "星级", "评定等次", "一票否决")
    assert rows[0][6:6 + len(HANDBOOK.chapters)] == tuple(c.title for c in HANDBOOK.chapters)
    assert [r[:5] for r in rows[1:]] == [("第一党支部", "2026-09-30", 100, 5, "五星级"),
                                         ("第二党支部", "2026-09-30", rows[2][2], 2, "二星级"),
                                         ("第三党支部", "2026-09-30", rows[3][2], rows[3][3], rows[3][4])]
    assert rows[2][5] == VETO_KEY.split(".")[0]
    lines = list(findings.iter_rows(values_only=True))
    assert findings.auto_filter.ref and findings.auto_filter.ref.startswith("A1:")
    assert len(lines) == 1 + 1 + 1  # the veto check of unit 2, the partial check of unit 3
    assert lines[1][0] == "第二党支部" and lines[1][5] == "未达标" and lines[1][9:] == ("补齐记录", "张三", "2026-10-31")
    assert lines[2][0] == "第三党支部" and lines[2][5:7] == ("部分达标", 0.5)
    assert lines[2][8] == "=1+1" and findings["I3"].data_type == "s"  # a unit's words, never a formula


def test_summary_page_charts_the_levels(three_units: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "summary.html"
    assert run_handbook("score", *map(str, three_units), "--format", "html", "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "<title>★★★★★ 五星级: 1</title>" in page and "<title>★★ 二星级: 1</title>" in page
    units, findings = page.split('class="hb-findings"')
    assert units.count("<tr><td>第") == 3 and findings.count("<tr><td>第") == 2


def test_english_handbook_scores_in_english(tmp_path: Path) -> None:
    path = answers_file(tmp_path, "unit.json", {"CS-01.1": {"result": "unmet"}, "CS-01.2": {"result": "met"},
                                                "CS-02.1": {"result": "na"}}, edition="1.0", unit="Canteen")
    result = run_handbook("score", str(path), "--standards", str(FOOD_SAFETY))
    assert result.returncode == 0, result.stderr
    assert "Total: 5 / 10" in result.stdout  # 3 of the 6 applicable points, scaled to 10
    assert "Level: ★ Needs improvement" in result.stdout and "Veto standards not met: CS-01" in result.stdout
    assert "CS-01.1 Not met 0/3" in result.stdout


BAD = {
    "not-json": ("{\"edition\": \"2026\",", "not a JSON answers file"),
    "other-edition": (None, "the answers are for edition 2019, not for 2026"),
    "unknown-key": ({"NOPE-01.1": {"result": "met"}}, "unknown check 'NOPE-01.1' in edition 2026"),
    "unknown-result": ({"SHYK-01.1": {"result": "done"}}, "unknown result \"done\" for 'SHYK-01.1'"),
    "points-above-maximum": ({"SHYK-01.1": {"result": "partial", "points": 99}},
                             "points of 'SHYK-01.1' are 99, above its maximum"),
}


@pytest.mark.parametrize("kind", BAD)
def test_bad_file_exits_1_with_its_place_and_writes_nothing(kind: str, tmp_path: Path, three_units: list[Path]) -> None:
    content, message = BAD[kind]
    bad = tmp_path / f"{kind}.json"
    if isinstance(content, str):
        bad.write_text(content, encoding="utf-8")
    else:
        answers_file(tmp_path, bad.name, content or {}, edition="2019" if kind == "other-edition" else "2026")
    out = tmp_path / "summary.xlsx"
    result = run_handbook("score", str(three_units[0]), str(bad), "--format", "xlsx", "-o", str(out))
    assert result.returncode == 1
    assert f"{bad}:" in result.stderr and f"error: {message}" in result.stderr
    assert "  hint: " in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_answers_of_the_previous_edition_are_carried_over(tmp_path: Path) -> None:
    (old,) = load_snapshots(ROOT / "editions")
    old_answers = {key: {"result": "met"} for key in blank_answers(old)["answers"]}
    path = answers_file(tmp_path, "2024.json", old_answers, edition=old.edition.id)
    result = run_handbook("score", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    score = json.loads(result.stdout)
    assert score["carried_from"] == "2024"
    # SHYK-01's checks are unchanged: carried; TZGL-07 was retired: listed, not carried
    assert "TZGL-07.1" in score["not_carried"] and "SHYK-01.1" not in score["not_carried"]
    assert score["unanswered"] > 0 and score["earned"] > 50
    text = run_handbook("score", str(path)).stdout
    assert "已从 2024 版带入" in text and "TZGL-07.1" in text
