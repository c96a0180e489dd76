"""Plain text of Markdown (forms, calendar, book): the shortcut for simple text gives what Markdown gives."""

from __future__ import annotations

import sys

import pytest

from generator.render.forms.views import _converted_text, plain_text
from generator.validate import load_handbook
from tests.conftest import FIXTURES, ROOT, STANDARDS


def _texts(handbook) -> list[str]:
    found = [handbook.meta.disclaimer, handbook.rating.veto_note, handbook.rating.groups_note]
    for chapter in handbook.chapters:
        found.append(chapter.summary)
        for std in chapter.standards:
            found += [std.text, std.inspection]
    found += [t.purpose for t in handbook.templates] + [g.definition for g in handbook.glossary]
    return [t for t in found if t]


@pytest.mark.parametrize("source", [
    "支部党员大会一般**每季度召开 1 次**，由支部书记召集。\n会议议题应提前告知。",
    "First paragraph with **bold**.\n\nSecond one,  with  spaces.  \nA line break.",
    "- a list\n- of two", "1. one\n2. two", "# A heading", "Text with *em* and `code`", "a & b < c",
    "**bold at the start** then text", "Line one\n    indented code?", "Setext\n---", "> quote",
    "[link](x.md) and <b>html</b>", "two  spaces  inside", "tab\there",
])
def test_plain_text_is_what_markdown_shows(source: str) -> None:
    assert plain_text(source) == _converted_text(source)


def test_every_text_of_the_bundled_fixture_and_benchmark_handbooks(tmp_path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_handbook import write_handbook

    roots = [STANDARDS, FIXTURES / "food-safety", FIXTURES / "lab-safety", write_handbook(200, tmp_path / "s")]
    texts = [t for root in roots for t in _texts(load_handbook(root))]
    assert len(texts) > 500
    assert [plain_text(t) for t in texts] == [_converted_text(t) for t in texts]
