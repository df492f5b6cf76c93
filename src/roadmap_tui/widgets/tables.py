"""Filling a DataTable: the one way the app does it.

Column widths are set from the cells before the rows go in. With automatic
widths, a table refilled between frames can render rows cut to the header's
width from Textual's render cache (seen on Textual 8.2.8).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable


def fill_table(
    table: DataTable[Text],
    headers: Sequence[str],
    rows: Sequence[Sequence[Text]],
    keys: Sequence[str] | None = None,
) -> None:
    """Replace the table's columns and rows; the cursor stays on the same key if it remains."""
    selected = None
    if table.row_count:
        selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    table.clear(columns=True)
    for index, header in enumerate(headers):
        width = max([len(header), *(row[index].cell_len for row in rows)])
        table.add_column(header, width=width)
    for index, row in enumerate(rows):
        table.add_row(*row, key=keys[index] if keys else None)
    if keys and selected in keys:
        table.move_cursor(row=list(keys).index(selected), animate=False)
