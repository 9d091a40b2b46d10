"""The fixed vocabulary shared by checklists, cases and the evaluator: ratings, gates, roles, facts.

These are the words a compliance officer uses; each enum value is what appears in TOML.
"""

from __future__ import annotations

from enum import StrEnum


class Rating(StrEnum):
    """A client and matter risk rating, ordered Low < Medium < High."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Position in the order Low < Medium < High, for comparisons."""
        return _RATING_ORDER[self]

    def at_least(self, other: Rating) -> bool:
        """Whether this rating is the same as or above `other`."""
        return self.rank >= other.rank

    @staticmethod
    def highest(ratings: list[Rating] | tuple[Rating, ...]) -> Rating:
        """The highest of the given ratings, Low when there are none."""
        return max(ratings, key=lambda r: r.rank, default=Rating.LOW)


_RATING_ORDER = {Rating.LOW: 0, Rating.MEDIUM: 1, Rating.HIGH: 2}


class Gate(StrEnum):
    """The four points a matter must pass; each later gate needs every earlier one open."""

    G1 = "G1"
    """Accept instructions / establish the business relationship (reg 30: verify before this)."""
    G2 = "G2"
    """Receive funds into client account."""
    G3 = "G3"
    """Exchange contracts / go unconditional."""
    G4 = "G4"
    """Complete and release funds."""

    @property
    def label(self) -> str:
        """What passing the gate means, in the user's words."""
        return _GATE_TITLES[self]

    @property
    def rank(self) -> int:
        """1 for G1 up to 4 for G4."""
        return int(self.value[1])

    def title_for(self, firm_role: str, acting_for: str | None) -> str:
        """What passing the gate means on this matter: an estate agent markets the seller's
        property and accepts the buyer's offer; it does not "accept instructions"."""
        if firm_role == "estate_agent":
            if self is Gate.G1:
                return "Accept the offer" if acting_for == "buyer" else "Market the property"
            return _AGENCY_GATE_TITLES.get(self, self.label)
        return self.label


_GATE_TITLES = {
    Gate.G1: "Accept instructions",
    Gate.G2: "Receive funds",
    Gate.G3: "Exchange",
    Gate.G4: "Complete",
}

_AGENCY_GATE_TITLES = {
    Gate.G2: "Take a deposit or payment",
    Gate.G3: "Proceed to exchange",
    Gate.G4: "Complete",
}


class Role(StrEnum):
    """Roles in the firm's register of people; approvals are bound to a role."""

    FEE_EARNER = "fee_earner"
    SUPERVISOR = "supervisor"
    SENIOR_MANAGER = "senior_manager"
    MLRO = "mlro"

    @property
    def label(self) -> str:
        """The role as a person would write it."""
        return _ROLE_TITLES[self]


_ROLE_TITLES = {
    Role.FEE_EARNER: "Fee earner / negotiator",
    Role.SUPERVISOR: "Supervisor",
    Role.SENIOR_MANAGER: "Senior manager",
    Role.MLRO: "MLRO",
}


class FirmRole(StrEnum):
    """The kind of regulated business the firm does on this matter."""

    SOLICITOR = "solicitor"
    ESTATE_AGENT = "estate_agent"


class FirmKind(StrEnum):
    """What the firm is, set once at set-up: it decides which matter kinds exist and the words
    the tool uses (an HMRC estate agency has negotiators and branch managers, not partners,
    and opens no solicitor matters)."""

    LAW_FIRM = "law_firm"
    ESTATE_AGENCY = "estate_agency"
    BOTH = "both"

    @property
    def label(self) -> str:
        """The firm kind as a person would write it."""
        return _FIRM_KIND_TITLES[self]

    @property
    def matter_kinds(self) -> tuple[FirmRole, ...]:
        """The kinds of matter this firm opens."""
        return _FIRM_KIND_MATTERS[self]

    def role_label(self, role: Role) -> str:
        """`role` in this firm's words ("Negotiator" in an agency, "Fee earner" in a law firm)."""
        return _FIRM_ROLE_WORDS.get(self, {}).get(role, role.label)


_FIRM_KIND_TITLES = {
    FirmKind.LAW_FIRM: "Law firm (solicitors)",
    FirmKind.ESTATE_AGENCY: "Estate agency",
    FirmKind.BOTH: "Both: law firm and estate agency",
}

_FIRM_KIND_MATTERS = {
    FirmKind.LAW_FIRM: (FirmRole.SOLICITOR,),
    FirmKind.ESTATE_AGENCY: (FirmRole.ESTATE_AGENT,),
    FirmKind.BOTH: (FirmRole.SOLICITOR, FirmRole.ESTATE_AGENT),
}

