"""Texts kept by a digest of what they are made of: after an edit, only the texts it reaches are made again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, MutableMapping, Sequence


def memo(kept: MutableMapping[str, str], shown: Sequence[str], make: Callable[[], str]) -> str:
    """make(), or its text in kept under `kind:digest`: shown is the kind of text, then everything it is made of."""
    key = f"{shown[0]}:" + hashlib.sha256("\0".join(shown).encode("utf-8")).hexdigest()
    text = kept.get(key)
    if text is None:
        text = kept[key] = make()
    return text
