"""What changed between two editions, standard by standard, matched by stable ID.

Renames, splits and merges are not guessed: the new edition declares them
(`replaces`, `split_from`, `merges`); removals take their reason from `edition.retired`.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import functools
import re

from generator.model import Handbook, Standard
from generator.model.labels import fill
from generator.render import search


class ChangeKind(enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    MOVED = "moved"
    RENAMED = "renamed"
    SPLIT = "split"
    MERGED = "merged"


# Fields compared one by one, in the order readers see them on a standard's page.
COMPARED_FIELDS = ("title", "text", "frequency", "responsible", "points", "veto", "basis", "evidence",
                   "methods", "checks", "inspection", "related", "tags")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Segment:
    """A run of words that both texts share (`=`), only the old has (`-`) or only the new has (`+`)."""

    op: str
    text: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class FieldChange:
    field: str
    old: str
    new: str
    words: tuple[Segment, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Change:
    """One change of one standard.

    id is the standard's ID in the new edition (for removed and split: in the old one).
    old_ids are the old edition's IDs it came from (renamed: one; merged: several).
    new_ids are the new edition's IDs (split: the parts).
    """

    kind: ChangeKind
    id: str
    old: Standard | None = None
    new: Standard | None = None
    old_chapter: str = ""
    new_chapter: str = ""
    old_ids: tuple[str, ...] = ()
    new_ids: tuple[str, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    reason: str = ""

    @property
    def before(self) -> Standard:
        """The standard as the old edition has it (every kind but added and merged)."""
        if self.old is None:
            raise ValueError(f"a {self.kind.value} change has no old standard")
        return self.old

    @property
    def after(self) -> Standard:
        """The standard as the new edition has it (every kind but removed and split)."""
        if self.new is None:
            raise ValueError(f"a {self.kind.value} change has no new standard")
        return self.new


def diff_editions(old: Handbook, new: Handbook) -> list[Change]:
    """Every change from old to new, in the order of the new edition (removals last)."""
    old_home = {std.id: (chapter.id, std) for chapter, std in old.standards()}
    new_home = {std.id: (chapter.id, std) for chapter, std in new.standards()}
    reasons = {r.id: r.reason for r in new.edition.retired}
    accounted: set[str] = set()  # old IDs whose fate a declaration explains
    changes: list[Change] = []
    splits: dict[str, list[str]] = {}
    for _, std in new.standards():
        if std.split_from and std.split_from in old_home:
            splits.setdefault(std.split_from, []).append(std.id)
    # A declaration stays in the YAML after its edition: it only counts while it explains something new,
    # i.e. while some part of the split, or some merged source, is new in this diff.
    splits = {source: parts for source, parts in splits.items() if any(p not in old_home for p in parts)}
    successors = _successors(new, old_home, new_home, splits)

    for chapter, std in new.standards():
        merged = _merge_sources(std, old_home, new_home)
        if merged:
            accounted.update(merged)
            changes.append(Change(kind=ChangeKind.MERGED, id=std.id, new=std, new_chapter=chapter.id,
                                  old_ids=merged, old_chapter=old_home[merged[0]][0]))
        elif std.split_from in splits:
            if splits[std.split_from][0] == std.id:  # one entry per split, at its first part
                old_chapter, before = old_home[std.split_from]
                accounted.add(std.split_from)
                changes.append(Change(kind=ChangeKind.SPLIT, id=std.split_from, old=before,
                                      old_chapter=old_chapter, new_chapter=chapter.id,
                                      new_ids=tuple(splits[std.split_from])))
        elif std.replaces in old_home and std.id not in old_home:
            old_chapter, before = old_home[std.replaces]
            accounted.add(std.replaces)
            changes.append(Change(kind=ChangeKind.RENAMED, id=std.id, old=before, new=std,
                                  old_chapter=old_chapter, new_chapter=chapter.id, old_ids=(std.replaces,),
                                  fields=compare_standards(old, before, new, std, successors)))
        elif std.id in old_home:
            old_chapter, before = old_home[std.id]
            if old_chapter != chapter.id:
                changes.append(Change(kind=ChangeKind.MOVED, id=std.id, old=before, new=std,
                                      old_chapter=old_chapter, new_chapter=chapter.id))
            fields = compare_standards(old, before, new, std, successors)
            if fields:
                changes.append(Change(kind=ChangeKind.MODIFIED, id=std.id, old=before, new=std,
                                      old_chapter=old_chapter, new_chapter=chapter.id, fields=fields))
        else:
            changes.append(Change(kind=ChangeKind.ADDED, id=std.id, new=std, new_chapter=chapter.id))

    for chapter, std in old.standards():
        if std.id not in new_home and std.id not in accounted:
            changes.append(Change(kind=ChangeKind.REMOVED, id=std.id, old=std, old_chapter=chapter.id,
                                  reason=reasons.get(std.id, "")))
    return changes


def _merge_sources(std: Standard, old_home: dict, new_home: dict) -> tuple[str, ...]:
    """The old standards merged into std in this diff; the merged one may keep one of their IDs."""
    sources = tuple(m for m in std.merges if m in old_home and (m == std.id or m not in new_home))
    return sources if any(m != std.id for m in sources) else ()


def _successors(new: Handbook, old_home: dict, new_home: dict,
                splits: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Old ID -> the new IDs that carry it on, as the new edition declares (renamed, merged, split)."""
    result: dict[str, tuple[str, ...]] = {source: tuple(parts) for source, parts in splits.items()}
    for _, std in new.standards():
        if std.replaces in old_home and std.id not in old_home:
            result[std.replaces] = (std.id,)
        for source in _merge_sources(std, old_home, new_home):
            result[source] = (std.id,)
    return result


