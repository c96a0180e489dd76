from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class StandardsConfig(Config):
    standards = c.Type(str, default="standards")
    """Folder of the handbook's YAML, relative to mkdocs.yml."""
    forms = c.Type(bool, default=True)
    """Render the printable forms (PDF, Word) after the build."""
    editions = c.Type(str, default="")
    """Folder of previous editions' snapshots (<id>/standards.json), relative to mkdocs.yml;
    empty: the `editions` folder beside the standards folder."""
    published = c.Type(str, default="")
    """Folder of published editions (`handbook publish` sets it to its --out): the edition before is
    looked for there first, and only editions published there are linked to."""
    search = c.Choice(("handbook", "material", "pagefind"), default="handbook")
    """The site's search. `handbook`: the handbook's own index of standards, terms and record books
    (generator/render/search_index.py), searched in the browser by assets/site/search.js; replaces
    the `search` plugin, which must then be removed from `plugins`.
    `material`: Material's `search` plugin (list it under `plugins`).
    `pagefind`: index the built site with Pagefind's extended build (it segments Chinese), which
    answers fast on large handbooks; needs the `pagefind[extended]` package, and replaces the
    `search` plugin, which must then be removed from `plugins`."""
