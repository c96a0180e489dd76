"""Where a standard of an earlier edition is found in this one, for links that still name its old place.

A superseded edition's banner (and any old bookmark) opens the same page in the edition in force,
with the standard's ID as anchor. When the standard has moved to another chapter, been renamed,
merged, split or removed, that page no longer holds it: the site's script then looks the ID up in
FORWARDING (written by this module) and goes to the standard's new page and anchor, or to its
entry in the 修订说明. A chapter page that no longer exists becomes a small page forwarding there.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from generator.model import Handbook
from generator.publish.changes import Change, ChangeKind

FORWARDING = "forwarding.json"


def forwarding(chain: Sequence[Handbook], diffs: Sequence[list[Change]], *, changes_page: str,
               directory_urls: bool = True) -> dict[str, str]:
    """Site files: FORWARDING (old ID -> URL from the site's root) and a page for each vanished chapter.

    chain: the editions oldest first, the current one last; diffs: between each pair.
    """
    current = chain[-1]
    home = {s.id: c.id for c, s in current.standards()}
    targets = {i: _page(f"chapters/{chapter}", directory_urls) + f"#{i}" for i, chapter in home.items()}
    successor: dict[str, str] = {}
    for diff in diffs:
        for c in diff:
            if c.kind in (ChangeKind.RENAMED, ChangeKind.MERGED):
                successor.update({old: c.id for old in c.old_ids if old != c.id})
            elif c.kind is ChangeKind.SPLIT:
                successor[c.id] = c.new_ids[0]
    result = {}
    for old in sorted(successor):
        new = _follow(old, successor)
        if new in targets:
            result[old] = targets[new]
    changes = _page(changes_page.removesuffix(".md"), directory_urls)
    for c in diffs[-1] if diffs else ():
        if c.kind is ChangeKind.REMOVED:
            result[c.id] = f"{changes}#{ChangeKind.REMOVED.value}-{c.id}"
    # Every standard is listed, so that an old link with the right ID but the wrong page still lands.
    files = {FORWARDING: json.dumps({**targets, **result}, ensure_ascii=False, indent=0, sort_keys=True) + "\n"}
    chapters_now = {c.id for c in current.chapters}
    for book in chain[:-1]:
        for chapter in book.chapters:
            if chapter.id not in chapters_now:
                path = _page(f"chapters/{chapter.id}", directory_urls)
                files[path + ("index.html" if directory_urls else "")] = _forward_page("../" * path.count("/") + changes)
    return files


def _page(path: str, directory_urls: bool) -> str:
    return f"{path}/" if directory_urls else f"{path}.html"


def _follow(old: str, successor: dict[str, str]) -> str:
    seen = {old}
    while old in successor and successor[old] not in seen:
        old = successor[old]
        seen.add(old)
    return old


def _forward_page(target: str) -> str:
    """A page that sends its reader on to target, keeping the anchor (the standard's ID)."""
    url = html.escape(target, quote=True)
    return (f'<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={url}">\n'
            f'<script>location.replace("{url}" + location.hash)</script>\n</head>\n'
            f'<body><a href="{url}">{url}</a></body>\n</html>\n')
