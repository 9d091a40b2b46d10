"""The money trail: receipts into client account, reconciled with the declared source of funds.

A `Receipt` is what the bank statement says arrived (amount, date, remitter as printed, bank,
country, account); `ReceiptAction`s follow it, append-only: allocated to a tranche, explained by
the fee earner, accepted by a supervisor, returned. `reconcile` compares each receipt with the
tranche it is allocated to and the whole with the amount required, and names every mismatch;
the read model feeds what it finds to the evaluator as gate reasons, so the TUI, the CLI and the
audit file only format it. The SRA found 8% of files with source-of-funds evidence that did not
match the client ledger: this is where the two meet.

Pure: names are compared by a function the caller passes (the screening normaliser lives above
the domain), nothing here reads storage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Final, Literal

from pydantic import Field

from duediligence.domain.answers import AnswerValue, Money, check_past, parse_answer
from duediligence.domain.case import (
    InvalidInput,
    Party,
    PartyRole,
    Record,
    optional_text,
    plain_text,
)
from duediligence.domain.checklist import Question, QuestionType
from duediligence.domain.errors import InvalidAnswer
from duediligence.domain.masking import mask_number
from duediligence.domain.vocabulary import Gate

SOF_CHECKLIST: Final = "source-of-funds"
"""The checklist whose repeating "tranche" entries declare the funds."""
DERIVED_QUESTION: Final = "sof.receipts_match"
"""The source-of-funds question the reconciliation answers: never typed (issue 14)."""

ReceiptActionKind = Literal["allocate", "explain", "accept", "return"]


class Receipt(Record):
    """One payment into client account, as the bank statement shows it. Never changed: what
    happens to it afterwards is a `ReceiptAction`."""

    KIND: ClassVar[str] = "receipt"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    amount: Decimal = Field(gt=0)
    """The amount received."""
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    """ISO 4217 code of the amount."""
    rate: Decimal | None = Field(default=None, gt=0)
    """Units of the tranche's currency per unit of this one, when they differ (the rate the
    bank applied); None when they are the same."""
    received_on: date
    """The value date on the statement."""
    remitter: str = Field(min_length=1, max_length=500)
    """The remitter's name as the statement prints it."""
    bank: str | None = None
    """The remitting bank."""
    bank_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    """ISO 3166-1 alpha-2 code of the remitting bank's country."""
    account: str | None = Field(default=None, max_length=100)
    """The remitting account, whole (kept for verification; printed masked)."""
    reference: str | None = None
    """The firm's client-account (ledger) reference."""
    run_key: str | None = None
    """The source-of-funds run of the tranche it was allocated to when recorded."""
    tranche: int | None = Field(default=None, ge=1)
    """The tranche entry it was allocated to when recorded (None: not allocated)."""
    gate_closed: tuple[str, ...] = ()
    """Why G2 (funds) was closed when it was recorded: the money is kept, the matter held and
    the MLRO told. Empty when G2 was open."""
    recorded_by: str
    """Who recorded it."""
    recorded_at: datetime
    """When it was recorded."""

    @property
    def money(self) -> Money:
        """The amount with its currency."""
        return Money(amount=self.amount, currency=self.currency)

    @property
    def masked_account(self) -> str:
        """The account as printed: all but its end hidden."""
        return mask_number(self.account)


class ReceiptAction(Record):
    """Something done about a receipt: allocated to a tranche, explained by the fee earner,
    accepted by a supervisor (not the one who explained it), or returned to the payer."""

    KIND: ClassVar[str] = "receipt_action"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    receipt_id: str
    """The receipt."""
    action: ReceiptActionKind
    """What was done."""
    run_key: str | None = None
    """The source-of-funds run of the tranche (allocate)."""
    tranche: int | None = Field(default=None, ge=1)
    """The tranche entry (allocate)."""
    note: str | None = Field(default=None, max_length=20000)
    """The explanation, the acceptance note or why it was returned."""
    by: str
    """Who did it."""
    at: datetime
    """When."""


