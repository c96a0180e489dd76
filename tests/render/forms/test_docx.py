"""The Word files, opened with python-docx and compared with the YAML."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from generator.render.forms import forms
from tests.render.forms.conftest import FIXTURE, Built, yaml_chapters

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def _open(built: Built, slug: str):
    return docx.Document(str(built.out / f"{slug}.docx"))


def _main_table(document, first_head: str):
    """The form's table: the one whose first row starts with the given heading."""
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_head)


def test_checklist_rows_match_the_yaml(built: Built):
    labels = built.handbook.labels
    for chapter, standards in yaml_chapters().items():
        table = _main_table(_open(built, f"checklist-{chapter}"), labels["forms.col_no"])
        heads = [cell.text for cell in table.rows[0].cells]
        assert heads == [labels[f"forms.{k}"] for k in ("col_no", "col_check", "col_standard", "col_method",
                                                         "col_evidence", "met", "not_met", "na", "notes")]
        expected = [(std["id"], check["text"]) for std in standards for check in std["checks"]]
        rows = table.rows[1:]
        assert len(rows) == len(expected)
        for number, (row, (std_id, text)) in enumerate(zip(rows, expected, strict=True), start=1):
            cells = row.cells
            assert cells[0].text == str(number)
            assert cells[1].paragraphs[0].text.removesuffix(f" [{labels['forms.veto_mark']}]") == text
            assert cells[2].paragraphs[0].text == std_id
            for cell in cells[5:8]:
                assert len(cell._tc.findall(f".//{W14}checkbox")) == 1
                assert "".join(t.text for t in cell._tc.iter(qn("w:t"))) == "\u2610"


def test_table_header_repeats_and_rows_do_not_split(built: Built):
    table = _main_table(_open(built, "checklist-long"), built.handbook.labels["forms.col_no"])
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])


def test_check_boxes_are_w14_content_controls(built: Built):
    document = _open(built, "checklist-meetings")
    boxes = document.element.body.findall(f".//{W14}checkbox")
    rows = sum(len(std["checks"]) for std in yaml_chapters()["meetings"])
    assert len(boxes) == 3 * rows
    ids = [sdt.find(qn("w:sdtPr")).find(qn("w:id")).get(qn("w:val"))
           for sdt in document.element.body.iter(qn("w:sdt"))]
    assert len(set(ids)) == len(ids)
    assert boxes[0].find(f"{W14}checked").get(f"{W14}val") == "0"


def test_chinese_is_the_east_asian_language_and_pages_are_numbered(built: Built):
    document = _open(built, "checklist-meetings")
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = section.footer.paragraphs[0]
    fields = [f.get(qn("w:instr")).split()[0] for f in footer._p.findall(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("施行日期 2026-07-01 · 校验码 ")
    assert "".join(t.text for t in footer._p.iter(qn("w:t"))).endswith("第 1 页 / 共 1 页")


def test_docx_carries_edition_fingerprint_and_qr(built: Built):
    for form in forms(built.handbook):
        document = _open(built, form.slug)
        props = document.core_properties
        assert props.identifier == form.fingerprint
        assert props.created == props.modified
        assert props.created.date().isoformat() == "2026-07-01"
        head = document.tables[0].rows[0].cells
        assert form.code in head[1].text and form.fingerprint in head[1].text
        assert len(document.inline_shapes) == 1  # the QR code


def test_scoring_sheet_total_matches_the_yaml(built: Built):
    labels = built.handbook.labels
    table = _main_table(_open(built, "scoring-sheet"), labels["forms.col_no"])
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    chapters = yaml_chapters()
    items = [(check["text"], check["points"]) for stds in chapters.values() for std in stds
             for check in std["checks"]]
    scored = [(row[2].split(" [")[0], int(row[3])) for row in texts[1:] if row[0].isdigit()]
    assert scored == items
    subtotals = [int(row[3]) for row in texts if row[0] == labels["forms.subtotal"]]
    assert subtotals == [sum(c["points"] for s in stds for c in s["checks"]) for stds in chapters.values()]
    total = [int(row[3]) for row in texts if row[0] == labels["forms.total"]]
    assert total == [sum(points for _, points in items)]


def test_record_forms_have_their_fields_and_register_rows(built: Built):
    import yaml

    templates = yaml.safe_load((FIXTURE / "templates.yml").read_text(encoding="utf-8"))["templates"]
    for template in templates:
        document = _open(built, f"record-{template['id']}")
        if template.get("fields"):
            table = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text
                         == template["fields"][0]["label"])
            assert [row.cells[0].paragraphs[0].text for row in table.rows] == [f["label"] for f in template["fields"]]
        if template.get("columns"):
            table = _main_table(document, built.handbook.labels["forms.col_no"])
            assert [c.text for c in table.rows[0].cells][1:] == [c["label"] for c in template["columns"]]
            assert len(table.rows) == 1 + template["rows"]
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_long_titles_and_control_characters_do_not_stop_the_word_form(built: Built):
    import dataclasses
    import io

    from generator.render.forms import render_one

    form = next(f for f in forms(built.handbook) if f.slug == "checklist-meetings")
    doc = dataclasses.replace(form.doc, title="标" * 300, issuer="发" * 300)
    labels = dataclasses.replace(form.labels, branch="支部名称" * 30)
    long = dataclasses.replace(form, title="长" * 300 + "\a\x00", doc=doc, labels=labels)
    document = docx.Document(io.BytesIO(render_one(long, "docx")))
    assert document.core_properties.title == "长" * 254 + "…"
    assert document.tables[0].rows[0].cells[0].paragraphs[1].text == "长" * 300  # control characters dropped
