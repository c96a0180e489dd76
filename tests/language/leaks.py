"""What a handbook's built output may say: only its own YAML's words and its language's labels."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Words of the bundled Party handbook that must never reach a handbook of another field.
PARTY = re.compile(r"(?<![.\w])(party|branch|secretary|comrade)\b", re.IGNORECASE)  # not label keys (forms.branch)
# Markdown that should have become formatting: bold/italic markers, heading hashes, link syntax.
MARKUP = re.compile(r"\*\*|__|\]\(|^#{1,6} ", re.MULTILINE)
# Material's own theme files (its search workers carry stemmers for every language).
THEME = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
# Word's default template lists fonts for every script in these parts; they are not text.
DOCX_FONT_TABLES = ("word/theme/theme1.xml", "word/fontTable.xml")


def yaml_text(standards: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(standards.rglob("*.yml")))


def output_texts(site: Path) -> dict[str, str]:
    """The text of every file the build wrote that a reader can see, by path relative to site."""
    from pypdf import PdfReader

    texts = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_dir() or relative.startswith(THEME) or path.suffix in (".gz", ".png", ".ico"):
            continue
        if path.suffix == ".pdf":
            texts[relative] = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        elif path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                texts[relative] = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                                            if name.endswith(".xml") and name not in DOCX_FONT_TABLES)
        else:
            texts[relative] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def visible_text(page: str) -> str:
    """The text of an HTML page as a reader sees it: no scripts, styles or tags."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def leaks(site: Path, standards: Path) -> list[str]:
    """Every CJK character, Party word or visible Markdown in site that the YAML did not bring."""
    source = yaml_text(standards)
    allowed_cjk = set(CJK.findall(source))
    allowed_party = {w.lower() for w in PARTY.findall(source)}
    found = []
    for relative, text in output_texts(site).items():
        cjk = sorted(set(CJK.findall(text)) - allowed_cjk)
        if cjk:
            found.append(f"{relative}: CJK {''.join(cjk)[:40]}")
        shown = visible_text(text) if relative.endswith(".html") else text
        words = sorted({w.lower() for w in PARTY.findall(shown)} - allowed_party)
        if words and not relative.endswith((".css", ".js")):  # code comments are no reader's words
            found.append(f"{relative}: Party words {words}")
        markup = sorted(set(MARKUP.findall(shown)))
        if markup and relative.endswith((".html", ".pdf")):
            found.append(f"{relative}: visible Markdown {markup}")
    return found
