"""Speed and scale of the generator, side by side with the bare-MkDocs floor and StrictDoc.

    .venv/bin/python benchmarks/run.py --sizes 100,1000,5000 --reps 3 --docs benchmarks/RESULTS.md
    .venv/bin/python benchmarks/run.py --smoke            # CI: tiny size, 1 rep, no StrictDoc
    .venv/bin/python benchmarks/run.py --sizes 5000 --one-core   # every side pinned to core 0 (taskset)
    .venv/bin/python benchmarks/run.py --sizes 1000 --only book --reps 3   # the book's rows alone

For each size N it generates a handbook (benchmarks/make_handbook.py, fixed seed) and measures,
in this one run, with medians over the repetitions (ours and the floor interleaved, so both
see the same load):

  cold `handbook build --no-forms` (empty caches), and bare `mkdocs build` (Material + search
  with the same jieba dictionary) of the same pages from `handbook export-md` — the floor;
  a no-change rebuild; a rebuild after editing one standard; the time from saving a YAML edit
  to the new text being served by `handbook serve`;
  forms cold, forms per second and the cached rebuild (files rendered must be 0);
  the whole-handbook book (`handbook book`: PDF + Word) cold and cached (files rendered must be 0);
  peak resident set of each process (os.wait4's ru_maxrss: the largest process, in MiB);
  the site's search index (`search: handbook`), raw and gzip, and the time from a keypress to the results
  in headless Chromium;
  StrictDoc (own venv under .cache/bench/) exporting the same N requirements to HTML.

It prints a table, writes results.json into the work folder and, with --docs, a Markdown page
and a plot of time against N. Nothing here asserts a time: the targets are reported, met or not.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_handbook import write_handbook
from search_quality import MATERIAL_SEARCH

VENV_BIN = Path(sys.executable).parent
# Put before every measured command: `--one-core` pins ours, the floor and StrictDoc to core 0.
PIN: list[str] = []
HANDBOOK = [sys.executable, "-m", "generator"]
MKDOCS = [sys.executable, "-m", "mkdocs"]
STRICTDOC_VENV = ROOT / ".cache" / "bench" / "strictdoc-venv"
QUERY_COUNT = 8
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Every row of the table, in order: key, label, unit.
ROWS = (
    ("build_cold", "cold `handbook build --no-forms`", "s"),
    ("floor", "bare `mkdocs build` of the same pages (floor)", "s"),
    ("ratio_floor", "ours / floor (cold)", "×"),
    ("build_single", "cold build in one process (`HANDBOOK_JOBS=1`)", "s"),
    ("ratio_single_floor", "one process / floor (cold)", "×"),
    ("rebuild_nochange", "no-change rebuild (warm cache)", "s"),
    ("ratio_rebuild_floor", "no-change rebuild / floor", "×"),
    ("rebuild_edit", "rebuild after editing one standard", "s"),
    ("serve_edit", "`handbook serve`: save → new text served", "s"),
    ("p_build_cold", "with the --patched tree: cold build", "s"),
    ("p_ratio_floor", "with the --patched tree: ours / floor (cold)", "×"),
    ("p_rebuild_nochange", "with the --patched tree: no-change rebuild", "s"),
    ("p_rebuild_edit", "with the --patched tree: edit one standard", "s"),
    ("p_serve_edit", "with the --patched tree: serve, save → served", "s"),
    ("forms_cold", "forms, cold", "s"),
    ("forms_count", "forms files rendered (cold)", ""),
    ("forms_per_s", "forms per second (cold)", "/s"),
    ("forms_cached", "forms, cached rebuild", "s"),
    ("forms_rerendered", "forms rendered on the cached rebuild", ""),
    ("book_cold", "whole-handbook book (PDF + Word), cold", "s"),
    ("book_cached", "book, cached rebuild", "s"),
    ("book_rerendered", "book files rendered on the cached rebuild", ""),
    ("book_cpu", "book, cold: CPU time (user + system, both processes)", "s"),
    ("rss_book", "peak RSS, book (cold)", "MiB"),
    ("rss_build", "peak RSS, cold build", "MiB"),
    ("rss_floor", "peak RSS, floor", "MiB"),
    ("rss_forms", "peak RSS, forms", "MiB"),
    ("index_raw", "search index, raw", "KiB"),
    ("index_gzip", "search index, gzip", "KiB"),
    ("search_first_ms", "search: first query after page load → results", "ms"),
    ("search_ms", "search: typing a query → first result (warm)", "ms"),
    ("pagefind_index", "Pagefind (extended, Chinese): indexing the built site", "s"),
    ("pagefind_size", "Pagefind: bundle on disk (fetched in parts)", "KiB"),
    ("pagefind_first_ms", "Pagefind: first query after page load → first result", "ms"),
    ("pagefind_ms", "Pagefind: query → first result (warm)", "ms"),
    ("strictdoc_cold", "StrictDoc cold HTML export", "s"),
    ("ratio_strictdoc", "StrictDoc / ours (cold)", "×"),
    ("strictdoc_nochange", "StrictDoc no-change export", "s"),
    ("rss_strictdoc", "peak RSS, StrictDoc", "MiB"),
)


# --- running and measuring ---------------------------------------------------------------------


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> tuple[float, float]:
    """Run cmd to completion; return (wall seconds, peak RSS MiB of the process). Fails loudly."""
    elapsed, usage = run_usage(cmd, cwd=cwd, env=env, log=log)
    return elapsed, usage.ru_maxrss / 1024


def run_usage(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None,
              log: Path | None = None) -> tuple[float, os.struct_rusage]:
    """Run cmd to completion; return (wall seconds, its resource usage, the children it waited for included)."""
    log = log or cwd / "last-command.log"
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen([*PIN, *cmd], cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise command_failed(cmd, proc.returncode, log)
    return elapsed, usage


def command_failed(cmd: list[str], code: int, log: Path) -> RuntimeError:
    """The error for a measured command that exited with code: the command and the end of its log."""
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    return RuntimeError(f"{' '.join(map(str, cmd))} failed ({code}):\n{tail}")


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the projects ------------------------------------------------------------------------------


def prepare(n: int, work: Path, *, floor: bool = True) -> Path:
    """work/nN: standards/, an empty docs/, mkdocs.yml as the repository's, and the floor project (if floor)."""
    project = work / f"n{n}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    write_handbook(n, project / "standards")
    (project / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    if floor:
        _prepare_floor(project)
    return project


def _prepare_floor(project: Path) -> None:
    """The same pages as plain Markdown, built by MkDocs + Material + search + jieba alone."""
    import yaml

    from generator.render import search
    from generator.validate import load_handbook

    floor = project / "floor"
    run(HANDBOOK + ["export-md", str(floor / "docs")], cwd=project)
    handbook = load_handbook(project / "standards")
    (floor / "userdict.txt").write_text(search.user_dictionary(handbook), encoding="utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    search_config = MATERIAL_SEARCH["search"]  # Material's search as `search: material` would use it
    config.update({
        "site_name": handbook.meta.title, "strict": False, "docs_dir": "docs", "site_dir": "site",
        "plugins": [{"search": {**search_config, "jieba_dict_user": "userdict.txt"}}],
        "theme": {**config["theme"], "language": handbook.meta.language},
    })
    config.pop("watch", None)
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def clean_build(project: Path) -> None:
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)


def variant_env(patched: Path | None) -> dict[str, str] | None:
    """Run the generator from another tree (the patched one); callers give it its own cache folder."""
    return None if patched is None else {"PYTHONPATH": str(patched.resolve())}


def build(project: Path, patched: Path | None = None, jobs: int | None = None) -> tuple[float, float]:
    env = variant_env(patched)
    if env:
        env["HANDBOOK_CACHE_DIR"] = str(project / ".cache" / "handbook-patched")
    if jobs is not None:  # HANDBOOK_JOBS=1: no helper process (generator/build/parallel.py)
        env = {**(env or {}), "HANDBOOK_JOBS": str(jobs)}
    return run(HANDBOOK + ["build", "--no-forms", "--site-dir", "site"], cwd=project, env=env)


def floor_build(project: Path) -> tuple[float, float]:
    shutil.rmtree(project / "floor" / "site", ignore_errors=True)
    return run(MKDOCS + ["build", "-q", "-f", "mkdocs.yml"], cwd=project / "floor")


_EDITS = [0]


def edit_one_standard(project: Path) -> str:
    """Change the text of the first standard of the first chapter; return the marker now in it."""
    _EDITS[0] += 1
    marker = f"BENCHEDIT{_EDITS[0]:04d}"
    path = min((project / "standards" / "chapters").glob("*.yml"))
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("  text: '")
    if not sep:
        raise RuntimeError(f"{path}: no single-quoted text to edit")
    rest = rest.split(" ", 1)[1] if rest.startswith("BENCHEDIT") else rest
    path.write_text(f"{head}{sep}{marker} {rest}", encoding="utf-8")
    return marker


def chapter_url(project: Path) -> str:
    first = min((project / "standards" / "chapters").glob("*.yml"))
    import yaml

    return f"chapters/{yaml.safe_load(first.read_text(encoding='utf-8'))['chapter']}/"


# --- measures ----------------------------------------------------------------------------------


def measure_builds(project: Path, reps: int, result: dict, patched: Path | None = None) -> None:
    cold, floor, rss_b, rss_f, p_cold, single = [], [], [], [], [], []
    for _ in range(reps):  # interleaved: all see the same load
        clean_build(project)
        single.append(build(project, jobs=1)[0])
        clean_build(project)
        t, m = build(project)
        cold.append(t)
        rss_b.append(m)
        t, m = floor_build(project)
        floor.append(t)
        rss_f.append(m)
        if patched:
            p_cold.append(build(project, patched)[0])
    nochange, p_nochange = [], []
    for _ in range(reps):
        nochange.append(build(project)[0])
        if patched:
            p_nochange.append(build(project, patched)[0])
    edits, p_edits = [], []
    for _ in range(reps):
        edit_one_standard(project)
        edits.append(build(project)[0])
        if patched:
            edit_one_standard(project)
            p_edits.append(build(project, patched)[0])
    if patched:
        result.update(p_build_cold=median(p_cold), p_rebuild_nochange=median(p_nochange),
                      p_rebuild_edit=median(p_edits), p_ratio_floor=median(p_cold) / median(floor))
        result["raw_patched"] = {"build_cold": p_cold, "rebuild_nochange": p_nochange, "rebuild_edit": p_edits}
    result.update(build_cold=median(cold), floor=median(floor), rebuild_nochange=median(nochange),
                  rebuild_edit=median(edits), rss_build=max(rss_b), rss_floor=max(rss_f), build_single=median(single),
                  raw={"build_cold": cold, "floor": floor, "rebuild_nochange": nochange, "rebuild_edit": edits,
                       "build_single": single})
    result["ratio_floor"] = result["build_cold"] / result["floor"]
    result["ratio_single_floor"] = result["build_single"] / result["floor"]
    result["ratio_rebuild_floor"] = result["rebuild_nochange"] / result["floor"]
    index = project / "site" / "search" / "handbook.json"  # `search: handbook`, the default
    data = index.read_bytes()
    result["index_raw"] = len(data) / 1024
    result["index_gzip"] = len(gzip.compress(data, compresslevel=6)) / 1024


def measure_serve(project: Path, reps: int, result: dict, timeout: float = 600, patched: Path | None = None) -> None:
    """From saving the YAML to `handbook serve` serving the new text (warm cache, as when editing)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{chapter_url(project)}"
    log = open(project / "serve.log", "wb")  # noqa: SIM115 - closed in finally, after the server stops
    env = variant_env(patched)
    if env:
        env["HANDBOOK_CACHE_DIR"] = str(project / ".cache" / "handbook-patched")
    proc = subprocess.Popen(PIN + HANDBOOK + ["serve", "--no-forms", "-a", f"127.0.0.1:{port}"], cwd=project,
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    try:
        _wait_for(url, lambda body: True, timeout, proc)
        times = []
        for _ in range(reps):
            time.sleep(1.0)  # let the watcher settle after the previous build
            marker = edit_one_standard(project)
            started = time.perf_counter()
            _wait_for(url, lambda body, marker=marker: marker in body, timeout, proc)
            times.append(time.perf_counter() - started)
        result["p_serve_edit" if patched else "serve_edit"] = median(times)
        result.setdefault("raw", {})["p_serve_edit" if patched else "serve_edit"] = times
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait_for(url: str, ok, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"handbook serve exited ({proc.returncode}); see serve.log")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ok(response.read().decode("utf-8", errors="replace")):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url}: not ready after {timeout:.0f} s")


_FORMS = """
import json, sys, time
from pathlib import Path
from generator.build.forms import render_forms
from generator.validate import load_handbook
handbook = load_handbook(Path(sys.argv[1]))
started = time.perf_counter()
report = render_forms(handbook, Path(sys.argv[2]), cache_dir=Path(sys.argv[3]))
print(json.dumps({"render": time.perf_counter() - started, "rendered": len(report.rendered),
                  "cached": len(report.cached)}))
"""


def measure_forms(project: Path, reps: int, result: dict) -> None:
    """render_forms in a fresh process: cold (empty cache), then again with the cache (must render none)."""
    colds, cacheds, counts, rerendered, rss = [], [], [], [], []
    for _ in range(reps):
        out, cache = project / "forms-out", project / "forms-cache"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        for target in (colds, cacheds):
            log = project / "forms.log"
            t, m = run([sys.executable, "-c", _FORMS, "standards", str(out), str(cache)], cwd=project, log=log,
                       env={"PYTHONPATH": str(ROOT)})
            report = json.loads(log.read_text(encoding="utf-8").strip().splitlines()[-1])
            target.append(t)
            rss.append(m)
            (counts if target is colds else rerendered).append(report["rendered"])
    result.update(forms_cold=median(colds), forms_cached=median(cacheds), forms_count=max(counts),
                  forms_rerendered=max(rerendered), rss_forms=max(rss))
    result["forms_per_s"] = result["forms_count"] / result["forms_cold"]


def measure_book(project: Path, reps: int, result: dict) -> None:
    """`handbook book` in a fresh process: cold (empty cache), then again (must render nothing)."""
    colds, cacheds, rerendered, cpus, rss = [], [], [], [], []
    for _ in range(reps):
        cache = project / "book-cache"
        shutil.rmtree(cache, ignore_errors=True)
        for target in (colds, cacheds):
            log = project / "book.log"
            t, usage = run_usage(HANDBOOK + ["book", "--lang", "en", "-o", "book-out"], cwd=project, log=log,  # read below
                                 env={"HANDBOOK_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)})
            target.append(t)
            if target is colds:  # the Word file's process is a waited-for child: its time is counted
                cpus.append(usage.ru_utime + usage.ru_stime)
                rss.append(usage.ru_maxrss / 1024)
            else:
                rerendered.append(int(re.search(r"\((\d+) rendered", log.read_text(encoding="utf-8"))[1]))
    result.update(book_cold=median(colds), book_cached=median(cacheds), book_rerendered=max(rerendered),
                  book_cpu=median(cpus), rss_book=max(rss))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_folder(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def search_queries(project: Path) -> tuple[str, ...]:
    """Words that occur in the handbook: the first tags of the first standards (jieba words, 2-4 characters)."""
    from generator.validate import load_handbook

    words: list[str] = []
    for _, std in load_handbook(project / "standards").standards():
        words += [t for t in std.tags if len(t) >= 2 and t not in words]
        if len(words) >= QUERY_COUNT:
            break
    return tuple(words[:QUERY_COUNT])


def measure_search(project: Path, result: dict) -> None:
    """Typing a query → results on screen, in the site's own search box in headless Chromium (search_quality.py)."""
    from playwright.sync_api import sync_playwright
    from search_quality import Query, ask

    queries = [Query(q=q, kind="", expect=()) for q in search_queries(project)]
    with serve_folder(project / "site") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base, wait_until="load")
            # the first query right after the page loads waits for search/handbook.json to be fetched and
            # parsed: from `/` (which starts the fetch) and typing, to the results; then warm queries
            started = time.perf_counter()
            page.keyboard.press("/")
            page.locator(".hb-search__input").fill(queries[0].q)
            page.wait_for_selector("[data-search-result]", timeout=300_000)
            result["search_first_ms"] = (time.perf_counter() - started) * 1000
            times = [ask(page, "handbook", base, q).ms for q in queries[1:] + queries[:1]]
        finally:
            browser.close()
    result["search_ms"] = median(times)
    result.setdefault("raw", {})["search_ms"] = times


