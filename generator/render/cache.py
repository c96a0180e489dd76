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
import logging
import marshal
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.standards")

CACHE_VERSION = "1"
_GENERATOR = Path(__file__).resolve().parent.parent
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


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the loaded handbook ---------------------------------------------------------------------

_LOADED: dict[str, Any] = {}


def load_cached(root: Path, load: Callable[[Path], Any], folder: Path | None) -> Any:
    """load(root), or the same result from memory or folder when root's files and the code are unchanged.

    Only successful loads are stored: a source with problems is parsed every time, so its
    messages are always current.
    """
    key = digest(code_digest(), tree_digest(root))
    if key in _LOADED:
        return _LOADED[key]
    path = folder / "handbook" / f"{key}.pickle" if folder else None
    if path is not None and path.is_file():
        try:
            value = pickle.loads(path.read_bytes())
        except Exception:  # a truncated or foreign file is a miss, never an error
            value = None
        if value is not None:
            _LOADED[key] = value
            return value
    value = load(root)
    _LOADED.clear()  # one handbook per process is enough; keep memory flat while previewing
    _LOADED[key] = value
    if path is not None:
        for old in path.parent.glob("*.pickle") if path.parent.is_dir() else ():
            old.unlink(missing_ok=True)
        _write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
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
        self.path = folder / "segments" / f"{self.key}.marshal" if folder else None
        self.table: dict[bytes | str, tuple[str, ...]] = {}
        self.hits = self.misses = 0
        self._dirty = False
        if self.path is not None and self.path.is_file():
            try:
                self.table = marshal.loads(self.path.read_bytes())
            except Exception:
                self.table = {}

    def cut(self, sentence: bytes | str, *args: Any, **kwargs: Any) -> list[str]:
        if args or kwargs:  # other modes are not what Material asks for: no caching
            return list(self._jieba.cut(sentence, *args, **kwargs))
        words = self.table.get(sentence)
        if words is None:
            self.misses += 1
            words = self.table[sentence] = tuple(self._jieba.cut(sentence))
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
        for old in self.path.parent.glob("*.marshal") if self.path.parent.is_dir() else ():
            if old != self.path:
                old.unlink(missing_ok=True)
        _write_atomic(self.path, marshal.dumps(self.table))
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
