"""New matter: kind, matter type, client type, client details and parties.

`NewMatter` only collects (a `ModalScreen[NewMatterForm]`); `open_matter` does the work through
the case-file services, so the right checklists start from the client type and kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from annotated_types import MaxLen
from pydantic import BaseModel
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from duediligence.domain.answers import read_date
from duediligence.domain.case import Actor, Case, Party, PartyKind, PartyRole, Person
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import (
    ESTATE_AGENCY_MATTER_TYPE,
    MATTER_TYPES,
    ClientType,
    FirmKind,
    FirmRole,
    Role,
)
from duediligence.screening.countries import read_country
from duediligence.services.casefile import CaseFile, NewCase, NewParty
from duediligence.tui.modals.base import Dialog
from duediligence.tui.widgets.plain import plain

KINDS: dict[str, tuple[FirmRole, str | None, str]] = {
    "solicitor": (FirmRole.SOLICITOR, "buyer", "Solicitor matter"),
    "agent_seller": (FirmRole.ESTATE_AGENT, "seller", "Sale: the seller (at instruction)"),
    "agent_buyer": (FirmRole.ESTATE_AGENT, "buyer", "Sale: the buyer (at offer accepted)"),
}
"""Matter kinds offered, with the firm role, the side acted for, and the label."""


def kinds_for(firm_kind: FirmKind) -> list[tuple[str, str]]:
    """The (label, key) matter kinds a firm of this kind opens: an agency, only its sales."""
    return [
        (label, key) for key, (role, _, label) in KINDS.items() if role in firm_kind.matter_kinds
    ]


def matter_types_for(kind: str) -> list[tuple[str, str]]:
    """The (label, value) matter types of a matter kind: an estate agent's is always a sale."""
    if KINDS[kind][0] is FirmRole.ESTATE_AGENT:
        return [("Estate agency sale", ESTATE_AGENCY_MATTER_TYPE)]
    return [
        (m.replace("_", " ").capitalize(), m)
        for m in sorted(MATTER_TYPES)
        if m != ESTATE_AGENCY_MATTER_TYPE
    ]


_CLIENT_TYPES = [(c.label, c.value) for c in ClientType]
_PARTY_ROLES = [
    (r.value.replace("_", " ").capitalize(), r.value)
    for r in PartyRole
    if r is not PartyRole.CLIENT
]


@dataclass(frozen=True)
class PartyForm:
    """One more party, as typed."""

    role: PartyRole
    kind: PartyKind
    name: str


@dataclass(frozen=True)
class NewMatterForm:
    """Everything the new-matter dialog collects."""

    reference: str
    kind: str
    matter_type: str
    client_type: ClientType
    responsible: str
    client_name: str
    client_nationality: str | None
    client_dob: date | None
    parties: tuple[PartyForm, ...] = ()


def open_matter(casefile: CaseFile, actor: Actor, form: NewMatterForm) -> None:
    """Open the case (its checklists start) with the client and the other parties, in one
    transaction: if anything is refused, nothing is stored."""
    firm_role, acting_for, _ = KINDS[form.kind]
    individual = form.client_type is ClientType.INDIVIDUAL
    client = NewParty(
        role=PartyRole.CLIENT,
        kind=PartyKind.INDIVIDUAL if individual else PartyKind.ENTITY,
        name=form.client_name,
        date_of_birth=form.client_dob if individual else None,
        nationalities=(form.client_nationality,) if form.client_nationality else (),
    )
    others = [NewParty(role=p.role, kind=p.kind, name=p.name) for p in form.parties]
    casefile.open_case(
        actor,
        NewCase(
            reference=form.reference,
            firm_role=firm_role,
            matter_type=form.matter_type,
            client_type=form.client_type,
            responsible=form.responsible,
            acting_for=acting_for,
        ),
        parties=[client, *others],
    )


def max_length(model: type[BaseModel], field: str) -> int:
    """The longest value the domain model accepts for `field`."""
    for rule in model.model_fields[field].metadata:
        if isinstance(rule, MaxLen):
            return rule.max_length
    raise LookupError(f"{model.__name__}.{field} has no maximum length")


def _check_length(what: str, text: str, model: type[BaseModel], field: str) -> None:
    limit = max_length(model, field)
    if len(text) > limit:
        raise DueDiligenceError(
            f"{what} is too long: at most {limit} characters ({len(text)} typed)"
        )


