"""Writing every form in every format: in a pool of processes, and only what changed since the last build.

The forms themselves are rendered by generator/render/forms (pure: a view in, bytes out); this
module runs those renders and writes their files. Each output file is cached under a key made of
the form's fingerprint (what it shows), the format, the site URL (printed in the QR code) and the
code digest (templates, CSS, fonts, code, library versions). An unchanged form is copied from the
cache, not rendered.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import importlib.metadata
import multiprocessing
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from generator import fs
from generator.build import cache
from generator.model import Handbook
from generator.process import die_with_parent, usable_cores
from generator.render import annual_plan
from generator.render.calendar import plan_year
from generator.render.forms.formats import FORMATS, XLSX_SLUG, file_name, render_one
from generator.render.forms.views import Form, StandardsTable, forms, standards_table

# Rough relative cost, to start the slow renders first and keep every core busy to the end.
_COST = {"pdf": 3, "pdf_forms": 3, "docx": 1, "xlsx": 1, "html": 0}
_PROGRESS_MIN_TASKS = 8


@dataclasses.dataclass(frozen=True, kw_only=True)
class FormsReport:
    """What a run did: which (slug, format) pairs were rendered and which came from the cache."""

    rendered: tuple[tuple[str, str], ...]
    cached: tuple[tuple[str, str], ...]
    files: tuple[Path, ...]

    def rendered_slugs(self, fmt: str | None = None) -> set[str]:
        return {slug for slug, f in self.rendered if fmt is None or f == fmt}

    def cached_slugs(self, fmt: str | None = None) -> set[str]:
        return {slug for slug, f in self.cached if fmt is None or f == fmt}


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Task:
    slug: str
    fmt: str
    target: Path
    key: str
    form: Form | None = None
    table: StandardsTable | None = None
    site_url: str = ""


def render_forms(handbook: Handbook, out_dir: Path, *, formats: Iterable[str] = FORMATS, site_url: str = "",
                 cache_dir: Path | None = None, jobs: int | None = None, progress: bool = False) -> FormsReport:
    """Write every form of the handbook in the given formats into out_dir.

    Files: `<slug>.html` (standalone print document), `<slug>.pdf`, `<slug>-fillable.pdf`,
    `<slug>.docx` for each form, and `standards.xlsx`. With cache_dir, a file whose key is
    unchanged is copied from the cache instead of rendered.
    """
    formats = tuple(formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown form format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = _tasks(handbook, out_dir, formats, site_url)
    todo: list[_Task] = []
    cached: list[tuple[str, str]] = []
    for task in tasks:
        hit = fs.read_entry(_cache_path(cache_dir, task)) if cache_dir else None
        if hit is not None:  # a damaged entry is a miss: rendered again
            task.target.write_bytes(hit)
            cached.append((task.slug, task.fmt))
        else:
            todo.append(task)
    for task, data in _render_all(_units(todo), jobs, progress):
        task.target.write_bytes(data)
        if cache_dir:
            _store(cache_dir, task, data)
    return FormsReport(rendered=tuple((t.slug, t.fmt) for t in todo), cached=tuple(cached),
                       files=tuple(t.target for t in tasks))


# --- tasks, workers ------------------------------------------------------------------------------


def _tasks(handbook: Handbook, out_dir: Path, formats: tuple[str, ...], site_url: str) -> list[_Task]:
    tasks = []
    for form in forms(handbook):
        for fmt in formats:
            if fmt == "xlsx":
                continue
            key = _key(form.fingerprint, fmt, site_url)
            tasks.append(_Task(slug=form.slug, fmt=fmt, target=out_dir / file_name(form.slug, fmt), key=key,
                               form=form, site_url=site_url))
    if "xlsx" in formats:
        table = standards_table(handbook)
        tasks.append(_Task(slug=XLSX_SLUG, fmt="xlsx", target=out_dir / file_name(XLSX_SLUG, "xlsx"),
                           key=_key(table.fingerprint, "xlsx", ""), table=table))
    return tasks


def _units(tasks: list[_Task]) -> list[tuple[_Task, ...]]:
    """Group the work: a form's print and fillable PDFs share one layout, so they go together."""
    units: list[tuple[_Task, ...]] = []
    pdf_unit: dict[str, int] = {}
    for task in tasks:
        if task.fmt in ("pdf", "pdf_forms"):
            if task.slug in pdf_unit:
                index = pdf_unit[task.slug]
                units[index] = (*units[index], task)
                continue
            pdf_unit[task.slug] = len(units)
        units.append((task,))
    return units