@dataclass(frozen=True)
class Tranche:
    """One declared tranche of the source of funds (a "tranche" entry of the checklist)."""

    run_key: str
    """The source-of-funds run it is in."""
    number: int
    """Its entry number (1, 2 ...)."""
    source: str | None = None
    """What the money is (savings, mortgage, gift ...)."""
    amount: Money | None = None
    """The amount declared."""
    payer: Party | None = None
    """The party holding the paying account."""
    payer_label: str | None = None
    """The payer as answered (a party label), even when no such party exists."""
    bank_country: str | None = None
    """The paying bank's declared country."""

    @property
    def label(self) -> str:
        """How a person names it: "tranche 2" (with the run when it is not the client's)."""
        if self.run_key == SOF_CHECKLIST:
            return f"tranche {self.number}"
        return f"tranche {self.number} ({self.run_key})"


@dataclass(frozen=True)
class Declared:
    """What the source-of-funds record declares: its tranches, the amount required and when
    the review was completed."""

    tranches: tuple[Tranche, ...] = ()
    required: Money | None = None
    """The total the client must provide."""
    reviewed_at: datetime | None = None
    """When the source-of-funds review was completed (None: not yet)."""

    def tranche(self, run_key: str | None, number: int | None) -> Tranche | None:
        """The tranche a receipt is allocated to, if declared."""
        for tranche in self.tranches:
            if tranche.number == number and (run_key is None or tranche.run_key == run_key):
                return tranche
        return None


def declared_funds(
    runs: Iterable[tuple[str, str, Mapping[str, AnswerValue]]], parties: Sequence[Party]
) -> Declared:
    """The tranches and totals from the source-of-funds runs' current answers, given as (run
    key, checklist id, answers by key)."""
    labels = {p.label: p for p in parties}
    tranches: list[Tranche] = []
    required: Money | None = None
    reviewed: datetime | None = None
    for run_key, checklist_id, answers in runs:
        if checklist_id != SOF_CHECKLIST:
            continue
        entries = sorted(
            {
                int(key.partition("#")[2])
                for key in answers
                if key.startswith("tranche.") and key.partition("#")[2].isdigit()
            }
        )
        for number in entries:
            amount = answers.get(f"tranche.amount#{number}")
            payer = answers.get(f"tranche.payer#{number}")
            country = answers.get(f"tranche.bank_country#{number}")
            source = answers.get(f"tranche.source#{number}")
            tranches.append(
                Tranche(
                    run_key=run_key,
                    number=number,
                    source=source if isinstance(source, str) else None,
                    amount=amount if isinstance(amount, Money) else None,
                    payer=labels.get(payer) if isinstance(payer, str) else None,
                    payer_label=payer if isinstance(payer, str) else None,
                    bank_country=country if isinstance(country, str) else None,
                )
            )
        needed = answers.get("sof.amount_required")
        if isinstance(needed, Money) and required is None:
            required = needed
        done = answers.get("sof.review_completed_at")
        if isinstance(done, datetime) and (reviewed is None or done > reviewed):
            reviewed = done
    return Declared(tuple(tranches), required, reviewed)


# ----------------------------------------------------------------------------------------------
# What happened to each receipt


@dataclass(frozen=True)
class ReceiptState:
    """A receipt with what has been done about it since."""

    receipt: Receipt
    run_key: str | None
    """The run of the tranche it is allocated to now."""
    tranche: int | None
    """The tranche it is allocated to now."""
    explanation: ReceiptAction | None = None
    """The fee earner's latest explanation."""
    acceptance: ReceiptAction | None = None
    """A supervisor's acceptance of that explanation (None: not accepted, or explained or
    re-allocated since)."""
    returned: ReceiptAction | None = None
    """Its return to the payer."""
    actions: tuple[ReceiptAction, ...] = ()
    """Everything done about it, oldest first."""


def receipt_states(
    receipts: Iterable[Receipt], actions: Iterable[ReceiptAction]
) -> list[ReceiptState]:
    """Each receipt folded with its actions (given oldest first), in the order received."""
    by_receipt: dict[str, list[ReceiptAction]] = {}
    for action in actions:
        by_receipt.setdefault(action.receipt_id, []).append(action)
    states = []
    for receipt in receipts:
        run_key, tranche = receipt.run_key, receipt.tranche
        explanation = acceptance = returned = None
        done = tuple(by_receipt.get(receipt.id, ()))
        for action in done:
            if action.action == "allocate":
                run_key, tranche = action.run_key, action.tranche
                acceptance = None  # accepted against another tranche: look again
            elif action.action == "explain":
                explanation, acceptance = action, None
            elif action.action == "accept":
                acceptance = action
            else:
                returned = action
        states.append(
            ReceiptState(receipt, run_key, tranche, explanation, acceptance, returned, done)
        )
    states.sort(key=lambda s: (s.receipt.received_on, s.receipt.recorded_at))
    return states


