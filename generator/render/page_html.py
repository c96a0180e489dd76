"""The HTML of generated pages, made directly from their view objects instead of by Markdown.

MkDocs converts every page's Markdown to HTML, and for the generated pages of a big handbook that
conversion is most of a cold build. The generator knows each chapter page's structure (the
template `pages/chapter.md.j2`), so it can write the HTML that MkDocs's Markdown makes of that
page, byte for byte, together with the table of contents, the title and the anchors.

Only what this module can reproduce exactly is made here: the source text of a standard is free
Markdown, so a page is made directly only when every piece of it is plain text or paragraphs with
`**bold**` spans. A page with anything else (a link, a list, a heading, HTML, an escape) in its
text gives None and goes through Markdown as before. Likewise for Markdown settings other than
the ones understood here. tests/render/test_page_html.py compares this module's output with
MkDocs's conversion for every generated page of the bundled handbook and the fixtures.

The Markdown pages themselves are unchanged (`handbook export-md` writes them). Setting a MkDocs
page from this HTML is the MkDocs adapter's part (`generator/build/adapters/mkdocs.py`: DirectPages).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from markdown.extensions.toc import slugify as default_slugify
from markdown.extensions.toc import unique

from generator.render import views as v
from generator.render.annual_plan import PlanItem, PlanView

# Markdown extensions whose effect on a page of only plain text, **bold**, links, one table and one
# list is nothing or is reproduced here ("toc" and "tables" through their settings below).
_HARMLESS = frozenset({"toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition"})
_NEEDED = frozenset({"toc", "tables", "attr_list", "md_in_html"})
_TOC_SETTINGS = frozenset({"permalink", "permalink_title", "permalink_class", "slugify", "separator"})

# Characters that start Markdown syntax inside a line, and those Markdown would escape in HTML.
_OTHER_SPACE = re.compile(r"[^\S \n]")  # whitespace Markdown may treat otherwise than a space
_SPECIAL = re.compile(r"[\\`*_\[\]<>&{}|~\x00-\x09\x0b-\x1f\x7f]")
# A line that would not be a paragraph's line: a heading, quote, list item, rule, table, HTML,
# code fence, admonition, definition, or a setext underline.
_BLOCK_START = re.compile(r"(#|>|[-*+](\s|$)|\d+[.)](\s|$)|[=]+\s*$|-+\s*$|!!!|\?\?\?|:|<|\||`|~)")
_RULE = re.compile(r"^[ ]{0,3}(?=(?P<g>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=g)[ ]*$")
_HREF = re.compile(r"[A-Za-z0-9._/#-]*\Z")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    """What of MkDocs's Markdown settings shapes the HTML made here."""

    slugify: Callable[[str, str], str]
    separator: str
    permalink: str | None  # the permalink's text; None: no permalinks
    permalink_class: str
    permalink_title: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class PageHTML:
    """One page as MkDocs's `Page.render` leaves it."""

    html: str
    toc: list[dict]  # tokens as the toc extension makes them: name, id, level, children
    title: str | None
    anchors: frozenset[str]


def settings(extensions: list[Any], configs: Mapping[str, Any]) -> Settings | None:
    """The settings of MkDocs's `markdown_extensions` and `mdx_configs`; None if not reproducible here."""
    names = [e.removeprefix("markdown.extensions.") if isinstance(e, str) else None for e in extensions]
    # The pages' Markdown needs these: `{ #id }` on headings, the overview's `<div markdown>`, tables.
    if any(name not in _HARMLESS for name in names) or not _NEEDED <= set(names):
        return None
    configs = {k.removeprefix("markdown.extensions."): c for k, c in (configs or {}).items()}
    if any(configs.get(name) for name in _HARMLESS - {"toc"}):
        return None
    toc = dict(configs.get("toc") or {})
    if set(toc) - _TOC_SETTINGS:
        return None
    permalink = toc.get("permalink", False)
    if permalink is True:
        text: str | None = "&para;"
    elif permalink in (False, None, ""):
        text = None
    elif isinstance(permalink, str) and _plain(permalink):
        text = permalink
    else:
        return None
    title = toc.get("permalink_title", "Permanent link")
    css = toc.get("permalink_class", "headerlink")
    separator = toc.get("separator", "-")
    if not all(isinstance(s, str) and _plain(s) and '"' not in s for s in (title, css, separator)):
        return None
    return Settings(slugify=toc.get("slugify", default_slugify), separator=separator, permalink=text,
                    permalink_class=css, permalink_title=title)


