"""Frozen dataclasses for every object of a handbook.

Field docs (`doc=`) become the JSON Schema descriptions editors show on hover.
Optional fields have defaults; a field without a default is required.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from typing import Any

from generator.model.types import (
    EditionId,
    FrequencyRef,
    Id,
    Markdown,
    MethodRef,
    NotApplicable,
    RoleRef,
    StandardRef,
    TemplateRef,
)


def doc(text: str, *, eg: dict[str, str] | None = None, **kwargs: Any) -> Any:
    """A dataclass field with its description (shown by editors through the JSON Schema).

    `eg` gives the example in `{eg}` by the handbook's language (zh or en; en for the others),
    so an English handbook's editors see English examples.
    """
    return dataclasses.field(metadata={"doc": text, "eg": eg or {}}, **kwargs)


def describe(metadata: Any, language: str) -> str:
    """A field's description in a handbook of `language`."""
    examples = metadata.get("eg") or {}
    example = examples.get(language.split("-")[0].lower(), examples.get("en", ""))
    return metadata["doc"].replace("{eg}", example)




# --- handbook.yml --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class Source:
    document: str = doc("The rule exactly as standards cite it in basis.document, e.g. {eg}",
                        eg={"zh": "《中国共产党支部工作条例（试行）》", "en": "Fire Safety Order 2005"})
    version: str = doc("Which text was used: year or edition, e.g. {eg}", eg={"zh": "2018年", "en": "as amended 2022"})


@dataclasses.dataclass(frozen=True, kw_only=True)
class Meta:
    title: str = doc("Full title of the handbook")
    short_title: str = doc("Short title for headers and the browser tab", default="")
    issuer: str = doc("Body that issues the handbook")
    language: str = doc("Language code of the content, e.g. zh or en; picks the interface labels")
    disclaimer: Markdown = doc("Notice shown on every page and form", default="")
    about: Markdown = doc("How to use the handbook, shown on the home page", default="")
    sources: tuple[Source, ...] = doc("The rules cited in basis, each with the year or edition of the text used; "
                                      "when given, every basis must cite one of them", default=())
    rules_as_of: str = doc("Up to when the public rules were compiled, shown on the home page, e.g. {eg}",
                           eg={"zh": "2026年6月", "en": "June 2026"},
                           default="")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Retired:
    id: Id = doc("ID of a standard of the previous edition that this edition removes")
    reason: str = doc("Why it was removed")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Edition:
    id: EditionId = doc("Stable edition ID, used in URLs, e.g. 2026")
    label: str = doc("Edition name shown to readers, e.g. {eg}", eg={"zh": "2026年版", "en": "2026 edition"})
    effective: datetime.date = doc("Date the edition takes effect (YYYY-MM-DD)")
    summary: Markdown = doc("What this revision changes and why", default="")
    retired: tuple[Retired, ...] = doc("Standards of the previous edition removed in this one", default=())


@dataclasses.dataclass(frozen=True, kw_only=True)
class Term:
    id: Id = doc("ID used in the YAML, e.g. monthly")
    label: str = doc("Label shown to readers, e.g. {eg}", eg={"zh": "每月", "en": "Monthly"})


@dataclasses.dataclass(frozen=True, kw_only=True)
class FrequencyTerm(Term):
    months: int = doc("For the annual plan and calendar: months between two occurrences, 1, 3, 6 or 12. "
                      "Leave it out for the IDs monthly, quarterly, half-yearly and yearly (1, 3, 6, 12); "
                      "a frequency with neither is listed apart, not placed on a date", default=0)


