"""Scored self-assessments as text, JSON, a summary workbook (xlsx) and a summary page (HTML); pure."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from generator.model import Handbook
from generator.model.rating import UnitResult
from generator.render.assessment import score_labels
from generator.render.forms.views import xml_safe
from generator.render.jinja import render

RESULT_NAMES = ("met", "partial", "unmet", "na")


def number(value: float) -> str:
    """85.0 -> "85", 85.5 -> "85.5"."""
    return str(int(value)) if float(value).is_integer() else str(value)


def report_json(results: Sequence[UnitResult]) -> str:
    """One unit: its score object; several: a list of them, each with its unit, date and file."""
    items = [{"unit": r.unit, "date": r.date, "file": r.path, **r.score.to_json(),
              **({"carried_from": r.edition, "not_carried": list(r.not_carried)} if r.carried or r.not_carried
                 else {})} for r in results]
    return json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False, indent=2) + "\n"


def report_text(handbook: Handbook, results: Sequence[UnitResult]) -> str:
    """Each unit's total, level, failed vetoes, chapter subtotals and unmet checks, in the handbook's words."""
    label = score_labels(handbook)
    colon = handbook.label("colon")
    lines: list[str] = []
    for result in results:
        s = result.score
        head = " · ".join(part for part in (result.unit, result.date, handbook.edition.label) if part)
        lines += [f"{result.path}: {head}",
                  f"{label['total']}{colon}{number(s.total)} / {s.max}",
                  f"{label['level']}{colon}{'★' * s.stars} {s.level}",
                  f"{label['veto_failed']}{colon}{handbook.label('list_sep').join(s.veto_failed) or label['veto_none']}"]
        if s.unanswered:
            lines.append(f"{label['unanswered']}{colon}{s.unanswered}")
        lines.append(f"{label['subtotal']}{colon}")
        lines += [f"  {c.title}{colon}{number(c.earned)} / {number(c.applicable)}" for c in s.chapters]
        lines.append(f"{label['findings']}{colon}" + ("" if s.unmet else label["findings_none"]))
        lines += [f"  {f.key} {label[f.result]} {number(f.points)}/{f.max} {f.text}"
                  + (f" ({f.note})" if f.note else "") for f in s.unmet]
        if result.carried:
            lines.append(label["carried"].replace("{edition}", result.edition)
                         .replace("{count}", str(len(result.carried))))
        if result.not_carried:
            lines.append(label["not_carried"] + " " + ", ".join(result.not_carried))
        lines.append("")
    return "\n".join(lines)


def summary_rows(handbook: Handbook, results: Sequence[UnitResult]) -> tuple[list[str], list[list[Any]]]:
    """The units sheet: one row per unit, a column per chapter's subtotal."""
    label = score_labels(handbook)
    heads = [label["col_unit"], label["col_date"], label["total"], label["stars"], label["level"], label["veto"],
             *[c.title for c in handbook.chapters], label["col_file"]]
    rows = [[r.unit, r.date, r.score.total, r.score.stars, r.score.level,
             handbook.label("list_sep").join(r.score.veto_failed), *[c.earned for c in r.score.chapters], r.path]
            for r in results]
    return heads, rows


def findings_rows(handbook: Handbook, results: Sequence[UnitResult]) -> tuple[list[str], list[list[Any]]]:
    """The 问题整改台账: every unmet or partly met check of every unit."""
    label = score_labels(handbook)
    heads = [label["col_unit"], label["col_date"], label["col_chapter"], label["col_standard"], label["col_check"],
             label["col_result"], label["points"], label["of"], label["note"], label["measure"], label["owner"],
             label["due"]]
    rows = [[r.unit, r.date, f.chapter, f"{f.standard} {f.title}", f"{f.key} {f.text}", label[f.result], f.points,
             f.max, f.note, f.measure, f.owner, f.due] for r in results for f in r.score.unmet]
    return heads, rows


def summary_xlsx(handbook: Handbook, results: Sequence[UnitResult]) -> bytes:
    """The office's workbook: units with their totals and subtotals; the 问题整改台账 with filters."""
    label = score_labels(handbook)
    workbook = Workbook(write_only=True)  # streamed: 500 units' findings are tens of thousands of rows
    _fill(workbook.create_sheet(label["sheet_units"]), *summary_rows(handbook, results),
          (24, 12, 8, 6, 10, 16, *[12] * len(handbook.chapters), 30))
    _fill(workbook.create_sheet(label["sheet_findings"]), *findings_rows(handbook, results),
          (24, 12, 16, 24, 48, 10, 6, 6, 24, 32, 10, 12))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, heads: list[str], rows: list[list[Any]], widths: tuple[int, ...]) -> None:
    """Rows under a bold heading, frozen, with filters."""
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{max(len(rows) + 1, 1)}"
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")
    head_cells = []
    for head in heads:
        cell = WriteOnlyCell(sheet, value=xml_safe(head))
        cell.font, cell.fill = bold, shade
        head_cells.append(cell)
    sheet.append(head_cells)
    for row in rows:
        sheet.append([_text_cell(sheet, value) if isinstance(value, str) else value for value in row])


def _text_cell(sheet, value: str) -> Any:
    """Text as text: openpyxl would take a unit's words starting with '=' for a formula."""
    if not value.startswith("="):
        return xml_safe(value)
    cell = WriteOnlyCell(sheet, value=xml_safe(value))
    cell.data_type = "s"
    return cell


@dataclasses.dataclass(frozen=True, kw_only=True)
class Bar:
    label: str
    count: int
    y: int
    width: float


def summary_html(handbook: Handbook, results: Sequence[UnitResult]) -> str:
    """The same summary as a page: a chart of units per level, the units table, the 问题整改台账."""
    label = score_labels(handbook)
    levels = sorted(handbook.rating.levels, key=lambda lv: -lv.stars)
    counts = [sum(1 for r in results if r.score.stars == lv.stars) for lv in levels]
    widest = max(counts, default=0) or 1
    bars = [Bar(label=f"{'★' * lv.stars} {lv.label}", count=n, y=i * 28, width=round(300 * n / widest, 1))
            for i, (lv, n) in enumerate(zip(levels, counts, strict=True))]
    units_heads, units = summary_rows(handbook, results)
    findings_heads, findings = findings_rows(handbook, results)
    return render("score/summary.html.j2", L=label, lang=handbook.meta.language, title=handbook.meta.title,
                  edition=handbook.edition.label, bars=bars, chart_height=len(bars) * 28,
                  units_heads=units_heads, units=[[_cell(v) for v in row] for row in units],
                  findings_heads=findings_heads, findings=[[_cell(v) for v in row] for row in findings])


def _cell(value: Any) -> str:
    return number(value) if isinstance(value, int | float) else str(value)
