"""Export of a table (headers + rows) to CSV and to a minimal XLSX (zipfile, no openpyxl).

Every text cell goes through ``domain.masking.mask_text`` on the way out: the KPI and
workload tables hold no personal data, and an exported file makes sure of it.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from ..domain.masking import mask_text

Cell = str | int | float | None


def _clean(v: Cell) -> Cell:
    return mask_text(v) if isinstance(v, str) else v


def write_csv(path: str | Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Path:
    """UTF-8 with a BOM (Excel opens Chinese text right), comma-separated."""
    p = Path(path)
    with p.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([_clean(h) for h in headers])
        for r in rows:
            w.writerow(["" if v is None else _clean(v) for v in r])
    return p


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        s = chr(65 + rem) + s
    return s


def _cell(ref: str, v: Cell) -> str:
    v = _clean(v)
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, int | float):
        return f'<c r="{ref}"><v>{v!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WB_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def write_xlsx(
    path: str | Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]], sheet: str = "Sheet1"
) -> Path:
    """A one-sheet workbook: inline strings and numbers, no styles."""
    p = Path(path)
    lines = []
    table: list[list[Cell]] = [list(headers), *[list(x) for x in rows]]
    for r, values in enumerate(table, start=1):
        cells = "".join(_cell(f"{_col(i)}{r}", v) for i, v in enumerate(values))
        lines.append(f'<row r="{r}">{cells}</row>')
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return p


def read_xlsx_cells(path: str | Path) -> list[list[str]]:
    """The cell texts of a workbook written by write_xlsx (for tests and checks)."""
    import re
    from xml.sax.saxutils import unescape

    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    out = []
    for row in re.findall(r"<row [^>]*>(.*?)</row>", xml):
        cells = re.findall(r"<c [^>]*>(?:<v>(.*?)</v>|<is><t[^>]*>(.*?)</t></is>)</c>", row)
        out.append([unescape(v or s) for v, s in cells])
    return out
