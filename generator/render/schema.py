"""JSON Schemas generated from the models: for editors (source files) and for the export."""

from __future__ import annotations

import dataclasses
import datetime
import typing
from typing import Annotated, Any

from generator.model.files import FILE_KINDS
from generator.model.handbook import Calendar, Chapter, Edition, Meta, Rating, Vocabulary, describe
from generator.model.types import Pattern
from generator.validate.convert import fields, hints, is_required

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


class _Builder:
    def __init__(self, language: str) -> None:
        self.defs: dict[str, Any] = {}
        self.language = language

    def type_schema(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            base, *marks = typing.get_args(tp)
            schema = self.type_schema(base)
            for mark in marks:
                if isinstance(mark, Pattern):
                    schema["pattern"] = mark.regex
            return schema
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            name = tp.__name__
            if name not in self.defs:
                self.defs[name] = {}  # placeholder against recursion
                self.defs[name] = self.object_schema(tp)
            return {"$ref": f"#/$defs/{name}"}
        if origin is tuple:
            return {"type": "array", "items": self.type_schema(typing.get_args(tp)[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type_schema(typing.get_args(tp)[1])}
        return {str: {"type": "string"}, int: {"type": "integer"}, bool: {"type": "boolean"},
                datetime.date: {"type": "string", "format": "date"}}[tp]

    def object_schema(self, cls: type, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        props: dict[str, Any] = {}
        type_hints = hints(cls)
        for f in fields(cls):
            prop = self.type_schema(type_hints[f.name])
            if "doc" in f.metadata:
                text = describe(f.metadata, self.language)
                prop = {**prop, "description": text} if "$ref" not in prop else {"allOf": [prop], "description": text}
            props[f.name] = prop
        props.update(extra or {})
        schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
        required = [f.name for f in fields(cls) if is_required(f)]
        if required:
            schema["required"] = required
        if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
            schema["description"] = cls.__doc__.strip().splitlines()[0]
        return schema


def source_schema(language: str = "zh") -> dict[str, Any]:
    """Schema for every YAML file under standards/: one of the file kinds, with examples in `language`."""
    builder = _Builder(language)
    kinds = [builder.type_schema(cls) for cls in FILE_KINDS.values()]
    return {"$schema": SCHEMA_URI, "title": "Standards handbook source file", "anyOf": kinds,
            "$defs": dict(sorted(builder.defs.items()))}


def export_schema(language: str = "zh") -> dict[str, Any]:
    """Schema of standards.json, the whole edition as data, with examples in `language`."""
    builder = _Builder(language)
    edition = builder.object_schema(Edition, extra={"title": {"type": "string", "description": "Handbook title"}})
    props = {
        "format": {"const": 1},
        "edition": edition,
        "handbook": builder.type_schema(Meta),
        "vocabulary": builder.type_schema(Vocabulary),
        "rating": builder.type_schema(Rating),
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "chapters": {"type": "array", "items": builder.type_schema(Chapter)},
        "templates": builder.type_schema(typing.get_type_hints(FILE_KINDS["templates"])["templates"]),
        "glossary": builder.type_schema(typing.get_type_hints(FILE_KINDS["glossary"])["glossary"]),
    }
    required = list(props)
    props["calendar"] = builder.type_schema(Calendar)  # optional: editions exported before it lack it
    return {"$schema": SCHEMA_URI, "title": "Standards handbook edition export", "type": "object",
            "properties": props, "required": required, "additionalProperties": False,
            "$defs": dict(sorted(builder.defs.items()))}
