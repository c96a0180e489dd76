from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from generator.publish.changes import ChangeKind, Segment, diff_editions, word_diff
from generator.publish.report import site_additions
from generator.publish.sources import load_edition
from generator.render.export import export_json
from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY, ROOT, run_handbook
from tests.publish.helpers import NEW, OLD, check_golden

SCHEMA = ROOT / "generator" / "publish" / "changes.schema.json"


@pytest.mark.parametrize("fmt, golden", [("text", "diff.txt"), ("json", "diff.json"), ("html", "diff.html")])
def test_diff_golden(fmt: str, golden: str, monkeypatch) -> None:
    monkeypatch.delenv("HANDBOOK_LANG")  # the report as this Chinese handbook's editors get it
    result = run_handbook("diff", str(OLD), str(NEW), "--format", fmt)
    assert result.returncode == 0, result.stderr
    check_golden(golden, result.stdout)


def test_the_text_report_speaks_the_new_editions_language(tmp_path: Path, monkeypatch) -> None:
    """An English handbook's report is in English, whatever handbook --standards names; a Chinese one's has
    no English word left (golden above)."""
    monkeypatch.delenv("HANDBOOK_LANG")
    new = tmp_path / "new"
    shutil.copytree(FOOD_SAFETY, new)
    chapter = min((new / "chapters").glob("*.yml"))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("text: ", "text: Always ", 1), encoding="utf-8")
    result = run_handbook("diff", str(FOOD_SAFETY), str(new))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1.0 -> 1.0: 1 change (Modified 1)"
    assert lines[2].startswith("    Text: {+Always +}")
    assert not re.search(r"[\u4e00-\u9fff]", result.stdout)
    chinese = run_handbook("diff", str(OLD), str(NEW))
    assert not re.search(r"\b(changes?|added|removed|modified|moved|renamed|split|merged|chapter|replaces)\b",
                         chinese.stdout.split("\n", 1)[1], re.IGNORECASE)


def test_json_covers_every_kind_and_matches_schema() -> None:
    result = run_handbook("diff", str(OLD), str(NEW), "--format", "json")
    changes = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(changes, schema)
    assert sorted(c["kind"] for c in changes) == sorted(k.value for k in ChangeKind)
    by_kind = {c["kind"]: c for c in changes}
    assert by_kind["removed"]["reason"] == "党员活动证已停止使用。"
    assert by_kind["renamed"]["replaces"] == "HY-03" and by_kind["renamed"]["id"] == "HY-05"
    assert by_kind["split"] == {"kind": "split", "id": "ZT-01", "title": "主题党日", "chapter": "theme-day",
                                "into": ["ZT-02", "ZT-03"]}
    assert by_kind["merged"]["from"] == ["DF-01", "DF-02"]
    assert by_kind["moved"] == {"kind": "moved", "id": "HY-02", "title": "组织生活会",
                                "from_chapter": "meetings", "to_chapter": "life"}
    assert [f["field"] for f in by_kind["modified"]["fields"]] == ["text", "frequency"]


def test_no_changes_is_empty_and_exit_0() -> None:
    result = run_handbook("diff", str(NEW), str(NEW), "--format", "json")
    assert (result.returncode, result.stdout) == (0, "[]\n")


def test_chinese_is_diffed_by_words_not_lines() -> None:
    assert word_diff("支部委员会每月召开一次。", "支部委员会每季度召开一次。") == (
        Segment(op="=", text="支部委员会"), Segment(op="-", text="每月"), Segment(op="+", text="每季度"),
        Segment(op="=", text="召开一次。"))
    assert word_diff("Check every fridge daily.", "Check every fridge twice daily.") == (
        Segment(op="=", text="Check every fridge "), Segment(op="+", text="twice "), Segment(op="=", text="daily."))


