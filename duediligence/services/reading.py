"""The read model: the one place a matter's derived facts are worked out.

`read_case` turns one read of a case's records (one transaction) into a `CaseView`: the
evaluation, the state its approvals bind and which of them are superseded, the reg 30 timing,
each screening hit's standing, the PEP and sanctions flags the listing row stores. Every fact
is computed here, by the domain's functions, once; the TUI, the CLI and the audit file only
format what the view holds, so the three can never tell a user different things about one
matter. `CaseFile` keeps the writes and calls this for what it stores (the listing row).

No I/O here, no SQLAlchemy, no Textual, no Jinja2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from duediligence.domain.case import AnswerVersion, case_state_hash
from duediligence.domain.evaluation import (
    CaseSnapshot,
    ChecklistRun,
    Evaluation,
    FactValue,
    GivenApproval,
    RatingOverride,
    evaluate,
)
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.monitoring import CasePolicy, flags
from duediligence.domain.reliance import Change, changes_since, relied_on_hash
from duediligence.domain.screening_records import HitState, hit_states, screening_facts
from duediligence.domain.timing import Timing, timing_of
from duediligence.domain.vocabulary import EVENT_FACTS, Fact, Role
from duediligence.services.ports import CaseRecords


@dataclass(frozen=True)
class CaseView:
    """A case with its records and every fact derived from them (see the module docstring)."""

    records: CaseRecords
    state_sha256: str
    """Hash of the whole case as it stands (`case_state_hash`, matter events included): what
    an approval given now records as seen, and `verify` checks."""
    relied_on_sha256: str
    """Hash of the due-diligence record an approval given now relies on (`domain.reliance`)."""
    evaluation: Evaluation
    superseded: frozenset[str]
    """Ids of approvals whose relied-on record has changed since they were given."""
    changes: Mapping[str, tuple[Change, ...]]
    """For each superseded approval, by id: what changed since, by whom, when (oldest first)."""
    unloaded_checklists: tuple[str, ...]
    """Run keys whose checklist is not in the loaded library (not evaluated)."""
    changed_checklists: tuple[str, ...]
    """Run keys whose checklist file changed since the run started (evaluated with the new one)."""
    timing: Timing
    """Reg 30: the relationship start and each identity verification judged against it."""
    hits: Mapping[str, HitState]
    """Every screening hit's standing now, by hit id."""
    pep: bool
    """A PEP connection is recorded (answer, PEP EDD checklist or a confirmed PEP list match)."""
    sanctions: bool
    """A sanctions hit is open or confirmed (screening), or answered as a match."""


def state_of(records: CaseRecords) -> str:
    """The hash of the case state an approval binds."""
    return case_state_hash(
        records.case,
        records.parties,
        records.runs,
        records.answers,
        records.events,
        records.evidence,
    )


def relied_on_of(records: CaseRecords) -> str:
    """The hash of the due-diligence record an approval relies on."""
    return relied_on_hash(
        records.case,
        records.parties,
        records.runs,
        records.answers,
        records.evidence,
        records.screenings,
        records.dispositions,
        records.overrides,
    )


def _changes(records: CaseRecords, relied: str) -> dict[str, tuple[Change, ...]]:
    """What changed since each superseded approval (see `domain.reliance`)."""
    found: dict[str, tuple[Change, ...]] = {}
    for approval in records.approvals:
        if approval.relied_on_sha256 == relied:
            continue
        changed = changes_since(
            records.record_seq.get(approval.target(), 0),
            records.record_seq,
            parties=records.parties,
            runs=records.runs,
            answers=records.answers,
            evidence=records.evidence,
            screenings=records.screenings,
            dispositions=records.dispositions,
            overrides=records.overrides,
        )
        # An approval from before the hash existed stands until a relied-on record is newer.
        if approval.relied_on_sha256 is not None or changed:
            found[approval.id] = changed
    return found


def read_case(
    records: CaseRecords, library: ChecklistLibrary, policy: CasePolicy | None = None
) -> CaseView:
    """Every derived fact of one case, from one read of its records."""
    del policy  # the review and retention facts move here next; kept for one signature
    state = state_of(records)
    relied = relied_on_of(records)
    changes = _changes(records, relied)
    superseded = frozenset(changes)
    unloaded = tuple(r.key for r in records.runs if library.get(r.checklist_id) is None)
    changed = tuple(
        r.key
        for r in records.runs
        if r.checklist_id in library.sources
        and library.sources[r.checklist_id].sha256 != r.content_sha256
    )
    facts = screening_facts(records.parties, records.screenings, records.dispositions)
    pep, sanctions = flags(records.runs, records.answers, facts)
    return CaseView(
        records=records,
        state_sha256=state,
        relied_on_sha256=relied,
        evaluation=evaluate(snapshot_of(records, library, superseded)),
        superseded=superseded,
        changes=changes,
        unloaded_checklists=unloaded,
        changed_checklists=changed,
        timing=timing_of(
            library,
            records.events,
            records.evidence,
            records.parties,
            records.runs,
            records.answers,
        ),
        hits=hit_states(records.screenings, records.dispositions),
        pep=pep,
        sanctions=sanctions,
    )


def preview(view: CaseView, pending: AnswerVersion, library: ChecklistLibrary) -> CaseView:
    """The case as it will be once `pending` is stored: every fact worked out again in memory,
    nothing written (the TUI's panels follow an answer while it is saved)."""
    records = view.records
    seqs = dict(records.record_seq)
    # Written after everything on file: it supersedes what an approval relied on, as the
    # stored answer will.
    seqs[pending.target()] = max(seqs.values(), default=0) + 1
    return read_case(
        replace(records, answers=(*records.answers, pending), record_seq=seqs), library
    )


def snapshot_of(
    records: CaseRecords, library: ChecklistLibrary, superseded: frozenset[str]
) -> CaseSnapshot:
    """What the evaluator reads: loaded checklists, runs with current answers, facts."""
    case = records.case
    latest: dict[tuple[str, str], AnswerVersion] = {}
    for answer in records.answers:
        latest[(answer.run_id, answer.question_key)] = answer
    runs = []
    for run in records.runs:
        if library.get(run.checklist_id) is None:
            continue
        answers = {key: a.value for (run_id, key), a in latest.items() if run_id == run.id}
        runs.append(
            ChecklistRun(
                id=run.key, checklist_id=run.checklist_id, subject=run.subject, answers=answers
            )
        )
    facts: dict[Fact, FactValue] = {
        Fact.FIRM_ROLE: case.firm_role.value,
        Fact.CLIENT_TYPE: case.client_type.value,
        Fact.MATTER_TYPE: case.matter_type,
    }
    if case.acting_for:
        facts[Fact.ACTING_FOR] = case.acting_for
    facts.update(screening_facts(records.parties, records.screenings, records.dispositions))
    # Events are append-only: a later record of the same event corrects an earlier one.
    for record in sorted(records.events, key=lambda e: e.recorded_at):
        fact = EVENT_FACTS.get(record.event)
        if fact is not None:
            facts[fact] = record.at
    approvals = tuple(
        GivenApproval(
            role=a.role, approver=a.approver, decision=a.decision, superseded=a.id in superseded
        )
        for a in records.approvals
    )
    overrides = tuple(
        RatingOverride(role=Role.MLRO, by=o.overridden_by, rating=o.rating, rationale=o.rationale)
        for o in records.overrides
    )
    return CaseSnapshot(
        checklists=library.checklists,
        runs=tuple(runs),
        facts=facts,
        approvals=approvals,
        overrides=overrides,
        country_lists=library.country_lists,
    )
