"""How the command line treats argument bytes that are not UTF-8: decided once, here.

Python hands the program its arguments decoded with `surrogateescape`, so an undecodable byte
arrives as a lone surrogate (`b"M-\\xff"` is `"M-\\udcff"`). A file name must keep it: a file
whose name is not UTF-8 is still a file a user may attach as evidence, and the surrogate turns
back into the same bytes when the file is opened. Any other text (a reference, a name, a value)
would be stored, compared and printed, and a surrogate cannot be encoded for any of those, so it
is refused as soon as the argument is parsed, with a message naming the argument.

`refuse_undecodable_text` is applied to the whole command tree at the entry point: every
parameter of click's plain text type gets `TEXT`, which refuses surrogates. Paths (`click.Path`)
and `PATH_SPEC` (text that carries a file name, `FORMAT:PATH`) keep them. Other types (choices,
dates, numbers) already refuse anything they do not recognise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from duediligence.adapters.locations import DATABASE_SCHEMES, DatabaseUrl, store_location


def undecodable(value: str) -> bool:
    """Whether `value` holds bytes that were not UTF-8 (lone surrogates from the decoding)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable(value: str) -> str:
    """`value` with undecodable bytes shown as `\\xff`, safe to print anywhere."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class Utf8Text(click.types.StringParamType):
    """Text that must be valid UTF-8."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = super().convert(value, param, ctx)
        if isinstance(text, str) and undecodable(text):
            name = _named(param)
            self.fail(f"{name} is not valid UTF-8 text ('{printable(text)}')", param, ctx)
        return text


class PathSpec(click.types.StringParamType):
    """Text that carries a file name (e.g. `FORMAT:PATH`): undecodable bytes are kept."""


class StoreParam(click.Path):
    """`--store`: a case-file path, or a PostgreSQL database's address (`postgresql://...`),
    which is kept as written (a path would fold its `//`)."""

    name = "PATH|postgresql://..."

    def __init__(self) -> None:
        super().__init__(path_type=Path, dir_okay=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, DatabaseUrl):
            return value
        if isinstance(value, str) and value.startswith(DATABASE_SCHEMES):
            if undecodable(value):
                self.fail(f"the database address is not valid UTF-8 ('{printable(value)}')")
            return store_location(value)
        return super().convert(value, param, ctx)


TEXT = Utf8Text()
PATH_SPEC = PathSpec()
STORE = StoreParam()


def _named(param: click.Parameter | None) -> str:
    if param is None:
        return "the value"
    if isinstance(param, click.Option) and param.opts:
        return param.opts[0]
    return param.human_readable_name


def refuse_undecodable_text(command: click.Command) -> None:
    """Give every plain-text parameter of `command` and its subcommands the `TEXT` type."""
    for param in command.params:
        if type(param.type) is click.types.StringParamType:
            param.type = TEXT
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            refuse_undecodable_text(sub)
