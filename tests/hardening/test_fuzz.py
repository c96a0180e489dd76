"""Property: whatever the YAML, loading gives a handbook or located problems, never another exception."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import HandbookError
from generator.validate import load_handbook
from tests.conftest import FOOD_SAFETY

FILES = ["handbook.yml", "chapters/01-storage.yml", "glossary.yml", "templates.yml"]
KEYS = ["handbook", "chapter", "templates", "glossary", "title", "issuer", "language", "edition", "id", "label",
        "effective", "vocabulary", "frequencies", "roles", "methods", "rating", "total", "levels", "stars",
        "min_score", "standards", "text", "frequency", "responsible", "basis", "document", "evidence",
        "template", "points", "checks", "veto", "related", "see", "term", "definition", "fields", "columns",
        "rows", "labels", "retired", "summary", "width", "lines", "aliases", "tags", "x"]
IDS = ["CS-01", "CS-02", "TEMP-LOG", "daily", "staff", "observe", "storage", "cold-holding"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
    st.dates(), st.sampled_from(IDS), st.text(max_size=30),
    st.sampled_from(["yes", "no", "~", "1e3", "0x1F", ".inf", "2026-13-45", "*a", "&a", "!!str x", "'", '"', "- "]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(KEYS), children, max_size=5)),
    max_leaves=25,
)
noise = st.sampled_from(["", "\t", "  ", ": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/object:os.system ",
                         "---\n", "\n", "#", "\ufeff", "\x00", "\x85", "\u2028", "'", '"', "%YAML 1.1\n", "? "])


@st.composite
def yaml_like(draw) -> str:
    """YAML dumped from random values with the real key names, then cut and spliced with noise."""
    text = yaml.safe_dump(draw(documents), allow_unicode=True, default_flow_style=draw(st.booleans()))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 5))
        text = text[:at] + draw(noise | st.text(max_size=5)) + text[at + cut:]
    return text


@st.composite
def mutated_fixture(draw) -> tuple[str, str]:
    """One fixture file with a value somewhere replaced by a random one: exercises conversion and integrity."""
    name = draw(st.sampled_from(FILES))
    data = yaml.safe_load((FOOD_SAFETY / name).read_text(encoding="utf-8"))
    node = data
    for _ in range(draw(st.integers(1, 4))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if draw(st.booleans()) or not isinstance(node[key], (dict, list)):
                node[key] = draw(documents)
                break
            node = node[key]
        elif isinstance(node, list) and node:
            index = draw(st.integers(0, len(node) - 1))
            if draw(st.booleans()) or not isinstance(node[index], (dict, list)):
                node[index] = draw(documents)
                break
            node = node[index]
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def standards(tmp_path_factory) -> Path:
    """One writable copy of the fixture for every example: each replaces one file and puts it back (a copy
    and a removal of the whole folder per example cost more than the load they surround)."""
    root = tmp_path_factory.mktemp("fuzz") / "standards"
    shutil.copytree(FOOD_SAFETY, root)
    return root


def _check(root: Path, name: str, text: str | bytes) -> None:
    path = root / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    try:
        load_handbook(root)
    except HandbookError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.col >= 1, problem
            assert problem.path and problem.message, problem
            assert problem.format().count("\n") <= 1 + problem.message.count("\n") + problem.hint.count("\n")
    finally:
        path.write_bytes((FOOD_SAFETY / name).read_bytes())


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(name=st.sampled_from(FILES), text=yaml_like())
def test_yaml_like_text_gives_located_problems(standards: Path, name: str, text: str) -> None:
    _check(standards, name, text)


@FUZZ
@given(mutated=mutated_fixture())
def test_mutated_fixture_gives_located_problems(standards: Path, mutated: tuple[str, str]) -> None:
    _check(standards, *mutated)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(FILES), data=st.binary(max_size=200))
def test_arbitrary_bytes_give_located_problems(standards: Path, name: str, data: bytes) -> None:
    _check(standards, name, data)
