"""Draw guide/images/workbook.png: the first rows of one sheet of the editing workbook, for the editors' guide.

No spreadsheet program runs here, so this is an HTML drawing of the workbook's own cells (read back with
openpyxl from `handbook export-xlsx`'s bytes), photographed by headless Chromium; the guide says so.
Run from the repository root: .venv/bin/python guide/make_workbook_picture.py
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from playwright.sync_api import sync_playwright

from generator.render.workbook import render_workbook, vocabularies
from generator.validate import load_handbook

ROOT = Path(__file__).resolve().parent.parent
SHEET, ROWS, COLUMNS = "“三会一课”", 11, 9
OUT = ROOT / "guide" / "images" / "workbook.png"
FONT = ROOT / "generator" / "assets" / "fonts" / "NotoSansSC-Regular.ttf"


def _page() -> str:
    handbook = load_handbook(ROOT / "standards")
    book = load_workbook(io.BytesIO(render_workbook(handbook)))
    sheet = book[SHEET]
    frequencies = [label for _, label in vocabularies(handbook)["frequencies"]]
    widths = [sheet.column_dimensions[get_column_letter(c)].width * 7.5 for c in range(1, COLUMNS + 1)]
    head = "".join(f'<th style="width:{w:.0f}px">{get_column_letter(c)}</th>' for c, w in enumerate(widths, 1))
    body = []
    for r in range(1, ROWS + 1):
        cells = []
        for c in range(1, COLUMNS + 1):
            value = sheet.cell(r, c).value
            text = html.escape("" if value is None else str(value)).replace("\n", "<br>")
            kind = "head" if r == 1 else "std" if sheet.cell(r, 1).value else "check"
            extra = ""
            if r == 2 and c == 6:  # the open drop-down list of 频次
                items = "".join(f"<li{' class=on' if f == value else ''}>{html.escape(f)}</li>" for f in frequencies)
                extra = f'<span class="arrow">▾</span><ul class="list">{items}</ul>'
                kind += " selected"
            cells.append(f'<td class="{kind}"><div>{text}</div>{extra}</td>')
        body.append(f'<tr><th class="row">{r}</th>{"".join(cells)}</tr>')
    tabs = "".join(f'<span class="tab{" on" if n == SHEET else ""}">{html.escape(n)}</span>'
                   for n in book.sheetnames if book[n].sheet_state == "visible")
    return f"""<!doctype html><meta charset="utf-8"><style>
@font-face {{ font-family: cjk; src: url("{FONT.as_uri()}"); }}
body {{ margin: 0; font: 13px cjk, sans-serif; background: #fff; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
th {{ background: #f3f3f3; color: #555; font-weight: normal; border: 1px solid #ccc; height: 20px; }}
th.row {{ width: 28px; }}
td {{ border: 1px solid #d4d4d4; vertical-align: top; padding: 2px 4px; position: relative; }}
td div {{ max-height: 54px; overflow: hidden; }}
td.head {{ background: #ddd; font-weight: bold; border-bottom: 2px solid #888; }}
td.std {{ background: #f2f2f2; }}
td.selected {{ outline: 2px solid #1a7f37; outline-offset: -2px; }}
.arrow {{ position: absolute; right: 2px; top: 2px; background: #eee; border: 1px solid #aaa; padding: 0 3px; }}
.list {{ position: absolute; left: -1px; top: 24px; z-index: 2; margin: 0; padding: 2px 0; list-style: none;
  background: #fff; border: 1px solid #888; box-shadow: 2px 2px 6px #0003; width: 110px; }}
.list li {{ padding: 1px 6px; }} .list li.on {{ background: #cce4d4; }}
.tabs {{ margin-top: 6px; }} .tab {{ display: inline-block; padding: 3px 10px; border: 1px solid #ccc; color: #444; }}
.tab.on {{ background: #fff; border-top: 2px solid #1a7f37; font-weight: bold; }}
</style><table><tr><th class="row"></th>{head}</tr>{"".join(body)}</table>
<div class="tabs">{tabs}</div>"""


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    page_file = OUT.with_suffix(".html")
    page_file.write_text(_page(), encoding="utf-8")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
            page = browser.new_page(viewport={"width": 1240, "height": 560})
            page.goto(page_file.as_uri())
            page.wait_for_timeout(300)  # the web font
            page.screenshot(path=str(OUT), full_page=True)
            browser.close()
    finally:
        page_file.unlink()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
