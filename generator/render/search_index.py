"""The handbook's own search index: one entry per thing a reader looks for, built from the model.

Entries: each standard (ID, title, rule, checks, evidence, tags and the names of the glossary
terms that point to it), each glossary term with its aliases, each record-book template, each
chapter, and each standard the edition retired. Forms, the overview table and the revision
tables are not entries: they would only repeat the standards as walls of text.

Text is folded the same way here and in the browser (`assets/site/search.js`): full-width
letters and digits to half-width, upper to lower case, traditional characters to simplified
(OpenCC's character table, shipped inside the index). Folding maps one character to one, so
the browser can highlight matches in the original text. Chinese is cut into single characters
and overlapping pairs of characters: a query typed without spaces is cut the same way, and
parts of a long term (生活会 of 组织生活会) match. Latin text is cut into words; a standard
ID also gives its letters and digits glued (hjxj06). Titles and terms also give their pinyin,
whole and by initials, so `dangke` and `sghy` find 党课 and 三会一课.

The index is JSON: the entries to show, and for each token the entries it occurs in with a
weight (a saturated term frequency, by field), in parts (see `search_files`). The browser adds
up idf × weight per entry.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import html
import json
import math
import operator
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

import markdown

from generator.model import Handbook
from generator.model.sources import standards_key
from generator.render import views as v
from generator.render.simple_markdown import STRONG, paragraphs_only

FORMAT = 1
MAIN = "search/handbook.json"
FOLDER = "search/handbook"
ENTRIES_PER_SHARD = 20  # postings files: one per this many entries
ENTRIES_PER_CHUNK = 50  # entries to show, per file
SNIPPET_CHARS = 300  # of each entry's text kept for the result snippets
# How much a match in each field counts, against one in the body text.
WEIGHTS = {"id": 12.0, "title": 6.0, "alias": 5.0, "pinyin": 4.0, "tags": 3.0, "see": 3.0, "body": 1.0}
_K1 = 1.2  # term-frequency saturation (BM25)
_B = {"body": 0.5, "tags": 0.3, "see": 0.3}  # how much a long field's length damps its matches; names: none
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[a-z]+-?[0-9]+|[0-9]+(?:\.[0-9]+)?%?|[a-z]+")
_ID = re.compile(r"([a-z]+)-?([0-9]+)")


@functools.cache
def fold_table() -> dict[str, str]:
    """Traditional → simplified, one character to one, from OpenCC's maintained table (TSCharacters)."""
    import opencc  # opencc-python-reimplemented: OpenCC's dictionaries as package data

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        # One UTF-16 unit each (the browser reads the table two units at a time).
        if len(source) == len(target) == 1 and source != target and max(ord(source), ord(target)) < 0x10000:
            table[source] = target
    return table


def fold(text: str) -> str:
    """Half-width, lower case, simplified; the same length as text."""
    return text.translate(_fold_map())


@functools.cache
def _fold_map() -> dict[int, str]:
    # fold() as one str.translate: full-width forms first become half-width, then lower case;
    # the ideographic space a space; then OpenCC's table (which holds no ASCII).
    mapping = {code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)}
    mapping.update((code, chr(code - 0xFEE0).lower()) for code in range(0xFF01, 0xFF5F))
    mapping[0x3000] = " "
    mapping.update((ord(source), target) for source, target in fold_table().items())
    return mapping


def tokens(text: str, *, characters: bool = True) -> list[str]:
    """The index's tokens of a folded text: characters and character pairs of Chinese; words; IDs.

    characters=False leaves out single characters of words longer than one (for long text, where
    they would make most of the index and match nearly everything).
    """
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if "\u3400" <= word[0]:
            if characters or len(word) == 1:
                found.extend(word)
            found.extend(map(operator.add, word, word[1:]))
            continue
        found.append(word)
        glued = _ID.fullmatch(word)
        if glued:
            found.extend((glued[1], glued[2], glued[1] + glued[2]))
    return found


