"""Markdown that is paragraphs and nothing else: what a conversion would make of it is known without one.

Most rules are sentences with a few **strong** words. Their plain text (for the search index,
the forms, the calendar and the book) is the source with the asterisks taken out, so the costly
Markdown pipeline is skipped for them (tests/render/forms/test_plain_text.py checks the shortcut
against the conversion on every text of the bundled, fixture and benchmark handbooks).
"""

from __future__ import annotations

import re

# A **strong** span on one line that neither starts nor ends with a space.
STRONG = re.compile(r"\*\*([^*\s](?:[^*\n]*[^*\s])?)\*\*")
# No character Markdown treats specially inside a line, apart from strong spans ...
_PLAIN = re.compile(r"(?:[^\x00-\x09\x0b-\x1f\\`*_\[\]<>&]|" + STRONG.pattern + r")*")
# ... and no line that could start a block (list, heading, quote, indented code, rule, setext underline).
_BLOCK_START = re.compile(r"(?:^|\n)(?:[ \t\-+=#>|]|[0-9]+\.)")


def paragraphs_only(source: str) -> bool:
    """Whether Markdown makes of source only paragraphs of text with `STRONG` spans."""
    return _PLAIN.fullmatch(source) is not None and not _BLOCK_START.search(source)
