"""First run: register the firm and its first user, optionally with the example matter."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from duediligence.adapters.locations import shown_store
from duediligence.domain.answers import read_date
from duediligence.domain.case import Person, Supervisor, usual_supervisor
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import FirmKind, Role
from duediligence.services.example import EXAMPLE_PEOPLE, load_example
from duediligence.tui.screens.base import BaseScreen

_SUPERVISORS = [
    ("SRA (solicitors)", Supervisor.SRA.value),
    ("HMRC (estate agents)", Supervisor.HMRC.value),
    ("FCA", Supervisor.FCA.value),
    ("Other", Supervisor.OTHER.value),
]


class SetupScreen(BaseScreen):
    """Register the firm and the first user."""

    def compose(self) -> ComposeResult:
        today = self.dd.today.isoformat()
        yield Header()
        with VerticalScroll(id="setup"):
            yield Static(
                "Welcome. There is no case file here yet: register the firm and yourself.",
                classes="title",
            )
            yield Static(
                f"Case file: {shown_store(self.dd.store_path)}",
                id="setup-store",
                classes="muted",
                markup=False,
            )
            yield Label("The firm is")
            yield Select(
                [(k.label, k.value) for k in FirmKind],
                value=FirmKind.LAW_FIRM.value,
                allow_blank=False,
                id="firm-kind",
            )
            yield Label("Firm name")
            yield Input(id="firm")
            yield Label("AML supervisor")
            yield Select(
                _SUPERVISORS, value=Supervisor.SRA.value, allow_blank=False, id="supervisor"
            )
            yield Label("Firm-wide risk assessment: version and date approved (YYYY-MM-DD)")
            with Horizontal(classes="pair"):
                yield Input(value="1.0", id="fwra-version")
                yield Input(value=today, id="fwra-date")
            yield Label("You: user id (short, lower case), full name")
            with Horizontal(classes="pair"):
                yield Input(placeholder="e.g. asmith", id="user-id")
                yield Input(placeholder="e.g. Alex Smith", id="user-name")
            yield Label("Your role and your last AML training date")
            with Horizontal(classes="pair"):
                yield Select(
                    _roles(FirmKind.LAW_FIRM),
                    value="mlro+senior_manager",
                    allow_blank=False,
                    id="user-role",
                )
                yield Input(value=today, id="trained-on")
            yield Label("Senior manager who approved it, if not you: user id, full name")
            with Horizontal(classes="pair"):
                yield Input(placeholder="e.g. jshaw (empty: you)", id="approver-id")
                yield Input(placeholder="e.g. Jo Shaw", id="approver-name")
            yield Static("", id="setup-error", markup=False, classes="error")
            with Horizontal(id="setup-buttons"):
                yield Button("Create the case file", id="create", variant="primary")
                yield Button("Create and open the example matter", id="create-example")
        yield Footer()

    def on_mount(self) -> None:
        self._words(FirmKind.LAW_FIRM)
        # The firm's name first, as before; its kind is one Shift+Tab above.
        self.query_one("#firm", Input).focus()

    @on(Select.Changed, "#firm-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        # The kind drives the defaults and the words: an estate agency is supervised by HMRC
        # and has negotiators and branch managers, not partners.
        kind = FirmKind(str(event.value))
        self.query_one("#supervisor", Select).value = usual_supervisor(kind).value
        roles = self.query_one("#user-role", Select)
        chosen = roles.value
        roles.set_options(_roles(kind))
        roles.value = chosen
        self._words(kind)

    def _words(self, kind: FirmKind) -> None:
        agency = kind is FirmKind.ESTATE_AGENCY
        examples = {
            "#firm": "e.g. Marsh & Field Estate Agents Ltd"
            if agency
            else "e.g. Hartley & Shaw LLP",
            "#user-id": "e.g. asmith",
            "#user-name": "e.g. Alex Smith",
            "#approver-id": "e.g. jshaw, a director (empty: you)"
            if agency
            else "e.g. jshaw, a partner (empty: you)",
        }
        for selector, text in examples.items():
            self.query_one(selector, Input).placeholder = text

    def _text(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _date(self, selector: str, what: str) -> date:
        return read_date(what, self._text(selector))

    @on(Button.Pressed)
    def _create(self, event: Button.Pressed) -> None:
        error = self.query_one("#setup-error", Static)
        try:
            if not self._text("#firm"):
                raise DueDiligenceError("give the firm's name")
            if not self._text("#fwra-version"):
                raise DueDiligenceError("give the firm-wide risk assessment's version (e.g. 1.0)")
            person = _person(
                self._text("#user-id"),
                self._text("#user-name"),
                str(self.query_one("#user-role", Select).value),
                self._date("#trained-on", "Training date"),
            )
            approver = None
            if self._text("#approver-id") or self._text("#approver-name"):
                approver = _person(
                    self._text("#approver-id"),
                    self._text("#approver-name"),
                    Role.SENIOR_MANAGER.value,
                    None,
                    whose="the approver's",
                )
            casefile = self.dd.casefile
            casefile.init_firm(
                firm_name=self._text("#firm"),
                kind=FirmKind(str(self.query_one("#firm-kind", Select).value)),
                supervisor=Supervisor(str(self.query_one("#supervisor", Select).value)),
                fwra_version=self._text("#fwra-version"),
                fwra_date=self._date("#fwra-date", "Risk assessment date"),
                first_user=person,
                os_user=self.dd.os_user,
                # The FWRA needs senior management's approval (reg 18, 19): the service refuses
                # to finish set-up without its approver, and says so here.
                approver=approver,
            )
        except DueDiligenceError as problem:
            message = str(problem)
            error.update(message[0].upper() + message[1:])
            error.scroll_visible(animate=False, immediate=True)
            return
        self.dd.me = person
        if event.button.id == "create-example":
            try:
                self._example(person)
            except DueDiligenceError as problem:
                # The firm exists now; the example is a nicety, so say why and carry on.
                self.dd.show_error(f"The example matter could not be loaded: {problem}")
        self.app.switch_screen(_matters())
        self.dd.set_user(person)

    def _example(self, person: Person) -> None:
        """The example's colleagues (those whose ids are free) and the example matter, handled
        by its fee earner so that the first user can approve it. The colleagues are bound to
        this computer account: they are there for the first user to try each role with (F10),
        and supervising people act only once bound."""
        casefile = self.dd.casefile
        actor = self.dd.actor
        for colleague in EXAMPLE_PEOPLE:
            if colleague.id != person.id:
                casefile.add_person(
                    actor,
                    colleague.model_copy(
                        update={"trained_on": self.dd.today, "os_users": (actor.os_user,)}
                    ),
                )
        fee_earner = next(p.id for p in EXAMPLE_PEOPLE if p.holds(Role.FEE_EARNER))
        load_example(casefile, actor, person.id if person.id == fee_earner else fee_earner)


def _matters() -> BaseScreen:
    from duediligence.tui.screens.matters import MattersScreen

    return MattersScreen()


def _roles(kind: FirmKind) -> list[tuple[str, str]]:
    """The first user's roles in the firm's words (a negotiator, a branch manager)."""
    both = (
        f"{kind.role_label(Role.MLRO)} and {kind.role_label(Role.SENIOR_MANAGER).lower()}",
        "mlro+senior_manager",
    )
    return [both] + [(kind.role_label(r), r.value) for r in Role]


def _person(
    user_id: str, name: str, role: str, trained_on: date | None, whose: str = "your"
) -> Person:
    if not user_id or not name:
        raise DueDiligenceError(f"give {whose} user id and full name")
    try:
        roles = tuple(Role(r) for r in role.split("+"))
        return Person(id=user_id, name=name, roles=roles, trained_on=trained_on)
    except ValueError:
        raise DueDiligenceError(
            f"'{user_id}' cannot be a user id: use lower-case letters, digits, '.', '_' or '-'"
        ) from None
