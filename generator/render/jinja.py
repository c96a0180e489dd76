"""The one Jinja environment every renderer uses."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from generator.render.views import cell, heading, strong

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell
    env.filters["heading"] = heading
    env.filters["strong"] = strong
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