def pinyin_tokens(words: Iterable[str]) -> list[str]:
    """Pinyin of Chinese words: whole, by initials, and every run of 2–4 syllables."""
    return [token for word in words for token in _pinyin(word)]


@functools.lru_cache(maxsize=65536)  # tags and terms repeat across standards
def _pinyin(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    han = "".join(re.findall(f"[{_HAN}]+", word))
    if len(han) < 2:
        return ()
    syllables = [s.lower() for s in lazy_pinyin(han)]
    found = ["".join(syllables), "".join(s[0] for s in syllables if s)]
    for size in range(2, min(4, len(syllables) - 1) + 1):
        found.extend("".join(syllables[i:i + size]) for i in range(len(syllables) - size + 1))
    return tuple(found)


@functools.cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown()


def plain_text(source: str) -> str:
    """Markdown as the words a reader sees."""
    if not source.strip():
        return ""
    if paragraphs_only(source):
        # What Markdown would make of it, without its whole pipeline (a millisecond each: most of
        # the index's time at 5,000).
        return " ".join(STRONG.sub(r" \1 ", source).split())
    text = re.sub(r"<[^>]*>", " ", _markdown().reset().convert(source))
    return " ".join(html.unescape(text).split())


@dataclass(kw_only=True)
class _Entry:
    kind: str  # standard, glossary, template, chapter, retired
    url: str
    title: str
    id: str = ""
    text: str = ""
    chapter: str = ""
    frequency: str = ""
    roles: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)  # field -> texts

    @functools.cached_property
    def key(self) -> str:
        """A digest of the fields, which fix the entry's token counts."""
        return "e" + hashlib.sha256(json.dumps(self.fields, ensure_ascii=False).encode("utf-8")).hexdigest()

    def shown(self) -> dict[str, object]:
        entry: dict[str, object] = {"k": self.kind, "u": self.url, "t": self.title}
        for key, value in (("i", self.id), ("x", self.text[:SNIPPET_CHARS]), ("c", self.chapter),
                           ("f", self.frequency), ("r", self.roles)):
            if value:
                entry[key] = value
        return entry


def _chinese(handbook: Handbook) -> bool:
    return handbook.meta.language.split("-")[0].lower() == "zh"


