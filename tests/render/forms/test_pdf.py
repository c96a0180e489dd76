"""The PDFs, read back with pypdf: A4, fonts embedded, the YAML's content, fields in the fillable one."""

from __future__ import annotations

import re

import pypdf
import pytest

from generator.render.forms import forms
from tests.render.forms.conftest import Built, yaml_chapters

A4 = (595.28, 841.89)  # points


def _reader(built: Built, name: str) -> pypdf.PdfReader:
    return pypdf.PdfReader(built.out / name)


def _text(page: pypdf.PageObject) -> str:
    return "".join(page.extract_text().split())


def _all_text(reader: pypdf.PdfReader) -> str:
    return "".join(_text(page) for page in reader.pages)


def _pdf_names(built: Built) -> list[str]:
    names = []
    for form in forms(built.handbook):
        names += [f"{form.slug}.pdf", f"{form.slug}-fillable.pdf"]
    return names


def test_every_form_has_a_print_and_a_fillable_pdf(built: Built):
    found = sorted(p.name for p in built.out.glob("*.pdf"))
    assert found == sorted(_pdf_names(built))


def test_every_page_is_a4(built: Built):
    for name in _pdf_names(built):
        for number, page in enumerate(_reader(built, name).pages, start=1):
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(A4, abs=0.5), f"{name} page {number} is {size}"


def test_fonts_are_the_shipped_ones_embedded_and_subset(built: Built):
    for name in _pdf_names(built):
        reader = _reader(built, name)
        seen = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                base = str(font["/BaseFont"])
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, f"{name}: {base} is not embedded"
                assert re.fullmatch(r"/[A-Z]{6}\+Handbook-Form-.+", base), f"{name}: {base} is not subset"
                seen.add(base.split("+", 1)[1])
        assert "Handbook-Form-Sans" in seen, f"{name} does not use the form font: {seen}"


def test_checklist_shows_every_item_of_its_chapter_in_order(built: Built):
    for chapter, standards in yaml_chapters().items():
        text = _all_text(_reader(built, f"checklist-{chapter}.pdf"))
        position = 0
        for std in standards:
            for check in std["checks"]:
                wanted = "".join(check["text"].split())
                found = text.find(wanted, position)
                assert found >= 0, f"checklist-{chapter}: {check['text']!r} missing or out of order"
                position = found + len(wanted)


def test_long_checklist_repeats_the_table_header_on_page_2(built: Built):
    reader = _reader(built, "checklist-long.pdf")
    assert len(reader.pages) >= 2
    labels = built.handbook.labels
    heads = [labels[f"forms.{key}"] for key in ("col_no", "col_check", "col_standard", "col_method",
                                                 "col_evidence", "met", "not_met", "na", "notes")]
    second = _text(reader.pages[1])
    assert second.find("".join(heads)) >= 0, f"page 2 does not start its table with {heads}: {second[:120]}"
    # ...and the first row after the header continues the numbering, not the instructions.
    assert labels["forms.instructions_checklist"][:8] not in second


def test_scoring_sheet_total_and_subtotals_equal_the_yaml(built: Built):
    text = _all_text(_reader(built, "scoring-sheet.pdf"))
    chapters = yaml_chapters()
    subtotals = [sum(c["points"] for std in stds for c in std["checks"]) for stds in chapters.values()]
    assert [int(n) for n in re.findall(r"小计(\d+)", text)] == subtotals
    totals = re.findall(r"总分(\d+)", text)
    assert [int(n) for n in totals] == [sum(subtotals)]
    # Every scored item is there, in order, followed by its points (the score cell is blank).
    spaced = " ".join(page.extract_text() for page in _reader(built, "scoring-sheet.pdf").pages)
    position = 0
    for stds in chapters.values():
        for std in stds:
            for check in std["checks"]:
                letters = "".join(check["text"].split())
                pattern = r"\s*".join(map(re.escape, letters)) + r"\s*(?:否决\s*)?(\d+)\s"
                found = re.compile(pattern).search(spaced, position)
                assert found, check["text"]
                assert int(found.group(1)) == check["points"], check["text"]
                position = found.end()


def test_scoring_sheet_lists_levels_and_veto_items(built: Built):
    text = _all_text(_reader(built, "scoring-sheet.pdf"))
    for level in ("★★★★★五星级72分及以上", "★★★★四星级64–71分", "★一星级0–47分"):
        assert level in text
    assert "SHYK-03落实“三会一课”制度" in text
    assert "评定等次最高为二星级" in text


def test_every_page_carries_edition_code_fingerprint_and_page_count(built: Built):
    for form in forms(built.handbook):
        reader = _reader(built, f"{form.slug}.pdf")
        pages = len(reader.pages)
        for number, page in enumerate(reader.pages, start=1):
            text = _text(page)
            for part in ("2026年版", form.code, form.fingerprint, "2026-07-01", f"第{number}页/共{pages}页"):
                assert part in text, f"{form.slug} page {number} lacks {part!r}"


def test_print_pdf_has_no_fields_and_fillable_has_boxes_and_scores(built: Built):
    for form in forms(built.handbook):
        assert _reader(built, f"{form.slug}.pdf").get_fields() is None, form.slug
    checklist = next(f for f in forms(built.handbook) if f.slug == "checklist-meetings")
    fields = _reader(built, "checklist-meetings-fillable.pdf").get_fields()
    boxes = {name for name, field in fields.items() if field.get("/FT") == "/Btn"}
    expected = {f"item-{row.number}-{kind}" for row in checklist.checklist.rows for kind in ("met", "not-met", "na")}
    assert boxes == expected

    scoring = next(f for f in forms(built.handbook) if f.kind == "scoring").scoring
    fields = _reader(built, "scoring-sheet-fillable.pdf").get_fields()
    texts = {name for name, field in fields.items() if field.get("/FT") == "/Tx"}
    rows = {row.field for group in scoring.groups for row in group.rows}
    assert texts == rows | {group.field for group in scoring.groups} | {"total"}
    vetoes = {name for name, field in fields.items() if field.get("/FT") == "/Btn"}
    assert vetoes == {"veto-SHYK-03"}


def test_fillable_check_box_can_be_ticked(built: Built, tmp_path):
    reader = pypdf.PdfReader(built.out / "checklist-meetings-fillable.pdf")
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[0], {"item-1-met": "/on", "item-2-not-met": "/on"},
                                         auto_regenerate=False)
    path = tmp_path / "ticked.pdf"
    writer.write(path)
    fields = pypdf.PdfReader(path).get_fields()
    assert fields["item-1-met"]["/V"] == "/on"
    assert fields["item-2-not-met"]["/V"] == "/on"
    assert fields["item-1-not-met"]["/V"] == "/Off"