# --- Pagefind, as an option for large sites -----------------------------------------------------


_PAGEFIND_PAGE = """<!doctype html><html lang="zh"><meta charset="utf-8"><title>pagefind</title>
<script type="module">
import * as pagefind from "./pagefind/pagefind.js";
window.bench = async (query) => {
  const started = performance.now();
  const search = await pagefind.search(query);
  if (!search.results.length) return -1;
  await search.results[0].data();
  return performance.now() - started;
};
window.benchReady = true;
</script></html>
"""


def measure_pagefind(project: Path, reps: int, result: dict) -> None:
    """Index the built site as `search: pagefind` does; time Pagefind's JS API the way its search box uses it."""
    from playwright.sync_api import sync_playwright

    from generator.errors import ToolError
    from generator.publish import pagefind

    try:
        pagefind.executable()
    except ToolError as error:
        result["pagefind_error"] = str(error)
        return
    site = project / "site"
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        pagefind.index_site(site)
        times.append(time.perf_counter() - started)
    result["pagefind_index"] = median(times)
    result["pagefind_size"] = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file()) / 1024
    (site / "pagefind-bench.html").write_text(_PAGEFIND_PAGE, encoding="utf-8")
    queries = search_queries(project)
    with serve_folder(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(base + "pagefind-bench.html", wait_until="load")
            page.wait_for_function("window.benchReady === true", timeout=60_000)
            result["pagefind_first_ms"] = page.evaluate("q => window.bench(q)", queries[0])
            warm = [page.evaluate("q => window.bench(q)", q) for q in queries[1:] + queries[:1]]
        finally:
            browser.close()
    found = [t for t in warm if t >= 0]
    result["pagefind_ms"] = median(found)
    result.setdefault("raw", {})["pagefind_ms"] = warm


# --- StrictDoc ---------------------------------------------------------------------------------


def strictdoc_bin() -> Path | None:
    """StrictDoc in its own venv under .cache/bench/, installed on first use; None if it cannot be."""
    exe = STRICTDOC_VENV / "bin" / "strictdoc"
    return venv_tool(STRICTDOC_VENV, "strictdoc", lambda: exe if exe.exists() else None, "StrictDoc")


def venv_tool(venv: Path, package: str, find: Callable[[], Path | None], name: str) -> Path | None:
    """A peer tool from PyPI in a virtual environment of its own, installed on first use."""
    found = find()
    if found:
        return found
    try:
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", package], check=True,
                       capture_output=True, timeout=1200)
    except (subprocess.SubprocessError, OSError) as error:
        print(f"{name} could not be installed: {error}", file=sys.stderr)
        return None
    return find()


