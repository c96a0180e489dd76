"""Building the site into a folder without ever leaving a half-built one behind."""

from __future__ import annotations

import contextlib
import gc
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

from generator import fs
from generator.build.clock import pin_build_time
from generator.errors import Place, ToolError
from generator.messages import say
from generator.publish import uptodate
from generator.render.pages import render_pages
from generator.validate import load_handbook

# Written into every folder this tool makes, so that it only ever replaces its own output.
MARKER = ".handbook-output"


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise ToolError.of("publish.out_is_file", target=target)
    if (target / MARKER).exists() or not any(target.iterdir()):
        return
    raise ToolError(say("publish.not_ours", target=target), say("publish.not_ours.hint", marker=MARKER))


@contextlib.contextmanager
def replacing(target: Path, *, scratch: Path | None = None, trash: Path | None = None) -> Iterator[Path]:
    """Yield a fresh folder; on success it replaces target, on failure (or SIGTERM) it vanishes.

    scratch: the folder to build in (default: beside target; same file system). Only an empty folder
    or one this tool made (it carries MARKER) is ever replaced: pointed at a folder of someone's own
    files, nothing is touched. What a killed run left is cleaned up first. trash: where the previous
    target goes to be removed later (fs.swap_in, fs.empty_trash); default: removed at once.
    """
    target = target.resolve()
    fs.recover(target, scratch)
    _check_replaceable(target)
    work = fs.scratch_dir(target, scratch)
    try:
        yield work
        (work / MARKER).write_text("made by the handbook tool; this folder is replaced on each build\n",
                                   encoding="utf-8")
        work.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        target.parent.mkdir(parents=True, exist_ok=True)
        fs.swap_in(work, target, trash)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def mkdocs_config(config_file: Path, standards: Path, site_dir: Path, *, forms: bool):
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not config_file.is_file():
        raise ToolError.of("publish.no_config", file=config_file)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
    except MkDocsException as error:  # Abort is also a SystemExit: catch it before it ends the program
        docs = config_file.parent / "docs"  # MkDocs's default docs_dir, which a copied mkdocs.yml lacks
        hint = say("publish.no_docs.hint", docs=docs) if not docs.exists() else say("publish.bad_config.hint")
        raise ToolError(error.format_message(), hint, place=Place(path=str(config_file))) from None
    plugin = config.plugins.get("standards")
    if plugin is None:
        raise ToolError.of("publish.no_plugin", file=config_file)
    plugin.config["standards"] = str(standards.resolve())
    plugin.config["forms"] = forms
    return config


def build_site_dir(*, config_file: Path, standards: Path, site_dir: Path, forms: bool = True) -> bool:
    """Validate, build into a temporary folder, then swap it in for site_dir.

    Returns False, having touched nothing, when site_dir already holds what this build would write
    (generator.publish.uptodate): same source, configuration, code and options, output as left.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from generator.build import cache

    folder = cache.cache_dir(config_file.resolve().parent)
    target = site_dir.resolve()
    config = mkdocs_config(config_file, standards, target, forms=forms)
    inputs = uptodate.inputs_digest(config, config_file=config_file, standards=standards, site_dir=target,
                                    forms=forms)
    if uptodate.unchanged(folder, target, inputs):
        return False
    # Problems stop us here, before anything is touched; the plugin then finds the result in memory.
    handbook, _ = cache.load_cached(standards, load_handbook, folder)
    pin_build_time(handbook.edition.effective)
    uptodate.forget(folder, target)
    # The last build's old site, moved into the cache folder rather than removed while it waited:
    # removed now, beside this build's work.
    trash = folder / "trash" if folder is not None else None
    emptied = fs.empty_trash(trash)
    try:
        with replacing(target, trash=trash) as work, _kept_aside():
            config["site_dir"] = str(work)
            try:
                build(config)
            except MkDocsException as error:
                raise ToolError.of("publish.build_failed", error=error) from None
    finally:
        emptied()
    uptodate.record(folder, target, inputs)
    return True


@contextlib.contextmanager
def _kept_aside() -> Iterator[None]:
    """What is alive now (the code, the configuration, the loaded handbook) lives through the build: the cyclic
    collector's full passes leave it aside until the build ends (gc.freeze). Walking it again and again took
    0.4–0.8 s of a new process's edit build at 5,000 standards; what the build makes is collected as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def serve(*, config_file: Path, standards: Path, dev_addr: str, forms: bool = True) -> None:
    """mkdocs serve with the handbook's settings; YAML errors are shown and the last good site stays."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    load_handbook(standards)  # refuse to start on a broken source: there is no good site yet
    mkdocs_config(config_file, standards, config_file.parent / "site", forms=forms)  # the same checks as a build
    # MkDocs reloads mkdocs.yml on every save; the plugin's options go in as an override each time.
    plugins = plugin_options(config_file, standards=str(standards.resolve()), forms=forms)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, plugins=plugins)


def plugin_options(config_file: Path, **options: object) -> list | dict:
    """mkdocs.yml's `plugins` with these options set on the standards plugin: an override for load_config.

    Given to every reload of the configuration while previewing, so it can be read any number of times.
    """
    from mkdocs.utils import yaml_load

    from generator.build.adapters.mkdocs import ReusablePlugins

    with open(config_file, "rb") as handle:
        plugins = (yaml_load(handle) or {}).get("plugins") or []
    if isinstance(plugins, dict):
        return {**plugins, "standards": {**(plugins.get("standards") or {}), **options}}
    return ReusablePlugins(
        {"standards": {**((item.get("standards") or {}) if isinstance(item, dict) else {}), **options}}
        if item == "standards" or (isinstance(item, dict) and "standards" in item) else item
        for item in plugins)


def export_markdown(standards: Path, out: Path) -> int:
    """Write every generated page as a plain Markdown file under out."""
    pages = render_pages(load_handbook(standards))
    with replacing(out) as work:
        for path, text in pages.items():
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return len(pages)


def make_forms(*, standards: Path, out: Path, formats: tuple[str, ...], config_file: Path, jobs: int | None):
    """`handbook forms`: only the printable forms, cached beside mkdocs.yml like a site build."""
    import sys

    from generator.build import cache
    from generator.build.forms import render_forms

    handbook = load_handbook(standards)
    pin_build_time(handbook.edition.effective)
    # site_url as a build reads it (with !ENV and the rest), for the QR codes
    site_url = mkdocs_config(config_file, standards, out, forms=True).site_url or ""
    root = cache.cache_dir(config_file.resolve().parent)
    return render_forms(handbook, out, formats=formats, site_url=site_url, jobs=jobs,
                        cache_dir=root and root / "forms", progress=sys.stderr.isatty())

