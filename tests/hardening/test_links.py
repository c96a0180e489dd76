"""Links that hold: every internal link and anchor of the built site resolves."""

from __future__ import annotations

import html.parser
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value or "")
            if value is not None and ((tag in ("a", "area") and name == "href")
                                      or (tag in ("img", "script", "source") and name == "src")
                                      or (tag == "link" and name == "href")):
                self.links.append(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _target(site: Path, page: Path, path: str) -> Path | None:
    """The file a relative URL path points to, as a static server resolves it; None above the site root."""
    if not path:
        return page
    # Resolve under a sentinel root so that '..' past the site root shows instead of being clamped.
    here = "/root" if path.startswith("/") else posixpath.join("/root", page.relative_to(site).parent.as_posix())
    joined = posixpath.normpath(posixpath.join(here, unquote(path).lstrip("/")))
    if not (joined + "/").startswith("/root/"):
        return None
    target = site / joined.removeprefix("/root").lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def test_no_broken_internal_link_or_anchor(built_site: Path) -> None:
    pages = {p: _parse(p) for p in sorted(built_site.rglob("*.html"))}
    broken, checked_fragments = [], 0
    for page, parsed in pages.items():
        if page.name == "404.html":  # served at any depth; its links are written for the site root
            continue
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:")):
                continue
            target = _target(built_site, page, parts.path)
            where = f"{page.relative_to(built_site)} -> {link}"
            if target is None:  # only a published edition links to its neighbours, never a single build
                broken.append(f"{where}: leaves the site")
                continue
            if not target.is_file():
                broken.append(f"{where}: no file {target.relative_to(built_site)}")
                continue
            if parts.fragment and target.suffix == ".html":
                checked_fragments += 1
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where}: no anchor '{parts.fragment}'")
    assert broken == []
    assert checked_fragments > 50  # the crawl really saw the cross-references


def test_cross_references_point_at_the_objects(built_site: Path) -> None:
    """Standards, templates and glossary terms link to each other by their IDs."""
    def links(page: str) -> list[str]:
        return _parse(built_site / page / "index.html").links

    chapter = sorted((built_site / "chapters").iterdir())[0].name
    assert any("record-books/" in link for link in links(f"chapters/{chapter}"))  # standard -> template
    assert any("chapters/" in link and "#" in link for link in links("glossary"))  # term -> standard
    assert any("chapters/" in link and "#" in link for link in links("record-books"))  # template -> standard
