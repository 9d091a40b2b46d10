"""Text from users and the store, shown exactly as it was given: never read as markup.

Textual reads a plain `str` in a Static, a DataTable cell, a tree label, an option or a toast
as markup. A client called "Smith [/b] Ltd" then either vanishes into styling, smuggles in an
action link (`[@click=app.quit]`), or crashes the screen (an unmatched closing tag raises).
Wrapping it in a Rich `Text` shows it as typed.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, ColumnKey, RowKey

_MARKUP_LIKE = re.compile(r"[\[\\]|:[\w+-]+:")
"""What markup parsing would change: a tag, an escape, an emoji code such as `:cd:`."""


def plain(text: object) -> Text:
    """`text` as literal characters (no markup)."""
    return text if isinstance(text, Text) else Text(str(text))


def cell(value: object) -> object:
    """A table cell shown as typed. Strings stay strings unless markup parsing would change
    them: a Text per cell costs about 30 MB over the 10,000-row lists."""
    if isinstance(value, str) and _MARKUP_LIKE.search(value):
        return Text(value)
    return value


class Table(DataTable[Any]):
    """A DataTable whose string cells are literal text (see the module docstring)."""

    def add_row(
        self,
        *cells: Any,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
    ) -> RowKey:
        return super().add_row(
            *(cell(c) for c in cells),
            height=height,
            key=key,
            label=plain(label) if isinstance(label, str) else label,
        )

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: CellType,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, cell(value), update_width=update_width)
