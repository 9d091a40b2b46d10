"""Rating and sign-off: choose the rating (refused below the floor, with the reason), write the
rationale with a live length count, and sign off. The dialog collects; `sign_off` saves both
answers through the case file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TextArea

from duediligence.domain.checklist import QuestionType
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import Rating
from duediligence.tui.commands import bindings_for

if TYPE_CHECKING:
    from duediligence.tui.screens.matter import MatterScreen


@dataclass(frozen=True)
class SignOffForm:
    """The rating chosen and its rationale."""

    rating: Rating
    rationale: str


class SignOff(ModalScreen[SignOffForm | None]):
    """The rating and sign-off dialog."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("modal")

    def __init__(self, minimum: Rating, reasons: list[str], min_length: int, current: str) -> None:
        super().__init__()
        self.minimum = minimum
        self.reasons = reasons
        self.min_length = min_length
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static("Rating and sign-off", classes="title")
            floor = f"Lowest rating allowed: {self.minimum.value.capitalize()}"
            yield Static(
                floor + ("\n" + "\n".join(f"• {r}" for r in self.reasons) if self.reasons else "")
            )
            yield Label("Your rating")
            yield Select(
                [(r.value.capitalize(), r.value) for r in Rating],
                value=self.minimum.value,
                allow_blank=False,
                id="rating",
            )
            yield Label("Rationale (your own words for this client and matter)")
            yield TextArea(self.current, id="rationale", soft_wrap=True)
            yield Static("", id="rationale-count", classes="muted")
            yield Static("", id="sign-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Sign off", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._count(self.current)

    @on(TextArea.Changed, "#rationale")
    def _typing(self, event: TextArea.Changed) -> None:
        self._count(event.text_area.text)

    def _count(self, text: str) -> None:
        length = len(text.strip())
        more = "" if length >= self.min_length else f" ({self.min_length - length} more needed)"
        self.query_one("#rationale-count", Static).update(
            f"{length} / at least {self.min_length} characters{more}"
        )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        rating = Rating(str(self.query_one("#rating", Select).value))
        text = self.query_one("#rationale", TextArea).text.strip()
        error = self.query_one("#sign-error", Static)
        if not rating.at_least(self.minimum):
            error.update(
                f"Refused: {rating.value.capitalize()} is below {self.minimum.value.capitalize()}: "
                + "; ".join(self.reasons)
            )
            return
        if len(text) < self.min_length:
            error.update(
                f"The rationale needs at least {self.min_length} characters ({len(text)} so far)."
            )
            return
        self.dismiss(SignOffForm(rating, text))


def sign_off(screen: MatterScreen) -> None:
    """Open the dialog for the matter's rating question and save what it returns."""
    view = screen.view
    assert view is not None
    found = None
    for run_key, key in screen._order:
        position = screen.question_at((run_key, key))
        if position and position[2].type is QuestionType.RATING:
            found = (run_key, key)
            break
    if found is None:
        screen.dd.show_error(
            "This matter's checklists have no rating question (the rating is set on the client's CDD checklist)."
        )
        return
    run_key, rating_key = found
    rationale_key = next((k for r, k in screen._order if r == run_key and "rationale" in k), None)
    run = screen.run_by_key(run_key)
    assert run is not None
    current = ""
    min_length = 1
    if rationale_key:
        value = screen.latest(run, rationale_key)
        current = value if isinstance(value, str) else ""
        checked = screen.question_at((run_key, rationale_key))
        if checked and checked[2].min_length:
            min_length = checked[2].min_length
    e = view.evaluation
    reasons = [t.reason for t in e.triggers] + [f.reason for f in e.floors]

    def done(form: SignOffForm | None) -> None:
        if form is None:
            return
        casefile = screen.dd.casefile
        try:
            casefile.answer(
                screen.dd.actor,
                screen.reference,
                rating_key,
                value=form.rating.value,
                run_key=run_key,
            )
            if rationale_key:
                casefile.answer(
                    screen.dd.actor,
                    screen.reference,
                    rationale_key,
                    value=form.rationale,
                    run_key=run_key,
                )
        except DueDiligenceError as error:
            screen.dd.show_error(str(error))
            return
        screen.notify(
            f"Signed off as {form.rating.value.capitalize()} by {screen.dd.actor.user}.", timeout=4
        )
        screen.reload()

    screen.app.push_screen(SignOff(e.minimum_rating, reasons, min_length, current), done)
