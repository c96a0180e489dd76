"""View objects for the printable forms: everything a form shows, computed once, frozen.

Templates, the PDF, the Word and the spreadsheet writers read only these objects, so a
form's `fingerprint` (a hash of its view) changes exactly when what it shows changes.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import html.parser
import itertools
import json
from typing import Any

import markdown

from generator.model import Chapter, Handbook, RecordTemplate, Standard
from generator.render.simple_markdown import STRONG, paragraphs_only
from generator.render.timestamps import build_time

# Bump when a renderer changes what a form looks like, so printed fingerprints and
# cached files from older renderers are not mistaken for current ones.
RENDERER_VERSION = "forms/1"


@dataclasses.dataclass(frozen=True, kw_only=True)
class FormLabels:
    """The interface words printed on forms, from the handbook's locale (keys `forms.<field>`)."""

    index_title: str
    index_intro: str
    kind_checklist: str
    kind_scoring: str
    kind_record: str
    checklist_title: str
    scoring_title: str
    instructions_checklist: str
    instructions_scoring: str
    col_no: str
    col_check: str
    col_standard: str
    col_method: str
    col_evidence: str
    col_points: str
    col_score: str
    col_form: str
    col_code: str
    col_kind: str
    col_downloads: str
    met: str
    not_met: str
    na: str
    notes: str
    branch: str
    date: str
    inspector: str
    sign_inspector: str
    sign_secretary: str
    sign_scorer: str
    sign_date: str
    subtotal: str
    total: str
    levels: str
    score_at_least: str
    score_range: str
    veto_items: str
    veto_default: str
    veto_mark: str
    result: str
    result_score: str
    result_level: str
    purpose: str
    keeping: str
    used_by: str
    code: str
    edition: str
    effective: str
    fingerprint: str
    page_of: str
    scan_hint: str
    where_in_force: str  # printed instead of the QR code when the site's address is unknown
    print: str
    print_view: str
    pdf: str
    pdf_fillable: str
    docx: str
    xlsx: str
    version_current: str
    version_outdated: str
    sheet_standards: str
    sheet_checks: str
    col_chapter: str
    col_id: str
    col_title: str
    col_text: str
    col_frequency: str
    col_responsible: str
    col_basis: str
    col_inspection: str
    col_veto: str
    col_tags: str
    yes: str
    list_sep: str
    item_sep: str

    @classmethod
    def of(cls, handbook: Handbook) -> FormLabels:
        return cls(**{f.name: handbook.label(f"forms.{f.name}") for f in dataclasses.fields(cls)})


