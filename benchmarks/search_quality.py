"""Search as readers use it: build the site with one engine, serve it, type each query into the site's own
search box in headless Chromium, and score the results against the answer that should come first.

    .venv/bin/python benchmarks/search_quality.py [--engine handbook,material,pagefind]
        [--queries tests/site/search_queries.yml,tests/site/search_queries_heldback.yml] [--json OUT]

For each engine and query set it prints: right answer first, in the top 5, no result at all, queries
showing a wall of text (a result with more than 300 characters), the tallest result (px, in a 1280×900
window), and the median and slowest time from the last keystroke to the results on screen.
Query files: see the header of tests/site/search_queries.yml. tests/site/test_search.py runs the same
code on the development set and asserts top 5 ≥ 90 % and no empty result.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import http.server
import json
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("handbook", "material", "pagefind")
QUERY_SETS = (ROOT / "tests" / "site" / "search_queries.yml", ROOT / "tests" / "site" / "search_queries_heldback.yml")
WALL = 300  # characters of one result: more is a wall of text
# Material's search as the project configured it before `search: handbook` (jieba via the standards plugin).
MATERIAL_SEARCH = {"search": {"separator": '[\\s\\u200b\\-，。、；：？！“”‘’（）《》【】,;:!?()"\'\\[\\]]+'}}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Query:
    q: str
    kind: str
    expect: tuple[str, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Answer:
    query: Query
    results: tuple[str, ...]  # result links, relative to the site, in rank order
    tallest_px: float
    longest_chars: int
    ms: float

    @property
    def rank(self) -> int:
        """0-based rank of the first acceptable answer; -1 if none is listed."""
        return next((i for i, url in enumerate(self.results) if any(hit(url, e) for e in self.query.expect)), -1)


def hit(url: str, expect: str) -> bool:
    """A result link matches an expected answer (format in the query file's header)."""
    page, _, anchor = url.partition("#")
    if "/" not in expect:  # a standard ID: its anchor on a chapter page
        return page.startswith("chapters/") and anchor == expect
    want_page, _, want_anchor = expect.partition("#")
    return page == want_page and (not want_anchor or anchor == want_anchor)


def load_queries(path: Path) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(q=str(e["q"]), kind=e["kind"], expect=tuple(e["expect"])) for e in data["queries"]]


