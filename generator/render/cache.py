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
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from generator import fs
from generator.model import Handbook
from generator.render import search
from generator.render.export import export_json, handbook_from_export
from generator.validate.handbook import storing_files

log = logging.getLogger("mkdocs.plugins.standards")

CACHE_VERSION = "1"
_GENERATOR = Path(__file__).resolve().parent.parent
# What reading a damaged or foreign cache file can raise: it is then a miss.
# Caches are JSON, never pickle: reading one can give wrong data at worst, never run code.
_UNREADABLE = (OSError, ValueError, TypeError, KeyError, AttributeError)
_LIBRARIES = ("jieba", "mkdocs", "mkdocs-material", "markdown", "pyyaml", "jinja2", "nh3", "icalendar")


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
    if not root.exists():
        return digest("missing")  # loading it reports the problem
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    return digest(*(part for p in files for part in (str(p.relative_to(root) if root.is_dir() else p.name),
                                                       p.read_bytes())))


# --- the loaded handbook ---------------------------------------------------------------------

_LOADED: dict[str, Any] = {}


def load_cached(root: Path, load: Callable[[Path], Handbook], folder: Path | None) -> tuple[Handbook, str]:
    """load(root), or the same result from memory or folder when root's files and the code are unchanged.

    Returns the handbook and its key, a digest of the source and the code, for caching what is
    made from it. Only successful loads are stored: a source with problems is parsed every time,
    so its messages are always current.
    """
    key = digest(code_digest(), tree_digest(root))
    if key in _LOADED:
        return _LOADED[key], key
    path = folder / "handbook" / f"{key}.json" if folder else None
    stored = _read_json(path) if path is not None else None
    if stored is not None:
        try:
            value = handbook_from_export(stored)
        except _UNREADABLE:  # a foreign file is a miss, never an error
            value = None
        if value is not None:
            _LOADED[key] = value
            return value, key
    with storing_files(folder / "files" if folder else None, code_digest()):  # a new process re-checks edits only
        value = load(root)
    _LOADED.clear()  # one handbook per process is enough; keep memory flat while previewing
    _LOADED[key] = value
    if path is not None:
        _replace_entries(path, export_json(value).encode("utf-8"), "*.json")
    return value, key


# --- jieba's segmentation --------------------------------------------------------------------


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
        self.table: dict[str, list[str]] = {}
        self.added: dict[str, list[str]] = {}  # cut in this process
        self.hits = self.misses = 0
        self._dirty = False
        table = _read_json(self.path) if self.path is not None else None
        self.table = table if isinstance(table, dict) else {}

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
        _replace_entries(self.path, json.dumps(self.table, ensure_ascii=False).encode("utf-8"), "*.json")
        self._dirty = False


_TOKENIZERS: dict[str, Any] = {}


def install_segment_cache(plugins: Any, dictionary: str, folder: Path | None) -> SegmentCache | None:
    """Put a SegmentCache where Material's search plugin looks for jieba; None if it has no jieba.

    The cache cuts with a tokenizer of its own that knows the handbook's terms (and the search
    plugin's `jieba_dict` and `jieba_dict_user`): jieba's global one would keep the terms of every
    earlier build while previewing.
    """
    try:
        from material.plugins.search import plugin as material_search
    except ImportError:
        return None
    current = getattr(material_search, "jieba", None)
    plugin = _search_plugin(plugins)
    if current is None or plugin is None:
        return None
    module = current._module if isinstance(current, SegmentCache) else current
    files = [os.path.normpath(plugin.config.get(name) or "") for name in ("jieba_dict", "jieba_dict_user")]
    main, user = (f if f != "." and os.path.isfile(f) else None for f in files)
    key = digest(dictionary, *(Path(f).read_bytes() if f else b"" for f in (main, user)))

    def make() -> Any:
        if key not in _TOKENIZERS:
            _TOKENIZERS.clear()  # one per process: a preview's new terms make a new one
            _TOKENIZERS[key] = search.tokenizer(dictionary, main=main, user=user)
        return _TOKENIZERS[key]

    cache = SegmentCache(make, key, folder, module)
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
        self.helper: Any = None  # a generator.render.parallel.Helper doing part of the pages
        table = _read_json(self.path) if self.path is not None else None
        self.table = table if isinstance(table, dict) else {}

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
        _replace_entries(self.path, json.dumps(self.used, ensure_ascii=False).encode("utf-8"), "*.json")