@dataclasses.dataclass(frozen=True, kw_only=True)
class DocInfo:
    """What every form says about the handbook it comes from."""

    title: str
    short_title: str
    issuer: str
    lang: str  # BCP 47 tag for <html lang>, e.g. zh-CN (Noto CJK picks glyph forms by it)
    edition_id: str
    edition_label: str
    effective: str  # ISO date
    disclaimer: str  # plain text


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChecklistRow:
    number: int
    text: str
    standard_id: str
    standard_title: str
    methods: str
    evidence: str
    veto: bool
    field: str  # base name of the fillable PDF fields of this row


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChecklistView:
    chapter_id: str
    chapter_title: str
    rows: tuple[ChecklistRow, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ScoreRow:
    number: int
    text: str
    standard_id: str
    standard_title: str
    points: int
    veto: bool
    field: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ScoreGroup:
    chapter_id: str
    title: str
    rows: tuple[ScoreRow, ...]
    subtotal: int
    field: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class LevelRow:
    stars: int
    stars_text: str
    label: str
    min_score: int
    range_text: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class VetoRow:
    standard_id: str
    title: str
    field: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ScoringView:
    groups: tuple[ScoreGroup, ...]
    total: int
    levels: tuple[LevelRow, ...]
    vetoes: tuple[VetoRow, ...]
    veto_note: str
    groups_note: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordField:
    label: str
    lines: int
    hint: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordColumn:
    label: str
    width: float  # percent of the table width


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordView:
    template_id: str
    purpose: str
    keeping: str
    fields: tuple[RecordField, ...]
    number_column: RecordColumn | None  # the register's first column, holding the row numbers
    columns: tuple[RecordColumn, ...]  # the register's other columns, left blank
    rows: tuple[int, ...]  # the numbers of the blank register rows
    used_by: tuple[str, ...]  # "SHYK-01 按期召开支部党员大会"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Form:
    """One printable form: a chapter's checklist, the scoring sheet or a record-book form."""

    slug: str  # ASCII file stem: checklist-<chapter>, scoring-sheet, record-<template>
    code: str  # printed form code
    title: str
    kind: str  # "checklist" | "scoring" | "record"
    fingerprint: str  # hash of everything below plus RENDERER_VERSION
    doc: DocInfo
    labels: FormLabels
    standards: tuple[str, ...]  # IDs of the standards the form shows
    checklist: ChecklistView | None = None
    scoring: ScoringView | None = None
    record: RecordView | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class StandardsTable:
    """The rows of standards.xlsx: one per standard and one per checklist item."""

    doc: DocInfo
    labels: FormLabels
    standards: tuple[tuple[str | int, ...], ...]
    checks: tuple[tuple[str | int, ...], ...]
    fingerprint: str


def forms(handbook: Handbook) -> list[Form]:
    """Every form of the handbook: checklists by chapter, the scoring sheet, the record forms."""
    doc = doc_info(handbook)
    labels = FormLabels.of(handbook)
    built = [_checklist(handbook, chapter, doc, labels) for chapter in handbook.chapters if chapter.standards]
    built.append(_scoring(handbook, doc, labels))
    built += [_record(handbook, template, doc, labels) for template in handbook.templates]
    return [_with_fingerprint(form) for form in built]


def standards_table(handbook: Handbook) -> StandardsTable:
    """The view behind standards.xlsx."""
    labels = FormLabels.of(handbook)
    standards: list[tuple[str | int, ...]] = []
    checks: list[tuple[str | int, ...]] = []
    for chapter, std in handbook.standards():
        standards.append((
            chapter.title, std.id, std.title, plain_text(std.text),
            handbook.term("frequency", std.frequency),
            labels.list_sep.join(handbook.term("role", r) for r in std.responsible),
            labels.item_sep.join(handbook.cite(b) for b in std.basis),
            _evidence(std, labels), _methods(handbook, std, labels), plain_text(std.inspection),
            std.points, labels.yes if std.veto else "", labels.list_sep.join(std.tags),
        ))
        for number, item in enumerate(std.checks, start=1):
            checks.append((chapter.title, std.id, std.title, number, item.text, item.points))
    table = StandardsTable(doc=doc_info(handbook), labels=labels, standards=tuple(standards),
                           checks=tuple(checks), fingerprint="")
    return dataclasses.replace(table, fingerprint=fingerprint_of(table))


def doc_info(handbook: Handbook) -> DocInfo:
    meta, edition = handbook.meta, handbook.edition
    return DocInfo(
        title=meta.title, short_title=meta.short_title or meta.title, issuer=meta.issuer,
        lang=html_lang(meta.language), edition_id=edition.id, edition_label=edition.label,
        effective=edition.effective.isoformat(), disclaimer=plain_text(meta.disclaimer),
    )


def html_lang(language: str) -> str:
    """zh means Simplified Chinese here; Noto CJK falls back to Japanese forms without a region."""
    if language.lower() in ("zh", "zh-hans", "zh-cn"):
        return "zh-CN"
    return language


# Labels only the site pages and the spreadsheet show: a printed form does not change with them.
SITE_ONLY_LABELS = frozenset({
    "index_title", "index_intro", "kind_checklist", "kind_scoring", "kind_record", "col_form", "col_code",
    "col_kind", "col_downloads", "print", "print_view", "pdf", "pdf_fillable", "docx", "xlsx",
    "version_current", "version_outdated", "sheet_standards", "sheet_checks", "col_chapter", "col_id",
    "col_text", "col_frequency", "col_responsible", "col_basis", "col_inspection", "col_veto", "col_tags", "yes",
})


def fingerprint_of(view: Any) -> str:
    """Short hash of a view (its own `fingerprint` field left out) and the renderer version."""
    data = dataclasses.asdict(view)
    data.pop("fingerprint", None)
    if isinstance(view, Form):
        data["labels"] = {k: v for k, v in data["labels"].items() if k not in SITE_ONLY_LABELS}
    text = json.dumps([RENDERER_VERSION, data], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def source_date(effective: str) -> datetime.datetime:
    """The date stamped into generated files (naive UTC, as zip and docx metadata want it)."""
    return build_time(datetime.date.fromisoformat(effective)).replace(tzinfo=None)


_CONTROL = {code: None for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}


def xml_safe(text: str) -> str:
    """Text without the control characters XML cannot carry (YAML lets "\\a" or "\\x00" through)."""
    return text.translate(_CONTROL)


def plain_text(source: str) -> str:
    """Markdown as the plain text a reader sees: forms print words, not markup."""
    if not source.strip():
        return ""
    if paragraphs_only(source):  # what the conversion below gives, without it
        return " ".join(STRONG.sub(r"\1", source).split())
    return _converted_text(source)


def _converted_text(source: str) -> str:
    parser = _TextExtractor()
    parser.feed(_markdown().reset().convert(source))
    parser.close()
    return " ".join("".join(parser.parts).split())


@functools.cache
def _markdown() -> markdown.Markdown:
    """One converter per process: building one per call costs more than converting a paragraph."""
    return markdown.Markdown()


class _TextExtractor(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# --- builders ---------------------------------------------------------------------------------


def _checklist(handbook: Handbook, chapter: Chapter, doc: DocInfo, labels: FormLabels) -> Form:
    rows: list[ChecklistRow] = []
    for std in chapter.standards:
        methods, evidence = _methods(handbook, std, labels), _evidence(std, labels)
        for item in std.checks:
            number = len(rows) + 1
            rows.append(ChecklistRow(number=number, text=item.text, standard_id=std.id, standard_title=std.title,
                                     methods=methods, evidence=evidence, veto=std.veto, field=f"item-{number}"))
    return Form(
        slug=f"checklist-{chapter.id}", code=f"CL-{chapter.id.upper()}",
        title=labels.checklist_title.replace("{chapter}", chapter.title), kind="checklist",
        fingerprint="", doc=doc, labels=labels, standards=tuple(s.id for s in chapter.standards),
        checklist=ChecklistView(chapter_id=chapter.id, chapter_title=chapter.title, rows=tuple(rows)),
    )


def _scoring(handbook: Handbook, doc: DocInfo, labels: FormLabels) -> Form:
    groups = []
    number = 0
    for chapter in handbook.chapters:
        rows = []
        for std in chapter.standards:
            for item in std.checks:
                number += 1
                rows.append(ScoreRow(number=number, text=item.text, standard_id=std.id, standard_title=std.title,
                                     points=item.points, veto=std.veto, field=f"score-{number}"))
        if rows:
            groups.append(ScoreGroup(chapter_id=chapter.id, title=chapter.title, rows=tuple(rows),
                                     subtotal=sum(r.points for r in rows), field=f"subtotal-{chapter.id}"))
    rating = handbook.rating
    levels = []
    for i, level in enumerate(rating.levels):
        if i == 0:
            text = labels.score_at_least.replace("{min}", str(level.min_score))
        else:
            upper = rating.levels[i - 1].min_score - 1
            text = labels.score_range.replace("{min}", str(level.min_score)).replace("{max}", str(upper))
        levels.append(LevelRow(stars=level.stars, stars_text="★" * level.stars, label=level.label,
                               min_score=level.min_score, range_text=text))
    vetoes = tuple(VetoRow(standard_id=std.id, title=std.title, field=f"veto-{std.id}")
                   for _, std in handbook.standards() if std.veto)
    veto_note = plain_text(rating.veto_note) or labels.veto_default.replace("{stars}", str(rating.veto_max_stars))
    scoring = ScoringView(groups=tuple(groups), total=sum(g.subtotal for g in groups), levels=tuple(levels),
                          vetoes=vetoes, veto_note=veto_note, groups_note=plain_text(rating.groups_note))
    return Form(slug="scoring-sheet", code="SC-RATING", title=labels.scoring_title, kind="scoring",
                fingerprint="", doc=doc, labels=labels,
                standards=tuple(std.id for _, std in handbook.standards()), scoring=scoring)


def _record(handbook: Handbook, template: RecordTemplate, doc: DocInfo, labels: FormLabels) -> Form:
    users = [std for _, std in handbook.standards() if any(e.template == template.id for e in std.evidence)]
    columns = template.columns
    # A register whose first column is already "序号" gets the numbers there, not a second one.
    own_number = bool(columns) and columns[0].label.strip() == labels.col_no
    total_width = sum(max(c.width, 1) for c in columns) or 1
    share = 100 if own_number else 93
    widths = _fit_headings([share * max(c.width, 1) / total_width for c in columns],
                           [c.label for c in columns], doc.lang)
    number_column = None
    if columns:
        number_column = (RecordColumn(label=columns[0].label, width=widths[0]) if own_number
                         else RecordColumn(label=labels.col_no, width=7))
    blank = [RecordColumn(label=c.label, width=w) for c, w in zip(columns, widths, strict=True)]
    if own_number:
        blank = blank[1:]
    record = RecordView(
        template_id=template.id, purpose=plain_text(template.purpose), keeping=template.keeping,
        fields=tuple(RecordField(label=f.label, lines=max(f.lines, 1), hint=f.hint)
                     for f in template.fields),
        number_column=number_column, columns=tuple(blank),
        rows=tuple(range(1, template.rows + 1)) if columns else (),
        used_by=tuple(f"{std.id} {std.title}" for std in users),
    )
    return Form(slug=f"record-{template.id}", code=template.id, title=template.title, kind="record",
                fingerprint="", doc=doc, labels=labels, standards=tuple(std.id for std in users), record=record)


# A register's table on A4: 184 mm wide; a heading cell has 2.4 mm of padding; in Noto Sans SC Bold
# at 9 pt a Latin letter is at most about 0.72 em and the hyphen a full 1 em. Estimates on the
# generous side: a column a little too wide costs nothing, one too narrow cuts a word with no hyphen.
_EM_MM = 9 * 25.4 / 72
_TABLE_MM, _PADDING_MM, _LETTER_MM, _HYPHEN_MM = 184, 2.6, 0.72 * _EM_MM, 1.0 * _EM_MM


def _fit_headings(widths: list[float], labels: list[str], lang: str) -> list[float]:
    """Column widths (percent) widened where a heading's longest syllable would not fit.

    Forms hyphenate by `lang`: a heading breaks between syllables, so a column must hold the
    longest syllable and its hyphen; the other columns give up the difference, in proportion.
    Languages without hyphenation patterns (Chinese) keep the widths as written.
    """
    import pyphen

    language = pyphen.language_fallback(lang.replace("-", "_"))
    if language is None or not widths:
        return [round(w, 1) for w in widths]
    words = pyphen.Pyphen(lang=language)

    def need(label: str) -> float:
        widest = 0.0
        for word in label.split():
            cuts = [0, *words.positions(word), len(word)]
            widest = max(widest, *((b - a) * _LETTER_MM + (_HYPHEN_MM if b < len(word) else 0)
                                   for a, b in itertools.pairwise(cuts)))
        return 100 * (widest + _PADDING_MM) / _TABLE_MM

    needs = [need(label) for label in labels]
    short = sum(max(n - w, 0) for n, w in zip(needs, widths, strict=True))
    slack = sum(max(w - n, 0) for n, w in zip(needs, widths, strict=True))
    if short == 0 or slack < short:  # nothing to fit, or it cannot fit: keep the editor's widths
        return [round(w, 1) for w in widths]
    return [round(n if n >= w else w - (w - n) * short / slack, 1) for n, w in zip(needs, widths, strict=True)]


def _with_fingerprint(form: Form) -> Form:
    return dataclasses.replace(form, fingerprint=fingerprint_of(form))


def _methods(handbook: Handbook, std: Standard, labels: FormLabels) -> str:
    return labels.list_sep.join(handbook.term("method", m) for m in std.methods)


def _evidence(std: Standard, labels: FormLabels) -> str:
    return labels.item_sep.join(e.text for e in std.evidence)
