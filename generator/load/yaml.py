"""Safe YAML parsing that keeps the line and column of every key and item.

PyYAML composes a node tree (which carries marks) without constructing
objects; we turn that tree into `Node`s ourselves so that no tag can ask for a
Python object, aliases cannot expand into a "billion laughs", and duplicate
keys are reported instead of silently overwritten.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from generator.errors import Problem

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_MAX_NODES = 200_000


@dataclasses.dataclass(frozen=True, kw_only=True, eq=False)
class Node:
    """A YAML value with its position (1-based line and column)."""

    value: Any  # dict[str, tuple[Node, Node]] | list[Node] | scalar
    line: int
    col: int
    kind: str  # "map", "seq" or "scalar"

    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    @property
    def is_seq(self) -> bool:
        return self.kind == "seq"


class _Constructor(yaml.constructor.SafeConstructor):
    pass


def parse(text: str, path: str) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document; return its root node (None if empty) and problems."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path, text)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks its errors
        return None, [Problem(path=path, line=1, col=1, message=str(exc))]
    if root is None:
        return None, []
    builder = _Builder(path)
    node = builder.build(root)
    return (None if builder.problems else node), builder.problems


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.constructor = _Constructor()

    def _problem(self, ynode: yaml.Node, message: str, hint: str) -> None:
        mark = ynode.start_mark
        self.problems.append(
            Problem(path=self.path, line=mark.line + 1, col=mark.column + 1, message=message, hint=hint)
        )

    def build(self, ynode: yaml.Node) -> Node | None:
        if id(ynode) in self.seen:
            # Only aliases revisit a node: refuse them rather than expand them.
            self._problem(ynode, "YAML aliases (*name) are not supported",
                          "write the value out in full instead of referring to an anchor")
            return None
        self.seen.add(id(ynode))
        if len(self.seen) > _MAX_NODES:
            self._problem(ynode, f"file has more than {_MAX_NODES} YAML values",
                          "split the handbook into smaller files")
            return None
        if ynode.tag not in _STANDARD_TAGS:
            self._problem(ynode, f"YAML tag '{ynode.tag}' is not allowed",
                          "remove the tag; only plain strings, numbers, dates, lists and mappings are read")
            return None
        line, col = ynode.start_mark.line + 1, ynode.start_mark.column + 1
        if isinstance(ynode, yaml.MappingNode):
            items: dict[Any, tuple[Node, Node]] = {}
            for knode, vnode in ynode.value:
                key = self.build(knode)
                value = self.build(vnode)
                if key is None or value is None:
                    continue
                if key.kind != "scalar" or isinstance(key.value, (list, dict)):
                    self._problem(knode, "a key must be a plain word", "use a simple name such as 'title'")
                    continue
                name = key.value if isinstance(key.value, str) else str(key.value)
                if name in items:
                    first = items[name][0]
                    self._problem(knode, f"duplicate key '{name}' (first at line {first.line})",
                                  "remove one of the two; YAML keeps only one value per key")
                    continue
                items[name] = (key, value)
            return Node(value=items, line=line, col=col, kind="map")
        if isinstance(ynode, yaml.SequenceNode):
            children = [self.build(child) for child in ynode.value]
            return Node(value=[c for c in children if c is not None], line=line, col=col, kind="seq")
        try:
            scalar = self.constructor.construct_object(ynode)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self._problem(ynode, f"cannot read value: {exc}", "quote the value to keep it as text")
            return None
        return Node(value=scalar, line=line, col=col, kind="scalar")


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    hint = "check indentation and quoting on this line and the one before"
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in bad_line[: max(col, 1)] or "found character '\\t'" in problem:
        problem = "tab character used for indentation"
        hint = "YAML indents with spaces only; replace the tab with spaces"
    elif "found duplicate anchor" in problem:
        hint = "anchors must be unique; better, write values out in full"
    return Problem(path=path, line=line, col=col, message=f"YAML syntax error: {problem}", hint=hint)
