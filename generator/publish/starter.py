"""`handbook init`: a complete starter handbook that validates and builds at once.

The files come from `generator/starter/<language>/` (package data) and `starter/common/`;
the schema is generated, so it always matches the tool that wrote it.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.errors import ToolError
from generator.fs import write_atomic
from generator.messages import say

STARTER = Path(__file__).resolve().parent.parent / "starter"
# Package data cannot reliably hold dot-files: these are stored under a plain name.
_RENAMED = {"gitignore": ".gitignore"}
_EMPTY = ("docs/.gitkeep",)  # MkDocs needs docs/ to exist; git keeps no empty folder


def languages() -> list[str]:
    return sorted(p.name for p in STARTER.iterdir() if p.is_dir() and p.name != "common")


def starter_files(language: str) -> dict[str, bytes]:
    """Every file of a starter handbook in `language`, by its path relative to the project folder."""
    from generator.render.schema import source_schema

    if language not in languages():
        raise ToolError(say("starter.no_language", language=language),
                        say("starter.no_language.hint", languages=", ".join(languages())))
    files: dict[str, bytes] = {}
    for root in (STARTER / "common", STARTER / language):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                relative = path.relative_to(root).as_posix()
                files[_RENAMED.get(relative, relative)] = path.read_bytes()
    schema = json.dumps(source_schema(language), ensure_ascii=False, indent=2) + "\n"
    files["standards/schema.json"] = schema.encode("utf-8")
    files.update(dict.fromkeys(_EMPTY, b""))
    return dict(sorted(files.items()))


def init_project(target: Path, language: str) -> list[str]:
    """Write a starter handbook into target (new or empty); returns the paths written."""
    files = starter_files(language)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ToolError.of("starter.not_empty", target=target)
    for relative, data in files.items():
        write_atomic(target / relative, data)
    return list(files)
