"""An HMRC estate agency on a real store, set up through the real command line.

Nina negotiates, Bea manages the branch (supervisor), Dan is a director (senior manager) and Mo
is the nominated officer (MLRO); the supervising people are bound to this computer account.
The bundled checklists are used, as the agency would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from tests.casefile.conftest import ME, RECENT, Cli

AGENCY_INIT = (
    "init", "--firm", "Marsh & Field Estate Agents", "--supervisor", "hmrc", "--registration",
    "XWML00000123456", "--fwra-version", "1", "--fwra-date", RECENT, "--user", "dan",
    "--name", "Dan Director", "--role", "senior_manager", "--trained-on", RECENT,
)  # fmt: skip


class AgencyCli(Cli):
    """The command line on the agency's store, with the bundled checklists."""

    def __call__(self, *args: str, user: str | None = "nina", checklists: bool = False) -> Result:
        return super().__call__(*args, user=user, checklists=checklists)


@pytest.fixture
def agency(tmp_path: Path) -> AgencyCli:
    cli = AgencyCli(tmp_path / "agency" / "case.sqlite3")
    done = cli(*AGENCY_INIT, user=None)
    assert done.exit_code == 0, done.output
    for user_id, name, role in (
        ("nina", "Nina Negotiator", "fee_earner"),
        ("bea", "Bea Branch", "supervisor"),
        ("mo", "Mo Officer", "mlro"),
    ):
        extra = () if role == "fee_earner" else ("--os-user", ME)
        added = cli(
            "users", "add", user_id, "--name", name, "--role", role, "--trained-on", RECENT,
            *extra, user="dan",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    return cli


def open_sale(cli: Cli, reference: str, side: str, client_type: str = "individual") -> None:
    """Open one side of a sale as the negotiator."""
    opened = cli(
        "cases", "new", reference, "--kind", "estate_agent", "--matter-type",
        "estate_agency_sale", "--client-type", client_type, "--acting-for", side,
        "--responsible", "nina",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
