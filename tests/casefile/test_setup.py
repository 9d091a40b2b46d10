"""`duediligence init` needs the firm-wide risk assessment's approver and binds the first user."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

from tests.casefile.conftest import RECENT, Cli

ME = pwd.getpwuid(os.getuid()).pw_name

INIT = (
    "init", "--firm", "Homes Ltd", "--supervisor", "hmrc", "--fwra-version", "1",
    "--fwra-date", RECENT, "--user", "nina", "--name", "Nina Neg", "--role", "fee_earner",
    "--trained-on", RECENT,
)  # fmt: skip


def test_init_by_a_negotiator_alone_is_refused_and_writes_no_firm(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "store" / "case.sqlite3")
    refused = cli(*INIT, user=None)
    assert refused.exit_code == 1
    assert "set-up needs the senior manager who approved the firm-wide risk assessment" in (
        refused.output
    )
    assert cli.json("users", "list", user="nina") == []
    half = cli(*INIT, "--fwra-approver-name", "Sol Owner", user=None)
    assert half.exit_code == 2 and "--fwra-approver-name needs --fwra-approver" in half.output
    # Nothing was left behind that stops a corrected set-up.
    made = cli(*INIT, "--fwra-approver", "sol", "--fwra-approver-name", "Sol Owner", user=None)
    assert made.exit_code == 0, made.output


def test_init_registers_the_approver_and_binds_the_first_user(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "store" / "case.sqlite3")
    made = cli(*INIT, "--fwra-approver", "sol", "--fwra-approver-name", "Sol Owner", user=None)
    assert made.exit_code == 0, made.output
    people = {p["id"]: p for p in cli.json("users", "list", user="nina")}
    assert people["sol"]["roles"] == ["senior_manager"]
    assert people["nina"]["os_users"] == [ME]
    opened = cli(
        "cases", "new", "S-1", "--kind", "estate_agent", "--matter-type", "estate_agency_sale",
        "--client-type", "individual", "--acting-for", "seller", "--responsible", "nina",
        user="nina",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    exported = json.loads(cli("cases", "export", "S-1", user="nina").stdout)
    assert exported["case"]["reference"] == "S-1"
