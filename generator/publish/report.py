"""The change report: as text, JSON and HTML for `handbook diff`, and as site pages
(修订说明, 修订对照表, one history line per standard) for the edition in force."""

from __future__ import annotations

import dataclasses
import html
import itertools
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

from generator.messages import DEFAULT, current, say, supported
from generator.model import Handbook
from generator.model.labels import fill, labels_for
from generator.publish.changes import (
    Change,
    ChangeKind,
    FieldChange,
    counts,
    diff_editions,
    likely_renames,
    reading_text,
    word_diff,
)
from generator.publish.forwarding import forwarding
from generator.render import views as v
from generator.render.jinja import render

CHANGES_PAGE = "changes.md"
COMPARISON_PAGE = "comparison.md"
COMPARISON_PDF = "comparison.pdf"

# Words of the change report. A handbook may override any of them under `labels:` (same keys).
def labels(handbook: Handbook) -> dict[str, str]:
    """The report's words in the handbook's language, with the handbook's own overrides.

    A snapshot keeps the labels of its day; the locale fills in any that came later.
    """
    return {**labels_for(handbook.meta.language, {})[0], **handbook.labels}


def banner_labels(handbook: Handbook) -> dict[str, str]:
    """The words of the superseded-edition banner, for the theme."""
    L = labels(handbook)
    return {"outdated": L["changes.outdated"], "outdated_link": L["changes.outdated_link"]}


def field_label(L: dict[str, str], name: str) -> str:
    return L["changes.text" if name == "text" else name]


# --- JSON ------------------------------------------------------------------------------------


def change_data(change: Change, old: Handbook, new: Handbook) -> dict[str, Any]:
    """One change as the JSON object that changes.schema.json describes."""
    std = change.new or change.old
    assert std is not None or change.kind is ChangeKind.MERGED
    data: dict[str, Any] = {"kind": change.kind.value, "id": change.id}
    if change.kind is ChangeKind.ADDED:
        data |= {"title": change.after.title, "chapter": change.new_chapter}
    elif change.kind is ChangeKind.REMOVED:
        data |= {"title": change.before.title, "chapter": change.old_chapter, "reason": change.reason}
    elif change.kind is ChangeKind.MODIFIED:
        data |= {"title": change.after.title, "chapter": change.new_chapter, "fields": _fields(change.fields)}
    elif change.kind is ChangeKind.MOVED:
        data |= {"title": change.after.title, "from_chapter": change.old_chapter, "to_chapter": change.new_chapter}
    elif change.kind is ChangeKind.RENAMED:
        data |= {"title": change.after.title, "chapter": change.new_chapter, "replaces": change.old_ids[0],
                 "old_title": change.before.title, "old_chapter": change.old_chapter,
                 "fields": _fields(change.fields)}
    elif change.kind is ChangeKind.SPLIT:
        data |= {"title": change.before.title, "chapter": change.old_chapter, "into": list(change.new_ids)}
    elif change.kind is ChangeKind.MERGED:
        data |= {"title": change.after.title, "chapter": change.new_chapter, "from": list(change.old_ids)}
    return data


def _fields(fields: Sequence[FieldChange]) -> list[dict[str, Any]]:
    return [{"field": f.field, "old": f.old, "new": f.new,
             "diff": [{"op": s.op, "text": s.text} for s in f.words]} for f in fields]


def report_json(changes: list[Change], old: Handbook, new: Handbook) -> str:
    return json.dumps([change_data(c, old, new) for c in changes], ensure_ascii=False, indent=1) + "\n"


# --- text ------------------------------------------------------------------------------------


def report_text(changes: list[Change], old: Handbook, new: Handbook) -> str:
    """A plain report for the terminal: a summary line, then one block per change (its note, then each changed
    field marked [-deleted-] {+added+}), in the words of the 修订说明 page in the language spoken (--lang)."""
    pages = _Pages(old, new, changes, "", None, True)
    if supported(new.meta.language) != current():
        pages.L = labels_for(current() or DEFAULT, {})[0]
    L = pages.L
    tally = counts(changes)
    kinds = L["list_sep"].join(say("diff.kind_count", kind=L[f"changes.{kind.value}"], count=n)
                               for kind, n in tally.items() if n)
    lines = [say("diff.summary_one" if len(changes) == 1 else "diff.summary", old=old.edition.id,
                 new=new.edition.id, count=len(changes)) + (say("diff.kinds", kinds=kinds) if kinds else "")]
    width = max((_width(L[f"changes.{change.kind.value}"]) for change in changes), default=0) + 2
    for change in changes:
        entry = pages.entry(change)
        label = L[f"changes.{change.kind.value}"]
        lines.append(f"{label}{' ' * (width - _width(label))}{entry.id} {entry.title}")
        if entry.note:
            lines.append(f"    {entry.note}")
        for f in change.fields:
            marked = "".join(s.text if s.op == "=" else f"[-{s.text}-]" if s.op == "-" else f"{{+{s.text}+}}"
                             for s in f.words)
            lines.append(f"    {field_label(L, f.field)}{L['colon']}" + marked.replace("\n", "\n      "))
    for gone, added in likely_renames(changes):
        lines.append(say("diff.likely_renamed", old=gone.id, new=added.id))
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --- pages and HTML --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Row:
    """One row of the comparison table: old text | new text, already marked up."""

    heading: str
    old_html: str
    new_html: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Entry:
    kind: str
    id: str
    title: str
    new_link: v.Link | None
    old_links: list[v.Link]
    note: str
    fields: list[_Row]