# ----------------------------------------------------------------------------------------------
# Reconciliation

MismatchKind = Literal[
    "unallocated",
    "no_tranche",
    "amount",
    "currency",
    "payer",
    "not_party",
    "country",
    "country_missing",
    "high_risk",
    "before_review",
    "gate_closed",
]


@dataclass(frozen=True)
class FundsPolicy:
    """The firm's reconciliation policy (from the settings) and what it compares with."""

    tolerance_percent: Decimal = Decimal("1")
    """A receipt may exceed its tranche by this share of the tranche (bank charges, rounding)."""
    tolerance_amount: Decimal = Decimal("0")
    """... or by this absolute amount in the tranche's currency, whichever is larger."""
    high_risk_countries: frozenset[str] = frozenset()
    """High-risk third countries (MLR reg 33(1)(b)): the checklists' country list."""
    high_risk_list: str = "high-risk third countries"
    """That list's title, for the message."""
    same_name: Callable[[str, str], bool] = field(
        default=lambda a, b: a.casefold().split() == b.casefold().split()
    )
    """Whether two names are the same holder (the screening normaliser, given by the caller)."""

    def allowed_excess(self, amount: Decimal) -> Decimal:
        """How much over `amount` still reconciles."""
        return max(amount * self.tolerance_percent / 100, self.tolerance_amount)


@dataclass(frozen=True)
class Mismatch:
    """One thing about a receipt that does not match what was declared."""

    kind: MismatchKind
    message: str
    mlro: bool = False
    """Only the MLRO may accept it (money that arrived past a closed gate)."""


ReceiptStatus = Literal["reconciled", "unreconciled", "explained", "accepted", "returned"]


@dataclass(frozen=True)
class ReceiptLine:
    """One receipt reconciled: its tranche, every mismatch and where it stands."""

    state: ReceiptState
    tranche: Tranche | None
    mismatches: tuple[Mismatch, ...]
    converted: Decimal | None
    """The amount in the tranche's currency (None: no tranche, or no rate to convert)."""

    @property
    def receipt(self) -> Receipt:
        """The receipt."""
        return self.state.receipt

    @property
    def status(self) -> ReceiptStatus:
        """Reconciled; unreconciled (waiting for an explanation); explained (waiting for a
        supervisor); accepted; or returned."""
        if self.state.returned is not None:
            return "returned"
        if not self.mismatches:
            return "reconciled"
        if self.state.acceptance is not None:
            return "accepted"
        if self.state.explanation is not None:
            return "explained"
        return "unreconciled"

    @property
    def open(self) -> bool:
        """It keeps G2 closed: a mismatch neither accepted nor returned."""
        return self.status in ("unreconciled", "explained")

    @property
    def needs_mlro(self) -> bool:
        """Its acceptance is the MLRO's alone."""
        return any(m.mlro for m in self.mismatches)


@dataclass(frozen=True)
class FundsIssue:
    """Something the reconciliation found that keeps a gate closed."""

    gate: Gate
    """G2 for a receipt that does not reconcile; G3 for receipts short of the amount required."""
    message: str
    """What is wrong and what clears it."""
    receipt_id: str | None = None
    """The receipt, when it is about one."""
    refer: str | None = None
    """The referral to the MLRO it makes (money that arrived while G2 was closed), if any:
    the MLRO is told even on a matter without a source-of-funds checklist."""


