"""`handbook serve` notices a save at once: inotify in place of MkDocs' twice-a-second polling (or a quicker
polling observer where inotify is unavailable), with MkDocs' own server and its watch callback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from generator.build.adapters import mkdocs as mkdocs_host


def _server(tmp_path: Path) -> LiveReloadServer:
    (tmp_path / "docs").mkdir()
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "a.yml").write_text("id: A\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(tmp_path / "docs"))  # what `mkdocs serve` watches before our on_serve
    server.watch(str(tmp_path / "mkdocs.yml"))
    return server


def _wants_rebuild(server: LiveReloadServer, seconds: float = 10.0) -> bool:
    """Whether the server's own callback asked for a build within seconds (a generous bound, not a timing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with server._rebuild_cond:
            if server._want_rebuild:
                server._want_rebuild = False
                return True
        time.sleep(0.02)
    return False


@pytest.fixture
def server(tmp_path: Path):
    server = _server(tmp_path)
    yield server
    server.observer.stop()
    server.observer.join()


def _saves_are_noticed(server: LiveReloadServer, tmp_path: Path) -> None:
    server.watch(str(tmp_path / "standards"))  # ours, after on_serve: on the new observer
    server.observer.start()  # what server.serve() does; already running, so nothing happens
    for path in (tmp_path / "standards" / "a.yml", tmp_path / "docs" / "page.md", tmp_path / "mkdocs.yml"):
        path.write_text("changed: true\n", encoding="utf-8")
        assert _wants_rebuild(server), path
    (tmp_path / "standards" / "a.yml").unlink()
    assert _wants_rebuild(server)


def test_a_save_is_noticed_through_inotify_and_a_read_is_not(server: LiveReloadServer, tmp_path: Path) -> None:
    assert mkdocs_host.watch_quickly(server) == "inotify"
    assert type(server.observer).__name__ == "InotifyObserver"
    _saves_are_noticed(server, tmp_path)
    # A build reads every source file: reading must not ask for another build (it would never stop).
    (tmp_path / "standards" / "b.yml").write_text("id: B\n", encoding="utf-8")
    assert _wants_rebuild(server)
    while _wants_rebuild(server, seconds=1.0):  # the last notices of the writes above (late on a busy machine)
        pass
    for path in (tmp_path / "standards" / "b.yml", tmp_path / "mkdocs.yml", tmp_path / "docs" / "page.md"):
        path.read_text(encoding="utf-8")
    assert not _wants_rebuild(server, seconds=1.0)


def test_without_inotify_a_quicker_polling_observer_watches(server: LiveReloadServer, tmp_path: Path,
                                                            monkeypatch) -> None:
    def unavailable():
        raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr(mkdocs_host, "_native_observer", unavailable)
    assert mkdocs_host.watch_quickly(server) == "polling"
    assert type(server.observer) is PollingObserver and server.observer.timeout == mkdocs_host.QUICK_POLLING
    _saves_are_noticed(server, tmp_path)


def test_an_untested_mkdocs_keeps_its_own_observer(server: LiveReloadServer, monkeypatch) -> None:
    monkeypatch.setattr(mkdocs_host, "tested", lambda: False)
    observer = server.observer
    assert mkdocs_host.watch_quickly(server) == "mkdocs"
    assert server.observer is observer
    server.observer.start()  # the fixture stops it
