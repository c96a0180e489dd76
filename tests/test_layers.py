"""The tree is the pipeline: every import inside generator/ points down this list, never up or sideways
into a later stage (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import generator

PACKAGE = Path(generator.__file__).parent
# Lowest first: a module may import from its own layer and the layers before it.
LAYERS = ("messages", "errors", "fs", "process", "load", "model", "validate", "render", "build", "publish", "edit",
          "mkdocs_plugin", "cli", "__main__")


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "generator" and parts[1] in LAYERS else None


def _upward_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _layer(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        if own is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                layer = _layer(target)
                if layer is not None and LAYERS.index(layer) > LAYERS.index(own):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {own} imports {target}")
    return found


def test_imports_point_down_the_pipeline() -> None:
    assert len(list(PACKAGE.rglob("*.py"))) > 50  # the walk found the package
    assert _upward_imports() == []


def test_every_layer_of_the_package_is_in_the_list() -> None:
    tops = {p.stem if p.suffix == ".py" else p.name for p in PACKAGE.iterdir()
            if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()}
    assert tops <= set(LAYERS)  # a new top-level module or package must take its place in LAYERS