def write_config(folder: Path, engine: str, standards: Path = ROOT / "standards") -> Path:
    """The project's mkdocs.yml with the given engine and no forms (they play no part in search)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins: list = [{"standards": {"standards": str(standards), "search": engine, "forms": False}}]
    config["plugins"] = [*plugins, MATERIAL_SEARCH] if engine == "material" else plugins
    config["docs_dir"] = str(ROOT / "docs")
    config.pop("watch", None)
    path = folder / f"mkdocs-{engine}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(engine: str, site: Path, standards: Path = ROOT / "standards") -> None:
    """A real `mkdocs build --strict` of the handbook with the engine."""
    config = write_config(site.parent, engine, standards)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"build with search: {engine} failed:\n{result.stderr[-4000:]}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Per engine: the search box, the result links in rank order, each result's box, and when the
# results of the current query are on screen (script evaluated in the page; true when done).
_UI = {
    "handbook": {
        "box": "dialog.hb-search .hb-search__input",
        "links": "[data-search-result]",
        "items": "[data-search-result]",
        "done": "document.querySelector('.hb-search__status').textContent !== ''",
        "clear": "document.querySelector('.hb-search__status').textContent === ''",
    },
    "material": {
        "box": "input.md-search__input",
        # each page's result, then its sections (also the ones folded under "more"), in order
        "links": ".md-search-result__item a.md-search-result__link",
        "items": ".md-search-result__item",
        "done": "(() => { const m = document.querySelector('.md-search-result__meta');"
                " return m && /\\d|没有|No matching/.test(m.textContent); })()",
        "clear": "!document.querySelector('.md-search-result__item')",
    },
    "pagefind": {
        "box": "dialog.hb-search input",
        "links": ".pagefind-ui__result-link",
        "items": ".pagefind-ui__result",
        "done": "(() => { const m = document.querySelector('.pagefind-ui__message');"
                " return m && m.textContent.trim() !== '' && !document.querySelector('.pagefind-ui__loading'); })()",
        "clear": "!document.querySelector('.pagefind-ui__result')",
    },
}


# The time since the last keystroke, the result links, and each result's height and length: one call.
_READ = """([links, items]) => [performance.now() - window.__typed,
    [...document.querySelectorAll(links)].map(e => e.href),
    [...document.querySelectorAll(items)].map(e => [e.getBoundingClientRect().height, e.innerText.length])]"""


def ask(page, engine: str, base: str, query: Query) -> Answer:
    """Type one query into the open search box; the results as the reader sees them."""
    ui = _UI[engine]
    box = page.locator(ui["box"])
    box.fill("")
    page.keyboard.press("End")  # Material searches on keyup
    page.wait_for_function(ui["clear"], timeout=30_000)
    box.fill(query.q)
    page.evaluate("window.__typed = performance.now()")
    page.keyboard.press("End")  # the last keystroke (and Material's keyup)
    page.wait_for_function(ui["done"], timeout=60_000, polling="raf")
    ms, links, sizes = page.evaluate(_READ, [ui["links"], ui["items"]])
    return Answer(query=query, results=tuple(_relative(url, base) for url in links), ms=ms,
                  tallest_px=max((h for h, _ in sizes), default=0.0), longest_chars=max((n for _, n in sizes), default=0))


def _relative(url: str, base: str) -> str:
    parts = urlsplit(url)
    path = parts.path[len(urlsplit(base).path):]
    return f"{path}#{parts.fragment}" if parts.fragment else path


VIEWPORT = {"width": 1280, "height": 900}  # the tallest result is measured in this window


def open_search(context, base: str, engine: str):
    """A new page of the site in the browser context (VIEWPORT) with its search box open through the `/`
    key, as a reader opens it."""
    page = context.new_page()
    page.goto(base + "chapters/meetings/")
    page.wait_for_load_state("load")
    page.keyboard.press("/")
    page.locator(_UI[engine]["box"]).wait_for(state="visible", timeout=15_000)
    return page


def run(context, base: str, engine: str, queries: Sequence[Query]) -> list[Answer]:
    page = open_search(context, base, engine)
    try:
        return [ask(page, engine, base, q) for q in queries]
    finally:
        page.close()


def summary(answers: Sequence[Answer]) -> dict[str, float]:
    times = [a.ms for a in answers]
    return {
        "queries": len(answers),
        "first": sum(a.rank == 0 for a in answers),
        "top5": sum(0 <= a.rank < 5 for a in answers),
        "none": sum(not a.results for a in answers),
        "walls": sum(a.longest_chars > WALL for a in answers),
        "tallest_px": max((a.tallest_px for a in answers), default=0),
        "longest_chars": max((a.longest_chars for a in answers), default=0),
        "median_ms": statistics.median(times) if times else 0,
        "max_ms": max(times, default=0),
    }


def launch(playwright):
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default="handbook", help=f"comma-separated: {', '.join(ENGINES)}")
    parser.add_argument("--queries", default=",".join(str(p) for p in QUERY_SETS))
    parser.add_argument("--json", type=Path, help="write every answer here")
    parser.add_argument("--misses", action="store_true", help="print each query whose answer is not first")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    sets = [Path(p) for p in args.queries.split(",")]
    report: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as work, sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport=VIEWPORT)
        for engine in args.engine.split(","):
            site = Path(work) / engine / "site"
            site.parent.mkdir()
            build(engine, site)
            with serve(site) as base:
                for path in sets:
                    answers = run(context, base, engine, load_queries(path))
                    report[f"{engine} {path.stem}"] = {"summary": summary(answers),
                                                       "answers": [dataclasses.asdict(a) for a in answers]}
                    s = summary(answers)
                    print(f"{engine:9} {path.stem:26} first {s['first']}/{s['queries']}  top5 {s['top5']}/"
                          f"{s['queries']}  none {s['none']}  walls {s['walls']}  tallest {s['tallest_px']:.0f}px "
                          f"({s['longest_chars']} chars)  keystroke→results median {s['median_ms']:.0f} ms, "
                          f"max {s['max_ms']:.0f} ms", flush=True)
                    if args.misses:
                        for a in answers:
                            if a.rank != 0:
                                print(f"    {a.rank:2} {a.query.kind:10} {a.query.q}  want {','.join(a.query.expect)}"
                                      f"  got {' '.join(a.results[:5])}")
        browser.close()
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
