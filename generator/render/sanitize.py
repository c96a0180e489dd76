"""HTML from handbook content is sanitised: formatting, tables and links pass, scripts do not."""

from __future__ import annotations

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul", "img", "figure", "figcaption", "svg", "path", "button",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "align"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "col": {"span", "style"},  # only its width survives: see filter_style_properties
    "div": {"data-filter-columns", "data-label-all", "data-label-reset", "data-label-count", "data-list-sep"},
    "svg": {"viewBox", "width", "height", "xmlns", "aria-hidden"},  # nh3 matches names case-sensitively
    "path": {"d"},
    "button": {"type"},
}


# Classes the theme's JavaScript acts on by fetching code from outside the site (Material loads mermaid from
# unpkg.com for a <pre class="mermaid">): content may not ask for them.
_FETCHING_CLASSES = {"mermaid"}

# An element's id is also a global (`window.<id>`) and the answer to `querySelector("#<id>")`, which finds
# the first in the page: content before the theme's own `<script id="__config">` would replace its settings.
# The theme's ids all start with "__"; the others are globals the site's scripts test for.
_SCRIPT_GLOBALS = frozenset({"mermaid", "PagefindUI", "define", "module", "exports", "require", "process",
                             "global", "globalThis", "jQuery", "MathJax", "katex", "hljs", "Prism"})


def _safe_id(value: str) -> bool:
    return not value.startswith("__") and "$" not in value and value not in _SCRIPT_GLOBALS


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if name not in _FETCHING_CLASSES]
        return " ".join(kept) or None
    if attribute == "id" and not _safe_id(value):
        return None
    return value


def sanitize(html: str) -> str:
    """Keep what Markdown and the page templates make; drop scripts, handlers, styles, foreign URLs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        attribute_filter=_filter_attribute,
        filter_style_properties={"width"},
    )
