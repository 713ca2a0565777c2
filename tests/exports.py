"""Opening an 导出Excel download in tests: `read_export(response)` checks what every ledger file
must be (a title row naming the branch, a bold frozen header, no formulas) and hands back the
header and the data rows as openpyxl values."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from config.spreadsheets import CONTENT_TYPE


@dataclass
class Export:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    sheet: Any

    def column(self, header: str) -> list[Any]:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]

    def cell_type(self, header: str, row: int = 0) -> str:
        return self.sheet.cell(row=3 + row, column=self.headers.index(header) + 1).data_type

    def number_format(self, header: str, row: int = 0) -> str:
        return self.sheet.cell(row=3 + row, column=self.headers.index(header) + 1).number_format

    def text(self) -> str:
        """Every cell of the file as one string, to assert that something is absent."""
        return "\n".join(
            str(v) for row in self.sheet.iter_rows(values_only=True) for v in row if v is not None
        )


def read_export(response, *, branch=None, ledger: str = "") -> Export:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    title = ws.cell(row=1, column=1).value
    assert title and "导出于" in title, title
    if branch is not None:
        assert str(branch) in title, title
    if ledger:
        assert ledger in title, title
    assert ws.freeze_panes == "A3", ws.freeze_panes
    headers = [c.value for c in ws[2] if c.value is not None]
    assert all(c.font.bold for c in ws[2] if c.value is not None)
    rows = []
    for values in ws.iter_rows(min_row=3, values_only=True):
        if all(v is None for v in values):
            break  # notes, if any, follow one empty row
        rows.append(list(values[: len(headers)]))
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value!r}"
    return Export(title=title, headers=headers, rows=rows, sheet=ws)
