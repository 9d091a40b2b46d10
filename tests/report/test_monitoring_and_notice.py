"""Issue 15, item 6: the ongoing-monitoring log and the reg 41 notice's version, read back from
the rendered example audit file (the realistic matter: rated, reviewed, re-screened)."""

from __future__ import annotations

from tests.report.conftest import Rendered, squash


def test_the_monitoring_log_lists_reviews_and_rescreens_with_outcomes(example: Rendered) -> None:
    text = squash(example.text())
    part = text.split(squash("Ongoing monitoring (MLR reg 28(11))"), 1)[1]
    part = part.split(squash("Assessment answers (every version)"), 1)[0]
    for words in (
        "Risk assessed checklist solicitor-cdd Priya Shah (priya) rated medium",
        "Risk reviewed checklist solicitor-cdd Priya Shah (priya) rated high (was medium)",
        "Screened Nurlan Abenov (p1) Priya Shah (priya) 1 alert: 1 confirmed as a true match",
        "Re-screened Aigerim Abenova (p3) Priya Shah (priya) no alerts",
    ):
        assert squash(words) in part, words
    # Every screening on the matter is in the log, the first of each party as "Screened".
    screenings = example.view.records.screenings
    assert part.count(squash("Re-screened")) == len(screenings) - len(
        {s.party_id for s in screenings}
    )
    # The review is due now (a screening hit since the rating was chosen): said, not a date.
    assert squash("Next review DUE NOW: screening hit p1 since the rating was chosen") in part


def test_the_monitoring_log_comes_from_the_read_model(example: Rendered) -> None:
    log = example.view.monitoring
    kinds = [entry.kind for entry in log]
    assert kinds.count("risk assessed") == 1 and kinds.count("risk reviewed") == 1
    assert [entry.at for entry in log] == sorted(entry.at for entry in log)


def test_the_reg_41_notice_version_is_printed(example: Rendered) -> None:
    assert squash(
        "Privacy notice (reg 41) Given: Yes, on 2026-02-02; version Client privacy notice "
        "v2026.1 (January 2026)"
    ) in squash(example.text())
