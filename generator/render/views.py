"""View objects: what a page shows, computed once, so templates only place it."""

from __future__ import annotations

import dataclasses
import functools
import posixpath
import re

from generator.model import Chapter, Handbook, RecordTemplate, Standard

# Where each generated page lives, relative to docs/. Plain .md paths keep the output
# portable: any Markdown generator resolves them.
HOME = "index.md"
OVERVIEW = "overview.md"
GLOSSARY = "glossary.md"
RATING = "rating.md"
# Not "templates/": MkDocs excludes that folder from docs by default.
TEMPLATES_INDEX = "record-books/index.md"
FORMS_INDEX = "forms/index.md"


def chapter_path(chapter_id: str) -> str:
    return f"chapters/{chapter_id}.md"


def template_path(template_id: str) -> str:
    return f"record-books/{template_id}.md"


def form_path(slug: str) -> str:
    return f"forms/{slug}.md"


def href(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link from one generated page to another (and an anchor in it)."""
    target = "" if to_page == from_page else _relative(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


@functools.lru_cache(maxsize=4096)  # a big handbook links the same few pages thousands of times
def _relative(path: str, start: str) -> str:
    return posixpath.relpath(path, start)


def cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def heading(text: str) -> str:
    """Text made safe for a Markdown heading that ends in an attribute list { #id }."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


def strong(text: str) -> str:
    """A label in bold Markdown; its own spaces stay outside the markers, or `**` would show as text."""
    core = text.strip()
    if not core:
        return text
    escaped = re.sub(r"([\\`*_\[\]<])", r"\\\1", core)
    start = text.index(core[0])
    return f"{text[:start]}**{escaped}**{text[start + len(core):]}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Link:
    text: str
    href: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class StandardView:
    id: str
    title: str
    text: str
    frequency: str
    responsible: str
    basis: list[str]
    evidence: list[Link]
    methods: str
    inspection: str
    points: int
    veto: bool
    checks: list[tuple[int, str, int]]
    related: list[Link]
    tags: str
    history: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChapterView:
    number: int
    id: str
    title: str
    summary: str
    path: str
    standards: list[StandardView]


class Views:
    """Builds view objects for one handbook; knows where every standard and template lives."""

    def __init__(self, handbook: Handbook, history: dict[str, str] | None = None):
        self.handbook = handbook
        self.history = history or {}
        self.home_of = {std.id: chapter.id for chapter, std in handbook.standards()}
        self.templates = {t.id: t for t in handbook.templates}
        self.number_of = {chapter.id: i for i, chapter in enumerate(handbook.chapters, start=1)}
        self.users_of: dict[str, list[str]] = {}  # template ID -> IDs of the standards it is evidence for
        for _, std in handbook.standards():
            for template_id in dict.fromkeys(e.template for e in std.evidence if e.template):
                self.users_of.setdefault(template_id, []).append(std.id)

    def standard_link(self, from_page: str, std_id: str) -> Link:
        chapter = self.home_of[std_id]
        return Link(text=std_id, href=href(from_page, chapter_path(chapter), std_id))

    def standard(self, std: Standard, page: str) -> StandardView:
        hb = self.handbook
        return StandardView(
            id=std.id, title=std.title, text=std.text.strip(),
            frequency=hb.term("frequency", std.frequency),
            responsible=self._join(hb.term("role", r) for r in std.responsible),
            basis=[hb.cite(b) + (hb.label("colon") + b.note if b.note else "")
                   for b in std.basis],
            evidence=[Link(text=e.text, href=href(page, template_path(e.template)) if e.template else "")
                      for e in std.evidence],
            methods=self._join(hb.term("method", m) for m in std.methods),
            inspection=std.inspection.strip(),
            points=std.points, veto=std.veto,
            checks=[(i, item.text, item.points) for i, item in enumerate(std.checks, start=1)],
            related=[self.standard_link(page, r) for r in std.related],
            tags=self._join(std.tags),
            history=self.history.get(std.id, ""),
        )

    def chapter(self, chapter: Chapter) -> ChapterView:
        page = chapter_path(chapter.id)
        return ChapterView(number=self.number_of[chapter.id], id=chapter.id, title=chapter.title,
                           summary=chapter.summary.strip(), path=page,
                           standards=[self.standard(s, page) for s in chapter.standards])

    def template_users(self, template: RecordTemplate, page: str) -> list[Link]:
        return [self.standard_link(page, std_id) for std_id in self.users_of.get(template.id, [])]

    def _join(self, parts) -> str:
        return self.handbook.label("list_sep").join(parts)