@dataclasses.dataclass(frozen=True, kw_only=True)
class SiteAdditions:
    """What the editions add to the current edition's site."""

    pages: dict[str, str]
    history: dict[str, str]
    links: tuple[v.Link, ...]
    print_html: str = ""  # the 修订对照表 as a standalone document, for its PDF
    files: dict[str, str] = dataclasses.field(default_factory=dict)  # site path -> text (forwarding.py)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SiteAdditions:
        fields = json.loads(text)
        return cls(**{**fields, "links": tuple(v.Link(**link) for link in fields["links"])})


def _marked(segments, side: str) -> str:
    keep = "=" + side
    tag = "del" if side == "-" else "ins"
    parts = []
    for s in segments:
        if s.op not in keep:
            continue
        text = html.escape(s.text).replace("\n", "<br>")
        parts.append(text if s.op == "=" else f"<{tag}>{text}</{tag}>")
    return "".join(parts)


def _plain(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


class _Pages:
    """View objects for the report pages of one pair of editions."""

    def __init__(self, old: Handbook, new: Handbook, changes: list[Change], page: str, old_base: str | None,
                 directory_urls: bool):
        self.old, self.new, self.changes, self.page = old, new, changes, page
        self.L = labels(new)
        self.old_base = old_base
        self.directory_urls = directory_urls
        self.new_home = {s.id: c.id for c, s in new.standards()}

    def fmt(self, key: str, **kwargs: str) -> str:
        return fill(self.L[key], **kwargs)

    def chapter_title(self, book: Handbook, chapter_id: str) -> str:
        return next((c.title for c in book.chapters if c.id == chapter_id), chapter_id)

    def new_link(self, std_id: str) -> v.Link | None:
        if std_id not in self.new_home:
            return None
        return v.Link(text=self.new.edition.label,
                      href=v.href(self.page, v.chapter_path(self.new_home[std_id]), std_id))

    def old_link(self, std_id: str, chapter_id: str) -> v.Link | None:
        """A plain URL into the published previous edition, beside this one under the same root."""
        if self.old_base is None or not chapter_id:
            return None
        depth = self.page.count("/") + (1 if self.directory_urls else 0)
        page = f"chapters/{chapter_id}/" if self.directory_urls else f"chapters/{chapter_id}.html"
        return v.Link(text=self.old.edition.label, href=f"{'../' * (depth + 1)}{self.old_base}/{page}#{std_id}")

    def old_links(self, c: Change, old_id: str) -> list[v.Link]:
        if c.kind is ChangeKind.ADDED:
            return []
        if c.kind is ChangeKind.MERGED:
            homes = {s.id: ch.id for ch, s in self.old.standards()}
            links = [self.old_link(i, homes.get(i, "")) for i in c.old_ids]
            return [v.Link(text=f"{link.text} {i}", href=link.href) for i, link in zip(c.old_ids, links) if link]
        link = self.old_link(old_id, c.old_chapter)
        return [link] if link else []

    def site_href(self, path: str) -> str:
        """A plain URL to a file at the site's root, from this page as MkDocs publishes it."""
        depth = self.page.count("/") + (1 if self.directory_urls else 0)
        return "../" * depth + path

    def ids(self, ids) -> str:
        return self.L["list_sep"].join(ids)

    def entry(self, c: Change) -> _Entry:
        std = c.new or c.old
        note = ""
        old_id = c.old_ids[0] if c.kind in (ChangeKind.RENAMED,) else c.id
        if c.kind is ChangeKind.REMOVED:
            note = f"{self.L['changes.reason']}{self.L['colon']}{c.reason or self.L['changes.no_reason']}"
        elif c.kind is ChangeKind.MOVED:
            note = self.fmt("changes.moved_from", old=self.chapter_title(self.old, c.old_chapter),
                            new=self.chapter_title(self.new, c.new_chapter))
        elif c.kind is ChangeKind.RENAMED:
            note = self.fmt("changes.renamed_from", old=c.old_ids[0])
        elif c.kind is ChangeKind.SPLIT:
            note = self.fmt("changes.split_into", new=self.ids(c.new_ids))
        elif c.kind is ChangeKind.MERGED:
            note = self.fmt("changes.merged_from", old=self.ids(c.old_ids))
        new_id = c.new_ids[0] if c.kind is ChangeKind.SPLIT else c.id
        return _Entry(
            kind=c.kind.value, id=c.id, title=std.title if std else "", note=note,
            new_link=None if c.kind is ChangeKind.REMOVED else self.new_link(new_id),
            old_links=self.old_links(c, old_id),
            fields=[_Row(heading=field_label(self.L, f.field), old_html=_marked(f.words, "-"),
                         new_html=_marked(f.words, "+")) for f in c.fields],
        )

    def rows(self, c: Change) -> list[_Row]:
        """Old text | new text for the comparison table."""
        old_std = {s.id: s for _, s in self.old.standards()}
        new_std = {s.id: s for _, s in self.new.standards()}

        def whole(book: Handbook, ids) -> str:
            stds = [(old_std if book is self.old else new_std)[i] for i in ids]
            return "<br><br>".join(f"<strong>{_plain(s.id)} {_plain(s.title)}</strong>"
                                   f"<br>{_plain(reading_text(s.text))}" for s in stds)

        if c.kind is ChangeKind.ADDED:
            return [_Row(heading="", old_html="", new_html=whole(self.new, [c.id]))]
        if c.kind is ChangeKind.REMOVED:
            return [_Row(heading="", old_html=whole(self.old, [c.id]), new_html="")]
        if c.kind in (ChangeKind.SPLIT, ChangeKind.MERGED):
            before = c.old_ids if c.kind is ChangeKind.MERGED else (c.id,)
            after = c.new_ids if c.kind is ChangeKind.SPLIT else (c.id,)

            def titles(table, ids) -> str:
                return "<br>".join(f"<strong>{_plain(i)} {_plain(table[i].title)}</strong>" for i in ids)

            words = word_diff("\n".join(reading_text(old_std[i].text) for i in before),
                              "\n".join(reading_text(new_std[i].text) for i in after))
            return [_Row(heading="", old_html=titles(old_std, before), new_html=titles(new_std, after)),
                    _Row(heading=field_label(self.L, "text"), old_html=_marked(words, "-"),
                         new_html=_marked(words, "+"))]
        return self.entry(c).fields

    def context(self) -> dict[str, Any]:
        tally = counts(self.changes)
        return {
            "L": self.L,
            "title": self.L["changes.title"],
            "comparison_title": self.L["changes.comparison_title"],
            "intro": self.fmt("changes.intro", old=self.old.edition.label, new=self.new.edition.label),
            "comparison_intro": self.fmt("changes.comparison_intro", old=self.old.edition.label,
                                         new=self.new.edition.label),
            "summary": self.new.edition.summary.strip(),
            "counts": [{"kind": k.value, "label": self.L[f"changes.{k.value}"], "count": n} for k, n in tally.items()],
            "total": len(self.changes),
            "groups": [{"kind": k.value, "label": self.L[f"changes.{k.value}"],
                        "entries": [self.entry(c) for c in self.changes if c.kind is k]}
                       for k in ChangeKind if tally[k]],
            "table": [{"kind": self.L[f"changes.{c.kind.value}"], "id": c.id, "entry": self.entry(c),
                       "rows": self.rows(c)} for c in self.changes if c.kind is not ChangeKind.MOVED],
            "old_label": self.fmt("changes.old_text", old=self.old.edition.label),
            "new_label": self.fmt("changes.new_text", new=self.new.edition.label),
            "comparison_href": v.href(self.page, COMPARISON_PAGE),
        }


def comparison_html(changes: list[Change], old: Handbook, new: Handbook) -> str:
    """The 修订对照表 as a standalone, print-ready HTML document (A4)."""
    ctx = _Pages(old, new, changes, "comparison.html", None, False).context()
    return render("changes/comparison.html.j2", language=new.meta.language,
                  created=new.edition.effective.isoformat(), **ctx)


def report_html(changes: list[Change], old: Handbook, new: Handbook) -> str:
    """A standalone HTML page: the counts, then every change with its word-level diff."""
    ctx = _Pages(old, new, changes, "report.html", None, False).context()
    return render("changes/report.html.j2", language=new.meta.language, **ctx)


def site_additions(handbook: Handbook, earlier: Sequence[Handbook], *, directory_urls: bool = True,
                   pdf: bool = False, link_old: bool = False) -> SiteAdditions:
    """The 修订说明 and 修订对照表 pages against the edition before, and each standard's history line.

    earlier: snapshots of previous editions, any order; only those older than handbook count.
    pdf: the 对照表 page links to COMPARISON_PDF, which the caller renders from print_html.
    link_old: link into the previous edition, published beside this one (`handbook publish`);
    a plain build has no such sibling, so it names the old edition without a dead link.
    """
    chain = _chain(handbook, earlier)
    if not chain:
        return SiteAdditions(pages={}, history={}, links=())
    chain.append(handbook)
    diffs = [diff_editions(a, b) for a, b in itertools.pairwise(chain)]
    previous, changes = chain[-2], diffs[-1]
    pages = {}
    for path, template in ((CHANGES_PAGE, "changes/changes.md.j2"), (COMPARISON_PAGE, "changes/comparison.md.j2")):
        view = _Pages(previous, handbook, changes, path, previous.edition.id if link_old else None, directory_urls)
        pdf_href = view.site_href(COMPARISON_PDF) if pdf else ""
        pages[path] = render(template, pdf_href=pdf_href, **view.context())
    L = labels(handbook)
    links = (v.Link(text=L["changes.title"], href=CHANGES_PAGE),
             v.Link(text=L["changes.comparison_title"], href=COMPARISON_PAGE))
    return SiteAdditions(pages=pages, history=history_lines(chain, diffs), links=links,
                         print_html=comparison_html(changes, previous, handbook),
                         files=forwarding(chain, diffs, changes_page=CHANGES_PAGE, directory_urls=directory_urls))


def _chain(handbook: Handbook, earlier: Sequence[Handbook]) -> list[Handbook]:
    """The editions before handbook, oldest first."""
    return sorted((e for e in earlier if e.edition.effective < handbook.edition.effective
                   and e.edition.id != handbook.edition.id), key=lambda e: (e.edition.effective, e.edition.id))


def previous_edition(handbook: Handbook, earlier: Sequence[Handbook]) -> Handbook | None:
    """The edition handbook revises: the newest of the earlier ones."""
    chain = _chain(handbook, earlier)
    return chain[-1] if chain else None


def history_lines(chain: Sequence[Handbook], diffs: Sequence[list[Change]]) -> dict[str, str]:
    """One line per standard of the last edition: in force since which edition, changed in which."""
    current = chain[-1]
    L = labels(current)
    result = {}
    touches = [_changes_by_id(diff) for diff in diffs]  # each edition's changes indexed once, not per standard
    for _, std in current.standards():
        since, origin, changed = len(chain) - 1, "", []
        tracked = std.id  # a renamed standard goes on under its predecessor's ID: its rule is older
        for i in range(len(chain) - 1, 0, -1):
            touching = touches[i - 1].get(tracked, [])
            if any(c.kind in (ChangeKind.MODIFIED, ChangeKind.MOVED) for c in touching):
                changed.append(chain[i].edition.label)
            if chain[i - 1].standard(tracked) is not None:
                since = i - 1
                continue
            renamed = ""
            for c in touching:
                key = {ChangeKind.RENAMED: "changes.origin_renamed", ChangeKind.SPLIT: "changes.origin_split",
                       ChangeKind.MERGED: "changes.origin_merged"}.get(c.kind)
                if key:
                    ids = c.old_ids if c.kind is not ChangeKind.SPLIT else (c.id,)
                    origin = origin or fill(L[key], ids=L["list_sep"].join(ids))
                    if c.kind is ChangeKind.RENAMED:
                        renamed = c.old_ids[0]
            if not renamed:
                break
            tracked, since = renamed, i - 1
        line = fill(L["changes.since"], edition=chain[since].edition.label)
        if origin:
            line += L["changes.paren_open"] + origin + L["changes.paren_close"]
        if changed:
            line += L["changes.sentence_sep"] + fill(L["changes.changed_in"],
                                                     editions=L["list_sep"].join(reversed(changed)))
        result[std.id] = line + L["changes.end"]
    return result


def _changes_by_id(diff: Sequence[Change]) -> dict[str, list[Change]]:
    """The changes of one edition by every ID they touch (their own and the new ones), in their order."""
    found: dict[str, list[Change]] = {}
    for change in diff:
        for key in dict.fromkeys((change.id, *change.new_ids)):
            found.setdefault(key, []).append(change)
    return found
