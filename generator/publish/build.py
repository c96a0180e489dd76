"""Building the site into a folder without ever leaving a half-built one behind."""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.errors import ToolError
from generator.render.pages import render_pages
from generator.validate import load_handbook


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a fresh folder beside target; on success it replaces target, on failure it vanishes."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    work.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    work.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def source_date_epoch(effective: datetime.date) -> str:
    """Fixed build time for reproducible output: SOURCE_DATE_EPOCH if set, else the edition's date."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    moment = datetime.datetime.combine(effective, datetime.time(), tzinfo=datetime.timezone.utc)
    return str(int(moment.timestamp()))


def mkdocs_config(config_file: Path, standards: Path, site_dir: Path, *, forms: bool):
    from mkdocs.config import load_config

    if not config_file.is_file():
        raise ToolError(f"{config_file}: no such file", "run the command in the project folder, or pass -f FILE")
    config = load_config(str(config_file), site_dir=str(site_dir))
    plugin = config.plugins.get("standards")
    if plugin is None:
        raise ToolError(f"{config_file}: the 'standards' plugin is not enabled",
                        "add '- standards' under plugins:, before search")
    plugin.config["standards"] = str(standards.resolve())
    plugin.config["forms"] = forms
    return config


def build_site_dir(*, config_file: Path, standards: Path, site_dir: Path, forms: bool = True) -> None:
    """Validate, build into a temporary folder, then swap it in for site_dir."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    handbook = load_handbook(standards)  # problems stop us here, before anything is touched
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(handbook.edition.effective)
    with replacing(site_dir) as work:
        config = mkdocs_config(config_file, standards, work, forms=forms)
        try:
            build(config)
        except MkDocsException as error:
            raise ToolError(f"mkdocs build failed: {error}", "the messages above say which page or link") from None


def serve(*, config_file: Path, standards: Path, dev_addr: str, forms: bool = True) -> None:
    """mkdocs serve with the handbook's settings; YAML errors are shown and the last good site stays."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    load_handbook(standards)  # refuse to start on a broken source: there is no good site yet
    os.environ["HANDBOOK_STANDARDS"] = str(standards.resolve())
    os.environ["HANDBOOK_FORMS"] = "1" if forms else "0"
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


def export_markdown(standards: Path, out: Path) -> int:
    """Write every generated page as a plain Markdown file under out."""
    pages = render_pages(load_handbook(standards))
    with replacing(out) as work:
        for path, text in pages.items():
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return len(pages)
