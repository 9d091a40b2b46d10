"""The `duediligence` command line: the second composition root beside the TUI.

Each area keeps its commands in its own module and is registered here once. Commands print
`--json` on request and exit non-zero on failure; a user mistake never shows a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import Any

import click

from duediligence import __version__
from duediligence.cli.cases import COMMANDS as CASE_COMMANDS
from duediligence.cli.checklists import checklists
from duediligence.cli.funds import funds
from duediligence.cli.params import STORE, refuse_undecodable_text
from duediligence.cli.proof import COMMANDS as PROOF_COMMANDS
from duediligence.cli.report import COMMANDS as REPORT_COMMANDS
from duediligence.cli.screening import lists, match, screen, screening


class _Program(click.Group):
    """The top-level group: standard output that cannot be written is a message, not a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except BrokenPipeError:
            # `duediligence cases list | head`: the reader has gone; stop quietly.
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - flushing at exit must not fail
            sys.exit(1)
        except OSError as error:
            if error.errno not in (errno.ENOSPC, errno.EIO, errno.EFBIG):
                raise
            sys.stderr.write(f"error: the output cannot be written ({error.strerror})\n")
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(1)


@click.group(cls=_Program, invoke_without_command=True)
@click.version_option(__version__, prog_name="duediligence")
@click.option(
    "--store",
    type=STORE,
    envvar="DUEDILIGENCE_STORE",
    help="Case-file database for the terminal UI and every command (default: in the platform "
    "data directory).",
)
@click.pass_context
def main(ctx: click.Context, store: Path | None) -> None:
    """Anti-money-laundering due diligence for UK solicitors and estate agents.

    With no command, opens the terminal UI.
    """
    if ctx.invoked_subcommand is None:
        from duediligence.config import load_settings
        from duediligence.domain.errors import DueDiligenceError

        try:
            settings = load_settings(store=store)
        except DueDiligenceError as error:
            raise click.ClickException(str(error)) from None
        # Imported only now: subcommands never pay for Textual.
        from duediligence.tui.app import run

        run(settings)


main.add_command(checklists)
main.add_command(funds)
main.add_command(match)
main.add_command(screen)
main.add_command(lists)
main.add_command(screening)
for case_command in CASE_COMMANDS:
    main.add_command(case_command)
for report_command in REPORT_COMMANDS:
    main.add_command(report_command)
for proof_command in PROOF_COMMANDS:
    main.add_command(proof_command)
# Decided once for every command: text arguments must be UTF-8, file names need not be.
refuse_undecodable_text(main)
