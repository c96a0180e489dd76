"""The checked form of one source file, kept on disk so that a new process re-reads only what changed.

Checking a file gives its model, its problems and, for every model object, the YAML node it came
from (so that checks across files still name `path:line:col`). All of it is fixed by the file's
shown path, its text and the generator's code: `encode` turns it into JSON (never pickle: a foreign
entry can at worst be a miss), `decode` gives back equal models, the same problems and the same
node tree with its positions. Entries are verified cache entries (generator/fs.py); anything that
does not decode is a miss and the file is checked afresh.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator import fs
from generator.errors import Problem, Severity
from generator.load.yaml import Node
from generator.model import files as model_files
from generator.model import handbook as model_handbook

Checked = tuple[object | None, list[Problem], dict[int, Node], str]  # model, problems, nodes by id, kind

_CLASSES: dict[str, type] = {
    name: cls for module in (model_handbook, model_files) for name, cls in vars(module).items()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
}
_KINDS = {"map": "m", "seq": "s", "scalar": "v"}
_KIND_NAMES = {v: k for k, v in _KINDS.items()}
_new_node = object.__new__


class _Unreadable(Exception):
    """An entry that is not what encode writes: a miss."""


def encode(checked: Checked) -> bytes:
    model, problems, nodes, kind = checked
    numbers: dict[int, int] = {}
    # Every object of the model comes from a node inside the file model's own; a file without a model
    # needs no places (only the problems, which carry theirs).
    root = nodes.get(id(model)) if model is not None else None
    tree = [_node(root, numbers)] if root is not None else []
    where = {key: numbers[id(node)] for key, node in nodes.items() if id(node) in numbers}
    data = {"kind": kind, "tree": tree, "model": _value(model, where),
            "problems": [[p.path, p.line, p.col, p.message, p.hint, p.severity.value] for p in problems]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> Checked:
    """The checked file encode stored; _Unreadable (or a JSON/type error) when it is not one."""
    raw = json.loads(data)
    found: list[Node] = []
    for tree in raw["tree"]:
        _unnode(tree, found)
    nodes: dict[int, Node] = {}
    model = _unvalue(raw["model"], found, nodes)
    problems = [Problem(path=p[0], line=p[1], col=p[2], message=p[3], hint=p[4], severity=Severity(p[5]))
                for p in raw["problems"]]
    if not isinstance(raw["kind"], str):
        raise _Unreadable("kind")
    return model, problems, nodes, raw["kind"]


def _node(node: Node, numbers: dict[int, int]) -> list:
    numbers[id(node)] = len(numbers)
    if node.kind == "map":
        value: Any = [[key, _node(k, numbers), _node(v, numbers)] for key, (k, v) in node.value.items()]
    elif node.kind == "seq":
        value = [_node(child, numbers) for child in node.value]
    else:
        value = _scalar(node.value)
    return [_KINDS[node.kind], node.line, node.col, value]


def _unnode(raw: list, found: list[Node]) -> Node:
    kind, line, col, value = raw
    slot = len(found)
    found.append(None)  # type: ignore[arg-type]  # numbered before its children, as _node does
    name = _KIND_NAMES[kind]
    if name == "map":
        value = {key: (_unnode(k, found), _unnode(v, found)) for key, k, v in value}
    elif name == "seq":
        value = [_unnode(child, found) for child in value]
    else:
        value = _unscalar(value)
    # Node is frozen: filling its fields directly is 3x faster than its __init__, with the same result.
    found[slot] = node = _new_node(Node)
    node.__dict__.update(value=value, line=line, col=col, kind=name)
    return node


def _scalar(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store {type(value).__name__}")


def _unscalar(raw: Any) -> Any:
    if isinstance(raw, dict):
        if "dt" in raw:
            return datetime.datetime.fromisoformat(raw["dt"])
        return datetime.date.fromisoformat(raw["d"])
    return raw


def _value(value: Any, where: dict[int, int]) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _CLASSES.get(name) is not type(value):
            raise TypeError(f"cannot store {name}")
        fields = {f.name: _value(getattr(value, f.name), where) for f in dataclasses.fields(value) if f.init}
        return {"c": name, "f": fields, "n": where.get(id(value), -1)}
    if isinstance(value, tuple):
        return {"t": [_value(v, where) for v in value]}
    if isinstance(value, list):
        return {"l": [_value(v, where) for v in value]}
    if isinstance(value, dict):
        return {"m": [[k, _value(v, where)] for k, v in value.items()]}
    return _scalar(value)


def _unvalue(raw: Any, found: list[Node], nodes: dict[int, Node]) -> Any:
    if not isinstance(raw, dict):
        return raw
    if "c" in raw:
        cls = _CLASSES[raw["c"]]
        obj = cls(**{k: _unvalue(v, found, nodes) for k, v in raw["f"].items()})
        if raw["n"] >= 0:
            nodes[id(obj)] = found[raw["n"]]
        return obj
    if "t" in raw:
        return tuple(_unvalue(v, found, nodes) for v in raw["t"])
    if "l" in raw:
        return [_unvalue(v, found, nodes) for v in raw["l"]]
    if "m" in raw:
        return {k: _unvalue(v, found, nodes) for k, v in raw["m"]}
    return _unscalar(raw)


# --- on disk -----------------------------------------------------------------------------------

_UNREADABLE = (_Unreadable, ValueError, TypeError, KeyError, IndexError, AttributeError)


class FileStore:
    """Checked files in folder, one entry per (shown path, text, code); salt: the code's digest."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt

    def _path(self, display: str, text: str) -> Path:
        h = hashlib.sha256()
        for part in (self.salt, display, text):
            data = part.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "little") + data)
        return self.folder / f"{h.hexdigest()}.json"

    def get(self, display: str, text: str) -> Checked | None:
        data = fs.read_entry(self._path(display, text))
        if data is None:
            return None
        try:
            return decode(data)
        except _UNREADABLE:
            return None

    def put(self, display: str, text: str, checked: Checked) -> None:
        try:
            data = encode(checked)
        except (TypeError, KeyError, ValueError):  # something a model never holds: check it again next time
            return
        fs.write_entry(self._path(display, text), data)

    def prune(self, kept: Iterable[tuple[str, str]]) -> None:
        """Drop the entries of every (display path, text) but kept: texts edited away, files removed."""
        names = {self._path(display, text).name for display, text in kept}
        fs.prune(self.folder, "*.json", lambda p: p.name in names)
