"""Turn located YAML nodes into frozen models, collecting every problem on the way.

The models' type hints are the schema: this module and `generator.render.schema`
read the same hints, so the validator and the JSON Schema cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
import typing
from typing import Annotated, Any

from generator.errors import Place, Problem, closest
from generator.load.yaml import Node
from generator.messages import current, say
from generator.model.files import NOUNS
from generator.model.types import Pattern

INVALID: Any = object()

# One text field at most (a standard's text is a few paragraphs): beyond it, laying out the forms
# takes minutes. Documented in the README.
MAX_FIELD_CHARS = 50_000
# Control characters (but tab and newline) and Unicode non-characters: no page, PDF, Word or
# spreadsheet can hold them, and YAML escapes ("\0", "\x01", "\uFFFE") can write them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff]")


@functools.cache
def hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def fields(cls: type) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(cls) if f.init]


def is_required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def describe(tp: Any) -> str:
    """A reader's name for a type, used in 'expected …' messages."""
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return describe(typing.get_args(tp)[0])
    if origin is tuple:
        return say("type.list")
    if origin is dict or dataclasses.is_dataclass(tp):
        return say("type.mapping")
    key = {str: "type.text", int: "type.int", bool: "type.bool", datetime.date: "type.date"}.get(tp)
    return say(key) if key else str(tp)


def _got(node: Node) -> str:
    if node.is_map:
        return say("got.mapping")
    if node.is_seq:
        return say("got.list")
    value = node.value
    if value is None:
        return say("got.nothing")
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return say("got.number", value=value)
    if isinstance(value, datetime.date):
        return say("got.date", value=value)
    return say("got.short_text", value=value) if len(str(value)) < 40 else say("got.text")


