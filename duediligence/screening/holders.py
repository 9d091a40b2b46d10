"""Is the remitter on a bank statement the account holder the file names?

Statements print names their own way: "MR J SMITH", "SMITH JOHN", "HALYK BANK JSC", a Cyrillic
name in Latin letters. String equality calls each of those a stranger, so the reconciliation of
receipts (`domain.funds`) compares names through the screening normaliser instead: the same
transliteration-equivalence keys, honorifics and legal forms set aside, word order free, and an
initial standing for a given name. Pure and cached: reconciling 500 receipts against 30
tranches reads each name once.
"""

from __future__ import annotations

from functools import lru_cache

from duediligence.screening.normalise import equivalence_key, name_forms


@lru_cache(maxsize=20_000)
def _keys(name: str) -> tuple[tuple[str, ...], ...]:
    """Each normalised form of a name as equivalence keys (as a person and as an entity)."""
    forms = {
        tuple(equivalence_key(t) for t in form.tokens)
        for entity in (False, True)
        for form in name_forms(name, entity)
        if form.tokens
    }
    return tuple(sorted(forms))


@lru_cache(maxsize=20_000)
def _whole_parts(name: str) -> frozenset[str]:
    """Every part longer than an initial, in any form of the name: two names with none in
    common are not the same holder, which settles most pairs without aligning them."""
    return frozenset(part for form in _keys(name) for part in form if len(part) > 1)


def _covers(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every part of `short` is a part of `long` (an initial standing for a part it begins),
    at least one whole part in common, nothing used twice."""
    left = list(long)
    whole = 0
    for part in sorted(short, key=len, reverse=True):
        if part in left:
            left.remove(part)
            whole += len(part) > 1
            continue
        if len(part) == 1:
            match = next((p for p in left if p.startswith(part)), None)
            if match is not None:
                left.remove(match)
                continue
        return False
    return whole > 0


@lru_cache(maxsize=100_000)
def same_holder(remitter: str, name: str) -> bool:
    """Whether the remitter printed on a statement is the person or body named `name`."""
    if _whole_parts(remitter).isdisjoint(_whole_parts(name)):
        return False
    for a in _keys(remitter):
        for b in _keys(name):
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            if len(short) == 1 and len(long) > 1:
                continue  # "SMITH" alone is not John Smith
            if _covers(short, long):
                return True
    return False
