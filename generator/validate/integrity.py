"""Checks across files: unique IDs, references that resolve, points that add up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.errors import Place, Problem, closest, did_you_mean
from generator.load.yaml import Node
from generator.messages import say
from generator.model import Handbook, Standard


class Located:
    """Where each model object came from, so cross-file checks can name a line and column.

    A file's nodes may be a stored file's (validate/stored.py): its tree is decoded only when a
    problem is placed in it.
    """

    def __init__(self) -> None:
        self._where: dict[int, tuple[str, Mapping[int, Node], int]] = {}
        self._pending: list[tuple[str, Mapping[int, Node]]] = []  # files not yet indexed
        self._aliases: dict[int, object] = {}  # id(new) -> the object it stands for (kept alive)

    def add(self, path: str, nodes: Mapping[int, Node]) -> None:
        # Indexed at the first question: a load without problems never asks, and then never lists
        # the objects of 5,000 stored standards.
        self._pending.append((path, nodes))

    def alias(self, new: object, old: object) -> None:
        self._aliases[id(new)] = old

    def _entry(self, obj: object) -> tuple[str, Mapping[int, Node], int]:
        while id(obj) in self._aliases:
            obj = self._aliases[id(obj)]
        if self._pending and id(obj) not in self._where:
            for path, nodes in self._pending:
                for key in nodes:
                    self._where[key] = (path, nodes, key)
            self._pending.clear()
        return self._where[id(obj)]

    def path(self, obj: object) -> str:
        return self._entry(obj)[0]

    def node(self, obj: object) -> Node:
        _, nodes, key = self._entry(obj)
        return nodes[key]

    def field(self, obj: object, name: str, index: int | None = None) -> Node:
        node = self.node(obj)
        entry = node.value.get(name)
        if entry is None:
            return node
        value = entry[1]
        if index is not None and value.is_seq and index < len(value.value):
            return value.value[index]
        return value

    def place(self, obj: object, name: str | None = None, index: int | None = None) -> Place:
        """Where `obj` (or its field `name`, or that field's item `index`) is written."""
        return Place.of(self.path(obj), self.field(obj, name, index) if name else self.node(obj))

    def problem(self, obj: object, name: str | None, message: str, hint: str, index: int | None = None) -> Problem:
        return Problem.at(self.place(obj, name, index), message, hint)

    def at(self, obj: object) -> str:
        return str(self.place(obj))


RESERVED_IDS = {"index"}  # index.md is each section's own page
MAX_ROWS = 200  # blank rows in a register; more is a typo that would print a book
MAX_LINES = 40  # writing lines for one field


def check_integrity(handbook: Handbook, located: Located, *, complete: bool = True) -> list[Problem]:
    """Cross-file checks; with complete=False (some file failed) only those that stay true."""
    problems: list[Problem] = []
    standards = [std for _, std in handbook.standards()]
    vocab = handbook.vocabulary
    problems += _unique(located, "chapter", handbook.chapters, "id", key="chapter")
    problems += _unique(located, "standard", standards, "id")
    problems += _unique(located, "template", handbook.templates, "id")
    problems += _unique(located, "glossary_term", handbook.glossary, "id")
    for kind, terms in (("frequency", vocab.frequencies), ("role", vocab.roles), ("method", vocab.methods)):
        problems += _unique(located, kind, terms, "id")

    known = {
        "frequency": [t.id for t in vocab.frequencies],
        "role": [t.id for t in vocab.roles],
        "method": [t.id for t in vocab.methods],
        "standard": [s.id for s in standards],
        "template": [t.id for t in handbook.templates],
    }

    known_sets = {kind: set(ids) for kind, ids in known.items()}  # 5,000 standards: look up, not scan

    def ref(obj: object, owner: str | Standard, field: str, kind: str, value: str, index: int | None = None) -> None:
        if value in known_sets[kind] or (not complete and kind in ("standard", "template")):
            return
        if isinstance(owner, Standard):  # named only when there is a problem to word: 5,000 say() calls less
            owner = f"{say('kind.standard')} {owner.id}"
        hint = did_you_mean(value, known[kind], cutoff=0.5,
                            otherwise=say("integrity.no_such_id", kind=say("kind." + kind)))
        if kind in ("frequency", "role", "method"):
            near = closest(value, known[kind], cutoff=0.5) is not None
            hint = say("integrity.vocabulary.hint" if near else "integrity.vocabulary.hint_after_semicolon",
                       hint=hint, defined=say(f"integrity.{kind}_ids", ids=", ".join(known[kind])))
        problems.append(Problem.unknown_reference(located.place(obj, field, index), kind=kind, value=value,
                                                  owner=owner, hint=hint))

    cited: list[str] = []
    for source in handbook.meta.sources:
        if source.document in cited:
            problems.append(located.problem(source, "document", say("integrity.source_twice", document=source.document),
                                            say("integrity.source_twice.hint")))
        cited.append(source.document)
    cited_set = set(cited)
    # Each reference of 5,000 standards is looked up in C (issuperset); ref words the problems of the few
    # that miss, item by item.
    frequencies, roles, methods, ids = (known_sets[k] for k in ("frequency", "role", "method", "standard"))
    for std in standards:
        if std.frequency not in frequencies:
            ref(std, std, "frequency", "frequency", std.frequency)
        if not roles.issuperset(std.responsible):
            for i, role in enumerate(std.responsible):
                ref(std, std, "responsible", "role", role, i)
        if not methods.issuperset(std.methods):
            for i, method in enumerate(std.methods):
                ref(std, std, "methods", "method", method, i)
        if std.related and not (ids.issuperset(std.related) and std.id not in std.related):
            for i, rel in enumerate(std.related):
                ref(std, std, "related", "standard", rel, i)
                if rel == std.id:
                    problems.append(located.problem(std, "related", say("integrity.related_self", id=std.id),
                                                    say("integrity.related_self.hint"), i))
        if handbook.meta.sources:
            for basis in std.basis:
                if basis.document not in cited_set:
                    problems.append(located.problem(
                        basis, "document", say("integrity.basis_not_cited", document=basis.document, id=std.id),
                        did_you_mean(basis.document, cited, otherwise=say("integrity.basis_not_cited.hint"))))
        for evidence in std.evidence:
            if evidence.template:
                ref(evidence, std, "template", "template", evidence.template)
        total = sum(item.points for item in std.checks)
        if total != std.points:
            problems.append(located.problem(
                std, "points", say("integrity.check_points", id=std.id, total=total, points=std.points),
                say("integrity.check_points.hint")))
        for item in std.checks:
            if item.points < 0:
                problems.append(located.problem(item, "points", say("integrity.negative_points", id=std.id),
                                                say("integrity.negative_points.hint")))
    for term in handbook.glossary:
        for i, see in enumerate(term.see):
            ref(term, f"{say('kind.glossary_term')} {term.id}", "see", "standard", see, i)
    for template in handbook.templates:
        if not template.fields and not template.columns:
            problems.append(located.problem(template, None, say("integrity.template_empty", id=template.id),
                                            say("integrity.template_empty.hint")))
        if not 1 <= template.rows <= MAX_ROWS:
            problems.append(located.problem(template, "rows", say("integrity.rows", id=template.id, rows=template.rows),
                                            say("integrity.rows.hint", limit=MAX_ROWS)))
        for i, field in enumerate(template.fields):
            if not 1 <= field.lines <= MAX_LINES:
                problems.append(located.problem(
                    field, "lines", say("integrity.lines", label=field.label, id=template.id, lines=field.lines),
                    say("integrity.lines.hint", limit=MAX_LINES)))

    rating = handbook.rating
    grand_total = sum(s.points for s in standards)
    if complete and grand_total != rating.total:
        problems.append(located.problem(
            rating, "total", say("integrity.total", sum=grand_total, total=rating.total),
            say("integrity.total.hint",
                chapters=", ".join(f"{c.id} {sum(s.points for s in c.standards)}" for c in handbook.chapters))))
    scores = [level.min_score for level in rating.levels]
    if scores != sorted(scores, reverse=True) or any(s > rating.total for s in scores):
        problems.append(located.problem(rating, "levels", say("integrity.levels"), say("integrity.levels.hint")))
    problems += _check_calendar(handbook, located)
    current = {s.id for s in standards}
    for retired in handbook.edition.retired:
        if retired.id in current:
            problems.append(located.problem(retired, "id", say("integrity.retired_present", id=retired.id),
                                            say("integrity.retired_present.hint")))
    return problems


PERIODS = (1, 3, 6, 12)  # months between occurrences the annual plan can place
CALENDAR_RANGES = {"day": (1, 28), "quarter_month": (1, 3), "half_year_month": (1, 6), "year_month": (1, 12),
                   "reminder_days": (0, 60)}


def _check_calendar(handbook: Handbook, located: Located) -> list[Problem]:
    problems = []
    for term in handbook.vocabulary.frequencies:
        if term.months and term.months not in PERIODS:
            problems.append(located.problem(
                term, "months", say("integrity.months", id=term.id, months=term.months), say("integrity.months.hint")))
    calendar = handbook.calendar
    for name, (low, high) in CALENDAR_RANGES.items():
        value = getattr(calendar, name)
        if not low <= value <= high:
            hint = say("integrity.calendar_day.hint" if name == "day" else "integrity.calendar.hint", low=low, high=high)
            problems.append(located.problem(calendar, name, say("integrity.calendar", name=name, value=value, low=low,
                                                                high=high), hint))
    return problems


def _unique(located: Located, kind: str, objects: Iterable[object], attr: str, key: str = "") -> list[Problem]:
    problems = []
    first: dict[str, object] = {}
    for obj in objects:
        value = getattr(obj, attr)
        folded = value.casefold()  # IDs become file names, and Windows shares ignore case
        if folded in RESERVED_IDS:
            problems.append(located.problem(obj, key or attr, say("integrity.reserved", kind=say("kind." + kind),
                                                                  value=value), say("integrity.reserved.hint")))
        elif folded in first:
            other = first[folded]
            same = getattr(other, attr) == value
            problems.append(Problem.duplicate_id(located.place(obj, key or attr), kind=kind, value=value,
                                                 other=located.at(other), case_only=not same))
        else:
            first[folded] = obj
    return problems
