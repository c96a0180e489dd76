"""render/ is pure: model in, text or bytes out. No module under generator/render writes a file,
starts a process, touches a cache or imports the layers above it (a build's I/O is generator/build/)."""

from __future__ import annotations

import ast
from pathlib import Path

import generator

RENDER = Path(generator.__file__).parent / "render"

# Modules that write, run processes or sit above render/ in the pipeline.
FORBIDDEN_MODULES = ("subprocess", "multiprocessing", "concurrent", "shutil", "tempfile", "threading",
                     "generator.fs", "generator.process", "generator.build", "generator.publish",
                     "generator.mkdocs_plugin", "generator.edit", "generator.cli")
# Calls that change the file system or the process, by the attribute called.
FORBIDDEN_CALLS = {"write_text", "write_bytes", "mkdir", "makedirs", "unlink", "rmdir", "rmtree", "touch",
                   "fork", "putenv", "system", "popen", "write_entry", "write_atomic"}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    name = path.relative_to(RENDER.parent.parent)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for module in modules:
            if any(module == f or module.startswith(f + ".") for f in FORBIDDEN_MODULES):
                found.append((node.lineno, f"{name}:{node.lineno}: imports {module}"))
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if called in FORBIDDEN_CALLS:
                found.append((node.lineno, f"{name}:{node.lineno}: calls {called}()"))
            if called == "open":
                found.append((node.lineno, f"{name}:{node.lineno}: opens a file (read package data with Path.read_text)"))
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and "environ" in ast.unparse(target.value):
                    found.append((node.lineno, f"{name}:{node.lineno}: sets an environment variable"))
    return [text for _, text in sorted(found)]


def test_no_render_module_writes_runs_processes_or_imports_upward() -> None:
    modules = sorted(RENDER.rglob("*.py"))
    assert len(modules) > 20  # the walk found the package
    assert [p for path in modules for p in _problems(path)] == []


def test_the_check_catches_what_it_forbids(tmp_path: Path, monkeypatch) -> None:
    bad = RENDER / "forms" / "views.py"  # any real module's place, with a bad body
    source = ("import subprocess\nfrom generator.build import cache\nfrom generator import fs\n"
              "def f(p):\n    p.write_text('x')\n    open(p, 'w')\n    os.environ['A'] = '1'\n")
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    assert [p.split(": ", 1)[1] for p in _problems(bad)] == [
        "imports subprocess", "imports generator.build", "imports generator.build.cache",
        "imports generator.fs", "calls write_text()",
        "opens a file (read package data with Path.read_text)", "sets an environment variable"]
