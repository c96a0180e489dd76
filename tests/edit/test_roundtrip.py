"""The spreadsheet round trip through the real `handbook` command: export, edit the cells, import."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY, ROOT, STANDARDS, run_handbook, shared

EDITIONS = ROOT / "tests" / "publish" / "fixtures"  # renamed, split and merged standards (replaces:, merges: …)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _export(tmp_path: Path) -> tuple[Path, Path]:
    """The workbook of the handbook the test has put (and edited) in tmp_path/standards, as book.xlsx beside it."""
    result = run_handbook("export-xlsx", "book.xlsx", "--standards", "standards", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "standards", tmp_path / "book.xlsx"


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    """source -> a folder with standards/ (a copy of source) and book.xlsx, made by the real `handbook
    export-xlsx` once per test run (`shared`): tests of an unedited handbook copy that, instead of running
    the same export again, and the import sees the bytes the command writes for such a folder."""

    def export(source: Path) -> Path:
        def make(folder: Path) -> None:
            shutil.copytree(source, folder / "standards")
            _export(folder)

        return shared(tmp_path_factory, f"exported-{source.parent.name}-{source.name}", make)

    return export


@pytest.fixture
def copy_exported(exported, tmp_path: Path):
    """source -> a writable copy of that handbook and of its workbook in tmp_path: (standards, book.xlsx)."""

    def copy(source: Path = STANDARDS) -> tuple[Path, Path]:
        folder = exported(source)
        shutil.copytree(folder / "standards", tmp_path / "standards")
        shutil.copy(folder / "book.xlsx", tmp_path / "book.xlsx")
        return tmp_path / "standards", tmp_path / "book.xlsx"

    return copy


def _import(tmp_path: Path, *extra: str):
    # Messages in English, as the tests state them (the bundled handbook's own language is Chinese).
    return run_handbook("import-xlsx", "book.xlsx", "--standards", "standards", "--lang", "en", *extra, cwd=tmp_path)


def _rows(sheet, std_id: str) -> int:
    """The row of a standard in a sheet."""
    return next(cell.row for cell in sheet["A"] if cell.value == std_id)


@pytest.mark.parametrize("source", [STANDARDS, FOOD_SAFETY, EDITIONS / "old", EDITIONS / "new"],
                         ids=["bundled", "food-safety", "edition-old", "edition-new"])
def test_unchanged_workbook_leaves_every_file_byte_identical(tmp_path, copy_exported, source):
    root, book = copy_exported(source)
    before = _snapshot(root)
    # Saved again by a spreadsheet program (openpyxl here): the cells, not the bytes, are what counts.
    workbook = load_workbook(book)
    workbook.save(book)
    result = _import(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "changed 0 files" in result.stdout
    assert _snapshot(root) == before


def test_two_cells_change_exactly_two_lines_and_keep_every_comment(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS, root)
    meetings = root / "chapters" / "04-meetings.yml"
    text = meetings.read_text(encoding="utf-8")
    # Comments of the kinds editors write: a line of its own, and after a value.
    text = text.replace("  - id: SHYK-02\n", "  # 委员会会议：2025年修订\n  - id: SHYK-02\n", 1)
    text = text.replace("    frequency: monthly\n", "    frequency: monthly   # 条例第十条\n", 1)
    meetings.write_text(text, encoding="utf-8")
    _, book = _export(tmp_path)

    workbook = load_workbook(book)
    sheet = workbook["“三会一课”"]
    row = _rows(sheet, "SHYK-02")
    sheet.cell(row, 2).value = "按月召开支部委员会会议（修订）"  # 名称
    sheet.cell(row, 6).value = "每季度"  # 频次, a drop-down: its label becomes the ID quarterly
    workbook.save(book)
    result = _import(tmp_path)
    assert result.returncode == 0, result.stderr

    after = meetings.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(text.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        "-    title: 按月召开支部委员会会议",
        "+    title: 按月召开支部委员会会议（修订）",
        "-    frequency: monthly   # 条例第十条",
        "+    frequency: quarterly # 条例第十条",  # the comment keeps its column
    ]
    assert "  # 委员会会议：2025年修订\n" in after
    assert after.startswith("# yaml-language-server: $schema=../schema.json\n")
    assert "Modified  SHYK-02 按月召开支部委员会会议（修订）" in result.stdout


def test_new_row_adds_a_standard_in_its_place_and_deleted_rows_remove_one(tmp_path, copy_exported):
    root, book = copy_exported()
    workbook = load_workbook(book)
    sheet = workbook["换届选举"]
    # Remove HJXJ-06, the chapter's last (1 point, one check), with its check's row …
    row = _rows(sheet, "HJXJ-06")
    assert sheet.cell(row, 4).value == 1 and sheet.max_row == row + 1
    sheet.delete_rows(row, 2)
    # … and add HJXJ-07 after HJXJ-01's checks, worth the same 1 point.
    row = _rows(sheet, "HJXJ-01") + 3
    sheet.insert_rows(row, 2)
    for column, value in enumerate(["HJXJ-07", "换届后及时交接工作", None, 1, "新老班子应在换届后**1个月**内完成工作交接。\n交接清单报上级备案。",
                                    "每届", "支部书记、组织委员", "查阅资料", None,
                                    "《中国共产党基层组织选举工作条例》 | 第二十条", "工作交接清单", None, "HJXJ-01", "换届选举、交接"],
                                   start=1):
        sheet.cell(row, column).value = value
    sheet.cell(row + 1, 3).value, sheet.cell(row + 1, 4).value = "一个月内完成交接，清单已报备", 1
    records = workbook["台账管理"]  # TZGL-04 lists HJXJ-06 as related: it goes too
    cell = records.cell(_rows(records, "TZGL-04"), 13)
    assert cell.value == "TZGL-01、HJXJ-06、DYFZ-08"
    cell.value = "TZGL-01、DYFZ-08"
    workbook.save(book)

    dry = _import(tmp_path, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would change 2 files" in dry.stdout and "nothing was written" in dry.stdout
    assert "Added     HJXJ-07 换届后及时交接工作" in dry.stdout
    assert "Removed   HJXJ-06 选举材料完整归档" in dry.stdout
    assert load_handbook(root).chapters[1].standards[1].id == "HJXJ-02"  # dry run: nothing written

    result = _import(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "removes HJXJ-06 (rows deleted in the workbook)" in result.stdout
    handbook = load_handbook(root)  # the result validates
    chapter = handbook.chapters[1]
    assert [s.id for s in chapter.standards] == ["HJXJ-01", "HJXJ-07", "HJXJ-02", "HJXJ-03", "HJXJ-04", "HJXJ-05"]
    new = chapter.standards[1]
    assert (new.frequency, new.responsible, new.methods) == ("per-term", ("secretary", "organising"), ("records",))
    assert new.text == "新老班子应在换届后**1个月**内完成工作交接。\n交接清单报上级备案。\n"
    assert [(b.document, b.article) for b in new.basis] == [("《中国共产党基层组织选举工作条例》", "第二十条")]
    assert [(c.text, c.points) for c in new.checks] == [("一个月内完成交接，清单已报备", 1)]
    assert (new.related, new.tags, new.veto) == (("HJXJ-01",), ("换届选举", "交接"), False)
    yaml_text = (root / "chapters" / "02-elections.yml").read_text(encoding="utf-8")
    assert "    text: |\n      新老班子应在换届后**1个月**内完成工作交接。\n      交接清单报上级备案。\n" in yaml_text
    assert "    responsible: [secretary, organising]\n" in yaml_text


def test_every_bad_cell_is_reported_at_once_and_nothing_is_written(tmp_path, copy_exported):
    root, book = copy_exported()
    before = _snapshot(root)
    workbook = load_workbook(book)
    sheet = workbook["“三会一课”"]
    row = _rows(sheet, "SHYK-01")
    sheet.cell(row, 6).value = "偶尔"  # 频次: not a label of the vocabulary
    sheet.cell(row + 1, 4).value = 5  # a check's points: no longer add up to the standard's 3
    new = sheet.max_row + 1  # a new standard (of 0 points, so the total still adds up) with a duplicate ID
    for column, value in enumerate(["SHYK-01", "新增标准", None, 0, "条文", "每月", "支部书记", "查阅资料"], start=1):
        sheet.cell(new, column).value = value
    row = _rows(sheet, "SHYK-03")
    sheet.cell(row, 2).value = None  # an empty required cell
    workbook.save(book)

    result = _import(tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "book.xlsx!“三会一课”!D2: error: the checks of standard SHYK-01 add up to 6, but its points are 3\n"
        "  hint: make the points of its checks add up to its points, or correct its points\n"
        "book.xlsx!“三会一课”!F2: error: unknown frequency '偶尔'\n"
        "  hint: choose from the drop-down list: 长期坚持、按需开展、每月、每季度、每半年、每年、每届、逐人逐事\n"
        "book.xlsx!“三会一课”!B8: error: empty 名称 in standard SHYK-03\n"
        "  hint: every standard needs it; fill the cell in\n"
        f"book.xlsx!“三会一课”!A{new}: error: duplicate standard ID 'SHYK-01' (also at “三会一课”!A2)\n"
        "  hint: every standard needs its own ID; give the new one another ID\n"
        "handbook: 4 problems found; nothing was written\n"
    )
    assert _snapshot(root) == before


def test_an_import_that_would_not_validate_writes_nothing(tmp_path, copy_exported):
    root, book = copy_exported()
    before = _snapshot(root)
    workbook = load_workbook(book)
    sheet = workbook["台账管理"]
    # The cell reads well, but the forms' font has no glyph for it: the handbook would not validate.
    sheet.cell(_rows(sheet, "TZGL-01"), 2).value = "台账分类建立😀"
    workbook.save(book)
    result = _import(tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("standards/chapters/09-records.yml:10:")
    assert "(in the YAML the import would write)" in result.stderr
    assert "nothing was written" in result.stderr
    assert _snapshot(root) == before


def test_workbooks_of_another_edition_or_with_renamed_sheets_or_headings_are_refused(tmp_path, copy_exported):
    root, book = copy_exported()
    before = _snapshot(root)

    workbook = load_workbook(book)
    workbook["党费收缴"].title = "党费"
    workbook["“三会一课”"]["C1"] = "要点"
    workbook.save(book)
    result = _import(tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "book.xlsx!“三会一课”!C1: error: heading '要点' where the export has '检查要点'\n"
        "  hint: keep the heading row and the order of the columns as exported: 编号 | 名称 | 检查要点 | 分值 | "
        "标准内容 | 频次 | 责任主体 | 检查方式 | 一票否决 | 依据 | 佐证材料 | 检查方法 | 相关标准 | 关键词\n"
        "book.xlsx!“党费收缴”: error: sheet “党费收缴” is missing (renamed or deleted?)\n"
        "  hint: keep the sheets as exported, with their names; chapters are added, renamed and removed in the YAML\n"
        "handbook: 2 problems found; nothing was written\n")

    handbook = root / "handbook.yml"
    handbook.write_text(handbook.read_text(encoding="utf-8").replace('id: "2026"', 'id: "2027"'), encoding="utf-8")
    result = _import(tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "handbook: error: book.xlsx: the workbook is of edition '2026', the standards folder holds edition '2027'\n"
        "  hint: export a workbook from this standards folder: handbook export-xlsx FILE\n")
    handbook.write_bytes(before["handbook.yml"])

    meetings = root / "chapters" / "04-meetings.yml"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("按期召开支部党员大会", "召开支部党员大会"),
                        encoding="utf-8")
    result = _import(tmp_path)
    assert result.returncode == 1
    assert "the YAML has changed since this workbook was exported" in result.stderr
    meetings.write_bytes(before["chapters/04-meetings.yml"])

    from openpyxl import Workbook
    Workbook().save(book)
    result = _import(tmp_path)
    assert result.returncode == 1
    assert "book.xlsx: not a workbook made by `handbook export-xlsx`" in result.stderr
    assert _snapshot(root) == before


def test_a_file_saved_on_windows_keeps_its_line_ends_and_byte_order_mark(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(FOOD_SAFETY, root)
    chapter = root / "chapters" / "01-storage.yml"
    original = chapter.read_text(encoding="utf-8")
    chapter.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    _, book = _export(tmp_path)
    workbook = load_workbook(book)
    workbook["Cold storage"]["B2"] = "Fridge temperatures are logged twice a day"
    workbook.save(book)
    result = _import(tmp_path)
    assert result.returncode == 0, result.stderr
    expected = original.replace("title: Fridge temperatures are logged\n",
                                "title: Fridge temperatures are logged twice a day\n")
    assert chapter.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")


def test_a_basis_line_a_new_check_and_a_list_change_only_their_own_lines(tmp_path, copy_exported):
    root, book = copy_exported(FOOD_SAFETY)
    chapter = root / "chapters" / "01-storage.yml"
    text = chapter.read_text(encoding="utf-8")
    workbook = load_workbook(book)
    sheet = workbook["Cold storage"]
    assert sheet["J2"].value == "Food Code 2022 | 3-501.16 | Cold holding at 5 °C or below."
    sheet["J2"] = "Food Code 2022 | 3-501.16 | Cold holding at 5 °C (41 °F) or below."
    assert sheet["G2"].value == "Kitchen manager"
    sheet["G2"] = "Kitchen manager, All staff"  # labels, mapped back to IDs
    # A third check between the two, taking a point from the second (6 = 3 + 1 + 2).
    sheet.insert_rows(4)
    sheet["C4"], sheet["D4"] = "Probe calibrated this month", 1
    sheet["D5"] = 2
    workbook.save(book)
    result = _import(tmp_path)
    assert result.returncode == 0, result.stderr
    after = chapter.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(text.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        "-    responsible: [manager]",
        "+    responsible: [manager, staff]",
        "-        note: Cold holding at 5 °C or below.",
        "+        note: Cold holding at 5 °C (41 °F) or below.",
        "+      - text: Probe calibrated this month",
        "+        points: 1",
        "-        points: 3",
        "+        points: 2",
    ]
