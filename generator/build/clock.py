"""The one place that sets the build time every output is stamped with."""

from __future__ import annotations

import datetime
import os

from generator.render.timestamps import source_date_epoch

_PINNED: list[str] = []  # the value this process set last, if any


def pin_build_time(effective: datetime.date) -> None:
    """Set SOURCE_DATE_EPOCH for the tools that read it (MkDocs' sitemap, gzip, WeasyPrint, our forms).

    A value already set (the reproducible-builds convention) is kept; otherwise the edition's date
    is the build time, so rebuilding an edition gives the same bytes. A value this process set for
    an earlier build is not kept: a preview follows a change of the edition's date.
    """
    if _PINNED and os.environ.get("SOURCE_DATE_EPOCH") == _PINNED[-1]:
        del os.environ["SOURCE_DATE_EPOCH"]
    ours = not os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit()
    value = source_date_epoch(effective)
    os.environ["SOURCE_DATE_EPOCH"] = value
    _PINNED[:] = [value] if ours else []
