"""MkDocs' internals, fenced: a page's conversion taken from the cache, its private page steps, the theme's Jinja.

`PageCache.render` stands in for `Page.render` on generated pages (`attach`, per page, per build:
MkDocs makes new pages for every build) and sets what MkDocs' own render sets, including the
private `_title_from_render`; `populate_page` runs MkDocs' private `_populate_page` for the helper
process. Both rely on MkDocs' private layout, so they are used only with the versions we test
(`TESTED`); with any other, `tested` logs one line and pages are converted by MkDocs itself, in
one process.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
import posixpath
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from generator import fs
from generator.build.cache import code_digest, digest
from generator.model import Handbook
from generator.render import annual_plan, page_html
from generator.render import views as v
from generator.render.adapters import tested as host_tested
from generator.render.calendar import plan_year
from generator.render.pages import overview

HOST = "mkdocs"
TESTED = ("1.6.",)  # MkDocs releases whose Page internals these stand-ins were checked against


def tested() -> bool:
    """True when the installed MkDocs is one whose internals this module knows; else says so once."""
    return host_tested(HOST, TESTED, "build.fallback_pages")


def attach(page: Any, pages: PageCache) -> None:
    """Let page.render come from pages (a generated page only; a hand-written one is converted afresh).

    The page-render hook point of a build: one call, from the plugin's on_pre_page.
    """
    if page.file.generated_by and tested():
        page.render = functools.partial(pages.render, page)


class ReusablePlugins(list):
    """A `plugins` list to pass to load_config more than once (mkdocs serve reloads on every save).

    MkDocs takes each `{name: options}` item apart (dict.popitem) while validating the list, so a
    list used twice would be empty the second time: each pass over this one hands out copies.
    """

    def __iter__(self):
        return (copy.deepcopy(item) for item in super().__iter__())


def populate_page(page: Any, config: Any, files: Any) -> None:
    """MkDocs' own steps for one page (read, on_page_* events, render), as a build runs them."""
    from mkdocs.commands.build import _populate_page

    _populate_page(page, config, files)


# Extensions whose output depends only on the page's Markdown and the settings: a page rendered
# with any other (pymdownx.snippets reads other files, say) is always converted afresh.
_PURE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "meta", "nl2br",
    "sane_lists", "smarty", "tables", "toc", "wikilinks", "codehilite", "legacy_attrs", "legacy_em",
})
_PURE_PREFIXES = ("pymdownx.",)
_IMPURE = frozenset({"pymdownx.snippets"})


def _pure(extension: object) -> bool:
    if not isinstance(extension, str):
        return False
    name = extension.removeprefix("markdown.extensions.")
    return name not in _IMPURE and (name in _PURE_EXTENSIONS or name.startswith(_PURE_PREFIXES))