@dataclass(frozen=True)
class Reconciliation:
    """Every receipt against its tranche, and the whole against the amount required."""

    declared: Declared = field(default_factory=Declared)
    """What the source-of-funds record declares."""
    lines: tuple[ReceiptLine, ...] = ()
    required: Money | None = None
    received: Decimal = Decimal(0)
    """Receipts kept (not returned), in the required amount's currency."""
    unconverted: tuple[str, ...] = ()
    """Receipts that could not be added up (another currency without a rate), in words."""
    total_mismatch: str | None = None
    """The total against the amount required, when it does not match."""
    issues: tuple[FundsIssue, ...] = ()
    """Every reason it keeps a gate closed."""

    @property
    def unreconciled(self) -> int:
        """Receipts whose mismatches are neither accepted nor returned."""
        return sum(1 for line in self.lines if line.open)

    @property
    def receipts_match(self) -> str:
        """The derived answer to `sof.receipts_match`: not_yet, yes or no."""
        kept = [line for line in self.lines if line.status != "returned"]
        if not kept:
            return "not_yet"
        return "no" if self.unreconciled else "yes"


def money_text(amount: Decimal, currency: str) -> str:
    """An amount as the audit file prints it: "GBP 250,000.00"."""
    return f"{currency} {amount:,.2f}"


def reconcile(
    declared: Declared,
    receipts: Sequence[ReceiptState],
    parties: Sequence[Party],
    policy: FundsPolicy,
) -> Reconciliation:
    """Each receipt against the tranche it is allocated to (amount within the firm's
    tolerance, currency, the remitter the tranche's payer and a party of the matter, the bank
    country the declared one and not high-risk, received after the review), and the receipts
    kept against the amount required. Every mismatch is named."""
    names = [(p, (p.name, *p.other_names)) for p in parties]
    # One answer per distinct remitter: a ledger repeats the same few names many times.
    strangers: dict[str, bool] = {}
    # Receipts allocated to the same tranche add up against it, in the order received.
    running: dict[tuple[str, int], Decimal] = {}
    lines: list[ReceiptLine] = []
    for state in receipts:
        tranche = (
            declared.tranche(state.run_key, state.tranche) if state.tranche is not None else None
        )
        found, converted = _mismatches(state, tranche, declared, names, policy, strangers)
        if (
            state.returned is None
            and tranche is not None
            and tranche.amount is not None
            and converted is not None
        ):
            key = (tranche.run_key, tranche.number)
            total = running.get(key, Decimal(0)) + converted
            running[key] = total
            limit = tranche.amount.amount + policy.allowed_excess(tranche.amount.amount)
            if total > limit:
                declared_text = money_text(tranche.amount.amount, tranche.amount.currency)
                got = money_text(total, tranche.amount.currency)
                found.append(
                    Mismatch(
                        "amount",
                        f"{got} received against {tranche.label}, declared as "
                        f"{declared_text} (more than the firm's tolerance of "
                        f"{_tolerance(policy, tranche.amount.currency)})",
                    )
                )
        lines.append(ReceiptLine(state, tranche, tuple(found), converted))
    return _totals(tuple(lines), declared, policy)


def _tolerance(policy: FundsPolicy, currency: str) -> str:
    parts = [f"{policy.tolerance_percent.normalize():f}%"]
    if policy.tolerance_amount:
        parts.append(money_text(policy.tolerance_amount, currency))
    return " or ".join(parts)


