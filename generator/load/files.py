"""Finding and reading the source files under the standards folder."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

from generator.errors import Place, Problem
from generator.messages import say

MAX_FILE_BYTES = 2 * 1024 * 1024  # documented in the README: larger files are refused unread
SUFFIXES = (".yml", ".yaml")


@dataclasses.dataclass(frozen=True, kw_only=True)
class SourceFile:
    path: Path  # absolute
    display: str  # as shown in messages: relative to the working directory when possible
    text: str


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it (as editors and compilers print), else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def discover(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every YAML file under root, sorted, refusing links that leave root."""
    problems: list[Problem] = []
    if not root.is_dir():
        return [], [Problem.in_file(display_path(root), "files.no_folder")]
    real_root = root.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in dirnames:
            # os.walk does not enter linked folders; say so when one points away, rather than skip it silently.
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                problems.append(Problem.in_file(display_path(path), "files.folder_link_outside"))
        for name in sorted(filenames):
            if not name.endswith(SUFFIXES):
                continue
            path = Path(dirpath) / name
            if path.exists() and not path.is_file():  # a FIFO would block the reader for ever
                problems.append(_not_regular(display_path(path)))
                continue
            if not path.resolve().is_relative_to(real_root):
                problems.append(Problem.in_file(display_path(path), "files.file_link_outside"))
                continue
            found.append(path)
    return found, problems


def _not_regular(shown: str) -> Problem:
    return Problem.in_file(shown, "files.not_regular")


def read_source(path: Path) -> tuple[SourceFile | None, list[Problem]]:
    """Read one file as UTF-8 (a BOM is allowed), refusing oversized files before reading them."""
    shown = display_path(path)
    try:
        # Opened without waiting and checked on the open file: it may have changed since discover().
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None, [_not_regular(shown)]
            if info.st_size > MAX_FILE_BYTES:
                return None, [Problem.in_file(shown, "files.too_large", size=f"{info.st_size:,}",
                                              limit=f"{MAX_FILE_BYTES:,}")]
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, [Problem.in_file(shown, "files.unreadable", error=error.strerror or error)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem.at(Place(path=shown, line=line, col=col),
                                 say("files.not_utf8", byte=f"{data[exc.start]:02x}"), say("files.not_utf8.hint"))]
    return SourceFile(path=path, display=shown, text=text), []
