"""The `standards` MkDocs plugin: a door onto generator.render.site, a few lines per hook."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.errors import HandbookError, ToolError
from generator.messages import say
from generator.mkdocs_plugin.config import StandardsConfig
from generator.model import Handbook
from generator.publish import book, editions, pagefind
from generator.render import cache, page_html, parallel, reader, search, search_index
from generator.render.sanitize import sanitize
from generator.render.site import ASSETS, OVERRIDES, Site, build_site, site_settings, write_site_forms
from generator.render.timestamps import source_date_epoch

log = logging.getLogger("mkdocs.plugins.standards")


def _has_host(url: str | None) -> bool:
    return bool(urlsplit(url or "").netloc)


class StandardsPlugin(BasePlugin[StandardsConfig]):
    supports_multiple_instances = False

    serving = False
    handbook: Handbook | None = None  # the last good one, kept while previewing
    helper: parallel.Helper | None = None  # a second process converting pages, in a cold build

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        # `handbook serve --standards DIR` reaches the plugin through the environment.
        self.root = Path(config.config_file_path).parent / os.environ.get("HANDBOOK_STANDARDS", self.config.standards)
        if os.environ.get("HANDBOOK_FORMS") == "0":
            self.config["forms"] = False
        try:
            self.cache_dir = cache.cache_dir(Path(config.config_file_path).parent)
            self.handbook, self.source_key = cache.load_cached(self.root, editions.load_source,
                                                               self.cache_dir)  # folder or snapshot
        except ToolError as error:
            raise PluginError(str(error)) from None
        except HandbookError as error:
            if not (self.serving and self.handbook):
                raise PluginError(say("plugin.source_problems", problems=error.format())) from None
            # While previewing, keep showing the last good handbook until the YAML is fixed.
            # Printed, not logged: under `strict`, MkDocs would count a logged error and abort.
            print(f"{error.format()}\n{say('plugin.last_good')}", file=sys.stderr, flush=True)
        # Plain `mkdocs build` is reproducible too: the sitemap's date comes from the edition.
        os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(self.handbook.edition.effective))
        settings = site_settings(self.handbook)
        config.site_name = settings["site_name"]
        config.theme["language"] = settings["language"]
        config.extra["handbook"] = {"notice": settings["notice"], **editions.banner_labels(self.handbook)}
        config.theme.dirs.insert(0, str(OVERRIDES))
        if "announce.dismiss" not in config.theme["features"]:  # the notice bar can be closed for good
            config.theme["features"].append("announce.dismiss")
        base = Path(config.config_file_path).parent
        self.editions_root = editions.editions_folder(base, self.config.editions, self.root)
        self.dictionary = search.user_dictionary(self.handbook)
        self.glued = search.dictionary_terms(self.dictionary)
        self.site: Site | None = None
        config.extra["handbook"]["search"] = self.config.search  # the theme override shows Pagefind's search box
        config.extra["handbook"]["search_labels"] = search_index.search_labels(self.handbook)
        try:  # before building, not after
            if self.config.search == "pagefind":
                pagefind.check(config.plugins)
            elif self.config.search == "handbook":
                pagefind.check_alone(config.plugins, "handbook")
        except ToolError as error:
            raise PluginError(str(error)) from None
        return config

    def on_files(self, files: Files, *, config):
        handbook = self.handbook
        assert handbook is not None  # on_config has loaded it or raised
        user_pages = [f.src_uri for f in files.documentation_pages()]
        try:
            extra = editions.site_additions(handbook, self.editions_root, pdf=self.config.forms,
                                            published=Path(self.config.published) if self.config.published else None,
                                            directory_urls=config.use_directory_urls)
        except ToolError as error:
            raise PluginError(str(error)) from None
        if extra.print_html and self.config.forms:
            pdf = editions.comparison_pdf(extra.print_html)
            files.append(File.generated(config, editions.COMPARISON_PDF, content=pdf))
        # The whole handbook as one PDF and one Word file, beside the forms; not re-laid out on every
        # save while previewing.
        with_book = bool(self.config.forms) and not self.serving
        if with_book:
            made = book.book_files(handbook, cache_dir=self.cache_dir)
            for name, data in made.files.items():
                files.append(File.generated(config, name, content=data))
        forms_url = self._forms_url(config) if self.config.forms else None
        inputs = json.dumps([user_pages, extra.history, extra.pages, [dataclasses.astuple(a) for a in extra.links],
                             forms_url, with_book, str(ASSETS), extra.files, config.site_url or "",
                             config.use_directory_urls], ensure_ascii=False)
        self.site = Site.from_json(cache.cached_text(  # the pages of a big handbook take a while to write
            self.cache_dir, "site", [self.source_key, inputs],
            lambda: build_site(handbook, user_pages=user_pages, history=extra.history, extra_pages=extra.pages,
                               extra_links=extra.links, forms_site_url=forms_url, extra_data=extra.files,
                               site_url=config.site_url or "", directory_urls=config.use_directory_urls,
                               book=with_book).to_json()))
        self.direct = page_html.DirectPages(handbook, extra.history, self.site.pages, config)
        in_nav = set(_nav_paths(self.site.nav))
        for path, markdown in self.site.pages.items():
            if files.get_file_from_path(path) is None:  # a hand-written page wins
                generated = File.generated(config, path, content=markdown)
                if path not in in_nav:  # forms and revision pages are linked, not listed: no "not in nav" notes
                    generated.inclusion = InclusionLevel.NOT_IN_NAV
                files.append(generated)
        for uri, source in self.site.assets.items():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        config.extra_css.extend(u for u in self.site.css if u not in config.extra_css)
        config.extra_javascript.extend(u for u in self.site.js if u not in config.extra_javascript)
        if not config.nav:
            config.nav = self.site.nav
        if self.config.search == "handbook":
            site = self.site
            pages = json.dumps([sorted(site.pages), config.use_directory_urls])
            counts = cache.Parts(self.cache_dir, "handbook-search-counts")  # per entry: an edit cuts one again
            site.data.update(json.loads(cache.cached_text(
                self.cache_dir, "handbook-search", [self.source_key, pages],
                lambda: json.dumps(search_index.search_files(handbook, pages=site.pages, counts=counts,
                                                             directory_urls=config.use_directory_urls)))))
            counts.save()
        return files

    @event_priority(-100)  # after every plugin's on_files: the links' targets are all known
    def on_nav(self, nav, *, config, files):
        self.pages = cache.PageCache(config, files, self.cache_dir)
        self.pages.direct = self.direct  # chapter pages: their HTML made without Markdown
        # A cold build of a big handbook: a second process does part of the pages (not while
        # previewing: the server's threads and a fork do not mix).
        self.helper = None if self.serving else parallel.start(config, files, self.pages, self.entries,
                                                                self.segments)
        return nav

    def on_env(self, env, *, config, files):
        env.bytecode_cache = cache.COMPILED_TEMPLATES  # compiled once per process, for previews
        return env

    def on_pre_page(self, page, *, config, files):
        if page.file.generated_by:  # a hand-written page is always converted afresh
            page.render = functools.partial(self.pages.render, page)
        return page

    def on_page_content(self, html, *, page, config, files):
        if page.file.generated_by:
            html = sanitize(html)
        if not page.meta.get("description"):
            page.meta["description"] = reader.page_description(html, fallback=config.site_name)
        return html

    def on_pre_build(self, *, config):  # every on_config has run: Material's search index exists
        self.segments = cache.install_segment_cache(config.plugins, self.dictionary, self.cache_dir)
        salt = self.segments.key if self.segments is not None else ""
        self.entries = cache.install_search_entry_cache(config.plugins, salt, self.cache_dir)

    @event_priority(-100)  # after Material's search plugin has written its index
    def on_post_build(self, *, config):
        site_dir = Path(config.site_dir)
        if self.helper is not None:
            cuts = self.helper.finish()
            if self.segments is not None:
                self.segments.merge(cuts)
        for used in (self.segments, self.entries):
            if used is not None:
                used.save()
        self.pages.prune()
        for path, text in self.site.data.items():
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_text(text, encoding="utf-8")
        index = site_dir / "search" / "search_index.json"
        if index.exists():
            raw = index.read_text(encoding="utf-8")
            index.write_text(cache.cached_text(self.cache_dir, "search-index", [raw, *sorted(self.glued)],
                                               lambda: search.refine_index(raw, self.glued)), encoding="utf-8")
        if self.config.forms:
            write_site_forms(self.handbook, site_dir, site_url=self._forms_url(config),
                             cache_dir=self.cache_dir and self.cache_dir / "forms",
                             progress=sys.stderr.isatty() and not self.serving)
        if self.config.search == "pagefind":  # last: it indexes the pages as written
            try:
                pagefind.index_site(site_dir)
            except ToolError as error:
                raise PluginError(str(error)) from None

    def on_page_context(self, context, *, page, config, nav):
        if not _has_host(config.site_url):  # `handbook publish` without a site_url: a path only
            page.canonical_url = None
        context["hb_print"] = reader.print_frame(self.handbook, page.canonical_url or page.url)
        return context

    @staticmethod
    def _forms_url(config) -> str:
        """Base URL for the forms' QR codes: site_url (the alias, when publishing), if it names a host."""
        return config.site_url if _has_host(config.site_url) else ""

    def on_build_error(self, *, error):
        if self.helper is not None:
            self.helper.stop()

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.root))
        if self.editions_root.is_dir():
            server.watch(str(self.editions_root))
        return server


def _nav_paths(nav: object) -> list[str]:
    """Every page path in a MkDocs nav (nested lists and one-key mappings)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    return []