class _Records(logging.Handler):
    """Notices what MkDocs logs while converting one page (a broken link, say)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


class PageCache:
    """Remembers `Page.render` for generated pages: their HTML, table of contents and anchors.

    The conversion of a page depends on its Markdown, its own path and URL, the Markdown
    extensions and their settings, and (through its links) the paths and URLs of all files;
    all of that is in the key. A conversion that logged anything (a broken link warning under
    `strict`, say) is never stored, so it is repeated, with its message, on the next build.
    One file per page; files of pages no build uses any more are removed by `prune`.
    """

    def __init__(self, config: Any, files: Any, folder: Path | None) -> None:
        self.folder = folder / "pages" if folder else None
        settings = json.dumps([config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"]],
                              default=str, sort_keys=True, ensure_ascii=False)
        self.enabled = (self.folder is not None and tested()
                        and all(_pure(e) for e in config["markdown_extensions"]))
        urls = "\0".join(f"{f.src_uri}\t{f.url}" for f in sorted(files, key=lambda f: f.src_uri))
        self._salt = digest(code_digest(), settings, urls)
        self.used: dict[str, dict] = {}  # the entries of this build, by key
        self.fresh: dict[str, dict] = {}  # converted by this process in this build
        self.helper: Any = None  # a generator.build.parallel.Helper doing part of the pages
        self.direct: Any = None  # a DirectPages (below): pages made without Markdown
        self.hits = self.misses = 0

    def key(self, page: Any, markdown: str | None = None) -> str:
        return digest(self._salt, page.file.src_uri, page.url, page.markdown if markdown is None else markdown)

    def stored(self, key: str) -> bool:
        return self.enabled and self.folder is not None and (key in _REMEMBERED or (self.folder / f"{key}.json").is_file())

    def render(self, page: Any, config: Any, files: Any) -> None:
        """page.render(config, files), or its stored result (a page made without Markdown is stored too)."""
        key = self.key(page)
        stored = self._lookup(page, key) if self.enabled else None
        if stored is not None and self._apply(page, files, stored):
            self.hits += 1
            self.used[key] = stored
            return
        if self.direct is not None and self.direct.render(page, files):
            self._store(key, page, direct=True)
            return
        self.misses += 1
        records = _Records()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(records)
        try:
            type(page).render(page, config, files)
        finally:
            logger.removeHandler(records)
        if not records.seen:
            self._store(key, page, direct=False)

    @staticmethod
    def _apply(page: Any, files: Any, stored: dict) -> bool:
        """Set what page.render sets from a stored result; False if a file it links to is gone."""
        from mkdocs.structure.toc import get_toc

        links = {files.get_file_from_path(uri): anchors for uri, anchors in stored["links"].items()}
        if None in links:
            return False
        page.content = stored["html"]
        page.toc = get_toc(stored["toc"])
        page._title_from_render = stored["title"]
        page.present_anchor_ids = set(stored["anchors"])
        # DirectPages leaves them unset under debug logging (see there); a stored one does the same.
        if not stored.get("direct") or logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = links
        return True

    def _store(self, key: str, page: Any, *, direct: bool) -> None:
        if not self.enabled or self.folder is None:
            return
        entry = {
            "html": page.content, "toc": _tokens(page.toc), "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {f.src_uri: anchors for f, anchors in (page.links_to_anchors or {}).items()},
        }
        if direct:
            entry["direct"] = True
        self.used[key] = self.fresh[key] = entry
        fs.write_entry(self.folder / f"{key}.json", json.dumps(entry, ensure_ascii=False).encode("utf-8"))

    def content(self, html: str, fallback: str, make: Callable[[], dict]) -> dict:
        """make() for a generated page's HTML as converted (its sanitized HTML, description), or its stored result.

        What `make` computes depends on the HTML, the fallback text and the code only.
        """
        if not self.enabled or self.folder is None:
            return make()
        key = digest(code_digest(), "content", html, fallback)
        stored = _REMEMBERED.get(key) or fs.read_json_entry(self.folder / f"{key}.json")
        if not isinstance(stored, dict):
            stored = make()
            fs.write_entry(self.folder / f"{key}.json", json.dumps(stored, ensure_ascii=False).encode("utf-8"))
        self.used[key] = stored
        return stored

    def _lookup(self, page: Any, key: str) -> dict | None:
        if key in self.fresh:
            return self.fresh[key]
        if key in _REMEMBERED:
            return _REMEMBERED[key]
        assert self.folder is not None
        stored = fs.read_json_entry(self.folder / f"{key}.json")
        if stored is None and self.helper is not None:
            stored = self.helper.wait("page", page, key)  # the helper has written it to disk too
        return stored if isinstance(stored, dict) else None

    def prune(self) -> None:
        """Remove the stored pages this build did not use; remember this build's in memory for the next one."""
        if self.folder is not None:
            fs.prune(self.folder, "*.json", lambda old: old.stem in self.used)
        if self.enabled:
            # Only the last build's: memory stays flat while previewing.
            _REMEMBERED.clear()
            _REMEMBERED.update(self.used)


# The entries of the last build of this process, by key: a preview's next build reads no file for them.
_REMEMBERED: dict[str, dict] = {}


def _tokens(items: Iterable[Any]) -> list[dict]:
    return [{"name": i.title, "id": i.id, "level": i.level, "children": _tokens(i.children)} for i in items]


