"""Interface labels by language: the words around the content, never the content itself."""

from __future__ import annotations

import functools
from pathlib import Path

from generator.errors import Problem
from generator.messages import read_words

LOCALES = Path(__file__).resolve().parent.parent / "locales"


@functools.cache
def _locale(language: str) -> dict[str, str] | None:
    path = LOCALES / f"{language}.yml"
    if not path.is_file():
        return None
    return read_words(path)


def available() -> list[str]:
    return sorted(p.stem for p in LOCALES.glob("*.yml"))


def labels_for(language: str, overrides: dict[str, str]) -> tuple[dict[str, str], Problem | None]:
    """The labels for a language, with the handbook's own overrides on top.

    A language without a bundled locale works when the handbook gives every label itself.
    """
    base = _locale(language) or _locale(language.split("-")[0])
    english = _locale("en") or {}
    if base is None:
        missing = sorted(set(english) - set(overrides))
        if missing:
            problem = Problem.in_file("", "labels.no_locale", language=language,
                                      languages=", ".join(available()), missing=", ".join(missing[:5]))
            return {**english, **overrides}, problem
        base = {}
    return {**english, **base, **overrides}, None


def fill(template: str, **values: str) -> str:
    """Put values into a label's {placeholders}; other braces in a label are left as they are."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def label_keys() -> list[str]:
    """Every label key a locale knows."""
    return list(_locale("en") or {})


def unknown_keys(overrides: dict[str, str]) -> list[str]:
    """Overridden label keys that no locale knows."""
    known = set(label_keys())
    return [key for key in overrides if key not in known]
