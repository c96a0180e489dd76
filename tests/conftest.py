from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FOOD_SAFETY = FIXTURES / "food-safety"
STANDARDS = ROOT / "standards"
HANDBOOK = [sys.executable, "-m", "generator"]


def run_handbook(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*HANDBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture
def food_safety(tmp_path: Path) -> Path:
    """A writable copy of the small English fixture handbook."""
    target = tmp_path / "standards"
    shutil.copytree(FOOD_SAFETY, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled handbook built once by a real `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("built") / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve_dir():
    """Serve a folder on localhost; returns a function folder -> base URL."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's Chromium driven by Playwright (no browser download).

    A reader's machine has a Chinese font; a bare test machine has none, so Chromium also gets the
    handbook's own Noto Sans SC through fontconfig: pages lay out (and print) with real glyph widths.
    """
    from playwright.sync_api import sync_playwright

    fonts_conf = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    fonts_conf.write_text('<?xml version="1.0"?>\n<fontconfig>\n'
                          '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                          f'  <dir>{ROOT / "generator" / "assets" / "fonts"}</dir>\n</fontconfig>\n')
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf)}
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS, env=env)
        yield instance
        instance.close()


@pytest.fixture
def offline_page(browser):
    """A page whose requests may only reach the local server; checks afterwards that none tried to leave it."""
    from urllib.parse import urlsplit

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def route(route):
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    yield page
    context.close()
    assert blocked == []
    assert failed == []
