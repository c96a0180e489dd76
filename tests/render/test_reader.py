"""A page's meta description: the first sentences of its paragraphs, however big the page."""

from __future__ import annotations

from generator.render.reader import page_description


def test_tables_before_the_first_paragraph_are_passed_over() -> None:
    table = "<table><tr><td>" + "单元格 " * 50 + "</td></tr></table>\n"
    html = "<h1>标题</h1>\n" + table * 200 + "<p>第一段。</p>\n" + table + "<ul><li>条目</li></ul>"
    assert page_description(html) == "第一段。"


def test_a_table_holding_a_paragraph_is_read_as_a_whole() -> None:
    # Paragraphs inside a table are skipped, list items win only when no paragraph is found.
    html = "<table><tr><td><p>表内段落</p></td></tr></table><ul><li>条目一</li></ul>"
    assert page_description(html, fallback="站点") == "条目一"


def test_a_long_page_is_cut_at_a_sentence_end_from_its_first_paragraphs() -> None:
    first = "这是第一句话，它说明了本章的范围。" * 4
    html = f"<p>{first}</p>\n" + "<p>后面的段落。</p>\n" * 5000
    text = " ".join([first, *["后面的段落。"] * 5000])[:120]
    expected = text[: text.rfind("。") + 1]
    assert len(expected) > len(first)  # the cut falls inside the later paragraphs
    assert page_description(html) == expected


def test_no_paragraph_gives_the_list_items_then_the_fallback() -> None:
    assert page_description("<ul><li>甲</li><li>乙</li></ul>" + "<table><tr><td>x</td></tr></table>" * 10) == "甲 乙"
    assert page_description("<table><tr><td>x</td></tr></table>", fallback="手册") == "手册"