def search_files(handbook: Handbook, *, pages: Collection[str], directory_urls: bool = True,
                 counts: MutableMapping[str, list] | None = None,
                 last: MutableMapping[str, Any] | None = None,
                 chapters: MutableMapping[str, Any] | None = None) -> dict[str, str]:
    """The index as the site's files (path → JSON text); pure.

    `search/handbook.json` is what every query needs: the fold table, each entry's kind and title.
    The Latin words (for prefix matches: pinyin typed halfway) are `search/handbook/words.json`. The postings are split by a hash of the token into
    `search/handbook/t<k>.json`, the entries to show into chunks `search/handbook/e<j>.json`: a query
    fetches only the parts it needs, so a handbook of thousands of standards answers its first query
    without loading the whole index. pages: the site's Markdown pages (retired standards are linked
    only when the revision page exists).

    counts: each field's token counts (`field_counts`) by `field_key` and each entry's shape (`_shape`),
    from an earlier build; the fields found there are not cut again, and this build's are put in it.
    last: what `search_files` left in it the build before (its files, under "files", each entry's key and
    the fields' average lengths); when only a few entries changed and the averages did not, only their
    postings are changed in those files. This build's is put in it instead. The result is the same with
    or without either.
    chapters: each chapter's standard entries from earlier builds, by a key of the chapter's standards and
    everything else the entries show: what each entry shows, its key and its fields' lengths, and beside them
    (under `_COUNTS` + that key) the chapter's counts, which then are not in counts. Only a chapter whose
    key is new is made; its counts are read only where its entries' postings are made (`in` tells whether
    they are there). This build's chapters are put in it (the caller keeps only those: `cache.Shelf`).
    """
    counts = {} if counts is None else counts
    found = _Counts(counts, chapters)
    with contextlib.suppress(KeyError, IndexError, TypeError, ValueError, AttributeError):  # none: cut again
        found.earlier = {group.split("\0")[1]: group for group, _ in last["groups"] if group} if last else {}
    entries = _entries(handbook, pages, directory_urls, found)
    lengths: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        for name, size in entry.lengths:
            lengths[name].append(size)
    average = {name: stable_average(values) for name, values in lengths.items()}
    keys = [entry.key for entry in entries]
    groups: list[list] = []  # [chapter key or "", number of entries] in entry order
    for entry in entries:
        if groups and groups[-1][0] == entry.group:
            groups[-1][1] += 1
        else:
            groups.append([entry.group, 1])
    shards = max(1, math.ceil(len(entries) / ENTRIES_PER_SHARD))
    settings = [FORMAT, len(entries)]
    made = None
    if last:
        try:
            made = _patched(last, settings, keys, entries, average, found, shards)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):  # not what this code leaves: made anew
            made = None
    if made is None:
        postings = _postings(entries, found, average)
        by_shard: list[list[str]] = [[] for _ in range(shards)]
        for token in postings:
            by_shard[shard(token, shards)].append(token)
        parts = [{token: postings[token] for token in sorted(part)} for part in by_shard]
        made = {f"{FOLDER}/words.json": _json(sorted(token for token in postings if _word(token)))}
        made.update({f"{FOLDER}/t{k}.json": _json(part) for k, part in enumerate(parts)})
    main = {
        "format": FORMAT,
        # Traditional → simplified matters only to Chinese readers; other handbooks ship no CJK table.
        "fold": "".join(f"{k}{v}" for k, v in sorted(fold_table().items())) if _chinese(handbook) else "",
        "shards": shards,
        "chunk": ENTRIES_PER_CHUNK,
        "kinds": "".join(str(entry.shown["k"])[0] for entry in entries),
        "titles": [entry.shown["t"] for entry in entries],
    }
    files = {MAIN: _json(main), **made}
    for j in range(0, len(entries), ENTRIES_PER_CHUNK):
        files[f"{FOLDER}/e{j // ENTRIES_PER_CHUNK}.json"] = _json([e.shown for e in entries[j:j + ENTRIES_PER_CHUNK]])
    if last is not None:
        last.clear()
        last.update(settings=settings, keys=keys, groups=groups, average=average, files=files)
    return files


def _word(token: str) -> bool:
    return token[0].isascii() and token[0].isalpha()


def shard(token: str, shards: int) -> int:
    """Which postings file holds token: FNV-1a over its characters (all in the BMP), as in search.js."""
    return fnv(token) % shards


