"""Reconciling 500 receipts against 30 declared tranches (issue 14 target: under 50 ms).

The domain's `reconcile` with the read model's real policy (the screening normaliser comparing
remitters with payers and parties, the bundled high-risk third countries). Two timings, each the
median of repeated runs:
- cold: the name caches cleared before every run, as in one `funds list` or one TUI refresh in
  a fresh process (every name normalised once);
- warm: the caches kept, as in the TUI re-reading a matter.
The baseline, in the same run: the same reconciliation comparing names by plain case-folded
equality (what the normaliser's cost is measured against).

    python -m benchmarks.funds_reconcile [RUNS]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from duediligence.adapters.checklists_toml import load_library
from duediligence.domain.answers import Money
from duediligence.domain.case import Party, PartyKind, PartyRole
from duediligence.domain.funds import (
    Declared,
    FundsPolicy,
    Receipt,
    ReceiptState,
    Tranche,
    receipt_states,
    reconcile,
)
from duediligence.domain.monitoring import CasePolicy
from duediligence.screening import holders
from duediligence.services.reading import funds_policy

TRANCHES = 30
RECEIPTS = 500
TARGET_MS = 50.0
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
GIVEN = [
    "John",
    "Maria",
    "Oleksandr",
    "Aisha",
    "Wei",
    "Giorgos",
    "Fatima",
    "Pieter",
    "Ana",
    "Kwame",
]
FAMILY = ["Smith", "Kowalska", "Petrenko", "Rahman", "Zhang", "Papadopoulos", "Haddad", "de Vries"]


def matter(seed: int = 14) -> tuple[Declared, list[ReceiptState], list[Party]]:
    rng = random.Random(seed)
    parties = []
    for number in range(1, TRANCHES + 1):
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        parties.append(
            Party(
                id=f"party{number}",
                case_id="case",
                label=f"p{number}",
                role=PartyRole.CLIENT if number == 1 else PartyRole.PAYER,
                kind=PartyKind.INDIVIDUAL,
                name=name,
                added_at=NOW,
                added_by="bench",
            )
        )
    tranches = tuple(
        Tranche(
            run_key="source-of-funds",
            number=number,
            source="savings",
            amount=Money(amount=Decimal(20_000 + 1_000 * number), currency="GBP"),
            payer=parties[number - 1],
            payer_label=parties[number - 1].label,
            bank_country="GB",
        )
        for number in range(1, TRANCHES + 1)
    )
    receipts = []
    for index in range(RECEIPTS):
        tranche = tranches[index % TRANCHES]
        assert tranche.payer is not None and tranche.amount is not None
        given, family = tranche.payer.name.rsplit(" ", 1)
        remitter = rng.choice(
            [
                tranche.payer.name,
                f"MR {given[0]} {family}".upper(),
                f"{family} {given}".upper(),
                f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} Holdings Ltd",
            ]
        )
        currency, rate = ("EUR", Decimal("0.85")) if index % 10 == 0 else ("GBP", None)
        receipts.append(
            Receipt(
                id=f"r{index}",
                case_id="case",
                amount=(tranche.amount.amount / 17).quantize(Decimal("0.01")),
                currency=currency,
                rate=rate,
                received_on=date(2026, 5, 1) + timedelta(days=index % 28),
                remitter=remitter,
                bank="Bank",
                bank_country=rng.choice(["GB", "GB", "GB", "IE", "IR"]),
                account=f"{index:08d}",
                tranche=tranche.number,
                run_key="source-of-funds",
                recorded_by="bench",
                recorded_at=NOW,
            )
        )
    declared = Declared(
        tranches=tranches,
        required=Money(
            amount=Decimal(sum(20_000 + 1_000 * n for n in range(1, 31))), currency="GBP"
        ),
        reviewed_at=datetime(2026, 5, 10, tzinfo=UTC),
    )
    return declared, receipt_states(receipts, ()), parties


def median_ms(runs: int, action: Callable[[], object], before: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _clear() -> None:
    holders.same_holder.cache_clear()
    holders._keys.cache_clear()
    holders._whole_parts.cache_clear()


def main(runs: int) -> None:
    declared, receipts, parties = matter()
    policy = funds_policy(load_library(), CasePolicy())
    plain: FundsPolicy = replace(policy, same_name=lambda a, b: a.casefold() == b.casefold())

    def run(with_policy: FundsPolicy) -> Callable[[], object]:
        return lambda: reconcile(declared, receipts, parties, with_policy)

    result = reconcile(declared, receipts, parties, policy)
    cold = median_ms(runs, run(policy), _clear)
    warm = median_ms(runs, run(policy), lambda: None)
    baseline = median_ms(runs, run(plain), lambda: None)
    kinds: dict[str, int] = {}
    for line in result.lines:
        for mismatch in line.mismatches:
            kinds[mismatch.kind] = kinds.get(mismatch.kind, 0) + 1
    print(f"{RECEIPTS} receipts against {TRANCHES} tranches, median of {runs} runs")
    print(f"  mismatches found: {dict(sorted(kinds.items()))}; unreconciled {result.unreconciled}")
    print(f"  cold (name caches cleared each run): {cold:7.2f} ms")
    print(f"  warm (caches kept):                  {warm:7.2f} ms")
    print(f"  baseline (names by plain equality):  {baseline:7.2f} ms")
    print(
        f"  cold / baseline: {cold / baseline:.1f}x; target under {TARGET_MS:.0f} ms: "
        + ("met" if cold < TARGET_MS else "MISSED")
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
