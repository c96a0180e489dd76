from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from tests import forkserver

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FOOD_SAFETY = FIXTURES / "food-safety"
STANDARDS = ROOT / "standards"
HANDBOOK = [sys.executable, "-m", "generator"]


def pytest_configure(config: pytest.Config) -> None:
    """Every build a test runs caches into one folder of this test run, never the repository's `.cache`.

    The cache is keyed by content, so builds of different tests may share it; a test that needs a cold or
    a known cache passes HANDBOOK_CACHE_DIR itself. Set once, in the process that starts the run: the
    pytest-xdist workers inherit it, so they share the folder too.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    folder = Path(tempfile.mkdtemp(prefix="handbook-test-cache-"))
    config.stash[_CACHE_KEY] = folder
    os.environ["HANDBOOK_CACHE_DIR"] = str(folder)
    os.environ.pop("HANDBOOK_CACHE", None)  # a developer's HANDBOOK_CACHE=0 would leave the cache untested


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE_KEY, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE_KEY = pytest.StashKey[Path]()

# The costliest modules, most costly first (CPU seconds per module: benchmarks/suite_cpu.py). pytest-xdist hands
# out whole modules (`--dist loadscope`) in this order (`--no-loadscope-reorder`, pyproject.toml), so the long ones
# start at once and the many short ones fill the end of the run instead of one long module trailing alone. The
# first module builds the bundled site (`built_site`) while the other worker runs two that do not need it. A module
# missing from the list keeps its place after these.
SLOW_FIRST = (
    "tests/site/test_search.py",
    "tests/publish/test_edition_sequence.py",
    "tests/publish/test_reproducible.py",
    "tests/site/test_reader.py",
    "tests/benchmarks/test_smoke.py",
    "tests/site/test_assessment.py",
    "tests/render/forms/test_build.py",
    "tests/hardening/test_xss.py",
    "tests/edit/test_roundtrip.py",
    "tests/language/test_english_handbook.py",
    "tests/publish/test_book.py",
    "tests/language/test_init.py",
    "tests/bad_input/test_bad_input.py",
    "tests/render/test_search_parts.py",
    "tests/hardening/test_fuzz.py",
    "tests/publish/test_uptodate.py",
    "tests/hardening/test_killed.py",
    "tests/publish/test_publish_safety.py",
    "tests/render/test_site_parts.py",
    "tests/site/test_pagefind.py",
    "tests/hardening/test_offline.py",
    "tests/render/test_cache.py",
    "tests/publish/test_preview_rebuild.py",
    "tests/publish/test_publish.py",
    "tests/hardening/test_nothing_lost.py",
    "tests/publish/test_score.py",
    "tests/render/test_parallel.py",
    "tests/hardening/test_injection.py",
    "tests/publish/test_changes.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {module: number for number, module in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest keep their order


@pytest.fixture(autouse=True)
def _build_time_put_back():
    """A build in the test's own process pins SOURCE_DATE_EPOCH for the rest of that process (build/clock.py):
    put it back after each test, so that the dates a later test's forms carry do not depend on the order."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    yield
    if before is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = before


def shared(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """The folder `name`, made by `make(folder)` once per test run, whichever test (or xdist worker) asks first.

    Session fixtures run once per xdist worker; an expensive build that several workers need is made by
    the first and read by the others (the file-lock pattern of pytest-xdist's documentation). Tests must
    only read the folder. A failed `make` is not kept: the next test to ask makes it again, and fails the
    same way.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = tmp_path_factory.getbasetemp().parent  # one folder per test run, shared by its workers
    else:
        root = tmp_path_factory.getbasetemp()
    folder = root / f"shared-{name}"
    with FileLock(str(folder) + ".lock"):
        done = folder / ".made"
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def run_handbook(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
                 fresh: bool = False) -> subprocess.CompletedProcess:
    """`handbook ARGS` (`python -m generator`) in a child process; env: variables set for it, over this process's own.

    The child is forked from this worker's fork server (tests/forkserver.py), which has the tool's modules
    imported already; fresh=True starts a real new interpreter instead (an entry point tested as such, or a
    run that must not share the other runs' hash seed).
    """
    return run_module("generator", *args, cwd=cwd, env=env, fresh=fresh)


def run_module(module: str, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
               fresh: bool = False, timeout: float = 600) -> subprocess.CompletedProcess:
    """`python -m MODULE ARGS` (generator, mkdocs) as run_handbook runs it: stdout and stderr captured as text."""
    environment = {**os.environ, **env} if env else dict(os.environ)
    if fresh:
        return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, env=environment, stdin=subprocess.DEVNULL)
    return forkserver.run(module, list(args), cwd=cwd, env=environment, timeout=timeout)


@pytest.fixture(scope="session", autouse=True)
def _fork_server():
    """This worker's fork server ends with its session (its CPU time then counts in the last test's teardown)."""
    yield
    forkserver.stop()


@pytest.fixture
def food_safety(tmp_path: Path) -> Path:
    """A writable copy of the small English fixture handbook."""
    target = tmp_path / "standards"
    shutil.copytree(FOOD_SAFETY, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled handbook built once per test run by a real `mkdocs build --strict`."""

    def build(folder: Path) -> None:
        result = run_module("mkdocs", "build", "--strict", "-d", str(folder / "site"), timeout=900)
        assert result.returncode == 0, result.stderr[-4000:]

    return shared(tmp_path_factory, "built-site", build) / "site"


@pytest.fixture(scope="session")
def food_safety_site(tmp_path_factory) -> Path:
    """The English fixture handbook built once per test run by `handbook build --no-forms` (tests only read it)."""

    def build(folder: Path) -> None:
        result = run_handbook("build", "--standards", str(FOOD_SAFETY), "--site-dir", str(folder / "site"),
                              "--no-forms")
        assert result.returncode == 0, result.stderr[-3000:]

    return shared(tmp_path_factory, "food-safety-site", build) / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # The browser drops requests it no longer needs (a page closed mid-load): not a test failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def serve_dir():
    """Serve a folder on localhost; returns a function folder -> base URL.

    One server per folder and worker: the modules that read the same site (the bundled one) read it from
    the same address, so the worker's browser context (`desktop`) has its scripts and fonts in its cache.
    """
    servers: dict[Path, tuple[socketserver.TCPServer, str]] = {}

    def start(folder: Path) -> str:
        folder = Path(folder).resolve()
        if folder not in servers:
            handler = functools.partial(_QuietHandler, directory=str(folder))
            server = _QuietServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[folder] = server, f"http://127.0.0.1:{server.server_address[1]}/"
        return servers[folder][1]

    yield start
    for server, _ in servers.values():
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


@pytest.fixture(scope="session")
def desktop(browser):
    """The worker's browser context at 1280×900 for tests that read pages without changing what a profile
    keeps: each opens its own page in it (a page costs a fraction of a context: Chromium starts no new
    profile, and the site's scripts and fonts are cached). A test that stores something (an answer, a
    dismissed notice), needs an empty profile or sets up the context itself opens its own context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def checked_files(monkeypatch) -> list[str]:
    """The names of the source files checked afresh (not taken from the per-file store), in order."""
    from generator.validate import handbook as validate_handbook

    checked: list[str] = []
    real = validate_handbook._load_file

    def counting(source):
        checked.append(Path(source.display).name)
        return real(source)

    monkeypatch.setattr(validate_handbook, "_load_file", counting)
    return checked
