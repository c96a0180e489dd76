"""The checked form of one source file, kept on disk so that a new process re-reads only what changed.

Checking a file gives its model, its problems and, for every model object, the YAML node it came
from (so that checks across files still name `path:line:col`). All of it is fixed by the file's
shown path, its text and the generator's code: `encode` turns it into JSON (orjson's; never pickle: a foreign
entry can at worst be a miss or wrong data), `decode` gives back equal models, the same problems and
the same node tree with its positions. Entries are verified cache entries (generator/fs.py);
anything that does not decode is a miss and the file is checked afresh.

An entry is two JSON documents on two lines. The first holds the kind, the problems, the model as
plain lists (generator/model/plain.py) and, for each of the model's objects in `plain.objects` order,
the number of its node. The second is the node tree, read only when a check asks where an object of
this file is written (`StoredNodes`): a load of 5,000 unchanged standards reads no tree at all.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from generator import fs
from generator.errors import Problem, Severity
from generator.load.yaml import Node
from generator.model.files import FILE_KINDS
from generator.model.plain import from_plain, objects, to_plain

Checked = tuple[object | None, list[Problem], Mapping[int, Node], str]  # model, problems, nodes by id, kind

_KINDS = {"map": "m", "seq": "s", "scalar": "v"}
_KIND_NAMES = {v: k for k, v in _KINDS.items()}
_new_node = object.__new__


class _Unreadable(Exception):
    """An entry that is not what encode writes: a miss."""


# What decoding a damaged or foreign entry can raise: then it is a miss.
_UNREADABLE = (_Unreadable, ValueError, TypeError, KeyError, IndexError, AttributeError)


def encode(checked: Checked) -> bytes:
    model, problems, nodes, kind = checked
    numbers: dict[int, int] = {}
    # Every object of the model comes from a node inside the file model's own; a file without a model
    # needs no places (only the problems, which carry theirs).
    root = nodes.get(id(model)) if model is not None else None
    tree = [_node(root, numbers)] if root is not None else []
    where: list[int] = []
    plain = None
    if model is not None:
        cls = FILE_KINDS[kind]
        if type(model) is not cls:
            raise TypeError(f"cannot store {type(model).__name__} as {kind}")
        plain = to_plain(cls, model)
        for obj in objects(cls, model):
            node = nodes.get(id(obj))
            where.append(numbers.get(id(node), -1) if node is not None else -1)
    head = {"kind": kind, "model": plain, "where": where,
            "problems": [[p.path, p.line, p.col, p.message, p.hint, p.severity.value] for p in problems]}
    # JSON escapes every line break inside strings: the newline between the two parts is the only one.
    return fs.json_entry(head) + b"\n" + fs.json_entry(tree)


def decode(data: bytes) -> Checked:
    """The checked file encode stored; _Unreadable (or a JSON/type error) when it is not one.

    The node tree stays undecoded until a check asks for a place (StoredNodes).
    """
    head, newline, tree = data.partition(b"\n")
    if not newline:
        raise _Unreadable("no tree")
    raw = orjson.loads(head)
    kind = raw["kind"]
    if not isinstance(kind, str):
        raise _Unreadable("kind")
    problems = [Problem(path=p[0], line=p[1], col=p[2], message=p[3], hint=p[4], severity=Severity(p[5]))
                for p in raw["problems"]]
    if raw["model"] is None:
        return None, problems, {}, kind
    cls = FILE_KINDS[kind]
    model = from_plain(cls, raw["model"])
    where = raw["where"]
    if type(where) is not list:
        raise _Unreadable("where")
    return model, problems, StoredNodes(cls, model, where, tree), kind


class StoredNodes(Mapping[int, Node]):
    """id(model object) -> the node it came from, for a stored file, worked out at the first look.

    Until a check asks, neither the model's objects are listed nor the tree decoded. A foreign entry
    (its bytes verified, its contents not what encode wrote) can only give wrong places.
    """

    def __init__(self, cls: type, model: object, where: list[int], tree: bytes) -> None:
        self._cls = cls
        self._model = model  # keeps the objects, and so their ids, alive
        self._where = where
        self._tree = tree
        self._index: dict[int, int] | None = None
        self._nodes: list[Node] | None = None

    def _positions(self) -> dict[int, int]:
        if self._index is None:
            self._index = {id(obj): number for obj, number in zip(objects(self._cls, self._model), self._where)
                           if type(number) is int and number >= 0}
        return self._index

    def __getitem__(self, key: int) -> Node:
        number = self._positions()[key]
        if self._nodes is None:
            self._nodes = []
            try:
                for raw in orjson.loads(self._tree):
                    _unnode(raw, self._nodes)
            except _UNREADABLE:  # a foreign entry (its bytes were verified): wrong places, never a crash
                self._nodes = []
        if number < len(self._nodes):
            return self._nodes[number]
        return Node(value={}, line=1, col=1, kind="map")

    def __iter__(self) -> Iterator[int]:
        return iter(self._positions())

    def __len__(self) -> int:
        return len(self._positions())


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
    if isinstance(value, float) and not math.isfinite(value):
        return {"f": repr(value)}  # JSON has none (orjson would write null)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store {type(value).__name__}")


def _unscalar(raw: Any) -> Any:
    if isinstance(raw, dict):
        if "dt" in raw:
            return datetime.datetime.fromisoformat(raw["dt"])
        if "f" in raw:
            return float(raw["f"])
        return datetime.date.fromisoformat(raw["d"])
    return raw


# --- on disk -----------------------------------------------------------------------------------


class FileStore:
    """Checked files in folder, one entry per (shown path, text, code); salt: the code's digest."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self._paths: dict[tuple[str, str], Path] = {}  # get, put and prune of one load ask for the same

    def _path(self, display: str, text: str) -> Path:
        path = self._paths.get((display, text))
        if path is None:
            h = hashlib.sha256()
            for part in (self.salt, display, text):
                data = part.encode("utf-8", "surrogatepass")
                h.update(len(data).to_bytes(8, "little") + data)
            path = self._paths[display, text] = self.folder / f"{h.hexdigest()}.json"
        return path

    def digest(self, display: str, text: str) -> str:
        """The digest the entry of this file is named by: of the code, its display path and its text."""
        return self._path(display, text).stem

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
