"""Every character the forms print must be in the form font, or the PDF would show a gap.

The forms embed their fonts (Noto Sans SC, and a cut of Noto Sans for what it lacks, shipped in
generator/assets/fonts) so they print the same everywhere; a rare character outside both is
reported at its place in the source.
"""

from __future__ import annotations

import bisect
import functools
import struct
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from generator.errors import Place, Problem
from generator.load.files import SourceFile
from generator.load.yaml import Node, parse
from generator.messages import say

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FORM_FONT = FONTS / "NotoSansSC-Regular.ttf"
SYMBOL_FONT = FONTS / "NotoSans-Symbols-Regular.ttf"  # the forms' second font: sub/superscripts, more Latin
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


@functools.cache
def form_font_codepoints() -> frozenset[int]:
    """The code points the form fonts have glyphs for (their cmaps), read once per process."""
    return font_codepoints(FORM_FONT) | font_codepoints(SYMBOL_FONT)


def font_codepoints(path: Path) -> frozenset[int]:
    """The code points of one font's cmap.

    Read straight from the font's cmap table: fontTools takes 0.2 s to decode the 30,000
    entries into glyph names, which `handbook validate` would pay on every run.
    """
    try:
        return frozenset(_cmap_codepoints(_cmap_table(path)))
    except (struct.error, ValueError):  # an unusual cmap layout: let fontTools read it
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap())


def _cmap_table(path: Path) -> bytes:
    """Only the cmap table of a TrueType font: the file is 10 MB, the table a few hundred kB."""
    with path.open("rb") as font:
        head = font.read(12)
        (tables,) = struct.unpack_from(">H", head, 4)
        for tag, _sum, offset, length in struct.iter_unpack(">4sIII", font.read(16 * tables)):
            if tag == b"cmap":
                font.seek(offset)
                return font.read(length)
    raise ValueError("no cmap table")


def _cmap_codepoints(data: bytes) -> Iterator[int]:
    """Code points of the best Unicode subtable: format 12 (full Unicode) or else format 4 (BMP)."""
    cmap = 0
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = {}
    for platform, encoding, offset in struct.iter_unpack(">HHI", data[cmap + 4:cmap + 4 + 8 * count]):
        (fmt,) = struct.unpack_from(">H", data, cmap + offset)
        subtables[(platform, encoding, fmt)] = cmap + offset
    for key in ((3, 10, 12), (0, 4, 12), (0, 6, 12)):
        if key in subtables:
            start = subtables[key]
            (groups,) = struct.unpack_from(">I", data, start + 12)
            for first, last, _glyph in struct.iter_unpack(">III", data[start + 16:start + 16 + 12 * groups]):
                yield from range(first, last + 1)
            return
    for key in ((3, 1, 4), (0, 3, 4)):
        if key in subtables:
            yield from _format4(data, subtables[key])
            return
    raise ValueError("no Unicode cmap subtable of format 12 or 4")


def _format4(data: bytes, start: int) -> Iterator[int]:
    (segments,) = struct.unpack_from(">H", data, start + 6)
    segments //= 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 4 * segments)
    range_base = start + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_base)
    for i in range(segments):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                (glyph,) = struct.unpack_from(">H", data, range_base + 2 * i + offsets[i] + 2 * (code - starts[i]))
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                yield code


def has_glyph(char: str) -> bool:
    return _ignorable(char) or ord(char) in form_font_codepoints()


def check_glyphs(source: SourceFile, root: Node | None = None) -> list[Problem]:
    """A problem at path:line:col for each character of a string value the form font cannot show.

    Parses `source` unless its root node is given; a file that does not parse is left to the
    YAML checks. Files whose characters are all covered are not parsed at all.
    """
    text = source.text
    if all(has_glyph(char) for char in set(text)):
        return []
    if root is None:
        root, parse_problems = parse(text, source.display)
        if parse_problems or root is None:
            return []
    starts = _line_starts(text)
    problems = []
    for node in _strings(root):
        cursor = starts[node.line - 1] + node.col - 1 if node.line - 1 < len(starts) else 0
        for char in node.value:
            if has_glyph(char):
                continue
            found = text.find(char, cursor)
            if found < 0:  # written as an escape such as "\U00020000": point at the value
                line, col = node.line, node.col
            else:
                cursor = found + 1
                line, col = _position(starts, found)
            problems.append(Problem.at(Place(path=source.display, line=line, col=col),
                                       say("glyphs.missing", char=char, code=f"{ord(char):04X}"), _instead(char)))
    return problems


def _instead(char: str) -> str:
    """What to write in place of a character the forms cannot print."""
    plain = unicodedata.normalize("NFKC", char)
    if plain != char and plain.strip() and all(has_glyph(c) for c in plain):
        return say("glyphs.instead.hint", plain=plain, char=char)
    return say("glyphs.missing.hint")


def _ignorable(char: str) -> bool:
    # Whitespace, controls and invisible format or variation marks print nothing.
    code = ord(char)
    return (char.isspace() or unicodedata.category(char) in _INVISIBLE
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def _strings(node: Node) -> Iterator[Node]:
    if node.kind == "map":
        for _key, value in node.value.values():
            yield from _strings(value)
    elif node.kind == "seq":
        for child in node.value:
            yield from _strings(child)
    elif isinstance(node.value, str):
        yield node


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, char in enumerate(text):
        if char == "\n":
            starts.append(i + 1)
    return starts


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
