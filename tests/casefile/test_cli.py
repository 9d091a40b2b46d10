"""The case-file commands through click's CliRunner, with --store on tmp_path."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.cli import main
from tests.casefile.conftest import Cli
from tests.conftest import query, store_argument


def test_a_case_from_init_to_verify(cli: Cli, tmp_path: Path) -> None:
    assert cli("parties", "add", "M-1", "--role", "client", "--name", "Иван Петров", "--nationality", "UA").exit_code == 0  # fmt: skip
    first = cli.json("answer", "M-1", "pep", "pep")
    assert first["number"] == 1
    assert cli("answer", "M-1", "value", "£300,000").exit_code == 0
    passport = tmp_path / "passport.pdf"
    passport.write_bytes(b"%PDF scan")
    added = cli.json("evidence", "add", "M-1", str(passport), "--type", "passport", "--question", "id_document", "--party", "p1")  # fmt: skip
    assert added["original_name"] == "passport.pdf"
    assert (
        cli("events", "add", "M-1", "instructed", "--at", "2026-02-01T10:00+00:00").exit_code == 0
    )
    approved = cli.json("approve", "M-1", "--role", "senior_manager", user="bob")
    show = cli.json("cases", "show", "M-1")
    assert show["state_sha256"] == approved["state_sha256"]
    assert show["approvals"][0]["superseded"] is False
    assert [n["satisfied"] for n in show["evaluation"]["approvals_needed"]] == [True]
    assert {a["question"]: a["value"] for a in show["answers"]}["pep"] == "pep"
    report = cli.json("verify")
    assert report["ok"] is True and report["files"] == 1 and report["approvals"] == 1
    assert cli("verify", "M-1").exit_code == 0
    listed = cli.json("cases", "list")
    assert [c["reference"] for c in listed] == ["M-1"]
    people = cli.json("users", "list")
    assert [p["id"] for p in people] == ["alice", "bob"]


def test_export_as_json_and_toml(cli: Cli, tmp_path: Path) -> None:
    cli("answer", "M-1", "pep", "no")
    cli("answer", "M-1", "pep", "pep")
    out = tmp_path / "m1.toml"
    assert cli("cases", "export", "M-1", "--format", "toml", "--output", str(out)).exit_code == 0
    exported = tomllib.loads(out.read_text(encoding="utf-8"))
    assert exported["case"]["reference"] == "M-1"
    assert [v["number"] for v in exported["answer_versions"]] == [1, 2]
    as_json = json.loads(cli("cases", "export", "M-1").stdout)
    assert as_json["firm"]["name"] == "Smith & Co"
    assert len(as_json["audit_events"]) == 1 + 2 + 2  # case.open, two checklists, two answers


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("answer", "NOPE", "pep", "no"), 1, "no case 'NOPE'"),
        (("answer", "M-1", "colour", "blue"), 1, "has no question 'colour'"),
        (("answer", "M-1", "id_checked_on", "2026-02-30"), 1, "id_checked_on"),
        (("answer", "M-1", "pep", "maybe"), 1, "'maybe'"),
        (("answer", "M-1", "value", "300000"), 1, "currency"),
        (("events", "add", "M-1", "instructed", "--at", "31/01/2026"), 2, "is not a date and time"),
        (("events", "add", "M-1", "signed"), 2, "Invalid value"),
        (
            (
                "cases",
                "new",
                "M-2",
                "--kind",
                "solicitor",
                "--matter-type",
                "houses",
                "--client-type",
                "individual",
                "--responsible",
                "alice",
            ),
            1,
            "unknown matter type",
        ),
        (
            ("approve", "M-1", "--role", "senior_manager"),
            1,
            "alice cannot approve as senior manager",
        ),
        (("approve", "M-1", "--role", "pope"), 2, "Invalid value"),
        (("answer", "M-1", "pep", "no", "--colour", "red"), 2, "No such option"),
    ],
)
def test_mistakes_give_a_message_a_non_zero_exit_and_write_nothing(
    cli: Cli, args: tuple[str, ...], code: int, message: str
) -> None:
    before = cli.audit_count()
    result = cli(*args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert cli.audit_count() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.pdf", None, "no such file"),
        ("empty.pdf", b"", "is empty"),
        ("folder", "dir", "is a directory"),
    ],
)
def test_bad_evidence_files(
    cli: Cli, tmp_path: Path, name: str, content: object, message: str
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    before = cli.audit_count()
    result = cli("evidence", "add", "M-1", str(path), "--type", "passport")
    assert result.exit_code == 1 and message in result.output
    assert cli.audit_count() == before


@pytest.mark.parametrize(
    "args",
    [
        ("evidence", "add", "M-1", "/tmp/" + "a" * 300, "--type", "passport"),
        ("lists", "import", "/tmp/" + "a" * 300, "--format", "uksl-csv"),
        ("lists", "import", "/tmp/" + "a" * 300, "--format", "ofac-csv"),
        ("cases", "export", "M-1", "--output", "/tmp/" + "a" * 300),
        ("render", "M-1", "--quiet", "-o", "/tmp/" + "a" * 300 + ".pdf"),
    ],
)
def test_a_path_too_long_is_a_message_not_a_traceback(cli: Cli, args: tuple[str, ...]) -> None:
    before = cli.audit_count()
    # Lists are imported by a senior manager (bob); the rest is the fee earner's work.
    result = cli(*args, user="bob" if args[0] == "lists" else "alice")
    assert result.exit_code == 1
    assert "too long" in result.output or "File name too long" in result.output
    assert cli.audit_count() == before


def test_a_store_path_too_long_is_a_message_not_a_traceback() -> None:
    too_long = Cli(Path("/tmp/" + "a" * 300))
    listed = too_long("cases", "list")
    assert listed.exit_code == 1 and "there is no case file at" in listed.output
    made = too_long(
        "init", "--firm", "X", "--supervisor", "sra", "--fwra-version", "1", "--fwra-date",
        "2026-01-01", "--user", "zed", "--name", "Zed", "--role", "mlro", user=None,
    )  # fmt: skip
    assert (
        made.exit_code == 1 and "cannot be used as a case file: File name too long" in made.output
    )


def test_stale_answer_exits_3(cli: Cli) -> None:
    seen = cli.json("answer", "M-1", "pep", "no")
    cli("answer", "M-1", "pep", "pep", user="bob")
    result = cli("answer", "M-1", "pep", "no", "--previous", seen["id"])
    assert result.exit_code == 3 and "since you read it" in result.output
    assert cli("answer", "M-1", "pep", "no", "--first").exit_code == 3


def test_errors_in_json_mode_are_json(cli: Cli) -> None:
    result = cli("answer", "NOPE", "pep", "no", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "no case 'NOPE'", "kind": "NotFound"}


def test_verify_reports_tampering_and_exits_1(cli: Cli) -> None:
    cli("answer", "M-1", "pep", "no")
    query(cli.location, """UPDATE answers SET value = '{"t":"str","v":"pep"}'""")
    result = cli("verify")
    assert result.exit_code == 1
    assert (
        "question pep, version 1" in result.output
        and "differs from what audit event" in result.output
    )


def test_no_store_yet_says_run_init(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "none.sqlite3")
    result = cli("cases", "list")
    assert result.exit_code == 1 and "run `duediligence init` first" in result.output
    assert not cli.store.exists()


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("shopping list\n" * 100)
    result = Cli(bogus)("cases", "list")
    assert result.exit_code == 1 and "is not a case-file store" in result.output


# The file's and its folders' modes: a database has no file (its server guards it).
@pytest.mark.parametrize("engine", ["sqlite"])
def test_store_and_evidence_are_private(cli: Cli, tmp_path: Path) -> None:
    import stat

    assert stat.S_IMODE(cli.store.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.store.parent.stat().st_mode) == 0o700
    evidence_dir = cli.store.with_name(cli.store.name + ".evidence")
    assert stat.S_IMODE(evidence_dir.stat().st_mode) == 0o700


def test_init_twice_is_refused(cli: Cli) -> None:
    result = cli(
        "init", "--firm", "X", "--supervisor", "hmrc", "--fwra-version", "1", "--fwra-date",
        "2026-01-01", "--user", "zed", "--name", "Zed", "--role", "mlro", user=None,
    )  # fmt: skip
    assert result.exit_code == 1 and "already initialised" in result.output


def test_train_and_close(cli: Cli) -> None:
    assert cli("users", "train", "alice", "--on", "2026-01-20", user="bob").exit_code == 0
    assert cli("cases", "close", "M-1").exit_code == 0
    assert cli.json("cases", "list")[0]["status"] == "closed"
    assert cli("verify").exit_code == 0
    bad = cli("users", "train", "alice", "--on", "20/01/2026", user="bob")
    assert bad.exit_code == 2 and "is not a date" in bad.output


def test_evidence_with_non_utf8_and_newline_names(cli: Cli, tmp_path: Path) -> None:
    import os

    folder = tmp_path / "odd"
    folder.mkdir()
    for raw in (b"caf\xe9.pdf", b"two\nlines.pdf"):
        path = Path(os.fsdecode(folder)) / os.fsdecode(raw)
        path.write_bytes(raw)
        added = cli.json("evidence", "add", "M-1", str(path), "--type", "passport")
        assert "\n" not in added["original_name"]
        assert added["original_name"].endswith(".pdf")
    assert cli("verify").exit_code == 0


def test_store_and_user_come_from_settings(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUEDILIGENCE_STORE", store_argument(cli.location))
    monkeypatch.setenv("DUEDILIGENCE_USER", "alice")
    result = CliRunner().invoke(main, ["cases", "list", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [c["reference"] for c in json.loads(result.stdout)] == ["M-1"]
    # --as still wins over the setting.
    refused = CliRunner().invoke(main, ["mlro", "list", "M-1", "--as", "bob"])
    assert refused.exit_code == 1 and "bob cannot use the MLRO" in refused.stderr


def test_bad_settings_are_a_clear_message(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("review_months = { high = 0 }\n", encoding="utf-8")
    monkeypatch.setenv("DUEDILIGENCE_CONFIG", str(config))
    result = cli("cases", "list")
    assert result.exit_code == 1
    assert "setting 'review_months.high'" in result.stderr
    assert "Traceback" not in result.output


def test_the_store_given_before_the_command_is_the_one_used(cli: Cli, tmp_path: Path) -> None:
    # `duediligence --store X cases list` must not silently read the default store instead.
    result = cli.runner.invoke(
        main, ["--store", store_argument(cli.location), "users", "list"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "bob" in result.output
    elsewhere = tmp_path / "nowhere.sqlite3"
    result = cli.runner.invoke(
        main, ["--store", str(elsewhere), "users", "list"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert f"no case file at {elsewhere}" in result.output


def test_an_answer_to_a_hidden_question_is_stored_and_the_user_told(cli: Cli) -> None:
    added = cli("parties", "add", "M-1", "--role", "payer", "--kind", "individual", "--name", "Ann Donor")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert cli("answer", "M-1", "tranche.source#1", "savings").exit_code == 0
    hidden = cli("answer", "M-1", "tranche.donor#1", "p1")
    assert hidden.exit_code == 0, hidden.output
    assert "tranche.donor#1 is not asked on M-1" in hidden.stderr
    assert cli("answer", "M-1", "tranche.source#1", "gift").exit_code == 0
    shown = cli.json("answer", "M-1", "tranche.donor#1", "p1")
    assert shown["shown"] is True and shown["number"] == 2


def test_an_answer_starts_the_checklist_it_makes_necessary_as_in_the_tui(cli: Cli) -> None:
    # The TUI's answer started a gift donor's checklist at once; the same answer on the command
    # line left it to a separate command, so the two ways of answering gave different files.
    assert cli("parties", "add", "M-1", "--role", "payer", "--name", "Wang Xiaoming").exit_code == 0
    cli.json("answer", "M-1", "tranche.source#1", "gift")
    given = cli.json("answer", "M-1", "tranche.donor#1", "p1")
    assert given["number"] == 1 and given["question_key"] == "tranche.donor#1"
    show = cli.json("cases", "show", "M-1")
    assert "other@p1" in [c["key"] for c in show["checklists"]], show["checklists"]
