"""An English handbook from another field (laboratory safety), built with its forms: nothing in the
output that its YAML and the English labels did not put there."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.publish.starter import STARTER
from tests.conftest import FIXTURES, run_handbook, run_module
from tests.language.leaks import leaks, visible_text

LAB_SAFETY = FIXTURES / "lab-safety"


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Path:
    """The lab-safety fixture built by `mkdocs build` (site and forms) with the English starter's mkdocs.yml.

    MkDocs' own command, not `handbook build` (the same plugin, the same site): MkDocs then reports at INFO
    level, and what it reported is kept in build.log for the test of its messages."""
    project = tmp_path_factory.mktemp("lab")
    shutil.copy(STARTER / "en" / "mkdocs.yml", project / "mkdocs.yml")
    (project / "docs").mkdir()
    shutil.copytree(LAB_SAFETY, project / "standards")
    result = run_module("mkdocs", "build", "-d", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    (project / "build.log").write_text(result.stderr, encoding="utf-8")
    return project


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_no_cjk_party_word_or_visible_markdown_in_any_output(lab: Path) -> None:
    assert leaks(lab / "site", lab / "standards") == []


def test_forms_use_neutral_english_words(lab: Path) -> None:
    text = _pdf_text(lab / "site" / "forms" / "checklist-chemicals.pdf")
    assert "Unit" in text and "Unit head (signature)" in text and "Inspector (signature)" in text


def test_veto_mark_is_bold_not_asterisks(lab: Path) -> None:
    page = (lab / "site" / "chapters" / "chemicals" / "index.html").read_text(encoding="utf-8")
    assert "6 pts <strong>(veto item)</strong>" in page
    assert "**" not in visible_text(page)


def test_technical_symbols_print_in_the_pdf_forms(lab: Path) -> None:
    forms = lab / "site" / "forms"
    checklist = _pdf_text(forms / "checklist-chemicals.pdf")
    assert "Every CO₂ and N₂ cylinder chained upright" in checklist
    record = " ".join(_pdf_text(forms / "record-EQUIPMENT-REGISTER.pdf").split())
    assert "0.5 m/s ± 0.1, 4 °C, 10 µL" in record


def test_english_words_in_narrow_cells_break_with_a_hyphen(lab: Path) -> None:
    import pyphen

    text = " ".join(_pdf_text(lab / "site" / "forms" / "record-PEROXIDE-LOG.pdf").split())
    syllables = pyphen.Pyphen(lang="en")
    for word in "Date opened Chemical Container Quantity Location Functional test Initials".split():
        whole_or_hyphenated = [word] + [f"{word[:i]}\u2010 {word[i:]}" for i in syllables.positions(word)]
        assert any(f" {form} " in text for form in whole_or_hyphenated), word
    assert "Func\u2010 tional" in text  # the narrowest heading does break, at a syllable


def test_word_files_are_english_without_a_chinese_font(lab: Path) -> None:
    with zipfile.ZipFile(lab / "site" / "forms" / "checklist-chemicals.docx") as docx:
        styles = docx.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="en"' in styles and "zh-CN" not in styles and "宋体" not in styles


def test_rating_page_is_linked_from_the_overview_and_the_scoring_sheet(lab: Path) -> None:
    site = lab / "site"
    rating = visible_text((site / "rating" / "index.html").read_text(encoding="utf-8"))
    assert "★★★ Three stars 27" in " ".join(rating.split())
    assert "A lab that fails a veto standard is rated one star at most" in rating
    for page in ("overview/index.html", "forms/scoring-sheet/index.html"):
        assert 'rating/">Star rating</a>' in (site / page).read_text(encoding="utf-8")
    record = (site / "record-books" / "PEROXIDE-LOG" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../forms/record-PEROXIDE-LOG/">Printable form (print, PDF, Word)</a>' in record


def test_change_report_writes_points_with_a_space(tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(LAB_SAFETY, new)
    chapter = new / "chapters" / "01-chemicals.yml"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("Valve caps fitted on cylinders", "Valve caps fitted on all cylinders"),
                       encoding="utf-8")
    result = run_handbook("diff", str(LAB_SAFETY), str(new))
    assert result.returncode == 0, result.stderr
    assert "      Valve caps fitted on {+all +}cylinders not in use (2 pts)\n" in result.stdout


def test_generated_pages_outside_the_nav_are_not_reported(lab: Path) -> None:
    log = (lab / "build.log").read_text(encoding="utf-8")  # what `mkdocs build` of this site reported
    assert "INFO" in log  # MkDocs reports at INFO level here, so the check below can fail
    assert 'not included in the "nav"' not in log
    assert (lab / "site" / "forms" / "scoring-sheet" / "index.html").is_file()