def write_sdoc(project: Path) -> Path:
    """The same standards as StrictDoc requirements: one .sdoc document per chapter.

    Each requirement carries what our chapter page shows of the standard that costs work to render:
    its rule and its checks, as a table (RST list-table, which StrictDoc renders as an HTML table).
    """
    from generator.validate import load_handbook

    handbook = load_handbook(project / "standards")
    folder = project / "strictdoc" / "input"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for chapter in handbook.chapters:
        blocks = [f"[DOCUMENT]\nTITLE: {_sdoc_line(chapter.title)}\n"]
        for std in chapter.standards:
            statement = "\n".join(line for line in std.text.strip().splitlines() if line.strip())
            statement += "\n\n" + _sdoc_checks(std, handbook.labels)
            blocks.append(f"[REQUIREMENT]\nUID: {std.id}\nTITLE: {_sdoc_line(std.title)}\n"
                          f"STATEMENT: >>>\n{statement}\n<<<\n")
        (folder / f"{chapter.id}.sdoc").write_text("\n".join(blocks), encoding="utf-8")
    return folder


def _sdoc_checks(std, labels) -> str:
    rows = [(labels["forms.col_check"], labels["forms.col_points"]),
            *((_sdoc_line(c.text), str(c.points)) for c in std.checks)]
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for text, points in rows:
        lines += [f"   * - {text}", f"     - {points}"]
    return "\n".join(lines)


