"""Shared set-up for the TUI benchmarks: a store filled through the real services."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor, PartyKind, PartyRole, Person, Supervisor
from duediligence.domain.vocabulary import ClientType, FirmRole, Role
from duediligence.services.casefile import NewCase, NewParty

ACTOR = Actor(user="bob", os_user="bench")


def fill(store: Path, cases: int) -> None:
    """A firm, one person and `cases` solicitor matters each with a client (skipped if present)."""
    with open_casefile(store) as opened:
        casefile = opened.casefile
        if casefile.firm() is None:
            casefile.init_firm(
                firm_name="Bench LLP",
                supervisor=Supervisor.SRA,
                fwra_version="1",
                fwra_date=date.today(),
                first_user=Person(
                    id="bob",
                    name="Bob Bench",
                    roles=(Role.SENIOR_MANAGER, Role.FEE_EARNER),
                    trained_on=date.today(),
                ),
                os_user="bench",
                fwra_approver="bob",
            )
        have = len(casefile.cases())
        start = time.perf_counter()
        for n in range(have, cases):
            reference = f"M-{n:06d}"
            casefile.open_case(
                ACTOR,
                NewCase(
                    reference=reference,
                    firm_role=FirmRole.SOLICITOR,
                    matter_type="residential_purchase",
                    client_type=ClientType.INDIVIDUAL,
                    responsible="bob",
                    acting_for="buyer",
                ),
            )
            casefile.add_party(
                ACTOR,
                reference,
                NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name=f"Client {n}"),
            )
            if n and n % 1000 == 0:
                print(f"  {n} matters ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
