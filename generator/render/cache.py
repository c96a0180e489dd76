"""Content-hash caches for the deterministic, costly parts of a site build.

A build redoes work whose result is fixed by its input: parsing the YAML into a `Handbook`,
and jieba's segmentation of every run of Chinese text for Material's search index (about half
of a bare `mkdocs build` of a large Chinese handbook). Each result is stored under a key made
of everything it depends on — the input bytes, the jieba dictionary, the generator's own code
and the library versions — so a hit gives exactly what a cold build would compute, and the
site stays byte-identical (tests/render/test_cache.py builds both ways and compares).

The caches live in `.cache/handbook/` beside mkdocs.yml (`HANDBOOK_CACHE_DIR` moves them,
`HANDBOOK_CACHE=0` turns them off). Deleting the folder is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.fs import write_atomic
from generator.model import Handbook
from generator.render.export import export_json, handbook_from_export

log = logging.getLogger("mkdocs.plugins.standards")

CACHE_VERSION = "1"
_GENERATOR = Path(__file__).resolve().parent.parent
# What reading a damaged or foreign cache file can raise: it is then a miss.
# Caches are JSON, never pickle: reading one can give wrong data at worst, never run code.
_UNREADABLE = (OSError, ValueError, TypeError, KeyError, AttributeError)
_LIBRARIES = ("jieba", "mkdocs", "mkdocs-material", "markdown", "pyyaml", "jinja2", "nh3")


def cache_dir(config_dir: Path) -> Path | None:
    """The cache folder for a project whose mkdocs.yml is in config_dir; None when caching is off."""
    if os.environ.get("HANDBOOK_CACHE", "1") == "0":
        return None
    override = os.environ.get("HANDBOOK_CACHE_DIR")
    return Path(override) if override else config_dir / ".cache" / "handbook"


@functools.cache
def code_digest() -> str:
    """Digest of the generator's code, templates and assets and of the libraries it builds with."""
    h = hashlib.sha256(CACHE_VERSION.encode())
    for path in sorted(p for p in _GENERATOR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(_GENERATOR)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{name}=none\0".encode())
    return h.hexdigest()


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def tree_digest(root: Path) -> str:
    """Digest of every file under root: relative paths and bytes."""
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    return digest(*(part for p in files for part in (str(p.relative_to(root) if root.is_dir() else p.name),
                                                       p.read_bytes())))


# --- the loaded handbook ---------------------------------------------------------------------

_LOADED: dict[str, Any] = {}


def load_cached(root: Path, load: Callable[[Path], Handbook], folder: Path | None) -> Handbook:
    """load(root), or the same result from memory or folder when root's files and the code are unchanged.

    Only successful loads are stored: a source with problems is parsed every time, so its
    messages are always current.
    """
    key = digest(code_digest(), tree_digest(root))
    if key in _LOADED:
        return _LOADED[key]
    path = folder / "handbook" / f"{key}.json" if folder else None
    if path is not None and path.is_file():
        try:
            value = handbook_from_export(json.loads(path.read_bytes()))
        except _UNREADABLE:  # a truncated or foreign file is a miss, never an error
            value = None
        if value is not None:
            _LOADED[key] = value
            return value
    value = load(root)
    _LOADED.clear()  # one handbook per process is enough; keep memory flat while previewing
    _LOADED[key] = value
    if path is not None:
        for old in path.parent.glob("*.json") if path.parent.is_dir() else ():
            old.unlink(missing_ok=True)
        write_atomic(path, export_json(value).encode("utf-8"))
    return value


# --- jieba's segmentation --------------------------------------------------------------------


class SegmentCache:
    """A stand-in for the `jieba` module as Material's search plugin uses it: only `cut`.

    Each distinct input is cut once by the real jieba and remembered; the table is saved per
    dictionary, since any dictionary change (a new title is a new word) may change any cut.
    """

    def __init__(self, jieba_module: Any, dictionary: str, folder: Path | None) -> None:
        self._jieba = jieba_module
        self.key = digest(code_digest(), dictionary)
        self.path = folder / "segments" / f"{self.key}.json" if folder else None
        self.table: dict[str, list[str]] = {}
        self.hits = self.misses = 0
        self._dirty = False
        if self.path is not None and self.path.is_file():
            try:
                self.table = json.loads(self.path.read_bytes())
            except _UNREADABLE:
                self.table = {}

    def cut(self, sentence: bytes | str, *args: Any, **kwargs: Any) -> list[str]:
        if args or kwargs:  # other modes are not what Material asks for: no caching
            return list(self._jieba.cut(sentence, *args, **kwargs))
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence  # Material passes bytes
        words = self.table.get(text)
        if words is None:
            self.misses += 1
            words = self.table[text] = list(self._jieba.cut(sentence))
            self._dirty = True
        else:
            self.hits += 1
        return list(words)

    def __getattr__(self, name: str) -> Any:  # anything else goes to the real module
        return getattr(self._jieba, name)

    def save(self) -> None:
        """Write the table when it grew; drop the tables of other dictionaries."""
        if self.path is None or not self._dirty:
            return
        for old in self.path.parent.glob("*.json") if self.path.parent.is_dir() else ():
            if old != self.path:
                old.unlink(missing_ok=True)
        write_atomic(self.path, json.dumps(self.table, ensure_ascii=False).encode("utf-8"))
        self._dirty = False


def install_segment_cache(dictionary: str, folder: Path | None) -> SegmentCache | None:
    """Put a SegmentCache where Material's search plugin looks for jieba; None if it has no jieba."""
    try:
        from material.plugins.search import plugin as material_search
    except ImportError:
        return None
    current = getattr(material_search, "jieba", None)
    if current is None:
        return None
    real = current._jieba if isinstance(current, SegmentCache) else current
    cache = SegmentCache(real, dictionary, folder)
    material_search.jieba = cache
    return cache


def stats(caches: Iterable[SegmentCache | None]) -> str:
    hits = sum(c.hits for c in caches if c)
    misses = sum(c.misses for c in caches if c)
    return f"segmentation cache: {hits} hits, {misses} misses"


# --- Material's search entries, per page -----------------------------------------------------


class SearchEntryCache:
    """A stand-in for Material's `SearchIndex`: an unchanged page's entries come from the cache.

    Material re-parses every page's HTML and segments each section on every build. The entries
    of a page depend only on its HTML, URL, table of contents, title and metadata, and on the
    segmentation (the jieba dictionary, in `salt`); with the same inputs they are reused as they
    were. Everything but `add_entry_from_context` is the wrapped index's.
    """

    def __init__(self, index: Any, salt: str, folder: Path | None) -> None:
        self._index = index
        self._salt = digest(code_digest(), salt)
        self.path = folder / "search" / f"{self._salt}.json" if folder else None
        self.table: dict[str, str] = {}
        self.used: dict[str, str] = {}
        self.hits = self.misses = 0
        if self.path is not None and self.path.is_file():
            try:
                self.table = json.loads(self.path.read_bytes())
            except _UNREADABLE:
                self.table = {}

    def add_entry_from_context(self, page: Any) -> None:
        key = digest(self._salt, page.url, page.content or "", json.dumps(_toc(page.toc), ensure_ascii=False),
                     str(page.title), json.dumps(page.meta, sort_keys=True, ensure_ascii=False, default=str))
        cached = self.table.get(key)
        if cached is None:
            self.misses += 1
            before = len(self._index.entries)
            self._index.add_entry_from_context(page)
            cached = json.dumps(self._index.entries[before:], ensure_ascii=False)
        else:
            self.hits += 1
            self._index.entries.extend(json.loads(cached))
        self.used[key] = cached

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)

    def save(self) -> None:
        """Keep the entries of this build's pages only, so the file never grows past one site."""
        if self.path is None or (not self.misses and len(self.used) == len(self.table)):
            return
        for old in self.path.parent.glob("*.json") if self.path.parent.is_dir() else ():
            if old != self.path:
                old.unlink(missing_ok=True)
        write_atomic(self.path, json.dumps(self.used, ensure_ascii=False).encode("utf-8"))


