"""Annotated string kinds shared by the models, the validator and the JSON Schema."""

from __future__ import annotations

import dataclasses
from typing import Annotated

# An ID is used as an HTML id, a URL fragment and a file name: ASCII only.
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"


@dataclasses.dataclass(frozen=True)
class Pattern:
    regex: str
    hint: str  # the ID of its hint in generator/locales/messages/


@dataclasses.dataclass(frozen=True)
class Text:
    """Marks a string as Markdown (rendered) rather than plain text."""

    markdown: bool = False


@dataclasses.dataclass(frozen=True)
class Ref:
    """Marks an ID field as a reference to another object of the given kind."""

    target: str  # "standard", "template", "frequency", "role", "method"


EDITION_PATTERN = r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"

ID_HINT = "pattern.id.hint"
Id = Annotated[str, Pattern(ID_PATTERN, ID_HINT)]
Markdown = Annotated[str, Text(markdown=True)]
StandardRef = Annotated[str, Ref("standard")]
TemplateRef = Annotated[str, Ref("template")]
FrequencyRef = Annotated[str, Ref("frequency")]
RoleRef = Annotated[str, Ref("role")]
MethodRef = Annotated[str, Ref("method")]
EditionId = Annotated[str, Pattern(EDITION_PATTERN, "pattern.edition.hint")]
NotApplicable = Annotated[str, Pattern(r"^(scale|full)$", "pattern.not_applicable.hint")]