def test_snapshot_and_git_sources_give_the_same_report(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("HANDBOOK_LANG")
    snapshot = tmp_path / "standards.json"
    snapshot.write_text(export_json(load_handbook(OLD)), encoding="utf-8")
    from_json = run_handbook("diff", str(snapshot), str(NEW))
    assert from_json.returncode == 0, from_json.stderr
    check_golden("diff.txt", from_json.stdout)

    repo = tmp_path / "repo"
    shutil.copytree(OLD, repo / "standards")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "2024"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    shutil.rmtree(repo / "standards")
    shutil.copytree(NEW, repo / "standards")
    from_git = run_handbook("diff", "git:HEAD", "standards", cwd=repo)
    assert from_git.returncode == 0, from_git.stderr
    check_golden("diff.txt", from_git.stdout)


def test_invalid_inputs_exit_1(tmp_path: Path) -> None:
    missing = run_handbook("diff", str(tmp_path / "nope"), str(NEW))
    assert missing.returncode == 1
    assert missing.stderr == (f"handbook: error: {tmp_path / 'nope'}: no such folder or standards.json\n"
                              "  hint: give a standards folder, a published standards.json or git:REVISION\n")
    bad_json = tmp_path / "standards.json"
    bad_json.write_text('{"format": 99}', encoding="utf-8")
    result = run_handbook("diff", str(bad_json), str(NEW))
    assert result.returncode == 1
    assert result.stderr.startswith(f"handbook: error: {bad_json}: not a handbook export (unsupported standards.json "
                                    "format 99, expected 1)\n")
    broken = tmp_path / "broken"
    shutil.copytree(NEW, broken)
    (broken / "chapters" / "01-meetings.yml").write_text("chapter: [\n", encoding="utf-8")
    result = run_handbook("diff", str(OLD), str(broken))
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    not_git = run_handbook("diff", "git:HEAD", str(NEW), cwd=tmp_path)
    assert not_git.returncode == 1
    assert not_git.stderr.startswith("handbook: error: git rev-parse failed")


def test_site_pages_golden() -> None:
    old, new = load_handbook(OLD), load_handbook(NEW)
    # the current edition among the snapshots is ignored; as published, beside the old edition
    extra = site_additions(new, [old, new], link_old=True)
    check_golden("site/changes.md", extra.pages["changes.md"])
    check_golden("site/comparison.md", extra.pages["comparison.md"])
    check_golden("site/history.json", json.dumps(extra.history, ensure_ascii=False, indent=1) + "\n")
    assert [link.text for link in extra.links] == ["修订说明", "修订对照表"]


def test_a_single_build_names_the_old_edition_without_linking_outside_the_site() -> None:
    old, new = load_handbook(OLD), load_handbook(NEW)
    published = site_additions(new, [old], link_old=True).pages["changes.md"]
    single = site_additions(new, [old]).pages["changes.md"]
    assert "](../2024/" in published or "../2024/" in published
    assert "2024/" not in single.replace("2024年", "")
    assert "2024年版" in single


def test_history_over_three_editions() -> None:
    old, new = load_handbook(OLD), load_handbook(NEW)
    later = dataclass_replace_edition(new, "2028", "2028年版", "2028-01-01")
    extra = site_additions(later, [new, old])
    assert extra.history["HY-01"] == "2024年版起施行；2026年版修订。"
    assert extra.history["HY-05"] == "2024年版起施行（原 HY-03）。"  # its rule is the older HY-03's
    assert extra.pages["changes.md"].count("\n### ") == 0  # 2028 changes nothing against 2026


def dataclass_replace_edition(handbook, edition_id: str, label: str, effective: str):
    import dataclasses
    import datetime

    edition = dataclasses.replace(handbook.edition, id=edition_id, label=label,
                                  effective=datetime.date.fromisoformat(effective), retired=())
    return dataclasses.replace(handbook, edition=edition)


def test_diff_editions_is_pure_and_ordered() -> None:
    old, new = load_edition(str(OLD)), load_edition(str(NEW))
    first = diff_editions(old, new)
    assert first == diff_editions(old, new)
    assert [c.id for c in first] == ["HY-01", "HY-05", "HY-04", "DF-03", "ZT-01", "HY-02", "ZT-09"]


def test_a_merge_or_split_may_keep_an_old_id() -> None:
    import dataclasses

    old = load_handbook(OLD)
    chapters = {c.id: c for c in old.chapters}
    df1, df2 = chapters["dues"].standards
    zt1, zt9 = chapters["theme-day"].standards
    dues = dataclasses.replace(chapters["dues"], standards=(dataclasses.replace(df1, merges=("DF-01", "DF-02")),))
    theme = dataclasses.replace(chapters["theme-day"], standards=(
        zt1, dataclasses.replace(zt1, id="ZT-05", split_from="ZT-01"), zt9))
    new = dataclasses.replace(old, chapters=tuple(
        {"dues": dues, "theme-day": theme}.get(c.id, c) for c in old.chapters))
    changes = diff_editions(old, new)
    assert [(c.kind, c.id, c.old_ids, c.new_ids) for c in changes] == [
        (ChangeKind.MERGED, "DF-01", ("DF-01", "DF-02"), ()),
        (ChangeKind.SPLIT, "ZT-01", (), ("ZT-05",)),
    ]
    # The declarations stay in the YAML: the next edition does not report them again.
    assert diff_editions(new, new) == []


def test_forwarding_follows_renames_merges_splits_and_removals() -> None:
    import dataclasses

    from generator.publish.forwarding import FORWARDING, forwarding

    old, new = load_handbook(OLD), load_handbook(NEW)
    later = dataclass_replace_edition(new, "2028", "2028年版", "2028-01-01")
    later = dataclasses.replace(later, chapters=tuple(c for c in later.chapters if c.id != "life"))
    chain = [old, new, later]
    files = forwarding(chain, [diff_editions(old, new), diff_editions(new, later)], changes_page="changes.md")
    targets = json.loads(files[FORWARDING])
    assert targets["HY-03"] == "chapters/meetings/#HY-05"  # renamed in 2026
    assert targets["DF-01"] == targets["DF-02"] == "chapters/dues/#DF-03"  # merged
    assert targets["ZT-01"] == "chapters/theme-day/#ZT-02"  # split: its first part
    assert targets["HY-02"] == "changes/#removed-HY-02"  # removed in 2028 with its chapter
    assert targets["HY-01"] == "chapters/meetings/#HY-01"
    # The vanished chapter's page passes its reader on to the revision notes, anchor kept.
    assert 'location.replace("../../changes/" + location.hash)' in files["chapters/life/index.html"]
    flat = forwarding(chain, [diff_editions(old, new), diff_editions(new, later)], changes_page="changes.md",
                      directory_urls=False)
    assert json.loads(flat[FORWARDING])["HY-02"] == "changes.html#removed-HY-02"
    assert 'location.replace("../changes.html" + location.hash)' in flat["chapters/life.html"]
