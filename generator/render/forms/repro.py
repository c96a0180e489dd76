"""Reproducible archives: the same input gives the same bytes, whenever and wherever it is built."""

from __future__ import annotations

import datetime
import io
import zipfile


def normalize_zip(data: bytes, when: datetime.datetime) -> bytes:
    """Rewrite an OOXML zip with fixed entry times and attributes, keeping the entry order."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()