_FIRM_ROLE_WORDS: dict[FirmKind, dict[Role, str]] = {
    FirmKind.LAW_FIRM: {
        Role.FEE_EARNER: "Fee earner",
        Role.SUPERVISOR: "Supervising solicitor",
        Role.SENIOR_MANAGER: "Senior manager (partner)",
    },
    FirmKind.ESTATE_AGENCY: {
        Role.FEE_EARNER: "Negotiator",
        Role.SUPERVISOR: "Branch manager",
        Role.SENIOR_MANAGER: "Senior manager (director)",
        Role.MLRO: "Nominated officer (MLRO)",
    },
}

ESTATE_AGENCY_MATTER_TYPE = "estate_agency_sale"
"""The one matter type of an estate agent's sale (seller at instruction, buyer at offer)."""


class ClientType(StrEnum):
    """Who the client is, which decides which checklists start."""

    INDIVIDUAL = "individual"
    COMPANY_UK = "company_uk"
    COMPANY_OVERSEAS = "company_overseas"
    LLP = "llp"
    PARTNERSHIP = "partnership"
    TRUST = "trust"
    FOUNDATION = "foundation"
    CHARITY = "charity"
    ESTATE = "estate"
    PUBLIC_BODY = "public_body"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The client type as a person would write it."""
        return _CLIENT_TYPE_TITLES[self]


_CLIENT_TYPE_TITLES = {
    ClientType.INDIVIDUAL: "Individual",
    ClientType.COMPANY_UK: "UK company",
    ClientType.COMPANY_OVERSEAS: "Overseas company",
    ClientType.LLP: "LLP",
    ClientType.PARTNERSHIP: "Partnership",
    ClientType.TRUST: "Trust",
    ClientType.FOUNDATION: "Foundation",
    ClientType.CHARITY: "Charity",
    ClientType.ESTATE: "Estate (of a deceased person)",
    ClientType.PUBLIC_BODY: "Public body",
    ClientType.OTHER: "Other",
}


class ScreeningOutcome(StrEnum):
    """The case's screening state for one kind of list, as the evaluator sees it."""

    NOT_SCREENED = "not_screened"
    CLEAR = "clear"
    POSSIBLE_MATCH = "possible_match"
    TRUE_MATCH = "true_match"


class MatterEvent(StrEnum):
    """Timestamped events of a matter; verification timing is judged against them (reg 30)."""

    INSTRUCTED = "instructed"
    RELATIONSHIP_ESTABLISHED = "relationship_established"
    MARKETING_STARTED = "marketing_started"
    """An estate agent's seller: the property listed or shown (seller CDD comes first)."""
    OFFER_ACCEPTED = "offer_accepted"
    """An estate agent's buyer: the seller accepted the offer; the buyer becomes a customer."""
    FUNDS_RECEIVED = "funds_received"
    EXCHANGE = "exchange"
    COMPLETION = "completion"
    RELATIONSHIP_ENDED = "relationship_ended"

    @property
    def label(self) -> str:
        """The event as a person would write it."""
        return _EVENT_TITLES[self]


_EVENT_TITLES = {
    MatterEvent.INSTRUCTED: "Instructed",
    MatterEvent.RELATIONSHIP_ESTABLISHED: "Relationship established",
    MatterEvent.MARKETING_STARTED: "Marketing started",
    MatterEvent.OFFER_ACCEPTED: "Offer accepted",
    MatterEvent.FUNDS_RECEIVED: "Funds received",
    MatterEvent.EXCHANGE: "Exchange",
    MatterEvent.COMPLETION: "Completion",
    MatterEvent.RELATIONSHIP_ENDED: "Relationship ended",
}


def events_for(firm_role: str, acting_for: str | None) -> tuple[MatterEvent, ...]:
    """The events a matter of this kind records, in the order they happen: an estate agent's
    seller is instructed and marketed, its buyer's offer is accepted; a solicitor is instructed
    and establishes the relationship."""
    tail = (
        MatterEvent.FUNDS_RECEIVED,
        MatterEvent.EXCHANGE,
        MatterEvent.COMPLETION,
        MatterEvent.RELATIONSHIP_ENDED,
    )
    if firm_role == "estate_agent":
        if acting_for == "buyer":
            return (MatterEvent.OFFER_ACCEPTED, *tail)
        return (MatterEvent.INSTRUCTED, MatterEvent.MARKETING_STARTED, *tail)
    return (MatterEvent.INSTRUCTED, MatterEvent.RELATIONSHIP_ESTABLISHED, *tail)


