"""The bundled handbook ships its previous edition, and the default build shows every kind of change."""

from __future__ import annotations

import json

import jsonschema

from generator.publish.changes import ChangeKind
from generator.publish.editions import load_snapshots, site_additions
from tests.conftest import ROOT, STANDARDS, run_handbook

PREVIOUS = ROOT / "editions" / "2024" / "standards.json"


def test_previous_edition_differs_by_every_kind_of_change() -> None:
    result = run_handbook("diff", str(PREVIOUS), str(STANDARDS), "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)
    schema = json.loads((ROOT / "generator" / "publish" / "changes.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(changes, schema)
    assert {c["kind"] for c in changes} == {k.value for k in ChangeKind}
    assert all(c["reason"] for c in changes if c["kind"] == "removed"), "give every removal a reason in edition.retired"


def test_default_site_gets_revision_pages_and_history() -> None:
    from generator.validate import load_handbook

    handbook = load_handbook(STANDARDS)
    snapshots = load_snapshots(ROOT / "editions")
    assert [s.edition.id for s in snapshots] == ["2024"]
    extra = site_additions(handbook, ROOT / "editions")
    assert set(extra.pages) == {"changes.md", "comparison.md"}
    for label in ("新增", "删除", "修改", "调整章节", "更名", "拆分", "合并"):
        assert f"\n## {label} " in extra.pages["changes.md"]
    assert set(extra.history) == {s.id for _, s in handbook.standards()}