def _mismatches(
    state: ReceiptState,
    tranche: Tranche | None,
    declared: Declared,
    names: Sequence[tuple[Party, tuple[str, ...]]],
    policy: FundsPolicy,
    strangers: dict[str, bool],
) -> tuple[list[Mismatch], Decimal | None]:
    receipt = state.receipt
    found: list[Mismatch] = []
    converted: Decimal | None = None
    if receipt.gate_closed:
        found.append(
            Mismatch(
                "gate_closed",
                # Why G2 was closed stays on the receipt, not in this line: it may be a
                # sanctions hit or a referral, which the audit file never spells out (R8).
                "received while G2 (funds) was closed: the money is held for a compliance "
                "review by the MLRO, who alone may accept it",
                mlro=True,
            )
        )
    if state.tranche is None:
        found.append(Mismatch("unallocated", "not allocated to a declared tranche"))
    elif tranche is None:
        found.append(
            Mismatch(
                "no_tranche",
                f"allocated to tranche {state.tranche}, which the source-of-funds record does "
                "not declare",
            )
        )
    if tranche is not None:
        if tranche.amount is not None:
            if tranche.amount.currency == receipt.currency:
                converted = receipt.amount
            elif receipt.rate is not None:
                converted = (receipt.amount * receipt.rate).quantize(Decimal("0.01"))
            else:
                found.append(
                    Mismatch(
                        "currency",
                        f"received in {receipt.currency}; {tranche.label} is declared in "
                        f"{tranche.amount.currency} and no exchange rate was recorded",
                    )
                )
        if tranche.payer is None:
            found.append(
                Mismatch("payer", f"{tranche.label} names no payer to compare the remitter with")
            )
        elif not _is(policy, receipt.remitter, (tranche.payer.name, *tranche.payer.other_names)):
            found.append(
                Mismatch(
                    "payer",
                    f"remitter '{receipt.remitter}' is not the declared payer of "
                    f"{tranche.label} ({tranche.payer.name})",
                )
            )
        if receipt.bank_country is None:
            found.append(
                Mismatch("country_missing", "the remitting bank's country is not recorded")
            )
        elif tranche.bank_country is not None and receipt.bank_country != tranche.bank_country:
            found.append(
                Mismatch(
                    "country",
                    f"paid from a bank in {receipt.bank_country}; {tranche.label} was declared "
                    f"from {tranche.bank_country}",
                )
            )
    if receipt.bank_country is not None and receipt.bank_country in policy.high_risk_countries:
        found.append(
            Mismatch(
                "high_risk",
                f"paid from a bank in {receipt.bank_country}, on the {policy.high_risk_list} "
                "list: enhanced due diligence (MLR reg 33(1)(b))",
            )
        )
    stranger = strangers.get(receipt.remitter)
    if stranger is None:
        stranger = not any(_is(policy, receipt.remitter, known) for _, known in names)
        strangers[receipt.remitter] = stranger
    if stranger:
        found.append(
            Mismatch(
                "not_party",
                f"remitter '{receipt.remitter}' is not a party of the matter",
            )
        )
    reviewed = declared.reviewed_at
    if reviewed is None:
        found.append(
            Mismatch(
                "before_review",
                "received before the source-of-funds review was completed (it is not yet)",
            )
        )
    elif receipt.received_on < reviewed.date():
        found.append(
            Mismatch(
                "before_review",
                f"received on {receipt.received_on.isoformat()}, before the source-of-funds "
                f"review was completed on {reviewed.date().isoformat()}",
            )
        )
    return found, converted


def _is(policy: FundsPolicy, remitter: str, known: Iterable[str]) -> bool:
    return any(policy.same_name(remitter, name) for name in known)


def _totals(
    lines: tuple[ReceiptLine, ...], declared: Declared, policy: FundsPolicy
) -> Reconciliation:
    required = declared.required
    kept = [line for line in lines if line.status != "returned"]
    currency = required.currency if required is not None else "GBP"
    received = Decimal(0)
    unconverted: list[str] = []
    for line in kept:
        receipt = line.receipt
        if receipt.currency == currency:
            received += receipt.amount
        elif (
            line.converted is not None
            and line.tranche is not None
            and (line.tranche.amount is not None and line.tranche.amount.currency == currency)
        ):
            received += line.converted
        else:
            unconverted.append(money_text(receipt.amount, receipt.currency))
    issues: list[FundsIssue] = []
    for line in lines:
        if not line.open:
            continue
        what = "; ".join(m.message for m in line.mismatches)
        clear = (
            "the MLRO accepts it or it is returned"
            if line.needs_mlro
            else "explained by the fee earner and accepted by a supervisor, or returned"
        )
        issues.append(
            FundsIssue(
                Gate.G2,
                f"Receipt of {money_text(line.receipt.amount, line.receipt.currency)} on "
                f"{line.receipt.received_on.isoformat()} from {line.receipt.remitter} does not "
                f"reconcile: {what}. Held until {clear}",
                line.receipt.id,
                refer=(
                    "Funds received while G2 (funds) was closed are held: the MLRO decides "
                    f"(receipt of {money_text(line.receipt.amount, line.receipt.currency)} on "
                    f"{line.receipt.received_on.isoformat()})"
                    if line.needs_mlro
                    else None
                ),
            )
        )
    total_mismatch: str | None = None
    if required is not None and kept:
        allowed = policy.allowed_excess(required.amount)
        got = money_text(received, currency)
        wanted = money_text(required.amount, currency)
        if received < required.amount - allowed:
            short = money_text(required.amount - received, currency)
            total_mismatch = f"receipts total {got} of {wanted} required: {short} short"
            issues.append(
                FundsIssue(
                    Gate.G3,
                    f"Receipts total {got} of the {wanted} required ({short} short)"
                    + (f"; not added up: {', '.join(unconverted)}" if unconverted else "")
                    + ": the money is not all in before exchange",
                )
            )
        elif received > required.amount + allowed:
            over = money_text(received - required.amount, currency)
            total_mismatch = f"receipts total {got}, {over} more than the {wanted} required"
            issues.append(
                FundsIssue(
                    Gate.G2,
                    f"Receipts total {got}, {over} more than the {wanted} required: explain "
                    "the excess and update the source-of-funds record, or return it",
                )
            )
    return Reconciliation(
        declared=declared,
        lines=lines,
        required=required,
        received=received,
        unconverted=tuple(unconverted),
        total_mismatch=total_mismatch,
        issues=tuple(issues),
    )


