"""The editing workbook as the person editing it sees it: sheets, rows, drop-down lists, frozen headings."""

from __future__ import annotations

import io
import shutil

from openpyxl import load_workbook

from generator.render.workbook import LISTS_SHEET, META_SHEET, render_workbook
from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY, STANDARDS, run_handbook


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_a_sheet_per_chapter_with_each_standard_above_its_checks():
    handbook = load_handbook(STANDARDS)
    data = render_workbook(handbook)
    assert data == render_workbook(handbook)  # byte-identical for the same handbook
    book = _open(data)
    assert book.sheetnames == [c.title for c in handbook.chapters] + [META_SHEET, LISTS_SHEET]
    assert [book[name].sheet_state for name in (META_SHEET, LISTS_SHEET)] == ["hidden", "hidden"]
    assert book.active.title == "组织设置"

    sheet = book["“三会一课”"]
    assert [c.value for c in sheet[1]] == ["编号", "名称", "检查要点", "分值", "标准内容", "频次", "责任主体", "检查方式",
                                          "一票否决", "依据", "佐证材料", "检查方法", "相关标准", "关键词"]
    assert sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["E"].width == 50
    first = [c.value for c in sheet[2]]
    assert first[:4] == ["SHYK-01", "按期召开支部党员大会", None, 3]
    assert first[5:9] == ["每季度", "支部书记、支部委员会", "查阅资料、个别访谈", None]  # labels, not IDs
    assert first[4].startswith("支部党员大会一般**每季度召开 1 次**")  # the Markdown as written
    assert sheet["E2"].alignment.wrap_text
    assert [[c.value for c in sheet[row]][:4] for row in (3, 4)] == [
        [None, None, "每季度至少召开 1 次党员大会", 2], [None, None, "会议议题明确，到会人数符合规定，记录有表决结果", 1]]
    assert sheet["A5"].value == "SHYK-02"
    assert sheet["J2"].value.split("\n")[1] == (  # one basis a line: document | article | note
        "《中国共产党支部工作条例（试行）》 | 第十四条 | 党员大会由党支部书记召集并主持，书记不能参加的可以委托副书记或者委员召集并主持。")


def test_vocabulary_columns_offer_the_handbooks_labels_in_a_drop_down_list():
    handbook = load_handbook(STANDARDS)
    book = _open(render_workbook(handbook))
    sheet = book["党费收缴"]
    lists = {str(dv.sqref)[:1]: dv for dv in sheet.data_validations.dataValidation}
    assert str(lists["F"].sqref) == "F2:F2000"  # rows added below the last standard get the list too
    assert set(lists) == {"F", "G", "H", "I"}  # 频次, 责任主体, 检查方式, 一票否决
    choices = book[LISTS_SHEET]

    def offered(column: str) -> list[str]:
        ref = lists[column].formula1.split("!")[1].replace("$", "")
        return [cell.value for row in choices[ref] for cell in row]

    assert offered("F") == [t.label for t in handbook.vocabulary.frequencies]
    assert offered("G") == [t.label for t in handbook.vocabulary.roles]
    assert offered("I") == ["是", "否"]
    assert lists["F"].showErrorMessage  # one frequency: anything else is refused while typing
    assert not lists["G"].showErrorMessage  # several roles in one cell: the list offers, never refuses


def test_text_that_looks_like_a_formula_stays_text_and_comes_back_unchanged(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(FOOD_SAFETY, root)
    chapter = root / "chapters" / "01-storage.yml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "inspection: Compare the log with a probe reading.", "inspection: '=SUM(A1:A9) is not a formula here'"),
        encoding="utf-8")
    before = chapter.read_bytes()
    assert run_handbook("export-xlsx", "book.xlsx", "--standards", "standards", cwd=tmp_path).returncode == 0
    book = load_workbook(tmp_path / "book.xlsx")
    assert book["Cold storage"]["A1"].value == "ID"  # an English handbook gets English headings
    cell = book["Cold storage"]["L2"]
    assert (cell.value, cell.data_type) == ("=SUM(A1:A9) is not a formula here", "s")
    result = run_handbook("import-xlsx", "book.xlsx", "--standards", "standards", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert chapter.read_bytes() == before
