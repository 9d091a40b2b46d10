"""Use cases over a real SQLite store on tmp_path: opening, answering, versions, conflicts,
refusals that write nothing, role rules and approvals that go stale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.store import SqlStore
from duediligence.domain.answers import Money
from duediligence.domain.case import (
    ConflictError,
    InvalidInput,
    NotAllowed,
    NotFound,
    PartyKind,
    PartyRole,
)
from duediligence.domain.errors import DueDiligenceError, InvalidAnswer
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import ClientType, FirmRole, Gate, MatterEvent, Role
from duediligence.services.casefile import CaseFile, NewCase, NewParty
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, CAROL, MARY, FixedClock, audit_count


def _new(reference: str = "M-002", responsible: str = "alice", **extra: object) -> NewCase:
    fields: dict[str, object] = {
        "reference": reference,
        "firm_role": FirmRole.SOLICITOR,
        "matter_type": "residential_purchase",
        "client_type": ClientType.INDIVIDUAL,
        "responsible": responsible,
        "acting_for": "buyer",
    } | extra
    return NewCase(**fields)  # type: ignore[arg-type]


def test_opening_a_case_starts_the_automatic_checklists_pinned_to_version_and_hash(
    casefile: CaseFile, library: ChecklistLibrary
) -> None:
    records = casefile.open_case(ALICE, _new())
    runs = {r.key: r for r in records.runs}
    assert set(runs) == {"example-cdd", "id-evidence"}  # "other" is spawned only
    assert runs["example-cdd"].checklist_version == "1.0"
    assert runs["example-cdd"].content_sha256 == library.sources["example-cdd"].sha256


def test_estate_agent_case_starts_no_solicitor_checklists(casefile: CaseFile) -> None:
    records = casefile.open_case(
        ALICE,
        _new(
            firm_role=FirmRole.ESTATE_AGENT, matter_type="estate_agency_sale", acting_for="seller"
        ),
    )
    assert records.runs == ()


def test_untrained_person_cannot_be_responsible(casefile: CaseFile, store_path: Path) -> None:
    before = audit_count(store_path)
    with pytest.raises(NotAllowed, match="carol cannot be the responsible person: AML training"):
        casefile.open_case(ALICE, _new(responsible="carol"))
    assert audit_count(store_path) == before
    assert casefile.cases() == []


def test_duplicate_reference_and_unknown_matter_type_are_refused(
    casefile: CaseFile, case_ref: str
) -> None:
    with pytest.raises(ConflictError, match="already exists"):
        casefile.open_case(ALICE, _new(reference=case_ref))
    with pytest.raises(InvalidInput, match="unknown matter type 'houses'"):
        casefile.open_case(ALICE, _new(matter_type="houses"))


def test_unregistered_actor_is_refused(casefile: CaseFile) -> None:
    from tests.casefile.conftest import actor

    with pytest.raises(NotAllowed, match="'mallory' is not a registered user"):
        casefile.open_case(actor("mallory"), _new())


def test_every_answer_is_a_new_version_linked_to_the_previous(
    casefile: CaseFile, case_ref: str
) -> None:
    first = casefile.answer(ALICE, case_ref, "pep", "no")
    second = casefile.answer(BOB, case_ref, "pep", "Yes, a PEP")
    assert (first.number, first.previous_id) == (1, None)
    assert (second.number, second.previous_id, second.value) == (2, first.id, "pep")
    answers = casefile.view(case_ref).records.answers
    assert [(a.answered_by, a.value) for a in answers] == [("alice", "no"), ("bob", "pep")]


def test_stale_write_is_refused_and_nothing_is_written(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    seen = casefile.answer(ALICE, case_ref, "value", "250000 GBP")
    casefile.answer(BOB, case_ref, "value", "260000 GBP", expected_previous=seen.id)
    before = audit_count(store_path)
    with pytest.raises(
        ConflictError, match=r"value was answered by bob .*version 2.* since you read it"
    ):
        casefile.answer(ALICE, case_ref, "value", "255000 GBP", expected_previous=seen.id)
    with pytest.raises(ConflictError):
        casefile.answer(ALICE, case_ref, "pep", "no", expected_previous="not-a-version")
    assert audit_count(store_path) == before


def test_two_writers_on_the_same_file_one_loses_with_a_conflict(
    casefile: CaseFile,
    case_ref: str,
    store: SqlStore,
    blobs: BlobDirectory,
    library: ChecklistLibrary,
    store_path: Path,
) -> None:
    other = CaseFile(SqlStore(store_path), blobs, library, FixedClock())
    try:
        # Both fee earners open the question and see no answer yet.
        other.answer(BOB, case_ref, "pep", "no", expected_previous=None)
        with pytest.raises(ConflictError):
            casefile.answer(ALICE, case_ref, "pep", "pep", expected_previous=None)
    finally:
        other.store.close()  # type: ignore[attr-defined]
    assert [a.value for a in casefile.view(case_ref).records.answers] == ["no"]


def test_the_answer_number_itself_refuses_a_lost_update(
    casefile: CaseFile, case_ref: str, store: SqlStore
) -> None:
    # Below the service check: the unique (run, question, number) key is the last line of defence.
    first = casefile.answer(ALICE, case_ref, "pep", "no")
    duplicate = first.model_copy(update={"id": "x" * 32, "value": "pep"})
    with (
        pytest.raises(ConflictError, match="answered by someone else at the same time"),
        store.transaction() as tx,
    ):
        tx.add(duplicate, actor=ALICE, role="fee_earner", action="answer.set")


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("id_checked_on", "31/02/2026", "id_checked_on"),
        ("id_checked_on", "yesterday", "id_checked_on"),
        ("pep", "perhaps", "'perhaps'"),
        ("value", "250000", "currency"),
        ("value", "", "is empty"),
        ("residence", "Atlantis", "not a country"),
    ],
)
def test_wrong_values_are_refused_clearly_and_nothing_is_written(
    casefile: CaseFile, case_ref: str, store_path: Path, question: str, value: str, message: str
) -> None:
    before = audit_count(store_path)
    with pytest.raises(InvalidAnswer, match=message):
        casefile.answer(ALICE, case_ref, question, value)
    assert audit_count(store_path) == before


def test_unknown_case_question_or_run_is_refused(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    before = audit_count(store_path)
    with pytest.raises(NotFound, match="no case 'NOPE'"):
        casefile.answer(ALICE, "NOPE", "pep", "no")
    with pytest.raises(NotFound, match="has no question 'colour'"):
        casefile.answer(ALICE, case_ref, "colour", "blue")
    with pytest.raises(NotFound, match="no checklist run 'other'"):
        casefile.answer(ALICE, case_ref, "pep", "no", run_key="other")
    assert audit_count(store_path) == before


def test_repeating_sections_take_numbered_keys(casefile: CaseFile, case_ref: str) -> None:
    with pytest.raises(InvalidInput, match=r"repeating section: answer 'tranche.source#N'"):
        casefile.answer(ALICE, case_ref, "tranche.source", "gift")
    with pytest.raises(InvalidInput, match="not in a repeating section"):
        casefile.answer(ALICE, case_ref, "pep#1", "no")
    assert (
        casefile.answer(ALICE, case_ref, "tranche.source#2", "gift").question_key
        == "tranche.source#2"
    )


def test_party_answers_must_name_a_party_of_the_case(casefile: CaseFile, case_ref: str) -> None:
    with pytest.raises(InvalidInput, match="'p1' is not a party"):
        casefile.answer(ALICE, case_ref, "tranche.donor#1", "p1")
    party = casefile.add_party(
        ALICE,
        case_ref,
        NewParty(
            role=PartyRole.PAYER, kind=PartyKind.INDIVIDUAL, name="王小明", nationalities=("cn",)
        ),
    )
    assert party.label == "p1" and party.nationalities == ("CN",)
    casefile.answer(ALICE, case_ref, "tranche.source#1", "gift")
    casefile.answer(ALICE, case_ref, "tranche.donor#1", "p1")
    # The answer started the checklist it made necessary, about the party it names.
    spawns = casefile.view(case_ref).evaluation.spawns
    assert [(s.checklist_id, s.subject, s.run_id) for s in spawns] == [("other", "p1", "other@p1")]
    with pytest.raises(ConflictError, match="already started"):
        casefile.start_checklist(ALICE, case_ref, "other", "p1")


def test_party_details_are_checked(casefile: CaseFile, case_ref: str) -> None:
    with pytest.raises(InvalidInput, match="XX"):
        casefile.add_party(
            ALICE,
            case_ref,
            NewParty(
                role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="A", nationalities=("XX",)
            ),
        )
    with pytest.raises(InvalidInput, match="entity has no date of birth"):
        casefile.add_party(
            ALICE,
            case_ref,
            NewParty(
                role=PartyRole.CLIENT,
                kind=PartyKind.ENTITY,
                name="A Ltd",
                date_of_birth=date(2000, 1, 1),
            ),
        )
    with pytest.raises(InvalidInput, match="name"):
        casefile.add_party(
            ALICE, case_ref, NewParty(role=PartyRole.CLIENT, kind=PartyKind.ENTITY, name="  ")
        )


def test_events_become_facts_for_the_evaluator(casefile: CaseFile, case_ref: str) -> None:
    at = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    casefile.record_event(ALICE, case_ref, MatterEvent.INSTRUCTED, at)
    view = casefile.view(case_ref)
    assert [e.event for e in view.records.events] == [MatterEvent.INSTRUCTED]
    snapshot = casefile.snapshot(view.records, frozenset())
    assert snapshot.facts["instructed_at"] == at  # type: ignore[index]
    with pytest.raises(InvalidInput, match="timezone"):
        casefile.record_event(ALICE, case_ref, MatterEvent.EXCHANGE, datetime(2026, 2, 1))


def test_role_rules_for_approval(casefile: CaseFile, case_ref: str, store_path: Path) -> None:
    before = audit_count(store_path)
    with pytest.raises(
        NotAllowed, match="alice cannot approve as senior manager: they hold fee earner"
    ):
        casefile.approve(ALICE, case_ref, Role.SENIOR_MANAGER)
    with pytest.raises(NotAllowed, match="alice is the responsible person on M-001"):
        casefile.approve(ALICE, case_ref, Role.FEE_EARNER)
    with pytest.raises(NotAllowed, match="training"):
        casefile.approve(CAROL, case_ref, Role.FEE_EARNER)
    with pytest.raises(NotAllowed, match="mary cannot approve as senior manager"):
        casefile.approve(MARY, case_ref, Role.SENIOR_MANAGER)
    assert audit_count(store_path) == before


def test_approval_satisfies_the_need_until_the_case_changes(
    casefile: CaseFile, case_ref: str
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    need = casefile.view(case_ref).evaluation.approvals
    assert [(n.role, n.satisfied) for n in need] == [(Role.SENIOR_MANAGER, False)]
    approval = casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER, conditions="monthly review")
    view = casefile.view(case_ref)
    assert approval.state_sha256 == view.state_sha256
    assert [n.satisfied for n in view.evaluation.approvals] == [True]
    casefile.answer(ALICE, case_ref, "value", "3000000 GBP")
    view = casefile.view(case_ref)
    assert view.superseded == {approval.id}
    assert [n.satisfied for n in view.evaluation.approvals] == [False]


def test_approval_on_a_stale_view_is_refused(casefile: CaseFile, case_ref: str) -> None:
    looked_at = casefile.view(case_ref).state_sha256
    casefile.answer(ALICE, case_ref, "pep", "no")
    with pytest.raises(ConflictError, match="changed since you reviewed it"):
        casefile.approve(BOB, case_ref, Role.SUPERVISOR, expected_state=looked_at)


def test_money_answers_keep_their_currency(casefile: CaseFile, case_ref: str) -> None:
    casefile.answer(ALICE, case_ref, "value", "£2,500,000")
    (answer,) = casefile.view(case_ref).records.answers
    assert answer.value == Money(amount=Decimal("2500000"), currency="GBP")
    assert casefile.view(case_ref).evaluation.score == 2


def test_everything_written_verifies(
    casefile: CaseFile, case_ref: str, store: SqlStore, blobs: BlobDirectory
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER)
    casefile.record_event(ALICE, case_ref, MatterEvent.INSTRUCTED)
    report = verify(store, blobs)
    assert report.ok, report.problems
    assert report.approvals == 1 and report.events == audit_count(store.location)
    assert verify(store, blobs, case_ref).ok
    with pytest.raises(NotFound):
        verify(store, blobs, "NOPE")


def test_uninitialised_store_says_so(
    store: SqlStore, blobs: BlobDirectory, library: ChecklistLibrary
) -> None:
    service = CaseFile(store, blobs, library, FixedClock())
    with pytest.raises(DueDiligenceError, match="not initialised"):
        service.open_case(ALICE, _new())
    assert service.firm() is None


def test_gate_reasons_name_the_questions(casefile: CaseFile, case_ref: str) -> None:
    gate = casefile.view(case_ref).evaluation.gate(Gate.G1)
    assert not gate.open
    assert "pep" in {r.question_id for r in gate.reasons}


def test_training_update_makes_a_person_eligible_and_verifies(
    casefile: CaseFile, store: SqlStore, blobs: BlobDirectory
) -> None:
    with pytest.raises(NotAllowed):
        casefile.open_case(ALICE, _new(responsible="carol"))
    casefile.record_training(BOB, "carol", date(2026, 2, 20))
    casefile.open_case(ALICE, _new(responsible="carol"))
    with pytest.raises(InvalidInput, match="in the future"):
        casefile.record_training(BOB, "carol", date(2027, 1, 1))
    assert verify(store, blobs).ok


def test_closing_a_case_keeps_approvals_and_verifies(
    casefile: CaseFile, case_ref: str, store: SqlStore, blobs: BlobDirectory
) -> None:
    from duediligence.domain.case import CaseStatus

    approval = casefile.approve(BOB, case_ref, Role.SUPERVISOR)
    closed = casefile.set_status(ALICE, case_ref, CaseStatus.CLOSED)
    assert closed.status is CaseStatus.CLOSED
    assert casefile.view(case_ref).superseded == frozenset()
    with pytest.raises(InvalidInput, match="already closed"):
        casefile.set_status(ALICE, case_ref, CaseStatus.CLOSED)
    report = verify(store, blobs)
    assert report.ok, report.problems
    assert approval.id


def test_a_case_opens_with_its_parties_in_one_transaction(casefile: CaseFile) -> None:
    records = casefile.open_case(
        ALICE,
        _new("M-9"),
        parties=[
            NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Ann Client"),
            NewParty(role=PartyRole.PAYER, kind=PartyKind.INDIVIDUAL, name="Pat Payer"),
        ],
    )
    assert [(p.label, p.role, p.name) for p in records.parties] == [
        ("p1", PartyRole.CLIENT, "Ann Client"),
        ("p2", PartyRole.PAYER, "Pat Payer"),
    ]


def test_a_refused_party_leaves_no_case_behind(casefile: CaseFile, store_path: Path) -> None:
    before = audit_count(store_path)
    client = NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Ann Client")
    too_long = NewParty(role=PartyRole.PAYER, kind=PartyKind.INDIVIDUAL, name="x" * 612)
    with pytest.raises(InvalidInput, match=r"payer 'x+…': name: .*500 characters"):
        casefile.open_case(ALICE, _new("M-9"), parties=[client, too_long])
    future = NewParty(
        role=PartyRole.CLIENT,
        kind=PartyKind.INDIVIDUAL,
        name="Ann Client",
        date_of_birth=date(2099, 1, 1),
    )
    with pytest.raises(
        InvalidInput, match="client 'Ann Client': date of birth: 2099-01-01 is in the future"
    ):
        casefile.open_case(ALICE, _new("M-9"), parties=[future])
    assert audit_count(store_path) == before
    assert [s.reference for s in casefile.summaries()] == []
    # The reference is still free.
    casefile.open_case(ALICE, _new("M-9"), parties=[client])
    with pytest.raises(DueDiligenceError, match="already exists"):
        casefile.open_case(ALICE, _new("M-9"), parties=[client])


def test_a_date_of_birth_in_the_future_is_refused(casefile: CaseFile, case_ref: str) -> None:
    with pytest.raises(InvalidInput, match="date of birth: 2099-01-01 is in the future"):
        casefile.add_party(
            ALICE,
            case_ref,
            NewParty(
                role=PartyRole.CLIENT,
                kind=PartyKind.INDIVIDUAL,
                name="A",
                date_of_birth=date(2099, 1, 1),
            ),
        )
