"""Changing chapter files in place with ruamel.yaml's round trip: only the edited values' lines change.

ruamel.yaml keeps comments, key order, quoting, flow lists and block scalars of everything it is not
asked to change; a file nothing changed in is never written at all, so it stays byte-identical.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from generator.edit.sheets import ChapterSheet, StandardRow, model_values
from generator.errors import ToolError
from generator.load import discover, read_source
from generator.messages import say
from generator.model import Handbook, Standard

# Key order for keys a standard did not have: the order of the model's fields.
KEY_ORDER = [f.name for f in dataclasses.fields(Standard)]
# Optional fields: a value back at its default removes the key rather than writing `tags: []`.
DEFAULTS: dict[str, Any] = {"inspection": "", "veto": False, "related": [], "tags": []}


# Indentation (mapping, sequence, offset) a file may use: the handbook's own (`  - id:` under
# `standards:`) first, then lists at the key's own column (`- id:`), then wider ones.
LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 0), (4, 6, 2))


def _yaml(layout: tuple[int, int, int]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never re-wrap a line
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: CommentedMap) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@dataclasses.dataclass(kw_only=True)
class ChapterFile:
    path: Path
    display: str
    text: str  # as read; for a file that is not `faithful`, as the importer would write it unchanged
    data: CommentedMap
    yaml: YAML  # set up to write the file back as it was, when one of LAYOUTS can
    faithful: bool  # False: no layout gives the file back unchanged, so it cannot be edited in place
    newline: str  # "\r\n" for a file saved on Windows: written back so
    bom: bool  # the file started with a UTF-8 byte order mark: written back with it


def chapter_files(root: Path) -> dict[str, ChapterFile]:
    """Each chapter file under root, by chapter ID, parsed for round-trip editing."""
    paths, _ = discover(root)
    found: dict[str, ChapterFile] = {}
    for path in paths:
        source, _ = read_source(path)
        if source is None or "chapter:" not in source.text:
            continue
        try:
            data = _yaml(LAYOUTS[0]).load(source.text)
        except YAMLError as error:  # the handbook loaded, so this is a bug rather than bad input
            raise ToolError(say("import.cannot_edit", file=source.display, error=error)) from None
        if isinstance(data, CommentedMap) and "chapter" in data:
            text = source.text.replace("\r\n", "\n")
            yaml = next((y for y in map(_yaml, LAYOUTS) if _dump(y, data) == text), None)
            found[str(data["chapter"])] = ChapterFile(
                path=path, display=source.display, text=text if yaml else _dump(_yaml(LAYOUTS[0]), data),
                data=data, yaml=yaml or _yaml(LAYOUTS[0]), faithful=yaml is not None,
                newline="\r\n" if "\r\n" in source.text else "\n", bom=path.read_bytes()[:3] == b"\xef\xbb\xbf")
    return found


def apply_sheets(sheets: list[ChapterSheet], handbook: Handbook, files: dict[str, ChapterFile]) -> dict[Path, str]:
    """Bring the chapter files in line with the workbook; the new text of each file that changed."""
    maps = {str(m["id"]): m for f in files.values() for m in f.data.get("standards") or []}
    before = {std.id: model_values(std) for _, std in handbook.standards()}
    inserted: dict[str, set[str]] = {chapter: set() for chapter in files}
    for sheet in sheets:
        data = files[sheet.chapter].data
        if data.get("standards") is None:
            data["standards"] = CommentedSeq()
        seq = data["standards"]
        wanted = [row.values["id"] for row in sheet.standards]
        for i in reversed(range(len(seq))):
            if str(seq[i]["id"]) not in wanted:
                del seq[i]
        for i, row in enumerate(sheet.standards):
            std_id = row.values["id"]
            current = [str(m["id"]) for m in seq]
            if i < len(seq) and current[i] == std_id:
                target = seq[i]
            elif std_id in current:  # moved up or down within the chapter
                target = seq.pop(current.index(std_id))
                seq.insert(i, target)
            else:  # new, or moved here from another chapter: it keeps its other keys (replaces, …)
                target = copy.deepcopy(maps[std_id]) if std_id in maps else CommentedMap()
                seq.insert(i, target)
                inserted[sheet.chapter].add(std_id)
            _update_standard(target, row, before.get(std_id) if std_id in maps else None)
    changed: dict[Path, str] = {}
    for chapter, file in files.items():
        text = _separate(_dump(file.yaml, file.data), file.text, inserted[chapter])
        if text == file.text:
            continue
        if not file.faithful:
            raise ToolError.of("import.indentation", file=file.display)
        changed[file.path] = ("\ufeff" if file.bom else "") + text.replace("\n", file.newline)
    return changed


_ITEM = re.compile(r"^\s*- id: *['\"]?([^'\"\s#]+)")


def _separate(text: str, original: str, inserted: set[str]) -> str:
    """A blank line before and after each inserted standard, where the file separates its standards so.

    (ruamel.yaml keeps a blank line as a comment of the value before it, so it does not travel with
    the new item.)"""
    if not inserted or not re.search(r"\n\n\s*- id:", original):
        return text
    lines = text.split("\n")
    items = [(i, match.group(1)) for i, line in enumerate(lines) if (match := _ITEM.match(line))]
    blank_before: set[int] = set()
    for n, (i, std_id) in enumerate(items):
        if std_id in inserted:
            blank_before.update(j for j, _ in items[max(n, 1): n + 2])
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in blank_before and out and out[-1].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)


def _update_standard(target: CommentedMap, row: StandardRow, old: dict[str, Any] | None) -> None:
    for field in ("id", "title", "text", "frequency", "responsible", "basis", "evidence", "methods", "inspection",
                  "points", "veto", "checks", "related", "tags"):
        new = row.values[field]
        if old is not None and new == old[field]:
            continue
        if field == "checks":
            _update_checks(target, new)
        elif field in DEFAULTS and new == DEFAULTS[field]:
            if field in target:
                del target[field]
        elif field in ("basis", "evidence"):
            _update_records(target, field, new)
        elif isinstance(new, list):
            _set(target, field, _flow(target.get(field), new))
        elif isinstance(new, str):
            _set(target, field, _styled(target.get(field), new))
        else:
            _set(target, field, new)


def _set(target: CommentedMap, key: str, value: Any) -> None:
    if key in target:
        target[key] = value
        return
    rank = KEY_ORDER.index(key)
    position = sum(1 for k in target if k in KEY_ORDER and KEY_ORDER.index(k) < rank)
    target.insert(position, key, value)


def _styled(old: Any, new: str) -> str:
    """New text in the style of the old: a block stays a block (with its final line break), quotes stay."""
    if isinstance(old, LiteralScalarString) or "\n" in new:
        keep_end = old.endswith("\n") if isinstance(old, LiteralScalarString) else True
        return LiteralScalarString(new + ("\n" if keep_end else ""))
    if isinstance(old, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        return type(old)(new)
    return new


def _flow(old: Any, values: list[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    if old is None or getattr(old, "fa", None) is None or old.fa.flow_style():
        seq.fa.set_flow_style()
    else:
        seq.fa.set_block_style()
    return seq


def _update_records(target: CommentedMap, field: str, records: list[dict[str, str]]) -> None:
    """Basis or evidence: entries edited in place, added or removed at the end."""
    seq = target.get(field)
    if not isinstance(seq, CommentedSeq):
        _set(target, field, CommentedSeq(CommentedMap(r) for r in records))
        return
    for i, record in enumerate(records):
        if i < len(seq) and isinstance(seq[i], CommentedMap):
            entry = seq[i]
            for key in [k for k in entry if k not in record]:
                del entry[key]
            for key, value in record.items():
                if str(entry.get(key, "")) != value:
                    entry[key] = _styled(entry.get(key), value)
        elif i < len(seq):
            seq[i] = CommentedMap(record)
        else:
            seq.append(CommentedMap(record))
    del seq[len(records):]


def _update_checks(target: CommentedMap, checks: list[tuple[str, int]]) -> None:
    """Checks matched by their text: a changed check changes its lines, a new or deleted one adds or removes."""
    seq = target.get("checks")
    if not isinstance(seq, CommentedSeq):
        _set(target, "checks", CommentedSeq(CommentedMap(text=t, points=p) for t, p in checks))
        return
    old = [(str(m.get("text", "")), m.get("points")) for m in seq]
    matcher = difflib.SequenceMatcher(a=[t for t, _ in old], b=[t for t, _ in checks], autojunk=False)
    for op, a1, a2, b1, b2 in reversed(matcher.get_opcodes()):
        paired = min(a2 - a1, b2 - b1) if op in ("equal", "replace") else 0
        for k in range(paired):
            entry, (text, points) = seq[a1 + k], checks[b1 + k]
            if str(entry.get("text", "")) != text:
                entry["text"] = _styled(entry.get("text"), text)
            if entry.get("points") != points:
                entry["points"] = points
        for k in reversed(range(a1 + paired, a2)):
            del seq[k]
        for k in range(b1 + paired, b2):
            text, points = checks[k]
            seq.insert(a1 + paired + (k - b1 - paired), CommentedMap(text=text, points=points))
