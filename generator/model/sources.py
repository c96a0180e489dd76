"""Which source text a chapter's standards came from: a cheap key for everything made from them.

Texts made from a chapter's standards (its page, its part of standards.json, …) are kept by a digest of
what they are made of (render/memo.py). Writing out the standards to digest them (their repr: half a
second at 5,000 standards) costs more than looking the text up. The loader (validate/handbook.py)
knows a cheaper digest: the one of the chapter file's text, which fixes the standards it holds (for
the same code: kept texts are kept per code digest). It records it here for the `standards` tuple of
each chapter file it read; `standards_key` gives it back for that very tuple, and a digest of the
tuple's repr for any other (a handbook made in a test, read from a snapshot, or changed with
`dataclasses.replace`). Either key changes whenever the standards do; tuples and standards are frozen,
so a recorded tuple holds what its file said.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

# id(tuple) -> (the tuple itself, kept alive so its id is not reused; the digest of its file's text)
_KNOWN: dict[int, tuple[tuple, str]] = {}


def remember(found: Iterable[tuple[tuple, str]]) -> None:
    """The standards tuples of the last load and their files' digests; those of earlier loads are forgotten
    (memory stays flat while previewing)."""
    _KNOWN.clear()
    for standards, digest in found:
        _KNOWN[id(standards)] = (standards, digest)


def standards_key(standards: tuple) -> str:
    """A digest that changes whenever the standards do: their file's, as the loader recorded it, or their repr's."""
    known = _KNOWN.get(id(standards))
    if known is not None and known[0] is standards:
        return "file:" + known[1]
    return "repr:" + hashlib.sha256(repr(standards).encode("utf-8")).hexdigest()
