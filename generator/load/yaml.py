"""Safe YAML parsing that keeps the line and column of every key and item.

PyYAML composes a node tree (which carries marks) without constructing
objects; we turn that tree into `Node`s ourselves so that no tag can ask for a
Python object, aliases cannot expand into a "billion laughs", and duplicate
keys are reported instead of silently overwritten.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from generator.errors import Place, Problem
from generator.messages import say

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_MAX_NODES = 20_000  # about 300 standards in one file; a bound on time and memory
_MAX_DEPTH = 64  # a handbook nests about six levels; deeper is a mistake or an attack on the stack


@dataclasses.dataclass(frozen=True, kw_only=True, eq=False)
class Node:
    """A YAML value with its position (1-based line and column)."""

    value: Any  # dict[str, tuple[Node, Node]] | list[Node] | scalar
    line: int
    col: int
    kind: str  # "map", "seq" or "scalar"

    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    @property
    def is_seq(self) -> bool:
        return self.kind == "seq"


class _Constructor(yaml.constructor.SafeConstructor):
    pass


class _Refusal(Exception):
    """The composer stopped early: the file is too large or too deep to read safely."""

    def __init__(self, mark: yaml.Mark, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


class _AliasNode(yaml.ScalarNode):
    """Stands where an alias was; the alias is refused, never expanded."""


if yaml.__with_libyaml__:
    class _Base(yaml.composer.Composer, yaml._yaml.CParser, yaml.resolver.Resolver):  # type: ignore[name-defined]
        """LibYAML scans and parses (about 8x faster than pure Python); our composer builds the tree."""

        def __init__(self, text: str):
            yaml._yaml.CParser.__init__(self, text)  # type: ignore[attr-defined]
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # pragma: no cover - PyYAML wheels ship LibYAML
    class _Base(yaml.SafeLoader):  # type: ignore[no-redef]
        pass


class _Loader(_Base):
    """Composes the node tree, refusing aliases and bounding size and depth while it goes.

    Limits are checked during composition, not after, so that a hostile file
    stops the reader before it costs time, memory or the Python stack.
    """

    def __init__(self, text: str):
        super().__init__(text)
        self.aliases: list[yaml.Mark] = []
        self.count = 0
        self.depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self.aliases.append(event.start_mark)
            return _AliasNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        mark = self.peek_event().start_mark
        self.count += 1
        if self.count > _MAX_NODES:
            raise _Refusal(mark, say("yaml.too_many_values", limit=f"{_MAX_NODES:,}"),
                           say("yaml.too_many_values.hint"))
        if self.depth >= _MAX_DEPTH:
            raise _Refusal(mark, say("yaml.too_deep", limit=_MAX_DEPTH), say("yaml.too_deep.hint"))
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def parse(text: str, path: str) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document; return its root node (None if empty) and problems."""
    loader = None
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
    except _Refusal as exc:
        return None, [Problem.at(_place(path, exc.mark), exc.message, exc.hint)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(exc, path, text)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path, text)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks its errors
        return None, [Problem.at(Place(path=path), str(exc))]
    finally:
        if loader is not None:
            loader.dispose()
    problems: list[Problem] = []
    if loader.aliases:
        first, more = loader.aliases[0], len(loader.aliases) - 1
        problems.append(Problem.at(_place(path, first), say("yaml.alias.more", more=more) if more else say("yaml.alias"),
                                   say("yaml.alias.hint")))
    if root is None:
        return None, problems
    builder = _Builder(path)
    node = builder.build(root)
    problems += builder.problems
    return (None if problems else node), problems


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.constructor = _Constructor()

    def _problem(self, ynode: yaml.Node, message: str, hint: str) -> None:
        self.problems.append(Problem.at(_place(self.path, ynode.start_mark), message, hint))

    def build(self, ynode: yaml.Node) -> Node | None:
        if isinstance(ynode, _AliasNode):
            return None  # reported once per file by parse()
        if ynode.tag not in _STANDARD_TAGS:
            tag = ynode.tag.replace("tag:yaml.org,2002:", "!!", 1)
            self._problem(ynode, say("yaml.tag", tag=tag), say("yaml.tag.hint"))
            return None
        line, col = ynode.start_mark.line + 1, ynode.start_mark.column + 1
        if isinstance(ynode, yaml.MappingNode):
            items: dict[Any, tuple[Node, Node]] = {}
            for knode, vnode in ynode.value:
                key = self.build(knode)
                value = self.build(vnode)
                if key is None or value is None:
                    continue
                if key.kind != "scalar" or isinstance(key.value, (list, dict)):
                    self._problem(knode, say("yaml.key_not_word"), say("yaml.key_not_word.hint"))
                    continue
                name = key.value if isinstance(key.value, str) else str(key.value)
                if name in items:
                    first = items[name][0]
                    self._problem(knode, say("yaml.duplicate_key", key=name, line=first.line),
                                  say("yaml.duplicate_key.hint"))
                    continue
                items[name] = (key, value)
            return Node(value=items, line=line, col=col, kind="map")
        if isinstance(ynode, yaml.SequenceNode):
            children = [self.build(child) for child in ynode.value]
            return Node(value=[c for c in children if c is not None], line=line, col=col, kind="seq")
        try:
            scalar = self.constructor.construct_object(ynode)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            if ynode.tag.endswith(":timestamp"):
                self._problem(ynode, say("yaml.bad_date", value=ynode.value, error=exc), say("yaml.bad_date.hint"))
            else:
                self._problem(ynode, say("yaml.bad_value", error=exc), say("hint.quote_as_text"))
            return None
        return Node(value=scalar, line=line, col=col, kind="scalar")


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    hint = say("yaml.syntax.hint")
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in bad_line[: max(col, 1)] or "found character '\\t'" in problem:
        problem = say("yaml.tab")
        hint = say("yaml.tab.hint")
    elif "found duplicate anchor" in problem:
        hint = say("yaml.duplicate_anchor.hint")
    elif "maximum nesting depth" in problem:  # LibYAML's own bound, met before ours
        return Problem.yaml(Place(path=path, line=line, col=col), "yaml.too_deep", limit=_MAX_DEPTH)
    elif "mapping values are not allowed" in problem and ": " in bad_line[: max(col - 1, 0)]:
        hint = say("yaml.colon_in_value.hint")
    elif "another document" in problem:
        problem = say("yaml.two_documents")
        hint = say("yaml.two_documents.hint")
    elif exc.context and "quoted scalar" in exc.context and exc.context_mark:
        # The end of the file is where PyYAML noticed; the opening quote is where to look.
        line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
        problem = say("yaml.unclosed_quote")
        hint = say("yaml.unclosed_quote.hint")
    return Problem.yaml(Place(path=path, line=line, col=col), "yaml.syntax", hint=hint, problem=problem)


def _reader_problem(exc: yaml.reader.ReaderError, path: str, text: str) -> Problem:
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    return Problem.yaml(Place(path=path, line=line, col=col), "yaml.invisible", code=f"{exc.character:04X}")


def _place(path: str, mark: yaml.Mark) -> Place:
    """The place of a PyYAML mark (0-based) in the file `path`."""
    return Place(path=path, line=mark.line + 1, col=mark.column + 1)
