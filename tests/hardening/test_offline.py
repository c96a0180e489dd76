"""Offline by construction: the built site loads nothing from outside itself."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser import LOCAL, Offline, visit

# <tag attribute> pairs whose URL the browser fetches while showing the page.
_FETCHED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
            ("video", "src"), ("video", "poster"), ("audio", "src"), ("iframe", "src"), ("embed", "src"),
            ("object", "data"), ("input", "src"), ("track", "src"), ("use", "href"), ("image", "href"),
            ("use", "xlink:href"), ("image", "xlink:href")}
# <link rel=…> values that make the browser fetch href; canonical/alternate/sitemap only name a URL.
_FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "modulepreload",
                  "manifest", "preconnect", "dns-prefetch", "mask-icon"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
_JS_URL = re.compile(r"""https?://[^\s"'`)<>\\]+""")

# URLs in the theme's JavaScript that are text, not fetched: each with the reason.
JS_TEXT_URLS = {
    "www.w3.org": "XML namespace names (SVG), compared as strings, never fetched",
    "www.mozilla.org": "licence notices in comments (lunr-languages)",
    "snowball.tartarus.org": "credits in comments (lunr stemmers)",
    "tartarus.org": "credits in comments (lunr stemmers)",
    "code.google.com": "credits in comments (lunr-languages)",
    "github.com": "credits and bug links in comments and error messages",
    "lunrjs.com": "credit in a comment",
    "underscorejs.org": "credit in a comment",
    "narwhaljs.org": "credit in a comment",
    "wiki.commonjs.org": "credit in a comment",
    "wiki.ecmascript.org": "credit in a comment",
    "people.mozilla.org": "credit in a comment",
    "en.wikipedia.org": "reference in a comment",
    "docs.python.org": "reference in a comment",
    "msdn.microsoft.com": "reference in a comment",
    "developer.mozilla.org": "reference in a comment",
    "fontawesome.com": "licence comment of the icon set",
    "clipboardjs.com": "licence comment",
    "drafts.fxtf.org": "spec links in comments of the vendored ResizeObserver polyfill",
    "bit.ly": "link in an error message",
    # Fetched only in conditions this site never meets, each checked below:
    "chasen.org": "licence link in a comment (TinySegmenter)",
    "${e}": "GitLab repository facts (https://${host}/api/v4/…), fetched only when repo_url is set (see test)",
    "api.github.com": "repository facts, fetched only when mkdocs.yml sets repo_url (it does not: see test)",
    "unpkg.com": "Material's conditional loaders: mermaid (only for <pre class=mermaid>, which neither the "
                 "templates nor the sanitiser let through: see test) and the ResizeObserver polyfill (only "
                 "in browsers without ResizeObserver, which get the shipped polyfill first: see the tests below)",
    "": "the bare prefix 'https://' used to build URLs from the two hosts above",
}


class _Resources(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.in_style = False
        self.mermaid = 0
        self.source_facts = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in _FETCHED:
                self.urls += [part.strip().split(" ")[0] for part in value.split(",")] if "srcset" in name else [value]
            if name == "style":
                self.urls += [a or b for a, b in _CSS_URL.findall(value)]
        if tag == "link" and set((values.get("rel") or "").lower().split()) & _FETCHING_RELS:
            self.urls.append(values.get("href") or "")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.urls.append((values.get("content") or "").partition("url=")[2])
        if tag == "style":
            self.in_style = True
        if "mermaid" in (values.get("class") or "").split():
            self.mermaid += 1
        if "md-source" in (values.get("class") or "").split():
            self.source_facts += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.urls += [a or b for a, b in _CSS_URL.findall(data)]


def _external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def _files(site: Path, *suffixes: str) -> list[Path]:
    found = sorted(p for p in site.rglob("*") if p.suffix in suffixes)
    assert found, f"no {suffixes} files in {site}"
    return found


def test_pages_load_nothing_from_outside(built_site: Path) -> None:
    problems = []
    for page in _files(built_site, ".html"):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(built_site)}: {url}" for url in parser.urls if _external(url)]
        # The conditions under which the theme's JavaScript would fetch from outside (see JS_TEXT_URLS).
        assert parser.mermaid == 0, f"{page}: a mermaid diagram makes Material fetch mermaid from unpkg.com"
        assert parser.source_facts == 0, f"{page}: repo_url makes Material fetch from api.github.com"
    assert problems == []


def test_stylesheets_load_nothing_from_outside(built_site: Path) -> None:
    problems = []
    for sheet in _files(built_site, ".css"):
        for a, b in _CSS_URL.findall(sheet.read_text(encoding="utf-8")):
            if _external(a or b):
                problems.append(f"{sheet.relative_to(built_site)}: {a or b}")
    assert problems == []


def test_scripts_name_no_outside_url_except_known_text(built_site: Path) -> None:
    problems = []
    for script in _files(built_site, ".js"):
        for url in _JS_URL.findall(script.read_text(encoding="utf-8")):
            if (urlsplit(url).hostname or "") not in JS_TEXT_URLS:
                problems.append(f"{script.relative_to(built_site)}: {url}")
    assert problems == []
    # Our own scripts fetch nothing by absolute URL at all.
    own = [p for p in built_site.rglob("*.js") if "handbook" in p.name]
    assert own and not [p for p in own if _JS_URL.search(p.read_text(encoding="utf-8"))]


def test_resize_observer_polyfill_loads_before_the_bundle(built_site: Path) -> None:
    """Material fetches a ResizeObserver polyfill from unpkg.com when the browser lacks one;
    every page loads the shipped copy first, so that branch is never taken."""
    for page in _files(built_site, ".html"):
        html = page.read_text(encoding="utf-8")
        if "bundle." not in html:
            continue  # e.g. a redirect page
        polyfill = html.find("vendor/resize-observer-polyfill.js")
        assert 0 <= polyfill < html.find("assets/javascripts/bundle."), page


def test_old_browser_without_resize_observer_stays_offline(built_site: Path, serve_dir, desktop) -> None:
    base = serve_dir(built_site)
    page = desktop.new_page()  # the script below runs in this page only; a request outside is never cached
    page.add_init_script("delete window.ResizeObserver")
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if urlsplit(request.url).hostname not in LOCAL else None)
    page.goto(base + "chapters/meetings/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.ResizeObserver") == "function"
    assert outside == []
    page.close()


def test_site_works_with_the_network_blocked(built_site: Path, serve_dir, desktop) -> None:
    """Each page, once it has fetched what it fetches by itself, has asked for nothing outside the local
    server and had no request fail (tests/browser.py: Offline, which turns the page's cache off: every
    request is seen). Each page is checked before the next is opened, so a request the next navigation
    cancels (the home page's search index, asked for when the page is idle) is not taken for a failure."""
    base = serve_dir(built_site)
    page = desktop.new_page()
    offline = Offline(page)
    try:
        visit(page, base)
        assert page.locator("h1").first.is_visible()
        offline.check(page)
        chapter = sorted((built_site / "chapters").iterdir())[0].name
        visit(page, f"{base}chapters/{chapter}/")
        assert page.locator("article h2").count() > 0
        page.keyboard.press("/")  # the handbook's search box (search/handbook.json, from the site itself)
        page.locator(".hb-search__input").fill("三会一课")
        results = page.locator("[data-search-result]")
        results.first.wait_for(timeout=15_000)
        assert results.count() > 0
        offline.check(page)
    finally:
        page.close()
