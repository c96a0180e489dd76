"""Material for MkDocs' internals, fenced: its search plugin's `jieba` and `search_index`, and its index file.

Material's search plugin segments every section of every page with jieba and re-parses each
page's HTML on every build. Two stand-ins make an unchanged input cost nothing: `SegmentCache`
takes the place of the `jieba` module inside Material's search module, `SearchEntryCache` the
place of the plugin's `SearchIndex`. `install` puts them there for one build and `restore`
(called on success and on error) puts Material's own objects back, so nothing outlives the build.

Both rely on Material's private layout, so they are used only with the versions we test
(`TESTED`); with any other, `install` logs one line and the build runs uncached and unpatched.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator import fs
from generator.build.cache import cached_text, code_digest, digest, store_alone
from generator.render import search
from generator.render.adapters import tested as host_tested

HOST = "mkdocs-material"
TESTED = ("9.8.",)  # Material's releases whose search plugin these stand-ins were checked against


def tested() -> bool:
    """True when the installed Material is one whose internals this module knows; else says so once."""
    return host_tested(HOST, TESTED, "build.fallback_search")


class SegmentCache:
    """A stand-in for the `jieba` module as Material's search plugin uses it: only `cut`.

    Each distinct input is cut once and remembered; the table is saved per dictionary, since
    any dictionary change (a new title is a new word) may change any cut. The tokenizer is made
    by `make` on the first text not in the table: a rebuild with nothing new never loads jieba's
    dictionary. Anything but `cut` goes to `module`, the real jieba module.
    """

    def __init__(self, make: Callable[[], Any], key: str, folder: Path | None, module: Any = None) -> None:
        self._make = make
        self._tokenizer: Any = None
        self._module = module
        self.key = digest(code_digest(), key)
        self.path = folder / "segments" / f"{self.key}.json" if folder else None
        table = fs.read_json_entry(self.path) if self.path is not None else None
        self.table: dict[str, list[str]] = table if isinstance(table, dict) else {}
        self.added: dict[str, list[str]] = {}  # cut in this process
        self.hits = self.misses = 0
        self._dirty = False

    def cut(self, sentence: bytes | str, *args: Any, **kwargs: Any) -> list[str]:
        if args or kwargs:  # other modes are not what Material asks for: no caching
            return list(self._cutter().cut(sentence, *args, **kwargs))
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence  # Material passes bytes
        words = self.table.get(text)
        if words is None:
            self.misses += 1
            words = self.table[text] = self.added[text] = list(self._cutter().cut(sentence))
            self._dirty = True
        else:
            self.hits += 1
        return list(words)

    def _cutter(self) -> Any:
        if self._tokenizer is None:
            self._tokenizer = self._make()
        return self._tokenizer

    def __getattr__(self, name: str) -> Any:  # Material's on_config calls set_dictionary on the module
        return getattr(self._module, name)

    def merge(self, cuts: dict[str, list[str]]) -> None:
        """Add what another process cut (a helper's share of the pages)."""
        if cuts:
            self.table.update(cuts)
            self._dirty = True

    def save(self) -> None:
        """Write the table when it grew; drop the tables of other dictionaries."""
        if self.path is None or not self._dirty:
            return
        store_alone(self.path, json.dumps(self.table, ensure_ascii=False).encode("utf-8"), "*.json")
        self._dirty = False


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
        table = fs.read_json_entry(self.path) if self.path is not None else None
        self.table: dict[str, str] = table if isinstance(table, dict) else {}
        self.used: dict[str, str] = {}
        self.hits = self.misses = 0
        self.helper: Any = None  # a generator.build.parallel.Helper doing part of the pages

    def key(self, page: Any) -> str:
        return digest(self._salt, page.url, page.content or "", json.dumps(_toc(page.toc), ensure_ascii=False),
                      str(page.title), json.dumps(page.meta, sort_keys=True, ensure_ascii=False, default=str))

    def add_entry_from_context(self, page: Any) -> None:
        key = self.key(page)
        cached = self.table.get(key)
        if cached is None and self.helper is not None:
            cached = self.helper.wait("entries", page, key)
            self.misses += cached is not None  # made in the helper: new to the table on disk
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
        store_alone(self.path, json.dumps(self.used, ensure_ascii=False).encode("utf-8"), "*.json")


def _toc(items: Iterable[Any]) -> list:
    return [[item.id, item.title, item.url, _toc(item.children)] for item in items]


_TOKENIZERS: dict[str, Any] = {}


def _search_plugin(plugins: Any) -> Any:
    return next((p for name, p in plugins.items() if name in ("material/search", "search")), None)


@dataclasses.dataclass(kw_only=True)
class SearchCaches:
    """The stand-ins installed for one build, and what they replaced (put back by `restore`)."""

    segments: SegmentCache | None = None
    entries: SearchEntryCache | None = None
    _module: Any = None  # Material's search module, whose `jieba` was replaced
    _jieba: Any = None
    _plugin: Any = None  # Material's search plugin, whose `search_index` was replaced
    _index: Any = None

    def merge(self, cuts: dict[str, list[str]]) -> None:
        """Add what a helper process segmented."""
        if self.segments is not None:
            self.segments.merge(cuts)

    def save(self) -> None:
        for used in (self.segments, self.entries):
            if used is not None:
                used.save()

    def restore(self) -> None:
        """Put Material's jieba and search index back; safe to call twice."""
        if self._module is not None:
            self._module.jieba = self._jieba
            self._module = None
        if self._plugin is not None:
            if self._plugin.search_index is self.entries:
                self._plugin.search_index = self._index
            self._plugin = None


def install(plugins: Any, dictionary: str, folder: Path | None) -> SearchCaches:
    """Put the stand-ins where Material's search plugin looks, until `restore`; nothing on an untested Material.

    The segment cache cuts with a tokenizer of its own that knows the handbook's terms (and the
    search plugin's `jieba_dict` and `jieba_dict_user`): jieba's global one would keep the terms
    of every earlier build while previewing.
    """
    caches = SearchCaches()
    plugin = _search_plugin(plugins)
    if plugin is None:
        return caches
    if not tested():
        return caches
    from material.plugins.search import plugin as material_search

    current = getattr(material_search, "jieba", None)
    if current is not None:
        module = current._module if isinstance(current, SegmentCache) else current
        files = [os.path.normpath(plugin.config.get(name) or "") for name in ("jieba_dict", "jieba_dict_user")]
        main, user = (f if f != "." and os.path.isfile(f) else None for f in files)
        key = digest(dictionary, *(Path(f).read_bytes() if f else b"" for f in (main, user)))

        def make() -> Any:
            if key not in _TOKENIZERS:
                _TOKENIZERS.clear()  # one per process: a preview's new terms make a new one
                _TOKENIZERS[key] = search.tokenizer(dictionary, main=main, user=user)
            return _TOKENIZERS[key]

        caches.segments = SegmentCache(make, key, folder, module)
        caches._module, caches._jieba = material_search, module
        material_search.jieba = caches.segments
    index = getattr(plugin, "search_index", None)
    if index is not None and hasattr(index, "add_entry_from_context"):
        if isinstance(index, SearchEntryCache):
            index = index._index
        # The plugin's own settings (separator, languages, fields) shape its entries too.
        settings = json.dumps({k: plugin.config[k] for k in sorted(plugin.config)}, default=str, sort_keys=True)
        salt = caches.segments.key if caches.segments is not None else ""
        caches.entries = SearchEntryCache(index, digest(salt, settings), folder)
        caches._plugin, caches._index = plugin, index
        plugin.search_index = caches.entries
    return caches


def refine_index(site_dir: Path, glued: frozenset[str], folder: Path | None) -> None:
    """Rewrite the search index Material wrote (search/search_index.json) with the handbook's terms glued."""
    index = site_dir / "search" / "search_index.json"
    if not index.exists():
        return
    raw = index.read_text(encoding="utf-8")
    index.write_text(cached_text(folder, "search-index", [raw, *sorted(glued)],
                                 lambda: search.refine_index(raw, glued)), encoding="utf-8")
