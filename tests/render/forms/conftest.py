"""Shared fixtures: the test handbook, and every form of it rendered once per session."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
import yaml

from generator.model import Handbook
from generator.build.forms import FormsReport, render_forms
from generator.render.forms import forms
from generator.validate.handbook import load_handbook
from tests.conftest import shared

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "handbook"
GOLDEN = HERE / "golden"
SITE_URL = "https://example.org/handbook/"


@dataclasses.dataclass(frozen=True)
class Built:
    handbook: Handbook
    out: Path
    cache: Path
    report: FormsReport


@pytest.fixture(scope="session")
def handbook() -> Handbook:
    return load_handbook(FIXTURE)


@pytest.fixture(scope="session")
def built(handbook: Handbook, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every format of every form, rendered cold in parallel the way `handbook build` does.

    Made once per test run (`shared`), whichever worker asks first; the tests only read it, the report too.
    """

    def make(folder: Path) -> None:
        report = render_forms(handbook, folder / "site-forms", site_url=SITE_URL, cache_dir=folder / "cache", jobs=2)
        (folder / "report.pickle").write_bytes(pickle.dumps(report))

    root = shared(tmp_path_factory, "forms-built", make)
    report = pickle.loads((root / "report.pickle").read_bytes())
    return Built(handbook=handbook, out=root / "site-forms", cache=root / "cache", report=report)


def yaml_chapters() -> dict[str, list[dict]]:
    """The chapters as plain YAML, read without the generator: what the forms must agree with."""
    chapters = {}
    for path in sorted((FIXTURE / "chapters").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        chapters[data["chapter"]] = data["standards"]
    return chapters


def slugs(handbook: Handbook) -> list[str]:
    return [form.slug for form in forms(handbook)]
