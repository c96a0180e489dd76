"""Models as plain nested lists and back: the cheap form the caches keep them in.

`to_plain(value)` gives lists, dicts, strings, numbers and booleans only (a dataclass becomes the
list of its fields' values in field order, a date its ISO text), so it can be written as JSON or
marshal data without ever holding a class. `from_plain(tp, raw)` rebuilds it for the type tp,
directed by the models' type hints: the stored form names no class, so a foreign entry can only
fail to decode (`ValueError`, `TypeError`, ...) or give a model of the same shape.

Decoding fills each frozen dataclass's fields directly (no `__init__`): every field is stored, so
the object is equal to the one encoded, and this is several times faster for 5,000 standards.
`objects(value)` lists a model's dataclass objects in one fixed order, the same before and after,
so that a store can say which YAML node each one came from by its position.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import math
import operator
import typing
from collections.abc import Callable
from typing import Annotated, Any

Decoder = Callable[[Any], Any] | None  # None: the plain value is the value


def to_plain(tp: Any, value: Any) -> Any:
    """value, of type tp (a model class, or a tuple/dict of them), as nested lists, dicts and scalars."""
    encode = _encoder(tp)
    return value if encode is None else encode(value)


def from_plain(tp: Any, raw: Any) -> Any:
    """The value of type tp that to_plain turned into raw; ValueError/TypeError/... when raw is not one."""
    decode = _decoder(tp)
    return raw if decode is None else decode(raw)


def objects(tp: Any, value: Any) -> list[Any]:
    """Every dataclass object in value (of type tp), each before the ones inside it, fields in order."""
    found: list[Any] = []
    walk = _walker(tp)
    if walk is not None:
        walk(value, found.append)
    return found


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """Each field's name and type hint (Annotated kept), in field order."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return tuple((name, hints[name]) for name in _names(cls))


def _bare(tp: Any) -> Any:
    """tp without its Annotated wrapping."""
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return tp


@functools.cache
def _decoder(tp: Any) -> Decoder:
    tp = _bare(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _object_decoder(tp)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])
        if item is None:
            return tuple
        return _items(item)
    if origin is dict:
        return dict
    if tp is datetime.date:
        return _date
    if tp is float:
        return _unfloat
    if tp in (str, int, bool):
        return None
    raise TypeError(f"cannot decode {tp!r}")


def _float(value: Any) -> Any:
    # JSON has no NaN or infinity (orjson would write null): they are kept as their text.
    return value if math.isfinite(value) else repr(value)


def _unfloat(raw: Any) -> Any:
    return float(raw) if type(raw) is str else raw


def _date(raw: str) -> datetime.date:
    if type(raw) is not str:
        raise TypeError("date")
    return datetime.date.fromisoformat(raw)


def _object_decoder(cls: type) -> Callable[[Any], Any]:
    names = _names(cls)
    # One function per class, written out like the __init__ dataclasses writes: a loop over the fields
    # with a decoder each is three times slower for 5,000 standards.
    scope: dict[str, Any] = {"cls": cls, "new": object.__new__, "ValueError": ValueError, "list": list}
    values = []
    for i, (_, tp) in enumerate(_fields(cls)):
        decode = _decoder(tp)
        item = _item_type(tp)
        if decode is None:
            values.append(f"raw[{i}]")
        elif decode is tuple:
            values.append(f"tuple(raw[{i}])")
        elif item is not None and _decoder(item) is not None:  # a tuple of objects, written out
            scope[f"d{i}"] = _decoder(item)
            values.append(f"tuple([d{i}(v) for v in raw[{i}]])")
        else:
            scope[f"d{i}"] = decode
            values.append(f"d{i}(raw[{i}])")
    fields = ", ".join(f"{name!r}: {value}" for name, value in zip(names, values))
    source = (f"def decode(raw):\n"
              f"    if type(raw) is not list or len(raw) != {len(names)}:\n"
              f"        raise ValueError('not a stored {cls.__name__}')\n"
              f"    obj = new(cls)\n"
              # frozen: the fields go into its __dict__, as dataclasses' own __init__ ends up doing
              f"    obj.__dict__.update({{{fields}}})\n"
              f"    return obj\n")
    exec(source, scope)  # noqa: S102 (our own text, from the models. field names)
    return scope["decode"]


def _item_type(tp: Any) -> Any:
    """X for tuple[X, ...] (through Annotated), else None."""
    tp = _bare(tp)
    return typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else None


def _items(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda raw: tuple([item(v) for v in raw])


@functools.cache
def _encoder(tp: Any) -> Decoder:
    tp = _bare(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        names = _names(tp)
        get = operator.attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
        encoders = [_encoder(hint) for _, hint in _fields(tp)]
        if all(e is None for e in encoders):
            return lambda obj: list(get(obj))
        return lambda obj: [v if e is None else e(v) for e, v in zip(encoders, get(obj))]
    if origin is tuple:
        item = _encoder(typing.get_args(tp)[0])
        if item is None:
            return list
        return lambda value: [item(v) for v in value]
    if origin is dict:
        return dict
    if tp is datetime.date:
        return datetime.date.isoformat
    if tp is float:
        return _float
    if tp in (str, int, bool):
        return None
    raise TypeError(f"cannot store {tp!r}")


Walker = Callable[[Any, Callable[[Any], None]], None] | None


@functools.cache
def _walker(tp: Any) -> Walker:
    tp = _bare(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        inner = [(name, walk) for name, hint in _fields(tp) if (walk := _walker(hint)) is not None]

        def walk_object(obj: Any, visit: Callable[[Any], None]) -> None:
            visit(obj)
            for name, walk in inner:
                walk(getattr(obj, name), visit)

        return walk_object
    if origin is tuple:
        item = _walker(typing.get_args(tp)[0])
        if item is None:
            return None

        def walk_items(value: Any, visit: Callable[[Any], None]) -> None:
            for v in value:
                item(v, visit)

        return walk_items
    return None  # scalars, dates and dicts of text hold no objects
