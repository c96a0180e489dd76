"""standards.json: the whole edition as data, and reading it back into a Handbook."""

from __future__ import annotations

import dataclasses
import datetime
import json
import typing
from typing import Annotated, Any

from generator.model import Calendar, Chapter, Edition, GlossaryTerm, Handbook, Meta, Rating, RecordTemplate, Vocabulary
from generator.model.labels import labels_for
from generator.validate.convert import hints

FORMAT = 1


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
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


def export_json(handbook: Handbook) -> str:
    if _last_export[0] is not handbook:  # a build asks twice: for its cache and for standards.json
        _last_export[:] = [handbook, json.dumps(export_data(handbook), ensure_ascii=False, indent=1) + "\n"]
    return _last_export[1]


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
