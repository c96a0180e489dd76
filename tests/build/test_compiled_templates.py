"""The theme's compiled templates kept in the cache folder: read back in a new process, exactly as compiled.

A build in a new process takes each template's code from `.cache/handbook/jinja/` instead of
compiling Material's templates again; an edited template (a project's override), another Jinja
setting, a damaged entry or another code digest is compiled afresh, and the site is byte for byte
what a build with an empty cache writes.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import yaml

from generator.build.adapters import mkdocs as mkdocs_host
from tests.render.test_cache import _build, _differences, _project


def _environment(folder: Path, cache: Path, **settings) -> tuple[jinja2.Environment, mkdocs_host.CompiledTemplates]:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(folder)]), **settings)
    compiled = mkdocs_host.CompiledTemplates(cache, env)
    env.bytecode_cache = compiled
    return env, compiled


def _counting(env: jinja2.Environment) -> list[str]:
    """The names of the templates env compiles from their source from now on."""
    compiled: list[str] = []
    original = env.compile

    def compile(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(source, name, filename, raw, defer_init)

    env.compile = compile  # type: ignore[method-assign]
    return compiled


def _new_process() -> None:
    mkdocs_host._COMPILED.clear()  # what a new process starts with


def test_a_new_process_reads_the_compiled_templates_and_recompiles_an_edited_one(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("{% extends 'base.html' %}{% block b %}[{{ x }}]{% endblock %}", "utf-8")
    (templates / "base.html").write_text("<{% block b %}{% endblock %}>", "utf-8")
    _new_process()
    env, compiled = _environment(templates, cache)
    assert _counting(env) == [] and env.get_template("page.html").render(x=1) == "<[1]>"
    compiled.prune()
    assert len(list((cache / "jinja").glob("*.bin"))) == 2

    _new_process()
    env, _ = _environment(templates, cache)
    seen = _counting(env)
    assert env.get_template("page.html").render(x=2) == "<[2]>"
    assert seen == []  # both from the cache folder

    (templates / "base.html").write_text("({% block b %}{% endblock %})", "utf-8")
    _new_process()
    env, _ = _environment(templates, cache)
    seen = _counting(env)
    assert env.get_template("page.html").render(x=3) == "([3])"  # the edited one compiled afresh
    assert seen == ["base.html"]


def test_a_damaged_entry_or_other_settings_are_compiled_afresh_and_old_salts_pruned(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "t.html").write_text("  {% if x %}yes{% endif %}\n", "utf-8")
    _new_process()
    env, _ = _environment(templates, cache)
    assert env.get_template("t.html").render(x=1) == "  yes"
    (entry,) = (cache / "jinja").glob("*.bin")
    entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")  # the digest no longer matches: a miss
    _new_process()
    env, _ = _environment(templates, cache)
    seen = _counting(env)
    assert env.get_template("t.html").render(x=1) == "  yes" and seen == ["t.html"]

    _new_process()  # another setting compiles to other code: another salt, its own entry
    env, compiled = _environment(templates, cache, lstrip_blocks=True, trim_blocks=True)
    seen = _counting(env)
    assert env.get_template("t.html").render(x=1) == "yes" and seen == ["t.html"]
    compiled.prune()  # the first environment's entry is gone
    assert [p.name.startswith(compiled.salt) for p in (cache / "jinja").glob("*.bin")] == [True]


def test_a_warm_build_after_an_override_is_edited_equals_a_cold_one(tmp_path: Path) -> None:
    project = _project(tmp_path, 6)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = "overrides"
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    partial = project / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<div class="md-copyright">OWN-FOOTER-ONE</div>\n', encoding="utf-8")
    cache = tmp_path / "cache"
    _build(project, "before", cache)
    entries = {p.name: p.stat().st_mtime_ns for p in (cache / "jinja").glob("*.bin")}
    assert len(entries) > 10  # Material's templates, compiled once
    _build(project, "again", tmp_path / "cache-again")  # the same project, nothing kept from the first
    partial.write_text('<div class="md-copyright">OWN-FOOTER-TWO</div>\n', encoding="utf-8")
    _build(project, "warm", cache)
    after = {p.name: p.stat().st_mtime_ns for p in (cache / "jinja").glob("*.bin")}
    assert len([name for name in after if entries.get(name) != after[name]]) == 1  # only the edited one
    _build(project, "cold", tmp_path / "empty")
    assert _differences(project / "cold", project / "warm") == []
    assert "OWN-FOOTER-TWO" in (project / "warm" / "index.html").read_text(encoding="utf-8")
    assert _differences(project / "before", project / "again") == []
