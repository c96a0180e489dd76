"""The shape of each kind of source file; the key that names the kind comes first."""

from __future__ import annotations

import dataclasses

from generator.model.handbook import (
    Calendar,
    Edition,
    GlossaryTerm,
    Meta,
    Rating,
    RecordTemplate,
    Standard,
    Vocabulary,
    doc,
)
from generator.model.types import Id, Markdown


@dataclasses.dataclass(frozen=True, kw_only=True)
class HandbookFile:
    handbook: Meta = doc("Title, issuer, language and notices")
    edition: Edition = doc("This edition")
    vocabulary: Vocabulary = doc("Frequencies, roles and check methods the standards use")
    rating: Rating = doc("Star rating: total points, levels, veto rule")
    labels: dict[str, str] = doc("Overrides of interface labels", default_factory=dict)
    calendar: Calendar = doc("Dates of the annual plan and calendar (all optional)", default_factory=Calendar)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChapterFile:
    chapter: Id = doc("Stable chapter ID, used as the page name, e.g. meetings")
    title: str = doc("Chapter title")
    summary: Markdown = doc("Introduction shown above the standards", default="")
    standards: tuple[Standard, ...] = doc("The chapter's standards")


@dataclasses.dataclass(frozen=True, kw_only=True)
class TemplatesFile:
    templates: tuple[RecordTemplate, ...] = doc("Record-book templates{eg}", eg={"zh": " (台账)"})


@dataclasses.dataclass(frozen=True, kw_only=True)
class GlossaryFile:
    glossary: tuple[GlossaryTerm, ...] = doc("Glossary terms")


# The key that tells which kind a file is, and the file model for it.
FILE_KINDS: dict[str, type] = {
    "handbook": HandbookFile,
    "chapter": ChapterFile,
    "templates": TemplatesFile,
    "glossary": GlossaryFile,
}

# Nouns for messages ("unknown key 'x' in standard SHYK-01"): kind.<noun> in generator/locales/messages/.
NOUNS: dict[type, str] = {
    Standard: "standard",
    RecordTemplate: "template",
    GlossaryTerm: "glossary_term",
    ChapterFile: "chapter",
}