def fnv(token: str) -> int:
    """FNV-1a (32 bits) over token's characters."""
    value = 0x811C9DC5
    for ch in token:
        value = ((value ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return value


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_consume = deque[object](maxlen=0).extend  # runs an iterator to its end


def field_key(name: str, texts: list[str]) -> str:
    """What one field's token counts depend on: its name and texts (and this code)."""
    return hashlib.sha256("".join([name, *(f"\0{len(t)}\0{t}" for t in texts)]).encode("utf-8")).hexdigest()


def field_counts(name: str, texts: list[str]) -> list:
    """One field's tokens counted; pure: [tokens, their counts, number of tokens], the first two as text
    joined by spaces (no token holds one), which is quick to keep and read back."""
    found = (pinyin_tokens(texts) if name == "pinyin"
             else [t for text in texts for t in tokens(fold(text), characters=name != "body")])
    counted = Counter(found)
    return [" ".join(counted), " ".join(map(str, counted.values())), len(found)]


_COUNTS = "counts\0"  # in chapters: a chapter's counts, beside its entries


@dataclass
class _Kept:
    """One entry as the index needs it: what it shows, its key, its fields' lengths and where its counts are
    (its chapter's key: in chapters; "": in counts)."""

    shown: dict[str, object]
    key: str
    lengths: list[list]  # [[field, number of tokens], …]
    group: str


class _Counts:
    """Where each entry's shape and fields' counts are: a chapter's standards' beside its entries in chapters,
    the other entries' (and, without chapters, every entry's) in counts."""

    def __init__(self, counts: MutableMapping[str, list], chapters: MutableMapping[str, Any] | None) -> None:
        self.counts = counts
        self.chapters = chapters
        self.remake: dict[str, Callable[[], dict[str, list]]] = {}  # chapter key -> its counts made again
        self.earlier: dict[str, str] = {}  # chapter ID -> its key in the last build

    def of(self, group: str) -> MutableMapping[str, list] | None:
        """The counts of group (a chapter's key, or ""); None when they are gone."""
        if not group or self.chapters is None:
            return self.counts
        made = self.chapters.get(_COUNTS + group)
        if made is None and group in self.remake:  # this build's chapter, its kept counts damaged: made again
            made = self.chapters[_COUNTS + group] = self.remake.pop(group)()
        return made


def _shape(entry: _Entry, counts: MutableMapping[str, list]) -> tuple[str, list]:
    """An entry's key and what its weights are made of: [its fields' keys, [[field, number of tokens,
    the distinct counts], …], the tokens found in several fields as [field index, count, …] (distinct)]."""
    key, fields = entry.key, entry.fields
    shape = counts.get(key)
    if shape is None:
        names = list(fields)
        field_keys = [field_key(name, fields[name]) for name in names]
        summary: list[list] = []
        where: dict[str, list[int]] = defaultdict(list)
        for index, (name, fkey) in enumerate(zip(names, field_keys)):
            found, tfs, size = _field(counts, fkey, name, fields[name])
            tf_list = list(map(int, tfs.split()))
            summary.append([name, size, sorted(set(tf_list))])
            for token, tf in zip(found.split(" ") if found else [], tf_list):
                where[token] += (index, tf)
        shape = counts[key] = [field_keys, summary, sorted({tuple(w) for w in where.values() if len(w) > 2})]
    return key, shape


def _field(counts: MutableMapping[str, list], key: str, name: str, texts: list[str]) -> list:
    value = counts.get(key)
    if value is None:
        value = counts[key] = field_counts(name, texts)
    return value


def _of_tf(name: str, size: int, tfs: Iterable[int], average: dict[str, float]) -> dict[int, float]:
    """Per field, BM25's saturated term frequency times the field's weight, for each count in tfs."""
    b = _B.get(name, 0.0)
    damp = _K1 * (1 - b + b * size / average[name])
    return {tf: WEIGHTS[name] * tf * (_K1 + 1) / (tf + damp) for tf in tfs}


def stable_average(lengths: list[int]) -> float:
    """A field's average length (in tokens) as BM25 uses it, to two significant digits.

    Every entry's weights depend on it; unrounded, any edit moves it a little and every posting would
    have to be checked again. Rounded, an edit almost never moves it, so after an edit only the changed
    entries' postings are made again; cold and warm builds round the same lengths the same way.
    """
    return max(1.0, float(f"{sum(lengths) / len(lengths):.2g}"))


def _fields(shape: list, counts: MutableMapping[str, list]) -> list[tuple[str, list[str], list[int], int]]:
    """An entry's fields as (name, tokens, their counts, number of tokens), from the kept counts."""
    made = []
    for fkey, (name, size, _) in zip(shape[0], shape[1]):
        found, tfs, _ = counts[fkey]
        made.append((name, found.split(" ") if found else [], list(map(int, tfs.split())), size))
    return made


def _weights(fields: list[tuple[str, list[str], list[int], int]], average: dict[str, float]) -> dict[str, float]:
    """token → weight of one entry, summed over its fields (in field order, as floats)."""
    weights: dict[str, float] = {}
    for name, names, tf_list, size in fields:
        of_tf = _of_tf(name, size, set(tf_list), average)
        # Mostly C loops: 1.4 million postings at 5,000 standards. A token in two fields sums
        # its weights in field order (as floats, before rounding).
        field_weights = dict(zip(names, map(of_tf.__getitem__, tf_list)))
        both = {token: weights[token] + field_weights[token] for token in field_weights.keys() & weights.keys()}
        weights.update(field_weights)
        weights.update(both)
    return weights


def _postings(entries: list[_Kept], found: _Counts, average: dict[str, float]) -> dict[str, list[int]]:
    """token → [entry number, weight × 10, …] by entry number."""
    postings: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(entries):
        weights = _entry_weights(entry, found, average)
        rounded = map(round, map(float.__mul__, weights.values(), repeat(10.0)))
        # postings[token] += (number, weight) for each token, with the loop itself in C
        _consume(map(list.extend, map(postings.__getitem__, weights), zip(repeat(number), rounded)))
    return postings


def _entry_weights(entry: _Kept, found: _Counts, average: dict[str, float]) -> dict[str, float]:
    counts = found.of(entry.group)
    if counts is None:
        raise KeyError(entry.group)  # a chapter's kept entries without their counts: not this code's
    return _weights(_fields(counts[entry.key], counts), average)


def _patched(last: MutableMapping[str, Any], settings: list, keys: list[str], entries: list[_Kept],
             average: dict[str, float], found: _Counts, shards: int) -> dict[str, str] | None:
    """The words and postings files: the last build's, with the postings of the entries whose key
    changed made again; None when that is not the cheaper way, when the averages moved (every weight
    may have), or when the last build's parts are gone. An entry's key fixes its fields' token counts,
    which with the averages fix its postings."""
    if last.get("settings") != settings or last.get("average") != average:
        return None
    changed = [n for n, (key, old) in enumerate(zip(keys, last["keys"], strict=True)) if old != key]
    if len(changed) > max(8, len(keys) // 50):
        return None
    files = {path: text for path, text in last["files"].items()
             if path == f"{FOLDER}/words.json" or path.startswith(f"{FOLDER}/t")}
    loaded: dict[int, _Shard] = {}

    def part_of(token: str) -> _Shard:
        k = fnv(token) % shards
        if k not in loaded:
            loaded[k] = _Shard(files[f"{FOLDER}/t{k}.json"])
        return loaded[k]

    added: set[str] = set()
    emptied: set[str] = set()
    for n in changed:
        counts = found.of(_group_at(last["groups"], n))
        old = counts.get(last["keys"][n]) if counts is not None else None
        if counts is None or old is None or any(fkey not in counts for fkey in old[0]):
            return None
        before = {token for fkey in old[0] for token in (counts[fkey][0].split(" ") if counts[fkey][0] else [])}
        weights = _entry_weights(entries[n], found, average)
        for token in before - weights.keys():
            postings = part_of(token).get(token)
            at = _at(postings, n) if postings else None
            if postings is None or at is None or at == len(postings) or postings[at] != n:
                return None
            del postings[at:at + 2]
            if not postings:
                emptied.add(token)
        for token, weight in zip(weights, map(round, map(float.__mul__, weights.values(), repeat(10.0)))):
            postings = part_of(token).get(token)
            if postings is None:
                part_of(token).lists[token] = [n, weight]
                added.add(token)
                continue
            at = _at(postings, n)
            if at < len(postings) and postings[at] == n:
                postings[at + 1] = weight
            else:
                postings[at:at] = [n, weight]
    for k, part in loaded.items():
        files[f"{FOLDER}/t{k}.json"] = part.text_now()
    if added or emptied:
        words = json.loads(files[f"{FOLDER}/words.json"])  # sorted: a few words taken out or put in their place
        for token in emptied:
            at = bisect.bisect_left(words, token)
            if not part_of(token).get(token) and at < len(words) and words[at] == token:
                del words[at]
        for token in added:
            at = bisect.bisect_left(words, token)
            if _word(token) and (at == len(words) or words[at] != token):
                words.insert(at, token)
        files[f"{FOLDER}/words.json"] = _json(words)
    return files


def _group_at(groups: list[list], number: int) -> str:
    """The group of entry number, from `search_files`' groups ([group, number of entries], …)."""
    for group, size in groups:
        if number < size:
            return str(group)
        number -= size
    raise IndexError(number)


class _Shard:
    """One postings file of the last index, read token by token (its JSON is parsed only where a token's
    postings change) and written back with those postings replaced."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lists: dict[str, list[int]] = {}  # token -> its postings now (empty: gone)
        self.spans: dict[str, tuple[int, int]] = {}  # token -> where its postings were in text

    def get(self, token: str) -> list[int] | None:
        if token not in self.lists:
            key = _json(token)
            if key != f'"{token}"':
                raise ValueError(token)  # a token that JSON escapes: not found by its text
            start = self.text.find(key + ":[")
            if start < 0:
                return None
            start += len(key) + 1
            end = self.text.index("]", start) + 1
            self.lists[token] = json.loads(self.text[start:end])
            self.spans[token] = (start, end)
        return self.lists[token]

    def text_now(self) -> str:
        if len(self.spans) == len(self.lists) and all(self.lists.values()):  # the same tokens: replace their postings
            pieces, done = [], 0
            for token, (start, end) in sorted(self.spans.items(), key=lambda item: item[1]):
                pieces += [self.text[done:start], _json(self.lists[token])]
                done = end
            pieces.append(self.text[done:])
            return "".join(pieces)
        part = json.loads(self.text)  # tokens come or go: the file made again
        for token, postings in self.lists.items():
            if postings:
                part[token] = postings
            else:
                part.pop(token, None)
        return _json({token: part[token] for token in sorted(part)})


def _at(postings: list[int], number: int) -> int:
    """Where entry number's pair is, or goes, in postings [number, weight, …] (by number)."""
    low, high = 0, len(postings) // 2
    while low < high:
        middle = (low + high) // 2
        if postings[2 * middle] < number:
            low = middle + 1
        else:
            high = middle
    return 2 * low


def _entries(handbook: Handbook, pages: Collection[str], directory_urls: bool, found: _Counts) -> list[_Kept]:
    """Every entry, its shape and fields' counts read or made (so kept for the next build, used or not)."""
    def url(path: str, anchor: str = "") -> str:
        page = path[:-3]
        if page == "index" or page.endswith("/index"):
            page = page[:-5]
        elif directory_urls:
            page += "/"
        else:
            page += ".html"
        return f"{page}#{anchor}" if anchor else page

    labels = {t.id: t.label for t in (*handbook.vocabulary.frequencies, *handbook.vocabulary.roles)}
    pointing: dict[str, list[str]] = defaultdict(list)  # standard ID -> glossary terms and aliases about it
    for term in handbook.glossary:
        for std_id in term.see:
            pointing[std_id].extend((term.term, *term.aliases))

    def counted(chapter: Any, counts: MutableMapping[str, list], key: str) -> list[_Kept]:
        return [_kept(_standard_entry(chapter, std, url, labels, pointing.get(std.id, [])), counts, key)
                for std in chapter.standards]

    entries: list[_Kept] = []
    settings = _json([directory_urls, sorted(labels.items())])
    chapters = found.chapters
    for chapter in handbook.chapters:
        # The standards' texts are stripped of Markdown and cut once per chapter file, and kept.
        key = "\0".join([standards_key(chapter.standards), chapter.id, chapter.title, settings,
                         _json([pointing.get(std.id, []) for std in chapter.standards])])
        kept = chapters.get(key) if chapters is not None and _COUNTS + key in chapters else None
        if isinstance(kept, list) and len(kept) == len(chapter.standards):
            entries.extend(_Kept(shown, entry_key, lengths, key) for shown, entry_key, lengths in kept)
            found.remake[key] = functools.partial(_counts_of, counted, chapter, key)
        elif chapters is None:
            entries.extend(counted(chapter, found.counts, key))
        else:
            group: dict[str, list] = {}
            earlier = found.of(found.earlier[chapter.id]) if chapter.id in found.earlier else None
            # An edit changes a few of the chapter's fields: the others' counts are its last ones.
            made = counted(chapter, group if earlier is None else _Taking(group, earlier), key)
            chapters[key] = [[entry.shown, entry.key, entry.lengths] for entry in made]
            chapters[_COUNTS + key] = group
            entries.extend(made)
    others: list[_Entry] = []
    for term in handbook.glossary:
        definition = plain_text(term.definition)
        others.append(_Entry(
            kind="glossary", url=url(v.GLOSSARY, term.id), title=term.term, text=definition,
            fields={"title": [term.term], "alias": list(term.aliases), "pinyin": [term.term, *term.aliases],
                    "body": [definition]}))
    for template in handbook.templates:
        purpose = plain_text(template.purpose)
        others.append(_Entry(
            kind="template", url=url(v.template_path(template.id)), title=template.title, text=purpose,
            fields={"title": [template.title], "pinyin": [template.title],
                    "body": [purpose, *(f.label for f in template.fields), *(c.label for c in template.columns)]}))
    for chapter in handbook.chapters:
        summary = plain_text(chapter.summary)
        others.append(_Entry(
            kind="chapter", url=url(v.chapter_path(chapter.id)), title=chapter.title, text=summary,
            fields={"title": [chapter.title], "pinyin": [chapter.title], "body": [summary]}))
    if "changes.md" in pages:
        for retired in handbook.edition.retired:
            others.append(_Entry(
                kind="retired", url=url("changes.md", f"removed-{retired.id}"), id=retired.id, title=retired.id,
                text=retired.reason, fields={"id": [retired.id], "body": [retired.reason]}))
    entries.extend(_kept(entry, found.counts, "") for entry in others)
    return entries


class _Taking(MutableMapping[str, list]):
    """New counts (made) that take what they are asked for and lack from earlier ones."""

    def __init__(self, made: dict[str, list], earlier: MutableMapping[str, list]) -> None:
        self.made, self.earlier = made, earlier

    def __getitem__(self, key: str) -> list:
        if key not in self.made:
            self.made[key] = self.earlier[key]
        return self.made[key]

    def __setitem__(self, key: str, value: list) -> None:
        self.made[key] = value

    def __delitem__(self, key: str) -> None:
        del self.made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.made)

    def __len__(self) -> int:
        return len(self.made)


def _kept(entry: _Entry, counts: MutableMapping[str, list], group: str) -> _Kept:
    key, shape = _shape(entry, counts)
    _consume(counts[fkey] for fkey in shape[0])  # kept for the next build, used or not
    return _Kept(entry.shown(), key, [[name, size] for name, size, _ in shape[1]], group)


def _counts_of(counted: Callable[[Any, MutableMapping[str, list], str], list[_Kept]], chapter: Any,
               key: str) -> dict[str, list]:
    counts: dict[str, list] = {}
    counted(chapter, counts, key)
    return counts


def _standard_entry(chapter: Any, std: Any, url: Callable[..., str], labels: dict[str, str],
                    see: list[str]) -> _Entry:
    rule = plain_text(std.text)
    body = [rule, *(c.text for c in std.checks), *(e.text for e in std.evidence), plain_text(std.inspection),
            *(b.citation("") for b in std.basis)]
    return _Entry(
        kind="standard", url=url(v.chapter_path(chapter.id), std.id), id=std.id, title=std.title,
        text=" ".join([rule, *(c.text for c in std.checks)]), chapter=chapter.title,
        frequency=labels.get(std.frequency, std.frequency), roles=[labels.get(r, r) for r in std.responsible],
        fields={"id": [std.id], "title": [std.title], "tags": list(std.tags), "see": list(see),
                "pinyin": [std.title], "body": body})


KINDS = ("standard", "glossary", "template", "chapter", "retired")


def search_labels(handbook: Handbook) -> dict[str, object]:
    """The words of the search box and its results, for the theme (which passes them to search.js)."""
    label = handbook.label
    return {"open": label("search.open"), "placeholder": label("search.placeholder"),
            "count": label("search.count"), "none": label("search.none"),
            "kinds": {kind: label(f"search.kind_{kind}") for kind in KINDS}}
