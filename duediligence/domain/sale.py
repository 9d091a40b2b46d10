"""One estate-agency sale, both sides: the property, the seller's matter and the buyers'.

HMRC reads a sale as one: the seller verified before marketing, the buyer by the time the offer
is accepted. The two sides are separate matters (two customers, two files); a sale record links
them by the property, and says which buyer proceeds. Each side's audit file names the other
side's matter, its CDD dates against instruction and offer and its status, and nothing else of
it (the other side's personal data stays in its own file).

Pure pydantic records and the one summary of a side; storage lives in the adapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from duediligence.domain.case import Record


class Sale(Record):
    """A property an estate agency sells: the seller's matter it started from."""

    KIND: ClassVar[str] = "sale"
    id: str
    """Internal id."""
    property: str = Field(min_length=10, max_length=500)
    """The property's address, as on the instruction."""
    seller_case_id: str
    """The seller's matter."""
    recorded_by: str
    """Who linked it."""
    recorded_at: datetime
    """When."""

    def audit_case_id(self) -> str | None:
        return self.seller_case_id


class SaleBuyer(Record):
    """A buyer's matter on a sale (an accepted offer); at most one proceeds."""

    KIND: ClassVar[str] = "sale_buyer"
    id: str
    """Internal id."""
    sale_id: str
    """The sale."""
    case_id: str
    """The buyer's matter."""
    proceeding: bool = False
    """The buyer whose purchase goes ahead (others fell through or were replaced)."""
    recorded_by: str
    """Who linked it (or last changed it)."""
    recorded_at: datetime
    """When."""


@dataclass(frozen=True)
class SaleSide:
    """One side of a sale as the other side's file may show it: no personal data."""

    reference: str
    """The matter's reference."""
    side: str
    """seller or buyer."""
    proceeding: bool
    """For a buyer: the one whose purchase goes ahead."""
    status: str
    """open or closed."""
    relationship_basis: str
    """What started the relationship ("marketing started", "offer accepted", ...)."""
    relationship_began: datetime | None
    """When (None: not recorded)."""
    cdd_completed_on: date | None
    """The day verification was completed, as answered."""
    cdd_on_time: bool | None
    """Completed on or before the relationship began (None: either date is missing)."""
    gate_open: bool
    """Its G1 (market the property / accept the offer) is open."""

    @property
    def label(self) -> str:
        """ "Seller", "Buyer" or "Buyer (proceeding)"."""
        if self.side == "seller":
            return "Seller"
        return "Buyer (proceeding)" if self.proceeding else "Buyer"

    @property
    def timing(self) -> str:
        """ "on time", "LATE" or "not judged" (a date missing)."""
        return {True: "on time", False: "LATE", None: "not judged"}[self.cdd_on_time]


@dataclass(frozen=True)
class SaleView:
    """A sale with each side summarised, as one file prints it."""

    sale: Sale
    sides: tuple[SaleSide, ...]
    """The seller first, then the buyers in the order linked."""

    def others(self, reference: str) -> tuple[SaleSide, ...]:
        """The sides other than `reference`'s."""
        return tuple(s for s in self.sides if s.reference != reference)


def on_time(completed: date | None, began: datetime | None) -> bool | None:
    """Verification completed on or before the relationship began (the same day is on time)."""
    if completed is None or began is None:
        return None
    return completed <= began.date()


def sale_side_line(side: SaleSide) -> str:
    """One side in words: what the desk and the CLI print."""
    began = (
        f"{side.relationship_basis.split(' (')[0]} {side.relationship_began:%Y-%m-%d %H:%M}"
        if side.relationship_began
        else "relationship start not recorded"
    )
    completed = (
        f"CDD completed {side.cdd_completed_on.isoformat()}"
        if side.cdd_completed_on
        else "CDD completion not recorded"
    )
    gate = "CDD gate open" if side.gate_open else "CDD gate closed"
    return (
        f"{side.label} {side.reference}: {began}; {completed} ({side.timing}); {gate}; "
        f"{side.status}"
    )
