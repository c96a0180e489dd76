"""The one place that sets the build time every output is stamped with."""

from __future__ import annotations

import datetime
import os

from generator.render.timestamps import source_date_epoch


def pin_build_time(effective: datetime.date) -> None:
    """Set SOURCE_DATE_EPOCH for the tools that read it (MkDocs' sitemap, gzip, WeasyPrint, our forms).

    A value already set (the reproducible-builds convention) is kept; otherwise the edition's date
    is the build time, so rebuilding an edition gives the same bytes.
    """
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(effective)
