"""Benchmark of `handbook validate` on every bad-input case: prints seconds and peak memory, asserts nothing.

    PYTHONPATH=. .venv/bin/python benchmarks/bad_input_bench.py [--runs 3]

The cases are those of tests/bad_input/ (each a folder with case.yml and expected.txt); the test there
checks that each fails as expected, within the memory limit, and that none hangs. How long each takes
is measured here instead, against the issue's target: a bomb must not keep the validator busy.

Target: every case ≤ 2 s (median of --runs, a fresh process each, on an idle machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bad_input.test_bad_input import _cases, _prepare, _run_validate  # noqa: E402

TARGET_SECONDS = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the median is shown")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print("| case | median s | peak RSS MiB | exit |")
    print("|---|---|---|---|")
    slow = []
    for param in _cases():
        folder, spec = param.values
        times, peaks, codes = [], [], set()
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as work:
                standards = _prepare(folder, spec, Path(work))
                code, _, _, seconds, peak_kb = _run_validate(standards, Path(work))
            times.append(seconds)
            peaks.append(peak_kb)
            codes.add(code)
        median = statistics.median(times)
        if median > TARGET_SECONDS:
            slow.append(folder.name)
        print(f"| {folder.name} | {median:.2f} | {max(peaks) / 1024:.0f} | {','.join(map(str, sorted(codes)))} |")
    print(f"over the {TARGET_SECONDS:g} s target: {', '.join(slow) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
