"""Telling, before any page is touched, that a build would write what is already there.

A build's output is fixed by its inputs: the standards folder, mkdocs.yml and what it names
(hand-written pages, theme overrides, hooks, the editions kept and published), the environment
values the configuration reads, the generator's code and its libraries, and the build's own
options. After a successful build, a stamp records a digest of those inputs and a digest of the
output folder as written (every file's path, size and modification time). The next build with
the same inputs and an output folder still as the stamp saw it has nothing to do: it leaves the
folder untouched, byte for byte. Anything else (an edited YAML, a touched page in `site/`, a
missing stamp) is a full build.

Stamps are cache entries (`.cache/handbook/stamps/`, verified like the others): deleting them, or
`HANDBOOK_CACHE=0`, only means building again.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from generator import fs
from generator.build import cache

# What the environment can change in a build: the build date, the helper-process switch, and any
# variable the configuration reads with !ENV. (The standards folder and the forms switch are the
# plugin's options, digested below with the build's own.)
_ENVIRONMENT = ("SOURCE_DATE_EPOCH", "HANDBOOK_JOBS")
_ENV_TAG = re.compile(r"!ENV\s+\[?\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)")
_INHERIT = re.compile(r"^INHERIT:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE)


def _config_files(config_file: Path) -> list[Path]:
    """mkdocs.yml and the files it inherits from (INHERIT:), nearest first."""
    files, seen = [], set()
    path: Path | None = config_file.resolve()
    while path is not None and path not in seen and path.is_file():
        seen.add(path)
        files.append(path)
        found = _INHERIT.search(path.read_text(encoding="utf-8", errors="replace"))
        path = (path.parent / found.group(1).strip()).resolve() if found else None
    return files


def inputs_digest(config: Any, *, config_file: Path, standards: Path, site_dir: Path, forms: bool) -> str:
    """Digest of everything a `handbook build` of this project reads; config is the loaded MkDocs config."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in _config_files(config_file)]
    names = sorted({n.strip() for t in texts for m in _ENV_TAG.finditer(t) for n in m.group(1).split(",")})
    environment = {n: os.environ.get(n) for n in (*_ENVIRONMENT, *names)}
    plugin = config.plugins["standards"]
    base = config_file.resolve().parent
    from generator.publish.editions import editions_folder

    read = [standards, Path(config.docs_dir), editions_folder(base, plugin.config["editions"], standards)]
    if config.theme.custom_dir:
        read.append(Path(config.theme.custom_dir))
    if plugin.config["published"]:
        read.append(Path(plugin.config["published"]))
    read += [Path(getattr(h, "__file__", None) or name) for name, h in (config.get("hooks") or {}).items()]
    read += [Path(w) for w in config.get("watch") or ()]
    folders = sorted({p.resolve() for p in read})  # `watch: [standards]` is read once
    return cache.digest(
        cache.code_digest(), *texts, json.dumps(environment, sort_keys=True),
        json.dumps([str(site_dir.resolve()), forms, str(standards.resolve()), *map(str, folders)]),
        *(cache.tree_digest(p) for p in folders),
    )


def output_digest(folder: Path) -> str:
    """Digest of a folder as written: each file's path, size and modification time (no bytes read)."""
    if not folder.is_dir():
        return "missing"
    rows = []
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(parent, name)
            st = os.lstat(path)
            rows.append(f"{os.path.relpath(path, folder)}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_ino}")
    return cache.digest(*rows)


def _stamp_path(folder: Path, site_dir: Path) -> Path:
    return folder / "stamps" / f"{cache.digest(str(site_dir.resolve()))}.json"


def unchanged(folder: Path | None, site_dir: Path, inputs: str) -> bool:
    """True when site_dir was built from these inputs and has not been touched since."""
    if folder is None:
        return False
    data = fs.read_entry(_stamp_path(folder, site_dir))
    try:
        stamp = json.loads(data) if data is not None else None
    except ValueError:
        return False
    return (isinstance(stamp, dict) and stamp.get("inputs") == inputs
            and stamp.get("output") == output_digest(site_dir))


def record(folder: Path | None, site_dir: Path, inputs: str) -> None:
    """Remember that site_dir, as it is now, was built from inputs."""
    if folder is None:
        return
    stamp = {"inputs": inputs, "output": output_digest(site_dir)}
    fs.write_entry(_stamp_path(folder, site_dir), json.dumps(stamp).encode("utf-8"))


def forget(folder: Path | None, site_dir: Path) -> None:
    """Drop the stamp of site_dir (before a build that may fail half-way)."""
    if folder is not None:
        fs.discard([_stamp_path(folder, site_dir)])
