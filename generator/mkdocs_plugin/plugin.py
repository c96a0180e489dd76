"""The `standards` MkDocs plugin: a door onto generator.render.site, a few lines per hook."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from generator.errors import HandbookError
from generator.mkdocs_plugin.config import StandardsConfig
from generator.render import search
from generator.render.sanitize import sanitize
from generator.render.site import OVERRIDES, Site, build_site, site_settings
from generator.validate import load_handbook

log = logging.getLogger("mkdocs.plugins.standards")


class StandardsPlugin(BasePlugin[StandardsConfig]):
    supports_multiple_instances = False

    serving = False
    handbook = None

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        # `handbook serve --standards DIR` reaches the plugin through the environment.
        self.root = Path(config.config_file_path).parent / os.environ.get("HANDBOOK_STANDARDS", self.config.standards)
        if os.environ.get("HANDBOOK_FORMS") == "0":
            self.config["forms"] = False
        try:
            self.handbook = load_handbook(self.root)
        except HandbookError as error:
            if not (self.serving and self.handbook):
                raise PluginError(f"the handbook source has problems:\n{error.format()}") from None
            # While previewing, keep showing the last good handbook until the YAML is fixed.
            log.error("the handbook source has problems; still showing the last good version:\n%s",
                      error.format())
        settings = site_settings(self.handbook)
        config.site_name = settings["site_name"]
        config.theme["language"] = settings["language"]
        config.extra["handbook"] = {"notice": settings["notice"]}
        config.theme.dirs.insert(0, str(OVERRIDES))
        self.glued = search.load_dictionary(search.user_dictionary(self.handbook))
        self.site: Site | None = None
        return config

    def on_files(self, files: Files, *, config):
        user_pages = [f.src_uri for f in files.documentation_pages()]
        self.site = build_site(self.handbook, user_pages=user_pages)
        for path, markdown in self.site.pages.items():
            if files.get_file_from_path(path) is None:  # a hand-written page wins
                files.append(File.generated(config, path, content=markdown))
        for uri, source in self.site.assets.items():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        config.extra_css.extend(u for u in self.site.css if u not in config.extra_css)
        config.extra_javascript.extend(u for u in self.site.js if u not in config.extra_javascript)
        if not config.nav:
            config.nav = self.site.nav
        return files

    def on_page_content(self, html, *, page, config, files):
        if page.file.generated_by:
            return sanitize(html)
        return html

    @event_priority(-100)  # after Material's search plugin has written its index
    def on_post_build(self, *, config):
        site_dir = Path(config.site_dir)
        for path, text in self.site.data.items():
            (site_dir / path).write_text(text, encoding="utf-8")
        index = site_dir / "search" / "search_index.json"
        if index.exists():
            index.write_text(search.add_parts(index.read_text(encoding="utf-8"), self.glued), encoding="utf-8")

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.root))
        return server
