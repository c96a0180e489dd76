"""Load a standards folder into a `Handbook`, or raise `HandbookError` with every problem."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
from collections.abc import Iterator
from pathlib import Path

from generator.errors import HandbookError, Place, Problem, did_you_mean
from generator.load import SourceFile, discover, parse, read_source
from generator.load.files import display_path
from generator.load.language import declared_language
from generator.load.yaml import Node
from generator.messages import current, either, say, speaking
from generator.model import Chapter, Handbook, sources
from generator.model.files import FILE_KINDS, ChapterFile, GlossaryFile, HandbookFile, TemplatesFile
from generator.model.labels import label_keys, labels_for, unknown_keys
from generator.validate.convert import INVALID, Converter
from generator.validate.glyphs import check_glyphs
from generator.validate.integrity import Located, check_integrity
from generator.validate.stored import Checked, FileStore

# What each file of the last load gave, by path and text: while previewing, a save re-reads
# one file and the others come from here. Models are frozen, so sharing them is safe.
_LAST_FILES: dict[tuple[str, str, str | None], Checked] = {}
_LAST_DIGESTS: dict[tuple[str, str], str] = {}  # (display path, text) -> its digest, for model/sources.py
# Where a new process finds the files an earlier one checked (set by the caller that owns a cache).
_STORE: contextvars.ContextVar[FileStore | None] = contextvars.ContextVar("file_store", default=None)


@contextlib.contextmanager
def storing_files(folder: Path | None, salt: str) -> Iterator[None]:
    """Within the block, load_handbook keeps each checked file in folder (None: nowhere).

    salt: a digest of the code that checks them; an entry is used only for the same display path,
    text and salt. Entries of texts the last load did not read are removed after it.
    """
    token = _STORE.set(FileStore(folder, salt) if folder is not None else None)
    try:
        yield
    finally:
        _STORE.reset(token)


# Labels that name the tabs of standards.xlsx, and what a tab's name may not hold (Excel's rules).
_SHEET_LABELS = ("forms.sheet_standards", "forms.sheet_checks")
_NOT_IN_SHEET_NAMES = "/\\:*?[]"


def load_handbook(root: Path) -> Handbook:
    """Read, check and assemble every file under root.

    Problems are worded in the language chosen for the run (`generator.messages.use`), else in the
    handbook's own `language`.
    """
    with speaking(current() or declared_language(root)):
        return _load_handbook(root)


def _load_handbook(root: Path) -> Handbook:
    paths, problems = discover(root)
    located = Located()
    kinds_seen: set[str] = set()
    parsed: list[tuple[SourceFile, object]] = []
    files: dict[tuple[str, str, str | None], Checked] = {}
    for path in paths:
        source, read_problems = read_source(path)
        problems += read_problems
        if source is None:
            kinds_seen.add("unreadable")  # it may be the handbook file: do not call that one missing
            continue
        key = (source.display, source.text, current())  # problems are worded in the run's language
        files[key] = _LAST_FILES.get(key) or _stored_file(source)
        model, file_problems, nodes, kind = files[key]
        kinds_seen.add(kind)
        problems += file_problems
        if model is not None:
            parsed.append((source, model))
            located.add(source.display, nodes)
    _LAST_FILES.clear()
    _LAST_FILES.update(files)
    store = _STORE.get()
    _remember_sources(files, store)
    if store is not None:
        store.prune((display, _stored_text(language, text)) for display, text, language in files)
    handbook = _assemble(root, parsed, problems, located, kinds_seen)
    if handbook is not None:
        # With a file missing, references into it would all look dangling: those wait.
        problems += check_integrity(handbook, located, complete=not problems)
    if problems:
        raise HandbookError(problems)
    assert handbook is not None
    return handbook


def _remember_sources(files: dict[tuple[str, str, str | None], Checked], store: FileStore | None) -> None:
    """Each chapter file's standards with the digest of its text (model/sources.py): what is made from
    them is kept by it. The store has that digest already; while previewing, the last load's are reused."""
    digests: dict[tuple[str, str], str] = {}
    found = []
    for (display, text, language), (model, _, _, _) in files.items():
        if isinstance(model, ChapterFile):
            digest = _LAST_DIGESTS.get((display, text))
            if digest is None:
                digest = (store.digest(display, _stored_text(language, text)) if store is not None
                          else hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
            digests[display, text] = digest
            found.append((model.standards, digest))
    _LAST_DIGESTS.clear()
    _LAST_DIGESTS.update(digests)
    sources.remember(found)


def _stored_file(source: SourceFile) -> Checked:
    """The file's model, problems, nodes and kind: checked now, or what an earlier process stored of it."""
    store = _STORE.get()
    text = _stored_text(current(), source.text)
    stored = store.get(source.display, text) if store is not None else None
    if stored is not None:
        return stored
    model, problems, converter, kind = _load_file(source)
    checked = (model, problems, converter.nodes, kind)
    if store is not None:
        store.put(source.display, text, checked)
    return checked


def _stored_text(language: str | None, text: str) -> str:
    """What the store keys a file by: its text and the run's language, in which its problems are worded."""
    return f"{language}\n{text}"


def _load_file(source: SourceFile) -> tuple[object | None, list[Problem], Converter, str]:
    model, problems, converter, kind = _convert_file(source)
    # Forms embed one font: every printed character must be in it.
    return model, problems + check_glyphs(source), converter, kind


def _convert_file(source: SourceFile) -> tuple[object | None, list[Problem], Converter, str]:
    converter = Converter(source.display)
    node, problems = parse(source.text, source.display)
    if problems:
        return None, problems, converter, _guess_kind(source.text)
    kinds = either([f"'{k}:'" for k in FILE_KINDS])
    if node is None:
        converter.problem(Node(value=None, line=1, col=1, kind="scalar"), say("handbook.empty_file"),
                          say("handbook.empty_file.hint", kinds=kinds))
        return None, converter.problems, converter, ""
    if not node.is_map:
        what = say("handbook.holds_list" if node.is_seq else "handbook.holds_value")
        converter.problem(node, say("handbook.not_mapping", what=what), say("handbook.not_mapping.hint", kinds=kinds))
        return None, converter.problems, converter, ""
    kind = next((k for k in FILE_KINDS if k in node.value), None)
    if kind is None:
        converter.problem(node, say("handbook.unknown_kind"),
                          did_you_mean(next(iter(node.value), ""), FILE_KINDS, shown="{}:",
                                       otherwise=say("handbook.unknown_kind.hint", kinds=kinds)))
        return None, converter.problems, converter, ""
    model = converter.convert_object(node, FILE_KINDS[kind], "")
    return (None if model is INVALID else model), converter.problems, converter, kind


def _guess_kind(text: str) -> str:
    """The kind a file that failed to parse was meant to be, from its first key at the left margin."""
    for line in text.splitlines():
        key = line.split(":", 1)[0].strip()
        if line[:1].isalpha() and key in FILE_KINDS:
            return key
    return ""


def _assemble(root: Path, parsed: list[tuple[SourceFile, object]], problems: list[Problem],
              located: Located, kinds_seen: set[str]) -> Handbook | None:
    heads = [(s, m) for s, m in parsed if isinstance(m, HandbookFile)]
    if len(heads) > 1:
        first = heads[0][0].display
        for source, _ in heads[1:]:
            problems.append(Problem.in_file(source.display, "handbook.second_file", first=first))
    if not heads:
        folder_missing = any(p.message == say("files.no_folder") for p in problems)
        if not folder_missing and not kinds_seen & {"handbook", "unreadable"}:
            problems.append(Problem.in_file(display_path(root / "handbook.yml"), "handbook.missing"))
        return None
    head: HandbookFile = heads[0][1]  # type: ignore[assignment]
    chapters = []
    for _, model in parsed:
        if isinstance(model, ChapterFile):
            chapter = Chapter(id=model.chapter, title=model.title, summary=model.summary,
                              standards=model.standards)
            located.alias(chapter, model)
            chapters.append(chapter)
    labels, label_problem = labels_for(head.handbook.language, head.labels)
    for key in unknown_keys(head.labels):
        knode = located.field(head, "labels").value[key][0]
        problems.append(Problem.at(Place.of(located.path(head), knode), say("handbook.unknown_label", key=key),
                                   did_you_mean(key, label_keys(), otherwise=say("handbook.unknown_label.hint"))))
    for key in _SHEET_LABELS:
        name = labels.get(key, "")
        if key in head.labels and (not name or len(name) > 31 or any(c in name for c in _NOT_IN_SHEET_NAMES)):
            knode = located.field(head, "labels").value[key][1]
            problems.append(Problem.at(Place.of(located.path(head), knode),
                                       say("handbook.sheet_label", key=key, name=repr(name)),
                                       say("handbook.sheet_label.hint")))
    if label_problem:
        node = located.field(head.handbook, "language")
        problems.append(dataclasses.replace(label_problem, path=located.path(head.handbook),
                                            line=node.line, col=node.col))
    return Handbook(
        meta=head.handbook, edition=head.edition, vocabulary=head.vocabulary, rating=head.rating,
        labels=labels, chapters=tuple(chapters),
        templates=tuple(t for _, m in parsed if isinstance(m, TemplatesFile) for t in m.templates),
        glossary=tuple(g for _, m in parsed if isinstance(m, GlossaryFile) for g in m.glossary),
        calendar=head.calendar,
    )