# Frequencies the calendar knows by their ID, when the vocabulary does not give `months`.
PERIOD_OF_ID = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Vocabulary:
    frequencies: tuple[FrequencyTerm, ...] = doc("How often a standard applies")
    roles: tuple[Term, ...] = doc("Who is responsible")
    methods: tuple[Term, ...] = doc("How an inspector checks")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Level:
    stars: int = doc("Number of stars, e.g. 5")
    label: str = doc("Name of the level, e.g. {eg}", eg={"zh": "五星级", "en": "Five stars"})
    min_score: int = doc("Lowest total score that reaches this level")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Rating:
    total: int = doc("Total points of all checklist items together")
    levels: tuple[Level, ...] = doc("Star levels, highest first")
    veto_max_stars: int = doc("Highest level a unit can reach when a veto standard fails", default=0)
    veto_note: Markdown = doc("Explanation of the veto rule", default="")
    not_applicable: NotApplicable = doc(
        "How a check marked not applicable counts in the self-assessment: 'scale' leaves it out and scales the "
        "score to the applicable maximum; 'full' counts it as met", default="scale")
    groups_note: Markdown = doc("Notes for inspectors on how to score", default="")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Calendar:
    day: int = doc("Day of the month every dated item falls on (e.g. {eg}), 1–28", eg={"zh": "固定党日", "en": "the unit's fixed meeting day"},
                   default=1)
    quarter_month: int = doc("Month within each quarter for quarterly items, 1–3", default=3)
    half_year_month: int = doc("Month within each half-year for half-yearly items, 1–6", default=6)
    year_month: int = doc("Month of the year for yearly items, 1–12", default=12)
    reminder_days: int = doc("Calendar reminder this many days before each item, 0–60 (0: no reminder)",
                             default=3)

    def months_of(self, period: int) -> tuple[int, ...]:
        """The months (1–12) an item done every `period` months falls in."""
        within = {1: 1, 3: self.quarter_month, 6: self.half_year_month, 12: self.year_month}[period]
        return tuple(range(within, 13, period))


# --- chapter files -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class Basis:
    document: str = doc("Regulation or rule, e.g. {eg}",
                        eg={"zh": "《中国共产党支部工作条例（试行）》", "en": "Fire Safety Order 2005"})
    article: str = doc("Article or section, e.g. {eg}", eg={"zh": "第十五条", "en": "Article 15"}, default="")
    note: str = doc("What the article says, in brief", default="")

    def citation(self, sep: str) -> str:
        """Document and article, joined by the language's separator (none in Chinese: 《条例》第五条)."""
        return sep.join(part for part in (self.document, self.article) if part)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Evidence:
    text: str = doc("Record or file that proves the standard is met")
    template: TemplateRef = doc("ID of the record template for it", default="")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChecklistItem:
    text: str = doc("What the inspector checks, one line")
    points: int = doc("Points in the star rating")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Standard:
    id: Id = doc("Stable ID, kept across editions, e.g. {eg}", eg={"zh": "SHYK-01", "en": "FS-01"})
    title: str = doc("Short title")
    text: Markdown = doc("The rule: what must be done (Markdown)")
    frequency: FrequencyRef = doc("ID from vocabulary.frequencies")
    responsible: tuple[RoleRef, ...] = doc("IDs from vocabulary.roles")
    basis: tuple[Basis, ...] = doc("Rules the standard rests on")
    evidence: tuple[Evidence, ...] = doc("What proves it is met")
    methods: tuple[MethodRef, ...] = doc("IDs from vocabulary.methods")
    inspection: Markdown = doc("How an inspector checks it", default="")
    points: int = doc("Points in the star rating; the checklist items add up to it")
    checks: tuple[ChecklistItem, ...] = doc("Checklist items")
    veto: bool = doc("Failing it caps the rating{eg}", eg={"zh": " (一票否决)"}, default=False)
    related: tuple[StandardRef, ...] = doc("IDs of related standards", default=())
    tags: tuple[str, ...] = doc("Keywords", default=())
    replaces: str = doc("ID of the previous edition's standard that this one renames", default="")
    split_from: str = doc("ID of the previous edition's standard this one was split from", default="")
    merges: tuple[str, ...] = doc("IDs of previous edition's standards merged into this one", default=())


