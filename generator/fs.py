"""File-system helpers shared by the stages that write (caches, forms, editions)."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import json
import os
import shutil
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from generator.messages import say


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write the whole file or nothing: a reader (or a parallel build) never sees half of it."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a web server must read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- swapping a folder in, and the leftovers of a killed run --------------------------------------

_RENAME_EXCHANGE = 2  # linux/fs.h


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not supported."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # an old kernel or a file system without it
        return False
    raise OSError(error, os.strerror(error), str(a), None, str(b))


def scratch_dir(target: Path, parent: Path | None = None) -> Path:
    """A new private folder for building target, named so that a later run can tell whose it is."""
    parent = parent or target.parent
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=parent))


def swap_in(work: Path, target: Path, trash: Path | None = None) -> None:
    """Put work in target's place and remove the previous target.

    Where the system can exchange two folders in one step, target exists at every instant. Elsewhere
    the previous target is first renamed to `.<name>.old-<pid>`; a run killed between the two renames
    leaves it there, and `recover` puts it back. trash: a folder on the same file system to move the
    previous target into instead of removing it now (`empty_trash` removes it later, in the
    background); where it cannot be moved there, it is removed at once.
    """
    if not target.exists():
        os.rename(work, target)
        return
    if exchange(work, target):
        _throw_away(work, trash)  # it now holds the previous target
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    try:
        os.rename(work, target)
    except OSError:
        os.rename(old, target)
        raise
    _throw_away(old, trash)


def _throw_away(tree: Path, trash: Path | None) -> None:
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            holder = Path(tempfile.mkdtemp(prefix="tree-", dir=trash))
            try:
                os.rename(tree, holder / "tree")
                return
            except OSError:  # another file system, say
                holder.rmdir()
        except OSError:
            pass
    shutil.rmtree(tree, ignore_errors=True)


def empty_trash(trash: Path | None) -> Callable[[], None]:
    """Start removing what `swap_in` moved into trash, in a background thread; returns the wait for it.

    Removing a site's old tree is mostly the file system's waiting (freeing blocks), so it overlaps
    well with a build's own work, even on one core. Only what is in trash now is removed: a tree put
    there later waits for the next call. The thread is a daemon: a process that ends first leaves the
    rest for the next call.
    """
    import threading

    try:
        trees = sorted(trash.iterdir()) if trash is not None else []
    except OSError:
        trees = []
    if not trees:
        return lambda: None

    def remove() -> None:
        for tree in trees:
            shutil.rmtree(tree, ignore_errors=True)

    thread = threading.Thread(target=remove, daemon=True, name="handbook-trash")
    thread.start()
    return thread.join


def _owner(name: str, prefix: str) -> int | None:
    """The process id in `<prefix><pid>` or `<prefix><pid>-…`, or None."""
    digits = name[len(prefix):].split("-", 1)[0]
    return int(digits) if name.startswith(prefix) and digits.isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def recover(target: Path, scratch: Path | None = None) -> None:
    """Undo what a killed run left around target: put a moved-aside target back, remove scratch folders.

    scratch: where target's scratch folders are made (default: beside it). Only folders of processes
    that are no longer running are touched.
    """
    for kind, parent in (("old", target.parent), ("new", scratch or target.parent)):
        prefix = f".{target.name}.{kind}-"
        for path in sorted(parent.glob(f"{glob.escape(prefix)}*")) if parent.is_dir() else ():
            pid = _owner(path.name, prefix)
            if pid is None or _alive(pid):
                continue
            if kind == "old" and not target.exists():
                os.rename(path, target)
            else:
                shutil.rmtree(path, ignore_errors=True)


# --- cache entries: verified on reading, optional on writing ----------------------------------------

# Each entry's head: its length and CRC-32. They find a truncated, damaged or foreign entry (a miss),
# as SHA-256 did at a quarter of its speed: megabytes of entries are read and written per build, and no
# checksum without a secret key stops a deliberate forgery anyway.
_ENTRY_HEAD = b"handbook-cache crc32="
_warned: set[str] = set()


def write_entry(path: Path, data: bytes) -> bool:
    """Store a cache entry with the digest of its bytes; False (after one warning per run) when it cannot be.

    A cache only saves time: a read-only project or a full disk means building without it.
    """
    head = _ENTRY_HEAD + _check(data) + b"\n"
    try:
        write_atomic(path, head + data)
    except OSError as error:
        warn_cache_unwritable(path, error)
        return False
    return True


def read_entry(path: Path) -> bytes | None:
    """A cache entry's bytes, or None when it is missing, unreadable, truncated or altered (a miss)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, newline, data = raw.partition(b"\n")
    if not newline or not head.startswith(_ENTRY_HEAD):
        return None
    if _check(data) != head[len(_ENTRY_HEAD):]:
        return None
    return data


def _check(data: bytes) -> bytes:
    return b"%08x size=%d" % (zlib.crc32(data), len(data))


def discard(paths: Iterable[Path]) -> None:
    """Remove files that are no longer needed, if possible (a read-only cache keeps them)."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def prune(folder: Path, pattern: str, keep: Callable[[Path], bool]) -> None:
    """Remove the cache entries in folder matching pattern that keep() rejects: the one prune helper."""
    if folder.is_dir():
        discard(path for path in folder.glob(pattern) if not keep(path))


# What reading a damaged or foreign cache entry can raise: it is then a miss. Data entries are JSON,
# never pickle: reading one can give wrong data at worst, never run code. (The one kind of entry that
# is code, the theme's compiled templates, is build/adapters/mkdocs.py's CompiledTemplates: see there.)
UNREADABLE = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError)


def read_json_entry(path: Path) -> Any:
    """A verified entry's JSON; None for a miss (missing, damaged, or not JSON): the one JSON-read helper."""
    return entry_json(read_entry(path))


def entry_json(data: bytes | None) -> Any:
    """The JSON of an entry's bytes as read_entry gives them (for a caller that needs the bytes too); None for a miss."""
    if data is None:
        return None
    try:
        return orjson.loads(data)
    except UNREADABLE:  # orjson.JSONDecodeError is a ValueError
        return None


# orjson writes dataclasses and datetimes itself; json raises TypeError for them, and so do these
# helpers (a cache's value is plain data: anything else is a bug or a miss, never stored silently).
_ORJSON = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def json_entry(value: Any) -> bytes:
    """value as compact UTF-8 JSON for a cache entry, read back by read_json_entry/`orjson.loads`.

    For the caches' own entries only, never for output (the site's JSON is json's, byte for byte):
    orjson is several times faster than json at 5,000 standards. What orjson does not write (an int
    beyond 64 bits, a dict key that is not a string) falls back to json's text (the same data);
    a string with a lone surrogate raises, as json's text encoded as UTF-8 does.
    """
    try:
        return orjson.dumps(value, option=_ORJSON)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def warn_cache_unwritable(path: Path, error: OSError) -> None:
    # Printed, not logged: under `strict`, MkDocs would count a logged warning and abort the build.
    folder = str(path.parent.parent)
    if folder not in _warned:
        _warned.add(folder)
        print(say("fs.cache_unwritable", folder=folder, error=error.strerror or error), file=sys.stderr, flush=True)


@contextlib.contextmanager
def locked(path: Path, waiting: str) -> Iterator[None]:
    """Hold an exclusive lock on path (created if need be) for the block; print waiting if another holds it.

    The lock is the kernel's (flock): it ends with the process that holds it, even at kill -9.
    """
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
