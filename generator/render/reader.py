"""What every page of the reader's site carries besides its content: a description, a print frame."""

from __future__ import annotations

import dataclasses
import html.parser
import re

from markupsafe import Markup, escape

from generator.model import Handbook
from generator.render.forms.html import css_string, page_counter

DESCRIPTION_CHARS = 120
_SKIPPED = {"script", "style", "nav", "table", "h1", "h2", "h3", "h4", "h5", "h6", "button", "select"}
_SENTENCE_ENDS = "。！？；.!?;"
_CHUNK = 4096
_TABLE = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)
_NOT_PLAIN_TABLE = re.compile(r"<(?:!|/?(?:table|p|li|script|style|nav|h[1-6]|button|select|textarea|title)\b)|-->", re.IGNORECASE)


@dataclasses.dataclass(frozen=True, kw_only=True)
class PrintFrame:
    """What a page printed from the browser shows around its content."""

    css: Markup  # the @page rule: handbook and edition at the top, address and page number at the foot
    notice: str  # on the first page: edition and disclaimer


def page_description(content_html: str, fallback: str = "") -> Markup:
    """A meta description from the page's own text: its first paragraphs, cut at a sentence end.

    Returned escaped: MkDocs renders theme templates without autoescape.
    """
    parser = _Paragraphs()
    content_html = _without_plain_tables(content_html)
    # Only the first sentences count: a big page is read until its paragraphs hold more than enough.
    for start in range(0, len(content_html), _CHUNK):
        parser.feed(content_html[start:start + _CHUNK])
        if parser.enough():
            break
    paragraphs = [text for tag, text in parser.paragraphs if tag == "p" and text.strip()]
    items = [text for tag, text in parser.paragraphs if tag == "li" and text.strip()]
    text = " ".join(paragraphs or items) or fallback
    text = " ".join(text.split())
    if len(text) > DESCRIPTION_CHARS:
        cut = text[:DESCRIPTION_CHARS]
        end = max(cut.rfind(ch) for ch in _SENTENCE_ENDS)
        text = cut[:end + 1] if end >= DESCRIPTION_CHARS // 3 else cut.rstrip() + "…"
    return escape(text)


def _without_plain_tables(content_html: str) -> str:
    """The HTML without the tables the description skips anyway, when cutting them out changes
    nothing the parser sees: no paragraph, list item, heading or other skipped element, comment or
    nested table inside (the overview and annual plan are mostly such tables)."""
    parts, end = [], 0
    while (opening := _TABLE.search(content_html, end)) is not None:
        closing = _TABLE_END.search(content_html, opening.end())
        if closing is None:
            break
        inner = content_html.find(">", opening.end())
        plain = 0 <= inner < closing.start() and not _NOT_PLAIN_TABLE.search(content_html, inner, closing.start())
        parts.append(content_html[end:opening.start() if plain else closing.end()])
        end = closing.end()
    parts.append(content_html[end:])
    return "".join(parts)


def print_frame(handbook: Handbook, page_url: str) -> PrintFrame:
    """The print frame of one page: every printed page names the handbook, edition and page address."""
    label = handbook.label
    top = css_string(handbook.meta.title)
    edition = css_string(handbook.edition.label)
    address = css_string(page_url)
    css = (
        "@page { size: A4; margin: 18mm 14mm 18mm 14mm;"
        f" @top-left {{ content: {top}; font-size: 8pt; color: #333; }}"
        f" @top-right {{ content: {edition}; font-size: 8pt; color: #333; }}"
        f" @bottom-left {{ content: {address}; font-size: 7pt; color: #333; }}"
        f" @bottom-right {{ content: {page_counter(label('forms.page_of'))}; font-size: 8pt; color: #333; }} }}"
    )
    disclaimer = " ".join(handbook.meta.disclaimer.replace("**", "").split())
    notice = label("colon").join([handbook.edition.label, disclaimer]) if disclaimer else handbook.edition.label
    return PrintFrame(css=Markup(css), notice=notice)


class _Paragraphs(html.parser.HTMLParser):
    """The text of each outermost <p> and <li>, outside tables, headings and controls."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[str, str]] = []  # (tag, text)
        self._skip = 0
        self._in_paragraph = 0

    def enough(self) -> bool:
        """Whether more HTML cannot change the description: the paragraphs before the last one
        already hold more text than a description takes (and paragraphs win over list items)."""
        if len(self.paragraphs) < 2:
            return False
        done = [text for tag, text in self.paragraphs[:-1] if tag == "p" and text.strip()]
        return len(" ".join(" ".join(done).split())) > DESCRIPTION_CHARS + 1

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in ("p", "li") and not self._skip:
            if not self._in_paragraph:
                self.paragraphs.append((tag, ""))
            self._in_paragraph += 1

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in ("p", "li") and self._in_paragraph:
            self._in_paragraph -= 1

    def handle_data(self, data):
        if self._in_paragraph and not self._skip and self.paragraphs:
            tag, text = self.paragraphs[-1]
            self.paragraphs[-1] = (tag, text + data)