def _run_unit(unit: tuple[_Task, ...]) -> list[bytes]:
    first = unit[0]
    if first.fmt in ("pdf", "pdf_forms"):
        from generator.render.forms.pdf import render_pdfs

        assert first.form is not None
        return render_pdfs(first.form, first.site_url, tuple(task.fmt for task in unit))
    if first.fmt == "xlsx":
        from generator.render.forms.xlsx import render_xlsx

        assert first.table is not None
        return [render_xlsx(first.table)]
    assert first.form is not None
    return [render_one(first.form, first.fmt, first.site_url)]


def _cost(unit: tuple[_Task, ...]) -> int:
    return sum(_COST[task.fmt] for task in unit) - (1 if len(unit) > 1 else 0)


def _render_all(units: list[tuple[_Task, ...]], jobs: int | None, progress: bool):
    """Yield (task, bytes) as renders finish; in this process when parallel work would not pay."""
    if not units:
        return
    workers = max(1, min(jobs or usable_cores(), len(units)))
    count = sum(len(unit) for unit in units)
    show = progress and count >= _PROGRESS_MIN_TASKS
    if workers == 1 or sum(_cost(unit) for unit in units) <= _COST["pdf"] + 1:
        bar = _progress_bar(count) if show else None
        try:
            for unit in units:
                yield from zip(unit, _run_unit(unit), strict=True)
                if bar is not None:
                    bar.update(len(unit))
        finally:
            if bar is not None:
                bar.close()
        return
    ordered = sorted(units, key=lambda unit: -_cost(unit))
    context = _mp_context()
    forker = os.getpid() if context.get_start_method() == "fork" else None
    if forker is not None:
        # Forked workers inherit what is imported here: import WeasyPrint (0.5 s) once, not per worker.
        import weasyprint  # noqa: F401
    # Workers start at submit(): choose how before the progress bar starts a thread of its own.
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                initializer=die_with_parent, initargs=(forker,)) as pool:
        futures = {pool.submit(_run_unit, unit): unit for unit in ordered}
        bar = _progress_bar(count) if show else None
        try:
            for future in concurrent.futures.as_completed(futures):
                unit = futures[future]
                yield from zip(unit, future.result(), strict=True)
                if bar is not None:
                    bar.update(len(unit))
        except BaseException:  # interrupted or failed: render no more
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            if bar is not None:
                bar.close()


def _mp_context():
    # fork is fastest (no re-import of WeasyPrint), but forking a process that runs other
    # threads (mkdocs serve's watcher and server) can deadlock the child: use forkserver then.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _progress_bar(total: int):
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a convenience; rendering does not need it
        return None
    return tqdm(total=total, desc="forms", unit="file", leave=False)


# --- cache --------------------------------------------------------------------------------------


def _key(fingerprint: str, fmt: str, site_url: str) -> str:
    text = "\n".join((fingerprint, fmt, site_url if fmt != "xlsx" else "", cache.code_digest()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _cache_path(cache_dir: Path, task: _Task) -> Path:
    return cache_dir / f"{task.slug}.{task.fmt}.{task.key}"


def _store(cache_dir: Path, task: _Task, data: bytes) -> None:
    """Write atomically (parallel builds may share the folder) and drop this file's older versions."""
    path = _cache_path(cache_dir, task)
    fs.prune(cache_dir, f"{task.slug}.{task.fmt}.*", lambda old: old == path or len(old.name) != len(path.name))
    fs.write_entry(path, data)


# --- the site's forms ---------------------------------------------------------------------------


def write_site_forms(handbook: Handbook, site_dir: Path, *, site_url: str, cache_dir: Path | None,
                     progress: bool = False) -> None:
    """The printable files beside the form pages: PDF, fillable PDF, Word; standards.xlsx at the root;
    the annual plan's PDF and Word beside its page."""
    from generator.render.annual_plan_docx import plan_docx
    from generator.render.forms import standards_xlsx
    from generator.render.forms.pdf import document_pdf

    render_forms(handbook, site_dir / "forms", formats=("html", "pdf", "pdf_forms", "docx"), site_url=site_url,
                 cache_dir=cache_dir and cache_dir / "forms", progress=progress)
    (site_dir / "standards.xlsx").write_bytes(standards_xlsx(handbook))
    year = plan_year(handbook)
    document = annual_plan.plan_document_html(handbook, year)
    pdf = cache.cached_bytes(cache_dir and cache_dir / "forms", "annual-plan",
                             [document, importlib.metadata.version("weasyprint")],
                             lambda: document_pdf(document), suffix=".pdf")
    (site_dir / annual_plan.PLAN_DIR / annual_plan.pdf_name(year)).write_bytes(pdf)
    (site_dir / annual_plan.PLAN_DIR / annual_plan.docx_name(year)).write_bytes(plan_docx(handbook, year))
