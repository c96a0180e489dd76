"""Publishing editions side by side: public/<edition>/, an alias copy, versions.json, a root redirect.

The layout is the one mike writes and Material's version selector reads
(`extra.version.provider: mike`), but made of plain files: no git branch, no symlinks.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from generator import fs
from generator.build.clock import pin_build_time
from generator.errors import Problem, ToolError
from generator.fs import write_atomic
from generator.messages import say
from generator.model import Handbook
from generator.publish.build import mkdocs_config, replacing
from generator.publish.printing import comparison_pdf
from generator.publish.renames import rename_warnings
from generator.publish.report import COMPARISON_PDF, SiteAdditions, banner_labels, previous_edition
from generator.publish.report import site_additions as _additions
from generator.publish.sources import load_snapshot
from generator.validate import load_handbook

__all__ = ["COMPARISON_PDF", "banner_labels", "comparison_pdf", "earlier_editions", "editions_folder",
           "load_snapshots", "load_source", "publish_edition", "revision_warnings", "site_additions",
           "versions_data"]

log = logging.getLogger("handbook.publish")

VERSIONS = "versions.json"
SNAPSHOT = "standards.json"
# Names at the top of the output folder that are not editions: an edition or alias may not take them.
_RESERVED = frozenset({VERSIONS, "index.html", "404.html", "sitemap.xml", "sitemap.xml.gz", "robots.txt"})
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def load_source(path: Path) -> Handbook:
    """An edition to build: a standards folder, or a frozen standards.json (a previous edition)."""
    return load_snapshot(path) if path.suffix == ".json" else load_handbook(path)


def editions_folder(config_dir: Path, setting: str, standards: Path) -> Path:
    """Where earlier editions' snapshots are kept: the plugin's `editions` setting, else beside the standards."""
    return config_dir / setting if setting else standards.parent / "editions"


def load_snapshots(folder: Path) -> list[Handbook]:
    """Every `<folder>/<edition>/standards.json`, oldest first; a missing folder holds none."""
    if not folder.is_dir():
        return []
    books = [load_snapshot(p) for p in sorted(folder.glob(f"*/{SNAPSHOT}"))]
    # Only folders named after their edition: an alias copy or a half-moved folder is no edition.
    books = [b for b, p in zip(books, sorted(folder.glob(f"*/{SNAPSHOT}"))) if p.parent.name == b.edition.id]
    return sorted(books, key=lambda b: (b.edition.effective, b.edition.id))


def earlier_editions(editions_folder: Path, published: Path | None = None) -> tuple[list[Handbook], set[str]]:
    """The snapshots of every earlier edition, and the IDs of those published in `published`.

    An edition published in `published` (`handbook publish --out`) wins over its copy under
    editions_folder: it is what readers see beside the new edition.
    """
    out = load_snapshots(published) if published else []
    ids = {b.edition.id for b in out}
    kept = [b for b in load_snapshots(editions_folder) if b.edition.id not in ids]
    return [*kept, *out], ids


def revision_warnings(standards: Path, handbook: Handbook, folder: Path,
                      published: Path | None = None) -> list[Problem]:
    """Warnings about the revision against the edition before (a likely rename without `replaces:`)."""
    if standards.suffix == ".json":  # a snapshot: its edition was published long ago
        return []
    return rename_warnings(standards, previous_edition(handbook, earlier_editions(folder, published)[0]), handbook)


def site_additions(handbook: Handbook, folder: Path, *, published: Path | None = None, directory_urls: bool = True,
                   pdf: bool = False) -> SiteAdditions:
    """The revision pages and history lines of handbook against the edition before it.

    The edition before is the newest earlier one published in `published`, or else kept in folder;
    links into it are made only when it is published beside this one.
    """
    earlier, ids = earlier_editions(folder, published)
    before = previous_edition(handbook, earlier)
    return _additions(handbook, earlier, directory_urls=directory_urls, pdf=pdf,
                      link_old=before is not None and before.edition.id in ids)


def versions_data(editions: list[Handbook], alias: str) -> list[dict[str, object]]:
    """versions.json as Material reads it: newest first; the alias on the edition in force.

    Material's version selector inserts each title as HTML: it is escaped here.
    """
    newest_first = sorted(editions, key=lambda b: (b.edition.effective, b.edition.id), reverse=True)
    return [{"version": b.edition.id, "title": html.escape(b.edition.label, quote=False),
             "aliases": [alias] if i == 0 and alias else []} for i, b in enumerate(newest_first)]


def redirect_html(target: str) -> str:
    url = html.escape(target, quote=True)
    return (f'<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>Redirecting</title>\n'
            f'<meta http-equiv="refresh" content="0; url={url}">\n<link rel="canonical" href="{url}">\n'
            f'<script>location.replace("{url}" + location.hash)</script>\n</head>\n'
            f'<body><a href="{url}">{url}</a></body>\n</html>\n')


def publish_edition(*, config_file: Path, standards: Path, out: Path, alias: str = "latest", force: bool = False,
                    forms: bool = True) -> Handbook:
    """Build the current edition into out/<edition id>/ and update the alias, versions.json and index.html.

    Refuses an edition already published unless force. Every folder is built beside out/ and swapped
    in, so a failed or interrupted run leaves out/ as it was; a second publish into out/ waits. The new
    edition's snapshot is also kept in the editions folder, where the next revision finds it even if
    out/ is gone.
    """
    _check_alias(alias)
    handbook = load_source(standards)
    edition = handbook.edition.id
    if edition in _RESERVED:
        raise ToolError.of("publish.edition_reserved", edition=repr(edition))
    if alias and alias == edition:
        raise ToolError.of("publish.alias_is_edition", alias=repr(alias))
    out = out.resolve()
    # One publish into a folder at a time: each reads the editions published so far and writes
    # versions.json, the root page and the alias from them.
    with fs.locked(out.parent / f".{out.name}.lock", say("publish.waiting", out=out)):
        _publish_locked(handbook, config_file=config_file, standards=standards, out=out, alias=alias,
                        force=force, forms=forms)
    return handbook


def _publish_locked(handbook: Handbook, *, config_file: Path, standards: Path, out: Path, alias: str, force: bool,
                    forms: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    edition = handbook.edition.id
    target = out / edition
    # An edition folder that versions.json does not list is what an interrupted publish left: redone.
    if target.exists() and _listed(out, edition) and not force:
        raise ToolError.of("publish.already_published", edition=edition, target=target)
    _read_versions(out)  # a damaged versions.json stops us before anything is built
    if alias and (out / alias).exists() and not _is_alias(out, alias):
        raise ToolError.of("publish.alias_taken", path=out / alias)
    pin_build_time(handbook.edition.effective)
    published = [b for b in load_snapshots(out) if b.edition.id not in (edition, alias)]
    versions = versions_data([*published, handbook], alias)
    in_force = str(versions[0]["version"])
    scratch = out.parent  # never inside out/: what is there gets deployed

    with _removed_if_left_empty(out):
        with replacing(target, scratch=scratch) as work:
            try:
                config = mkdocs_config(config_file, standards, work, forms=forms)
            except MkDocsException as error:  # e.g. a missing docs_dir; the messages above name it
                raise ToolError.of("publish.invalid_config", file=config_file, error=error) from None
            config.extra["version"] = {"provider": "mike", "default": alias or edition, "alias": bool(alias)}
            plugin = config.plugins["standards"].config
            plugin["published"] = str(out)
            config.site_url = published_site_url(config.site_url, alias or edition, config_file)
            try:
                build(config)
            except MkDocsException as error:
                raise ToolError.of("publish.build_failed", error=error) from None
            if not (work / SNAPSHOT).is_file():
                raise ToolError.of("publish.no_snapshot", snapshot=SNAPSHOT)
        if alias and in_force == edition:
            with replacing(out / alias, scratch=scratch) as work:
                shutil.copytree(target, work, dirs_exist_ok=True)
        write_atomic(out / "index.html", redirect_html(f"{alias or in_force}/"))
        # Last: an edition is published once versions.json lists it.
        write_atomic(out / VERSIONS, json.dumps(versions, ensure_ascii=False, indent=2) + "\n")
    keep = editions_folder(config_file.resolve().parent, plugin["editions"], standards.resolve())
    for problem in revision_warnings(standards, handbook, keep, out):
        log.warning(problem.format())
    if standards.suffix != ".json":  # an edition published from its snapshot is kept already
        _keep_snapshot(target / SNAPSHOT, keep / edition / SNAPSHOT)


def published_site_url(site_url: str | None, folder: str, config_file: Path) -> str:
    """site_url as published: `<site_url>/<alias>/`, so canonical links and QR codes lead to the edition in force.

    Unset, or pointing at this machine, it becomes the path `/<alias>/` (with a warning): the 404
    page and the sitemap need one, and they then assume the published folder is served at the
    server's root; pages get no canonical link and forms no QR code, because a printed QR code or a
    search engine must never be sent to `localhost`.
    """
    host = urllib.parse.urlsplit(site_url or "").hostname or ""
    if host in _LOCAL_HOSTS or host.startswith("127."):
        log.warning("%s", say("publish.site_url_local", file=config_file, url=site_url))
    elif not site_url:
        log.warning("%s", say("publish.site_url_unset", file=config_file))
    else:
        return f"{site_url.rstrip('/')}/{folder}/"
    return f"/{folder}/"


_LOCAL_HOSTS = {"localhost", "0.0.0.0", "::1", "[::1]"}


def _keep_snapshot(snapshot: Path, kept: Path) -> None:
    data = snapshot.read_bytes()
    if not kept.is_file() or kept.read_bytes() != data:
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(kept, data)


def _read_versions(out: Path) -> list[dict[str, object]]:
    """versions.json of a published folder ([] if there is none); a damaged one is an error naming it."""
    path = out / VERSIONS
    if not path.exists():
        return []
    try:
        versions = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(versions, list) or not all(isinstance(v, dict) and "version" in v for v in versions):
            raise ValueError("expected a list of {\"version\": …} objects")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ToolError.of("publish.bad_versions", path=path, error=error) from None
    return versions


@contextlib.contextmanager
def _removed_if_left_empty(folder: Path) -> Iterator[None]:
    """A folder this run creates goes away again if the run fails before putting anything in it."""
    existed = folder.exists()
    try:
        yield
    except BaseException:
        if not existed and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise


def _check_alias(alias: str) -> None:
    if alias and (not _PLAIN_NAME.fullmatch(alias) or ".." in alias or alias in _RESERVED):
        raise ToolError.of("publish.bad_alias", alias=repr(alias))


def _listed(out: Path, edition: str) -> bool:
    return any(v.get("version") == edition for v in _read_versions(out))


def _is_alias(out: Path, alias: str) -> bool:
    return any(alias in aliases for v in _read_versions(out) if isinstance(aliases := v.get("aliases"), list))