def payer_party_needed(line: ReceiptLine) -> bool:
    """The remitter is a stranger to the matter: add them as a payer party and screen them."""
    return any(m.kind == "not_party" for m in line.mismatches)


NEW_PAYER_ROLE: Final = PartyRole.PAYER
"""The part a remitter who is not a party takes when added."""


def jsonable_line(line: ReceiptLine) -> dict[str, Any]:
    """A reconciled receipt as the command line's --json prints it (the account masked)."""
    receipt = line.receipt
    return {
        "id": receipt.id,
        "amount": str(receipt.amount),
        "currency": receipt.currency,
        "rate": str(receipt.rate) if receipt.rate is not None else None,
        "received_on": receipt.received_on.isoformat(),
        "remitter": receipt.remitter,
        "bank": receipt.bank,
        "bank_country": receipt.bank_country,
        "account": receipt.masked_account if receipt.account else None,
        "reference": receipt.reference,
        "tranche": line.state.tranche,
        "run": line.state.run_key,
        "status": line.status,
        "mismatches": [{"kind": m.kind, "message": m.message} for m in line.mismatches],
        "explanation": line.state.explanation.note if line.state.explanation else None,
        "accepted_by": line.state.acceptance.by if line.state.acceptance else None,
        "returned": line.state.returned.note if line.state.returned else None,
        "recorded_by": receipt.recorded_by,
        "recorded_at": receipt.recorded_at.isoformat(),
    }


# ----------------------------------------------------------------------------------------------
# What a person types for a receipt (the command line, the ledger CSV, the TUI dialog)

LEDGER_COLUMNS: Final = (
    "amount",
    "received_on",
    "remitter",
    "bank",
    "bank_country",
    "account",
    "reference",
    "tranche",
    "rate",
)
"""The columns of a client-ledger CSV (docs/funds.md); the first three are required."""


def _field(qid: str, kind: QuestionType, text: str, *, past: bool = False) -> Question:
    return Question(
        id=qid,
        text=text,
        guidance=text,
        citations=("MLR reg 40(2)",),
        type=kind,
        past=past,
    )


_AMOUNT = _field("amount", QuestionType.MONEY, "Amount received")
_RECEIVED_ON = _field("received_on", QuestionType.DATE, "Date received", past=True)
_BANK_COUNTRY = _field("bank_country", QuestionType.COUNTRY, "Country of the remitting bank")


@dataclass(frozen=True)
class NewReceipt:
    """A receipt as typed: every field text, checked by `check_receipt`."""

    amount: str
    """Amount with its currency: "GBP 250000", "£250k"."""
    received_on: str
    """The statement's value date."""
    remitter: str
    """The remitter's name as the statement prints it."""
    bank: str | None = None
    bank_country: str | None = None
    account: str | None = None
    reference: str | None = None
    tranche: str | None = None
    """"N" (the client's source of funds) or "RUN#N"."""
    rate: str | None = None
    """Units of the tranche's currency per unit of the amount's, when they differ."""


@dataclass(frozen=True)
class CheckedReceipt:
    """A receipt whose every field has been read and checked; nothing stored yet."""

    money: Money
    rate: Decimal | None
    received_on: date
    remitter: str
    bank: str | None
    bank_country: str | None
    account: str | None
    reference: str | None
    run_key: str | None
    tranche: int | None