def compare_standards(old_book: Handbook, old: Standard, new_book: Handbook, new: Standard,
                      successors: dict[str, tuple[str, ...]] | None = None) -> tuple[FieldChange, ...]:
    """The fields that differ, each with a word-level diff of its text.

    successors: old ID -> new IDs; a reference to a renamed, merged or split standard is not a change
    when it now points to the standard that carries it on.
    """
    if successors:
        related: list[str] = []
        for ref in old.related:
            carried = successors.get(ref, (ref,))
            for target in [t for t in carried if t in new.related] or list(carried):
                if target not in related:
                    related.append(target)
        old = dataclasses.replace(old, related=tuple(related))
    result = []
    for name in COMPARED_FIELDS:
        before, after = field_text(old_book, old, name), field_text(new_book, new, name)
        if before != after:
            result.append(FieldChange(field=name, old=before, new=after, words=word_diff(before, after)))
    return tuple(result)


def field_text(handbook: Handbook, std: Standard, name: str) -> str:
    """A field as readers see it (vocabulary labels, not IDs), so a diff shows words they know."""
    sep = handbook.label("list_sep")
    colon = handbook.label("colon")
    value = getattr(std, name)
    if name == "frequency":
        return handbook.term("frequency", value)
    if name == "responsible":
        return sep.join(handbook.term("role", r) for r in value)
    if name == "methods":
        return sep.join(handbook.term("method", m) for m in value)
    if name == "basis":
        return "\n".join(b.citation(handbook.label("article_sep")) + (colon + b.note if b.note else "")
                         for b in value)
    if name == "evidence":
        return "\n".join(e.text + (f" [{e.template}]" if e.template else "") for e in value)
    if name == "checks":
        points = handbook.label("points_value")
        return "\n".join(f"{c.text} ({fill(points, points=str(c.points))})" for c in value)
    if name in ("related", "tags"):
        return sep.join(value)
    if name == "veto":
        return handbook.label("veto") if value else "—"
    if name in ("text", "inspection"):
        return reading_text(value)
    return str(value).strip()


def reading_text(markdown: str) -> str:
    """Markdown text without its emphasis marks: bold is formatting, not a change of the rule."""
    return markdown.replace("**", "").strip()


_LATIN_WORD = re.compile(r"[A-Za-z0-9_.\-]+|\s+|.", re.DOTALL)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@functools.cache
def _jieba():
    # A tokenizer of our own: the site loads its domain terms into jieba's global one, and a diff
    # must come out the same whether or not a site was built first in the same process.
    return search.tokenizer("")


def tokens(text: str) -> list[str]:
    """Words of a text: jieba's segmentation for Chinese, words and spaces for the rest."""
    if _HAN.search(text):
        return list(_jieba().cut(text, HMM=False))
    return _LATIN_WORD.findall(text)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """old → new as runs of kept, deleted and inserted words."""
    a, b = tokens(old), tokens(new)
    segments: list[Segment] = []

    def add(op: str, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op=op, text=segments[-1].text + text)
        else:
            segments.append(Segment(op=op, text=text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("=", a[i1:i2])
        else:
            add("-", a[i1:i2])
            add("+", b[j1:j2])
    return tuple(segments)


def counts(changes: list[Change]) -> dict[ChangeKind, int]:
    """How many changes of each kind, every kind listed, in ChangeKind order."""
    return {kind: sum(1 for c in changes if c.kind is kind) for kind in ChangeKind}


# A removed and an added standard whose title and text agree this much are most likely one standard
# given a new ID without `replaces:` (difflib's ratio over characters, which suits Chinese).
RENAME_SIMILARITY = 0.8


def likely_renames(changes: list[Change]) -> list[tuple[Change, Change]]:
    """(removed, added) pairs that look like one standard renamed without declaring it.

    A removal with a reason in `edition.retired` was meant, and is never paired.
    """
    added = [c for c in changes if c.kind is ChangeKind.ADDED]
    pairs = []
    for gone in (c for c in changes if c.kind is ChangeKind.REMOVED and not c.reason):
        scored = [(_similarity(gone.before, c.after), c) for c in added]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best and best[0] >= RENAME_SIMILARITY:
            pairs.append((gone, best[1]))
            added.remove(best[1])
    return pairs


def _similarity(old: Standard, new: Standard) -> float:
    def words(std: Standard) -> str:
        return std.title.strip() + "\n" + reading_text(std.text)

    return difflib.SequenceMatcher(None, words(old), words(new), autojunk=False).ratio()