def _toc(items: Iterable[Any]) -> list:
    return [[item.id, item.title, item.url, _toc(item.children)] for item in items]


def install_search_entry_cache(plugins: Any, salt: str, folder: Path | None) -> SearchEntryCache | None:
    """Wrap the search index of Material's search plugin; None if that plugin is not in use."""
    plugin = next((p for name, p in plugins.items() if name in ("material/search", "search")), None)
    index = getattr(plugin, "search_index", None)
    if plugin is None or index is None or not hasattr(index, "add_entry_from_context"):
        return None
    if isinstance(index, SearchEntryCache):
        index = index._index
    # The plugin's own settings (separator, languages, fields) shape its entries too.
    settings = json.dumps({k: plugin.config[k] for k in sorted(plugin.config)}, default=str, sort_keys=True)
    cache = SearchEntryCache(index, digest(salt, settings), folder)
    plugin.search_index = cache
    return cache


# --- whole texts -----------------------------------------------------------------------------


def cached_text(folder: Path | None, kind: str, parts: Iterable[bytes | str], make: Callable[[], str]) -> str:
    """make(), or its earlier result for the same parts (and code); one entry per kind is kept."""
    if folder is None:
        return make()
    key = digest(code_digest(), *parts)
    path = folder / kind / f"{key}.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    text = make()
    for old in path.parent.glob("*.txt") if path.parent.is_dir() else ():
        old.unlink(missing_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return text
