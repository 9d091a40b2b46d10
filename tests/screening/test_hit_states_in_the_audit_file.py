"""The audit file prints each hit as the read model stands it (`disposition_for` / `hit_status`):
a false positive stands only while the list entry is unchanged, so a hit raised again after the
entry changed prints open, not dismissed. Real store on tmp_path; the audit file's view model
built from it; the screening service's own view of the hits agrees.

The "designation" of Kassym-Jomart Tokayev is fictitious (see test_casefile_screening.py).
"""

from __future__ import annotations

from datetime import date

from duediligence.domain.screening_records import Outcome, ReasonCode
from duediligence.report.view import build, gather
from tests.screening.test_casefile_screening import (
    BOB,
    OTHER,
    World,
    library,
    sanctions_list,
    tokayev,
    world,
)

__all__ = ["library", "world"]  # the fixtures, used by name


def test_a_hit_raised_again_after_the_entry_changed_prints_open(world: World) -> None:
    world.service.import_list(
        BOB, sanctions_list(world, "v1.csv", date(2026, 3, 1), tokayev(), OTHER), "uksl-csv"
    )
    world.add_party("Kassym-Jomart Tokayev", date_of_birth=date(1953, 5, 17))
    [first] = world.service.hits("M-1")
    world.service.dispose(
        BOB,
        "M-1",
        first.hit.id,
        Outcome.FALSE_POSITIVE,
        ReasonCode.FP_OTHER,
        "Passport seen: a different person",
    )
    changed = tokayev(dob="17/05/1953|00/00/1954")
    world.service.import_list(
        BOB, sanctions_list(world, "v2.csv", date(2026, 3, 3), changed, OTHER), "uksl-csv"
    )
    assert world.service.rescreen_open_cases(BOB).open_hits == 1
    [raised] = world.service.hits("M-1")
    assert raised.hit.key == first.hit.key and raised.status.value == "possible_match"

    audit = build(gather(world.casefile, "M-1", generated_by="bob"))
    found = sorted(
        (s.latest, h.open, h.disposition)
        for s in audit.screenings
        for h in s.hits
        if h.entry == "uksl-csv:TST0001"
    )
    [(_, earlier_open, earlier_words), (_, now_open, now_words)] = found
    # The first screening's hit: the false positive was recorded against that entry content.
    assert not earlier_open and earlier_words.lower().startswith("false positive")
    # The latest screening's hit: the entry changed, so the dismissal no longer applies.
    assert now_open and now_words == "NO DISPOSITION RECORDED"
    assert "dismissed" not in now_words and "false positive" not in now_words.lower()
