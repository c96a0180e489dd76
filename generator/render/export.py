"""standards.json: the whole edition as data, and reading it back into a Handbook."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import typing
from collections.abc import MutableMapping
from typing import Annotated, Any

from generator.model import Calendar, Chapter, Edition, GlossaryTerm, Handbook, Meta, Rating, RecordTemplate, Vocabulary
from generator.model.labels import labels_for
from generator.model.sources import standards_key
from generator.render.memo import memo
from generator.validate.convert import hints

FORMAT = 1


_FIELDS: dict[type, tuple[str, ...] | None] = {}  # a class's field names; None: not a dataclass


def _plain(value: Any) -> Any:
    cls = type(value)
    if cls is str or cls is int or cls is bool or value is None:  # most values: nothing to look up
        return value
    names = _FIELDS.get(cls, ())
    if names == ():
        names = _FIELDS[cls] = (tuple(f.name for f in dataclasses.fields(cls))
                                if dataclasses.is_dataclass(cls) else None)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def export_data(handbook: Handbook) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "edition": {**_plain(handbook.edition), "title": handbook.meta.title},
        "handbook": _plain(handbook.meta),
        "vocabulary": _plain(handbook.vocabulary),
        "rating": _plain(handbook.rating),
        "labels": dict(sorted(handbook.labels.items())),
        "chapters": _plain(handbook.chapters),
        "templates": _plain(handbook.templates),
        "glossary": _plain(handbook.glossary),
        "calendar": _plain(handbook.calendar),
    }


def export_json(handbook: Handbook, parts: MutableMapping[str, str] | None = None) -> str:
    """standards.json's text. parts: each chapter's standards as text by their `standards_key`, from an
    earlier build; after an edit only the edited chapter's are written again. The same text either way."""
    if _last_export[0] is not handbook:  # a build asks twice: for its cache and for standards.json
        text = None
        if parts is not None:
            try:
                text = _by_parts(handbook, parts)
            except TypeError:  # a value _write does not write: json.dumps below
                text = None
        _last_export[:] = [handbook, (_indented(export_data(handbook)) if text is None else text) + "\n"]
    return _last_export[1]


class _Raw:
    """Text already written at its place in the layout (a chapter's standards)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _by_parts(handbook: Handbook, parts: MutableMapping[str, str]) -> str:
    """export_data's layout with each chapter's standards (at their depth: chapters, chapter, standards) kept
    in parts by `standards_key`: after an edit, only the edited chapter's standards are written again."""
    names = _FIELDS.get(Chapter) or tuple(f.name for f in dataclasses.fields(Chapter))
    chapters = []
    for chapter in handbook.chapters:
        standards = memo(parts, ("standards-json", standards_key(chapter.standards)),
                         functools.partial(_standards_text, chapter.standards))
        chapters.append({name: _Raw(standards) if name == "standards" else _plain(getattr(chapter, name))
                         for name in names})
    data = {**export_data(dataclasses.replace(handbook, chapters=())), "chapters": chapters}
    out: list[str] = []
    _write(data, "\n", out)
    return "".join(out)


def _standards_text(standards: tuple) -> str:
    """A chapter's standards as export_data's layout writes them at their depth."""
    if not standards:
        return "[]"
    texts = []
    for std in standards:
        out: list[str] = []
        _write(_plain(std), "\n    ", out)
        texts.append("".join(out))
    return "[\n    " + ",\n    ".join(texts) + "\n   ]"


def _indented(data: Any) -> str:
    """json.dumps(data, ensure_ascii=False, indent=1), the same text.

    With indent, json.dumps takes its pure-Python encoder (generators, one per level): at 5,000
    standards half of a second. This writes the same layout directly; strings go through the same
    (C) escaping. Anything else than what export_data gives goes to json.dumps itself.
    """
    out: list[str] = []
    try:
        _write(data, "\n", out)
    except TypeError:
        return json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(out)


_escape = json.encoder.encode_basestring  # type: ignore[attr-defined]  # the C version where there is one
_SCALARS = {True: "true", False: "false", None: "null"}


def _write(value: Any, newline: str, out: list[str]) -> None:
    cls = type(value)
    if cls is str:
        out.append(_escape(value))
    elif cls is int:
        out.append(int.__repr__(value))
    elif value is None or cls is bool:
        out.append(_SCALARS[value])
    elif cls is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("a key that is not text")
            if type(item) is str:  # most values: written here, without a call per value
                out.append(f"{separator}{_escape(key)}: {_escape(item)}")
            else:
                out.append(f"{separator}{_escape(key)}: ")
                _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif cls is _Raw:
        out.append(value.text)
    elif cls is list or cls is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        if all(type(item) is str for item in value):  # IDs, tags: one join
            out.append("[" + inner + ("," + inner).join(map(_escape, value)) + newline + "]")
            return
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise TypeError(f"not written here: {cls.__name__}")


_last_export: list[Any] = [None, ""]


def _decode(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return _decode(typing.get_args(tp)[0], value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        type_hints = hints(tp)
        return tp(**{k: _decode(type_hints[k], v) for k, v in value.items() if k in type_hints})
    if origin is tuple:
        return tuple(_decode(typing.get_args(tp)[0], v) for v in value)
    if origin is dict:
        return dict(value)
    if tp is datetime.date:
        return datetime.date.fromisoformat(value)
    return value


def handbook_from_export(data: dict[str, Any]) -> Handbook:
    """Rebuild a Handbook from a published standards.json (trusted: written by this tool)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"unsupported standards.json format {data.get('format')!r}, expected {FORMAT}")
    return Handbook(
        meta=_decode(Meta, data["handbook"]),
        edition=_decode(Edition, data["edition"]),
        vocabulary=_decode(Vocabulary, data["vocabulary"]),
        rating=_decode(Rating, data["rating"]),
        # A snapshot keeps the labels of its day; today's locale fills in keys added since.
        labels={**labels_for(data["handbook"]["language"], {})[0], **data["labels"]},
        chapters=_decode(tuple[Chapter, ...], data["chapters"]),
        templates=_decode(tuple[RecordTemplate, ...], data["templates"]),
        glossary=_decode(tuple[GlossaryTerm, ...], data["glossary"]),
        calendar=_decode(Calendar, data.get("calendar", {})),  # absent from snapshots before the calendar
    )
