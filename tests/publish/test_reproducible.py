from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import run_handbook
from tests.publish.helpers import OLD, project, tree


def test_publishing_twice_gives_identical_bytes(tmp_path: Path) -> None:
    """Two projects in different folders, published at different times: every file is byte-identical,
    sitemap.xml.gz, search index, standards.json and PDFs included.

    The 2026 edition is cut to its first chapter (_first_chapter_only): it still makes every kind of file a
    publish writes, each form kind (a checklist, the scoring sheet, a record book) in each format among them,
    for half the forms' rendering."""
    # Each project builds with a cache of its own, cold: the second must not take the first one's files.
    snapshot = _snapshot(tmp_path)
    outputs = []
    for name in ("first", "second"):
        root = project(tmp_path / name)
        _first_chapter_only(root / "new")
        (root / "editions" / "2024").mkdir(parents=True)  # so the revision pages are part of the output
        shutil.copy(snapshot, root / "editions" / "2024" / "standards.json")
        # The edition in force with its forms: its PDF and Word files (forms, book) must be reproducible too;
        # the earlier one is published the same way, so its forms would only repeat them.
        for standards, forms in (("old", ("--no-forms",)), ("new", ())):
            # The second project in a real new interpreter: a hash seed of its own, unlike forked runs.
            result = run_handbook("publish", "--standards", standards, *forms, cwd=root,
                                  env={"HANDBOOK_CACHE_DIR": str(tmp_path / name / "cache")}, fresh=name == "second")
            assert result.returncode == 0, result.stderr
        outputs.append(tree(root / "public"))
    first, second = outputs
    assert {f.split("/")[2] for f in first if f.startswith("2026/forms/") and f.endswith(".pdf")} == {
        "checklist-meetings.pdf", "checklist-meetings-fillable.pdf", "scoring-sheet.pdf", "scoring-sheet-fillable.pdf",
        "record-TPL-MEETING.pdf", "record-TPL-MEETING-fillable.pdf"}
    assert {"2026/sitemap.xml.gz", "2026/search/handbook.json", "2026/standards.json",
            "2026/changes/index.html", "2026/comparison/index.html", "2026/comparison.pdf",
            "2026/handbook.pdf", "2026/handbook.docx", "versions.json"} <= set(first)
    assert [f for f in first if f.startswith("2026/forms/") and f.endswith((".pdf", ".docx"))]
    assert first == second
    # Fixed times, not merely equal ones: the gzip header carries the edition's date (2026-07-01 UTC).
    gz = (tmp_path / "first" / "public" / "2026" / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gz[4:8], "little") == 1782864000
    assert "<lastmod>2026-07-01</lastmod>" in (tmp_path / "first" / "public" / "2026" / "sitemap.xml").read_text()


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    sites = []
    for name in ("a", "b"):
        standards = tmp_path / name / "standards"
        shutil.copytree(OLD, standards)
        site = tmp_path / name / "site"
        result = run_handbook("build", "--standards", str(standards), "--site-dir", str(site), "--no-forms",
                              env={"HANDBOOK_CACHE_DIR": str(tmp_path / name / "cache")}, fresh=name == "b")
        assert result.returncode == 0, result.stderr
        sites.append(tree(site))
    assert sites[0] == sites[1]
    assert "sitemap.xml.gz" in sites[0]


def _first_chapter_only(standards: Path) -> None:
    """The edition without its chapters but the first (three standards, one renamed; the record template
    stays), the rating's total set to their points."""
    for chapter in sorted((standards / "chapters").glob("*.yml"))[1:]:
        chapter.unlink()
    head = standards / "handbook.yml"
    text = head.read_text(encoding="utf-8")
    assert "\n  total: 45\n" in text
    head.write_text(text.replace("\n  total: 45\n", "\n  total: 20\n"), encoding="utf-8")


def _snapshot(root: Path) -> Path:
    from generator.render.export import export_json
    from generator.validate import load_handbook

    path = root / "snapshot-2024.json"
    path.write_text(export_json(load_handbook(OLD)), encoding="utf-8")
    return path
