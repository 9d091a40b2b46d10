"""Four eyes: who may approve a matter, given who did its due diligence.

An approval is a second person's check of the due-diligence record (MLR regs 33(1), 35(5) for
senior management; the firm's supervision policy for supervisors). Checking only the matter's
"responsible" field let a senior manager who answered a matter's questions approve it. So the
rule is on the record itself: whoever recorded an answer, a piece of evidence or a decision on a
screening hit on the matter may not approve it in any supervising role.

Two things are not a conflict. The fee earner's own sign-off (the fee-earner role) is their
statement about their own work. And the MLRO's decision on a hit is the MLRO's own function
(only the MLRO may decide a sanctions hit): it does not bar the MLRO's approval as MLRO, or a
firm with one MLRO could never approve a matter that had a hit. It does bar the MLRO approving
in another role (as senior manager), where a second person is the point.
"""

from __future__ import annotations

from collections.abc import Iterable

from duediligence.domain.case import AnswerVersion, Evidence
from duediligence.domain.funds import ReceiptState
from duediligence.domain.screening_records import HitDisposition
from duediligence.domain.vocabulary import Role


def own_work(
    person_id: str,
    role: Role,
    answers: Iterable[AnswerVersion],
    evidence: Iterable[Evidence],
    dispositions: Iterable[HitDisposition],
) -> list[str]:
    """What `person_id` recorded on the matter that bars approving it in `role`, in words
    ("3 answers", "1 evidence file"); empty when nothing does."""
    if role is Role.FEE_EARNER:
        return []
    answered = sum(1 for a in answers if a.answered_by == person_id)
    stored = sum(1 for e in evidence if e.added_by == person_id)
    decided = 0 if role is Role.MLRO else sum(1 for d in dispositions if d.decided_by == person_id)
    words = []
    for count, one, many in (
        (answered, "answer", "answers"),
        (stored, "evidence file", "evidence files"),
        (decided, "screening hit decision", "screening hit decisions"),
    ):
        if count:
            words.append(f"{count} {one if count == 1 else many}")
    return words


def own_receipt_work(person_id: str, state: ReceiptState) -> list[str]:
    """What `person_id` did about a receipt that bars accepting it, in words ("recorded the
    receipt"): the acceptance is a second person's check of the explanation."""
    words = []
    if state.receipt.recorded_by == person_id:
        words.append("recorded the receipt")
    if state.explanation is not None and state.explanation.by == person_id:
        words.append("explained it")
    return words