def _toc(items: Iterable[Any]) -> list:
    return [[item.id, item.title, item.url, _toc(item.children)] for item in items]


def _search_plugin(plugins: Any) -> Any:
    return next((p for name, p in plugins.items() if name in ("material/search", "search")), None)


def install_search_entry_cache(plugins: Any, salt: str, folder: Path | None) -> SearchEntryCache | None:
    """Wrap the search index of Material's search plugin; None if that plugin is not in use."""
    plugin = _search_plugin(plugins)
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


# --- MkDocs's Markdown conversion, per generated page ------------------------------------------

# Extensions whose output depends only on the page's Markdown and the settings: a page rendered
# with any other (pymdownx.snippets reads other files, say) is always converted afresh.
_PURE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "meta", "nl2br",
    "sane_lists", "smarty", "tables", "toc", "wikilinks", "codehilite", "legacy_attrs", "legacy_em",
})
_PURE_PREFIXES = ("pymdownx.",)
_IMPURE = frozenset({"pymdownx.snippets"})


def _pure(extension: object) -> bool:
    if not isinstance(extension, str):
        return False
    name = extension.removeprefix("markdown.extensions.")
    return name not in _IMPURE and (name in _PURE_EXTENSIONS or name.startswith(_PURE_PREFIXES))


class _Records(logging.Handler):
    """Notices what MkDocs logs while converting one page (a broken link, say)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


class PageCache:
    """Remembers `Page.render` for generated pages: their HTML, table of contents and anchors.

    The conversion of a page depends on its Markdown, its own path and URL, the Markdown
    extensions and their settings, and (through its links) the paths and URLs of all files;
    all of that is in the key. A conversion that logged anything (a broken link warning under
    `strict`, say) is never stored, so it is repeated, with its message, on the next build.
    One file per page; files of pages no build uses any more are removed by `prune`.
    """

    def __init__(self, config: Any, files: Any, folder: Path | None) -> None:
        self.folder = folder / "pages" if folder else None
        settings = json.dumps([config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"]],
                              default=str, sort_keys=True, ensure_ascii=False)
        self.enabled = self.folder is not None and all(_pure(e) for e in config["markdown_extensions"])
        urls = "\0".join(f"{f.src_uri}\t{f.url}" for f in sorted(files, key=lambda f: f.src_uri))
        self._salt = digest(code_digest(), settings, urls)
        self.used: set[str] = set()
        self.fresh: dict[str, dict] = {}  # converted by this process in this build
        self.helper: Any = None  # a generator.render.parallel.Helper doing part of the pages
        self.direct: Any = None  # a generator.render.page_html.DirectPages: pages made without Markdown
        self.hits = self.misses = 0

    def key(self, page: Any, markdown: str | None = None) -> str:
        return digest(self._salt, page.file.src_uri, page.url, page.markdown if markdown is None else markdown)

    def stored(self, key: str) -> bool:
        return self.enabled and self.folder is not None and (self.folder / f"{key}.json").is_file()

    def render(self, page: Any, config: Any, files: Any) -> None:
        """page.render(config, files), or its stored result."""
        from mkdocs.structure.toc import get_toc

        if self.direct is not None and self.direct.render(page, files):
            return
        key = self.key(page)
        stored = self._lookup(page, key) if self.enabled else None
        if stored is not None:
            links = {files.get_file_from_path(uri): anchors for uri, anchors in stored["links"].items()}
            if None not in links:
                self.hits += 1
                self.used.add(key)
                page.content = stored["html"]
                page.toc = get_toc(stored["toc"])
                page._title_from_render = stored["title"]
                page.present_anchor_ids = set(stored["anchors"])
                page.links_to_anchors = links
                return
        self.misses += 1
        records = _Records()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(records)
        try:
            type(page).render(page, config, files)
        finally:
            logger.removeHandler(records)
        if not self.enabled or self.folder is None or records.seen:
            return
        self.used.add(key)
        self.fresh[key] = {
            "html": page.content, "toc": _tokens(page.toc), "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {f.src_uri: anchors for f, anchors in (page.links_to_anchors or {}).items()},
        }
        fs.write_entry(self.folder / f"{key}.json", json.dumps(self.fresh[key], ensure_ascii=False).encode("utf-8"))

    def _lookup(self, page: Any, key: str) -> dict | None:
        if key in self.fresh:
            return self.fresh[key]
        assert self.folder is not None
        stored = _read_json(self.folder / f"{key}.json")
        if stored is None and self.helper is not None:
            stored = self.helper.wait("page", page, key)  # the helper has written it to disk too
        return stored

    def prune(self) -> None:
        """Remove the stored pages this build did not use."""
        if self.folder is None or not self.folder.is_dir():
            return
        fs.discard(old for old in self.folder.glob("*.json") if old.stem not in self.used)


def _tokens(items: Iterable[Any]) -> list[dict]:
    return [{"name": i.title, "id": i.id, "level": i.level, "children": _tokens(i.children)} for i in items]


def _read_json(path: Path) -> Any:
    """A verified entry's JSON; None for a miss (missing, damaged, or not JSON)."""
    data = fs.read_entry(path)
    if data is None:
        return None
    try:
        return json.loads(data)
    except _UNREADABLE:
        return None


