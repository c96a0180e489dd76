"""Reading the handbook source: files, bytes, YAML with positions."""

from generator.load.files import SourceFile, discover, read_source
from generator.load.yaml import Node, parse

__all__ = ["Node", "SourceFile", "discover", "parse", "read_source"]
