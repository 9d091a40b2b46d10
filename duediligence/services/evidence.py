"""Evidence after it is stored: marking it verified (who, when, how).

Kept beside `casefile.py` so the case-file module stays the other engineer's; it uses only the
ports. Verifying changes the case state, so approvals given before it are visibly superseded.
"""

from __future__ import annotations

from duediligence.domain.case import Actor, Evidence, InvalidInput, NotFound, acting_person
from duediligence.domain.controls import verification_method
from duediligence.services.casefile import CaseFile


def mark_verified(
    casefile: CaseFile, actor: Actor, reference: str, evidence_id: str, method: str | None = None
) -> Evidence:
    """Record that a piece of evidence was verified now, by `actor`."""
    now = casefile.clock.now()
    with casefile.store.transaction() as tx:
        me = acting_person(tx.person(actor.user), actor)
        # Not purged, and `me` trained: the same as every other change to a file.
        records = casefile._writable(tx, reference, me, now)
        case = records.case
        found = [e for e in records.evidence if e.id == evidence_id]
        if not found:
            raise NotFound(f"case {reference} has no evidence '{evidence_id}'")
        evidence = found[0]
        if evidence.verified_at is not None:
            raise InvalidInput(
                f"{evidence.original_name} was already verified by {evidence.verified_by} "
                f"at {evidence.verified_at:%Y-%m-%d %H:%M}"
            )
        method = (method or "").strip() or evidence.method
        verification_method(True, method)
        updated = evidence.model_copy(
            update={"verified_at": now, "verified_by": me.id, "method": method}
        )
        tx.replace(updated, actor=actor, role=me.roles[0].value, action="evidence.verify")
        # Verifying changes what an approval relied on and the reg 30 timing: the listing row
        # is rewritten in the same transaction, as every other write does.
        casefile._refresh(tx, case.id)
        return updated