class Converter:
    """Converts one file's nodes; problems accumulate in `self.problems`."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        # id(model object) -> its mapping node, so later checks can point into the file.
        self.nodes: dict[int, Node] = {}
        self.owners: list[str] = []  # "standard SHYK-01" while inside it, for messages

    def _at(self, where: str) -> str:
        return say("convert.where_in", where=where, owner=self.owners[-1]) if self.owners else where

    def problem(self, node: Node, message: str, hint: str = "") -> None:
        self.problems.append(Problem.at(Place.of(self.path, node), message, hint))

    def wrong_type(self, node: Node, where: str, expected: str, hint: str) -> None:
        self.problems.append(Problem.wrong_type(Place.of(self.path, node), where=self._at(where), expected=expected,
                                                got=_got(node), hint=hint))

    def convert(self, node: Node, tp: Any, where: str) -> Any:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            base, *marks = typing.get_args(tp)
            value = self.convert(node, base, where)
            for mark in marks:
                if isinstance(mark, Pattern) and value is not INVALID and not re.fullmatch(mark.regex, value):
                    shown = f"'{value}'" if value.isprintable() else repr(value)
                    self.problem(node, say("convert.invalid_id", where=where, value=shown), say(mark.hint))
                    return INVALID
            return value
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self.convert_object(node, tp, where)
        if origin is tuple:
            (item_type, _) = typing.get_args(tp)
            if node.value is None and node.kind == "scalar":
                return ()
            if not node.is_seq:
                self.wrong_type(node, where, say("type.list"), say("convert.list.hint"))
                return INVALID
            items = [self.convert(child, item_type, f"{where}[{i}]") for i, child in enumerate(node.value)]
            return INVALID if any(item is INVALID for item in items) else tuple(items)
        if origin is dict:
            if not node.is_map:
                self.wrong_type(node, where, say("got.mapping"), say("convert.mapping.hint"))
                return INVALID
            result = {}
            for key, (knode, vnode) in node.value.items():
                value = self.convert(vnode, str, f"{where}.{key}")
                if value is not INVALID:
                    result[key] = value
            return result
        return self.convert_scalar(node, tp, where)

    def _check_text(self, node: Node, value: str, where: str) -> Any:
        if len(value) > MAX_FIELD_CHARS:
            self.problem(node, say("convert.too_long", where=self._at(where), length=f"{len(value):,}",
                                   limit=f"{MAX_FIELD_CHARS:,}"), say("convert.too_long.hint"))
            return INVALID
        bad = _UNPRINTABLE.search(value)
        if bad:
            self.problem(node, say("convert.unprintable", where=self._at(where), code=f"{ord(bad.group()):04X}"),
                         say("convert.unprintable.hint"))
            return INVALID
        return value

    def convert_scalar(self, node: Node, tp: type, where: str) -> Any:
        value = node.value
        if node.kind != "scalar" or value is None:
            self.wrong_type(node, where, describe(tp), _scalar_hint(tp, where))
            return INVALID
        if tp is str:
            if isinstance(value, bool):
                # YAML 1.1 reads yes/no/on/off as booleans; a text field means the words.
                self.wrong_type(node, where, say("type.text"), say("hint.quote_as_text"))
                return INVALID
            if isinstance(value, datetime.date):
                return value.isoformat()
            return self._check_text(node, str(value), where)
        if tp is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if tp is bool and isinstance(value, bool):
            return value
        if tp is datetime.date:
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                return value
            if isinstance(value, str):
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    pass
        self.wrong_type(node, where, describe(tp), _scalar_hint(tp, where))
        return INVALID

    def convert_object(self, node: Node, cls: type, where: str) -> Any:
        if not node.is_map:
            self.wrong_type(node, where, say("got.mapping"), say("convert.object.hint"))
            return INVALID
        known = {f.name: f for f in fields(cls)}
        type_hints = hints(cls)
        owner = self._owner(node, cls)
        label = owner or where or say("convert.the_file")
        values: dict[str, Any] = {}
        suggested: set[str] = set()
        ok = True
        if owner:
            self.owners.append(owner)
        previous: tuple[str, Node] | None = None
        for key, (knode, vnode) in node.value.items():
            if key not in known:
                hint = ""
                if previous and vnode.value is None and isinstance(previous[1].value, str):
                    # `{label: Peroxide test (date, ppm)}`: the comma ended the value early.
                    hint = say("convert.quote_value.hint", key=previous[0], value=previous[1].value, rest=key)
                near = closest(key, known)
                if near is not None:
                    suggested.add(near)
                self.problems.append(Problem.unknown_key(Place.of(self.path, knode), key=key, owner=label,
                                                         known=known, hint=hint))
                ok = False
                continue
            previous = (key, vnode)
            value = self.convert(vnode, type_hints[key], f"{where}.{key}" if where else key)
            if value is INVALID:
                ok = False
            else:
                values[key] = value
        if owner:
            self.owners.pop()
        for name, f in known.items():
            if name not in node.value and is_required(f) and name not in suggested:
                # Field docs are written in English only: other languages name the kind of value.
                doc = f.metadata.get("doc") if (current() or "en") == "en" else None
                self.problems.append(Problem.missing_key(Place.of(self.path, node), key=name, owner=label,
                                                         doc=doc or describe(type_hints[name])))
                ok = False
        if not ok:
            return INVALID
        obj = cls(**values)
        self.nodes[id(obj)] = node
        return obj

    def _owner(self, node: Node, cls: type) -> str:
        """'standard SHYK-01' for an object that messages name by its ID; '' for the others."""
        noun = NOUNS.get(cls)
        ident = node.value.get("id") or node.value.get("chapter")
        if noun and ident and ident[1].kind == "scalar" and isinstance(ident[1].value, str):
            return f"{say('kind.' + noun)} {ident[1].value}"
        return ""


def _scalar_hint(tp: type, where: str) -> str:
    key = where.rsplit(".", 1)[-1]
    name = {int: "convert.int.hint", bool: "convert.bool.hint", datetime.date: "convert.date.hint",
            str: "convert.text.hint"}.get(tp)
    return say(name, key=key) if name else ""
