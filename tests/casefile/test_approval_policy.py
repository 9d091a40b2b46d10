"""Approvals after opening: a person whose AML training has lapsed since cannot approve or sign
off, and self-approval follows firm policy (`allow_self_approval`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import NotAllowed, Person
from duediligence.domain.monitoring import CasePolicy
from duediligence.domain.vocabulary import ClientType, FirmRole, Role
from duediligence.services.casefile import CaseFile, NewCase
from tests.casefile.conftest import BOB, Cli, FixedClock, actor, audit_count

LAPSED = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
CURRENT = date(2026, 2, 1)
"""A training date current on the fixed clock's 2026-03-02."""
"""Bob trained on 2025-11-01; twelve months later his training is out of date."""


def test_training_that_lapsed_after_opening_stops_approval(
    casefile: CaseFile, case_ref: str, store: SqlStore, blobs: BlobDirectory, store_path: Path
) -> None:
    later = CaseFile(store, blobs, casefile.library, FixedClock(LAPSED))
    before = audit_count(store_path)
    with pytest.raises(
        NotAllowed,
        match=r"bob cannot approve M-001: AML training is missing or older than 12 months "
        r"\(last: 2025-11-01\); record current training first",
    ):
        later.approve(BOB, case_ref, Role.SENIOR_MANAGER)
    assert audit_count(store_path) == before
    later.record_training(BOB, "bob", LAPSED.date())
    assert later.approve(BOB, case_ref, Role.SENIOR_MANAGER).approver == "bob"


def test_a_fee_earner_whose_training_lapsed_cannot_sign_off(
    casefile: CaseFile, case_ref: str, store: SqlStore, blobs: BlobDirectory
) -> None:
    casefile.add_person(
        BOB, Person(id="dan", name="Dan", roles=(Role.FEE_EARNER,), trained_on=CURRENT)
    )
    casefile.add_person(
        BOB, Person(id="eve", name="Eve", roles=(Role.FEE_EARNER,), trained_on=None)
    )
    assert casefile.approve(actor("dan"), case_ref, Role.FEE_EARNER).approver == "dan"
    with pytest.raises(NotAllowed, match="eve cannot sign off M-001: AML training"):
        casefile.approve(actor("eve"), case_ref, Role.FEE_EARNER)


def _own_case(casefile: CaseFile) -> str:
    casefile.open_case(
        BOB,
        NewCase(
            reference="B-1",
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="bob",
            acting_for="buyer",
        ),
    )
    return "B-1"


def test_self_approval_is_refused_by_default(casefile: CaseFile, store_path: Path) -> None:
    reference = _own_case(casefile)
    before = audit_count(store_path)
    with pytest.raises(NotAllowed, match="firm policy forbids self-approval"):
        casefile.approve(BOB, reference, Role.SENIOR_MANAGER)
    assert audit_count(store_path) == before


def test_self_approval_is_allowed_when_firm_policy_says_so(
    casefile: CaseFile, store: SqlStore, blobs: BlobDirectory
) -> None:
    reference = _own_case(casefile)
    lenient = CaseFile(
        store, blobs, casefile.library, FixedClock(), CasePolicy(allow_self_approval=True)
    )
    approval = lenient.approve(BOB, reference, Role.SENIOR_MANAGER)
    assert approval.approver == "bob"
    # The training rule still applies to self-approval.
    late = CaseFile(
        store, blobs, casefile.library, FixedClock(LAPSED), CasePolicy(allow_self_approval=True)
    )
    with pytest.raises(NotAllowed, match="training"):
        late.approve(BOB, reference, Role.SUPERVISOR)


def test_the_policy_comes_from_settings_on_the_command_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = cli(
        "cases", "new", "B-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "bob", user="bob",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    refused = cli("approve", "B-1", "--role", "senior_manager", user="bob")
    assert refused.exit_code == 1 and "forbids self-approval" in refused.stderr
    monkeypatch.setenv("DUEDILIGENCE_ALLOW_SELF_APPROVAL", "true")
    assert cli("approve", "B-1", "--role", "senior_manager", user="bob").exit_code == 0