def _invalid(error: InvalidAnswer) -> InvalidInput:
    return InvalidInput(f"{error.question_id}: {error.message}")


def read_tranche(declared: Declared, text: str | None, reference: str) -> Tranche | None:
    """The declared tranche "N" or "RUN#N" names, or InvalidInput naming what is declared."""
    if text is None or not text.strip():
        return None
    run, sep, number = text.strip().rpartition("#")
    if not sep:
        run, number = "", text.strip()
    if not (number.isascii() and number.isdigit()) or len(number) > 6:
        raise InvalidInput(f"tranche: '{text.strip()[:40]}' is not a tranche number (1, 2 ...)")
    runs = {t.run_key for t in declared.tranches}
    if not run:
        run = SOF_CHECKLIST if SOF_CHECKLIST in runs or len(runs) != 1 else next(iter(runs))
    found = declared.tranche(run, int(number))
    if found is None:
        listed = ", ".join(t.label for t in declared.tranches)
        raise InvalidInput(
            f"tranche: {reference} declares no tranche {text.strip()}"
            + (f" (declared: {listed})" if listed else " (its source-of-funds record has none yet)")
        )
    return found


def check_receipt(
    new: NewReceipt, declared: Declared, now: datetime, reference: str
) -> CheckedReceipt:
    """Every field of a typed receipt read and checked, or InvalidInput naming the field: an
    amount without a currency or negative, a date in the future, a country that is not one, a
    currency other than its tranche's without a rate."""
    try:
        money = parse_answer(_AMOUNT, new.amount)
        day = parse_answer(_RECEIVED_ON, str(new.received_on))
        assert isinstance(money, Money) and isinstance(day, date)
        check_past(_RECEIVED_ON, day, now)
        country = (
            parse_answer(_BANK_COUNTRY, new.bank_country)
            if new.bank_country is not None and new.bank_country.strip()
            else None
        )
    except InvalidAnswer as error:
        raise _invalid(error) from None
    if money.amount == 0:
        raise InvalidInput("amount: a receipt of nothing is not a receipt")
    remitter = plain_text("remitter", new.remitter)
    if len(remitter) > 500:
        raise InvalidInput("remitter: at most 500 characters")
    account = optional_text("account", new.account, lines=False)
    if account is not None and len(account) > 100:
        raise InvalidInput("account: at most 100 characters")
    rate: Decimal | None = None
    if new.rate is not None and new.rate.strip():
        typed = new.rate.strip()
        try:
            if len(typed) > 40:
                raise ArithmeticError
            rate = Decimal(typed)
            if not rate.is_finite() or rate <= 0:
                raise ArithmeticError
        except (ArithmeticError, ValueError):
            raise InvalidInput(
                f"rate: '{typed[:40]}' is not an exchange rate (a positive number, e.g. 0.79)"
            ) from None
    tranche = read_tranche(declared, new.tranche, reference)
    check_currency(money.currency, rate, tranche)
    return CheckedReceipt(
        money=money,
        rate=rate,
        received_on=day,
        remitter=remitter,
        bank=optional_text("bank", new.bank, lines=False),
        bank_country=country if isinstance(country, str) else None,
        account=account,
        reference=optional_text("reference", new.reference, lines=False),
        run_key=tranche.run_key if tranche else None,
        tranche=tranche.number if tranche else None,
    )


def check_currency(currency: str, rate: Decimal | None, tranche: Tranche | None) -> None:
    """InvalidInput when a receipt in another currency than its tranche's has no rate (it could
    not be compared), or has a rate it does not need."""
    declared = tranche.amount.currency if tranche and tranche.amount else None
    if declared is not None and tranche is not None and declared != currency and rate is None:
        raise InvalidInput(
            f"rate: the amount is in {currency} but {tranche.label} is declared in {declared}; "
            f"give the rate the bank applied ({declared} per {currency}), or allocate it to "
            "a tranche in that currency"
        )
    if rate is not None and (declared is None or declared == currency):
        raise InvalidInput(
            "rate: an exchange rate is recorded only for an amount in another currency than "
            "its tranche's"
        )
