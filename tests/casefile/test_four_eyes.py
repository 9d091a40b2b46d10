"""Four eyes: whoever did a matter's due diligence may not approve it (issue 13, finding 4).

Before, only the matter's "responsible" field was checked: a senior manager who answered a
matter's questions or attached its evidence approved it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from duediligence.domain.case import NotAllowed
from duediligence.domain.four_eyes import own_work
from duediligence.domain.monitoring import CasePolicy
from duediligence.domain.screening_records import HitDisposition, Outcome, ReasonCode
from duediligence.domain.vocabulary import Role
from duediligence.services.casefile import CaseFile, NewEvidence
from tests.casefile.conftest import ALICE, BOB, MARY, audit_count


def test_a_senior_manager_who_answered_the_matter_cannot_approve_it(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    casefile.answer(BOB, case_ref, "pep", "no")  # the approver "helps out" on one answer
    before = audit_count(store_path)
    with pytest.raises(NotAllowed, match=r"bob recorded 1 answer on M-001 and cannot approve it as senior manager: .* \(four eyes\)"):  # fmt: skip
        casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER)
    # Nor in another supervising role, nor by refusing instead of approving.
    with pytest.raises(NotAllowed, match="four eyes"):
        casefile.approve(BOB, case_ref, Role.SUPERVISOR, decision="refused")
    assert audit_count(store_path) == before
    # Someone who did none of the work may.
    assert casefile.approve(MARY, case_ref, Role.MLRO).approver == "mary"


def test_attaching_evidence_is_due_diligence_work_too(
    casefile: CaseFile, case_ref: str, tmp_path: Path
) -> None:
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    casefile.attach_evidence(BOB, case_ref, scan, NewEvidence(document_type="passport"))
    with pytest.raises(NotAllowed, match="bob recorded 1 evidence file on M-001"):
        casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER)


def test_the_fee_earners_own_sign_off_is_not_barred(casefile: CaseFile, case_ref: str) -> None:
    casefile.answer(ALICE, case_ref, "pep", "no")
    assert own_work("alice", Role.FEE_EARNER, casefile.view(case_ref).records.answers, (), ()) == []


def test_a_firm_that_allows_self_approval_says_so_and_is_not_stopped(
    casefile: CaseFile, case_ref: str
) -> None:
    casefile.answer(BOB, case_ref, "pep", "no")
    lenient = CaseFile(
        casefile.store, casefile.blobs, casefile.library, casefile.clock,
        CasePolicy(allow_self_approval=True),
    )  # fmt: skip
    assert lenient.approve(BOB, case_ref, Role.SENIOR_MANAGER).approver == "bob"


def _decision(by: str) -> HitDisposition:
    return HitDisposition(
        id="d1", case_id="c", party_id="p1", screening_id="s", hit_id="h", key="un:1",
        entry_sha256="0" * 64, outcome=Outcome.FALSE_POSITIVE,
        reason=ReasonCode.FP_DIFFERENT_DOB, note="born 1961, the entry 1948",
        decided_at=datetime(2026, 3, 1, tzinfo=UTC), decided_by=by,
    )  # fmt: skip


def test_a_hit_decision_bars_other_roles_but_not_the_mlros_own_approval() -> None:
    decisions = [_decision("mary"), _decision("mary")]
    assert own_work("mary", Role.SENIOR_MANAGER, (), (), decisions) == ["2 screening hit decisions"]
    # Deciding a sanctions hit is the MLRO's own function: with one MLRO, barring the MLRO's
    # approval would leave a matter with a hit unapprovable.
    assert own_work("mary", Role.MLRO, (), (), decisions) == []
    assert own_work("bob", Role.SENIOR_MANAGER, (), (), decisions) == []
