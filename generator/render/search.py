"""Chinese search: a jieba user dictionary from the handbook, and the parts it would hide.

Material segments Chinese with jieba when it builds its search index. Domain terms
(三会一课, 组织生活会) and standard titles go into jieba's dictionary so they stay whole
words. A glued word hides its parts from the index (生活会 inside 组织生活会), so every
suffix of a glued word is added to a hidden `parts` field: the browser's search matches
prefixes, and every part of a word is a prefix of one of its suffixes.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
from typing import Any

from generator.model import Handbook

PARTS_FIELD = "parts"
_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_SPLIT = re.compile(r"[\s\u200b]+")
_ONE_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]$")
_HAN_END = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]$")
_HAN_START = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]")


def user_dictionary(handbook: Handbook) -> str:
    """jieba's user-dictionary format: one 'word frequency' line per domain term."""
    words: set[str] = set()
    for term in handbook.glossary:
        words.add(term.term)
        words.update(term.aliases)
    for _, std in handbook.standards():
        words.add(std.title)
        words.update(std.tags)
    han = sorted(w for w in (w.strip() for w in words) if len(w) >= 2 and _HAN.match(w))
    # A frequency above jieba's own common words makes the term win over its parts.
    return "".join(f"{word} 100000\n" for word in han)


def dictionary_terms(text: str) -> frozenset[str]:
    """The terms of a user dictionary, for `refine_index`."""
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


def tokenizer(text: str, *, main: str | None = None, user: str | None = None) -> Any:
    """A jieba tokenizer of its own that knows the terms of `text` (and a user's dictionary files)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    cutter = jieba.Tokenizer(main or jieba.DEFAULT_DICT)
    if jieba.__version__ in _TESTED_JIEBA:  # else jieba loads its dictionary itself, as it always does
        freq, total = _main_words(cutter.dictionary)
        cutter.FREQ, cutter.total, cutter.initialized = dict(freq), total, True  # a copy: terms are added to it
    if user:
        cutter.load_userdict(user)
    cutter.load_userdict(io.StringIO(text))
    return cutter


# jieba loads its main dictionary (half a million words: about 1 CPU-s) into each new Tokenizer. Every
# tokenizer of a process starts from one loaded copy instead: jieba 0.42's FREQ, total and initialized.
_TESTED_JIEBA = ("0.42.1",)
_MAIN_WORDS: dict[tuple, tuple[dict[str, int], int]] = {}


def _main_words(dictionary: str | None) -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary and total for a main dictionary file (None: jieba's own), loaded once
    per process and again when the file changes."""
    import jieba

    stat = os.stat(dictionary) if dictionary else None
    key = (dictionary, stat and stat.st_mtime_ns, stat and stat.st_size)
    if key not in _MAIN_WORDS:
        _MAIN_WORDS.clear()  # one main dictionary in memory: a changed file replaces it
        loaded = jieba.Tokenizer(dictionary)
        loaded.initialize()
        _MAIN_WORDS[key] = loaded.FREQ, loaded.total
    return _MAIN_WORDS[key]


def join_single_characters(text: str, separator: str) -> str:
    """Attach one-character Chinese tokens (的, 党, 会) to a neighbouring word.

    Material's browser search splits a Chinese query into index tokens but never tries
    the whole query, so 党费 becomes just 党 when 党 is a token of its own, matching
    nearly every page. Without one-character tokens it searches the whole query.
    Only a zero-width space (jieba's cut) is removed; real punctuation stays a boundary.
    """
    parts = re.split(f"({separator})", text)  # token, separator, token, …
    for i in range(0, len(parts), 2):
        if not _ONE_HAN.match(parts[i]):
            continue
        if i >= 2 and parts[i - 1] == "\u200b" and _HAN_END.search(parts[i - 2]):
            parts[i - 1] = ""
        elif i + 2 < len(parts) and parts[i + 1] == "\u200b" and _HAN_START.match(parts[i + 2]):
            parts[i + 1] = ""
    return "".join(parts)


def refine_index(index_json: str, glued: frozenset[str]) -> str:
    """Rewrite Material's search index for Chinese: no lone characters; parts of glued words."""
    index = json.loads(index_json)
    fields = index["config"].setdefault("fields", {})
    fields.setdefault(PARTS_FIELD, {"boost": 1})
    for doc in index["docs"]:
        for field in ("title", "text"):
            if field in doc:
                doc[field] = join_single_characters(doc[field], index["config"]["separator"])
        parts: list[str] = []
        seen: set[str] = set()
        for token in _SPLIT.split(doc.get("title", "") + "\u200b" + doc.get("text", "")):
            if token in glued:
                for start in range(1, len(token) - 1):
                    suffix = token[start:]
                    if suffix not in seen:
                        seen.add(suffix)
                        parts.append(suffix)
        if parts:
            doc[PARTS_FIELD] = "\u200b".join(parts)
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))
