"""The one build time stamped into every output, so that rebuilding gives the same bytes."""

from __future__ import annotations

import datetime
import os


def build_time(effective: datetime.date) -> datetime.datetime:
    """SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the edition's date; UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return datetime.datetime.combine(effective, datetime.time(), tzinfo=datetime.UTC)


def source_date_epoch(effective: datetime.date) -> str:
    """The same time as SOURCE_DATE_EPOCH, for tools that read it (MkDocs' sitemap, gzip)."""
    return str(int(build_time(effective).timestamp()))
