"""Content-hash caches for the deterministic, costly parts of a build: the folder, the keys, the entries.

A build redoes work whose result is fixed by its input: parsing the YAML into a `Handbook`,
rendering forms and PDFs, jieba's segmentation of every run of Chinese text for Material's search
index (about half of a bare `mkdocs build` of a large Chinese handbook; see build/adapters/).
Each result is stored under a key made of everything it depends on — the input bytes, the jieba
dictionary, the generator's own code and the library versions — so a hit gives exactly what a cold build would compute, and the
site stays byte-identical (tests/render/test_cache.py builds both ways and compares).

The caches live in `.cache/handbook/` beside mkdocs.yml (`HANDBOOK_CACHE_DIR` moves them,
`HANDBOOK_CACHE=0` turns them off). Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib.metadata
import os
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, TypeVar

import orjson

from generator import fs
from generator.model import Handbook
from generator.model.plain import from_plain, to_plain
from generator.validate.handbook import storing_files

CACHE_VERSION = "1"
T = TypeVar("T")
_GENERATOR = Path(__file__).resolve().parent.parent
# Every library whose version can change what a build writes: the site's and the forms'.
_LIBRARIES = ("jieba", "mkdocs", "mkdocs-material", "markdown", "pyyaml", "jinja2", "nh3", "icalendar",
              "weasyprint", "pydyf", "python-docx", "openpyxl", "segno", "fonttools")


def cache_dir(config_dir: Path) -> Path | None:
    """The cache folder for a project whose mkdocs.yml is in config_dir; None when caching is off."""
    if os.environ.get("HANDBOOK_CACHE", "1") == "0":
        return None
    override = os.environ.get("HANDBOOK_CACHE_DIR")
    return Path(override) if override else config_dir / ".cache" / "handbook"


@functools.cache
def code_digest() -> str:
    """Digest of the generator's code, templates, assets and fonts and of the libraries it builds with.

    The one code digest: every cache key starts with it, so any change to what shapes the output
    (a template, the forms' CSS, a font, a library upgrade) is a miss everywhere.
    """
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
    made from it. A standards folder is loaded with its checked files kept in folder/files
    (validate/stored.py): a new process re-checks only the files edited since, and reads the others'
    models back in a fraction of a second at 5,000 standards. A snapshot (an earlier edition's
    standards.json) is kept whole in folder/handbook. Only successful loads are kept whole: a source
    with problems is checked every time, so its messages are always current.
    """
    key = digest(code_digest(), tree_digest(root))
    if key in _LOADED:
        return _LOADED[key], key
    whole = folder / "handbook" / f"{key}.json" if folder is not None and root.is_file() else None
    # Tens of thousands of objects are made here and none of them is garbage: the cyclic collector's
    # passes over them (a third of the time at 5,000 standards) wait until the end.
    with _collector_paused():
        value = _read_handbook(whole) if whole is not None else None
        if value is None:
            with storing_files(folder / "files" if folder is not None else None, code_digest()):
                value = load(root)
            if whole is not None:
                store_alone(whole, fs.json_entry(to_plain(Handbook, value)), "*.json")
    _LOADED.clear()  # one handbook per process is enough; keep memory flat while previewing
    _LOADED[key] = value
    return value, key


def _read_handbook(path: Path) -> Handbook | None:
    """The handbook stored whole at path (generator/model/plain.py's form); None for a miss."""
    stored = fs.read_json_entry(path)
    if stored is None:
        return None
    try:
        return from_plain(Handbook, stored)
    except fs.UNREADABLE:  # a foreign file is a miss, never an error
        return None


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def store_alone(path: Path, data: bytes, pattern: str) -> None:
    """Store path, the one entry of its kind: the others in its folder matching pattern are dropped."""
    fs.prune(path.parent, pattern, lambda old: old == path)
    fs.write_entry(path, data)


# --- whole texts -----------------------------------------------------------------------------


def cached_text(folder: Path | None, kind: str, parts: Iterable[bytes | str], make: Callable[[], str]) -> str:
    """make(), or its earlier result for the same parts (and code); one entry per kind is kept."""
    return cached_bytes(folder, kind, parts, lambda: make().encode("utf-8"), suffix=".txt").decode("utf-8")


def cached_bytes(folder: Path | None, kind: str, parts: Iterable[bytes | str], make: Callable[[], bytes],
                 suffix: str = ".bin") -> bytes:
    """The same for bytes (a PDF): make(), or its earlier result; one entry per kind is kept."""
    if folder is None:
        return make()
    path, _, stored = _entry(folder, kind, parts, suffix)
    if stored is not None:
        return stored
    data = make()
    store_alone(path, data, f"*{suffix}")
    return data


def _entry(folder: Path, kind: str, parts: Iterable[bytes | str], suffix: str) -> tuple[Path, str, bytes | None]:
    """The one entry of kind for parts (and code): its path, its key, and its verified bytes (None: a miss)."""
    key = digest(code_digest(), *parts)
    path = folder / kind / f"{key}{suffix}"
    return path, key, fs.read_entry(path)  # verified: a damaged entry is a miss


# --- while previewing ---------------------------------------------------------------------------------

_PREVIEWING = [False]


def previewing(on: bool) -> None:
    """Whether this build is a preview's (`handbook serve`): set at the start of each site build, cleared at its end.

    A preview's results differ from a build's where they carry the site URL (a calendar event, the site
    itself), and a preview builds on every save. While previewing, the stores below keep what the last
    `handbook build` left on disk: parts that carry the site URL (`Parts(per_site=True)`) stay in this
    process's memory (no file of 28 MB rewritten per save; written only where no build has stored any for
    this code, so the next preview starts from them), and a whole value is neither noted nor pruned. Parts
    that do not (the search entries' counts, which the next build's index needs for the entries a preview
    changed) are saved as in a build. Otherwise the first
    `handbook build` after a preview would make every part again.
    """
    _PREVIEWING[0] = on


# --- parts of a whole, each kept under its own key ------------------------------------------------

_PARTS: dict[str, dict[str, Any]] = {}  # kind -> the last build's parts, for the next build of a preview
_BASES: dict[str, tuple[frozenset[str], int]] = {}  # kind -> the keys and size of its whole file on disk


class Parts(MutableMapping[str, Any]):
    """Parts of a whole (each search entry's token counts, say) by a key of the part's own input:
    after an edit, only the changed parts are made again. Kept in memory for the next build of this
    process and on disk, read at the first use; `save` keeps this build's parts only, and nothing when
    the whole came from its own cache (nor over a build's while previewing).

    On disk, a kind's parts are one file per code, and beside it what changed since it was written (the
    parts added, the keys gone): an edit writes the few parts it made, not the whole (28 MB of pages and
    events at 5,000 standards). The whole is written again when the changes reach a quarter of it.
    """

    def __init__(self, folder: Path | None, kind: str, *, per_site: bool = False) -> None:
        self.kind = kind
        self.per_site = per_site  # parts that carry the site URL (a preview's differ from a build's)
        self.path = folder / kind / f"{code_digest()}.json" if folder else None
        self.changes = self.path.with_suffix(".changes") if self.path else None
        self._known: dict[str, Any] | None = None
        self.used: dict[str, Any] = {}
        self.added = 0

    def _load(self) -> dict[str, Any]:
        if self._known is None:
            known = _PARTS.get(self.kind)
            if known is None and self.path is not None and self.changes is not None:
                data = fs.read_entry(self.path)
                stored = fs.entry_json(data)
                if isinstance(stored, dict) and data is not None:
                    _BASES[self.kind] = (frozenset(stored), len(data))
                    changes = fs.read_json_entry(self.changes)
                    if isinstance(changes, dict) and isinstance(changes.get("added"), dict):
                        for key in changes.get("gone") or ():
                            stored.pop(key, None)
                        stored.update(changes["added"])
                    known = stored
                else:
                    _BASES.pop(self.kind, None)
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
        if self.path is None or self.changes is None or not (self.added or len(self.used) != len(self._known)):
            return
        if _PREVIEWING[0] and self.per_site and self.path.exists():  # the last build's: kept for the next build
            return
        base = _BASES.get(self.kind)
        if base is not None and self.path.is_file():
            keys, size = base
            gone = sorted(keys - self.used.keys())
            changes = fs.json_entry({"added": {k: v for k, v in self.used.items() if k not in keys}, "gone": gone})
            if len(changes) <= size // 4 and len(gone) <= len(keys) // 4:
                fs.prune(self.changes.parent, "*.changes", lambda old: old == self.changes)  # other codes'
                fs.write_entry(self.changes, changes)
                return
        data = fs.json_entry(self.used)
        store_alone(self.path, data, "*.json")
        fs.prune(self.changes.parent, "*.changes", lambda old: False)
        _BASES[self.kind] = (frozenset(self.used), len(data))


# --- values kept one file each, read only when asked for -----------------------------------------------

_SHELVES: dict[str, dict[str, Any]] = {}  # kind -> the last build's values read or added, for a preview's next build


class Shelf(MutableMapping[str, Any]):
    """Values by key, one file each (each chapter's search entries, say), read only when asked for: a new
    process reads the values it uses, not the whole kind, and an edit writes the few values it adds.

    `key in shelf` finds a value without reading it, and keeps it as `shelf[key]` does; `save` writes
    the values added, keeps in memory (for the next build of this process) those read or added, and
    removes the files of the values this build neither read, found nor added. Iterating gives this
    build's values read or added. A damaged file is a missing value.
    """

    def __init__(self, folder: Path | None, kind: str) -> None:
        self.kind = kind
        self.folder = folder / kind if folder else None
        self._last = _SHELVES.get(kind, {})
        self.used: dict[str, Any] = {}  # read or added in this build
        self.found: set[str] = set()  # found (`in`) but not read
        self.added: set[str] = set()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{digest(code_digest(), key)}.json"

    def __getitem__(self, key: str) -> Any:
        if key in self.used:
            return self.used[key]
        value = self._last.get(key)
        if value is None and self.folder is not None:
            value = fs.read_json_entry(self._path(key))
        if value is None:
            raise KeyError(key)
        self.used[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self.used:
            return True
        if key in self._last or (self.folder is not None and self._path(key).is_file()):
            self.found.add(key)
            return True
        return False

    def __setitem__(self, key: str, value: Any) -> None:
        self.used[key] = value
        self.added.add(key)

    def __delitem__(self, key: str) -> None:
        if key not in self.used and key not in self.found:
            raise KeyError(key)
        self.used.pop(key, None)
        self.found.discard(key)
        self.added.discard(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.used)

    def __len__(self) -> int:
        return len(self.used)

    def save(self) -> None:
        """Write the values added; keep those this build used, in memory and on disk, and no others."""
        if not (self.used or self.found):  # not used: the whole was taken from its cache
            return
        _SHELVES[self.kind] = {**{k: self._last[k] for k in self.found if k in self._last}, **self.used}
        if self.folder is None:
            return
        for key in self.added:
            fs.write_entry(self._path(key), fs.json_entry(self.used[key]))
        keep = {self._path(key).name for key in (*self.used, *self.found)}
        fs.prune(self.folder, "*.json", lambda path: path.name in keep)


# --- a whole value, its text kept under the key of its input ---------------------------------------


def cached_value(folder: Path | None, kind: str, parts: Iterable[bytes | str], make: Callable[[], T],
                 encode: Callable[[T], str], decode: Callable[[str], T]) -> T:
    """make(), or decode() of its text stored for the same parts (and code); a miss gives make()'s value
    itself, not a copy read back from its text.

    The text is written only when it can be read back: at the second build in a row with the same
    parts. A build with new parts (after an edit; the next build's are new again) notes only their
    key, and drops the entry of older parts. One entry per kind.
    """
    if folder is None:
        return make()
    path, key, stored = _entry(folder, kind, parts, ".txt")
    if stored is not None:
        try:
            return decode(stored.decode("utf-8"))
        except (*fs.UNREADABLE, UnicodeDecodeError):  # a foreign entry is a miss, never an error
            pass
    value = make()
    if _PREVIEWING[0]:  # the last `handbook build`'s entry stays for the next one
        return value
    noted = path.with_name("last.key")
    if fs.read_entry(noted) == key.encode("ascii"):
        store_alone(path, encode(value).encode("utf-8"), "*.txt")
    else:
        fs.prune(path.parent, "*.txt", lambda old: False)
        fs.write_entry(noted, key.encode("ascii"))
    return value


# --- a state whose texts are kept as they are ---------------------------------------------------------

# path -> (its stat as this process wrote it, key, state): a preview's next build reads nothing back
_STATES: dict[Path, tuple[tuple[int, int, int], str, dict[str, Any]]] = {}


def cached_texts_state(folder: Path | None, kind: str, parts: Iterable[bytes | str],
                       make: Callable[[dict[str, Any]], T], value_of: Callable[[dict[str, Any]], T]) -> T:
    """A whole made from what its last build left: make(state) is given the state the last build of this
    kind stored (empty at first) and puts this build's in it; for the same parts (and code) as that
    build, value_of(state) gives the whole without making it. The state's "files" (path -> text,
    megabytes at 5,000 standards) are stored as they are after a JSON head, not escaped inside JSON;
    the state this process wrote last is kept in memory while its file is untouched. One entry per kind."""
    if folder is None:
        return make({})
    key = digest(code_digest(), *parts)
    path = folder / kind / f"{code_digest()}.state"
    found = _read_texts_state(path)
    if found is not None:
        stored_key, state = found
        if stored_key == key:
            try:
                return value_of(state)
            except fs.UNREADABLE:  # a foreign entry is a miss, never an error
                pass
    else:
        state = {}
    value = make(state)
    files = state.get("files")
    texts = files if isinstance(files, dict) and all(type(t) is str for t in files.values()) else {}
    encoded = [text.encode("utf-8") for text in texts.values()]
    head = {"key": key, "state": {k: v for k, v in state.items() if not (k == "files" and texts)},
            "files": [[name, len(data)] for name, data in zip(texts, encoded)]}
    fs.prune(path.parent, "*.json", lambda old: False)  # the all-JSON form of earlier versions
    store_alone(path, fs.json_entry(head) + b"\n" + b"".join(encoded), "*.state")
    _STATES.clear()
    with contextlib.suppress(OSError):
        _STATES[path] = (_signature(path), key, state)
    return value


def _signature(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _read_texts_state(path: Path) -> tuple[str, dict[str, Any]] | None:
    kept = _STATES.get(path)
    if kept is not None:
        try:
            if _signature(path) == kept[0]:
                return kept[1], kept[2]
        except OSError:
            pass
    data = fs.read_entry(path)  # verified: a damaged entry is a miss
    if data is None:
        return None
    try:
        line, _, body = data.partition(b"\n")
        head = orjson.loads(line)
        state, offset, files = dict(head["state"]), 0, {}
        for name, size in head["files"]:
            files[name] = body[offset:offset + size].decode("utf-8")
            offset += size
        if offset != len(body) or type(head["key"]) is not str:
            return None
        if files:
            state["files"] = files
        return head["key"], state
    except (*fs.UNREADABLE, UnicodeDecodeError):  # a foreign entry is a miss, never an error
        return None
