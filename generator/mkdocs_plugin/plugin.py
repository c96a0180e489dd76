"""The `standards` MkDocs plugin: a door onto generator.publish.site, one call per hook, in the build's order."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from generator.build.adapters import mkdocs as mkdocs_host
from generator.errors import HandbookError, ToolError
from generator.messages import say
from generator.mkdocs_plugin.config import StandardsConfig
from generator.publish.site import SiteBuild


@contextlib.contextmanager
def _as_plugin_errors() -> Iterator[None]:
    """The tool's errors as MkDocs reports a plugin's: its message, no traceback."""
    try:
        yield
    except ToolError as error:
        raise PluginError(str(error)) from None
    except HandbookError as error:
        raise PluginError(say("plugin.source_problems", problems=error.format())) from None


class StandardsPlugin(BasePlugin[StandardsConfig]):
    supports_multiple_instances = False

    serving = False
    run: SiteBuild | None = None  # this build; while previewing, the last one keeps the last good handbook

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        with _as_plugin_errors():
            self.run = SiteBuild.configure(self.config, config, serving=self.serving, last=self.run)
        return config

    def on_pre_build(self, *, config):
        self.run.install_hosts(config)

    def on_files(self, files, *, config):
        with _as_plugin_errors():
            return self.run.add_files(files, config)

    @event_priority(-100)  # after every plugin's on_files: the links' targets are all known
    def on_nav(self, nav, *, config, files):
        self.run.start_pages(config, files)
        return nav

    def on_env(self, env, *, config, files):
        return self.run.theme_env(env)

    def on_pre_page(self, page, *, config, files):
        mkdocs_host.attach(page, self.run.pages)  # the page-render hook point
        return page

    def on_page_content(self, html, *, page, config, files):
        return self.run.page_content(html, page, config)

    def on_page_context(self, context, *, page, config, nav):
        return self.run.page_context(context, page, config)

    @event_priority(-100)  # after Material's search plugin has written its index
    def on_post_build(self, *, config):
        with _as_plugin_errors():
            self.run.finish(config)

    def on_build_error(self, *, error):
        if self.run is not None:
            self.run.abort()

    def on_serve(self, server, *, config, builder):
        self.run.watch(server)
        return server