@dataclasses.dataclass(frozen=True, kw_only=True)
class Chapter:
    id: Id = doc("Stable chapter ID, used as the page name, e.g. meetings")
    title: str = doc("Chapter title")
    summary: Markdown = doc("Introduction shown above the standards", default="")
    standards: tuple[Standard, ...] = doc("The chapter's standards", default=())


# --- templates.yml, glossary.yml -----------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class Field:
    label: str = doc("Label printed on the form, e.g. {eg}", eg={"zh": "会议时间", "en": "Date of the meeting"})
    lines: int = doc("Writing lines to leave blank", default=1)
    hint: str = doc("Small print under the label", default="")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Column:
    label: str = doc("Column heading")
    width: int = doc("Relative width", default=1)


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordTemplate:
    id: Id = doc("Stable template ID, e.g. TPL-MEETING")
    title: str = doc("Title printed on the form")
    purpose: Markdown = doc("What the record is for and how to keep it", default="")
    fields: tuple[Field, ...] = doc("Labelled fields, for a record of one event", default=())
    columns: tuple[Column, ...] = doc("Table columns, for a register with one row per entry", default=())
    rows: int = doc("Blank rows in the register table", default=12)
    keeping: str = doc("How long and where it is kept", default="")


@dataclasses.dataclass(frozen=True, kw_only=True)
class GlossaryTerm:
    id: Id = doc("Stable ID used as the anchor, e.g. {eg}", eg={"zh": "sanhui-yike", "en": "escape-route"})
    term: str = doc("The term")
    definition: Markdown = doc("What it means")
    aliases: tuple[str, ...] = doc("Other names for it", default=())
    see: tuple[StandardRef, ...] = doc("Standards where it matters", default=())


# --- the whole ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class Handbook:
    """Everything the source says, checked and cross-referenced."""

    meta: Meta
    edition: Edition
    vocabulary: Vocabulary
    rating: Rating
    labels: dict[str, str]
    chapters: tuple[Chapter, ...]
    templates: tuple[RecordTemplate, ...]
    glossary: tuple[GlossaryTerm, ...]
    calendar: Calendar = dataclasses.field(default_factory=Calendar)

    def standards(self) -> list[tuple[Chapter, Standard]]:
        return [(chapter, std) for chapter in self.chapters for std in chapter.standards]

    @functools.cached_property
    def _by_id(self) -> dict[str, tuple[Chapter, Standard]]:
        # Built once per handbook (the model is frozen): lookups by ID stay linear at 4,000 standards.
        return {std.id: (chapter, std) for chapter, std in self.standards()}

    def standard(self, standard_id: str) -> Standard | None:
        """The standard with this ID, or None."""
        found = self._by_id.get(standard_id)
        return found[1] if found else None

    def chapter_of(self, standard_id: str) -> Chapter | None:
        """The chapter holding the standard with this ID, or None."""
        found = self._by_id.get(standard_id)
        return found[0] if found else None

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def cite(self, basis: Basis) -> str:
        """A basis as readers see it: the document with the version of its text, then the article."""
        version = next((s.version for s in self.meta.sources if s.document == basis.document), "")
        document = basis.document + (self.label("source_version").format(version=version) if version else "")
        return self.label("article_sep").join(part for part in (document, basis.article) if part)

    def term(self, kind: str, term_id: str) -> str:
        terms = {"frequency": self.vocabulary.frequencies, "role": self.vocabulary.roles,
                 "method": self.vocabulary.methods}[kind]
        return next((t.label for t in terms if t.id == term_id), term_id)

    def period(self, frequency_id: str) -> int:
        """Months between two occurrences of a frequency (1, 3, 6, 12), or 0 when it has no place in a year."""
        term = next((t for t in self.vocabulary.frequencies if t.id == frequency_id), None)
        if term is not None and term.months:
            return term.months
        return PERIOD_OF_ID.get(frequency_id, 0)