def _replace_entries(path: Path, data: bytes, pattern: str) -> None:
    """Store path, the one entry of its kind: the others in its folder are dropped."""
    if path.parent.is_dir():
        fs.discard(old for old in path.parent.glob(pattern) if old != path)
    fs.write_entry(path, data)


# --- the theme's templates, compiled once per process ------------------------------------------


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled theme templates, kept in memory: MkDocs makes a new Jinja environment for
    every build, so a preview would compile Material's templates again on every save. Kept in
    this process only (compiled code is never read back from disk). Jinja checks each template's
    source against its checksum, so an edited override is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


# --- whole texts -----------------------------------------------------------------------------


def cached_text(folder: Path | None, kind: str, parts: Iterable[bytes | str], make: Callable[[], str]) -> str:
    """make(), or its earlier result for the same parts (and code); one entry per kind is kept."""
    return cached_bytes(folder, kind, parts, lambda: make().encode("utf-8"), suffix=".txt").decode("utf-8")


def cached_bytes(folder: Path | None, kind: str, parts: Iterable[bytes | str], make: Callable[[], bytes],
                 suffix: str = ".bin") -> bytes:
    """The same for bytes (a PDF): make(), or its earlier result; one entry per kind is kept."""
    if folder is None:
        return make()
    key = digest(code_digest(), *parts)
    path = folder / kind / f"{key}{suffix}"
    stored = fs.read_entry(path)  # verified: a damaged entry is a miss
    if stored is not None:
        return stored
    data = make()
    _replace_entries(path, data, f"*{suffix}")
    return data


# --- parts of a whole, each kept under its own key ------------------------------------------------

_PARTS: dict[str, dict[str, Any]] = {}  # kind -> the last build's parts, for the next build of a preview


class Parts(MutableMapping[str, Any]):
    """Parts of a whole (each search entry's token counts, say) by a key of the part's own input:
    after an edit, only the changed parts are made again. Kept in memory for the next build of this
    process and in one file per kind and code, read at the first use; `save` keeps this build's
    parts only, and nothing when the whole came from its own cache.
    """

    def __init__(self, folder: Path | None, kind: str) -> None:
        self.kind = kind
        self.path = folder / kind / f"{code_digest()}.json" if folder else None
        self._known: dict[str, Any] | None = None
        self.used: dict[str, Any] = {}
        self.added = 0

    def _load(self) -> dict[str, Any]:
        if self._known is None:
            known = _PARTS.get(self.kind)
            if known is None and self.path is not None:
                stored = _read_json(self.path)
                known = stored if isinstance(stored, dict) else None
            self._known = known or {}
        return self._known

    def __getitem__(self, key: str) -> Any:
        if key not in self.used:
            self.used[key] = self._load()[key]
        return self.used[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._load()
        self.used[key] = value
        self.added += 1

    def __delitem__(self, key: str) -> None:
        self.used.pop(key, None)
        self._load().pop(key, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**self._load(), **self.used})

    def __len__(self) -> int:
        return len({**self._load(), **self.used})

    def save(self) -> None:
        """Keep this build's parts, in memory and (when they changed) on disk."""
        if self._known is None:  # not used: the whole was taken from its cache
            return
        _PARTS[self.kind] = self.used  # the last build's parts only: memory stays flat while previewing
        if self.path is not None and (self.added or len(self.used) != len(self._known)):
            _replace_entries(self.path, json.dumps(self.used, ensure_ascii=False).encode("utf-8"), "*.json")
