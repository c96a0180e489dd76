from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_handbook
from tests.publish.helpers import project, published_without_forms, tree


def publish(root: Path, standards: str, *extra: str):
    return run_handbook("publish", "--standards", standards, "--no-forms", *extra, cwd=root)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """Edition 2024, then edition 2026, published into one public/: a copy of the project the publish tests
    share (helpers.published_without_forms), which these tests may change."""
    shared = published_without_forms(tmp_path_factory).parent
    for standards, edition in (("old", "2024"), ("new", "2026")):
        printed = (shared.parent / f"publish-{standards}.log").read_text(encoding="utf-8")
        assert printed == f"handbook: edition {edition} published in public/{edition}\n"
    root = tmp_path_factory.mktemp("publish") / "project"
    shutil.copytree(shared, root, symlinks=True)
    return root


def test_versions_json_lists_both_editions_newest_first(published: Path) -> None:
    versions = json.loads((published / "public" / "versions.json").read_text(encoding="utf-8"))
    assert versions == [{"version": "2026", "title": "2026年版", "aliases": ["latest"]},
                        {"version": "2024", "title": "2024年版", "aliases": []}]
    assert sorted(p.name for p in (published / "public").iterdir()) == [
        "2024", "2026", "index.html", "latest", "versions.json"]


def test_alias_is_a_plain_copy_of_the_edition_in_force(published: Path) -> None:
    public = published / "public"
    assert not (public / "latest").is_symlink()
    assert tree(public / "latest") == tree(public / "2026")
    assert "symlink" not in tree(public).values()
    assert 'content="0; url=latest/"' in (public / "index.html").read_text(encoding="utf-8")


def test_each_edition_keeps_its_snapshot_and_version_settings(published: Path) -> None:
    public = published / "public"
    for edition in ("2024", "2026"):
        data = json.loads((public / edition / "standards.json").read_text(encoding="utf-8"))
        assert data["edition"]["id"] == edition
        page = (public / edition / "index.html").read_text(encoding="utf-8")
        assert '"provider": "mike"' in page or '"provider":"mike"' in page
    old_page = (public / "2024" / "chapters" / "meetings" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../latest/chapters/meetings/"' in old_page  # the superseded-edition banner


def test_republishing_is_refused_and_changes_nothing(published: Path) -> None:
    public = published / "public"
    before = tree(public)
    result = publish(published, "new")
    assert result.returncode == 1
    assert result.stderr == (f"handbook: error: edition 2026 is already published in {public / '2026'}\n"
                             "  hint: change edition.id in handbook.yml for a new edition, "
                             "or retry with --force to replace it\n")
    assert tree(public) == before


def test_failed_publish_leaves_everything_as_it_was(published: Path) -> None:
    public = published / "public"
    before = tree(public)
    # A new edition whose build fails half-way: a hand-written page with a broken link under --strict.
    handbook_yml = published / "new" / "handbook.yml"
    original = handbook_yml.read_text(encoding="utf-8")
    handbook_yml.write_text(original.replace('id: "2026"', 'id: "2027"').replace("id: '2026'", "id: '2027'"),
                            encoding="utf-8")
    (published / "docs" / "broken.md").write_text("[missing](missing.md)\n", encoding="utf-8")
    try:
        result = publish(published, "new")
        assert result.returncode == 1, result.stdout
        assert "handbook: error: mkdocs build failed" in result.stderr
        assert tree(public) == before
        # Broken YAML fails before anything is built.
        (published / "docs" / "broken.md").unlink()
        (published / "new" / "chapters" / "01-meetings.yml").write_text("chapter: [\n", encoding="utf-8")
        result = publish(published, "new")
        assert result.returncode == 1
        assert tree(public) == before
    finally:
        handbook_yml.write_text(original, encoding="utf-8")
        (published / "docs" / "broken.md").unlink(missing_ok=True)


def test_force_replaces_an_edition(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    assert publish(root, "new").returncode == 0
    stale = root / "public" / "2026" / "stale.txt"
    stale.write_text("left over", encoding="utf-8")
    result = publish(root, "new", "--force", "--alias", "current")
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    versions = json.loads((root / "public" / "versions.json").read_text(encoding="utf-8"))
    assert versions == [{"version": "2026", "title": "2026年版", "aliases": ["current"]}]


def test_a_previous_edition_is_published_from_its_snapshot(tmp_path: Path) -> None:
    from generator.render.export import export_json
    from generator.validate import load_handbook

    root = project(tmp_path / "project")
    snapshot = root / "editions" / "2024" / "standards.json"
    snapshot.parent.mkdir(parents=True)
    snapshot.write_text(export_json(load_handbook(root / "old")), encoding="utf-8")
    result = publish(root, "editions/2024/standards.json")
    assert result.returncode == 0, result.stderr
    assert (root / "public" / "2024" / "standards.json").read_bytes() == snapshot.read_bytes()
    assert (root / "public" / "2024" / "chapters" / "meetings" / "index.html").is_file()
    result = publish(root, "new")
    assert result.returncode == 0, result.stderr
    changes = (root / "public" / "2026" / "changes" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../2024/chapters/meetings/#HY-01">2024年版</a>' in changes


@pytest.mark.parametrize(("site_url", "published", "warning"), [
    ("https://dangjian.example.gov.cn/handbook/", "https://dangjian.example.gov.cn/handbook/latest/", ""),
    ("https://dangjian.example.gov.cn/handbook", "https://dangjian.example.gov.cn/handbook/latest/", ""),
    (None, "/latest/", "site_url is not set"),
    ("http://localhost:8000/", "/latest/", "site_url http://localhost:8000/ is this machine's address"),
    ("http://127.0.0.1:8000/", "/latest/", "is this machine's address"),
])
def test_published_site_url_leads_to_the_alias_and_never_to_localhost(site_url, published, warning, caplog) -> None:
    from generator.publish.editions import published_site_url

    with caplog.at_level("WARNING", logger="handbook.publish"):
        assert published_site_url(site_url, "latest", Path("mkdocs.yml")) == published
    assert (warning in caplog.text) if warning else caplog.text == ""
