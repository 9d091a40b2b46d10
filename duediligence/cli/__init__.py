"""The `duediligence` command line: the second composition root beside the TUI.

Each area keeps its commands in its own module and is registered here once. Commands print
`--json` on request and exit non-zero on failure; a user mistake never shows a traceback.
"""

from __future__ import annotations

import click

from duediligence import __version__
from duediligence.cli.cases import COMMANDS as CASE_COMMANDS
from duediligence.cli.checklists import checklists
from duediligence.cli.report import COMMANDS as REPORT_COMMANDS
from duediligence.cli.screening import lists, match, screen, screening


@click.group(invoke_without_command=True)
@click.version_option(__version__, prog_name="duediligence")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Anti-money-laundering due diligence for UK solicitors and estate agents."""
    if ctx.invoked_subcommand is None:
        # The terminal UI arrives with its own issue; until then the bare command explains itself.
        click.echo(ctx.get_help())


main.add_command(checklists)
main.add_command(match)
main.add_command(screen)
main.add_command(lists)
main.add_command(screening)
for case_command in CASE_COMMANDS:
    main.add_command(case_command)
for report_command in REPORT_COMMANDS:
    main.add_command(report_command)
