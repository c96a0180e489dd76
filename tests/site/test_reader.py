"""The reader's handbook in headless Chromium: accessible (axe-core), at home on a phone, printable; the
overview table filters.

axe-core is the npm package, fetched once into .cache/test-tools/ by `npm pack` (./dev test installs npm).
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
import tarfile
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.validate import load_handbook
from tests.browser import visit
from tests.conftest import ROOT, STANDARDS
from tests.publish.helpers import published_without_forms

AXE_VERSION = "4.14.1"
AXE = ROOT / ".cache" / "test-tools" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
HANDBOOK = load_handbook(STANDARDS)
CHAPTER = HANDBOOK.chapters[0]
TEMPLATE = HANDBOOK.templates[0]
# One page of every kind the reader meets (path under the site root).
PAGES = {
    "home": "",
    "chapter": f"chapters/{CHAPTER.id}/",
    "overview": "overview/",
    "forms index": "forms/",
    "form page": "forms/scoring-sheet/",
    "form print view": "forms/scoring-sheet.html",
    "checklist print view": f"forms/checklist-{CHAPTER.id}.html",
    "record book": f"record-books/{TEMPLATE.id}/",
    "glossary": "glossary/",
    "revision notes": "changes/",
    "comparison": "comparison/",
}
OLD_EDITION_PAGE = "2024/chapters/meetings/"  # a page of a superseded published edition
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
NARROW_PHONE = {**PHONE, "viewport": {"width": 360, "height": 800}}


@functools.cache
def axe_script() -> str:
    if not AXE.is_file():
        AXE.parent.mkdir(parents=True, exist_ok=True)
        packed = subprocess.run(["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent", "--pack-destination",
                                 str(AXE.parent)], capture_output=True, text=True, timeout=300, check=True)
        archive = AXE.parent / packed.stdout.strip().splitlines()[-1]
        with tarfile.open(archive) as tar:
            AXE.write_bytes(tar.extractfile("package/axe.min.js").read())
        archive.unlink()
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe(serve_dir) -> str:
    """The address of axe.min.js, served on its own: a page loads it as a script (compiled once and then
    taken from Chromium's code cache, not compiled again on every page as an evaluated string is)."""
    axe_script()
    return serve_dir(AXE.parent) + AXE.name


@pytest.fixture(scope="module")
def site_url(built_site: Path, serve_dir) -> str:
    return serve_dir(built_site)


@pytest.fixture(scope="module")
def public_url(tmp_path_factory, serve_dir) -> str:
    return serve_dir(published_without_forms(tmp_path_factory))


@pytest.fixture(scope="module")
def views(desktop, browser):
    """One page per window size, shared by the tests that only read pages: the desktop one in the worker's
    context, the phone one in a context of this module (a phone is a device: touch, 2× pixels). The phone
    page is narrowed to 360 px in place (`narrowed`); each test sets the width it reads at. A test that
    changes what a context keeps, such as a dismissed notice, opens its own."""
    phone = browser.new_context(**PHONE)
    pages = {"desktop": desktop.new_page(), "phone": phone.new_page()}
    yield pages
    pages["desktop"].close()
    phone.close()


def phone(views) -> object:
    """The phone page at 390 px (a test before may have narrowed it)."""
    page = views["phone"]
    page.set_viewport_size(PHONE["viewport"])
    return page


def serious_violations(page, axe: str, *, colours: bool = True) -> list[str]:
    """axe-core's serious and critical violations on the page, every rule (colours=False: all but
    colour-contrast, three quarters of a run, for a second width of a page whose colours are checked)."""
    page.add_script_tag(url=axe)
    options = "{resultTypes: ['violations']" + ("" if colours else ", rules: {'color-contrast': {enabled: false}}") + "}"
    # Only the violations come back: the rest of axe's result (its passes and inapplicable rules, ~60 KB a
    # page) would be serialised by the page and by Playwright for nothing.
    violations = page.evaluate(f"axe.run(document, {options}).then(result => result.violations)")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations if v["impact"] in ("serious", "critical")]


def sideways(page) -> list[str]:
    """Elements that stick out of the viewport without a scrolling box of their own around them."""
    return page.evaluate("""() => {
      const width = document.documentElement.clientWidth, out = [];
      if (window.innerWidth > width + 1) out.push("layout viewport " + window.innerWidth + "px");
      if (document.documentElement.scrollWidth > width + 1) out.push("page " + document.documentElement.scrollWidth);
      for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 1) continue;
        let inScroller = false;
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== "visible") { inScroller = true; break; }
        }
        if (!inScroller) out.push(el.tagName + "." + el.className + " " + Math.round(box.right) + "px");
      }
      return out.slice(0, 5);
    }""")


def narrowed(page) -> list[str]:
    """sideways() once the phone page is 360 px wide: the page narrowed in place, as a rotated or resized
    window is, instead of loaded again; the layout (CSS media queries, Material's resize handlers) follows
    the width, and the check reads only the layout."""
    page.set_viewport_size(NARROW_PHONE["viewport"])
    page.wait_for_function(f"document.documentElement.clientWidth === {NARROW_PHONE['viewport']['width']}",
                           polling="raf")
    return sideways(page)


@pytest.mark.parametrize("kind", PAGES)
def test_page_is_accessible_and_fits_a_phone(views, axe: str, site_url: str, kind: str) -> None:
    """Every axe rule at desktop width; at 390 px every rule but colour-contrast (the same colours, the
    costliest rule) and nothing scrolls sideways, at 390 px nor at 360 px."""
    page = visit(views["desktop"], site_url + PAGES[kind])
    assert serious_violations(page, axe) == [], f"{kind} at {page.viewport_size['width']} px"
    page = visit(phone(views), site_url + PAGES[kind])
    assert sideways(page) == [], f"{kind} scrolls sideways at 390 px"
    assert serious_violations(page, axe, colours=False) == [], f"{kind} at 390 px"
    assert narrowed(page) == [], f"{kind} scrolls sideways at 360 px"


