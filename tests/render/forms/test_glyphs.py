"""A character the form font cannot print fails loading, at its path:line:col."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from generator.errors import HandbookError
from generator.load.files import SourceFile
from generator.render.forms.pdf import FONT_FILES
from generator.render.forms.pdf import SYMBOL_FONT_FILES
from generator.validate.glyphs import (
    FORM_FONT,
    SYMBOL_FONT,
    check_glyphs,
    font_codepoints,
    form_font_codepoints,
    has_glyph,
)
from generator.validate.handbook import load_handbook
from tests.render.forms.conftest import FIXTURE

HINT = "  hint: 替换或删除它；PDF 和 Word 表单无法打印它（表单能打印带重音的字母、数字、₂ ² ° ± µ ≤ ≥ → ✓ 和汉字）"
TECHNICAL = "CO₂ SO₄²⁻ NH₄⁺ H₂O x⁻¹ 10⁵ 25 °C ± 0.5 5 µg ≤ 2 ≥ 1 → ✓ Ångström Łódź Dvořák Ørsted naïve"


def test_the_checked_font_is_the_one_the_pdf_embeds():
    assert FORM_FONT == FONT_FILES[400] and SYMBOL_FONT == SYMBOL_FONT_FILES[400]
    assert {ord(c) for c in "党支部“三会一课”（）《》、；：—…★✓①"} <= form_font_codepoints()


def test_rare_character_fails_the_load_with_its_position(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    source = tmp_path / "standards"
    shutil.copytree(FIXTURE, source)
    chapter = source / "chapters" / "01-meetings.yml"
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if "每月召开 1 次支部委员会会议" in line)
    lines[number] = lines[number].replace("支部委员会", "支部\U00020000委员会")
    chapter.write_text("".join(lines), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(HandbookError) as caught:
        load_handbook(Path("standards"))
    col = lines[number].index("\U00020000") + 1
    assert str(caught.value) == (
        f"standards/chapters/01-meetings.yml:{number + 1}:{col}: error: "
        "字符 '\U00020000'（U+20000）在表单字体中没有字形\n" + HINT)  # the fixture is a Chinese handbook


def test_every_occurrence_is_reported_and_comments_and_spaces_are_ignored():
    text = ('title: "甲\U0001F600乙"\n'
            "# a comment may say anything: \U0001F600\n"
            "text: |\n"
            "  第一行\u3000\u200b\n"
            "  \U0001F600 和 \U0001F600\n"
            'escaped: "\\U0001F600"\n'
            "number: 4\n")
    source = SourceFile(path=Path("x.yml"), display="x.yml", text=text)
    found = [(p.line, p.col) for p in check_glyphs(source)]
    assert found == [(1, 10), (5, 3), (5, 7), (6, 10)]


def test_covered_file_is_not_parsed():
    # Broken YAML whose characters are all printable: nothing to say here (the YAML check reports it).
    source = SourceFile(path=Path("x.yml"), display="x.yml", text="a: [unclosed\n")
    assert check_glyphs(source) == []
    assert has_glyph(" ") and has_glyph("\u200b") and not has_glyph("\U00020000")


def test_bundled_fixture_is_fully_covered():
    for path in FIXTURE.rglob("*.yml"):
        source = SourceFile(path=path, display=str(path), text=path.read_text(encoding="utf-8"))
        assert check_glyphs(source) == [], path


def test_fast_cmap_reader_agrees_with_fonttools():
    from fontTools.ttLib import TTFont

    from generator.validate import glyphs

    with TTFont(FORM_FONT, lazy=True) as font:
        expected = set(font.getBestCmap())
        bmp = next(t for t in font["cmap"].tables if t.format == 4 and t.platformID == 3)
        bmp_codes = {code for code, glyph in bmp.cmap.items() if glyph != ".notdef"}
    assert font_codepoints(FORM_FONT) == expected
    # The format 4 (BMP) path, used by fonts without a format 12 table.
    table = glyphs._cmap_table(FORM_FONT)
    (count,) = struct.unpack_from(">H", table, 2)
    offset = next(o for p, e, o in struct.iter_unpack(">HHI", table[4:4 + 8 * count]) if (p, e) == (3, 1))
    assert set(glyphs._format4(table, offset)) == bmp_codes


def test_technical_symbols_pass_and_a_lookalike_gets_a_replacement():
    assert [c for c in TECHNICAL if not has_glyph(c)] == []
    source = SourceFile(path=Path("x.yml"), display="x.yml", text="title: \"CO\u2082 \U0001D465\"\n")
    assert [p.format() for p in check_glyphs(source)] == [
        "x.yml:1:13: error: character '\U0001D465' (U+1D465) has no glyph in the form font\n"
        "  hint: write 'x' instead; the PDF and Word forms could not print '\U0001D465'"]
