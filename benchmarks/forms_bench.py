"""Benchmark of the printable forms: prints medians, asserts nothing about time.

    PYTHONPATH=. .venv/bin/python benchmarks/forms_bench.py [--standards standards] [--runs 5]

Measures
  1. warm render of one checklist PDF (fonts loaded, in process)        target ≤ 0.3 s
  2. the whole handbook's forms, cold (fresh process, empty cache)      target ≤ 15 s
  3. a rebuild with nothing changed (warm cache): how many files render  target 0
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build.forms import render_forms
from generator.render.forms import forms
from generator.render.forms.pdf import render_pdf
from generator.validate.handbook import load_handbook

SITE_URL = "https://example.org/handbook/"

_COLD = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from generator.build.forms import render_forms
from generator.validate.handbook import load_handbook
handbook = load_handbook(Path(sys.argv[1]))
loaded = time.perf_counter()
report = render_forms(handbook, Path(sys.argv[2]), site_url=sys.argv[3], cache_dir=Path(sys.argv[4]))
done = time.perf_counter()
print(json.dumps({"load": loaded - started, "render": done - loaded, "files": len(report.rendered)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--standards", type=Path, default=ROOT / "standards")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (medians are printed)")
    parser.add_argument("--checklist", default="", help="slug of the checklist to time (default: the first)")
    args = parser.parse_args()

    handbook = load_handbook(args.standards)
    all_forms = forms(handbook)
    checklist = next(f for f in all_forms if f.kind == "checklist" and (f.slug == args.checklist or not args.checklist))
    print(f"handbook {args.standards}: {len(all_forms)} forms; {os.cpu_count()} cores; "
          f"{args.runs} runs per measure; load average {os.getloadavg()[0]:.1f} (other work inflates the times)")

    # 1. warm single checklist PDF
    render_pdf(checklist, SITE_URL)  # loads WeasyPrint and the fonts
    times = []
    for _ in range(max(args.runs, 5)):
        started = time.perf_counter()
        render_pdf(checklist, SITE_URL)
        times.append(time.perf_counter() - started)
    rows = len(checklist.checklist.rows) if checklist.checklist else 0
    print(f"warm checklist PDF ({checklist.slug}, {rows} items): median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f})")

    # 2. whole handbook cold, and 3. the rebuild from a warm cache
    colds, totals, cpus, rebuilds, rerendered = [], [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="forms-bench-") as tmp:
            out, cache = Path(tmp) / "out", Path(tmp) / "cache"
            started = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = subprocess.run(
                [sys.executable, "-c", _COLD, str(args.standards), str(out), SITE_URL, str(cache)],
                check=True, capture_output=True, text=True, cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)})
            totals.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process and its workers
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            cold = json.loads(result.stdout.strip().splitlines()[-1])
            colds.append(cold["render"])
            files = cold["files"]
            started = time.perf_counter()
            report = render_forms(handbook, out, site_url=SITE_URL, cache_dir=cache)
            rebuilds.append(time.perf_counter() - started)
            rerendered.append(len(report.rendered))
    print(f"whole handbook cold ({files} files): median {statistics.median(colds):.2f} s rendering, "
          f"{statistics.median(totals):.2f} s with process start and loading "
          f"(min {min(colds):.2f}, max {max(colds):.2f}); CPU {statistics.median(cpus):.1f} s in all, "
          f"{statistics.median(cpus) / (os.cpu_count() or 1):.1f} s per core")
    print(f"rebuild, nothing changed: median {statistics.median(rebuilds):.3f} s, "
          f"files rendered {sorted(set(rerendered))}")


if __name__ == "__main__":
    main()
