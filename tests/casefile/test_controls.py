"""Controls that cannot be bypassed (issue 13): each finding tried as a hurried fee earner or a
dishonest insider would, through the services and the real command line, asserting the refusal,
its message, and that nothing in the case file changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import StoreLocation
from duediligence.cli import main
from duediligence.compose import open_casefile
from duediligence.domain.answers import meaningful_length
from duediligence.domain.case import InvalidInput, NotAllowed, Person
from duediligence.domain.controls import rating_recorded
from duediligence.domain.errors import InvalidAnswer
from duediligence.domain.monitoring import CasePolicy
from duediligence.domain.vocabulary import ClientType, FirmRole, MatterEvent, Rating, Role
from duediligence.report.render import make_audit_file
from duediligence.services.casefile import CaseFile, NewCase
from duediligence.services.example import load_example
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, MARY, ME, RECENT, SEAL, Cli, actor
from tests.conftest import dump, store_argument


def rows(store: StoreLocation) -> str:
    """A hash of every row of every table: equal before and after means nothing was written."""
    digest = hashlib.sha256()
    digest.update(dump(store).encode())
    return digest.hexdigest()


ACTOR_HANA = actor("hana")
"""A senior manager who is also the MLRO."""
HELD = "Deposit already in client account before the checks were done; held until cleared"


# ----------------------------------------------------------------------------------------------
# Finding 2: gates mean something to events


@pytest.mark.parametrize(
    ("event", "gate"),
    [
        (MatterEvent.FUNDS_RECEIVED, "G2"),
        (MatterEvent.EXCHANGE, "G3"),
        (MatterEvent.COMPLETION, "G4"),
    ],
)
def test_an_event_past_a_closed_gate_is_refused_naming_the_reasons(
    casefile: CaseFile, case_ref: str, store_path: Path, event: MatterEvent, gate: str
) -> None:
    before = rows(store_path)
    with pytest.raises(NotAllowed) as refused:
        casefile.record_event(ALICE, case_ref, event)
    message = str(refused.value)
    assert message.startswith(f"{event.label.lower()} cannot be recorded on M-001: {gate} (")
    assert "Not answered: Is the client a PEP?" in message
    assert "only the MLRO may record it as an exception" in message
    # The fee earner cannot call it an exception, and a senior manager cannot either.
    for who in (ALICE, BOB):
        with pytest.raises(NotAllowed, match="only the MLRO"):
            casefile.record_event(who, case_ref, event, exception=HELD)
    assert rows(store_path) == before
    # Events that pass no gate are recorded as before.
    casefile.record_event(ALICE, case_ref, MatterEvent.INSTRUCTED)


def test_the_mlro_records_an_exception_with_a_reason_and_it_is_kept_and_counted(
    casefile: CaseFile, case_ref: str, store_path: Path, tmp_path: Path
) -> None:
    before = rows(store_path)
    with pytest.raises(InvalidInput, match="needs a reason of at least 20 characters"):
        casefile.record_event(MARY, case_ref, MatterEvent.FUNDS_RECEIVED, exception="ok " * 3)
    assert rows(store_path) == before

    record = casefile.record_event(MARY, case_ref, MatterEvent.FUNDS_RECEIVED, exception=HELD)
    assert record.gate_exception == HELD
    assert "Not answered: Is the client a PEP?" in record.blocked_by
    view = casefile.view(case_ref)
    assert [e.gate_exception for e in view.records.events] == [HELD]
    [summary] = casefile.summaries()
    assert summary.gate_exceptions == 1
    with casefile.store.transaction() as tx:
        actions = [e.action for e in tx.audit_events() if e.target == record.target()]
    assert actions == ["event.exception"]
    assert verify(casefile.store, casefile.blobs).ok

    # The PDF audit file prints it beside the event.
    target = tmp_path / "audit.pdf"
    make_audit_file(casefile, case_ref, target, generated_by="mary")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "MLRO exception: Deposit already in client account" in text

    # An exception where the gate is open (or no gate) is refused: it would mean nothing.
    with pytest.raises(InvalidInput, match="instructed needs no exception on M-001"):
        casefile.record_event(MARY, case_ref, MatterEvent.INSTRUCTED, exception=HELD)


def test_events_past_a_closed_gate_through_the_command_line(cli: Cli) -> None:
    assert cli("users", "add", "mary", "--name", "Mary", "--role", "mlro", "--trained-on", RECENT, "--os-user", ME, user="bob").exit_code == 0  # fmt: skip
    before = rows(cli.location)
    refused = cli("events", "add", "M-1", "exchange")
    assert refused.exit_code == 1
    assert "error: exchange cannot be recorded on M-1: G3 (" in refused.stderr
    assert "Not answered:" in refused.stderr
    refused = cli("events", "add", "M-1", "funds_received", "--exception", HELD)
    assert refused.exit_code == 1
    assert "alice cannot record funds_received past a closed gate: only the MLRO" in refused.stderr
    assert rows(cli.location) == before

    done = cli("events", "add", "M-1", "funds_received", "--exception", HELD, user="mary")
    assert done.exit_code == 0, done.output
    assert f"Recorded as an MLRO exception: {HELD}" in done.stdout
    shown = cli("cases", "show", "M-1")
    assert f"EXCEPTION by mary (MLRO), gate closed: {HELD}" in shown.stdout
    data = cli.json("cases", "show", "M-1")
    [warning] = [w for w in data["warnings"] if "although its gate was closed" in w]
    assert warning.startswith("funds received recorded by the MLRO although its gate was closed")
    assert data["events"][0]["gate_exception"] == HELD
    listed = cli.json("cases", "list")
    assert listed[0]["gate_exceptions"] == 1
    assert datetime.fromisoformat(data["events"][0]["at"]) <= datetime.now(UTC)


# ----------------------------------------------------------------------------------------------
# Finding 12: the stored rows are rewritten only from the firm's checklists, by the MLRO


def test_refreshing_every_row_is_the_mlros_audited_action(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    before = rows(store_path)
    for who in (ALICE, BOB):
        with pytest.raises(NotAllowed, match="cannot recompute every matter's listing: only the MLRO"):  # fmt: skip
            casefile.refresh_summaries(who)
    assert rows(store_path) == before
    assert casefile.refresh_summaries(MARY) == 1
    with casefile.store.transaction() as tx:
        [event] = [e for e in tx.audit_events() if e.action == "cases.refresh"]
    assert (event.actor, event.role, event.target) == ("mary", "mlro", "firm:firm")
    assert verify(casefile.store, casefile.blobs).ok


def test_a_refresh_from_other_checklists_is_refused_on_the_command_line(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli("users", "add", "mary", "--name", "Mary", "--role", "mlro", "--trained-on", RECENT, "--os-user", ME, user="bob").exit_code == 0  # fmt: skip
    empty = tmp_path / "empty"
    empty.mkdir()
    listed = cli.json("cases", "list")
    before = rows(cli.location)
    for user in ("alice", "mary"):
        refused = cli.runner.invoke(
            main,
            ["cases", "list", "--refresh", "--checklists", str(empty),
             "--store", store_argument(cli.location), "--as", user],
        )  # fmt: skip
        assert refused.exit_code == 1
        assert "does not take --checklists; nothing was changed" in refused.stderr
    refused = cli("cases", "list", "--refresh")  # alice, the fee earner
    assert refused.exit_code == 1
    assert "alice cannot recompute every matter's listing: only the MLRO" in refused.stderr
    assert rows(cli.location) == before
    assert cli.json("cases", "list") == listed
    assert cli("cases", "list", "--refresh", user="mary").exit_code == 0


# ----------------------------------------------------------------------------------------------
# Finding 1: scope


@pytest.fixture
def bundled(casefile: CaseFile) -> CaseFile:
    """The same case file with the bundled checklists (the scope question is theirs)."""
    return CaseFile(casefile.store, casefile.blobs, load_library(None), casefile.clock)


def _open(casefile: CaseFile, reference: str, matter_type: str) -> None:
    casefile.open_case(
        ALICE,
        NewCase(
            reference=reference,
            firm_role=FirmRole.SOLICITOR,
            matter_type=matter_type,
            client_type=ClientType.INDIVIDUAL,
            responsible="alice",
            acting_for="buyer" if matter_type == "residential_purchase" else None,
        ),
    )


WHY_OUT = "Employment tribunal claim only; no funds or assets pass through the firm"


def test_out_of_scope_is_refused_on_a_conveyancing_matter_whoever_answers(
    bundled: CaseFile, store_path: Path
) -> None:
    _open(bundled, "P-1", "residential_purchase")
    before = rows(store_path)
    for who in (ALICE, MARY):
        with pytest.raises(NotAllowed) as refused:
            bundled.answer(who, "P-1", "scope.activity", "out_of_scope", reason=WHY_OUT)
        assert str(refused.value) == (
            "'Out of scope of the MLR' cannot be answered on P-1: a residential purchase matter "
            "is an activity the Money Laundering Regulations cover by its nature (regs 12-13); "
            "choose the regulated activity it involves"
        )
    assert rows(store_path) == before
    assert bundled.answer(ALICE, "P-1", "scope.activity", "real_property").mlro_reason is None


def test_out_of_scope_elsewhere_needs_the_mlros_confirmation_with_a_reason(
    bundled: CaseFile, store_path: Path
) -> None:
    _open(bundled, "C-1", "other")
    before = rows(store_path)
    with pytest.raises(NotAllowed, match="needs the MLRO's confirmation on C-1: only the MLRO"):
        bundled.answer(ALICE, "C-1", "scope.activity", "out_of_scope", reason=WHY_OUT)
    with pytest.raises(InvalidInput, match="needs a reason of at least 20 characters"):
        bundled.answer(MARY, "C-1", "scope.activity", "out_of_scope")
    assert rows(store_path) == before
    answer = bundled.answer(MARY, "C-1", "scope.activity", "out_of_scope", reason=WHY_OUT)
    assert answer.mlro_reason == WHY_OUT
    assert verify(bundled.store, bundled.blobs).ok


def test_scope_through_the_command_line(cli: Cli) -> None:
    assert cli("users", "add", "mary", "--name", "Mary", "--role", "mlro", "--trained-on", RECENT, "--os-user", ME, user="bob").exit_code == 0  # fmt: skip
    for reference, kind in (("P-1", "residential_purchase"), ("C-1", "other")):
        opened = cli(
            "cases", "new", reference, "--kind", "solicitor", "--matter-type", kind,
            "--client-type", "individual", "--responsible", "alice", checklists=False,
        )  # fmt: skip
        assert opened.exit_code == 0, opened.output
    before = rows(cli.location)
    refused = cli("answer", "P-1", "scope.activity", "out_of_scope", "--reason", WHY_OUT, user="mary", checklists=False)  # fmt: skip
    assert refused.exit_code == 1
    assert "error: 'Out of scope of the MLR' cannot be answered on P-1" in refused.stderr
    refused = cli("answer", "C-1", "scope.activity", "out_of_scope", checklists=False)
    assert refused.exit_code == 1 and "needs the MLRO's confirmation on C-1" in refused.stderr
    assert rows(cli.location) == before
    done = cli("answer", "C-1", "scope.activity", "out_of_scope", "--reason", WHY_OUT, user="mary", checklists=False)  # fmt: skip
    assert done.exit_code == 0, done.output


# ----------------------------------------------------------------------------------------------
# Finding 9 (remainder): "None of these" is exclusive


def test_none_of_these_cannot_be_ticked_with_a_risk_factor(
    bundled: CaseFile, store_path: Path, cli: Cli
) -> None:
    _open(bundled, "P-1", "residential_purchase")
    before = rows(store_path)
    with pytest.raises(InvalidAnswer) as refused:
        bundled.answer(ALICE, "P-1", "factors.present", value=("none", "cash_intensive"))
    assert "'none' (None of these) cannot be chosen with other options (cash_intensive)" in str(
        refused.value
    )
    assert rows(store_path) == before
    assert bundled.answer(ALICE, "P-1", "factors.present", value=("none",)).value == ("none",)

    opened = cli(
        "cases", "new", "P-2", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
        checklists=False,
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    before = rows(cli.location)
    refused_cli = cli("answer", "P-2", "matter.funding", "savings,no_funds", checklists=False)
    assert refused_cli.exit_code == 1
    assert "'no_funds' (No funds pass through the firm) cannot be chosen with other options (savings)" in refused_cli.stderr  # fmt: skip
    assert rows(cli.location) == before


# ----------------------------------------------------------------------------------------------
# Finding 14: status words


def test_sign_off_says_a_rating_was_recorded_and_what_is_missing(bundled: CaseFile) -> None:
    _open(bundled, "P-1", "residential_purchase")
    bundled.answer(ALICE, "P-1", "scope.activity", "real_property")
    bundled.answer(ALICE, "P-1", "risk.rating", "high")
    evaluation = bundled.view("P-1").evaluation
    missing = len(evaluation.missing)
    assert missing > 1
    assert rating_recorded(Rating.HIGH, evaluation) == (
        f"Rating recorded as High; {missing} items still missing."
    )
    done = evaluation.model_copy(update={"missing": ()})
    assert rating_recorded(Rating.HIGH, done).startswith(
        "Rating recorded as High; nothing is missing, but G1 is still closed: "
    )


# ----------------------------------------------------------------------------------------------
# Finding 5: approving a PEP file whose EDD is not complete


INCOMPLETE_WHY = "Completion is tomorrow; SoW evidence promised by the bank, funds held until then"


def test_a_senior_manager_cannot_approve_a_pep_file_with_its_edd_incomplete(
    bundled: CaseFile, store_path: Path, tmp_path: Path
) -> None:
    reference = load_example(bundled, BOB, "alice")
    bundled.add_person(
        BOB,
        Person(
            id="hana", name="Hana MLRO", roles=(Role.SENIOR_MANAGER, Role.MLRO),
            trained_on=date(2026, 1, 10), os_users=("tester",),
        ),
    )  # fmt: skip
    before = rows(store_path)
    with pytest.raises(NotAllowed) as refused:
        bundled.approve(BOB, reference, Role.SENIOR_MANAGER)
    message = str(refused.value)
    assert message.startswith(
        f"bob cannot approve {reference} as senior manager: the enhanced due diligence is not "
        "complete (pep-edd@p2: "
    )
    assert "source-of-wealth@p2:" in message and "source-of-funds:" in message
    assert message.endswith("only the MLRO may approve an incomplete file, with a reason")
    # Even an MLRO needs a reason.
    with pytest.raises(InvalidInput, match="needs a reason of at least 20 characters"):
        bundled.approve(ACTOR_HANA, reference, Role.SENIOR_MANAGER)
    assert rows(store_path) == before
    # A refusal needs no complete file.
    assert bundled.approve(BOB, reference, Role.SENIOR_MANAGER, decision="refused").decision == (
        "refused"
    )

    approval = bundled.approve(
        ACTOR_HANA, reference, Role.SENIOR_MANAGER, incomplete_reason=INCOMPLETE_WHY
    )
    assert approval.incomplete_reason == INCOMPLETE_WHY
    assert any(item.startswith("pep-edd@p2: ") for item in approval.incomplete)
    with bundled.store.transaction() as tx:
        actions = [e.action for e in tx.audit_events() if e.target == approval.target()]
    assert actions == ["approval.incomplete"]
    assert verify(bundled.store, bundled.blobs).ok

    target = tmp_path / "audit.pdf"
    make_audit_file(bundled, reference, target, generated_by="hana")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "APPROVED ALTHOUGH INCOMPLETE: pep-edd@p2:" in text
    assert "Completion is tomorrow" in text


def test_an_incomplete_approval_through_the_command_line(cli: Cli) -> None:
    assert cli("users", "add", "hana", "--name", "Hana", "--role", "senior_manager", "--role", "mlro", "--trained-on", RECENT, "--os-user", ME, user="bob").exit_code == 0  # fmt: skip
    with open_casefile(cli.location) as opened:
        reference = load_example(opened.casefile, BOB, "alice")
    before = rows(cli.location)
    refused = cli("approve", reference, "--role", "senior_manager", user="bob", checklists=False)
    assert refused.exit_code == 1
    assert "the enhanced due diligence is not complete" in refused.stderr
    assert rows(cli.location) == before
    done = cli("approve", reference, "--role", "senior_manager", "--incomplete-reason", INCOMPLETE_WHY, user="hana", checklists=False)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "INCOMPLETE FILE (pep-edd@p2:" in done.stdout
    shown = cli("cases", "show", reference, checklists=False).stdout
    assert "INCOMPLETE FILE (pep-edd@p2:" in shown and INCOMPLETE_WHY in shown


# ----------------------------------------------------------------------------------------------
# Finding 9 (remainder): padding does not count towards a minimum length


RATIONALE = (
    "High: the client is a foreign PEP (Deputy Minister, Ukraine) buying with a gift from his "
    "sister; the gift letter and her bank statements are on file and consistent."
)


@pytest.mark.parametrize(
    ("padding", "counted"),
    [
        ("a" * 205, 1),
        ("Funds checked and fine. " * 20, 23),
        ("funds fine " * 20, 10),
        ("The source of funds is fine.\nThe source of funds is fine.\n" * 10, 28),
    ],
)
def test_repetition_does_not_count_towards_min_length(padding: str, counted: int) -> None:
    assert meaningful_length(padding) == counted
    # Prose keeps its length, repeated words and all.
    assert meaningful_length(RATIONALE) == len(RATIONALE)


def test_a_padded_rationale_leaves_the_rating_question_incomplete(bundled: CaseFile) -> None:
    _open(bundled, "P-1", "residential_purchase")
    bundled.answer(ALICE, "P-1", "scope.activity", "real_property")
    bundled.answer(ALICE, "P-1", "risk.rationale", "a" * 205)
    [missing] = [m for m in bundled.view("P-1").evaluation.missing if m.question_id == "risk.rationale"]  # fmt: skip
    assert missing.detail.startswith("Too short (1 of ")
    bundled.answer(ALICE, "P-1", "risk.rationale", "Low risk, all checked. " * 20)
    [missing] = [m for m in bundled.view("P-1").evaluation.missing if m.question_id == "risk.rationale"]  # fmt: skip
    assert missing.detail.startswith("Too short (22 of ")
    full = RATIONALE + " The price matches the valuation and the sister's wealth is documented."
    bundled.answer(ALICE, "P-1", "risk.rationale", full)
    assert "risk.rationale" not in {m.question_id for m in bundled.view("P-1").evaluation.missing}

    # The MLRO's override rationale is counted the same way.
    with pytest.raises(InvalidInput, match=r"it has 26, repetition not counted"):
        bundled.override_rating(MARY, "P-1", Rating.LOW, "Low is right for this one. " * 10)


# ----------------------------------------------------------------------------------------------
# Finding 3 (remainder): supervising people act only once bound to a computer account


def test_an_unbound_senior_manager_or_mlro_cannot_act_as_one(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    for person in (
        Person(id="sue", name="Sue SM", roles=(Role.SENIOR_MANAGER,), trained_on=date(2026, 1, 2)),
        Person(id="max", name="Max MLRO", roles=(Role.MLRO,), trained_on=date(2026, 1, 2)),
    ):
        casefile.add_person(BOB, person)  # registered, but not bound: anyone could be them
    sue, max_ = actor("sue"), actor("max")
    before = rows(store_path)
    attempts: list[tuple[Callable[[], object], str]] = [
        (lambda: casefile.approve(sue, case_ref, Role.SENIOR_MANAGER), "approve as senior manager"),
        (lambda: casefile.add_person(sue, Person(id="zed", name="Zed", roles=(Role.MLRO,))), "register people"),
        (lambda: casefile.bind_os_users(sue, "max", ("tester",)), "bind people to computer accounts"),
        (lambda: casefile.restricted(max_, case_ref, SEAL), "read or add restricted records"),
        (lambda: casefile.override_rating(max_, case_ref, Rating.LOW, RATIONALE), "override a rating"),
    ]  # fmt: skip
    for attempt, what in attempts:
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert f"must be bound to a computer account before they can {what}" in str(refused.value)
    assert rows(store_path) == before

    # Bound by a senior manager who is, each may act.
    casefile.bind_os_users(BOB, "sue", ("tester",))
    casefile.bind_os_users(BOB, "max", ("tester",))
    assert casefile.restricted(max_, case_ref, SEAL) == []
    assert casefile.approve(sue, case_ref, Role.SENIOR_MANAGER).approver == "sue"


def test_a_one_person_practice_may_relax_binding(casefile: CaseFile, case_ref: str) -> None:
    casefile.add_person(
        BOB,
        Person(id="sue", name="Sue SM", roles=(Role.SENIOR_MANAGER,), trained_on=date(2026, 1, 2)),
    )
    relaxed = CaseFile(
        casefile.store,
        casefile.blobs,
        casefile.library,
        casefile.clock,
        CasePolicy(require_binding=False),
    )
    assert relaxed.approve(actor("sue"), case_ref, Role.SENIOR_MANAGER).approver == "sue"


def test_binding_through_the_command_line(cli: Cli) -> None:
    assert cli("users", "add", "sue", "--name", "Sue", "--role", "senior_manager", "--trained-on", RECENT, user="bob").exit_code == 0  # fmt: skip
    before = rows(cli.location)
    refused = cli("users", "add", "zed", "--name", "Zed", "--role", "fee_earner", user="sue")
    assert refused.exit_code == 1
    assert "sue must be bound to a computer account before they can register people" in refused.stderr  # fmt: skip
    assert "users bind sue --os-user ACCOUNT" in refused.stderr
    assert rows(cli.location) == before
    assert cli("users", "bind", "sue", "--os-user", ME, user="bob").exit_code == 0
    assert cli("users", "add", "zed", "--name", "Zed", "--role", "fee_earner", user="sue").exit_code == 0  # fmt: skip


def test_the_audit_file_says_when_binding_is_relaxed(
    casefile: CaseFile, case_ref: str, tmp_path: Path
) -> None:
    relaxed = CaseFile(
        casefile.store,
        casefile.blobs,
        casefile.library,
        casefile.clock,
        CasePolicy(require_binding=False),
    )
    texts = []
    for service, name in ((casefile, "strict.pdf"), (relaxed, "relaxed.pdf")):
        make_audit_file(service, case_ref, tmp_path / name, generated_by="mary")
        pages = PdfReader(tmp_path / name).pages
        texts.append(" ".join(" ".join(p.extract_text().split()) for p in pages))
    note = "may approve without being bound to a computer account"
    assert note not in texts[0]
    assert note in texts[1]


def test_the_example_asks_for_one_edd_on_the_pep_not_one_on_the_company_too(
    bundled: CaseFile,
) -> None:
    # The screening rule used to start PEP EDD "about the client" (the company) while the
    # beneficial-ownership checklist started it about the PEP who owns it: two EDDs, one empty.
    reference = load_example(bundled, BOB, "alice")
    view = bundled.view(reference)
    needs = sorted((n.checklist_id, n.subject) for n in view.evaluation.spawns)
    assert needs == [
        ("pep-edd", "p2"),
        ("source-of-funds", "client"),
        ("source-of-wealth", "p2"),
    ]
    assert all(n.run_id is not None for n in view.evaluation.spawns)
    started = sorted(r.key for r in view.records.runs if r.checklist_id == "pep-edd")
    assert started == ["pep-edd@p2"]
