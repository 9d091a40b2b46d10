"""Moving a firm (issue 19): `duediligence store copy SQLITE postgresql://...` copies the case
file whole, chain, records, evidence and lists, and verifies the copy before it says done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duediligence.adapters.locations import DatabaseUrl
from duediligence.cli import main
from tests.casefile.conftest import Cli
from tests.conftest import query
from tests.postgres import PostgresServer

# The source is a SQLite file, the target a PostgreSQL database.
pytestmark = pytest.mark.parametrize("engine", ["sqlite"])


def test_a_sqlite_case_file_copied_to_postgresql_is_the_same_case_file(
    cli: Cli, postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    passport = tmp_path / "passport.pdf"
    passport.write_bytes(b"%PDF the client's passport")
    assert cli("answer", "M-1", "pep", "no").exit_code == 0
    added = cli.json("evidence", "add", "M-1", str(passport), "--type", "passport")
    source = cli.json("verify", user="bob")
    target = DatabaseUrl(postgres.url(postgres.new_database(empty=True)))

    copied = cli.runner.invoke(
        main, ["store", "copy", str(cli.store), target.url, "--json"], catch_exceptions=False
    )
    assert copied.exit_code == 0, copied.output
    assert "the copy verifies" not in copied.stdout  # --json: the result only
    result = json.loads(copied.stdout)
    assert result["head_sha256"] == source["head_sha256"] and result["files"] == 1

    moved = Cli(target)
    after = moved.json("verify", user="bob")
    assert after["ok"] and after["head_sha256"] == source["head_sha256"]
    assert (after["events"], after["records"], after["files"]) == (
        source["events"], source["records"], source["files"],
    )  # fmt: skip
    assert moved.json("cases", "show", "M-1") == cli.json("cases", "show", "M-1")
    assert [e["id"] for e in moved.json("cases", "show", "M-1")["evidence"]] == [added["id"]]
    # The copy is a working case file: the next answer extends the same chain.
    assert moved("answer", "M-1", "pep", "pep").exit_code == 0
    assert moved.json("verify", user="bob")["ok"]

    # Copying into a database that holds a case file is refused and changes nothing there.
    count = query(target, "SELECT count(*) FROM audit_events")
    again = cli.runner.invoke(main, ["store", "copy", str(cli.store), target.url])
    assert again.exit_code == 1
    assert "already holds a case file; copy into an empty one" in again.stderr
    assert query(target, "SELECT count(*) FROM audit_events") == count
