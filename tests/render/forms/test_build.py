"""render_forms: the files it writes, the cache, what a change re-renders, reproducible bytes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from generator.build.forms import render_forms
from generator.render.forms import FORMATS, file_name, forms, render_one, standards_xlsx
from generator.validate.handbook import load_handbook
from tests.render.forms.conftest import FIXTURE, SITE_URL, Built, slugs, yaml_chapters


def test_first_build_renders_every_file(built: Built):
    expected = {(slug, fmt) for slug in slugs(built.handbook) for fmt in FORMATS if fmt != "xlsx"}
    expected.add(("standards", "xlsx"))
    assert set(built.report.rendered) == expected
    assert built.report.cached == ()
    assert sorted(p.name for p in built.out.iterdir()) == sorted(
        file_name(slug, fmt) for slug, fmt in expected)


def test_rebuild_without_change_renders_nothing(built: Built, tmp_path: Path):
    cache = tmp_path / "cache"
    shutil.copytree(built.cache, cache)
    report = render_forms(built.handbook, tmp_path / "out", site_url=SITE_URL, cache_dir=cache, jobs=2)
    assert report.rendered == ()
    assert set(report.cached) == set(built.report.rendered)
    for path in built.out.iterdir():
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes(), path.name


def test_changing_one_checklist_item_rerenders_exactly_the_forms_that_show_it(built: Built, tmp_path: Path):
    source = tmp_path / "standards"
    shutil.copytree(FIXTURE, source)
    chapter = source / "chapters" / "03-organisation.yml"
    text = chapter.read_text(encoding="utf-8")
    assert text.count("党费按规定及时上缴") == 1
    chapter.write_text(text.replace("党费按规定及时上缴", "党费按规定及时足额上缴"), encoding="utf-8")
    changed = load_handbook(source)

    before = {form.slug: form.fingerprint for form in forms(built.handbook)}
    after = {form.slug: form.fingerprint for form in forms(changed)}
    differ = {slug for slug in before if before[slug] != after[slug]}
    assert differ == {"checklist-organisation", "scoring-sheet"}

    cache = tmp_path / "cache"
    shutil.copytree(built.cache, cache)
    report = render_forms(changed, tmp_path / "out", site_url=SITE_URL, cache_dir=cache, jobs=2)
    assert set(report.rendered) == {(slug, fmt) for slug in differ for fmt in FORMATS if fmt != "xlsx"} | {
        ("standards", "xlsx")}
    assert report.rendered_slugs("pdf") == differ
    assert report.cached_slugs("docx") == set(before) - differ
    for slug in set(before) - differ:
        for fmt in ("pdf", "pdf_forms", "docx", "html"):
            name = file_name(slug, fmt)
            assert (tmp_path / "out" / name).read_bytes() == (built.out / name).read_bytes(), name
    assert "党费按规定及时足额上缴" in (tmp_path / "out" / "checklist-organisation.html").read_text(encoding="utf-8")


def test_site_url_is_part_of_the_cache_key(built: Built, tmp_path: Path):
    cache = tmp_path / "cache"
    shutil.copytree(built.cache, cache)
    report = render_forms(built.handbook, tmp_path / "out", formats=("html", "xlsx"),
                          site_url="https://other.example/", cache_dir=cache, jobs=1)
    assert report.rendered_slugs("html") == set(slugs(built.handbook))
    assert report.cached == (("standards", "xlsx"),)  # the spreadsheet has no QR code


def test_parallel_and_in_process_renders_are_byte_identical(built: Built):
    form = next(f for f in forms(built.handbook) if f.slug == "scoring-sheet")
    for fmt in ("html", "pdf", "pdf_forms", "docx"):
        assert render_one(form, fmt, SITE_URL) == (built.out / file_name(form.slug, fmt)).read_bytes(), fmt
    assert standards_xlsx(built.handbook) == (built.out / "standards.xlsx").read_bytes()


def test_source_date_epoch_sets_the_dates(built: Built, monkeypatch: pytest.MonkeyPatch):
    import docx

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    form = next(f for f in forms(built.handbook) if f.slug == "record-TPL-DUES")
    document = docx.Document(io.BytesIO(render_one(form, "docx", SITE_URL)))
    assert document.core_properties.modified.isoformat().startswith("2026-01-01T00:00:00")
    assert b"2026-01-01T00:00:00Z" in render_one(form, "html", SITE_URL)


def test_unknown_format_is_refused(built: Built, tmp_path: Path):
    message = "unknown form format\\(s\\) rtf; choose from html, pdf, pdf_forms, docx, xlsx"
    with pytest.raises(ValueError, match=message):
        render_forms(built.handbook, tmp_path, formats=("pdf", "rtf"))


def test_standards_xlsx_has_a_row_per_standard_and_per_check(built: Built):
    workbook = openpyxl.load_workbook(built.out / "standards.xlsx")
    standards, checks = workbook.worksheets
    labels = built.handbook.labels
    assert (standards.title, checks.title) == (labels["forms.sheet_standards"], labels["forms.sheet_checks"])
    chapters = yaml_chapters()
    ids = [row[1] for row in standards.iter_rows(min_row=2, values_only=True)]
    assert ids == [std["id"] for stds in chapters.values() for std in stds]
    rows = [(row[1], row[3], row[4], row[5]) for row in checks.iter_rows(min_row=2, values_only=True)]
    assert rows == [(std["id"], n, check["text"], check["points"]) for stds in chapters.values() for std in stds
                    for n, check in enumerate(std["checks"], start=1)]
    assert standards.freeze_panes == "A2" and standards.auto_filter.ref.startswith("A1:")


def test_fingerprints_ignore_labels_only_the_site_shows(built: Built):
    import dataclasses

    def fingerprints(labels: dict[str, str]) -> dict[str, str]:
        handbook = dataclasses.replace(built.handbook, labels={**built.handbook.labels, **labels})
        return {form.slug: form.fingerprint for form in forms(handbook)}

    before = fingerprints({})
    assert fingerprints({"forms.print": "Print it", "forms.index_title": "All forms"}) == before
    # A printed label may change any form (the view carries them all): every fingerprint moves.
    after = fingerprints({"forms.met": "合格"})
    assert all(before[slug] != after[slug] for slug in before)
