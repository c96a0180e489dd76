"""Adapters for the hosts the renderers lean on (WeasyPrint, python-docx): every touch of their internals.

Pure like the rest of render/: they change how a document is laid out or written, never a file.
The adapters of the site build's hosts (MkDocs, Material) are in generator/build/adapters/. Each
adapter names the host versions it was tested with; `tested` tells whether the installed one is
among them and, if not, says so in one log line and the caller takes its public-API path.
"""

from __future__ import annotations

import functools
import importlib.metadata
import logging

from generator.messages import say

log = logging.getLogger("mkdocs.plugins.standards")


@functools.cache
def tested(host: str, series: tuple[str, ...], fallback: str) -> bool:
    """True when the installed host (a distribution name) starts with one of series; else logs fallback once."""
    try:
        version = importlib.metadata.version(host)
    except importlib.metadata.PackageNotFoundError:
        version = "-"
    if version.startswith(series):
        return True
    log.info(say("build.host_untested", host=host, version=version, tested=", ".join(s + "*" for s in series),
                 fallback=say(fallback)))
    return False
