"""The harness itself: it must see a change, a traceback and a hang, or the corpus proves nothing."""

from __future__ import annotations

import pytest

from tests.hostile.harness import Hang, Hostile


def test_a_good_command_runs_and_the_seeded_store_verifies(hostile: Hostile) -> None:
    listed = hostile.run("cases", "list", "--json")
    assert listed.code == 0, listed.output
    assert '"M-1"' in listed.out
    hostile.verify_clean()


def test_the_fingerprint_sees_a_stored_answer(hostile: Hostile) -> None:
    before = hostile.fingerprint()
    assert hostile.run("answer", "M-1", "ident.full_name", "Ivan Petrov").code == 0
    assert hostile.fingerprint() != before


def test_refused_fails_when_the_store_changed(hostile: Hostile) -> None:
    with pytest.raises(AssertionError, match="changed the store"):
        hostile.refused("answer", "M-1", "ident.full_name", "Ivan Petrov", message="", code=0)


def test_a_hang_is_caught_by_the_timeout(hostile: Hostile) -> None:
    with pytest.raises(Hang):
        hostile.run("--help", timeout=0.01)