def _sdoc_line(text: str) -> str:
    return " ".join(text.split())


def measure_strictdoc(project: Path, reps: int, result: dict) -> None:
    exe = strictdoc_bin()
    if exe is None:
        result["strictdoc_error"] = "not installed"
        return
    folder = write_sdoc(project)
    tmp = project / "strictdoc" / "tmp"  # StrictDoc keeps its cache in $TMPDIR/strictdoc_cache
    out = project / "strictdoc" / "out"
    cmd = [str(exe), "export", "--formats", "html", "--output-dir", str(out), str(folder)]
    env = {"TMPDIR": str(tmp)}
    colds, warms, rss = [], [], []
    for _ in range(reps):
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        tmp.mkdir(parents=True)
        t, m = run(cmd, cwd=project / "strictdoc", env=env)
        colds.append(t)
        rss.append(m)
        warms.append(run(cmd, cwd=project / "strictdoc", env=env)[0])
    result.update(strictdoc_cold=median(colds), strictdoc_nochange=median(warms), rss_strictdoc=max(rss))
    if result.get("build_cold"):
        result["ratio_strictdoc"] = result["strictdoc_cold"] / result["build_cold"]
    result.setdefault("raw", {}).update(strictdoc_cold=colds, strictdoc_nochange=warms)


