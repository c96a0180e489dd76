"""The whole handbook as a book: the PDF read back with pypdf, the Word file with python-docx.

The bundled handbook's book is read from the test run's one site build (`built_site`, which makes it as every
build with forms does); the cache's behaviour is checked on the small English fixture, whose book renders fast.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest

from generator.build.book import book_files
from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY, STANDARDS

HANDBOOK = load_handbook(STANDARDS)
FOOD = load_handbook(FOOD_SAFETY)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("book-cache")


@pytest.fixture(scope="module")
def made(cache: Path):
    """The English fixture's book, rendered cold into this module's own cache."""
    return book_files(FOOD, cache_dir=cache)


@pytest.fixture(scope="module")
def pdf(built_site: Path):
    from pypdf import PdfReader

    return PdfReader(built_site / "handbook.pdf")


@pytest.fixture(scope="module")
def texts(pdf) -> list[str]:
    """Each page's text without white space, read once (pypdf takes a while over a Chinese book)."""
    return [_text(page) for page in pdf.pages]


def _text(page) -> str:
    return "".join(page.extract_text().split())


def _outline(reader) -> list[tuple[str, list[str]]]:
    """(chapter bookmark, [its children's titles]) in order."""
    result: list[tuple[str, list[str]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            result[-1][1].extend(child.title for child in item if not isinstance(child, list))
        else:
            result.append((item.title, []))
    return result


def test_cover_names_title_issuer_edition_date_and_disclaimer(texts) -> None:
    cover = texts[0]
    for expected in (HANDBOOK.meta.title, HANDBOOK.meta.issuer, HANDBOOK.edition.label,
                     HANDBOOK.edition.effective.isoformat(), "示例版本"):
        assert "".join(expected.split()) in cover


def test_every_standard_is_in_the_book_and_in_the_contents_with_its_page(texts) -> None:
    text = "".join(texts)
    missing = [s.id for _, s in HANDBOOK.standards() if s.id not in text]
    assert missing == []
    contents = texts[1]
    first = HANDBOOK.chapters[0].standards[0]
    assert re.search(re.escape(f"{first.id}{''.join(first.title.split())}") + r"\.+\d+", contents)


def test_bookmarks_per_chapter_and_per_standard(pdf) -> None:
    outline = dict(_outline(pdf))
    for number, chapter in enumerate(HANDBOOK.chapters, start=1):
        title = f"第{number}章 {chapter.title}"
        assert title in outline
        assert outline[title] == [f"{s.id} {s.title}" for s in chapter.standards]
    assert HANDBOOK.label("glossary") in outline
    assert HANDBOOK.label("rating") in outline


def test_pages_are_numbered_and_carry_the_chapter_title(texts) -> None:
    total = len(texts)
    assert total > 40
    for number in (2, total // 2, total):
        assert f"第{number}页/共{total}页" in texts[number - 1]
    chapter = HANDBOOK.chapters[1]
    page = next(text for text in texts if chapter.standards[-1].id in text)
    assert f"第2章{''.join(chapter.title.split())}" in page
    assert "".join(HANDBOOK.meta.title.split()) in page


def test_fonts_are_embedded_and_subset(pdf) -> None:
    seen = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, base
            assert re.fullmatch(r"/[A-Z]{6}\+.+", base), base
            seen.add(base.split("+", 1)[1])
    assert any(name.startswith("Handbook-Form-Sans") for name in seen), seen


def test_appendices_hold_the_record_books_and_checklists(pdf, texts) -> None:
    text = "".join(texts)
    for template in HANDBOOK.templates:
        assert "".join(template.title.split()) in text
    outline = dict(_outline(pdf))
    appendices = [title for title in outline if title.startswith("附录")]
    assert len(appendices) == 2
    assert len(outline[appendices[0]]) == len(HANDBOOK.templates)


def test_word_file_has_heading_styles_per_chapter_and_standard(built_site: Path) -> None:
    import docx

    document = docx.Document(built_site / "handbook.docx")
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    level1 = [text for style, text in headings if style == "Heading 1"]
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert level1[:len(HANDBOOK.chapters)] == [f"第{n}章 {c.title}" for n, c in enumerate(HANDBOOK.chapters, 1)]
    assert [f"{s.id} {s.title}" for _, s in HANDBOOK.standards()] == level2[:len(HANDBOOK.standards())]
    assert HANDBOOK.label("glossary") in level1
    assert {t.title for t in HANDBOOK.templates} <= set(level2)  # the record books, in the appendix
    assert len(document.tables) >= len(HANDBOOK.standards()) + len(HANDBOOK.templates)
    assert any(p.style.name == "Title" and p.text == HANDBOOK.meta.title for p in document.paragraphs)
    # the heading styles carry outline levels: what Word's and WPS's navigation panes list
    for level in (1, 2):
        style = document.styles[f"Heading {level}"].element
        assert style.xpath("string(./w:name/@w:val)") == f"heading {level}"  # Word's built-in heading
        assert style.xpath("string(.//w:outlineLvl/@w:val)") == str(level - 1)


def test_unchanged_handbook_renders_nothing_and_a_change_renders_again(made, cache: Path) -> None:
    assert set(made.rendered) == {"handbook.pdf", "handbook.docx"}
    again = book_files(FOOD, cache_dir=cache)
    assert again.rendered == ()
    assert again.files == made.files
    edition = dataclasses.replace(FOOD.edition, label="Second edition")
    changed = book_files(dataclasses.replace(FOOD, edition=edition), cache_dir=cache, formats=("docx",))
    assert changed.rendered == ("handbook.docx",)


def test_english_handbook_gets_english_words(made) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(made.files["handbook.pdf"]))
    total = len(reader.pages)
    assert f"Page 2 of {total}" in reader.pages[1].extract_text()
    assert f"Chapter 1. {FOOD.chapters[0].title}" in [title for title, _ in _outline(reader)]
    assert "第" not in "".join(page.extract_text() for page in reader.pages)


def test_build_links_the_book_from_home_and_forms_page(built_site: Path) -> None:
    assert (built_site / "handbook.pdf").read_bytes().startswith(b"%PDF")
    assert (built_site / "handbook.docx").read_bytes().startswith(b"PK")
    assert 'href="handbook.pdf"' in (built_site / "index.html").read_text(encoding="utf-8")
    forms = (built_site / "forms" / "index.html").read_text(encoding="utf-8")
    assert 'href="../handbook.pdf"' in forms and 'href="../handbook.docx"' in forms


def test_word_file_made_in_a_second_process_is_the_same_file(monkeypatch) -> None:
    from generator.build import book as build_book
    from generator.render.book import book

    view = book(FOOD)
    monkeypatch.setattr(build_book, "_may_fork", lambda: True)
    beside = build_book._render(view, ["pdf", "docx"])
    monkeypatch.setattr(build_book, "_may_fork", lambda: False)
    alone = build_book._render(view, ["pdf", "docx"])
    assert beside == alone
    assert beside["docx"].startswith(b"PK") and beside["pdf"].startswith(b"%PDF")
