"""Add a party to a matter: a beneficial owner found during CDD, a payer, a person acting for
the client, the other side. The dialog checks what it can (dates, country codes, lengths) and
returns the party; the caller adds it, which screens it against the lists in use."""

from __future__ import annotations

from annotated_types import MaxLen
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from duediligence.domain.answers import read_date
from duediligence.domain.case import Party, PartyKind, PartyRole
from duediligence.domain.errors import DueDiligenceError
from duediligence.screening.countries import read_country
from duediligence.services.casefile import NewParty
from duediligence.tui.modals.base import Dialog

ROLE_LABELS = {
    PartyRole.BENEFICIAL_OWNER: "Beneficial owner or controller",
    PartyRole.PERSON_ACTING: "Person acting for the client",
    PartyRole.PAYER: "Payer or donor of funds",
    PartyRole.COUNTERPARTY: "Counterparty (the other side)",
    PartyRole.CLIENT: "Client (a joint client)",
}
KIND_LABELS = {PartyKind.INDIVIDUAL: "Individual", PartyKind.ENTITY: "Company or other entity"}

NAME_LIMIT = next(
    m.max_length for m in Party.model_fields["name"].metadata if isinstance(m, MaxLen)
)
"""The longest name the case file takes (checked here so the dialog can say so)."""


def _list(text: str, separator: str = ",") -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(separator) if part.strip())


class AddParty(Dialog[NewParty | None]):
    """The add-party dialog (filled again with the last attempt after a refusal)."""

    def __init__(
        self, last: NewParty | None = None, error: str = "", client_word: str = "Client"
    ) -> None:
        super().__init__()
        self.last = last
        self.error = error
        self.client_word = client_word
        """What the matter calls its client (an agency's buyer is a "Customer (buyer)")."""

    def _role_label(self, role: PartyRole) -> str:
        if role is PartyRole.CLIENT and self.client_word != "Client":
            return f"{self.client_word}, a joint one"
        return ROLE_LABELS[role]

    def compose(self) -> ComposeResult:
        last = self.last
        with Vertical(classes="dialog wide"):
            yield Static("Add a party", classes="title")
            with Horizontal(classes="pair"):
                yield Select(
                    [(self._role_label(role), role.value) for role in ROLE_LABELS],
                    value=(last.role if last else PartyRole.BENEFICIAL_OWNER).value,
                    allow_blank=False,
                    id="party-role",
                )
                yield Select(
                    [(label, kind.value) for kind, label in KIND_LABELS.items()],
                    value=(last.kind if last else PartyKind.INDIVIDUAL).value,
                    allow_blank=False,
                    id="party-kind",
                )
            yield Label("Name, as written on the document (any script)")
            yield Input(last.name if last else "", id="party-name")
            yield Label("Other names or spellings (comma separated)")
            yield Input(", ".join(last.other_names) if last else "", id="other-names")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label("Date of birth (YYYY-MM-DD)")
                    dob = last.date_of_birth.isoformat() if last and last.date_of_birth else ""
                    yield Input(dob, placeholder="individuals", id="party-dob")
                with Vertical():
                    yield Label("Nationalities (names or codes)")
                    yield Input(
                        ", ".join(last.nationalities) if last else "",
                        placeholder="e.g. GB, MD",
                        id="party-nationalities",
                    )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label("Address")
                    yield Input(last.addresses[0] if last and last.addresses else "", id="address")
                with Vertical():
                    yield Label("Registration number (entities)")
                    yield Input((last.registration_number or "") if last else "", id="registration")
            yield Static(self.error, id="party-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Add and screen", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#party-name", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def submit_form(self) -> None:
        try:
            self.dismiss(self._form())
        except DueDiligenceError as error:
            message = self.query_one("#party-error", Static)
            message.update(str(error))
            message.scroll_visible()

    def _form(self) -> NewParty:
        name = self._value("#party-name")
        if not name:
            raise DueDiligenceError("give the party's name")
        if len(name) > NAME_LIMIT:
            raise DueDiligenceError(
                f"the name has {len(name)} characters; the case file takes at most {NAME_LIMIT}"
            )
        kind = PartyKind(str(self.query_one("#party-kind", Select).value))
        dob_text = self._value("#party-dob")
        dob = read_date("date of birth", dob_text) if dob_text else None
        if dob is not None and kind is PartyKind.ENTITY:
            raise DueDiligenceError("an entity has no date of birth (give its registration number)")
        nationalities = tuple(
            dict.fromkeys(
                read_country("nationalities", typed)
                for typed in _list(self._value("#party-nationalities"))
            )
        )
        address = self._value("#address")
        return NewParty(
            role=PartyRole(str(self.query_one("#party-role", Select).value)),
            kind=kind,
            name=name,
            other_names=_list(self._value("#other-names")),
            date_of_birth=dob,
            nationalities=nationalities,
            addresses=(address,) if address else (),
            registration_number=self._value("#registration") or None,
        )
