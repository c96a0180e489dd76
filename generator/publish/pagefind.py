"""Pagefind as the site's search (`search: pagefind`): index the built site with Pagefind's extended build.

Pagefind writes its index, split into small parts fetched on demand, and its own search UI into the
site's `pagefind/` folder; the theme override (partials/pagefind.html) loads that UI from there.
The extended build segments Chinese text into words; the plain build would index whole runs of
characters and miss most queries.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from generator.errors import ToolError
from generator.messages import say

BUNDLE = "pagefind"  # the bundle's folder inside the built site
# Pagefind 1.5 splits a Chinese query with the browser's segmenter, not jieba, which cut the index:
# 党费 becomes 党 + 费 and finds 1 page of the bundled handbook, where 1.4 finds 10 (Pagefind issue #1237).
_VERSIONS = ((1, 4), (1, 5))  # [from, to)
# Material's search plugin, under the names MkDocs knows it by.
_MATERIAL_SEARCH = ("search", "material/search")
# Index each page's article (not the navigation, header or footer), without the ¶ permalinks.
# Pages without one (the printable forms) are left out.
_OPTIONS = ["--root-selector", "article", "--exclude-selectors", ".headerlink", "--output-subdir", BUNDLE]


def executable() -> Path:
    """pagefind_extended, from the pagefind_bin_extended package that `pagefind[extended]` installs."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise ToolError(say("pagefind.not_installed"), say("pagefind.install.hint")) from None
    version = importlib.metadata.version("pagefind_bin_extended")
    release = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    if not _VERSIONS[0] <= release < _VERSIONS[1]:
        raise ToolError(say("pagefind.version", version=version), say("pagefind.install.hint"))
    try:
        return get_executable()
    except FileNotFoundError as error:
        raise ToolError(say("pagefind.incomplete", error=error), say("pagefind.reinstall.hint")) from None


def check(plugins: Iterable[str]) -> None:
    """Before building: Pagefind is installed, and Material's search plugin is not also in use."""
    check_alone(plugins, "pagefind")
    executable()


def check_alone(plugins: Iterable[str], engine: str) -> None:
    """Material's search plugin is not in use beside another engine (`search: handbook` or `pagefind`).

    Both at once would give every page two search boxes over two indexes, one of them 15 MB
    at 5,000 standards.
    """
    listed = [name for name in plugins if name in _MATERIAL_SEARCH]
    if listed:
        raise ToolError.of("pagefind.material_search", engine=engine, plugin=listed[0])


def index_site(site_dir: Path) -> None:
    """Write Pagefind's bundle (index and UI) for the built site into site_dir/pagefind/."""
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)  # no parts of an older index left behind
    command = [str(executable()), "--site", str(site_dir), *_OPTIONS, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ToolError(say("pagefind.not_run", error=error), say("pagefind.check.hint")) from None
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        output = "\n".join(dict.fromkeys(lines))  # Pagefind repeats its error lines
        raise ToolError.of("pagefind.failed", site=site_dir, code=result.returncode, output=output)