class NewMatter(Dialog[NewMatterForm | None]):
    """The new-matter dialog."""

    def __init__(
        self,
        people: list[Person],
        me: str,
        submit: Callable[[NewMatterForm], None] | None = None,
        firm_kind: FirmKind = FirmKind.BOTH,
    ) -> None:
        super().__init__()
        self.people = people
        self.me = me
        self.firm_kind = firm_kind
        """Decides the matter kinds offered and the words (an agency: seller / buyer only)."""
        self.submit = submit
        """Opens the matter; what it refuses is shown here and the dialog stays open."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Static("New matter", classes="title")
            agency = self.firm_kind is FirmKind.ESTATE_AGENCY
            kinds = kinds_for(self.firm_kind)
            kind = kinds[0][1]
            types = matter_types_for(kind)
            yield Label("Reference")
            yield Input(
                placeholder="e.g. S-2026-014" if agency else "e.g. 2026-0142", id="reference"
            )
            yield Label("Kind")
            yield Select(kinds, value=kind, allow_blank=False, id="kind")
            yield Label("Matter type", id="matter-type-label")
            yield Select(
                types,
                value="residential_purchase" if len(types) > 1 else types[0][1],
                allow_blank=False,
                id="matter-type",
            )
            yield Label("Seller or buyer is" if agency else "Client type")
            yield Select(_CLIENT_TYPES, value="individual", allow_blank=False, id="client-type")
            yield Label(
                ("Seller's or buyer's" if agency else "Client") + " name (as written, any script)"
            )
            yield Input(id="client-name")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label("Nationality (name or code)")
                    # Not cut to two characters: "Kazakhstan" was cut to "Ka" and then refused.
                    yield Input(placeholder="GB", id="nationality")
                with Vertical():
                    yield Label("Date of birth (individuals)")
                    yield Input(placeholder="YYYY-MM-DD", id="dob")
            yield Label(
                f"Responsible {self.firm_kind.role_label(Role.FEE_EARNER).lower()}"
                if agency
                else "Responsible person"
            )
            yield Select(
                [(plain(f"{p.name} ({p.id})"), p.id) for p in self.people],
                value=self.me,
                allow_blank=False,
                id="responsible",
            )
            yield Label("Another party (optional): role and name")
            with Horizontal(classes="pair"):
                yield Select(
                    _PARTY_ROLES, value="beneficial_owner", allow_blank=False, id="party-role"
                )
                yield Input(placeholder="Name", id="party-name")
            yield Static("", id="new-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Open the matter", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reference", Input).focus()
        self._show_matter_type()

    @on(Select.Changed, "#kind")
    def _kind_changed(self) -> None:
        # The matter types follow the kind: a sale has one, so a solicitor's type can never be
        # left chosen on an agency's matter.
        kind = str(self.query_one("#kind", Select).value)
        types = matter_types_for(kind)
        chooser = self.query_one("#matter-type", Select)
        chooser.set_options(types)
        chooser.value = "residential_purchase" if len(types) > 1 else types[0][1]
        self._show_matter_type()

    def _show_matter_type(self) -> None:
        """One matter type is no choice: it is not shown."""
        chooser = self.query_one("#matter-type", Select)
        several = len(matter_types_for(str(self.query_one("#kind", Select).value))) > 1
        chooser.display = several
        self.query_one("#matter-type-label", Label).display = several

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def submit_form(self) -> None:
        try:
            form = self._form()
            if self.submit is not None:
                self.submit(form)
        except DueDiligenceError as error:
            message = str(error)
            self.say("#new-error", message[0].upper() + message[1:])
            return
        self.dismiss(form)

    def _form(self) -> NewMatterForm:
        reference = self._value("#reference")
        name = self._value("#client-name")
        if not reference:
            raise DueDiligenceError("give the matter a reference")
        _check_length("the reference", reference, Case, "reference")
        if not name:
            raise DueDiligenceError("give the client's name")
        _check_length("the client's name", name, Party, "name")
        typed = self._value("#nationality")
        nationality = read_country("nationality", typed) if typed else None
        dob_text = self._value("#dob")
        dob = read_date("date of birth", dob_text) if dob_text else None
        party_name = self._value("#party-name")
        parties: tuple[PartyForm, ...] = ()
        if party_name:
            _check_length("the other party's name", party_name, Party, "name")
            role = PartyRole(str(self.query_one("#party-role", Select).value))
            parties = (PartyForm(role, PartyKind.INDIVIDUAL, party_name),)
        return NewMatterForm(
            reference=reference,
            kind=str(self.query_one("#kind", Select).value),
            matter_type=str(self.query_one("#matter-type", Select).value),
            client_type=ClientType(str(self.query_one("#client-type", Select).value)),
            responsible=str(self.query_one("#responsible", Select).value),
            client_name=name,
            client_nationality=nationality,
            client_dob=dob,
            parties=parties,
        )
