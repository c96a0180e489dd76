"""Helpers of the browser tests: open a page of a built site and know it is ready, keep requests local.

No fixed waits: a page is read once its load event has fired, its fonts are in and the handbook's search
box is set up (what `networkidle`, 500 ms of quiet after every load, used to stand for), and a page that
must stay offline is closed once every request it started has finished.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

# After the load event: every font the page uses is loaded and the search button has been moved into the
# header (search.js, on Material's document$). The DOM does not change after this until the reader acts.
READY = ("document.readyState === 'complete' && document.fonts.status === 'loaded' && "
         "(!document.querySelector('dialog.hb-search[data-index]') || "
         "!!document.querySelector('[data-hb-handbook-search][data-ready]'))")

# What a page asks for after its load event, by itself: its icon (the browser) and the search index
# (search.js, once the page is idle). The offline check waits until both have been asked for.
_LATE = """() => [...document.querySelectorAll('link[rel~=icon]')].map(l => l.href).concat(
    [...document.querySelectorAll('dialog.hb-search[data-index]')].map(d => new URL(d.dataset.index, location.href).href))"""
LOCAL = ("127.0.0.1", "localhost")


def visit(page, url: str):
    """Go to url in page and wait until the page is ready to be read (READY); returns the page."""
    page.goto(url)
    page.wait_for_function(READY, polling="raf")
    return page


class Offline:
    """A page (or a whole browser context) whose requests may only reach the local server.

    A request to any other host is aborted and listed in `blocked`; every request that fails is listed in
    `failed`. `settle(page)` waits until the page has asked for what it fetches after loading and every
    request started has finished, so a request still in flight is never counted as failed by closing, nor
    by navigating: a test that goes from page to page calls `check(page)` (which settles) before each `goto`.
    Routing turns the HTTP cache off for what it watches (Playwright), so no request hides in a cache.
    """

    def __init__(self, context) -> None:  # a Page or a BrowserContext: both route and report requests
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self._asked: set[str] = set()  # since the last navigation of a page
        self._open = 0
        context.route("**/*", self._route)
        context.on("request", self._started)
        context.on("requestfinished", self._ended)
        context.on("requestfailed", self._lost)

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _started(self, request) -> None:
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self._asked = set()
        self._asked.add(request.url)
        self._open += 1

    def _ended(self, request) -> None:
        self._open -= 1

    def _lost(self, request) -> None:
        self._open -= 1
        self.failed.append(f"{request.url} ({request.failure})")

    def settle(self, page, timeout: float = 30) -> None:
        """Wait until page has asked for its icon and search index and no request of the context is open."""
        page.wait_for_function(READY, polling="raf")
        late = page.evaluate(_LATE)
        deadline = time.monotonic() + timeout
        while self._open or not self._asked.issuperset(late):
            assert time.monotonic() < deadline, (f"requests still open: {self._open}; "
                                                 f"not asked for: {sorted(set(late) - self._asked)}")
            page.wait_for_timeout(20)  # lets Playwright deliver the request events

    def check(self, page) -> None:
        """settle(page), then: nothing left the local server and nothing failed (since the last check)."""
        self.settle(page)
        blocked, failed = self.blocked[:], self.failed[:]
        self.blocked.clear()
        self.failed.clear()
        assert blocked == [], f"requests to outside hosts: {blocked}"
        assert failed == [], f"requests that failed: {failed}"