def test_older_edition_page_is_accessible_and_fits_a_phone(views, axe: str, public_url: str) -> None:
    for page in (views["desktop"], phone(views)):
        visit(page, public_url + OLD_EDITION_PAGE)
        page.locator("[data-md-component=outdated]").wait_for(state="visible")
        page.wait_for_selector(".md-version__current", state="attached")
        assert serious_violations(page, axe, colours=page is views["desktop"]) == []
        if page is not views["desktop"]:
            assert sideways(page) == []


def test_wide_table_scrolls_in_its_own_box_reachable_by_keyboard(views, site_url: str) -> None:
    page = visit(phone(views), site_url + "forms/")
    box = page.locator(".hb-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table is wider than the phone
    assert box.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_overview_table_filters_by_frequency(desktop, site_url: str) -> None:
    page = visit(desktop.new_page(), site_url + PAGES["overview"])  # its own: the filter stays set
    rows = page.locator(".hb-overview tbody tr")
    total = rows.count()
    selects = page.locator(".hb-filters select")
    assert selects.count() == 3
    frequency = selects.nth(1)
    option = frequency.locator("option").nth(1).text_content()
    frequency.select_option(option)
    visible = page.locator(".hb-overview tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    for i in range(visible.count()):
        assert option in visible.nth(i).locator("td").nth(3).text_content()
    page.close()


def _printed_text(views, url: str) -> list[str]:
    from pypdf import PdfReader

    pdf = visit(views["desktop"], url).pdf(prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    # NFKC: the PDF's text maps some glyphs to their Kangxi radical twins (⽀ for 支).
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in reader.pages]


def test_printed_chapter_names_handbook_edition_address_on_every_page(views, site_url: str) -> None:
    pages = _printed_text(views, site_url + PAGES["chapter"])
    assert len(pages) > 1
    # Without a site_url (the shipped mkdocs.yml has none) the page's own path; with one, its full address.
    address = f"chapters/{CHAPTER.id}/"
    for number, text in enumerate(pages, start=1):
        assert HANDBOOK.edition.label in text, number
        assert HANDBOOK.meta.title in text.replace(" ", ""), number
        assert address in text.replace(" ", ""), number
        # 页 comes back as its radical twin ⻚, which NFKC leaves alone
        assert re.search(f"第 {number} [页⻚] / 共 {len(pages)} [页⻚]", text), number
    headings = [unicodedata.normalize("NFKC", f"{s.id} {s.title}") for s in CHAPTER.standards]
    alone = [(number, h) for number, text in enumerate(pages[:-1], start=1) for h in headings
             if text.replace(" ", "").endswith(h.replace(" ", ""))]
    assert alone == []  # no page ends with a heading whose text is on the next
    disclaimer = unicodedata.normalize("NFKC", HANDBOOK.meta.disclaimer.replace("**", ""))[:20]
    assert disclaimer in pages[0].replace(" ", "")
    assert all(disclaimer not in text.replace(" ", "") for text in pages[1:])


def test_printed_overview_hides_filters_and_buttons(views, site_url: str) -> None:
    text = " ".join(_printed_text(views, site_url + PAGES["overview"]))
    assert CHAPTER.standards[0].id in text
    assert HANDBOOK.label("filter_reset") not in text


def test_every_page_has_its_own_meta_description(built_site: Path) -> None:
    seen = {}
    for kind, path in PAGES.items():
        if path.endswith(".html"):
            continue
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        found = re.findall(r'<meta name="description" content="([^"]+)">', html)
        assert len(found) == 1, kind
        seen[kind] = found[0]
    assert len(set(seen.values())) == len(seen), seen
    assert seen["chapter"].startswith(" ".join(CHAPTER.summary.split())[:20])


def test_notice_bar_can_be_dismissed_and_stays_dismissed(browser, site_url: str) -> None:
    context = browser.new_context(**PHONE)  # its own: the dismissal is kept in the context's storage
    try:
        page = visit(context.new_page(), site_url)
        banner = page.locator("[data-md-component=announce]")
        assert HANDBOOK.edition.label in banner.inner_text()
        page.locator(".md-banner__button").click()
        assert banner.is_hidden()
        page.goto(site_url + PAGES["chapter"])
        assert page.locator("[data-md-component=announce]").is_hidden()
    finally:
        context.close()


def test_site_holds_the_handbook_only(built_site: Path) -> None:
    """The project's own documentation (benchmarks, editors' guide) is not in nav, search or sitemap."""
    import json
    import urllib.parse

    shown = [e for chunk in sorted((built_site / "search" / "handbook").glob("e*.json"))
             for e in json.loads(chunk.read_text(encoding="utf-8"))]
    assert shown  # the handbook's own search index: one entry per standard, term, record book, chapter
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    urls = [el.text or "" for el in sitemap.iter() if el.tag.endswith("loc")]
    sections = {"", "chapters", "overview", "rating", "record-books", "glossary", "self-assessment", "annual-plan",
                "forms", "changes", "comparison"}
    assert {urllib.parse.urlsplit(u).path.strip("/").split("/")[0] for u in urls} <= sections
    assert {e["u"].lstrip("./").split("/")[0].split("#")[0] for e in shown} <= sections
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for word in ("Benchmarks", "benchmarks", "编辑与发布", "editing"):
        assert word not in home
        assert all(word not in e["t"] for e in shown)
