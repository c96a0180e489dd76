"""One build of the handbook's website through MkDocs, step by step; the MkDocs plugin calls one step per hook.

The plugin (generator/mkdocs_plugin/plugin.py) is the door; this is the room behind it, in the
build's order: `configure` (load the handbook, the settings the site takes from it), `install_hosts`
(the search caches, for this build only), `add_files` (the generated pages, the book, the revision
pages), `start_pages` (the page cache and, in a cold build, a helper process), per page `page_content`
and `page_context`, then `finish` (the data files, the search index, the forms) or `abort`. What one
step leaves for the next is an attribute of `SiteBuild`, not of the plugin.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.build import book, cache, parallel
from generator.build.adapters import material
from generator.build.adapters import mkdocs as mkdocs_host
from generator.build.clock import pin_build_time
from generator.build.forms import write_site_forms
from generator.errors import HandbookError
from generator.messages import say
from generator.model import Handbook
from generator.publish import editions, pagefind
from generator.publish.report import SiteAdditions
from generator.render import reader, search, search_index
from generator.render.sanitize import sanitize
from generator.render.site import ASSETS, OVERRIDES, Site, build_site, site_settings


def _has_host(url: str | None) -> bool:
    return bool(urlsplit(url or "").netloc)


def forms_url(config: Any) -> str:
    """Base URL for the forms' QR codes: site_url (the alias, when publishing), if it names a host."""
    return config.site_url if _has_host(config.site_url) else ""