# --- report ------------------------------------------------------------------------------------


def fmt(value, unit: str) -> str:
    if value is None:
        return "–"
    if unit in ("", "/s") and isinstance(value, (int, float)) and unit == "":
        return f"{int(value)}"
    if unit == "ms" or unit == "KiB" or unit == "MiB":
        return f"{value:,.0f}"
    if unit == "×":
        return f"{value:.2f}"
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    lines = ["| measure | unit | " + " | ".join(f"N = {n:,}" for n in sizes) + " |",
             "|---|---|" + "---:|" * len(sizes)]
    for key, label, unit in ROWS:
        if key.startswith("p_") and all(results[n].get(key) is None for n in sizes):
            continue  # the --patched rows of a run without a patched tree
        lines.append(f"| {label} | {unit} | " + " | ".join(fmt(results[n].get(key), unit) for n in sizes) + " |")
    return "\n".join(lines)


def targets(results: dict[int, dict]) -> list[tuple[str, bool | None, str]]:
    """(target, met?, figure) for each target of the issue, at the largest size where it was measured."""
    n = max(results)
    r = results[n]
    at = f"N = {n:,}"
    out: list[tuple[str, bool | None, str]] = []

    def add(name, value, ok, figure):
        out.append((name, None if value is None else ok(value), "not measured" if value is None else figure))

    def largest(key: str) -> int:
        return max((m for m in results if results[m].get(key) is not None), default=n)

    add("generator ≤ 1.15× the bare-MkDocs floor (cold)", r.get("ratio_floor"), lambda v: v <= 1.15,
        f"{r.get('ratio_floor') or 0:.2f}× at {at} with the helper process; "
        f"{r.get('ratio_single_floor') or 0:.2f}× in one process"
        + (f" ({r['p_ratio_floor']:.2f}× with the --patched tree)" if r.get("p_ratio_floor") else ""))
    add("≥ 3× faster than StrictDoc's cold export", r.get("ratio_strictdoc"), lambda v: v >= 3,
        f"StrictDoc takes {r.get('ratio_strictdoc') or 0:.2f}× our time at {at}; unchanged: StrictDoc "
        f"{r.get('strictdoc_nochange') or 0:.1f} s, ours {r.get('rebuild_nochange') or 0:.1f} s")
    small = [m for m in results if m < n and results[m].get("build_cold")]
    if small:
        m = max(small)
        growth = r["build_cold"] / results[m]["build_cold"]
        add(f"cost grows no worse than linearly ({m:,} → {n:,})", growth, lambda v: v <= n / m * 1.05,
            f"{growth:.2f}× the time for {n / m:.0f}× the standards (5 % allowed for noise)")
    else:
        out.append(("cost grows no worse than linearly", None, "needs two sizes"))
    f = largest("rss_forms")
    add("peak memory ≤ 1 GiB", r.get("rss_build"), lambda v: max(v, results[f].get("rss_forms") or 0) <= 1024,
        f"build {r.get('rss_build') or 0:,.0f} MiB at {at}; forms {results[f].get('rss_forms') or 0:,.0f} MiB "
        f"at N = {f:,}")
    f = largest("forms_rerendered")
    add("a no-change rebuild renders zero forms", results[f].get("forms_rerendered"), lambda v: v == 0,
        f"{results[f].get('forms_rerendered')} rendered at N = {f:,}")
    k = 1000 if results.get(1000, {}).get("book_cold") else largest("book_cold")
    add(f"book PDF + Word ≤ 3 min cold (N = {k:,})", results[k].get("book_cold"), lambda v: v <= 180,
        f"{results[k].get('book_cold') or 0:.0f} s cold, {results[k].get('book_cached') or 0:.1f} s cached "
        f"({results[k].get('book_rerendered')} rendered) at N = {k:,}")
    add("first search results ≤ 300 ms (warm; search: handbook)", r.get("search_ms"), lambda v: v <= 300,
        f"{r.get('search_ms') or 0:.0f} ms at {at}; right after page load {r.get('search_first_ms') or 0:,.0f} ms")
    add("first query right after page load ≤ 1 s (search: handbook)", r.get("search_first_ms"),
        lambda v: v <= 1000, f"{r.get('search_first_ms') or 0:,.0f} ms at {at}")
    add("… with Pagefind's extended build instead", r.get("pagefind_ms"), lambda v: v <= 300,
        f"{r.get('pagefind_ms') or 0:.0f} ms warm, {r.get('pagefind_first_ms') or 0:,.0f} ms right after load, at {at}")
    add("no-change rebuild ≤ 4 s", r.get("rebuild_nochange"), lambda v: v <= 4,
        f"{r.get('rebuild_nochange') or 0:.1f} s at {at}"
        + (f" ({r['p_rebuild_nochange']:.1f} s with the --patched tree)" if r.get("p_rebuild_nochange") else ""))
    nochange = (r["rebuild_nochange"] / r["strictdoc_nochange"]
                if r.get("rebuild_nochange") and r.get("strictdoc_nochange") else None)
    add("no-change rebuild ≤ StrictDoc's unchanged export", nochange, lambda v: v <= 1.0,
        f"{nochange or 0:.2f}× ({r.get('rebuild_nochange') or 0:.2f} s against "
        f"{r.get('strictdoc_nochange') or 0:.2f} s) at {at}")
    add("one edit + `handbook build` (new process) ≤ 4 s", r.get("rebuild_edit"), lambda v: v <= 4,
        f"{r.get('rebuild_edit') or 0:.1f} s at {at}")
    k = 1000 if 1000 in results else n
    add(f"one-standard edit visible in `handbook serve` ≤ 2 s (N = {k:,})", results[k].get("serve_edit"),
        lambda v: v <= 2, f"{results[k].get('serve_edit') or 0:.1f} s at N = {k:,}"
        + (f" ({results[k]['p_serve_edit']:.1f} s with the --patched tree)" if results[k].get("p_serve_edit") else ""))
    return out