def chapter_html(chapter: v.ChapterView, labels: Mapping[str, str], settings: Settings,
                 link: Callable[[str], str | None]) -> PageHTML | None:
    """A chapter page's HTML, as MkDocs's Markdown makes it of `pages/chapter.md.j2`; None when
    some piece of it is more than this module reproduces.

    link: the URL MkDocs writes for a link of the Markdown page (None: leave the page to Markdown).
    """
    try:
        return _chapter(chapter, labels, settings, link)
    except _NotPlain:
        return None


class _NotPlain(Exception):
    """A piece of the page is Markdown this module does not reproduce."""


def _chapter(chapter: v.ChapterView, L: Mapping[str, str], settings: Settings,
             link: Callable[[str], str | None]) -> PageHTML:
    ids = [s.id for s in chapter.standards]
    if len(set(ids)) != len(ids):
        raise _NotPlain
    title = _heading_text(chapter.title)
    h1 = unique(settings.slugify(title, settings.separator), set(ids))
    out = [_heading(1, h1, title, settings, link)]
    if chapter.summary:
        out.append(_paragraphs(chapter.summary))
    colon, sep = _text(L["colon"]), _text(L["list_sep"])
    children = []
    for s in chapter.standards:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", s.id) or not s.checks:
            raise _NotPlain
        heading = f"{s.id} {_heading_text(s.title)}"
        if heading != heading.strip():
            raise _NotPlain
        out.append(_heading(2, s.id, heading, settings, link))
        children.append({"name": heading, "id": s.id, "level": 2, "children": []})
        if s.text:
            out.append(_paragraphs(s.text))
        if s.history:
            out.append(f"<p><em>{_cell(s.history)}</em></p>")
        items = [
            _strong(L["frequency"]) + colon + _text(s.frequency),
            _strong(L["responsible"]) + colon + _text(s.responsible),
            _strong(L["points"]) + colon + f"{s.points} " + _text(L["points_unit"])
            + (_strong(L["veto_mark"]) if s.veto else ""),
            _strong(L["methods"]) + colon + _text(s.methods),
            *(_strong(L["basis"]) + colon + _text(b) for b in s.basis),
            *(_strong(L["evidence"]) + colon + (_link(e.text, e.href, link) if e.href else _text(e.text))
              for e in s.evidence),
        ]
        out.append("<ul>\n" + "".join(f"<li>{_item(item)}</li>\n" for item in items) + "</ul>")
        center = ' style="text-align: center;"'
        rows = "".join(f"<tr>\n<td{center}>{n}</td>\n<td>{_cell(text)}</td>\n<td{center}>{p}</td>\n</tr>\n"
                       for n, text, p in s.checks)
        out.append(f"<table>\n<thead>\n<tr>\n<th{center}>{_cell(L['number'])}</th>\n<th>{_cell(L['checks'])}</th>\n"
                   f"<th{center}>{_cell(L['points'])}</th>\n</tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>")
        if s.inspection:
            out.append(_paragraphs(v.strong(L["inspection"]) + L["colon"] + s.inspection))
        if s.related:
            links = sep.join(_link(r.text, r.href, link) for r in s.related)
            out.append(f"<p>{_item(_strong(L['related']) + colon + links)}</p>")
        if s.tags:
            out.append(_paragraphs(v.strong(L["tags"]) + L["colon"] + s.tags))
    toc = [{"name": title, "id": h1, "level": 1, "children": children}]
    return PageHTML(html="\n".join(out), toc=toc, title=title, anchors=frozenset([h1, *ids]))


