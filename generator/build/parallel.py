"""A second process for a cold build: it converts and indexes the later pages while this one does the rest.

Converting Markdown and building Material's search entries (jieba's segmentation and an HTML
parse per page) are most of a cold build, page by page, and MkDocs does them on one core. A
forked helper takes a share of the generated pages that are not in the cache: it runs MkDocs's
own page steps on them (build/adapters/mkdocs.populate_page, then the search entries) and sends back each result
under the same key the caches use. The main process takes a result when it reaches that page,
so a page is done by exactly the code a one-process build runs, and the site is byte-identical
(tests/build/test_parallel.py builds both ways). Whatever the helper did not send, because it
failed or logged a warning, the main process does itself; a failure is reported in one log line.

Only for `handbook build` and `mkdocs build` on a machine with two cores or more, and only for
a handbook large enough to gain; `HANDBOOK_JOBS=1` turns it off, `HANDBOOK_JOBS=2` forces it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from typing import Any

from generator.build.adapters import mkdocs as mkdocs_host
from generator.messages import say
from generator.process import die_with_parent, usable_cores

log = logging.getLogger("mkdocs.plugins.standards")

MIN_BYTES = 256 * 1024  # of Markdown to convert: below this, forking costs more than it saves
SHARE = 0.52  # of that Markdown for the helper; the main process also renders the theme for every page


class Helper:
    """The main process's end: results by kind ("page", "entries") and key, read as they arrive."""

    def __init__(self, conn: Any, process: Any, pages: Sequence[str]) -> None:
        self._conn = conn
        self._process = process
        self._results: dict[str, dict[str, Any]] = {"page": {}, "entries": {}}
        self._arrived = threading.Condition()
        self.cuts: dict[str, list[str]] = {}
        self.pages = frozenset(pages)  # src_uri of the pages the helper does
        self.done = False
        # Read all the time: a helper whose pipe is full would wait for this process to need a result.
        self._reader = threading.Thread(target=self._read, daemon=True, name="handbook-helper-reader")
        self._reader.start()

    def wait(self, kind: str, page: Any, key: str) -> Any:
        """The helper's result for page under key, waiting for it if need be; None if it has none."""
        if page.file.src_uri not in self.pages:
            return None
        results = self._results[kind]
        with self._arrived:
            self._arrived.wait_for(lambda: key in results or self.done)
            return results.pop(key, None)

    def finish(self) -> dict[str, list[str]]:
        """Wait for the helper to end; what it segmented, for the segmentation cache."""
        self._reader.join()
        return self.cuts

    def stop(self) -> None:
        self._process.kill()
        self._reader.join()

    def _read(self) -> None:
        while True:
            try:
                message = self._conn.recv()
            except (EOFError, OSError):  # the helper died: the main process does the rest
                message = ("done",)
            with self._arrived:
                if message[0] == "done":
                    self.done = True
                elif message[0] == "failed":  # the pages it did not send are done here, warnings and all
                    log.info(say("build.helper_failed", error=message[1]))
                elif message[0] == "cuts":
                    self.cuts = message[1]
                else:
                    kind, key, value = message
                    self._results[kind][key] = value
                self._arrived.notify_all()
            if self.done:
                break
        self._conn.close()
        self._process.join(10)


def start(config: Any, files: Any, pages: Any, entries: Any, segments: Any) -> Helper | None:
    """Fork a helper for part of the generated pages not yet in the cache; None when it would not pay.

    pages, entries, segments: the build's PageCache, SearchEntryCache and SegmentCache (the last
    two None without Material's search). pages.enabled is False with an untested MkDocs.
    """
    jobs = os.environ.get("HANDBOOK_JOBS", "")
    if jobs == "1" or not pages.enabled or "fork" not in multiprocessing.get_all_start_methods():
        return None
    direct = pages.direct  # pages made without Markdown are no work to share
    todo = [f for f in files.documentation_pages() if f.generated_by and f.page is not None
            and not (direct is not None and direct.takes(f.src_uri, f.content_string))
            and not pages.stored(pages.key(f.page, f.content_string))]
    sizes = [len(f.content_string.encode("utf-8")) for f in todo]
    if jobs != "2" and (usable_cores() < 2 or sum(sizes) < MIN_BYTES):
        return None
    share = _tail(sizes, SHARE)
    if not share:
        return None
    chosen = [f.page for f in todo[-share:]]
    context = multiprocessing.get_context("fork")  # the helper shares this build's state as it is now
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_work, args=(os.getpid(), receiver, sender, chosen, config, files, pages,
                                                  entries, segments),
                              daemon=True, name="handbook-helper")
    process.start()
    sender.close()
    helper = Helper(receiver, process, [page.file.src_uri for page in chosen])
    pages.helper = helper
    if entries is not None:
        entries.helper = helper
    log.debug(f"standards: a helper process converts {len(chosen)} of {len(todo)} pages")
    return helper


def _tail(sizes: Sequence[int], share: float) -> int:
    """How many of the last items hold about `share` of the total size."""
    goal, total, count = sum(sizes) * share, 0, 0
    for size in reversed(sizes):
        if total >= goal:
            break
        total += size
        count += 1
    return count


def _work(parent: int, other_end: Any, conn: Any, chosen: list, config: Any, files: Any, pages: Any, entries: Any,
          segments: Any) -> None:
    """In the helper: MkDocs's page steps for the chosen pages, each result sent as soon as it is made."""
    die_with_parent(parent)
    other_end.close()  # the main process's end: kept open here, it would never report the helper's death

    for name in ("", "mkdocs"):  # the main process reports; a page that warns is redone there
        logging.getLogger(name).handlers.clear()
    logging.getLogger("mkdocs").propagate = False
    try:
        for page in chosen:
            mkdocs_host.populate_page(page, config, files)
            key = pages.key(page)
            conn.send(("page", key, pages.fresh.get(key)))
        for page in chosen if entries is not None else ():
            key = entries.key(page)
            entries.add_entry_from_context(page)
            conn.send(("entries", key, entries.used.get(key)))
        if segments is not None:
            conn.send(("cuts", segments.added))
    except Exception as error:  # noqa: BLE001 - the main process redoes the rest, and reports a real failure itself
        conn.send(("failed", f"{type(error).__name__}: {error}"))
    finally:
        conn.send(("done",))
        conn.close()
