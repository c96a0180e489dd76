"""Three editions published one after the other into one folder, as an editor does year after year."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_handbook
from tests.publish.helpers import NEW, crawl, project, tree

KINDS = "added|removed|modified|moved|renamed|split|merged"


def _edit(standards: Path, edition: str, change) -> None:
    """Load every YAML file of the edition, let change() edit the data, write it back."""
    files = {p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(standards.rglob("*.yml"))}
    head = files[standards / "handbook.yml"]
    head["edition"] |= {"id": edition, "label": f"{edition}年版", "effective": f"{edition}-07-01"}
    chapters = {data["chapter"]: data for p, data in files.items() if p.parent.name == "chapters"}
    change(head, chapters)
    for path, data in files.items():
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _pop(chapter: dict, std_id: str) -> dict:
    std = next(s for s in chapter["standards"] if s["id"] == std_id)
    chapter["standards"].remove(std)
    return std


def _edition_2027(head: dict, chapters: dict) -> None:
    chapters["meetings"]["standards"][0]["title"] = "“三会一课”制度"  # HY-01 retitled
    chapters["life"]["standards"].append(_pop(chapters["meetings"], "HY-04"))  # moved to another chapter


def _edition_2028(head: dict, chapters: dict) -> None:
    hy05 = next(s for s in chapters["meetings"]["standards"] if s["id"] == "HY-05")
    hy05 |= {"id": "HY-06", "replaces": "HY-05"}  # renamed, declared
    zt03 = next(s for s in chapters["theme-day"]["standards"] if s["id"] == "ZT-03")
    zt03["id"] = "ZT-04"  # renamed without `replaces:`
    removed = _pop(chapters["life"], "HY-02")
    head["edition"]["retired"] = [{"id": "HY-02", "reason": "并入年度民主评议。"}]
    chapters["life"]["standards"].append(removed | {"id": "HY-07", "title": "民主评议党员",
                                                    "text": "每年开展一次民主评议党员，评定等次。"})


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """2026 (the fixture), 2027 and 2028, each published into public/ from the same standards/ folder."""
    root = project(tmp_path_factory.mktemp("sequence") / "project")
    shutil.rmtree(root / "old")
    shutil.rmtree(root / "new")
    shutil.copytree(NEW, root / "standards")
    for edition, change in (("2026", None), ("2027", _edition_2027), ("2028", _edition_2028)):
        if change:
            _edit(root / "standards", edition, change)
        forms = () if edition == "2028" else ("--no-forms",)  # the edition in force with its forms
        result = run_handbook("publish", *forms, cwd=root)
        assert result.returncode == 0, result.stderr
        assert "site_url is not set" in result.stderr
        root.joinpath(f"publish-{edition}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return root


def _listed(page: Path) -> set[str]:
    return set(re.findall(rf'<h3 id="((?:{KINDS})-[A-Z0-9-]+)"', page.read_text(encoding="utf-8")))


def test_each_edition_lists_exactly_its_changes_against_the_one_before(published: Path) -> None:
    public = published / "public"
    assert not (public / "2026" / "changes").exists()  # the first edition revises nothing
    assert _listed(public / "2027" / "changes" / "index.html") == {"modified-HY-01", "moved-HY-04"}
    assert _listed(public / "2028" / "changes" / "index.html") == {
        "renamed-HY-06", "added-ZT-04", "added-HY-07", "removed-ZT-03", "removed-HY-02"}
    comparison = (public / "2028" / "comparison" / "index.html").read_text(encoding="utf-8")
    assert "2027年版原文" in comparison and "2026年版" not in comparison


def test_history_lines_carry_the_whole_chain(published: Path) -> None:
    meetings = (published / "public" / "2028" / "chapters" / "meetings" / "index.html").read_text(encoding="utf-8")
    assert "2026年版起施行；2027年版修订。" in meetings  # HY-01: retitled in 2027, not in 2028
    assert "2026年版起施行（原 HY-05）。" in meetings  # HY-06: renamed in 2028, its rule in force since 2026
    life = (published / "public" / "2028" / "chapters" / "life" / "index.html").read_text(encoding="utf-8")
    assert "2026年版起施行；2027年版修订。" in life  # HY-04, moved in 2027
    assert "2028年版起施行。" in life  # HY-07


def test_snapshots_are_kept_for_the_next_revision(published: Path) -> None:
    for edition in ("2026", "2027", "2028"):
        kept = published / "editions" / edition / "standards.json"
        assert kept.read_bytes() == (published / "public" / edition / "standards.json").read_bytes()
    # `handbook diff` finds the edition before by itself, in public/ or else in editions/.
    for out in ("public", "no-such-folder"):
        result = run_handbook("diff", "--out", out, cwd=published)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == "2027 -> 2028: 5 changes (Added 2, Removed 2, Renamed 1)"


def test_a_rename_without_replaces_is_reported_as_likely(published: Path) -> None:
    log = (published / "publish-2028.log").read_text(encoding="utf-8")
    assert re.search(r"chapters/03-theme-day\.yml:\d+:\d+: warning: ZT-04 looks like ZT-03 of 2027年版 renamed\n"
                     r"  hint: if it is, add 'replaces: ZT-03' to ZT-04", log), log
    assert log.count("looks like") == 1  # HY-02 was retired with a reason; HY-07 is new
    result = run_handbook("diff", "editions/2027/standards.json", "standards", cwd=published)
    assert "likely renamed: ZT-03 -> ZT-04 (add 'replaces: ZT-03' to ZT-04)" in result.stdout
    result = run_handbook("validate", cwd=published)
    assert result.returncode == 0
    assert "warning: ZT-04 looks like ZT-03 of 2027年版 renamed" in result.stderr


def test_no_dead_link_in_the_whole_published_tree(published: Path) -> None:
    public = published / "public"
    assert crawl(public) == []
    for folder in ("2026", "2027", "2028", "latest"):  # the crawl saw every edition
        assert len(list((public / folder).rglob("*.html"))) >= 10


def test_root_goes_to_the_alias(published: Path) -> None:
    assert 'content="0; url=latest/"' in (published / "public" / "index.html").read_text(encoding="utf-8")


def test_no_localhost_is_published(published: Path) -> None:
    public = published / "public"
    found = [p for p in public.rglob("*") if p.is_file() and re.search(rb"//(localhost|127\.0\.0\.1)\b", p.read_bytes())]
    assert found == []
    page = (public / "2028" / "chapters" / "meetings" / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in page
    assert "<loc>/latest/chapters/meetings/</loc>" in (public / "2028" / "sitemap.xml").read_text(encoding="utf-8")
    form = (public / "2028" / "forms" / "checklist-meetings" / "index.html").read_text(encoding="utf-8")
    assert "<svg" not in form.split('class="hb-form-trace"')[1].split("</table>")[0]  # no QR code
    assert "在手册网站“表单下载”页核对" in form


def test_versions_json_lists_the_three_editions(published: Path) -> None:
    versions = json.loads((published / "public" / "versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2028", ["latest"]), ("2027", []), ("2026", [])]


@pytest.mark.parametrize(("start", "landing"), [
    ("2026/chapters/meetings/#HY-04", "latest/chapters/life/#HY-04"),  # moved in 2027
    ("2027/chapters/meetings/#HY-05", "latest/chapters/meetings/#HY-06"),  # renamed in 2028
    ("2026/chapters/meetings/#HY-05", "latest/chapters/meetings/#HY-06"),
    ("2027/chapters/life/#HY-02", "latest/changes/#removed-HY-02"),  # removed in 2028
    # stayed: tests/publish/test_browser.py::test_superseded_edition_shows_banner_linking_to_edition_in_force
])
def test_old_banner_follows_the_standard(published: Path, serve_dir, desktop, start: str, landing: str) -> None:
    base = serve_dir(published / "public")
    page = desktop.new_page()
    try:
        page.goto(base + start)
        banner = page.locator("[data-md-component=outdated]")
        banner.wait_for(state="visible")
        banner.locator("a").click()
        page.wait_for_url(base + landing)
        anchor = landing.split("#")[1]
        target = page.locator(f"[id='{anchor}']")
        target.wait_for(state="attached")
        assert target.count() == 1
    finally:
        page.close()


def test_a_damaged_versions_json_is_named_and_nothing_is_written(published: Path) -> None:
    public = published / "public"
    versions = public / "versions.json"
    original = versions.read_bytes()
    head = published / "standards" / "handbook.yml"
    source = head.read_text(encoding="utf-8")
    try:
        versions.write_text('[{"version": "2028"', encoding="utf-8")
        head.write_text(source.replace("'2028'", "'2029'").replace('"2028"', '"2029"'), encoding="utf-8")
        before = tree(public)
        result = run_handbook("publish", "--no-forms", cwd=published)
        assert result.returncode == 1
        assert result.stderr.startswith(f"handbook: error: {versions}: not a readable versions.json (")
        assert "  hint: restore it from a backup, or delete it" in result.stderr
        assert "Traceback" not in result.stderr
        assert tree(public) == before
        assert not (published / "editions" / "2029").exists()
    finally:
        versions.write_bytes(original)
        head.write_text(source, encoding="utf-8")


def test_republishing_without_force_is_refused(published: Path) -> None:
    public = published / "public"
    before = tree(public)
    result = run_handbook("publish", "--no-forms", cwd=published)
    assert result.returncode == 1
    assert result.stderr == (f"handbook: error: edition 2028 is already published in {public / '2028'}\n"
                             "  hint: change edition.id in handbook.yml for a new edition, "
                             "or retry with --force to replace it\n")
    assert tree(public) == before


def test_an_english_handbook_gets_its_revision_notes_without_copying_files(tmp_path: Path) -> None:
    from tests.conftest import FOOD_SAFETY, ROOT

    (tmp_path / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nwatch:")[0],
                                         encoding="utf-8")
    (tmp_path / "docs").mkdir()
    standards = tmp_path / "standards"
    shutil.copytree(FOOD_SAFETY, standards)
    assert run_handbook("publish", "--no-forms", cwd=tmp_path).returncode == 0
    head = yaml.safe_load((standards / "handbook.yml").read_text(encoding="utf-8"))
    head["edition"] |= {"id": "2.0", "label": "Second edition", "effective": "2027-01-15"}
    (standards / "handbook.yml").write_text(yaml.safe_dump(head, allow_unicode=True), encoding="utf-8")
    storage = yaml.safe_load((standards / "chapters" / "01-storage.yml").read_text(encoding="utf-8"))
    cs01, cs02 = storage["standards"]
    cs01 |= {"id": "CS-11", "replaces": "CS-01"}
    storage["standards"] = [cs01]
    cleaning = {"chapter": "cleaning", "title": "Cleaning", "standards": [cs02]}
    for name, data in (("01-storage.yml", storage), ("02-cleaning.yml", cleaning)):
        (standards / "chapters" / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    glossary = standards / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("CS-01", "CS-11"), encoding="utf-8")
    result = run_handbook("publish", "--no-forms", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    public = tmp_path / "public"
    changes = public / "2.0" / "changes" / "index.html"
    assert _listed(changes) == {"renamed-CS-11", "moved-CS-02"}
    assert "Every change of the Second edition against the First edition" in changes.read_text(encoding="utf-8")
    assert '<a href="../../1.0/chapters/storage/#CS-01">First edition</a>' in changes.read_text(encoding="utf-8")
    assert (tmp_path / "editions" / "2.0" / "standards.json").is_file()
    forwarding = json.loads((public / "latest" / "forwarding.json").read_text(encoding="utf-8"))
    assert forwarding["CS-01"] == "chapters/storage/#CS-11"
    assert forwarding["CS-02"] == "chapters/cleaning/#CS-02"
    assert crawl(public) == []