@dataclasses.dataclass(kw_only=True)
class SiteBuild:
    """What one build knows, from its configuration to its last file."""

    options: Any  # the plugin's StandardsConfig
    serving: bool
    root: Path  # the standards folder, or an edition's standards.json
    cache_dir: Path | None
    handbook: Handbook
    source_key: str
    editions_root: Path
    dictionary: str
    glued: frozenset[str]
    site: Site | None = None
    search: material.SearchCaches = dataclasses.field(default_factory=material.SearchCaches)
    pages: mkdocs_host.PageCache | None = None
    outputs: mkdocs_host.ThemeOutputs | None = None  # the theme's output per page
    direct: mkdocs_host.DirectPages | None = None  # the generated pages whose HTML is made without Markdown
    helper: parallel.Helper | None = None
    compiled: mkdocs_host.CompiledTemplates | None = None  # the theme's templates, compiled once
    restore_theme_files: Callable[[], None] | None = None  # MkDocs' own add_files_from_theme, put back

    # --- on_config --------------------------------------------------------------------------------

    @classmethod
    def configure(cls, options: Any, config: Any, *, serving: bool, last: SiteBuild | None) -> SiteBuild:
        """Load the handbook and set what the site takes from it; last: the previous build while previewing.

        While previewing, a source with problems keeps the last good handbook on show until it is
        fixed; otherwise its problems stop the build (HandbookError).
        """
        base = Path(config.config_file_path).parent
        root = base / options.standards
        folder = cache.cache_dir(base)
        try:
            handbook, source_key = cache.load_cached(root, editions.load_source, folder)  # folder or snapshot
        except HandbookError as error:
            if not (serving and last is not None):
                raise
            # Printed, not logged: under `strict`, MkDocs would count a logged error and abort.
            print(f"{error.format()}\n{say('plugin.last_good')}", file=sys.stderr, flush=True)
            handbook, source_key = last.handbook, last.source_key
        # Plain `mkdocs build` is reproducible too: the sitemap's date comes from the edition.
        pin_build_time(handbook.edition.effective)
        settings = site_settings(handbook)
        config.site_name = settings["site_name"]
        config.theme["language"] = settings["language"]
        config.extra["handbook"] = {"notice": settings["notice"], **editions.banner_labels(handbook)}
        config.theme.dirs.insert(0, str(OVERRIDES))
        if "announce.dismiss" not in config.theme["features"]:  # the notice bar can be closed for good
            config.theme["features"].append("announce.dismiss")
        config.extra["handbook"]["search"] = options.search  # the theme override shows Pagefind's search box
        config.extra["handbook"]["search_labels"] = search_index.search_labels(handbook)
        if options.search == "pagefind":  # before building, not after
            pagefind.check(config.plugins)
        elif options.search == "handbook":
            pagefind.check_alone(config.plugins, "handbook")
        dictionary = search.user_dictionary(handbook)
        return cls(options=options, serving=serving, root=root, cache_dir=folder, handbook=handbook,
                   source_key=source_key, editions_root=editions.editions_folder(base, options.editions, root),
                   dictionary=dictionary, glued=search.dictionary_terms(dictionary))

    # --- on_pre_build -----------------------------------------------------------------------------

    def install_hosts(self, config: Any) -> None:
        """Every on_config has run, so Material's search index exists: put the search caches in, for this build."""
        cache.previewing(self.serving)  # until finish or abort: a preview keeps what the last build stored
        self.search = material.install(config.plugins, self.dictionary, self.cache_dir)
        self.restore_theme_files = mkdocs_host.install_theme_files(self.cache_dir)  # the theme's files, listed once

    # --- on_files ---------------------------------------------------------------------------------

    def add_files(self, files: Any, config: Any) -> Any:
        """The generated pages, assets, book and revision pages, as MkDocs files; the nav if none is set."""
        from mkdocs.structure.files import File, InclusionLevel

        handbook, forms = self.handbook, bool(self.options.forms)
        user_pages = [f.src_uri for f in files.documentation_pages()]
        extra = self._site_additions(config)
        if extra.print_html and forms:  # the 修订对照表's PDF: rendered again only when it changed
            pdf = cache.cached_bytes(self.cache_dir, "comparison", [extra.print_html, os.environ["SOURCE_DATE_EPOCH"]],
                                     lambda: editions.comparison_pdf(extra.print_html), suffix=".pdf")
            files.append(File.generated(config, editions.COMPARISON_PDF, content=pdf))
        # The whole handbook as one PDF and one Word file, beside the forms; not re-laid out on every
        # save while previewing.
        with_book = forms and not self.serving
        if with_book:
            for name, data in book.book_files(handbook, cache_dir=self.cache_dir).files.items():
                files.append(File.generated(config, name, content=data))
        url = forms_url(config) if forms else None
        inputs = json.dumps([user_pages, extra.history, extra.pages, [dataclasses.astuple(a) for a in extra.links],
                             url, with_book, str(ASSETS), extra.files, config.site_url or "",
                             config.use_directory_urls], ensure_ascii=False)
        # Each big page, event, …: an edit makes a few again. Events carry the site URL.
        parts = cache.Parts(self.cache_dir, "site-parts", per_site=True)
        self.site = site = cache.cached_value(  # the whole, for a source built again (not after an edit: cached_value)
            self.cache_dir, "site", [self.source_key, inputs],
            lambda: build_site(handbook, user_pages=user_pages, history=extra.history, extra_pages=extra.pages,
                               extra_links=extra.links, forms_site_url=url, extra_data=extra.files,
                               site_url=config.site_url or "", directory_urls=config.use_directory_urls,
                               book=with_book, parts=parts), Site.to_json, Site.from_json)
        parts.save()
        self.direct = mkdocs_host.DirectPages(handbook, extra.history, site.pages, config)
        in_nav = set(_nav_paths(site.nav))
        for path, markdown in site.pages.items():
            if files.get_file_from_path(path) is None:  # a hand-written page wins
                generated = File.generated(config, path, content=markdown)
                if path not in in_nav:  # forms and revision pages are linked, not listed: no "not in nav" notes
                    generated.inclusion = InclusionLevel.NOT_IN_NAV
                files.append(generated)
        for uri, source in site.assets.items():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        config.extra_css.extend(u for u in site.css if u not in config.extra_css)
        config.extra_javascript.extend(u for u in site.js if u not in config.extra_javascript)
        if not config.nav:
            config.nav = site.nav
        if self.options.search == "handbook":
            pages = json.dumps([sorted(site.pages), config.use_directory_urls])
            counts = cache.Parts(self.cache_dir, "handbook-search-counts")  # per field: an edit cuts one again
            # Each chapter's standards' entries and counts, one file each: an edit makes and writes its chapter's.
            chapters = cache.Shelf(self.cache_dir, "handbook-search-chapters")
            site.data.update(cache.cached_texts_state(  # an edit changes the postings of its entries in the last index
                self.cache_dir, "handbook-search", [self.source_key, pages],
                lambda last: search_index.search_files(handbook, pages=site.pages, counts=counts, last=last,
                                                       directory_urls=config.use_directory_urls, chapters=chapters),
                lambda last: dict(last["files"])))
            counts.save()
            chapters.save()
        return files

    def _site_additions(self, config: Any) -> SiteAdditions:
        """The revision pages against the edition before, from the cache while no edition has changed."""
        forms = bool(self.options.forms)
        published = Path(self.options.published) if self.options.published else None
        snapshots = [path for folder in (self.editions_root, published) if folder is not None and folder.is_dir()
                     for path in sorted(folder.glob(f"*/{editions.SNAPSHOT}"))]
        settings = json.dumps([str(self.editions_root), str(published), forms, config.use_directory_urls,
                               [str(p) for p in snapshots]], ensure_ascii=False)
        return SiteAdditions.from_json(cache.cached_text(
            self.cache_dir, "changes", [self.source_key, settings, *(p.read_bytes() for p in snapshots)],
            lambda: editions.site_additions(self.handbook, self.editions_root, pdf=forms, published=published,
                                            directory_urls=config.use_directory_urls).to_json()))

    # --- on_nav -----------------------------------------------------------------------------------

    def start_pages(self, config: Any, files: Any) -> None:
        """The page cache; in a cold build of a big handbook, a second process for part of the pages.

        Not while previewing: the server's threads and a fork do not mix.
        """
        self.pages = mkdocs_host.PageCache(config, files, self.cache_dir)
        self.outputs = mkdocs_host.ThemeOutputs(self.cache_dir, self.pages)
        self.pages.direct = self.direct  # chapter pages: their HTML made without Markdown
        self.helper = None if self.serving else parallel.start(config, files, self.pages, self.search.entries,
                                                                self.search.segments)

    # --- on_env -----------------------------------------------------------------------------------

    def theme_env(self, env: Any) -> Any:
        """The theme's Jinja: templates compiled once per project and code, each page's output stored."""
        self.compiled = env.bytecode_cache = mkdocs_host.CompiledTemplates(self.cache_dir, env)
        if self.outputs is not None:
            self.outputs.install(env)
        return env

    # --- per page ---------------------------------------------------------------------------------

    def page_content(self, html: str, page: Any, config: Any) -> str:
        if page.file.generated_by and self.pages is not None:  # a generated page: its result is stored
            def make() -> dict:
                clean = sanitize(html)
                return {"html": clean, "description": reader.page_description(clean, fallback=config.site_name)}

            made = self.pages.content(html, config.site_name, make)
            html, description = made["html"], Markup(made["description"])  # escaped, as page_description gives it
        else:
            if page.file.generated_by:
                html = sanitize(html)
            description = None
        if not page.meta.get("description"):
            page.meta["description"] = description or reader.page_description(html, fallback=config.site_name)
        return html

    def page_context(self, context: dict, page: Any, config: Any) -> dict:
        if not _has_host(config.site_url):  # `handbook publish` without a site_url: a path only
            page.canonical_url = None
        context["hb_print"] = reader.print_frame(self.handbook, page.canonical_url or page.url)
        return context

    # --- on_post_build, on_build_error -------------------------------------------------------------

    def finish(self, config: Any) -> None:
        """After Material's search plugin has written its index: the caches, data files, index, forms, Pagefind."""
        site_dir = Path(config.site_dir)
        try:
            if self.helper is not None:
                self.search.merge(self.helper.finish())
                self.helper = None
            self.search.save()
        finally:
            self.search.restore()
            self._restore_hosts()
            cache.previewing(False)
        if self.pages is not None:
            self.pages.prune()
        if self.outputs is not None:
            self.outputs.prune(on_disk=not self.serving)
        if self.compiled is not None:
            self.compiled.prune()
        assert self.site is not None  # add_files has run
        for path, text in self.site.data.items():
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_text(text, encoding="utf-8")
        material.refine_index(site_dir, self.glued, self.cache_dir)
        if self.options.forms:
            write_site_forms(self.handbook, site_dir, site_url=forms_url(config), cache_dir=self.cache_dir,
                             progress=sys.stderr.isatty() and not self.serving)
        if self.options.search == "pagefind":  # last: it indexes the pages as written
            pagefind.index_site(site_dir)

    def abort(self) -> None:
        """A failed build: stop the helper, put the hosts back as they were."""
        if self.helper is not None:
            self.helper.stop()
            self.helper = None
        self.search.restore()
        self._restore_hosts()
        cache.previewing(False)

    def _restore_hosts(self) -> None:
        if self.restore_theme_files is not None:
            self.restore_theme_files()
            self.restore_theme_files = None

    # --- on_serve ---------------------------------------------------------------------------------

    def watch(self, server: Any) -> None:
        mkdocs_host.watch_quickly(server)  # a save is noticed at once, not at the next of two looks a second
        server.watch(str(self.root))
        if self.editions_root.is_dir():
            server.watch(str(self.editions_root))


def _nav_paths(nav: object) -> list[str]:
    """Every page path in a MkDocs nav (nested lists and one-key mappings)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    return []
