"""Golden tests: the Markdown pages generated from the fixture handbook, byte for byte.

Refresh with UPDATE_GOLDENS=1 after an intended change, then review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.pages import render_pages
from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY, run_handbook
from tests.golden import check_golden

GOLDEN = Path(__file__).parent / "golden" / "food-safety"
PAGES = render_pages(load_handbook(FOOD_SAFETY))


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_matches_golden(path: str) -> None:
    check_golden(GOLDEN / path, PAGES[path])


def test_no_golden_is_orphaned() -> None:
    assert sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*.md")) == sorted(PAGES)


def test_export_md_writes_the_same_pages(tmp_path: Path) -> None:
    out = tmp_path / "md"
    result = run_handbook("export-md", str(out), "--standards", str(FOOD_SAFETY))
    assert result.returncode == 0, result.stderr
    written = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.md")}
    assert written == PAGES
