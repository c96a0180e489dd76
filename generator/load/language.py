"""The handbook's language, read before the full load so that its problems are told in it."""

from __future__ import annotations

from pathlib import Path

from generator.load.files import read_source
from generator.load.yaml import parse

HANDBOOK_FILES = ("handbook.yml", "handbook.yaml")


def declared_language(root: Path) -> str | None:
    """`handbook.language` of the handbook file under root; None when the file cannot be read.

    Reads and parses that one small file only, with the same bounded reader as the full load.
    """
    path = next((root / name for name in HANDBOOK_FILES if (root / name).is_file()), None)
    if path is None:
        return None
    source, _ = read_source(path)
    node, problems = parse(source.text, source.display) if source else (None, [])
    if problems or node is None or not node.is_map or "handbook" not in node.value:
        return None
    meta = node.value["handbook"][1]
    entry = meta.value.get("language") if meta.is_map else None
    language = entry[1].value if entry else None
    return language if isinstance(language, str) else None
