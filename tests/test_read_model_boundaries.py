"""No rule about a matter is computed in the TUI, the audit file or the CLI: they format the
read model's facts (`services/reading.py`). A grep over their sources, so a copy of a rule
cannot creep back in unnoticed: no evaluation, no store access, no call of the domain's rules that the read model
applies once (timing, hit dispositions, review, retention, flags, the open request, the rating).
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "duediligence"
FORMATTERS = ("tui", "report", "cli")
FORBIDDEN = {
    r"\bevaluate\(": "evaluates a matter",
    # (`args.store` in the render child is the store's path, not the store)
    r"(?<!args)\.store\.": "reads the store directly",
    r"\bcasefile\.store\b": "reads the store directly",
    r"\bopen_request\(": "works out the waiting approval request",
    r"\bdisposition_for\(|\bhit_status\(|\bhit_states\(": "works out a hit's standing",
    r"\blatest_screenings\(|\bscreening_facts\(": "works out the screening facts",
    r"\bretention_start\(|\bretention_until\(": "works out retention",
    r"\breview_of\(": "works out the review date",
    r"\bflags\(": "works out the PEP / sanctions flags",
    r"\btiming_of\(|\brelationship_start\(|\blate_days\(|\bclaimed_times\(": (
        "works out reg 30 timing or claimed and entered times"
    ),
    r"\breconcile_claims\(": "sets answers against the records",
    r"\bstructure_of\(|\bholdings_from_answers\(|\btyped_holdings\(": (
        "works out ownership through the layers"
    ),
    r"\bmonitoring_log\(": "works out the monitoring log",
    r"\bRating\.highest\(": "works out the chosen rating",
    r"\brelied_on_hash\(|\bchanges_since\(|\bcase_state_hash\(": "works out superseded approvals",
}


def _offences() -> list[str]:
    found = []
    for folder in FORMATTERS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                for pattern, what in FORBIDDEN.items():
                    if re.search(pattern, code):
                        where = path.relative_to(PACKAGE.parent)
                        found.append(f"{where}:{number} {what}: {line.strip()}")
    return found


def test_the_tui_and_the_audit_file_only_format_the_read_model() -> None:
    assert _offences() == []


def test_the_grep_would_see_an_offence() -> None:
    # The patterns match the calls they are meant to catch (a guard against a grep that can
    # never fail).
    samples = {
        "evaluation = evaluate(casefile.snapshot(records, superseded))": r"\bevaluate\(",
        "with casefile.store.transaction() as tx:": r"(?<!args)\.store\.",
        "request = open_request(records.approval_requests, ...)": r"\bopen_request\(",
        "decided = disposition_for(party.id, hit, dispositions)": r"\bdisposition_for\(",
    }
    for line, pattern in samples.items():
        assert re.search(pattern, line), line
