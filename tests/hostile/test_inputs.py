"""Hostile inputs that used to end in a traceback or a hang (issue 11, "Tracebacks and hangs").

Each input goes through the real program in a child process under a timeout (the harness), on a
fresh copy of the seeded store, and must be refused with its message, no traceback, and the store
unchanged. The classes: arguments that are not UTF-8, date-times and numbers at the edge of what
Python can hold, nesting and short rows, files that are not regular files (FIFOs, devices) or are
too large, list entries with huge names, and a checklist with many unknown keys.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest

from duediligence.cli import main
from duediligence.cli.params import TEXT
from tests.hostile.harness import RECENT, Hostile

BAD = b"\xff\xfe"
"""Bytes that are not UTF-8 (undecodable in any position)."""


def bad(prefix: str = "M-") -> bytes:
    return prefix.encode() + BAD


def person(entry_id: str, name: str) -> str:
    return json.dumps({"id": entry_id, "schema": "Person", "properties": {"name": [name]}})


def ftm_file(folder: Path, *lines: str, name: str = "list.ftm.json") -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fifo(folder: Path, name: str = "pipe") -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


# ----------------------------------------------------------------------------------------------
# Arguments that are not UTF-8

NEW_CASE = (
    "--kind", "solicitor", "--matter-type", "residential_purchase",
    "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
)  # fmt: skip

FUNDS_ADD = ("--amount", "GBP 1", "--received-on", "2026-01-01", "--remitter")
"""`funds add`'s required options, the remitter's value last (given by each case)."""

UNDECODABLE: list[tuple[tuple[str | bytes, ...], str, str]] = [
    # (arguments, the command's path, the argument the message names)
    (
        (
            "init",
            "--store",
            "{home}/new.sqlite3",
            "--firm",
            bad("F"),
            "--supervisor",
            "sra",
            "--fwra-version",
            "1",
            "--fwra-date",
            RECENT,
            "--user",
            "bob",
            "--name",
            "Bob",
            "--role",
            "senior_manager",
            "--trained-on",
            RECENT,
        ),
        "init",
        "--firm",
    ),
    (("users", "add", bad("u"), "--name", "U", "--role", "fee_earner"), "users add", "USER_ID"),
    (("users", "add", "u", "--name", bad("U"), "--role", "fee_earner"), "users add", "--name"),
    (("users", "train", bad("u"), "--on", RECENT), "users train", "USER_ID"),
    (("users", "bind", "alice", "--os-user", bad("x")), "users bind", "--os-user"),
    (("users", "list", "--as", bad("alice")), "users list", "--as"),
    (("migrate", "--as", bad("alice")), "migrate", "--as"),
    (
        ("users", "add", "u", "--name", "U", "--role", "fee_earner", "--db-role", bad("r")),
        "users add",
        "--db-role",
    ),
    (("cases", "new", bad(), *NEW_CASE), "cases new", "REFERENCE"),
    (
        ("cases", "new", "M-2", *NEW_CASE[:2], "--matter-type", bad("r"), *NEW_CASE[4:]),
        "cases new",
        "--matter-type",
    ),
    (("cases", "close", bad()), "cases close", "REFERENCE"),
    (("cases", "list", "--as", bad()), "cases list", "--as"),
    (("cases", "show", bad()), "cases show", "REFERENCE"),
    (("cases", "start", bad(), "pep-edd"), "cases start", "REFERENCE"),
    (("cases", "start", "M-1", bad("pep")), "cases start", "CHECKLIST_ID"),
    (("cases", "start", "M-1", "pep-edd", "--party", bad("p")), "cases start", "--party"),
    (("cases", "export", bad()), "cases export", "REFERENCE"),
    (("parties", "add", bad(), "--role", "client", "--name", "X"), "parties add", "REFERENCE"),
    (("parties", "add", "M-1", "--role", "client", "--name", bad("X")), "parties add", "--name"),
    (
        ("parties", "add", "M-1", "--role", "client", "--name", "X", "--other-name", bad("Y")),
        "parties add",
        "--other-name",
    ),
    (
        ("parties", "add", "M-1", "--role", "client", "--name", "X", "--nationality", bad("G")),
        "parties add",
        "--nationality",
    ),
    (
        ("parties", "add", "M-1", "--role", "client", "--name", "X", "--address", bad("1 ")),
        "parties add",
        "--address",
    ),
    (
        (
            "parties",
            "add",
            "M-1",
            "--role",
            "client",
            "--kind",
            "entity",
            "--name",
            "X",
            "--registration",
            bad("0"),
        ),
        "parties add",
        "--registration",
    ),
    (("answer", bad(), "ident.full_name", "Ivan"), "answer", "REFERENCE"),
    (("answer", "M-1", bad("ident."), "Ivan"), "answer", "QUESTION"),
    (("answer", "M-1", "ident.full_name", bad("Ivan")), "answer", "VALUE"),
    (("answer", "M-1", "ident.full_name", "Ivan", "--run", bad("r")), "answer", "--run"),
    (("events", "add", bad(), "instructed"), "events add", "REFERENCE"),
    (
        ("evidence", "add", bad(), "{home}/scan.pdf", "--type", "passport"),
        "evidence add",
        "REFERENCE",
    ),
    (
        ("evidence", "add", "M-1", "{home}/scan.pdf", "--type", bad("pass")),
        "evidence add",
        "--type",
    ),
    (
        ("evidence", "add", "M-1", "{home}/scan.pdf", "--type", "passport", "--question", bad("q")),
        "evidence add",
        "--question",
    ),
    (
        ("evidence", "add", "M-1", "{home}/scan.pdf", "--type", "passport", "--run", bad("r")),
        "evidence add",
        "--run",
    ),
    (
        ("evidence", "add", "M-1", "{home}/scan.pdf", "--type", "passport", "--party", bad("p")),
        "evidence add",
        "--party",
    ),
    (
        ("evidence", "add", "M-1", "{home}/scan.pdf", "--type", "passport", "--issuer", bad("H")),
        "evidence add",
        "--issuer",
    ),
    (
        ("evidence", "add", "M-1", "{home}/scan.pdf", "--type", "passport", "--method", bad("m")),
        "evidence add",
        "--method",
    ),
    (
        ("evidence", "add", "M-1", "{home}/scan.pdf", "--type", "passport", "--note", bad("n")),
        "evidence add",
        "--note",
    ),
    (("approve", bad(), "--role", "mlro"), "approve", "REFERENCE"),
    (("approve", "M-1", "--role", "mlro", "--conditions", bad("c")), "approve", "--conditions"),
    (("request-approvals", bad()), "request-approvals", "REFERENCE"),
    (("request-approvals", "M-1", "--note", bad("n")), "request-approvals", "--note"),
    (("override", bad(), "--rating", "high", "--rationale", "r"), "override", "REFERENCE"),
    (
        ("override", "M-1", "--rating", "high", "--rationale", bad("r")),
        "override",
        "--rationale",
    ),
    (("verify", bad()), "verify", "REFERENCE"),
    (
        ("firm", "fwra", bad("2026."), "--date", RECENT, "--approver", "bob"),
        "firm fwra",
        "VERSION",
    ),
    (
        ("firm", "fwra", "2027.1", "--date", RECENT, "--approver", bad("bob")),
        "firm fwra",
        "--approver",
    ),
    (("mlro", "add", bad(), "a note"), "mlro add", "REFERENCE"),
    (("mlro", "add", "M-1", bad("a note")), "mlro add", "TEXT"),
    (("mlro", "list", bad()), "mlro list", "REFERENCE"),
    (("mlro", "referrals", bad()), "mlro referrals", "REFERENCE"),
    (
        ("mlro", "close", bad(), "r012345678", "--outcome", "proceed", "--reason", "x"),
        "mlro close",
        "REFERENCE",
    ),
    (
        ("mlro", "close", "M-1", bad(), "--outcome", "proceed", "--reason", "x"),
        "mlro close",
        "KEY",
    ),
    (
        ("mlro", "close", "M-1", "r012345678", "--outcome", "proceed", "--reason", bad("x")),
        "mlro close",
        "--reason",
    ),
    (("reviews", "due", "--as", bad()), "reviews due", "--as"),
    (("keys", "init", "--as", bad()), "keys init", "--as"),
    (("checkpoint", "--as", bad()), "checkpoint", "--as"),
    (("retention", "due", "--as", bad()), "retention due", "--as"),
    (("retention", "purge", bad()), "retention purge", "REFERENCE"),
    (("retention", "hold", bad(), "--ground", "court_proceedings"), "retention hold", "REFERENCE"),
    (
        ("retention", "hold", "M-1", "--ground", "court_proceedings", "--note", bad("n")),
        "retention hold",
        "--note",
    ),
    (("retention", "release", bad()), "retention release", "REFERENCE"),
    (("retention", "log", "--as", bad()), "retention log", "--as"),
    (("render", bad(), "-o", "{home}/out.pdf"), "render", "REFERENCE"),
    (("lists", "--as", bad()), "lists", "--as"),
    (("lists", "rescreen", "--as", bad()), "lists rescreen", "--as"),
    (("maintenance", "clean", "--as", bad()), "maintenance clean", "--as"),
    (
        ("lists", "import", "{home}/list.ftm.json", "--format", "ftm-json", "--as", bad()),
        "lists import",
        "--as",
    ),
    (("screening", "run", bad()), "screening run", "REFERENCE"),
    (("screening", "hits", bad()), "screening hits", "REFERENCE"),
    (
        (
            "screening",
            "dispose",
            bad(),
            "h",
            "--false-positive",
            "--reason",
            "FP_OTHER",
            "--note",
            "n",
        ),
        "screening dispose",
        "REFERENCE",
    ),
    (
        (
            "screening",
            "dispose",
            "M-1",
            bad("h"),
            "--false-positive",
            "--reason",
            "FP_OTHER",
            "--note",
            "n",
        ),
        "screening dispose",
        "HIT",
    ),
    (
        (
            "screening",
            "dispose",
            "M-1",
            "h",
            "--false-positive",
            "--reason",
            "FP_OTHER",
            "--note",
            bad("n"),
        ),
        "screening dispose",
        "--note",
    ),
    (("screen", bad("Ivan")), "screen", "NAME"),
    (("screen", "Ivan", "--dob", bad("1970")), "screen", "--dob"),
    (("screen", "Ivan", "--nationality", bad("G")), "screen", "--nationality"),
    (("screen", "Ivan", "--gender", bad("m")), "screen", "--gender"),
    (("match", bad("Ivan"), "Ivan"), "match", "NAMES"),
    (("checklists", "show", bad("cdd")), "checklists show", "CHECKLIST_ID"),
    (("sign-off", bad("M-1")), "sign-off", "REFERENCE"),
    (("sales", "link", "M-1", "--property", bad("7 Brookside Close")), "sales link", "--property"),
    (("sales", "buyer", "M-1", bad("B-1")), "sales buyer", "BUYER"),
    (("sales", "proceed", bad("B-1")), "sales proceed", "BUYER"),
    (("sales", "show", bad("M-1")), "sales show", "REFERENCE"),
    (("sales", "list", "--as", bad()), "sales list", "--as"),
    (("funds", "add", "M-1", *FUNDS_ADD[:5], bad("J")), "funds add", "--remitter"),
    (
        ("funds", "add", "M-1", "--amount", bad("1 GBP"), *FUNDS_ADD[2:], "J"),
        "funds add",
        "--amount",
    ),
    (("funds", "list", bad()), "funds list", "REFERENCE"),
    (("funds", "import", bad(), "{home}/scan.pdf"), "funds import", "REFERENCE"),
    (("funds", "allocate", "M-1", bad("r"), "1"), "funds allocate", "RECEIPT"),
    (("funds", "explain", "M-1", "r", "--note", bad("n")), "funds explain", "--note"),
    (("funds", "accept", "M-1", "r", "--note", bad("n")), "funds accept", "--note"),
    (("funds", "return", "M-1", bad("r"), "--note", "n"), "funds return", "RECEIPT"),
]


def _expand(args: tuple[str | bytes, ...], home: Path) -> tuple[str | bytes, ...]:
    return tuple(a.replace("{home}", str(home)) if isinstance(a, str) else a for a in args)


def test_every_text_argument_that_is_not_utf8_is_refused_naming_it(hostile: Hostile) -> None:
    (hostile.home / "scan.pdf").write_bytes(b"%PDF-1.4 a scan")
    ftm_file(hostile.home, person("e1", "Ivan Petrov"))
    for args, _, named in UNDECODABLE:
        run = hostile.refused(
            *_expand(args, hostile.home), message=f"{named} is not valid UTF-8 text", code=2
        )
        assert "\\xff\\xfe" in run.err, run.err  # the bytes shown, escaped
    assert not (hostile.home / "new.sqlite3").exists()


def _text_commands(command: click.Command, path: str = "") -> set[str]:
    found = {path} if path and any(p.type is TEXT for p in command.params) else set()
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found |= _text_commands(sub, f"{path} {name}".strip())
    return found


def test_the_corpus_covers_every_command_that_takes_text() -> None:
    # A new command with a text argument must join the loop above.
    covered = {command for _, command, _ in UNDECODABLE}
    assert _text_commands(main) - covered == set()


def test_a_file_name_that_is_not_utf8_still_reaches_the_file(hostile: Hostile) -> None:
    # File names keep their bytes: the list is read (and refused for what is in it).
    path = Path(os.fsdecode(bytes(hostile.home) + b"/list" + BAD + b".json"))
    path.write_text("not json\n", encoding="utf-8")
    hostile.refused(
        "lists", "import", os.fsencode(path), "--format", "ftm-json", user="mary", message="line 1"
    )


def test_a_user_from_the_environment_that_is_not_utf8_is_refused(hostile: Hostile) -> None:
    env_user = os.fsdecode(b"alice" + BAD)
    hostile.refused(
        "answer", "M-1", "ident.full_name", "Ivan", user=env_user,
        message="setting 'user': Value error, is not valid UTF-8 text",
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------
# Date-times and numbers at the edge


def test_a_moment_with_no_utc_time_is_refused(hostile: Hostile) -> None:
    hostile.refused(
        "events", "add", "M-1", "instructed", "--at", "0001-01-01T00:00+14:00",
        message="'0001-01-01T00:00+14:00' is outside the dates that can be recorded", code=2,
    )  # fmt: skip
    scan = hostile.home / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 another scan")
    hostile.refused(
        "evidence", "add", "M-1", str(scan), "--type", "passport",
        "--received-at", "9999-12-31T23:59-12:00",
        message="'9999-12-31T23:59-12:00' is outside the dates that can be recorded", code=2,
    )  # fmt: skip


@pytest.fixture
def company(hostile: Hostile) -> Hostile:
    """The seeded store with a company matter M-2, whose beneficial-ownership checklist asks
    a percentage in a repeating section (layer.percent#N)."""
    run = hostile.run("cases", "new", "M-2", *NEW_CASE[:4], "--client-type", "company_uk",
                      *NEW_CASE[6:])  # fmt: skip
    assert run.code == 0, run.output
    return hostile


def test_a_percentage_is_a_decimal_of_bounded_precision(company: Hostile) -> None:
    company.refused(
        "answer", "M-2", "layer.percent#1", "1e-99999",
        message="layer.percent: '1E-99999' has more than 4 decimal places",
    )  # fmt: skip
    company.refused(
        "answer", "M-2", "layer.percent#1", "1e99999", message="is not between 0 and 100"
    )
    company.refused("answer", "M-2", "layer.percent#1", "9" * 5000, message="is not a percentage")
    assert company.run("answer", "M-2", "layer.percent#1", "12.5").code == 0


def test_an_entry_number_of_thousands_of_digits_is_refused(company: Hostile) -> None:
    company.refused(
        "answer", "M-2", "layer.percent#" + "9" * 5000, "5",
        message="answer 'layer.percent#N' with N from 1 to 30",
    )  # fmt: skip
    company.refused(
        "answer", "M-2", "layer.percent#\N{SUPERSCRIPT TWO}", "5",
        message="answer 'layer.percent#N' with N from 1 to 30",
    )  # fmt: skip


def test_an_integer_of_thousands_of_digits_in_a_list_is_refused(hostile: Hostile) -> None:
    record = person("e1", "Ivan Petrov")[:-1] + ', "rank": ' + "9" * 5000 + "}"
    path = ftm_file(hostile.home, record)
    hostile.refused(
        "lists", "import", str(path), "--format", "ftm-json",
        user="mary", message="list.ftm.json, line 1, field 'JSON': Exceeds the limit",
    )  # fmt: skip


def test_json_nested_100000_deep_is_refused(hostile: Hostile) -> None:
    path = ftm_file(hostile.home, "[" * 100_000 + "]" * 100_000)
    hostile.refused(
        "lists", "import", str(path), "--format", "ftm-json",
        user="mary", message="list.ftm.json, line 1, field 'JSON': nested too deeply; nothing was imported",
    )  # fmt: skip
    hostile.refused("screen", "Ivan", "--list", f"ftm-json:{path}", message="nested too deeply")


def test_a_short_row_in_pairs_is_refused(hostile: Hostile) -> None:
    pairs = hostile.home / "pairs.csv"
    pairs.write_text("schema,name1,name2\nPerson,Ivan Petrov,Ivan Petrow\nPerson\n", "utf-8")
    hostile.refused(
        "match", "--pairs", str(pairs), "--output", str(hostile.home / "out.csv"),
        message="pairs.csv, line 3: 3 columns expected as in the header",
    )  # fmt: skip
    long_row = hostile.home / "long.csv"
    long_row.write_text("schema,name1,name2\nPerson,A,B,C\n", "utf-8")
    hostile.refused(
        "match", "--pairs", str(long_row), "--output", str(hostile.home / "out.csv"),
        message="long.csv, line 2: 3 columns expected",
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------
# Files that are not regular files, or too large


def test_a_fifo_or_a_device_as_a_list_file_is_refused(hostile: Hostile) -> None:
    pipe = fifo(hostile.home)
    for source in (pipe, Path("/dev/zero")):
        hostile.refused(
            "lists", "import", str(source), "--format", "uksl-csv",
            user="mary", message="is not a regular file",
        )  # fmt: skip
        hostile.refused(
            "screen", "Ivan", "--list", f"pep-csv:{source}", message="is not a regular file"
        )


def test_a_fifo_inside_the_ofac_folder_is_refused(hostile: Hostile) -> None:
    folder = hostile.home / "ofac"
    folder.mkdir()
    fifo(folder, "sdn.csv")
    hostile.refused(
        "lists",
        "import",
        str(folder),
        "--format",
        "ofac-csv",
        user="mary",
        message="is not a regular file",
    )
    (folder / "sdn.csv").unlink()
    (folder / "sdn.csv").write_text('1,"PETROV, Ivan","individual",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n', "utf-8")  # fmt: skip
    fifo(folder, "alt.csv")
    hostile.refused(
        "lists", "import", str(folder), "--format", "ofac-csv",
        user="mary", message="alt.csv is not a regular file",
    )  # fmt: skip


def test_a_list_file_over_the_size_setting_is_refused(hostile: Hostile) -> None:
    (hostile.home / "no-config.toml").write_text("list_max_mb = 1\n", encoding="utf-8")
    lines = [person(f"e{n}", f"Person Number {n}") for n in range(20_000)]
    path = ftm_file(hostile.home, *lines)
    assert path.stat().st_size > 1024 * 1024
    hostile.refused(
        "lists", "import", str(path), "--format", "ftm-json",
        user="mary", message=f"is {path.stat().st_size:,} bytes, more than the 1,048,576 allowed",
    )  # fmt: skip


def test_a_fifo_as_a_batch_or_pairs_file_is_refused(hostile: Hostile) -> None:
    pipe = fifo(hostile.home)
    names = ftm_file(hostile.home, person("e1", "Ivan Petrov"))
    out = str(hostile.home / "out.csv")
    for source in (pipe, Path("/dev/zero")):
        hostile.refused(
            "screen", "--batch", str(source), "--output", out, "--list", f"ftm-json:{names}",
            message="is not a regular file",
        )  # fmt: skip
        hostile.refused(
            "match", "--pairs", str(source), "--output", out, message="is not a regular file"
        )


def test_a_fifo_or_a_device_as_the_pdf_to_verify_is_refused(hostile: Hostile) -> None:
    pipe = fifo(hostile.home)
    for source in (pipe, Path("/dev/zero")):
        hostile.refused("verify-pdf", str(source), message="is not a regular file")


def test_a_fifo_or_a_device_as_evidence_is_refused(hostile: Hostile) -> None:
    pipe = fifo(hostile.home)
    for source in (pipe, Path("/dev/zero")):
        hostile.refused(
            "evidence", "add", "M-1", str(source), "--type", "passport",
            message="is not a regular file",
        )  # fmt: skip


def test_a_fifo_or_a_device_as_the_settings_file_is_refused(hostile: Hostile) -> None:
    fifo(hostile.home, "no-config.toml")  # the harness points DUEDILIGENCE_CONFIG here
    hostile.refused("cases", "list", message="is not a regular file")
    hostile.refused("screen", "Ivan", message="is not a regular file")
    (hostile.home / "no-config.toml").unlink()
    (hostile.home / "no-config.toml").symlink_to("/dev/zero")
    hostile.refused("cases", "list", message="is not a regular file")


def test_a_settings_file_nested_deeply_is_refused(hostile: Hostile) -> None:
    (hostile.home / "no-config.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000)
    hostile.refused("cases", "list", message="cannot read the settings file")


# ----------------------------------------------------------------------------------------------
# List entries that would slow every later screening


def test_a_huge_name_in_a_list_is_refused_naming_the_file_and_entry(hostile: Hostile) -> None:
    path = ftm_file(hostile.home, person("e1", "Ivan Petrov"), person("e2", "A" * 200_000))
    run = hostile.refused(
        "lists", "import", str(path), "--format", "ftm-json",
        user="mary", message="list.ftm.json, entry 2 (id 'e2'), field 'name': a name of 200,000 characters, "
        "more than the 1,000 allowed; nothing was imported",
    )  # fmt: skip
    assert "AAAAAAAAAA" not in run.output  # the name itself is not printed
    listed = hostile.run("lists", "--json")
    assert json.loads(listed.out)["snapshots"] == []


def test_a_huge_field_in_a_list_is_refused(hostile: Hostile) -> None:
    record = json.dumps(
        {"id": "e1", "schema": "Person",
         "properties": {"name": ["Ivan Petrov"], "position": ["x" * 10_000]}}
    )  # fmt: skip
    hostile.refused(
        "lists", "import", str(ftm_file(hostile.home, record)), "--format", "ftm-json",
        user="mary", message="entry 1 (id 'e1'), field 'programme': 10,000 characters, more than the 4,000",
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------
# Lint with many unknown keys (its speed is measured by benchmarks/lint_unknown_keys.py)


def test_lint_reports_every_unknown_key_on_its_own_line(hostile: Hostile) -> None:
    from benchmarks.lint_unknown_keys import checklist_with_unknown_keys

    path = hostile.home / "many.toml"
    path.write_text(checklist_with_unknown_keys(2_000), encoding="utf-8")
    run = hostile.run("checklists", "lint", str(path), "--json")
    assert run.code == 1, run.output
    problems = json.loads(run.out)
    assert len(problems) == 4_000
    lines = {p["field"]: p["line"] for p in problems}
    # Five header lines, then one unknown key a line; the question's keys come after its table.
    assert lines["unknown_top_0"] == 6
    assert lines["unknown_top_1999"] == 2005
    assert lines["unknown_inner_0"] == 2017
    assert lines["unknown_inner_1999"] == 4016
