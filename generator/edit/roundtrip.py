"""The spreadsheet round trip: export the editing workbook; import it back into the YAML.

An import writes nothing unless every cell reads well and the edited handbook validates; each
changed file is then replaced whole (write_atomic), so a reader never sees half a file.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

from generator.edit.sheets import read_workbook
from generator.edit.yaml_edit import apply_sheets, chapter_files
from generator.errors import HandbookError
from generator.fs import write_atomic
from generator.load.files import display_path
from generator.messages import say
from generator.model import Handbook
from generator.publish.changes import Change, ChangeKind, diff_editions
from generator.publish.report import report_text
from generator.render.workbook import render_workbook
from generator.validate import load_handbook


def export_workbook(root: Path, out: Path) -> Handbook:
    """Write the editing workbook of the handbook under root to out."""
    handbook = load_handbook(root)
    write_atomic(out, render_workbook(handbook))
    return handbook


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImportResult:
    changes: list[Change]
    files: list[Path]  # changed (or, in a dry run, to be changed)
    report: str  # as `handbook diff` prints it

    @property
    def removed(self) -> list[str]:
        return [c.id for c in self.changes if c.kind is ChangeKind.REMOVED]


def import_workbook(root: Path, book: Path, *, dry_run: bool = False) -> ImportResult:
    """Update the chapter files under root from the workbook; with dry_run, only say what would change."""
    old = load_handbook(root)
    sheets = read_workbook(book, old)
    files = chapter_files(root)
    texts = apply_sheets(sheets, old, files)
    new = _validated(root, texts) if texts else old
    changes = diff_editions(old, new)
    if not dry_run:
        for path, text in texts.items():
            write_atomic(path, text)
    return ImportResult(changes=changes, files=sorted(texts), report=report_text(changes, old, new))


def _validated(root: Path, texts: dict[Path, str]) -> Handbook:
    """The handbook the new texts make, loaded from a copy of the folder; problems name the real files."""
    with tempfile.TemporaryDirectory(prefix="handbook-import-") as tmp:
        copy = Path(tmp) / "standards"
        shutil.copytree(root, copy, symlinks=True)
        for path, text in texts.items():
            (copy / path.relative_to(root)).write_text(text, encoding="utf-8")
        try:
            return load_handbook(copy)
        except HandbookError as error:
            shown, real = display_path(copy), display_path(root)
            raise HandbookError(
                dataclasses.replace(p, path=p.path.replace(shown, real, 1),
                                    hint=say("import.written_yaml.hint", hint=p.hint) if p.hint
                                    else say("import.written_yaml"))
                for p in error.problems) from None