def overview_html(overview: Mapping[str, Any], labels: Mapping[str, str], settings: Settings,
                  link: Callable[[str], str | None]) -> PageHTML | None:
    """The overview page's HTML, as MkDocs's Markdown makes it of `pages/overview.md.j2` (with
    `overview` from `pages.overview_of`); None when some piece of it is more than reproduced here."""
    try:
        return _overview(overview, labels, settings, link)
    except _NotPlain:
        return None


def _overview(overview: Mapping[str, Any], L: Mapping[str, str], settings: Settings,
              link: Callable[[str], str | None]) -> PageHTML:
    rows = overview["rows"]
    if not rows:
        raise _NotPlain
    title = _heading_text(L["overview"])
    h1 = unique(settings.slugify(title, settings.separator), set())
    attributes = {"class": "hb-overview", "data-filter-columns": overview["filter_columns"],
                  "data-label-all": L["filter_all"], "data-label-reset": L["filter_reset"],
                  "data-label-count": L["filter_count"], "data-list-sep": L["list_sep"]}
    if any('"' in value or "\n" in value for value in attributes.values()):
        raise _NotPlain
    div = " ".join(f'{key}="{_text(value)}"' for key, value in sorted(attributes.items()))  # Markdown sorts them
    out = [_heading(1, h1, title, settings, link), f"<p>{_link(L['rating'], overview['rating'], link)}</p>",
           f"<div {div}>\n<table>\n<thead>\n<tr>"]
    out += [f"<th>{_cell(L[key])}</th>" for key in ("id", "title", "chapter", "frequency", "responsible")]
    out.append(f'<th style="text-align: center;">{_cell(L["points"])}</th>\n</tr>\n</thead>\n<tbody>')
    for row in rows:
        out.append(f"<tr>\n<td>{_link(row['id'], row['href'], link)}</td>\n<td>{_cell(v.cell(row['title']))}</td>\n"
                   f"<td>{_cell(v.cell(row['chapter']))}</td>\n<td>{_cell(v.cell(row['frequency']))}</td>\n"
                   f"<td>{_cell(v.cell(row['responsible']))}</td>\n"
                   f'<td style="text-align: center;">{row["points"]}</td>\n</tr>')
    out.append("</tbody>\n</table>\n</div>")
    toc = [{"name": title, "id": h1, "level": 1, "children": []}]
    return PageHTML(html="\n".join(out), toc=toc, title=title, anchors=frozenset([h1]))


def plan_html(plan: PlanView, downloads: str, settings: Settings, link: Callable[[str], str | None]) -> PageHTML | None:
    """The annual plan's HTML, as MkDocs's Markdown makes it of `pages/annual_plan.md.j2`;
    downloads: its block of HTML (`annual_plan.plan_downloads_html`), which Markdown keeps as it is."""
    try:
        return _plan(plan, downloads, settings, link)
    except _NotPlain:
        return None


def _plan(plan: PlanView, downloads: str, settings: Settings, link: Callable[[str], str | None]) -> PageHTML:
    L = plan.labels
    title = _heading_text(plan.title)
    out = [_heading(1, "annual-plan", title, settings, link), _paragraphs(plan.intro),
           downloads.rstrip("\n") + "\n", _paragraphs(plan.ics_hint + plan.reminder)]
    if not downloads.startswith("<div") or not downloads.endswith("</div>\n") or "\n\n" in downloads:
        raise _NotPlain
    children = []

    def item(i: PlanItem) -> str:
        return (f"{_link(i.id, i.href, link)} {_text(v.cell(i.title))}{_text(L['paren_open'])}"
                f"{_text(v.cell(i.frequency))}{_text(L['paren_close'])}")

    for month in plan.months:
        name = _heading_text(month.name)
        out.append(_heading(2, month.anchor, name, settings, link))
        children.append({"name": name, "id": month.anchor, "level": 2, "children": []})
        if not month.rows:
            out.append(_paragraphs(L["nothing"]))
            continue
        rows = "".join(f"<tr>\n<td>{_cell(v.cell(row.role))}</td>\n<td>{_item('<br>'.join(map(item, row.items)))}</td>\n"
                       "</tr>\n" for row in month.rows)
        out.append(f"<table>\n<thead>\n<tr>\n<th>{_cell(L['col_role'])}</th>\n<th>{_cell(L['col_items'])}</th>\n"
                   f"</tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>")
    if plan.apart:
        name = _heading_text(L["apart_title"])
        out.append(_heading(2, "not-on-calendar", name, settings, link))
        children.append({"name": name, "id": "not-on-calendar", "level": 2, "children": []})
        out.append(_paragraphs(L["apart_intro"]))
        rows = "".join(f"<tr>\n<td>{_link(i.id, i.href, link)} {_cell(v.cell(i.title))}</td>\n"
                       f"<td>{_cell(v.cell(i.frequency))}</td>\n<td>{_cell(v.cell(i.responsible))}</td>\n</tr>\n"
                       for i in plan.apart)
        out.append(f"<table>\n<thead>\n<tr>\n<th>{_cell(L['col_standard'])}</th>\n<th>{_cell(L['frequency'])}</th>\n"
                   f"<th>{_cell(L['responsible'])}</th>\n</tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>")
    anchors: list[str] = ["annual-plan", *(str(c["id"]) for c in children)]
    if len(set(anchors)) != len(anchors):
        raise _NotPlain
    toc = [{"name": title, "id": "annual-plan", "level": 1, "children": children}]
    return PageHTML(html="\n".join(out), toc=toc, title=title, anchors=frozenset(anchors))


