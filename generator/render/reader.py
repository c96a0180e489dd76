"""What every page of the reader's site carries besides its content: a description, a print frame."""

from __future__ import annotations

import dataclasses
import html.parser

from markupsafe import Markup, escape

from generator.model import Handbook
from generator.render.forms.html import css_string, page_counter

DESCRIPTION_CHARS = 120
_SKIPPED = {"script", "style", "nav", "table", "h1", "h2", "h3", "h4", "h5", "h6", "button", "select"}
_SENTENCE_ENDS = "。！？；.!?;"


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
    parser.feed(content_html)
    paragraphs = [text for tag, text in parser.paragraphs if tag == "p" and text.strip()]
    items = [text for tag, text in parser.paragraphs if tag == "li" and text.strip()]
    text = " ".join(paragraphs or items) or fallback
    text = " ".join(text.split())
    if len(text) > DESCRIPTION_CHARS:
        cut = text[:DESCRIPTION_CHARS]
        end = max(cut.rfind(ch) for ch in _SENTENCE_ENDS)
        text = cut[:end + 1] if end >= DESCRIPTION_CHARS // 3 else cut.rstrip() + "…"
    return escape(text)


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
