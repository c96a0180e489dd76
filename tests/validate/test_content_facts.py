"""The bundled handbook states the public rules correctly (issue 19's review, pinned).

Each test names the standard or glossary term, the public rule and what the text must (not) say, so a
later edit that reintroduces a misstatement fails here with the reason.
"""

from __future__ import annotations

import functools

import pytest

from generator.model import Handbook, Standard
from generator.validate import load_handbook
from tests.conftest import STANDARDS

BRANCH_RULES = "《中国共产党支部工作条例（试行）》"
ORGAN_RULES = "《中国共产党党和国家机关基层组织工作条例》"
LOCAL = "《示例市直机关党支部标准化规范化建设实施意见》"


@functools.cache
def handbook() -> Handbook:
    return load_handbook(STANDARDS)


def standard(std_id: str) -> Standard:
    return next(s for _, s in handbook().standards() if s.id == std_id)


def term(term_id: str) -> str:
    return next(t.definition for t in handbook().glossary if t.id == term_id)


def cites(std: Standard, document: str, article: str = "") -> bool:
    return any(b.document == document and (not article or b.article == article) for b in std.basis)


def test_committee_size_seven_is_a_general_limit_not_a_cap() -> None:
    # 支部工作条例 第六章: 由3至5人组成，一般不超过7人.
    for text in (standard("ZZSZ-03").text, term("zhibu-weiyuanhui")):
        assert "一般" in text and "不超过7人" in text.replace("*", "")
        assert "最多" not in text


def test_secretary_reports_yearly_under_the_organs_rules() -> None:
    std = standard("PXDJ-06")
    assert cites(std, ORGAN_RULES, "第三十九条")
    assert not cites(std, LOCAL), "the yearly 述职 is a national rule, not only a local one"


def test_election_results_members_for_the_record_secretaries_approved() -> None:
    std = standard("HJXJ-04")
    text = std.text.replace("*", "")
    assert "备案" in text and "批准" in text
    assert "报上级党组织审批" not in text, "members are reported for the record; only 书记/副书记 are approved"
    assert cites(std, BRANCH_RULES, "第二十一条") and cites(std, ORGAN_RULES, "第三十七条")
    assert "机关工委" in text


def test_by_election_follows_the_same_split_and_marks_the_interim_chair_as_local() -> None:
    text = standard("HJXJ-05").text.replace("*", "")
    assert "备案" in text and "批准" in text
    assert "指派党支部书记或者副书记" in text
    assert "指定人员临时主持工作" not in text
    assert "临时主持工作" in text and "本市做法" in text
    assert cites(standard("HJXJ-05"), BRANCH_RULES, "第二十一条")


def test_units_without_an_organs_committee_decide_by_party_group_and_working_committee_approves() -> None:
    std = standard("ZZSZ-02")
    assert "党组（党委）" in std.text and "机关工委审批" in std.text
    assert cites(std, ORGAN_RULES, "第三十七条")


def test_dues_bands_are_for_salaried_members_and_retired_and_students_are_stated() -> None:
    for text in (standard("DFSJ-01").text, term("dangfei")):
        flat = text.replace("*", "").replace(" ", "")
        assert "按月领取工资" in flat
        assert "离退休" in flat and "0.5%" in flat and "1%" in flat
        assert "学生党员每月交纳0.2元" in flat


def test_thirty_two_hours_belong_to_central_rotational_training_and_counting_meetings_is_local() -> None:
    std = standard("ZTDR-06")
    assert "集中轮训" in std.text and "地方的做法" in std.text
    assert cites(std, "《中国共产党党员教育管理工作条例》", "第二十条")
    assert cites(std, LOCAL)


def test_elections_may_be_brought_forward_or_put_off_each_by_at_most_a_year() -> None:
    text = standard("HJXJ-01").text.replace("*", "")
    assert "延期或提前" in text and "一般均不超过1年" in text


@pytest.mark.parametrize("std_id", ["ZZSZ-02", "ZZSZ-03", "HJXJ-01", "HJXJ-04", "HJXJ-05", "PXDJ-06",
                                    "DFSJ-01", "ZTDR-06"])
def test_the_edition_summary_names_each_correction(std_id: str) -> None:
    assert std_id in handbook().edition.summary


def test_every_basis_names_the_year_or_edition_of_its_text() -> None:
    hb = handbook()
    versions = {s.document: s.version for s in hb.meta.sources}
    for _, std in hb.standards():
        for basis in std.basis:
            assert versions.get(basis.document), f"{std.id}: {basis.document} has no version in handbook.sources"
            assert versions[basis.document] in hb.cite(basis)
    assert versions[BRANCH_RULES] == "2018年" and versions["《中国共产党发展党员工作细则》"] == "2014年"
    assert hb.meta.rules_as_of, "the home page says up to when the public rules were compiled"
