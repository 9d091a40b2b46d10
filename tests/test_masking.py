"""An identity document number shows at most its last four characters, and never more than a
third of it."""

from __future__ import annotations

from duediligence.domain.masking import mask_number


def test_a_passport_number_keeps_only_its_last_four() -> None:
    assert mask_number("533907654321") == "••••••••4321"


def test_a_short_number_shows_at_most_a_third() -> None:
    assert mask_number("AB12C") == "••••C"
    assert mask_number("123") == "••3"
    assert mask_number("12") == "••"


def test_spaces_are_not_counted_and_nothing_recorded_says_so() -> None:
    assert mask_number("5339 0765 4321") == "••••••••4321"
    assert mask_number(None) == "not recorded"
    assert mask_number("") == "not recorded"
