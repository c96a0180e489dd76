"""Editing the source from outside the YAML: the spreadsheet round trip (`handbook import-xlsx`).

A layer of its own, beside `publish/` rather than inside it: `publish/` writes what the handbook
produces (site/, public/), this layer writes the handbook's source (standards/*.yml), keeping
everything not edited byte for byte. It sits above `validate/`, `render/` and `publish/` (it loads
the handbook, reads the workbook layout from `render/workbook.py`, validates the result and reports
the change as `handbook diff` does) and below the CLI.
"""
