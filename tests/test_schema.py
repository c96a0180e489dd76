"""The editor schema is generated from the models, kept in the repo, and used by every file."""

from __future__ import annotations

import json

import jsonschema
import yaml

from generator.render.schema import source_schema
from tests.conftest import STANDARDS, run_handbook


def test_committed_schema_is_current() -> None:
    committed = json.loads((STANDARDS / "schema.json").read_text(encoding="utf-8"))
    assert committed == source_schema(), "standards/schema.json is stale: run `handbook schema > standards/schema.json`"


def test_schema_command_prints_the_schema() -> None:
    result = run_handbook("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == source_schema()


class _EditorLoader(yaml.SafeLoader):
    """Reads dates as text, as YAML editors do when they check a file against a JSON Schema."""


_EditorLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_every_yaml_file_names_the_schema_and_passes_it() -> None:
    schema = source_schema()
    files = sorted(STANDARDS.rglob("*.yml"))
    assert len(files) >= 12
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        relative = "../schema.json" if path.parent != STANDARDS else "schema.json"
        assert first == f"# yaml-language-server: $schema={relative}", path
        jsonschema.validate(yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader), schema)


def test_schema_rejects_what_the_validator_rejects() -> None:
    schema = source_schema()
    bad = {"chapter": "x", "title": "t", "standards": [{"id": "A-1", "frequncy": "daily"}]}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
    assert errors
