"""Text from users and the store, shown exactly as it was given: never read as markup.

Textual reads a plain `str` in a Static, a DataTable cell, a tree label, an option or a toast
as markup. A client called "Smith [/b] Ltd" then either vanishes into styling, smuggles in an
action link (`[@click=app.quit]`), or crashes the screen (an unmatched closing tag raises).
Wrapping it in a Rich `Text` shows it as typed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


def plain(text: object) -> Text:
    """`text` as literal characters (no markup)."""
    return text if isinstance(text, Text) else Text(str(text))


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
            *(plain(c) if isinstance(c, str) else c for c in cells),
            height=height,
            key=key,
            label=plain(label) if isinstance(label, str) else label,
        )