# --- the theme's templates, compiled once per process ------------------------------------------


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled theme templates, kept in memory: MkDocs makes a new Jinja environment for
    every build, so a preview would compile Material's templates again on every save. Kept in
    this process only (compiled code is never read back from disk). Jinja checks each template's
    source against its checksum, so an edited override is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


# --- generated pages made without Markdown (generator/render/page_html.py) ------------------------


class DirectPages:
    """The generated pages of one build whose HTML render/page_html.py makes, and MkDocs's settings for them.

    handbook, history, markdown: what `build_site` made the pages from, and the pages (a page whose
    Markdown is not the one made from this handbook, changed by another plugin, say, is left to
    Markdown).
    """

    def __init__(self, handbook: Handbook, history: Mapping[str, str] | None, markdown: Mapping[str, str],
                 config: Any) -> None:
        self._handbook = handbook
        self._history = dict(history or {})
        self._markdown = markdown
        self._chapters = {v.chapter_path(c.id): c for c in handbook.chapters}
        self._paths = {*self._chapters, v.OVERVIEW, annual_plan.PLAN_PAGE}
        self._chapter_views: dict[str, v.ChapterView] = {}
        self._settings = page_html.settings(config["markdown_extensions"], config["mdx_configs"])
        self._views: v.Views | None = None

    def takes(self, src_uri: str, markdown: str) -> bool:
        """Whether the page with this path and Markdown is one this class makes (unless its text declines)."""
        return self._settings is not None and src_uri in self._paths and self._markdown.get(src_uri) == markdown

    def render(self, page: Any, files: Any) -> bool:
        """Set what `page.render` sets, made directly; False if the page is left to Markdown."""
        from mkdocs.structure.toc import get_toc

        if not self.takes(page.file.src_uri, page.markdown):
            return False
        links: dict[Any, dict[str, str]] = {}
        link = _resolver(page.file, files, links)
        assert self._settings is not None
        if page.file.src_uri == annual_plan.PLAN_PAGE:
            year = plan_year(self._handbook)
            plan = annual_plan.plan_view(self._handbook, year)
            forms = v.FORMS_INDEX in self._markdown  # the build makes forms: the plan's PDF and Word are linked
            downloads = annual_plan.plan_downloads_html(plan, annual_plan.plan_links(year, forms=forms))
            made = page_html.plan_html(plan, downloads, self._settings, link)
        elif page.file.src_uri == v.OVERVIEW:
            chapters = [self._chapter_view(path) for path in self._chapters]
            made = page_html.overview_html(overview(chapters), self._handbook.labels, self._settings, link)
        else:
            made = page_html.chapter_html(self._chapter_view(page.file.src_uri), self._handbook.labels, self._settings,
                                          link)
        if made is None:
            return False
        page.content = made.html
        page.toc = get_toc(made.toc)  # type: ignore[arg-type]  # the toc extension's tokens, as stored
        page._title_from_render = made.title
        page.present_anchor_ids = set(made.anchors)
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = links  # as MkDocs records them, for its anchor checks
        return True


    def _chapter_view(self, path: str) -> v.ChapterView:
        if path not in self._chapter_views:
            if self._views is None:
                self._views = v.Views(self._handbook, self._history)
            self._chapter_views[path] = self._views.chapter(self._chapters[path])
        return self._chapter_views[path]


def _resolver(file: Any, files: Any, links: dict[Any, dict[str, str]]) -> Callable[[str], str | None]:
    """What MkDocs makes of a relative link to a documentation file, recording links to anchors."""
    from mkdocs.utils import get_relative_url

    def link(href: str) -> str | None:
        path, _, anchor = href.partition("#")
        if not path:
            target, url = file, ""
        else:
            target = files.get_file_from_path(posixpath.normpath(posixpath.join(posixpath.dirname(file.src_uri),
                                                                                path)))
            if target is None or target.inclusion.is_excluded():  # MkDocs says so: leave it to Markdown
                return None
            url = get_relative_url(target.url, file.url)
        if anchor:
            links.setdefault(target, {}).setdefault(anchor, href)
        return f"{url}#{anchor}" if anchor else url

    return link
