"""The tool's own messages to people, by ID, in the handbook's language.

The wording lives in `generator/locales/messages/<language>.yml` (one flat `id: text` per message);
code says `say("convert.unknown_key", key=key, owner=owner)`. The language is chosen once per run
(the CLI's `--lang`, `HANDBOOK_LANG`, else the handbook's `language`; `speaking`) and defaults to English.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

CATALOGUES = Path(__file__).resolve().parent / "locales" / "messages"
LANGUAGES = ("en", "zh")
DEFAULT = "en"
PLACEHOLDER = re.compile(r"\{(\w+)\}")  # `{name}`; other braces (JSON in a hint) are text

_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("handbook_messages", default=None)


def read_words(path: Path) -> dict[str, str]:
    """A flat `key: text` YAML file of the package's own words (message catalogues, interface labels).

    libyaml when PyYAML has it: the same mapping of plain keys, read 10-30x faster.
    """
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """Every message of one language, by ID."""
    return read_words(CATALOGUES / f"{language}.yml")


def supported(language: str | None) -> str | None:
    """The catalogue for a handbook language ('zh-CN' → 'zh'); None when there is none."""
    base = (language or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def current() -> str | None:
    """The language chosen for this run, None while none is."""
    return _language.get()


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Speak `language` inside the block, then the language spoken before."""
    token = _language.set(supported(language) or DEFAULT)
    try:
        yield
    finally:
        _language.reset(token)


def say(message_id: str, /, **args: object) -> str:
    """The message `message_id` in the current language with its {placeholders} filled."""
    text = catalogue(_language.get() or DEFAULT).get(message_id)
    if text is None:
        text = catalogue(DEFAULT)[message_id]
    return PLACEHOLDER.sub(lambda match: str(args[match.group(1)]), text)


def either(values: list[str]) -> str:
    """'a' or 'b' or 'c', in the current language."""
    return say("list.or").join(values)
