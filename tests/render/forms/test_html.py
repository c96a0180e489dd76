"""The HTML of the forms: a golden file, the site pages through Markdown, escaping, traceability."""

from __future__ import annotations

import dataclasses
import re

import markdown
import pytest
import yaml

from generator.model.labels import LOCALES
from generator.render.forms import form_page_markdown, forms, forms_index_markdown
from generator.render.forms.html import css_string, document_html, form_fragment, form_url, markdown_escape, trace
from generator.render.forms.views import FormLabels
from tests.golden import check_golden
from tests.render.forms.conftest import GOLDEN, SITE_URL, Built


def _form(handbook, slug):
    return next(form for form in forms(handbook) if form.slug == slug)


def _golden(name: str, actual: str) -> None:
    check_golden(GOLDEN / name, actual)


def test_golden_checklist_html(handbook):
    _golden("checklist-meetings.html", form_fragment(_form(handbook, "checklist-meetings"), SITE_URL,
                                                     standalone=True))


def test_golden_site_page_markdown(handbook):
    _golden("checklist-meetings.md", form_page_markdown(handbook, _form(handbook, "checklist-meetings"), SITE_URL))


def test_golden_index_markdown(handbook):
    _golden("index.md", forms_index_markdown(handbook, forms(handbook), SITE_URL))


def _site_html(text: str) -> str:
    return markdown.markdown(text, extensions=["md_in_html", "attr_list", "toc", "tables"])


def test_site_page_survives_markdown_untouched(handbook):
    form = _form(handbook, "checklist-meetings")
    page = _site_html(form_page_markdown(handbook, form, SITE_URL))
    assert page.startswith('<h1 class="hb-form-heading" id=')
    assert ">“三会一课”自查表</h1>" in page
    fragment = form_fragment(form, SITE_URL)
    assert fragment.strip() in page, "Markdown changed the form's HTML"
    assert '<button type="button" class="md-button md-button--primary hb-form-print">打印</button>' in page
    for href in ("../checklist-meetings.pdf", "../checklist-meetings-fillable.pdf", "../checklist-meetings.docx"):
        assert f'href="{href}"' in page
    assert "onclick" not in page
    assert page.count('class="hb-form-version ') == 2


def test_site_page_survives_the_site_sanitiser(handbook):
    from generator.render.sanitize import sanitize

    form = _form(handbook, "checklist-meetings")
    page = _site_html(form_page_markdown(handbook, form, SITE_URL))
    clean = sanitize(page)
    for kept in ('<div class="hb-form hb-form--checklist" lang="zh-CN">',
                 f'<span class="hb-form-fingerprint">{form.fingerprint}</span>',
                 'class="md-button md-button--primary hb-form-print"', 'href="../checklist-meetings.pdf"',
                 '<p class="hb-form-version hb-form-outdated">', '<thead>'):
        assert kept in clean, kept
    assert clean.count('<span class="hb-box"') == 3 * len(form.checklist.rows)
    path = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', page).group(1)
    assert f'd="{path}"' in clean, "the QR code lost its drawing"


def test_index_lists_every_form_with_all_its_files(handbook):
    page = _site_html(forms_index_markdown(handbook, forms(handbook), SITE_URL))
    assert page.startswith("<h1")
    for form in forms(handbook):
        for href in (f"{form.slug}/", f"{form.slug}.pdf", f"{form.slug}-fillable.pdf", f"{form.slug}.docx"):
            assert f'href="{href}"' in page
    assert 'href="../standards.xlsx"' in page


def test_content_is_escaped(handbook):
    html = form_fragment(_form(handbook, "checklist-meetings"), SITE_URL)
    assert "研究事项 &lt;重要&gt; &amp; 记录 “规范”" in html
    assert "<重要>" not in html


def test_title_with_markdown_characters_stays_literal(handbook):
    form = dataclasses.replace(_form(handbook, "checklist-meetings"), title="*A* <b>_x_</b> [y](z) #1")
    page = _site_html(form_page_markdown(handbook, form, SITE_URL))
    assert ">*A* &lt;b&gt;_x_&lt;/b&gt; [y](z) #1</h1>" in page
    assert markdown_escape("a.b") == "a\\.b"


def test_css_strings_cannot_break_out():
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'


def test_qr_code_encodes_the_form_page_with_its_fingerprint(handbook):
    form = _form(handbook, "checklist-meetings")
    url = form_url(form, SITE_URL)
    assert url == f"https://example.org/handbook/forms/checklist-meetings/?v={form.fingerprint}"
    html = document_html(form, SITE_URL)
    assert str(trace(form, SITE_URL).qr_svg) in html
    assert str(trace(form, SITE_URL).qr_svg).startswith("<svg")
    assert 'class="hb-form-qr"' not in document_html(form, "")  # no site_url: no QR, nothing to point at
    assert 'fill="' not in str(trace(form, SITE_URL).qr_svg)  # nothing a sanitiser could turn black


def test_standalone_document_is_a4_chinese_and_has_metadata(handbook):
    form = _form(handbook, "record-TPL-MEMBERS-MEETING")
    html = document_html(form, SITE_URL)
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "size: A4 portrait" in html
    assert "thead { display: table-header-group; }" in html
    assert '<meta name="dcterms.created" content="2026-07-01T00:00:00Z">' in html
    assert "<h1 class=\"hb-form-title\">党员大会会议记录</h1>" in html


def test_check_boxes_are_drawn_with_css_not_characters(built: Built):
    for path in built.out.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "\u2610" not in html and "\u2611" not in html
    checklist = (built.out / "checklist-meetings.html").read_text(encoding="utf-8")
    assert checklist.count('<span class="hb-box"') == 3 * 5


@pytest.mark.parametrize("language", ["zh", "en"])
def test_locales_have_every_form_label(language):
    data = yaml.safe_load((LOCALES / f"{language}.yml").read_text(encoding="utf-8"))
    missing = [f"forms.{f.name}" for f in dataclasses.fields(FormLabels) if f"forms.{f.name}" not in data]
    assert missing == []
    assert re.fullmatch(r".*\{page\}.*\{pages\}.*", data["forms.page_of"])
