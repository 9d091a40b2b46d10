"""The computer account recorded and checked is the process's own, never one set in the environment.

A person bound to computer accounts may act only from them; `getpass.getuser()` reads LOGNAME,
USER and USERNAME before the password database, so setting `LOGNAME=mwilson` used to make anyone
the MLRO bound to the account "mwilson".
"""

from __future__ import annotations

import json
import os
import pwd

from duediligence.adapters.identity import computer_account
from tests.hostile.harness import Hostile

REAL = pwd.getpwuid(os.getuid()).pw_name


def test_the_account_is_the_real_user_ids_not_the_environments(monkeypatch) -> None:
    for name in ("LOGNAME", "USER", "USERNAME", "LNAME"):
        monkeypatch.setenv(name, "mwilson")
    assert computer_account() == REAL


def test_setting_logname_does_not_make_anyone_a_bound_mlro(hostile: Hostile, monkeypatch) -> None:
    bound = hostile.run("users", "bind", "mary", "--os-user", "mwilson", user="bob")
    assert bound.code == 0, bound.output
    for name in ("LOGNAME", "USER", "USERNAME"):
        monkeypatch.setenv(name, "mwilson")
    # The child inherits the variables; they change nothing.
    run = hostile.refused(
        "mlro", "list", "M-1", user="mary", message="mary may act only from the computer account"
    )
    assert "mwilson" in run.output


def test_the_audit_trail_records_the_real_account(hostile: Hostile, monkeypatch) -> None:
    monkeypatch.setenv("LOGNAME", "someone-else")
    monkeypatch.setenv("USER", "someone-else")
    assert hostile.run("answer", "M-1", "ident.full_name", "Ivan Petrov").code == 0
    exported = json.loads(hostile.run("cases", "export", "M-1").out)
    accounts = {event["os_user"] for event in exported["audit_events"]}
    assert REAL in accounts
    assert "someone-else" not in accounts
