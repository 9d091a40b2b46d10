"""Screening lists cannot be swapped for a short one (issue 13, finding 11).

Any role could import a list, and an empty or truncated file (0 names, or half of OFAC's
`sdn.csv`) replaced the list in use and silently cleared the matter's sanctions hits. Importing
needs the MLRO or a senior manager; a much shorter snapshot needs a reason; a hit whose entry a
shorter list lost stays open, marked, until a person decides it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from duediligence.domain.case import InvalidInput, NotAllowed, Person
from duediligence.domain.vocabulary import Fact, Role
from tests.casefile.test_controls import rows
from tests.screening import test_casefile_screening as base
from tests.screening.test_casefile_screening import (
    ALICE,
    BOB,
    OTHER,
    Cli,
    World,
    tokayev,
    write_uksl,
)

# The screening tests' case file, lists and command line, shared rather than copied.
world = base.world
cli = base.cli
library = base.library

REASON = "OFSI delisted the Test regime's entries on 1 March; checked against the notice"


def others(count: int) -> list[dict[str, str]]:
    """Designated people other than the client."""
    return [
        OTHER | {"Unique ID": f"TST1{n:03}", "Name 6": f"KOVAL{chr(65 + n % 26)}{n}"}
        for n in range(count)
    ]


def test_a_fee_earner_cannot_import_a_list(world: World) -> None:
    path = write_uksl(world.tmp / "uksl.csv", date(2026, 3, 1), [tokayev(), *others(9)])
    before = rows(world.store_path)
    with pytest.raises(NotAllowed, match="alice cannot import a screening list: only the MLRO or a senior manager"):  # fmt: skip
        world.service.import_list(ALICE, path, "uksl-csv")
    assert rows(world.store_path) == before


def test_a_much_shorter_list_needs_a_reason_and_never_clears_a_hit_by_itself(
    world: World,
) -> None:
    full = write_uksl(world.tmp / "v1.csv", date(2026, 3, 1), [tokayev(), *others(19)])
    world.service.import_list(BOB, full, "uksl-csv")
    world.add_party("Kassym-Jomart Tokayev")
    facts, _ = world.evaluation_facts()
    assert facts[Fact.SANCTIONS_SCREENING] == "possible_match"

    # Half the list (a truncated download) and an empty file are refused, naming the shrink.
    half = write_uksl(world.tmp / "v2.csv", date(2026, 3, 2), others(10))
    before = rows(world.store_path)
    with pytest.raises(NotAllowed) as refused:
        world.service.import_list(BOB, half, "uksl-csv")
    assert str(refused.value).startswith(
        "the new uksl-csv list holds 10 entries, 10 (50%) fewer than the 20 of the one in use "
        "(the firm's limit is 10%)"
    )
    assert "--confirm-shrink --reason" in str(refused.value)
    empty = write_uksl(world.tmp / "v0.csv", date(2026, 3, 2), [])
    with pytest.raises((NotAllowed, InvalidInput), match="no entries"):
        world.service.import_list(BOB, empty, "uksl-csv")
    with pytest.raises(InvalidInput, match="needs a reason of at least 20 characters"):
        world.service.import_list(BOB, half, "uksl-csv", confirm_shrink="ok")
    assert rows(world.store_path) == before

    # A drop within the firm's share needs nothing (one entry of twenty is 5%).
    fewer = write_uksl(world.tmp / "v3.csv", date(2026, 3, 2), [tokayev(), *others(18)])
    assert world.service.import_list(BOB, fewer, "uksl-csv").snapshot.shrink_reason is None

    # Confirmed with a reason, the short list is used; the client's hit is carried, marked.
    shorter = write_uksl(world.tmp / "v4.csv", date(2026, 3, 3), others(10))
    result = world.service.import_list(BOB, shorter, "uksl-csv", confirm_shrink=REASON)
    assert result.snapshot.shrink_reason == REASON
    world.service.rescreen_open_cases(BOB)
    [view] = world.service.hits("M-1")
    assert view.hit.key == "uksl-csv:TST0001"
    assert view.hit.no_longer_listed == result.snapshot.label
    assert view.status.value == "possible_match"
    facts, evaluation = world.evaluation_facts()
    assert facts[Fact.SANCTIONS_SCREENING] == "possible_match"
    assert not evaluation.gate(evaluation.gates[0].gate).open
    with world.store.transaction() as tx:
        actions = [e.action for e in tx.audit_events() if e.target == result.snapshot.target()]
    assert actions == ["list.import.shrink"]


def test_list_controls_through_the_command_line(cli: Cli, tmp_path: Path) -> None:
    recent = date.today().isoformat()
    assert cli("users", "add", "alice", "--name", "Alice", "--role", "fee_earner", "--trained-on", recent).exit_code == 0  # fmt: skip
    full = write_uksl(tmp_path / "v1.csv", date.today(), [tokayev(), *others(19)])
    before = rows(cli.location)
    refused = cli("lists", "import", str(full), "--format", "uksl-csv", user="alice")
    assert refused.exit_code == 1
    assert "error: alice cannot import a screening list" in refused.stderr
    assert rows(cli.location) == before
    assert cli("lists", "import", str(full), "--format", "uksl-csv").exit_code == 0
    assert cli("parties", "add", "M-1", "--role", "client", "--name", "Kassym-Jomart Tokayev").exit_code == 0  # fmt: skip

    half = write_uksl(tmp_path / "v2.csv", date.today(), others(10))
    before = rows(cli.location)
    refused = cli("lists", "import", str(half), "--format", "uksl-csv")
    assert refused.exit_code == 1
    assert "error: the new uksl-csv list holds 10 entries, 10 (50%) fewer" in refused.stderr
    bare = cli("lists", "import", str(half), "--format", "uksl-csv", "--confirm-shrink")
    assert bare.exit_code == 1 and "--confirm-shrink needs --reason TEXT" in bare.stderr
    assert rows(cli.location) == before

    done = cli("lists", "import", str(half), "--format", "uksl-csv", "--confirm-shrink", "--reason", REASON)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert f"accepted although much shorter: {REASON}" in done.stdout
    hits = cli.json("screening", "hits", "M-1")["hits"]
    assert [(h["list"], h["status"]) for h in hits] == [("uksl-csv:TST0001", "possible_match")]
    assert hits[0]["no_longer_listed"].startswith("uksl-csv:")
    assert "its entry is not in the list now used" in cli("screening", "hits", "M-1").stdout


def test_only_people_who_may_import_keep_the_lists(world: World) -> None:
    # A senior manager who is not the MLRO may import too (the brief: MLRO or senior manager).
    world.casefile.add_person(
        BOB,
        Person(
            id="sam",
            name="Sam SM",
            roles=(Role.SENIOR_MANAGER,),
            trained_on=date(2026, 1, 1),
            os_users=("tester",),
        ),
    )
    path = write_uksl(world.tmp / "uksl.csv", date(2026, 3, 1), [tokayev(), *others(9)])
    from tests.casefile.conftest import actor

    assert world.service.import_list(actor("sam"), path, "uksl-csv").new
