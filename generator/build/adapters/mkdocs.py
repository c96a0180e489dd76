"""MkDocs' internals, fenced: a page's conversion taken from the cache, its private page steps, the theme's Jinja.

`PageCache.render` stands in for `Page.render` on generated pages (`attach`, per page, per build:
MkDocs makes new pages for every build) and sets what MkDocs' own render sets, including the
private `_title_from_render`; `populate_page` runs MkDocs' private `_populate_page` for the helper
process. Both rely on MkDocs' private layout, so they are used only with the versions we test
(`TESTED`); with any other, `tested` logs one line and pages are converted by MkDocs itself, in
one process.

`ThemeOutputs` stores the theme template's output for each page; it reads MkDocs' Page, Section and
Link objects whole, so it is used only with the tested versions too (an unknown object is rendered).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
import importlib.util
import json
import logging
import marshal
import os
import posixpath
import sys
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
from generator.render.pages import overview_of

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
        # id(text) -> (text, a digest that stands for it): each page's Markdown and HTML, hashed here once
        self._digests: dict[int, tuple[str, str]] = {}

    def stand_in(self, text: str) -> Any:
        """A digest for text if this build has hashed that very string (a page's Markdown or HTML), else text.

        The theme's output is keyed by every page's whole content; hashing the big pages again (the overview)
        costs as much as their first key. The digest stands for the text only while it is the same object:
        text another plugin has replaced is used as it is.
        """
        known = self._digests.get(id(text))
        return ["digest", known[1]] if known is not None and known[0] is text else text

    def _hashed(self, text: str, key: str) -> None:
        self._digests[id(text)] = (text, key)  # the text is kept alive, so its id stays its own

    def key(self, page: Any, markdown: str | None = None) -> str:
        return digest(self._salt, page.file.src_uri, page.url, page.markdown if markdown is None else markdown)

    def stored(self, key: str) -> bool:
        return self.enabled and self.folder is not None and (key in _REMEMBERED or (self.folder / f"{key}.json").is_file())

    def render(self, page: Any, config: Any, files: Any) -> None:
        """page.render(config, files), or its stored result (a page made without Markdown is stored too)."""
        key = self.key(page)
        if isinstance(page.markdown, str):
            self._hashed(page.markdown, key)  # with the page's path and URL: stands for its Markdown
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
        if isinstance(stored.get("html"), str):
            self._hashed(stored["html"], key)  # the page's HTML, as the plugin hands it back to MkDocs
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


# --- the theme's templates, compiled once per project and code ----------------------------------


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled theme templates, kept in memory and in the cache folder (Jinja's public bytecode cache).

    MkDocs makes a new Jinja environment for every build, and compiling Material's templates takes
    most of a second in each new process. So each template's code object is kept like Python's own
    `__pycache__`: `folder/jinja/<salt>-<bucket>.bin`, where the salt is a digest of the code
    (code_digest, which holds Jinja's, MkDocs' and Material's versions), the Python version and
    Jinja's, and the environment's compile settings; the bucket is Jinja's key of the template's name
    and file. An entry is the template source's checksum (Jinja's) and the code in `marshal`'s form
    (no pickle), written atomically and verified like every cache entry (fs.write_entry); a source
    whose checksum differs (an edited override) is compiled afresh. This is the one kind of entry
    that is code, not data: the cache folder sits beside mkdocs.yml, which already names code to run
    (plugins, hooks), so whoever can write one can write the other. Entries under another salt are
    pruned at the end of a build (`prune`); a salt's entries are one per template file.
    """

    def __init__(self, folder: Path | None, env: jinja2.Environment) -> None:
        self.folder = folder / "jinja" if folder is not None else None
        self.salt = _compile_salt(env)
        self.written = False

    def _name(self, bucket: jinja2.bccache.Bucket) -> str:
        return f"{self.salt}-{bucket.key}"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        name = self._name(bucket)
        stored = _COMPILED.get(name)
        if stored is None and self.folder is not None:
            stored = fs.read_entry(self.folder / f"{name}.bin")
        if stored is None:
            return
        checksum, newline, code = stored.partition(b"\n")
        if not newline or checksum.decode("ascii", "replace") != bucket.checksum:
            return  # the template's source has changed: Jinja compiles it again
        try:
            bucket.code = marshal.loads(code)
        except (EOFError, ValueError, TypeError):
            return
        _COMPILED[name] = stored

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is None:
            return
        name = self._name(bucket)
        stored = bucket.checksum.encode("ascii") + b"\n" + marshal.dumps(bucket.code)
        _COMPILED[name] = stored
        if self.folder is not None:
            self.written = fs.write_entry(self.folder / f"{name}.bin", stored) or self.written

    def clear(self) -> None:
        _COMPILED.clear()

    def prune(self) -> None:
        """Remove the entries compiled under another salt (older code, another Python or Jinja)."""
        if self.folder is not None and self.written:
            fs.prune(self.folder, "*.bin", lambda old: old.name.startswith(f"{self.salt}-"))
        for name in [n for n in _COMPILED if not n.startswith(f"{self.salt}-")]:
            del _COMPILED[name]


# Compiled templates by salt and bucket, in this process: a preview's next build reads no file for them.
_COMPILED: dict[str, bytes] = {}


def _compile_salt(env: jinja2.Environment) -> str:
    """Digest of what shapes a template's compiled code besides its source: the code and versions, the
    environment's syntax and compile settings, its extensions, filters and tests."""
    autoescape = env.autoescape
    settings = [
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized,
        env.is_async, sorted(env.extensions), sorted(env.filters), sorted(env.tests),
        autoescape if isinstance(autoescape, bool)
        else f"{getattr(autoescape, '__module__', '')}.{getattr(autoescape, '__qualname__', repr(autoescape))}",
        getattr(env, "newstyle_gettext", None), type(env).__qualname__,
    ]
    return digest(code_digest(), sys.implementation.cache_tag or "", sys.version, jinja2.__version__,
                  json.dumps(settings, default=repr))


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
            made = page_html.overview_html(overview_of(self._handbook), self._handbook.labels, self._settings, link)
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


# --- the theme's output per page --------------------------------------------------------------


class _Unknown(Exception):
    """A template could read something this module cannot put into a key: the page is rendered afresh."""


# What a Page, Section or Link of MkDocs 1.6 carries; a page with anything else (a plugin's own
# attribute) might show it, so it is rendered afresh.
_PAGE_ATTRIBUTES = frozenset({
    "file", "title", "children", "previous_page", "next_page", "_Page__active", "update_date", "canonical_url",
    "abs_url", "edit_url", "markdown", "_title_from_render", "content", "toc", "meta", "present_anchor_ids",
    "links_to_anchors", "parent", "render", "is_index",
})
_SECTION_ATTRIBUTES = frozenset({"title", "children", "_Section__active", "parent"})
_LINK_ATTRIBUTES = frozenset({"title", "url", "parent"})
# What MkDocs and Jinja put into the theme's environment (its filters and the translations).
_MKDOCS_FILTERS = frozenset({"url", "script_tag"})
_TRANSLATIONS = frozenset({"gettext", "ngettext", "pgettext", "npgettext", "_"})


def _plain(value: Any) -> Any:
    """value as JSON-able data with everything a template can read of it; _Unknown for an unknown object."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Mapping) or hasattr(value, "keys") and hasattr(value, "__getitem__"):
        return [[str(k), _plain(value[k])] for k in value]  # in order: a template may loop over it
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_plain(v), ensure_ascii=False) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__qualname__, [[f.name, _plain(getattr(value, f.name))]
                                           for f in dataclasses.fields(value)]]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if callable(value) and hasattr(value, "__qualname__"):  # a function named in the settings (a custom fence)
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    raise _Unknown(type(value).__qualname__)


def _config(config: Any) -> Any:
    """The settings as the theme sees them: the plugins by their settings, the theme with its folders."""
    plain = []
    for name in config:
        value = config[name]
        if name == "site_dir":  # a scratch folder per build (publish.build.replacing): no page may show it
            continue
        if name == "plugins":
            plain.append([name, [[n, type(p).__qualname__, _plain(p.config)] for n, p in value.items()]])
        elif name == "theme":
            plain.append([name, [value.name, list(value.dirs), sorted(value.static_templates),
                                 [[k, str(value[k]) if k == "locale" else _plain(value[k])] for k in value]]])
        else:
            plain.append([name, _plain(value)])
    return plain


def _item(item: Any, known: frozenset[str]) -> None:
    if set(vars(item)) - known:
        raise _Unknown(", ".join(sorted(set(vars(item)) - known)))


def _nav(items: Iterable[Any], *, descriptions: bool) -> list:
    """The navigation as the theme can read it; descriptions: with each page's meta description.

    Material's templates read another page's icon, subtitle and status from its metadata, never its
    description (the one part an edit of a chapter's first standard changes on every other page).
    """
    from mkdocs.structure.nav import Link, Section
    from mkdocs.structure.pages import Page

    plain: list = []
    for item in items:
        if type(item) is Page:
            _item(item, _PAGE_ATTRIBUTES)
            meta = item.meta if descriptions else {k: v for k, v in item.meta.items() if k != "description"}
            plain.append(["page", str(item.title), item.url, item.file.src_uri, item.is_index, _plain(meta),
                          item.canonical_url, item.edit_url])
        elif type(item) is Section:
            _item(item, _SECTION_ATTRIBUTES)
            plain.append(["section", item.title, _nav(item.children, descriptions=descriptions)])
        elif type(item) is Link:
            _item(item, _LINK_ATTRIBUTES)
            plain.append(["link", item.title, item.url])
        else:
            raise _Unknown(type(item).__qualname__)
    return plain


def _neighbour(page: Any) -> Any:
    return None if page is None else [page.url, str(page.title)]


def _itself(text: str) -> Any:
    return text


def _page(page: Any, stand_in: Callable[[str], Any] = _itself) -> list:
    from mkdocs.structure.pages import Page

    if type(page) is not Page:
        raise _Unknown(type(page).__qualname__)
    _item(page, _PAGE_ATTRIBUTES)
    return [page.file.src_uri, page.url, str(page.title), page.canonical_url, page.abs_url, page.edit_url,
            page.update_date, page.is_homepage, page.is_index, stand_in(page.markdown or ""), stand_in(page.content or ""),
            _toc_urls(page.toc), _plain(page.meta), _neighbour(page.previous_page), _neighbour(page.next_page),
            [str(a.title) for a in page.ancestors]]


def _toc_urls(items: Iterable[Any]) -> list:
    return [[i.id, i.title, i.level, i.url, _toc_urls(i.children)] for i in items]


def _template_folders(env: jinja2.Environment) -> tuple[list[str], bool]:
    """The theme's template folders by what shapes them: a package's version (in code_digest), else their files;
    and whether a folder of the project's own mentions a description (which it might read of any page)."""
    from generator.build.cache import tree_digest

    packages = []  # their versions are in code_digest; without Material, a theme of MkDocs' own
    for name in ("material", "mkdocs"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            packages.append(Path(spec.origin).resolve().parent)
    packages.append(Path(__file__).resolve().parents[2])  # the generator's overrides
    loader = env.loader
    if type(loader) is not jinja2.FileSystemLoader:
        raise _Unknown(type(loader).__qualname__)
    folders, descriptions = [], False
    for folder in map(Path, loader.searchpath):
        resolved = folder.resolve()
        if any(resolved.is_relative_to(p) for p in packages):
            folders.append(str(folder))
        else:  # a project's own overrides
            folders.append(f"{folder}\0{tree_digest(folder)}")
            descriptions = descriptions or any(b"description" in p.read_bytes() for p in folder.rglob("*")
                                               if p.is_file())
    return folders, descriptions


class ThemeOutputs:
    """Remembers the theme template's output for each page (Material's page frame and its navigation).

    The key is everything the template can read: the page (its content, table of contents,
    metadata, title, URLs, neighbours), the whole navigation with each page's title, URL and
    metadata, the documentation files, the settings (with every plugin's), the rest of the
    template's context (the build date, the print frame), the template folders and the code. A page
    or context holding anything this cannot put into a key, or an environment with filters or
    globals from elsewhere, is rendered afresh. One file per page; files no build used are pruned.
    """

    def __init__(self, folder: Path | None, pages: PageCache | None = None) -> None:
        self.folder = folder / "theme" if folder else None
        self.pages = pages  # the page cache, whose digests stand for the pages' Markdown and HTML in the keys
        self.enabled = self.folder is not None and tested()
        self.used: set[str] = set()
        self._salt: str | None = None
        self.hits = self.misses = 0

    def install(self, env: jinja2.Environment) -> None:
        """Let env's templates consult this cache when MkDocs renders a page with one."""
        if self.enabled:
            env.template_class = _CachedTemplate
            env.handbook_outputs = self  # type: ignore[attr-defined]

    def render(self, template: jinja2.Template, context: Mapping[str, Any], make: Callable[[], str]) -> str:
        if not self.enabled or self.folder is None or (context.get("page") is None
                                                       and template.name not in _PAGELESS):
            return make()
        try:
            key = self._key(template, context)
        except _Unknown:
            return make()
        path = self.folder / f"{key}.html"
        stored = _REMEMBERED_OUTPUTS.get(key)
        if stored is None:
            data = fs.read_entry(path)
            stored = None if data is None else data.decode("utf-8")
        if stored is not None:
            self.hits += 1
        else:
            self.misses += 1
            stored = make()
            fs.write_entry(path, stored.encode("utf-8"))
        self.used.add(key)
        _REMEMBERED_OUTPUTS[key] = stored
        return stored

    def _key(self, template: jinja2.Template, context: Mapping[str, Any]) -> str:
        stand_in = self.pages.stand_in if self.pages is not None else _itself
        page = None if context.get("page") is None else _page(context["page"], stand_in)
        rest = [[name, _plain(value)] for name, value in context.items()
                if name not in ("page", "nav", "pages", "config")]
        if self._salt is None:  # at the first page: every page's title and metadata are final now
            self._salt = self._build_salt(template.environment, context)
        return digest(self._salt, str(template.name), json.dumps([page, rest], ensure_ascii=False))

    def _build_salt(self, env: jinja2.Environment, context: Mapping[str, Any]) -> str:
        baseline = jinja2.Environment()
        if (set(env.filters) - set(baseline.filters) - _MKDOCS_FILTERS or set(env.tests) - set(baseline.tests)
                or set(env.globals) - set(baseline.globals) - _TRANSLATIONS):
            raise _Unknown("the environment's filters or globals")
        nav = context["nav"]
        pages = [[f.src_uri, f.url, None if f.page is None else str(f.page.title)] for f in context.get("pages") or ()]
        folders, descriptions = _template_folders(env)
        plain = [folders, _config(context["config"]), _nav(nav.items, descriptions=descriptions),
                 None if nav.homepage is None else nav.homepage.url, pages]
        return digest(code_digest(), json.dumps(plain, ensure_ascii=False))

    def prune(self, *, on_disk: bool = True) -> None:
        """Remove the stored outputs this build did not use; keep this build's in memory for the next.

        on_disk=False (a preview's builds): the files stay. A preview's outputs differ from a build's (the site
        URL is another), and the next `handbook build` would otherwise render every page's frame again; it
        prunes the preview's.
        """
        if self.folder is not None and self.enabled and on_disk:
            fs.prune(self.folder, "*.html", lambda old: old.stem in self.used)
        for key in set(_REMEMBERED_OUTPUTS) - self.used:
            del _REMEMBERED_OUTPUTS[key]


# The last build's outputs in this process (a preview's next build reads no file for them).
_REMEMBERED_OUTPUTS: dict[str, str] = {}

# Theme templates rendered without a page whose output is stored too: the 404 page shows the whole
# navigation, and reads nothing the key leaves out. (The sitemap reads each page's date: not stored.)
_PAGELESS = frozenset({"404.html"})


class _CachedTemplate(jinja2.Template):
    """A theme template whose whole-page renders go through the build's ThemeOutputs (set by `install`)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        outputs = getattr(self.environment, "handbook_outputs", None)
        if outputs is None or kwargs or len(args) != 1 or not isinstance(args[0], Mapping):
            return super().render(*args, **kwargs)
        return outputs.render(self, args[0], lambda: super(_CachedTemplate, self).render(*args))


# --- the theme's static files, listed once ------------------------------------------------------


# The last listing of this process, by key: a preview's next build walks no theme folder.
_THEME_LISTINGS: dict[str, list[list[str]]] = {}


def install_theme_files(folder: Path | None) -> Callable[[], None]:
    """For this build, let `Files.add_files_from_theme` take the theme's static files from a stored listing.

    MkDocs walks every theme folder on every build (Material's holds some 14,000 files, its icons) and
    matches each name against its patterns; what it finds depends only on the folders' files and the
    settings. The listing (each file's path and folder) is stored under a key of the code (with
    Material's and MkDocs' versions), the folders, the static templates and, for a folder that is not a
    package's (a project's overrides), its files. Returns the function that puts MkDocs' method back.
    """
    from mkdocs.structure.files import File, Files

    original = Files.__dict__["add_files_from_theme"]
    if not tested():
        return lambda: None

    def add_files_from_theme(files: Any, env: jinja2.Environment, config: Any) -> None:
        try:
            key = _theme_key(env, config)
        except _Unknown:
            return original(files, env, config)
        listing = _THEME_LISTINGS.get(key)
        path = None if folder is None else folder / "theme-files" / f"{key}.json"
        if listing is None and path is not None:
            stored = fs.read_json_entry(path)
            listing = stored if isinstance(stored, list) else None
        if listing is None:
            probe = Files([])
            original(probe, env, config)
            listing = [[f.src_uri, str(f.src_dir)] for f in probe]  # each found in a theme folder
            if path is not None:
                fs.write_entry(path, json.dumps(listing, ensure_ascii=False).encode("utf-8"))
                fs.prune(path.parent, "*.json", lambda old: old.stem == key)
        _THEME_LISTINGS.clear()
        _THEME_LISTINGS[key] = listing
        for uri, src_dir in listing:
            if files.get_file_from_path(uri) is None:  # a documentation file wins, as in MkDocs
                files.append(File(uri, src_dir, config.site_dir, config.use_directory_urls))

    setattr(Files, "add_files_from_theme", add_files_from_theme)  # noqa: B010 - a patch for this build
    return lambda: setattr(Files, "add_files_from_theme", original)


def _theme_key(env: jinja2.Environment, config: Any) -> str:
    from mkdocs import utils

    folders, _ = _template_folders(env)  # a project's folder by its files; a package's by its version
    if list(env.loader.searchpath) != list(config.theme.dirs):  # type: ignore[union-attr]
        raise _Unknown("the theme's loader")
    return digest(code_digest(), "theme-files", json.dumps([folders, sorted(config.theme.static_templates),
                                                           list(utils.markdown_extensions)], ensure_ascii=False))


# --- the preview's file watcher ---------------------------------------------------------------------

# What a save ends with: a file closed after writing, created, moved or deleted (never one opened or closed
# unwritten, as the build does to every source file). Not each write: a save is several, and a late notice
# (the build's thread holds the one core) would start a second build.
_CHANGES = ("FileClosedEvent", "FileCreatedEvent", "FileDeletedEvent", "FileMovedEvent")
QUICK_POLLING = 0.1  # seconds between two looks at the watched folders where no native observer works


def watch_quickly(server: Any) -> str:
    """Let `mkdocs serve` notice a save at once: the operating system's notices (inotify) in place of MkDocs'
    observer, which looks at every watched folder twice a second; where they are unavailable, a polling
    observer that looks ten times a second. Moves the watches made so far; later ones go to the new observer
    (the server schedules them on `server.observer`). Returns the kind now watching ("inotify", "polling",
    or "mkdocs" when the server is left as it is: untested versions, an observer already running).
    """
    import watchdog.events
    from watchdog.observers.polling import PollingObserver

    old = getattr(server, "observer", None)
    refs = getattr(server, "_watch_refs", None)
    handlers = getattr(old, "_handlers", None)
    if (not tested() or type(old) is not PollingObserver or old.is_alive() or not isinstance(refs, dict)
            or not isinstance(handlers, Mapping)):
        return "mkdocs"
    changes = [getattr(watchdog.events, name) for name in _CHANGES]
    makers = ((_native_observer, changes, "inotify"),
              (lambda: PollingObserver(timeout=QUICK_POLLING), None, "polling"))  # a polling observer's events: all
    for make, events, kind in makers:
        new = None
        try:
            new = make()
            if new is None:
                continue
            moved = {path: _schedule(new, handlers.get(watch, ()), watch, events) for path, watch in refs.items()}
            if events is not None:
                _schedule_only(new, events)
            new.start()  # now: a failure (no inotify watches left) falls back here, not in the server's thread
        except (OSError, TypeError):  # TypeError: a watchdog before 4.0 takes no event_filter
            if new is not None:
                new.stop()  # its emitters and, for inotify, the thread reading the notices
            continue
        # MkDocs starts the observer once the server runs; this one is running already.
        new.start = functools.partial(_start_once, new, new.start)  # type: ignore[method-assign]
        refs.update(moved)
        server.observer = new
        return kind
    return "mkdocs"


def _native_observer() -> Any:
    try:
        from watchdog.observers.inotify import InotifyObserver
    except (ImportError, OSError):  # not Linux
        return None
    return InotifyObserver()


def _start_once(observer: Any, start: Callable[[], None]) -> None:
    if not observer.is_alive():
        start()


def _schedule(observer: Any, handlers: Iterable[Any], watch: Any, changes: list | None) -> Any:
    new_watch = None
    for handler in handlers:
        new_watch = observer.schedule(handler, watch.path, recursive=watch.is_recursive, event_filter=changes)
    if new_watch is None:
        raise OSError(f"no handler for {watch.path}")  # not MkDocs' layout: leave its observer
    return new_watch


def _schedule_only(observer: Any, changes: list) -> None:
    """Let the server's later watches (`server.watch`, which names no events) report changes only too."""
    schedule = observer.schedule

    def changes_only(handler: Any, path: Any, *, recursive: bool = False, event_filter: Any = None,
                     follow_symlink: bool = False) -> Any:
        return schedule(handler, path, recursive=recursive, event_filter=event_filter or changes,
                        follow_symlink=follow_symlink)

    observer.schedule = changes_only
