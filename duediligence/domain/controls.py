"""Controls that cannot be bypassed: the rules that refuse a step outright, or let only the MLRO
take it with a recorded reason (issue 13).

Pure functions over the evaluation and the records, so the services apply them once and the CLI,
the TUI and the PDF only say what they decided. Nothing here writes or reads storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from duediligence.domain.answers import meaningful_text
from duediligence.domain.case import InvalidInput
from duediligence.domain.evaluation import Evaluation
from duediligence.domain.vocabulary import Gate, MatterEvent

EVENT_GATES: Final[dict[MatterEvent, Gate]] = {
    MatterEvent.FUNDS_RECEIVED: Gate.G2,
    MatterEvent.EXCHANGE: Gate.G3,
    MatterEvent.COMPLETION: Gate.G4,
}
"""The matter events that pass a gate: recording one says the gate was passed."""

MLRO_REASON_MIN: Final = 20
"""Meaningful characters an MLRO's exception reason needs: enough to say what and why."""


def event_blockers(evaluation: Evaluation, event: MatterEvent) -> tuple[Gate, tuple[str, ...]]:
    """The gate `event` passes and every reason it is closed; no reasons when it is open (or the
    event passes no gate). Recording funds received, exchange or completion while its gate is
    closed would make the gates mean nothing: the money or the contract moved anyway."""
    gate = EVENT_GATES.get(event)
    if gate is None:
        return Gate.G1, ()
    state = evaluation.gate(gate)
    if state.open:
        return gate, ()
    return gate, tuple(dict.fromkeys(r.message for r in state.reasons))


def stated_reason(what: str, text: str | None) -> str:
    """An MLRO's reason for an exception, trimmed, or InvalidInput when it says too little
    (length counts the text as it reads, as for answers)."""
    trimmed = (text or "").strip()
    length = len(meaningful_text(trimmed))
    if length < MLRO_REASON_MIN:
        raise InvalidInput(
            f"{what} needs a reason of at least {MLRO_REASON_MIN} characters (it has "
            f"{length}): say what happened and why it stands"
        )
    return trimmed


def list_entries(counts: Mapping[str, int]) -> int:
    """Entries in a list snapshot (people and entities), from its stored counts."""
    return counts.get("person", 0) + counts.get("entity", 0)


def list_shrink(source: str, previous: int | None, new: int, max_percent: int) -> str | None:
    """Why a new snapshot of `source` must not replace the one in use without a reason, or None.

    An empty file, or half of OFAC's `sdn.csv`, imported as the new list would silently clear
    every hit on entries it lost. A snapshot with no entries, or with more than `max_percent`
    fewer entries than the previous snapshot of the same source, needs confirming.
    """
    if new == 0:
        return f"the new {source} list holds no entries"
    if previous is None or previous == 0 or new >= previous:
        return None
    dropped = previous - new
    if dropped * 100 > previous * max_percent:
        share = dropped * 100 / previous
        return (
            f"the new {source} list holds {new:,} entries, {dropped:,} ({share:.0f}%) fewer than "
            f"the {previous:,} of the one in use (the firm's limit is {max_percent}%)"
        )
    return None