class FactKind(StrEnum):
    """What sort of value a case fact holds, for validating conditions at load."""

    CHOICE = "choice"
    DATETIME = "datetime"
    TEXT = "text"


class Fact(StrEnum):
    """Facts the case provides to checklist conditions, beside the answers themselves."""

    FIRM_ROLE = "firm_role"
    """solicitor or estate_agent."""
    ACTING_FOR = "acting_for"
    """The side the firm acts for: buyer, seller, both, landlord, tenant or other."""
    CLIENT_TYPE = "client_type"
    """One of the client types."""
    MATTER_TYPE = "matter_type"
    """The matter type (residential_purchase, sale, remortgage, ...)."""
    SANCTIONS_SCREENING = "sanctions_screening"
    """Outcome of sanctions screening across the parties."""
    PEP_SCREENING = "pep_screening"
    """Outcome of PEP screening across the parties."""
    COMPUTED_RATING = "computed_rating"
    """The rating computed from score, floors and triggers (not the chosen one)."""
    INSTRUCTED_AT = "instructed_at"
    """When instructions were received."""
    RELATIONSHIP_ESTABLISHED_AT = "relationship_established_at"
    """When the relationship began (a solicitor's matter)."""
    MARKETING_STARTED_AT = "marketing_started_at"
    """When an estate agent began marketing the seller's property."""
    OFFER_ACCEPTED_AT = "offer_accepted_at"
    """When the seller accepted an estate agent's buyer's offer."""
    FUNDS_RECEIVED_AT = "funds_received_at"
    """When funds were first received."""
    EXCHANGE_AT = "exchange_at"
    """When contracts were exchanged."""
    COMPLETION_AT = "completion_at"
    """When the matter completed."""

    @property
    def kind(self) -> FactKind:
        """The kind of value this fact holds."""
        if self.value.endswith("_at"):
            return FactKind.DATETIME
        return FactKind.CHOICE

    @property
    def allowed_values(self) -> frozenset[str]:
        """Values a choice fact may take; empty for free values."""
        return _FACT_VALUES.get(self, frozenset())


MATTER_TYPES = frozenset(
    {
        "residential_purchase",
        "residential_sale",
        "remortgage",
        "commercial_property",
        "company_purchase_sale",
        "trust_company_formation",
        "private_client",
        "estate_agency_sale",
        "other",
    }
)

ACTING_FOR = frozenset({"buyer", "seller", "both", "landlord", "tenant", "other"})

_FACT_VALUES: dict[Fact, frozenset[str]] = {
    Fact.FIRM_ROLE: frozenset(r.value for r in FirmRole),
    Fact.ACTING_FOR: ACTING_FOR,
    Fact.CLIENT_TYPE: frozenset(c.value for c in ClientType),
    Fact.MATTER_TYPE: MATTER_TYPES,
    Fact.SANCTIONS_SCREENING: frozenset(s.value for s in ScreeningOutcome),
    Fact.PEP_SCREENING: frozenset(s.value for s in ScreeningOutcome),
    Fact.COMPUTED_RATING: frozenset(r.value for r in Rating),
}

EVENT_FACTS: dict[MatterEvent, Fact] = {
    MatterEvent.INSTRUCTED: Fact.INSTRUCTED_AT,
    MatterEvent.RELATIONSHIP_ESTABLISHED: Fact.RELATIONSHIP_ESTABLISHED_AT,
    MatterEvent.MARKETING_STARTED: Fact.MARKETING_STARTED_AT,
    MatterEvent.OFFER_ACCEPTED: Fact.OFFER_ACCEPTED_AT,
    MatterEvent.FUNDS_RECEIVED: Fact.FUNDS_RECEIVED_AT,
    MatterEvent.EXCHANGE: Fact.EXCHANGE_AT,
    MatterEvent.COMPLETION: Fact.COMPLETION_AT,
}
"""Matter events that conditions may compare against, and the fact each becomes."""


AGENCY_PART_TITLES = {
    6: "Customer risk assessment",
}
"""Parts of the audit file an estate agent names in its own (HMRC's) words: the buyer is a
customer, not a client, and an agency has no "client and matter risk assessment"."""


def client_word(firm_role: str, acting_for: str | None) -> str:
    """What the matter's client is called: an estate agent's buyer is a customer for the MLR
    (not the agent's client); its seller is the agent's client."""
    if firm_role == "estate_agent":
        return "Customer (buyer)" if acting_for == "buyer" else "Client (seller)"
    return "Client"