def machine() -> dict[str, str]:
    cpu = ""
    with contextlib.suppress(OSError):
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
        cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    mem = ""
    with contextlib.suppress(OSError):
        lines = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
        kb = int(next(line.split()[1] for line in lines if line.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    import importlib.metadata as md

    versions = ", ".join(f"{name} {md.version(name)}" for name in ("mkdocs", "mkdocs-material", "jieba", "markdown"))
    return {"cpu": cpu or platform.processor(), "cores": str(os.cpu_count()), "memory": mem,
            "os": platform.platform(), "python": platform.python_version(), "libraries": versions,
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def plot(results: dict[int, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results)
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    series = (("build_cold", "handbook build, cold", "o-"), ("floor", "bare mkdocs build (floor)", "s--"),
              ("build_single", "handbook build, cold, one process", "o-."),
              ("rebuild_nochange", "handbook build, no change", "^-"),
              ("p_build_cold", "cold, --patched tree", "o:"),
              ("p_rebuild_nochange", "no change, --patched tree", "^:"), ("strictdoc_cold", "StrictDoc, cold", "d:"),
              ("forms_cold", "forms, cold", "x-."))
    for key, label, style in series:
        points = [(n, results[n][key]) for n in sizes if results[n].get(key) is not None]
        if points:
            ax.plot(*zip(*points), style, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("standards (N)")
    ax.set_ylabel("seconds (median)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def _mode(one_core: bool) -> str:
    return ("one core: every side pinned to core 0 (`taskset -c 0`)" if one_core
            else "free cores: nothing pinned (our cold build may fork its helper onto the other core)")


def write_docs(results: dict[int, dict], info: dict, args: argparse.Namespace, path: Path, image: Path | None) -> None:
    command = ".venv/bin/python benchmarks/run.py " + " ".join(args.argv)
    rows = "\n".join(f"| {name} | {'met' if ok else 'not measured' if ok is None else '**missed**'} | {figure} |"
                     for name, ok, figure in targets(results))
    picture = f"![Time against N]({image.relative_to(path.parent).as_posix()})\n\n" if image else ""
    notes = "\n".join(f"- {note}" for note in args.note) + "\n\n" if args.note else ""
    one_core = "--one-core" in args.argv
    others = "".join(f"""
## Figures, {_mode("--one-core" in run["command"])}

`.venv/bin/python benchmarks/run.py {' '.join(run["command"])}`

{table({int(k): v for k, v in run["results"].items()})}
""" for run in getattr(args, "others", []))
    text = f"""# Benchmarks

Speed and scale of the generator at {', '.join(f'{n:,}' for n in sorted(results))} standards, measured in one run
of `benchmarks/run.py` on {datetime.date.today().isoformat()}, side by side with the floor (bare MkDocs +
Material + jieba building the same pages) and a peer (StrictDoc exporting the same requirements to HTML).
Times are medians of {args.reps} repetition{'s' if args.reps != 1 else ''} (forms: {args.forms_reps or args.reps});
ours and the floor{' and the patched tree' if any(r.get('p_build_cold') for r in results.values()) else ''} ran interleaved.

{notes}## Figures, {_mode(one_core)}

`{command}`

{table(results)}
{others}
{picture}## Targets

| target | status | figure |
|---|---|---|
{rows}

## Machine

| | |
|---|---|
""" + "\n".join(f"| {k} | {v} |" for k, v in info.items()) + f"""

This machine is shared (the load above was read at the start of the run): absolute times are
noisy, ratios measured in the same run are the figures to read.

## Commands

```sh
{command}
.venv/bin/python benchmarks/make_handbook.py 5000 /tmp/handbook-5000   # one handbook, any size
.venv/bin/python benchmarks/run.py --smoke                              # what CI runs
```

What each row measures:

- **cold build**: `handbook build --no-forms --site-dir site` with `site/` and `.cache/handbook/` deleted. On
  two cores or more a cold build forks one helper process that converts and indexes about half of the pages
  (`generator/build/parallel.py`); the floor, bare MkDocs, uses one core. **one process**: the same with
  `HANDBOOK_JOBS=1`, to show what the helper adds.
- **floor**: `handbook export-md` writes the same pages; `mkdocs build` builds them with the same theme,
  Markdown extensions, search separator and jieba user dictionary, without the `standards` plugin.
- **no-change rebuild**: the same `handbook build` again, caches warm. **edit**: after changing the text of
  one standard. **serve**: `handbook serve`, time from writing the YAML to the page serving the new text.
- **forms**: `render_forms` (HTML, PDF, fillable PDF, DOCX, XLSX) in a fresh process with an empty cache,
  then again with the cache; the second run must render no file.
- **peak RSS**: `ru_maxrss` of the measured process from `os.wait4` (the largest single process).
- **search**: the default `search: handbook`, its `search/handbook.json` as written; in headless Chromium
  (1280×900), once right after the page loads from `/` and typing to the first `[data-search-result]` (the
  index is still being fetched and parsed), then the median of {QUERY_COUNT} warm queries (tags of the first
  standards), from the last keystroke to the results on screen (`benchmarks/search_quality.py`).
- **Pagefind** (`search: pagefind` under the `standards` plugin; the default is `search: handbook`): the
  plugin's own indexing step (`generator/publish/pagefind.py`: `pagefind_extended`, PyPI `pagefind[extended]`
  1.4, which segments Chinese) on the built site; its JS API in the same browser, from `search(query)` to the
  first result's data, right after load and then warm.
- **StrictDoc**: the same standards as `[REQUIREMENT]`s (UID, TITLE, and a STATEMENT holding the rule and its
  checks as a table with their points, an RST `list-table`), one `.sdoc` document per chapter, `strictdoc export --formats html`, installed with pip into `.cache/bench/strictdoc-venv`;
  cold with its cache (`$TMPDIR/strictdoc_cache`) and output deleted, then again unchanged.
"""
    path.write_text(text, encoding="utf-8")


STEPS = ("builds", "serve", "search", "pagefind", "forms", "book", "strictdoc")


def _measure_size(n: int, project: Path, result: dict, args: argparse.Namespace) -> None:
    """Every measure of one size, in order, each timed for the progress lines."""
    steps = [("builds", lambda: measure_builds(project, args.reps, result, args.patched))]
    if not args.no_serve:
        steps.append(("serve", lambda: measure_serve(project, args.reps, result)))
        if args.patched:
            steps.append(("serve, patched", lambda: measure_serve(project, args.reps, result, patched=args.patched)))
    if not args.no_search:
        steps.append(("search", lambda: measure_search(project, result)))
        if not args.no_pagefind:
            steps.append(("pagefind", lambda: measure_pagefind(project, args.reps, result)))
    if not args.no_forms and (not args.forms_max or n <= args.forms_max):
        steps.append(("forms", lambda: measure_forms(project, args.forms_reps or args.reps, result)))
    if not args.no_book and (not args.forms_max or n <= args.forms_max):
        steps.append(("book", lambda: measure_book(project, args.forms_reps or args.reps, result)))
    if not args.no_strictdoc:
        steps.append(("strictdoc", lambda: measure_strictdoc(project, args.reps, result)))
    if args.only:
        steps = [(name, step) for name, step in steps if name.split(",")[0] in args.only]
    for name, step in steps:
        started = time.perf_counter()
        step()
        print(f"  N={n}: {name} done in {time.perf_counter() - started:.0f} s", flush=True)


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated numbers of standards")
    parser.add_argument("--reps", type=int, default=3, help="repetitions per measure (medians are reported)")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench" / "work", help="scratch folder")
    parser.add_argument("--smoke", action="store_true", help="tiny size, 1 rep, no StrictDoc, no plot (for CI)")
    parser.add_argument("--no-strictdoc", action="store_true")
    parser.add_argument("--no-forms", action="store_true")
    parser.add_argument("--no-book", action="store_true", help="skip the whole-handbook PDF and Word file")
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-pagefind", action="store_true", help="skip Pagefind (the project's pagefind extra)")
    parser.add_argument("--patched", type=Path, metavar="TREE",
                        help="also measure builds and serve with the generator of TREE (e.g. with benchmarks/patches/ applied)")
    parser.add_argument("--forms-reps", type=int, default=0, help="repetitions for the forms (0: --reps)")
    parser.add_argument("--forms-max", type=int, default=0, help="measure forms only up to this N (0: all sizes)")
    parser.add_argument("--only", type=lambda v: {s.strip() for s in v.split(",") if s.strip()}, default=set(),
                        metavar="STEPS", help=f"measure only these (comma-separated): {', '.join(STEPS)}; "
                                          "e.g. `--sizes 1000 --only book --reps 3`")
    parser.add_argument("--docs", type=Path, help="write this Markdown page (and its plot beside it)")
    parser.add_argument("--note", action="append", default=[], help="a line for the page's notes")
    parser.add_argument("--one-core", action="store_true",
                        help="pin every measured command (ours, the floor, StrictDoc) to core 0 with `taskset -c 0`")
    parser.add_argument("--from-results", type=Path, metavar="JSON", action="append",
                        help="measure nothing: print and write --docs from a results.json of an earlier run; "
                             "given again, the other runs' figures follow (one-core and free-core, say)")
    args = parser.parse_args(argv)
    if args.only - set(STEPS):
        parser.error(f"--only: unknown {', '.join(sorted(args.only - set(STEPS)))}; choose from {', '.join(STEPS)}")
    shown, skip = [], False
    for arg in sys.argv[1:] if argv is None else argv:  # the command as run, for the page; notes left out
        if skip or arg == "--note" or arg.startswith("--note="):
            skip = arg == "--note"
            continue
        shown.append(arg)
    args.argv = shown
    if args.smoke:
        # 5 standards (3 chapters, 2 templates): every measure runs once, as small as it gets
        args.sizes, args.reps, args.no_strictdoc, args.no_pagefind = "5", 1, True, True
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.from_results:
        runs = [json.loads(p.read_text(encoding="utf-8")) for p in args.from_results]
        saved = runs[0]
        args.argv, args.reps = saved.get("command", args.argv), saved.get("reps", args.reps)
        args.forms_reps = saved.get("forms_reps", args.forms_reps)
        args.others = runs[1:]
        return _report({int(k): v for k, v in saved["results"].items()}, saved["machine"], args)
    if args.one_core:
        PIN[:] = ["taskset", "-c", "0"]
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"benchmarks: sizes {sizes}, {args.reps} rep(s); {info['cores']} cores, load {info['load']}", flush=True)
    results: dict[int, dict] = {}
    for n in sizes:
        results[n] = {}
        project = prepare(n, args.work, floor=not args.only or "builds" in args.only)
        _measure_size(n, project, results[n], args)
        saved = {"machine": info, "command": args.argv, "one_core": args.one_core, "reps": args.reps,
                 "forms_reps": args.forms_reps, "results": {str(k): v for k, v in results.items()}}
        (args.work / "results.json").write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
    info["load"] = f"{info['load']} at start (1, 5, 15 min)"
    return _report(results, info, args)


def _report(results: dict[int, dict], info: dict, args: argparse.Namespace) -> int:
    print(table(results))
    print()
    for name, ok, figure in targets(results):
        print(f"{'MET   ' if ok else 'n/a   ' if ok is None else 'MISSED'} {name}: {figure}")
    if args.docs:
        image = None
        if not args.smoke:
            image = args.docs.parent / "results" / "time-vs-n.png"
            plot(results, image)
        write_docs(results, info, args, args.docs, image)
        print(f"wrote {args.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
