"""The handbook as frozen data: what the YAML says, nothing derived from code."""

from generator.model.handbook import (
    Basis,
    Calendar,
    Chapter,
    ChecklistItem,
    Column,
    Edition,
    Evidence,
    Field,
    FrequencyTerm,
    GlossaryTerm,
    Handbook,
    Level,
    Meta,
    Rating,
    RecordTemplate,
    Retired,
    Source,
    Standard,
    Term,
    Vocabulary,
)
from generator.model.types import ID_PATTERN, Id, Markdown

__all__ = [
    "ID_PATTERN", "Basis", "Calendar", "Chapter", "ChecklistItem", "Column", "Edition", "Evidence", "Field",
    "FrequencyTerm", "GlossaryTerm", "Handbook", "Id", "Level", "Markdown", "Meta", "Rating", "RecordTemplate",
    "Retired", "Source", "Standard", "Term", "Vocabulary",
]