def _plain(text: str) -> bool:
    return not _SPECIAL.search(text) and not _OTHER_SPACE.search(text)


def _text(text: str) -> str:
    """Text of one line that Markdown leaves as it is."""
    if not _plain(text) or "\n" in text:
        raise _NotPlain
    return text


def _strong(label: str) -> str:
    """What `views.strong` gives, as HTML."""
    core = _text(label).strip()
    if not core:
        return label
    start = label.index(core[0])
    return f"{label[:start]}<strong>{core}</strong>{label[start + len(core):]}"


def _item(html: str) -> str:
    """One line's HTML as the content of a list item or paragraph: Markdown strips its ends."""
    if html != html.strip():
        raise _NotPlain
    return html


def _cell(text: str) -> str:
    text = _text(text)
    if text != text.strip():
        raise _NotPlain
    return text


def _heading_text(text: str) -> str:
    """A title as `views.heading` puts it in a heading, when Markdown leaves it as it is."""
    text = " ".join(text.split())
    if "#" in text:  # trailing hashes close an ATX heading
        raise _NotPlain
    return _text(text)


def _heading(level: int, anchor: str, text: str, settings: Settings, link: Callable[[str], str | None]) -> str:
    permalink = ""
    if settings.permalink is not None:  # a link to the page itself, which MkDocs records too
        href = link(f"#{anchor}")
        permalink = (f'<a class="{settings.permalink_class}" href="{href}" title="{settings.permalink_title}">'
                     f"{settings.permalink}</a>")
    return f'<h{level} id="{anchor}">{text}{permalink}</h{level}>'


def _link(text: str, href: str, link: Callable[[str], str | None]) -> str:
    if not _HREF.match(href) or href.startswith("/"):
        raise _NotPlain
    url = link(href)
    if url is None or not _HREF.match(url):
        raise _NotPlain
    return f'<a href="{url}">{_cell(text)}</a>'


def _paragraphs(markdown: str) -> str:
    """Paragraphs of plain lines with `**bold**` spans, as Markdown makes them."""
    out: list[str] = []
    lines: list[str] = []
    for line in [*markdown.split("\n"), ""]:
        if line == "":
            if lines:
                out.append(f"<p>{_spans(chr(10).join(lines))}</p>")
            lines = []
            continue
        if line != line.strip() or _BLOCK_START.match(line) or _RULE.match(line):
            raise _NotPlain
        lines.append(line)
    return "\n".join(out)


def _spans(text: str) -> str:
    parts = text.split("**")
    if len(parts) % 2 == 0:
        raise _NotPlain
    for i, part in enumerate(parts):
        if not _plain(part) or (i % 2 and (not part or part != part.strip())):
            raise _NotPlain
    return "".join(f"<strong>{part}</strong>" if i % 2 else part for i, part in enumerate(parts))
